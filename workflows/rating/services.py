"""Every write of 好差评: atomic, permission-checked, one ``RatingEvent`` each.

A rating's rules live here: who may rate (the applicant, proved by the last
four digits; or the clerk's counter pad for the case in front of them), one
current rating per case and moment (a newer one replaces it within
``RATING_REVISE_HOURS``, or after a rectification's feedback), a 差评 needs a
reason and opens a rectification whose clocks run in working days on the
legal calendar. Records for the provincial platform go to ``PushRecord`` in
the same transaction; ``push`` sends them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.calendar.api import add_working_days
from workflows.cases.clock import end_of_day, local_date
from workflows.cases.models import Case
from workflows.cases.permissions import is_admin, is_center_clerk, is_supervisor_in_scope
from workflows.catalog.roles import HEAD, has_role, profile_of
from workflows.notifications.models import OutboxMessage
from workflows.notifications.services import Message, notify
from workflows.rating import errors
from workflows.rating.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.rating.models import (
    BAD_LEVELS,
    Appeal,
    Channel,
    ItemRatingPolicy,
    Level,
    Moment,
    PushRecord,
    Rating,
    RatingEvent,
    RatingInvitation,
    Reason,
    Rectification,
)

User = AbstractBaseUser | AnonymousUser
COMMENT_MAX = 500
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
NOTIFICATION_KIND = "rating"
PUBLIC_CHANNELS = (Channel.QR, Channel.CODE, Channel.SMS)


def setting(name: str, default: Any) -> Any:
    """A 好差评 setting (config/settings/base.py reads them from the environment)."""
    return getattr(settings, name, default)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(
    invitation: RatingInvitation,
    action: str,
    *,
    actor: User | None,
    at: datetime,
    rating: Rating | None = None,
    rectification: Rectification | None = None,
    **payload: Any,
) -> RatingEvent:
    return RatingEvent.objects.create(
        invitation=invitation,
        rating=rating,
        rectification=rectification,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        payload=payload,
        created_at=at,
    )


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invitation_row(*, case: Case, moment: str, code: str, at: datetime) -> RatingInvitation:
    """An unsaved invitation to rate ``case`` at ``moment``, made at ``at``, with its default."""
    return RatingInvitation(
        case=case,
        moment=moment,
        code=code,
        created_at=at,
        default_at=at + timedelta(days=int(setting("RATING_DEFAULT_DAYS", 7))),
    )


def rating_row(*, invitation: RatingInvitation, case: Case, **fields: Any) -> Rating:
    """An unsaved rating of ``invitation``, carrying the case's facts (who, where, which item).

    The one place that copies them, for a citizen's rating, a defaulted one and the seeding.
    """
    return Rating(
        invitation=invitation,
        case=case,
        moment=invitation.moment,
        bundle_id=case.parent_id,
        item_id=case.item_id,
        center_id=case.center_id,
        department_id=case.department_id,
        clerk_id=case.received_by_id,
        first_responder_id=case.first_responder_id,
        handler_id=case.handler_id,
        rater_name=case.applicant_name,
        rater_id_type=case.applicant_id_type,
        rater_id_number=case.applicant_id_number,
        rater_phone=case.applicant_phone,
        **fields,
    )


def rectification_row(*, rating: Rating, at: datetime) -> Rectification:
    """An unsaved 整改 of a bad ``rating`` opened at ``at``, with its call-back and due dates."""
    return Rectification(
        rating=rating,
        case_id=rating.case_id,
        center_id=rating.center_id,
        department_id=rating.department_id,
        first_responder_id=rating.first_responder_id,
        opened_at=at,
        call_back_due_at=_due(at, int(setting("RATING_CALL_BACK_WORKING_DAYS", 1))),
        rectify_due_at=_due(at, int(setting("RATING_RECTIFY_WORKING_DAYS", 5))),
    )


def normalize_code(value: str) -> str:
    """A typed 评价码 in its stored spelling (case, spaces and dashes ignored)."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:16]


# ---------------------------------------------------------------- invitations


def moments_for(case: Case) -> tuple[str, ...]:
    """The moments this case's item is rated at: always completion, acceptance if configured."""
    policy = ItemRatingPolicy.objects.filter(item_id=case.item_id).first()
    by_kind = case.item.kind in set(setting("RATING_ACCEPTANCE_ITEM_KINDS", []))
    after_acceptance = policy.after_acceptance if policy is not None else by_kind
    return (Moment.ACCEPTANCE, Moment.COMPLETION) if after_acceptance else (Moment.COMPLETION,)


