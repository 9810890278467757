"""Invitations to rate: the moments, the 评价码, the rating link and its SMS."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.cases.models import Case
from workflows.notifications.models import OutboxMessage
from workflows.rating import errors
from workflows.rating.errors import InvalidRequest
from workflows.rating.models import (
    Channel,
    ItemRatingPolicy,
    Moment,
    RatingInvitation,
)
from workflows.rating.services._base import User, _event, _now, _require_counter, setting
from workflows.rating.services.rows import invitation_row

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str) -> str:
    """A typed 评价码 in its stored spelling (case, spaces and dashes ignored)."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:16]


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
