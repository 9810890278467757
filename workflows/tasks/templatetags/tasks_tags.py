"""Template helpers of the workbench: the case's traffic light."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.alerts import due_level
from workflows.cases.models import OPEN, Case, Status

register = template.Library()

LABELS = {
    "green": _("正常"),
    "yellow": _("临近期限"),
    "red": _("已超承诺期限"),
    "statutory_red": _("已超法定期限"),
    "paused": _("暂停计时"),
    "none": _("不计时"),
}


def light_of(case: Case) -> str:
    """The colour of ``case``'s clock right now."""
    if case.status == Status.SUSPENDED:
        return "paused"
    if case.status not in OPEN and case.status != Status.DECIDED:
        return "none"
    if case.promised_due_at is None:
        return "none"
    return due_level(case, timezone.now()).css


@register.inclusion_tag("tasks/light.html")
def case_light(case: Case) -> dict[str, Any]:
    """A coloured badge for ``case``'s clock."""
    colour = light_of(case)
    css = "none" if colour == "paused" else colour
    return {"css": css, "label": LABELS[colour], "provisional": case.promised_due_provisional}
