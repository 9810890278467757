"""Template filters of the hall pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    """Minutes with one decimal, or a dash when there is nothing to measure."""
    return "–" if value is None else f"{value:.1f}"