@transaction.atomic
def rating_invite(*, case: Case, moment: str, now: datetime | None = None) -> RatingInvitation:
    """Open the rating of ``case`` at ``moment`` (the system does it; idempotent)."""
    moment = Moment(moment).value
    existing = RatingInvitation.objects.filter(case_id=case.pk, moment=moment).first()
    if existing is not None:
        return existing
    at = _now(now)
    invitation = invitation_row(case=case, moment=moment, code=_new_code(), at=at)
    invitation.save(force_insert=True)
    _event(invitation, "invite", actor=None, at=at, moment=moment)
    return invitation


def invitation_for(*, code: str) -> RatingInvitation | None:
    """The invitation with this 评价码, or None."""
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH:
        return None
    return (
        RatingInvitation.objects.select_related("case__item", "case__center", "case__department")
        .filter(code=normalized)
        .first()
    )


def rating_url(invitation: RatingInvitation, *, channel: str = Channel.CODE) -> str:
    """The absolute address of the rating page for ``invitation`` by ``channel``."""
    base = str(setting("ONEWINDOW_PUBLIC_URL", "")).rstrip("/")
    name = "rating_sms" if channel == Channel.SMS else "rating_code"
    return base + reverse(name, args=[invitation.code])


# ---------------------------------------------------------------- rating


def _may_start_counter(actor: User | None, case: Case) -> bool:
    return actor is not None and (
        is_admin(actor) or is_center_clerk(actor, case) or actor.pk == case.first_responder_id
    )


def _require_counter(actor: User | None, case: Case) -> None:
    if not _may_start_counter(actor, case):
        raise ActionForbidden(errors.NOT_YOUR_CENTER % {"center": case.center.name})


def _prove_applicant(case: Case, digits: str, ip: str, at: datetime) -> None:
    """The same guard as the citizens' status page: counted, limited, logged (one limiter)."""
    from workflows.firstquestion.services.lookup import status_lookup

    outcome = status_lookup(ip=ip or "0.0.0.0", case_number=case.number, digits=digits, now=at)  # noqa: S104
    if outcome.refusal is not None:
        raise errors.TooManyTries(errors.TOO_MANY_TRIES % {"until": outcome.refusal.until_text()})
    if outcome.case is None or outcome.case.pk != case.pk:
        raise ActionForbidden(errors.WRONG_DIGITS)


def _clean(level: Any, reasons: Iterable[str], comment: str) -> tuple[int, list[str], str]:
    try:
        value = Level(int(level)).value
    except (TypeError, ValueError):
        raise InvalidRequest(errors.LEVEL_INVALID) from None
    picked = list(dict.fromkeys(str(r) for r in reasons if str(r)))
    if any(r not in Reason.values for r in picked):
        raise InvalidRequest(errors.REASON_INVALID)
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise InvalidRequest(errors.COMMENT_TOO_LONG % {"max": COMMENT_MAX})
    if value in BAD_LEVELS and not picked:
        raise InvalidRequest(errors.REASON_REQUIRED)
    # A good rating carries no 差评 reasons.
    return value, (picked if value in BAD_LEVELS else []), text


def may_rate(invitation: RatingInvitation, *, now: datetime | None = None) -> str | None:
    """Why the applicant cannot rate now (a message), or None when they can."""
    at = _now(now)
    current = Rating.objects.filter(invitation=invitation, current=True).first()
    if current is None:
        return None if at <= invitation.default_at else str(errors.PERIOD_OVER)
    rerate = (
        Rectification.objects.filter(
            rating__invitation=invitation,
            state=Rectification.State.CLOSED,
            rerate_until__gte=at,
        )
        .exclude(rating__replaced_by__isnull=False)
        .exists()
    )
    if rerate:
        return None
    if current.defaulted:
        return str(errors.PERIOD_OVER)
    window = timedelta(hours=int(setting("RATING_REVISE_HOURS", 24)))
    return None if at <= current.rated_at + window else str(errors.ALREADY_RATED)


def rating_submit(
    *,
    invitation: RatingInvitation,
    level: Any,
    reasons: Iterable[str] = (),
    comment: str = "",
    channel: str,
    actor: User | None = None,
    digits: str = "",
    ip: str = "",
    device_id: str = "",
    now: datetime | None = None,
) -> Rating:
    """The applicant rates: from a public page (with the digits) or at the counter pad.

    The digits are checked first, in their own transaction: a wrong guess is
    counted (and logged) even though the rating is refused.
    """
    at = _now(now)
    channel = Channel(channel).value
    case = Case.objects.select_related("center").get(pk=invitation.case_id)
    if channel == Channel.WINDOW:
        _require_counter(actor, case)
    elif channel in PUBLIC_CHANNELS:
        _prove_applicant(case, digits, ip, at)
    else:
        raise InvalidRequest(errors.LEVEL_INVALID)
    value, picked, text = _clean(level, reasons, comment)
    return _record(invitation, value, picked, text, channel, actor, device_id, at)


