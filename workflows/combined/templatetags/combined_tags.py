"""Template tags that show a 一件事 bundle's facts on other apps' pages (no import of combined)."""

from __future__ import annotations

from typing import Any

from django import template

from workflows.cases.models import Case
from workflows.combined.selectors import deceased_of

register = template.Library()


@register.inclusion_tag("combined/_deceased.html")
def case_deceased(case: Case) -> dict[str, Any]:
    """The deceased person of a 公民身后 case or sub-case; nothing for any other case."""
    if not (case.parent_id or case.children.exists()):
        return {"deceased": None}
    return {"deceased": deceased_of(case)}
