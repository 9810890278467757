"""Every write of 首问负责制: log, refer, answer, decline, link to a case, the status lookup.

Each service is keyword-only, atomic, permission-checked and writes one
``ConsultationEvent`` (append-only) per step; notifications go through
``workflows.notifications.services.notify`` in the same transaction with a
dedupe key. Refusals raise the case errors (``InvalidRequest``,
``TransitionRefused``, ``ActionForbidden``) with the messages of
``workflows.firstquestion.errors``. Lock order is always consultation, then
referral, so two people acting on the same consultation queue instead of
deadlocking.
"""

from __future__ import annotations

import hmac
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.validators import normalize_phone
from workflows.cases import permissions
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.cases.models import Case
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.catalog.roles import CLERK, HEAD, OFFICER, display_name, has_role, profile_of
from workflows.firstquestion import errors, hours
from workflows.firstquestion.models import (
    Channel,
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    LastSeen,
    LookupResult,
    Referral,
    ReferralState,
    TargetKind,
)
from workflows.notifications.services import Message, notify
from workflows.web import limits
from workflows.web.models import LookupScope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

NOTIFICATION_KIND = "first_question"


class LogOutcome(TextChoices):
    """What the staff member did with the question."""

    ANSWER = "answer", gettext_lazy("当场解答")
    REFER = "refer", gettext_lazy("转办")
    APPLY = "apply", gettext_lazy("转为申请")


@dataclass(frozen=True)
class ReferralTarget:
    """Whom a referral goes to: a department, a center's window, or a named colleague."""

    kind: str
    department: Department | None = None
    center: Center | None = None
    user: User | None = None


# ---------------------------------------------------------------- plumbing


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    *,
    consultation: Consultation,
    action: str,
    actor: User | None,
    at: datetime,
    payload: dict[str, Any] | None = None,
    referral: Referral | None = None,
) -> ConsultationEvent:
    return ConsultationEvent.objects.create(
        consultation=consultation,
        referral=referral,
        action=action,
        actor=actor,
        payload=payload or {},
        created_at=at,
    )


def _lock_consultation(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("first_responder", "case")
        .get(pk=consultation.pk)
    )


def _lock_referral(referral: Referral) -> tuple[Consultation, Referral]:
    consultation = Consultation.objects.select_for_update().get(pk=referral.consultation_id)
    fresh = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_department", "to_center", "to_user")
        .get(pk=referral.pk)
    )
    return consultation, fresh


def _consultation_url(consultation: Consultation) -> str:
    return reverse("firstquestion:consultation", kwargs={"pk": consultation.pk})


def _tell_first_responder(
    consultation: Consultation, *, what: str, title: str, body: str = "", actor: User | None
) -> None:
    """An in-app notice to the first responder (not when they did it themselves)."""
    if actor is not None and actor.pk == consultation.first_responder_id:
        return
    notify(
        [
            Message(
                recipient_id=consultation.first_responder_id,
                kind=NOTIFICATION_KIND,
                title=title[:200],
                body=body,
                url=_consultation_url(consultation),
                dedupe_key=f"fq:{what}",
            )
        ]
    )


def rank_of(user: User) -> int:
    """A staff member's rank (higher = senior); 0 without a profile."""
    profile = profile_of(user)
    return profile.rank if profile is not None else 0


def senior_of(logger_user: User, present: Iterable[User]) -> User:
    """The 首问责任人 of staff asked together: the highest rank; the logger wins a tie."""
    candidates = [logger_user, *(u for u in present if u.pk != logger_user.pk)]
    # max() keeps the first of equals, and the logger comes first.
    return max(candidates, key=rank_of)


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


def _require_first_responder(consultation: Consultation, actor: User) -> None:
    if actor.pk != consultation.first_responder_id and not permissions.is_admin(actor):
        raise ActionForbidden(
            errors.ONLY_FIRST_RESPONDER % {"name": display_name(consultation.first_responder)}
        )


def _require_status(consultation: Consultation, allowed: Iterable[str], action: Any) -> None:
    if consultation.status not in set(allowed):
        raise TransitionRefused(
            errors.CONSULTATION_CLOSED
            % {"status": consultation.get_status_display(), "action": action}
        )


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


# ---------------------------------------------------------------- consultations


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
        _require_status(
            fresh,
            (ConsultationStatus.RETURNED, ConsultationStatus.APPLICATION),
            errors.ACTION_REFER,
        )
        cleaned = _clean_target(target, fresh.first_responder)
        referral = _refer(consultation=fresh, actor=actor, target=cleaned, note=note, moment=moment)
        fresh.status = ConsultationStatus.REFERRED
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
        _require_status(
            fresh,
            (
                ConsultationStatus.REFERRED,
                ConsultationStatus.RETURNED,
                ConsultationStatus.APPLICATION,
            ),
            errors.ACTION_ANSWER,
        )
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(
                consultation=fresh, state__in=[ReferralState.PENDING, ReferralState.ACKNOWLEDGED]
            )
            .first()
        )
        if referral is not None:
            referral.state = ReferralState.ANSWERED
            referral.resolved_at = moment
            referral.resolved_by = actor
            referral.answer = answer.strip()
            referral.save(update_fields=["state", "resolved_at", "resolved_by", "answer"])
        fresh.status = ConsultationStatus.ANSWERED
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
        _require_status(fresh, (ConsultationStatus.RETURNED,), errors.ACTION_APPLY)
        if not (has_role(actor, CLERK) or permissions.is_admin(actor)):
            raise InvalidRequest(errors.APPLICATION_NEEDS_CLERK)
        fresh.status = ConsultationStatus.APPLICATION
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
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .filter(
                consultation=fresh, state__in=[ReferralState.PENDING, ReferralState.ACKNOWLEDGED]
            )
            .first()
        )
        if referral is not None:
            referral.state = ReferralState.CASE
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
        fresh.status = ConsultationStatus.CASE
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


