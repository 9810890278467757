"""Template helpers of the workbench: the case's traffic light."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.lights import Light, due_level
from workflows.cases.models import OPEN, Case, Status

register = template.Library()

# Not a light: a paused clock or none at all. The four lights' words are cases.lights'.
NO_LIGHT_LABELS = {
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


@register.inclusion_tag("_light.html")
def case_light(case: Case) -> dict[str, Any]:
    """A coloured badge for ``case``'s clock (the one badge, ``templates/_light.html``)."""
    colour = light_of(case)
    if colour in NO_LIGHT_LABELS:
        label = str(NO_LIGHT_LABELS[colour])
        css = "none"
    else:
        level = Light[colour.upper()]
        label, css = level.label, level.css
    return {"css": css, "label": label, "provisional": case.promised_due_provisional}