@transaction.atomic
def _record(
    invitation: RatingInvitation,
    value: int,
    picked: list[str],
    text: str,
    channel: str,
    actor: User | None,
    device_id: str,
    at: datetime,
) -> Rating:
    invitation = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
    case = Case.objects.select_related("item", "center", "department", "parent").get(
        pk=invitation.case_id
    )
    refusal = may_rate(invitation, now=at)
    if refusal is not None:
        raise TransitionRefused(refusal)
    previous = Rating.objects.filter(invitation=invitation, current=True).first()
    if previous is not None:
        previous.current = False
        previous.save(update_fields=["current"])
    rating = rating_row(
        invitation=invitation,
        case=case,
        level=value,
        reasons=picked,
        comment=text,
        channel=channel,
        device_id=device_id[:64],
        rated_at=at,
    )
    rating.save(force_insert=True)
    if previous is not None:
        Rating.objects.filter(pk=previous.pk).update(replaced_by=rating)
    _event(
        invitation,
        "rate",
        actor=actor,
        at=at,
        rating=rating,
        level=value,
        reasons=picked,
        channel=channel,
        replaces=previous.pk if previous is not None else None,
    )
    _push(rating, at)
    if value in BAD_LEVELS:
        rectification_open(rating=rating, now=at)
    return rating


@transaction.atomic
def ratings_default_due(*, now: datetime | None = None, limit: int = 1000) -> int:
    """No rating by the end of the period: 基本满意 by default, recorded as defaulted."""
    at = _now(now)
    due = list(
        RatingInvitation.objects.select_for_update(skip_locked=True)
        .filter(defaulted_at__isnull=True, default_at__lt=at)
        .order_by("default_at", "pk")[:limit]
    )
    made = 0
    for invitation in due:
        RatingInvitation.objects.filter(pk=invitation.pk).update(defaulted_at=at)
        if Rating.objects.filter(invitation=invitation).exists():
            continue
        case = Case.objects.get(pk=invitation.case_id)
        rating = rating_row(
            invitation=invitation,
            case=case,
            level=int(setting("RATING_DEFAULT_LEVEL", Level.BASIC)),
            channel=Channel.DEFAULT,
            rated_at=at,
            defaulted=True,
        )
        rating.save(force_insert=True)
        _event(invitation, "default", actor=None, at=at, rating=rating, level=rating.level)
        _push(rating, at)
        made += 1
    return made


@transaction.atomic
def rating_send_sms(
    *, invitation: RatingInvitation, actor: User, now: datetime | None = None
) -> OutboxMessage:
    """Text the applicant the rating link, through the outbox (once per invitation)."""
    at = _now(now)
    invitation = RatingInvitation.objects.select_for_update().get(pk=invitation.pk)
    case = Case.objects.select_related("center", "item").get(pk=invitation.case_id)
    _require_counter(actor, case)
    if not case.applicant_phone.strip():
        raise InvalidRequest(errors.NO_PHONE)
    body = _("【%(center)s】您办理的“%(item)s”（%(number)s）欢迎评价：%(url)s") % {
        "center": case.center.name,
        "item": case.item.name,
        "number": case.number,
        "url": rating_url(invitation, channel=Channel.SMS),
    }
    message, _created = OutboxMessage.objects.get_or_create(
        dedupe_key=f"rating-sms:{invitation.pk}",
        defaults={
            "channel": OutboxMessage.Channel.SMS,
            # The outbox needs a staff recipient: the one who sends it on the applicant's behalf.
            "recipient_id": actor.pk,
            "address": case.applicant_phone.strip(),
            "subject": _("服务评价邀请"),
            "body": body,
        },
    )
    invitation.sms_sent_at = at
    invitation.save(update_fields=["sms_sent_at"])
    _event(invitation, "send_sms", actor=actor, at=at)
    return message


# ---------------------------------------------------------------- rectification


def _due(start: datetime, working_days: int) -> datetime:
    return end_of_day(add_working_days(local_date(start), working_days))


