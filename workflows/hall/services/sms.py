"""The hall's SMS outbox: queue a text in the booking's transaction, send the outbox later."""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workflows.hall.models import SmsMessage


def sms_queue(*, phone: str, body: str, key: str) -> None:
    """Put a text for a citizen in the hall's outbox (sent after commit by ``hall send-sms``)."""
    SmsMessage.objects.get_or_create(dedupe_key=key, defaults={"phone": phone, "body": body})


@transaction.atomic
def sms_send(*, limit: int = 200) -> int:
    """Send the hall's waiting texts through the SMS backend (SKIP LOCKED); return how many."""
    from workflows.notifications.backends import backend_for

    send = backend_for("sms")
    sent = 0
    batch = SmsMessage.objects.select_for_update(skip_locked=True).filter(
        sent_at__isnull=True, attempts__lt=8
    )[:limit]
    for message in batch:
        message.attempts = F("attempts") + 1
        try:
            send(cast(Any, _Outgoing(message)))
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
        else:
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at"])
            sent += 1
    return sent


class _Outgoing:
    """The SmsMessage as the notifications backends read an outbox message."""

    channel = "sms"

    def __init__(self, message: SmsMessage) -> None:
        self.address = message.phone
        self.subject = ""
        self.body = message.body
        self.dedupe_key = message.dedupe_key
