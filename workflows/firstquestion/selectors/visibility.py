"""Who sees which consultation, and which referrals wait for whom."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import (
    CLERK,
    HEAD,
    OFFICER,
    SUPERVISOR,
    has_role,
    profile_of,
)
from workflows.firstquestion.models import (
    REFERRAL_OPEN,
    Consultation,
    Referral,
    ReferralState,
    TargetKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def receiver_filter(user: User) -> Q:
    """The Q a referral must match for ``user`` to be (one of) its receivers."""
    if is_admin(user):
        return Q()
    q = Q(target_kind=TargetKind.PERSON, to_user_id=user.pk)
    profile = profile_of(user)
    if profile is None:
        return q
    if has_role(user, OFFICER, HEAD) and profile.department_id:
        q |= Q(target_kind=TargetKind.DEPARTMENT, to_department_id=profile.department_id)
    if has_role(user, CLERK) and profile.center_id:
        q |= Q(target_kind=TargetKind.WINDOW, to_center_id=profile.center_id)
    return q


def consultation_filter(user: User) -> Q | None:
    """The Q a consultation must match to be visible to ``user``; None means all.

    The staff who were asked (first responder, logger, those present), the
    receivers of its referrals, the clerks of its center and the supervisors
    of that center or above it. A consultation holds a citizen's name and
    phone: nobody else sees it.
    """
    if is_admin(user):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    present = Consultation.present.through.objects.filter(user_id=user.pk)
    q = (
        Q(first_responder_id=user.pk)
        | Q(logged_by_id=user.pk)
        | Q(pk__in=present.values("consultation_id"))
        | Q(pk__in=Referral.objects.filter(receiver_filter(user)).values("consultation_id"))
    )
    profile = profile_of(user)
    if profile is None or profile.center is None:
        return q
    if has_role(user, CLERK):
        q |= Q(center_id=profile.center_id)
    if has_role(user, SUPERVISOR):
        q |= Q(center__path__startswith=profile.center.path)
        if profile.center.parent_id is None:
            q |= Q(center__isnull=True)
    return q


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """Every consultation ``user`` may open."""
    qs = Consultation.objects.select_related("first_responder", "logged_by", "item", "case")
    q = consultation_filter(user)
    return qs if q is None else qs.filter(q)


def visible_consultation(user: User, pk: Any) -> Consultation | None:
    """The consultation ``pk`` if ``user`` may see it (None for unknown or hidden)."""
    try:
        key = int(str(pk))
    except ValueError:
        return None
    return consultations_visible_to(user).filter(pk=key).first()


def referrals_for_receiver(user: User) -> QuerySet[Referral]:
    """Open referrals ``user`` is a receiver of, oldest deadline first."""
    return (
        Referral.objects.filter(state__in=list(REFERRAL_OPEN))
        .filter(receiver_filter(user))
        .select_related("consultation", "consultation__first_responder", "referred_by")
        .select_related("to_department", "to_center", "to_user")
        .order_by("ack_due_at", "pk")
    )


def pending_referrals(user: User) -> QuerySet[Referral] | None:
    """The referrals waiting for ``user``'s acknowledgement (the menu badge counts them).

    None for an admin: they receive everything, so a badge would be noise.
    """
    if is_admin(user):
        return None
    return Referral.objects.filter(state=ReferralState.PENDING).filter(receiver_filter(user))


def pending_referral_count(user: User) -> int:
    """How many referrals wait for ``user``'s acknowledgement."""
    rows = pending_referrals(user)
    return rows.count() if rows is not None else 0
