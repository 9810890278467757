"""转办: whom a referral goes to, its creation, and the receiver's acknowledge, answer, decline.

Lock order is always consultation, then referral (``common._lock_referral``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.cases import permissions
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.catalog.models import Center, Department
from workflows.catalog.roles import CLERK, HEAD, OFFICER, display_name, has_role, profile_of
from workflows.firstquestion import errors, hours
from workflows.firstquestion.models import (
    Consultation,
    Referral,
    ReferralState,
    TargetKind,
)
from workflows.firstquestion.services.common import (
    NOTIFICATION_KIND,
    _consultation_url,
    _event,
    _lock_referral,
    _now,
    _tell_first_responder,
    _transition,
    consultation_refusal,
    referral_refusal,
)
from workflows.notifications.services import Message, notify

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ReferralTarget:
    """Whom a referral goes to: a department, a center's window, or a named colleague."""

    kind: str
    department: Department | None = None
    center: Center | None = None
    user: User | None = None


def target_label(referral: Referral) -> str:
    """Whom a referral went to, in words."""
    if referral.target_kind == TargetKind.DEPARTMENT and referral.to_department is not None:
        return _("部门：%(name)s") % {"name": referral.to_department.name}
    if referral.target_kind == TargetKind.WINDOW and referral.to_center is not None:
        return _("窗口：%(name)s") % {"name": referral.to_center.name}
    if referral.to_user is not None:
        return _("同事：%(name)s") % {"name": display_name(referral.to_user)}
    return ""


def is_receiver(user: User, referral: Referral) -> bool:
    """True when ``user`` may act on ``referral`` as its receiver (admins always)."""
    if permissions.is_admin(user):
        return True
    if referral.target_kind == TargetKind.PERSON:
        return referral.to_user_id == user.pk
    profile = profile_of(user)
    if profile is None:
        return False
    if referral.target_kind == TargetKind.DEPARTMENT:
        return has_role(user, OFFICER, HEAD) and profile.department_id == referral.to_department_id
    return has_role(user, CLERK) and profile.center_id == referral.to_center_id


def _clean_target(target: ReferralTarget | None, first_responder: User) -> ReferralTarget:
    if target is None or target.kind not in TargetKind.values:
        raise InvalidRequest(errors.TARGET_REQUIRED)
    if target.kind == TargetKind.DEPARTMENT and target.department is None:
        raise InvalidRequest(errors.TARGET_REQUIRED)
    if target.kind == TargetKind.WINDOW and target.center is None:
        raise InvalidRequest(errors.TARGET_REQUIRED)
    if target.kind == TargetKind.PERSON:
        if target.user is None:
            raise InvalidRequest(errors.TARGET_REQUIRED)
        if not target.user.is_active:
            raise InvalidRequest(errors.TARGET_INACTIVE)
        if target.user.pk == first_responder.pk:
            raise InvalidRequest(errors.TARGET_SELF)
    return target


def _refer(
    *,
    consultation: Consultation,
    actor: User,
    target: ReferralTarget,
    note: str,
    moment: datetime,
) -> Referral:
    """Create the referral (the caller holds the consultation's lock)."""
    open_one = consultation.referrals.filter(
        state__in=[ReferralState.PENDING, ReferralState.ACKNOWLEDGED]
    ).first()
    if open_one is not None:
        raise TransitionRefused(errors.OPEN_REFERRAL % {"target": target_label(open_one)})
    referral = Referral.objects.create(
        consultation=consultation,
        referred_by=actor,
        target_kind=target.kind,
        to_department=target.department if target.kind == TargetKind.DEPARTMENT else None,
        to_center=target.center if target.kind == TargetKind.WINDOW else None,
        to_user=target.user if target.kind == TargetKind.PERSON else None,
        note=note.strip(),
        state=ReferralState.PENDING,
        created_at=moment,
        ack_due_at=hours.ack_due_at(moment),
    )
    _event(
        consultation=consultation,
        referral=referral,
        action="refer",
        actor=actor,
        at=moment,
        payload={
            "target": target.kind,
            "target_label": target_label(referral),
            "note": referral.note,
            "ack_due_at": referral.ack_due_at.isoformat(),
        },
    )
    if referral.to_user_id is not None:
        notify(
            [
                Message(
                    recipient_id=referral.to_user_id,
                    kind=NOTIFICATION_KIND,
                    title=_("【转办】%(name)s 转来咨询：%(matter)s")
                    % {"name": display_name(actor), "matter": consultation.matter[:60]},
                    body=_("请在 %(due)s 前签收并办理。")
                    % {"due": timezone.localtime(referral.ack_due_at).strftime("%Y-%m-%d %H:%M")},
                    url=_consultation_url(consultation),
                    dedupe_key=f"fq:referral:{referral.pk}:to",
                )
            ]
        )
    return referral