# ---------------------------------------------------------------- referrals (receiver's side)


def _require_receiver(referral: Referral, actor: User) -> None:
    if not is_receiver(actor, referral):
        raise ActionForbidden(errors.NOT_RECEIVER)


def _require_open(referral: Referral, action: Any) -> None:
    if not referral.is_open:
        raise TransitionRefused(
            errors.REFERRAL_CLOSED % {"state": referral.get_state_display(), "action": action}
        )


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
        _require_open(fresh, errors.ACTION_ACKNOWLEDGE)
        fresh.state = ReferralState.ACKNOWLEDGED
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
        _require_open(fresh, errors.ACTION_ANSWER)
        fresh.state = ReferralState.ANSWERED
        fresh.acknowledged_at = fresh.acknowledged_at or moment
        fresh.acknowledged_by = fresh.acknowledged_by or actor
        fresh.resolved_at = moment
        fresh.resolved_by = actor
        fresh.answer = answer.strip()
        fresh.save()
        consultation.status = ConsultationStatus.ANSWERED
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
        _require_open(fresh, errors.ACTION_DECLINE)
        fresh.state = ReferralState.DECLINED
        fresh.resolved_at = moment
        fresh.resolved_by = actor
        fresh.decline_reason = reason.strip()
        fresh.save(update_fields=["state", "resolved_at", "resolved_by", "decline_reason"])
        consultation.status = ConsultationStatus.RETURNED
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


# ---------------------------------------------------------------- 我的首问: last seen


def first_question_mark_seen(*, user: User, now: datetime | None = None) -> datetime | None:
    """Remember that ``user`` looked at 我的首问 now; return when they looked before."""
    moment = _now(now)
    previous = LastSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    LastSeen.objects.update_or_create(user=user, defaults={"seen_at": moment})
    return previous


# ---------------------------------------------------------------- the public status lookup

_NUMBER_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,39}")
_DIGITS_RE = re.compile(r"[0-9X]{4}")


@dataclass(frozen=True)
class LookupOutcome:
    """What a status lookup found: the case (only when the digits matched) and the result.

    ``refusal`` (for a refused lookup) says whether the case number is locked
    or the address slowed down, and until when.
    """

    result: str
    case: Case | None = None
    refusal: limits.Refusal | None = None

    @property
    def throttled(self) -> bool:
        """A refusal for the address (a short slow-down), not for the case number."""
        return self.refusal is not None and self.refusal.by_address


def normalize_case_number(value: str) -> str:
    """A typed case number in the stored spelling (full-width forms, dashes, case)."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = re.sub(r"[\s]", "", text)
    return re.sub(r"[—–－‐]", "-", text)[:40]


def normalize_digits(value: str) -> str:
    """The typed last four characters, upper-cased, full-width digits folded."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "").upper())


def is_valid_lookup(number: str, digits: str) -> bool:
    """Both inputs look like a case number and four digits (before counting a guess)."""
    return bool(_NUMBER_RE.fullmatch(number) and _DIGITS_RE.fullmatch(digits))


def _phone_tail(phone: str) -> str:
    # A landline's extension (0753-8123456-801) is not part of the number.
    parts = (phone or "").split("-")
    main = "".join(parts[:2]) if len(parts) >= 3 else "".join(parts)
    digits = re.sub(r"\D", "", main)
    return digits[-4:] if len(digits) >= 4 else ""


def _digits_match(case: Case | None, digits: str) -> bool:
    if case is None:
        # Same work as a real comparison: no timing hint that the number exists.
        hmac.compare_digest("0000", digits)
        return False
    id_tail = (case.applicant_id_number or "").strip().upper()[-4:]
    phone_tail = _phone_tail(case.applicant_phone)
    by_phone = len(phone_tail) == 4 and hmac.compare_digest(phone_tail, digits)
    by_id = len(id_tail) == 4 and hmac.compare_digest(id_tail, digits)
    return by_phone or by_id


def status_lookup(
    *, ip: str, case_number: str, digits: str, now: datetime | None = None
) -> LookupOutcome:
    """One citizen lookup: refused by the limiter, else found or wrong; logged.

    "No such case" and "wrong digits" are the same result. Each attempt is a
    ``LookupAttempt`` row of scope "status" (``workflows.web.limits``): the
    per-number lock is what stops guessing, short and doubling so that a
    stranger cannot shut the applicant out for long; the per-address limit
    only slows a noisy address down for a minute, because many honest
    citizens share one address (a mobile network, a proxy).
    """
    number = normalize_case_number(case_number)
    typed = normalize_digits(digits)

    def probe() -> Case | None:
        case = (
            Case.objects.select_related("item", "department", "center")
            .filter(number=number)
            .first()
        )
        return case if _digits_match(case, typed) else None

    outcome = limits.attempt(LookupScope.STATUS, target=number, ip=ip, probe=probe, now=now)
    if outcome.refusal is not None:
        logger.warning(
            "status lookup refused (too many wrong guesses %s): ip=%s number=%s",
            "from the address" if outcome.refusal.by_address else "for the number",
            limits.safe_for_log(ip),
            limits.safe_for_log(number),
        )
        return LookupOutcome(LookupResult.REFUSED, refusal=outcome.refusal)
    if outcome.found is None:
        logger.info(
            "status lookup wrong guess: ip=%s number=%s",
            limits.safe_for_log(ip),
            limits.safe_for_log(number),
        )
        return LookupOutcome(LookupResult.WRONG)
    return LookupOutcome(LookupResult.FOUND, outcome.found)
