"""Template filters about staff members."""

from __future__ import annotations

from typing import Any

from django import template

from workflows.catalog.roles import display_name

register = template.Library()


@register.filter
def staff_name(user: Any) -> str:
    """A staff member's name the Chinese way (family name first), or the username."""
    return display_name(user)
