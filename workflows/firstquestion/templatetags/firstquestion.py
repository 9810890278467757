"""``{% load firstquestion %}``: whether a user may reassign a case's first responder."""

from __future__ import annotations

from typing import Any

from django import template

from workflows.cases.permissions import is_admin, is_supervisor_in_scope
from workflows.catalog.roles import display_name

register = template.Library()


@register.filter
def can_reassign_first_responder(user: Any, case: Any) -> bool:
    """True for supervisors of the case's center (or above) and admins."""
    return bool(
        user and user.is_authenticated and (is_admin(user) or is_supervisor_in_scope(user, case))
    )


@register.filter
def staff_name(user: Any) -> str:
    """A staff member's name the Chinese way (family name first), or the username."""
    return display_name(user)
