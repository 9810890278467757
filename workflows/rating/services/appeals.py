"""申诉 against a 差评: a head files it with evidence, a supervisor decides it."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.cases.permissions import is_admin, is_supervisor_in_scope
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.rating import errors
from workflows.rating.errors import ActionForbidden, TransitionRefused
from workflows.rating.models import (
    Appeal,
    Rating,
    Rectification,
)
from workflows.rating.services._base import User, _event, _now, _required
from workflows.rating.services.rectifications import _lock


@transaction.atomic
def appeal_file(
    *,
    rectification: Rectification,
    actor: User,
    grounds: str,
    evidence: str,
    now: datetime | None = None,
) -> Appeal:
    """申诉: the department's head contests a mistaken or malicious 差评 with evidence."""
    at = _now(now)
    r = _lock(rectification)
    profile = profile_of(actor)
    if not (
        is_admin(actor)
        or (
            has_role(actor, HEAD)
            and profile is not None
            and profile.department_id == r.department_id
        )
    ):
        raise ActionForbidden(errors.HEAD_ONLY % {"department": r.department.name})
    if r.appeals.filter(state=Appeal.State.PENDING).exists():
        raise TransitionRefused(errors.APPEAL_PENDING)
    appeal = Appeal.objects.create(
        rectification=r,
        grounds=_required(grounds, _("申诉理由")),
        evidence=_required(evidence, _("证据材料")),
        filed_by_id=cast(int, actor.pk),  # a head, signed in: never None
        filed_at=at,
    )
    _event(r.rating.invitation, "appeal", actor=actor, at=at, rating=r.rating, rectification=r)
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, actor: User, upheld: bool, reason: str, now: datetime | None = None
) -> Appeal:
    """A supervisor decides an appeal; upheld takes the rating out of the statistics."""
    at = _now(now)
    a = Appeal.objects.select_for_update().get(pk=appeal.pk)
    r = Rectification.objects.select_related("case__center", "rating__invitation").get(
        pk=a.rectification_id
    )
    if not (is_admin(actor) or is_supervisor_in_scope(actor, r.case)):
        raise ActionForbidden(errors.SUPERVISOR_ONLY)
    if a.state != Appeal.State.PENDING:
        raise TransitionRefused(errors.APPEAL_DECIDED)
    a.decision_reason = _required(reason, _("审核意见"))
    a.state = Appeal.State.UPHELD if upheld else Appeal.State.REFUSED
    a.decided_by_id, a.decided_at = actor.pk, at
    a.save(update_fields=["decision_reason", "state", "decided_by", "decided_at"])
    if upheld:
        Rating.objects.filter(pk=r.rating_id).update(excluded=True)
    _event(
        r.rating.invitation,
        "decide_appeal",
        actor=actor,
        at=at,
        rating=r.rating,
        rectification=r,
        upheld=upheld,
    )
    return a