def heads_of(department_id: int) -> list[int]:
    """Active heads of a department."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=HEAD, staff__department_id=department_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def _rectification_url(rectification: Rectification) -> str:
    return reverse("rating:rectification", args=[rectification.pk])


def rectification_open(*, rating: Rating, now: datetime | None = None) -> Rectification:
    """A 差评 opens its 整改, assigned to the department's heads and the first responder."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rectification_open runs inside rating_submit's transaction")
    at = _now(now)
    rectification = rectification_row(rating=rating, at=at)
    rectification.save(force_insert=True)
    _event(
        rating.invitation,
        "open_rectification",
        actor=None,
        at=at,
        rating=rating,
        rectification=rectification,
    )
    case = rating.case
    title = _("【差评待整改】%(number)s %(item)s：%(level)s") % {
        "number": case.number,
        "item": case.item.name,
        "level": Level(rating.level).label,
    }
    body = _("请于%(due)s前回访申请人，并在%(rectify)s前完成核实整改或解释说明。") % {
        "due": timezone.localtime(rectification.call_back_due_at).strftime("%Y-%m-%d"),
        "rectify": timezone.localtime(rectification.rectify_due_at).strftime("%Y-%m-%d"),
    }
    people = dict.fromkeys([*heads_of(rating.department_id), rating.first_responder_id])
    notify(
        Message(
            recipient_id=user_id,
            kind=NOTIFICATION_KIND,
            title=title[:200],
            body=body,
            url=_rectification_url(rectification),
            dedupe_key=f"rating:rectification:{rectification.pk}:open",
            case_id=case.pk,
        )
        for user_id in people
    )
    return rectification


def is_assignee(actor: User | None, rectification: Rectification) -> bool:
    """A head of the handling department, the case's first responder, or an admin."""
    if actor is None:
        return False
    if is_admin(actor) or actor.pk == rectification.first_responder_id:
        return True
    profile = profile_of(actor)
    return (
        has_role(actor, HEAD)
        and profile is not None
        and profile.department_id == rectification.department_id
    )


def _lock(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating__invitation", "case__center", "case__item", "department")
        .get(pk=rectification.pk)
    )


def _require_step(rectification: Rectification, state: str, action: str) -> None:
    if rectification.state != state:
        raise TransitionRefused(
            errors.WRONG_STEP
            % {"state": Rectification.State(rectification.state).label, "action": action}
        )


def _require_assignee(actor: User | None, rectification: Rectification) -> None:
    if not is_assignee(actor, rectification):
        raise ActionForbidden(errors.NOT_ASSIGNED % {"department": rectification.department.name})


