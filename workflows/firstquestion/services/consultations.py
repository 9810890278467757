"""咨询登记 and the first responder's steps: log, refer again, answer, apply, link to a case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.validators import normalize_phone
from workflows.cases import permissions
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.cases.models import Case
from workflows.catalog.models import ServiceItem
from workflows.catalog.roles import CLERK, display_name, has_role, profile_of
from workflows.firstquestion import errors
from workflows.firstquestion.models import (
    Channel,
    Consultation,
    ConsultationStatus,
    Referral,
    ReferralState,
)
from workflows.firstquestion.services.common import (
    _event,
    _lock_consultation,
    _now,
    _require_transition,
    _tell_first_responder,
    consultation_refusal,
)
from workflows.firstquestion.services.referrals import ReferralTarget, _clean_target, _refer

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class LogOutcome(TextChoices):
    """What the staff member did with the question."""

    ANSWER = "answer", gettext_lazy("当场解答")
    REFER = "refer", gettext_lazy("转办")
    APPLY = "apply", gettext_lazy("转为申请")


def rank_of(user: User) -> int:
    """A staff member's rank (higher = senior); 0 without a profile."""
    profile = profile_of(user)
    return profile.rank if profile is not None else 0


def senior_of(logger_user: User, present: Iterable[User]) -> User:
    """The 首问责任人 of staff asked together: the highest rank; the logger wins a tie."""
    candidates = [logger_user, *(u for u in present if u.pk != logger_user.pk)]
    # max() keeps the first of equals, and the logger comes first.
    return max(candidates, key=rank_of)


def _require_first_responder(consultation: Consultation, actor: User) -> None:
    if actor.pk != consultation.first_responder_id and not permissions.is_admin(actor):
        raise ActionForbidden(
            errors.ONLY_FIRST_RESPONDER % {"name": display_name(consultation.first_responder)}
        )


def consultation_log(
    *,
    actor: User,
    channel: str,
    citizen_name: str,
    citizen_phone: str,
    matter: str,
    outcome: str,
    item: ServiceItem | None = None,
    present: Iterable[User] = (),
    answer: str = "",
    target: ReferralTarget | None = None,
    note: str = "",
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Consultation:
    """咨询登记: record the question and its outcome; the senior staff present is 首问责任人."""
    moment = _now(now)
    if profile_of(actor) is None and not permissions.is_admin(actor):
        raise ActionForbidden(errors.NOT_STAFF)
    if channel not in Channel.values:
        raise InvalidRequest(errors.CHANNEL_INVALID)
    if outcome not in LogOutcome.values:
        raise InvalidRequest(errors.OUTCOME_INVALID)
    name, matter = citizen_name.strip(), matter.strip()
    if not name:
        raise InvalidRequest(errors.NAME_REQUIRED)
    if not citizen_phone.strip():
        raise InvalidRequest(errors.PHONE_REQUIRED)
    try:
        phone = normalize_phone(citizen_phone)
    except ValidationError as exc:
        raise InvalidRequest(" ".join(exc.messages)) from exc
    if not matter:
        raise InvalidRequest(errors.MATTER_REQUIRED)
    if item is not None and not item.is_active:
        raise InvalidRequest(errors.ITEM_INACTIVE)
    staff = [u for u in present if u.pk != actor.pk]
    for user in staff:
        if not user.is_active:
            raise InvalidRequest(errors.PRESENT_INACTIVE % {"name": display_name(user)})
    first = senior_of(actor, staff)
    if outcome == LogOutcome.ANSWER and not answer.strip():
        raise InvalidRequest(errors.ANSWER_REQUIRED)
    if outcome == LogOutcome.REFER:
        target = _clean_target(target, first)
    if outcome == LogOutcome.APPLY and not (has_role(actor, CLERK) or permissions.is_admin(actor)):
        raise InvalidRequest(errors.APPLICATION_NEEDS_CLERK)
    status = {
        LogOutcome.ANSWER: ConsultationStatus.ANSWERED,
        LogOutcome.REFER: ConsultationStatus.REFERRED,
        LogOutcome.APPLY: ConsultationStatus.APPLICATION,
    }[LogOutcome(outcome)]
    first_profile, actor_profile = profile_of(first), profile_of(actor)
    center_id = (first_profile.center_id if first_profile else None) or (
        actor_profile.center_id if actor_profile else None
    )
    try:
        with transaction.atomic():
            if idempotency_key:
                done = Consultation.objects.filter(idempotency_key=idempotency_key).first()
                if done is not None:
                    return done
            consultation = Consultation.objects.create(
                channel=channel,
                citizen_name=name,
                citizen_phone=phone,
                matter=matter,
                item=item,
                first_responder=first,
                logged_by=actor,
                center_id=center_id,
                status=status,
                answer=answer.strip() if outcome == LogOutcome.ANSWER else "",
                answered_by=actor if outcome == LogOutcome.ANSWER else None,
                answered_at=moment if outcome == LogOutcome.ANSWER else None,
                created_at=moment,
                updated_at=moment,
                idempotency_key=idempotency_key or None,
            )
            consultation.present.set([actor, *staff])
            _event(
                consultation=consultation,
                action="log",
                actor=actor,
                at=moment,
                payload={
                    "channel": channel,
                    "outcome": outcome,
                    "item": item.code if item else "",
                    "first_responder": first.pk,
                    "first_responder_name": display_name(first),
                    "present": [u.pk for u in [actor, *staff]],
                    "present_names": [display_name(u) for u in [actor, *staff]],
                    "answer": consultation.answer,
                },
            )
            if outcome == LogOutcome.REFER and target is not None:  # cleaned above
                _refer(
                    consultation=consultation, actor=actor, target=target, note=note, moment=moment
                )
            return consultation
    except IntegrityError:
        if idempotency_key:
            done = Consultation.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return done
        raise


def consultation_refer(
    *,
    consultation: Consultation,
    actor: User,
    target: ReferralTarget,
    note: str = "",
    now: datetime | None = None,
) -> Referral:
    """转办 again (after a refusal) or instead of an application: the first responder's step."""
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_consultation(consultation)
        _require_first_responder(fresh, actor)
        _require_transition(fresh.refer, consultation_refusal(fresh, errors.ACTION_REFER))
        cleaned = _clean_target(target, fresh.first_responder)
        referral = _refer(consultation=fresh, actor=actor, target=cleaned, note=note, moment=moment)
        fresh.refer()
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "updated_at"])
        return referral