def _require_receiver(referral: Referral, actor: User) -> None:
    if not is_receiver(actor, referral):
        raise ActionForbidden(errors.NOT_RECEIVER)


def referral_acknowledge(
    *, referral: Referral, actor: User, now: datetime | None = None
) -> Referral:
    """签收: the receiver has it (stops the escalation clock); repeated, it changes nothing."""
    moment = _now(now)
    with transaction.atomic():
        consultation, fresh = _lock_referral(referral)
        _require_receiver(fresh, actor)
        if fresh.state == ReferralState.ACKNOWLEDGED:
            return fresh
        _transition(fresh.acknowledge, referral_refusal(fresh, errors.ACTION_ACKNOWLEDGE))
        fresh.acknowledged_at = moment
        fresh.acknowledged_by = actor
        fresh.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
        late = moment > fresh.ack_due_at
        _event(
            consultation=consultation,
            referral=fresh,
            action="acknowledge",
            actor=actor,
            at=moment,
            payload={"late": late},
        )
        return fresh


def referral_answer(
    *, referral: Referral, actor: User, answer: str, now: datetime | None = None
) -> Referral:
    """The receiver answered the citizen: the referral and the consultation end answered."""
    moment = _now(now)
    if not answer.strip():
        raise InvalidRequest(errors.REFERRAL_ANSWER_REQUIRED)
    with transaction.atomic():
        consultation, fresh = _lock_referral(referral)
        _require_receiver(fresh, actor)
        _transition(fresh.mark_answered, referral_refusal(fresh, errors.ACTION_ANSWER))
        fresh.acknowledged_at = fresh.acknowledged_at or moment
        fresh.acknowledged_by = fresh.acknowledged_by or actor
        fresh.resolved_at = moment
        fresh.resolved_by = actor
        fresh.answer = answer.strip()
        fresh.save()
        _transition(
            consultation.mark_answered, consultation_refusal(consultation, errors.ACTION_ANSWER)
        )
        consultation.answer = fresh.answer
        consultation.answered_by = actor
        consultation.answered_at = moment
        consultation.updated_at = moment
        consultation.save(
            update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"]
        )
        _event(
            consultation=consultation,
            referral=fresh,
            action="referral_answer",
            actor=actor,
            at=moment,
            payload={"answer": fresh.answer},
        )
        _tell_first_responder(
            consultation,
            what=f"referral:{fresh.pk}:answered",
            title=_("【转办已答复】%(name)s 已答复：%(matter)s")
            % {"name": display_name(actor), "matter": consultation.matter[:60]},
            body=fresh.answer[:500],
            actor=actor,
        )
        return fresh


def referral_decline(
    *, referral: Referral, actor: User, reason: str, now: datetime | None = None
) -> Referral:
    """退回: not the receiver's business; back to the first responder with the reason."""
    moment = _now(now)
    if not reason.strip():
        raise InvalidRequest(errors.DECLINE_REASON_REQUIRED)
    with transaction.atomic():
        consultation, fresh = _lock_referral(referral)
        _require_receiver(fresh, actor)
        _transition(fresh.decline, referral_refusal(fresh, errors.ACTION_DECLINE))
        fresh.resolved_at = moment
        fresh.resolved_by = actor
        fresh.decline_reason = reason.strip()
        fresh.save(update_fields=["state", "resolved_at", "resolved_by", "decline_reason"])
        _transition(
            consultation.return_to_first_responder,
            consultation_refusal(consultation, errors.ACTION_DECLINE),
        )
        consultation.updated_at = moment
        consultation.save(update_fields=["status", "updated_at"])
        _event(
            consultation=consultation,
            referral=fresh,
            action="decline",
            actor=actor,
            at=moment,
            payload={"reason": fresh.decline_reason},
        )
        _tell_first_responder(
            consultation,
            what=f"referral:{fresh.pk}:declined",
            title=_("【转办退回】%(name)s 退回了咨询：%(matter)s")
            % {"name": display_name(actor), "matter": consultation.matter[:60]},
            body=_("退回理由：%(reason)s。请另行解答、转办或转为申请。")
            % {"reason": fresh.decline_reason[:400]},
            actor=actor,
        )
        return fresh