def _required(text: str, what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise InvalidRequest(errors.TEXT_REQUIRED % {"what": what})
    return value


@transaction.atomic
def rectification_call_back(
    *, rectification: Rectification, actor: User, note: str, now: datetime | None = None
) -> Rectification:
    """回访: the applicant was called back; what they said."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.CALL_BACK, _("回访"))
    r.call_back_note = _required(note, _("回访记录"))
    r.called_back_at, r.called_back_by_id, r.state = at, actor.pk, Rectification.State.RECTIFY
    r.save(update_fields=["call_back_note", "called_back_at", "called_back_by", "state"])
    _event(r.rating.invitation, "call_back", actor=actor, at=at, rating=r.rating, rectification=r)
    return r


@transaction.atomic
def rectification_resolve(
    *,
    rectification: Rectification,
    actor: User,
    finding: str,
    resolution: str,
    text: str,
    now: datetime | None = None,
) -> Rectification:
    """核实, then 整改 (rectified) or 说明 (explained)."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.RECTIFY, _("核实整改"))
    if resolution not in Rectification.Resolution.values:
        raise InvalidRequest(errors.RESOLUTION_INVALID)
    r.finding = _required(finding, _("核实情况"))
    r.resolution_text = _required(text, _("整改措施或说明"))
    r.resolution, r.resolved_at, r.resolved_by_id = resolution, at, actor.pk
    r.state = Rectification.State.FEEDBACK
    r.save(
        update_fields=[
            "finding",
            "resolution",
            "resolution_text",
            "resolved_at",
            "resolved_by",
            "state",
        ]
    )
    _event(
        r.rating.invitation,
        "resolve",
        actor=actor,
        at=at,
        rating=r.rating,
        rectification=r,
        resolution=resolution,
    )
    return r


@transaction.atomic
def rectification_feed_back(
    *, rectification: Rectification, actor: User, text: str, now: datetime | None = None
) -> Rectification:
    """反馈: the applicant is told what was done, and may rate again."""
    at = _now(now)
    r = _lock(rectification)
    _require_assignee(actor, r)
    _require_step(r, Rectification.State.FEEDBACK, _("反馈"))
    r.feedback_text = _required(text, _("反馈内容"))
    r.fed_back_at, r.fed_back_by_id, r.state = at, actor.pk, Rectification.State.CLOSED
    r.rerate_until = at + timedelta(days=int(setting("RATING_RERATE_DAYS", 7)))
    r.save(update_fields=["feedback_text", "fed_back_at", "fed_back_by", "state", "rerate_until"])
    _event(r.rating.invitation, "feed_back", actor=actor, at=at, rating=r.rating, rectification=r)
    _push_rectification(r, at)
    _text_feedback(r, actor)
    return r


def _text_feedback(r: Rectification, actor: User) -> None:
    """Where SMS is configured, the applicant also gets the result and the link to rate again."""
    phone = r.rating.rater_phone.strip()
    if "sms" not in setting("ONEWINDOW_NOTIFY_CHANNELS", []) or not phone:
        return
    body = _("【%(center)s】您对“%(item)s”的评价已处理：%(text)s 欢迎再次评价：%(url)s") % {
        "center": r.case.center.name,
        "item": r.case.item.name,
        "text": r.feedback_text[:200],
        "url": rating_url(r.rating.invitation, channel=Channel.SMS),
    }
    OutboxMessage.objects.get_or_create(
        dedupe_key=f"rating-feedback:{r.pk}",
        defaults={
            "channel": OutboxMessage.Channel.SMS,
            "recipient_id": actor.pk,
            "address": phone,
            "subject": _("差评处理结果"),
            "body": body,
        },
    )


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


# ---------------------------------------------------------------- the provincial push


def _staff(user: Any) -> dict[str, str]:
    from workflows.catalog.roles import display_name

    return {"name": display_name(user), "id": user.get_username()} if user else {}


def rating_record(rating: Rating) -> dict[str, Any]:
    """The JSON record of a rating for the provincial platform."""
    case = Case.objects.select_related("item", "handler", "received_by").get(pk=rating.case_id)
    staff = case.handler or case.received_by
    service_at = case.decided_at if rating.moment == Moment.COMPLETION else case.accepted_at
    return {
        "record_type": "rating",
        "case_number": case.number,
        "bundle_number": case.parent.number if case.parent_id and case.parent else None,
        "item_code": case.item.code,
        "item_name": case.item.name,
        "applicant_name": rating.rater_name,
        "id_type": rating.rater_id_type,
        "id_number": rating.rater_id_number,
        "phone": rating.rater_phone,
        "staff_name": _staff(staff).get("name", ""),
        "staff_id": _staff(staff).get("id", ""),
        "level": rating.level,
        "level_name": str(Level(rating.level).label),
        "reasons": [str(Reason(r).label) for r in rating.reasons],
        "comment": rating.comment,
        "moment": rating.moment,
        "service_time": service_at.isoformat() if service_at else None,
        "rating_time": rating.rated_at.isoformat(),
        "channel": rating.channel,
        "defaulted": rating.defaulted,
        "case_status": case.status,
        "device_id": rating.device_id,
    }


def _push(rating: Rating, at: datetime) -> None:
    with timezone.override("Asia/Shanghai"):
        payload = rating_record(rating)
    key = f"rating:{rating.pk}"
    payload["dedupe_key"] = key
    PushRecord.objects.create(
        kind=PushRecord.Kind.RATING,
        dedupe_key=key,
        payload=payload,
        created_at=at,
        next_attempt_at=at,
    )


def _push_rectification(r: Rectification, at: datetime) -> None:
    key = f"rectification:{r.pk}"
    payload = {
        "record_type": "rectification",
        "dedupe_key": key,
        "rating_key": f"rating:{r.rating_id}",
        "case_number": r.case.number,
        "called_back_at": r.called_back_at.isoformat() if r.called_back_at else None,
        "finding": r.finding,
        "resolution": r.resolution,
        "resolution_text": r.resolution_text,
        "fed_back_at": r.fed_back_at.isoformat() if r.fed_back_at else None,
        "feedback": r.feedback_text,
        "on_time": bool(r.resolved_at and r.resolved_at <= r.rectify_due_at),
    }
    PushRecord.objects.create(
        kind=PushRecord.Kind.RECTIFICATION,
        dedupe_key=key,
        payload=payload,
        created_at=at,
        next_attempt_at=at,
    )
