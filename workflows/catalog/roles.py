"""The five roles, as Django groups, and questions about who may do what.

A role is a group; where a staff member works (center, department) is on their
StaffProfile. Permission checks combine both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from workflows.catalog.models import StaffProfile

CLERK = "window_clerk"
OFFICER = "department_officer"
HEAD = "department_head"
SUPERVISOR = "supervisor"
ADMIN = "admin"

# Where roles_of caches a user's role names (StaffBackend fills it at sign-in time).
ROLES_ATTRIBUTE = "_onewindow_roles"

ROLE_LABELS = {
    CLERK: _("窗口受理员"),
    OFFICER: _("部门经办人"),
    HEAD: _("部门负责人"),
    SUPERVISOR: _("效能督查员"),
    ADMIN: _("系统管理员"),
}


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The role names of ``user`` (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, ROLES_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        setattr(user, ROLES_ATTRIBUTE, cached)
    return cached


def display_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """A staff member's name the Chinese way (family name first), or the username."""
    if user is None or not user.is_authenticated:
        return ""
    full = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return full or user.get_username()


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    """True when ``user`` holds any of ``roles``."""
    return bool(roles_of(user) & set(roles))


def profile_of(user: AbstractBaseUser | AnonymousUser) -> StaffProfile | None:
    """The staff profile of ``user``, or None."""
    if not user.is_authenticated:
        return None
    return getattr(user, "staff", None)
