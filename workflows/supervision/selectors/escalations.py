"""督办 as the desk reads them: who may see which, the unanswered ones, the menu badge, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import HEAD, SUPERVISOR, has_role, profile_of
from workflows.supervision.models import ORDER_LEVELS, Escalation, EscalationNote

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

BADGE_CAP = 99


def escalations_for(user: User) -> QuerySet[Escalation] | None:
    """The 督办 a user may see: supervisors their centers, heads their department; None = none."""
    qs = Escalation.objects.select_related(
        "case", "case__item", "center", "department", "handler", "first_responder", "responded_by"
    )
    if is_admin(user):
        return qs
    profile = profile_of(user)
    if profile is None:
        return None
    q = Q(pk__in=[])
    allowed = False
    if has_role(user, SUPERVISOR) and profile.center is not None:
        q |= Q(center__path__startswith=profile.center.path)
        allowed = True
    if has_role(user, HEAD) and profile.department_id:
        q |= Q(department_id=profile.department_id)
        allowed = True
    return qs.filter(q) if allowed else None


def unanswered(qs: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Breaches (red or worse) the department head has not answered."""
    return qs.filter(level__in=list(ORDER_LEVELS), responded_at__isnull=True)


def unanswered_badge_rows(user: User) -> QuerySet[Escalation, Any] | None:
    """What the menu badge counts: unanswered 督办 in the user's scope, at most 99."""
    qs = escalations_for(user)
    if qs is None:
        return None
    return unanswered(qs).order_by().values("pk")[:BADGE_CAP]


def unanswered_badge(user: User) -> int | None:
    """The menu badge: unanswered 督办 in the user's scope (capped at 99)."""
    rows = unanswered_badge_rows(user)
    return (rows.count() or None) if rows is not None else None


def escalation_notes(escalation: Escalation) -> QuerySet[EscalationNote]:
    """Follow-ups and responses, oldest first."""
    return escalation.notes.select_related("author").order_by("created_at", "pk")
