"""Reads: which cases a person may see (row-level visibility)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from workflows.cases.models import Case
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import CLERK, HEAD, OFFICER, SUPERVISOR, has_role, profile_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def visibility_filter(user: AbstractBaseUser | AnonymousUser) -> Q | None:
    """The Q a case must match to be visible to ``user``; None means every case.

    A clerk sees their center's cases, an officer or head their department's,
    a supervisor their center and everything below it, and every staff member
    the cases they are first responder of. Nobody else sees anything.
    """
    if is_admin(user):
        return None
    q = Q(pk__in=[])
    if not user.is_authenticated:
        return q
    q |= Q(first_responder_id=user.pk)
    profile = profile_of(user)
    if profile is None:
        return q
    if has_role(user, CLERK) and profile.center_id:
        q |= Q(center_id=profile.center_id)
    if has_role(user, OFFICER, HEAD) and profile.department_id:
        q |= Q(department_id=profile.department_id)
    if has_role(user, SUPERVISOR) and profile.center_id:
        q |= Q(center__path__startswith=profile.center.path)  # type: ignore[union-attr]
    return q


def cases_visible_to(
    user: AbstractBaseUser | AnonymousUser, queryset: QuerySet[Case] | None = None
) -> QuerySet[Case]:
    """``queryset`` (default: all cases) restricted to what ``user`` may see."""
    qs = queryset if queryset is not None else Case.objects.all()
    q = visibility_filter(user)
    return qs if q is None else qs.filter(q)


def case_visible_to(user: AbstractBaseUser | AnonymousUser, case: Case) -> bool:
    """True when ``user`` may open ``case``."""
    return cases_visible_to(user, Case.objects.filter(pk=case.pk)).exists()