def consultation_answer(
    *,
    consultation: Consultation,
    actor: User,
    answer: str,
    now: datetime | None = None,
) -> Consultation:
    """The first responder answers the citizen; an open referral ends answered with it."""
    moment = _now(now)
    if not answer.strip():
        raise InvalidRequest(errors.ANSWER_REQUIRED)
    with transaction.atomic():
        fresh = _lock_consultation(consultation)
        _require_first_responder(fresh, actor)
        _require_transition(fresh.mark_answered, consultation_refusal(fresh, errors.ACTION_ANSWER))
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(
                consultation=fresh, state__in=[ReferralState.PENDING, ReferralState.ACKNOWLEDGED]
            )
            .first()
        )
        if referral is not None:
            referral.mark_answered()
            referral.resolved_at = moment
            referral.resolved_by = actor
            referral.answer = answer.strip()
            referral.save(update_fields=["state", "resolved_at", "resolved_by", "answer"])
        fresh.mark_answered()
        fresh.answer = answer.strip()
        fresh.answered_by = actor
        fresh.answered_at = moment
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
        _event(
            consultation=fresh,
            referral=referral,
            action="answer",
            actor=actor,
            at=moment,
            payload={"answer": fresh.answer},
        )
        return fresh


def consultation_to_application(
    *,
    consultation: Consultation,
    actor: User,
    now: datetime | None = None,
) -> Consultation:
    """A returned consultation becomes an application: the window's intake comes next."""
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_consultation(consultation)
        _require_first_responder(fresh, actor)
        if fresh.status == ConsultationStatus.APPLICATION:
            return fresh
        _require_transition(fresh.apply, consultation_refusal(fresh, errors.ACTION_APPLY))
        if not (has_role(actor, CLERK) or permissions.is_admin(actor)):
            raise InvalidRequest(errors.APPLICATION_NEEDS_CLERK)
        fresh.apply()
        fresh.updated_at = moment
        fresh.save(update_fields=["status", "updated_at"])
        _event(consultation=fresh, action="apply", actor=actor, at=moment)
        return fresh


def consultation_link_case(
    *,
    consultation: Consultation,
    case: Case,
    actor: User,
    now: datetime | None = None,
) -> Consultation:
    """The window received the application: link the case (call it in the intake transaction).

    Idempotent for the same case (a double-clicked intake); an open referral
    ends as "turned into a case".
    """
    moment = _now(now)
    permissions.require_clerk(actor, case)
    with transaction.atomic():
        fresh = _lock_consultation(consultation)
        if fresh.case_id == case.pk:
            return fresh
        if fresh.case_id is not None:
            raise TransitionRefused(errors.ALREADY_CASE % {"number": fresh.case.number})  # type: ignore[union-attr]
        if Consultation.objects.filter(case=case).exists():
            raise TransitionRefused(errors.CASE_HAS_CONSULTATION % {"number": case.number})
        _require_transition(fresh.become_case, consultation_refusal(fresh, errors.ACTION_CASE))
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(
                consultation=fresh, state__in=[ReferralState.PENDING, ReferralState.ACKNOWLEDGED]
            )
            .first()
        )
        if referral is not None:
            referral.become_case()
            referral.resolved_at = moment
            referral.resolved_by = actor
            referral.acknowledged_at = referral.acknowledged_at or moment
            referral.acknowledged_by = referral.acknowledged_by or actor
            referral.save(
                update_fields=[
                    "state",
                    "resolved_at",
                    "resolved_by",
                    "acknowledged_at",
                    "acknowledged_by",
                ]
            )
        fresh.case = case
        fresh.become_case()
        fresh.updated_at = moment
        fresh.save(update_fields=["case", "status", "updated_at"])
        _event(
            consultation=fresh,
            referral=referral,
            action="case",
            actor=actor,
            at=moment,
            payload={"case": case.pk, "number": case.number},
        )
        _tell_first_responder(
            fresh,
            what=f"consultation:{fresh.pk}:case",
            title=_("【首问】咨询已转为办件 %(number)s：%(item)s")
            % {"number": case.number, "item": case.item.name},
            body=_("您是该办件的首问责任人，请跟踪办理进度直至结果送达申请人。"),
            actor=actor,
        )
        return fresh
