"""Reads: who may see which cases, a case's trail, and the reads the services share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from workflows.cases.actions import action_label
from workflows.cases.clock import end_of_day, start_of_day
from workflows.cases.models import OPEN, Case, CaseEvent, Status, Suspension
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import (
    CLERK,
    HEAD,
    OFFICER,
    SUPERVISOR,
    display_name,
    has_role,
    profile_of,
)

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


def open_public_notice(case: Case) -> Suspension | None:
    """The 公示 now running on ``case``, or None."""
    return case.suspensions.filter(
        ended_at__isnull=True, procedure=Suspension.Procedure.PUBLIC_NOTICE
    ).first()


def cases_depending_on_years(years: Iterable[int]) -> Q:
    """Open or not-yet-accepted cases whose clock window touches any of ``years``."""
    q = Q()
    for year in years:
        first = start_of_day(date(year, 1, 1))
        last = end_of_day(date(year, 12, 31))
        q |= Q(status__in=list(OPEN), accepted_at__lte=last, statutory_due_at__gte=first)
        q |= Q(status__in=list(OPEN), due_provisional=True)
        q |= Q(
            status=Status.RECEIVED,
            deemed_acceptance_at__isnull=False,
            received_at__lte=last,
            deemed_acceptance_at__gte=first,
        )
    return q


# ---------------------------------------------------------------- the trail


@dataclass
class TrailStep:
    """One event of a case's audit trail, in words."""

    seq: int
    at: datetime
    action: str
    actor: str
    from_status: str
    to_status: str
    payload: dict[str, Any]
    clock: dict[str, Any]


def _status_label(value: str) -> str:
    if not value:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def case_trail(case: Case) -> list[TrailStep]:
    """Every event of ``case`` with who, when, from → to and the clock after it."""
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq")
    steps = []
    for e in events:
        steps.append(
            TrailStep(
                seq=e.seq,
                at=e.created_at,
                action=action_label(e.action),
                actor=display_name(e.actor) if e.actor else str(_("系统")),
                from_status=_status_label(e.from_status),
                to_status=_status_label(e.to_status),
                payload=e.payload,
                clock=e.clock,
            )
        )
    return steps
