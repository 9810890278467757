"""The applicant's rating: who may rate, when, what it carries, and the default at the end."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from workflows.cases.models import Case
from workflows.rating import errors
from workflows.rating.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.rating.models import (
    BAD_LEVELS,
    Channel,
    Level,
    Rating,
    RatingInvitation,
    Reason,
    Rectification,
)
from workflows.rating.services._base import User, _event, _now, _require_counter, setting
from workflows.rating.services.records import _push
from workflows.rating.services.rectifications import rectification_open
from workflows.rating.services.rows import rating_row

COMMENT_MAX = 500


PUBLIC_CHANNELS = (Channel.QR, Channel.CODE, Channel.SMS)


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
