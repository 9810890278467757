"""The push worker: records to the provincial 好差评 platform, signed, retried, never twice.

Each record is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` in its own
transaction and held while it is sent, so two workers never send the same
record at once; it is marked sent in that transaction. A crash between the
platform's answer and our commit can repeat a send, so every request carries
the record's ``dedupe_key`` (in the body and as ``Idempotency-Key``): the
platform keeps the first. Failures back off exponentially and each one is a
``PushError`` row.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from documents.keyring import current_key
from workflows.rating.models import PushError, PushRecord
from workflows.rating.services._base import setting

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
SIGNATURE_HEADER = "X-OneWindow-Signature"
KEY_ID_HEADER = "X-OneWindow-Key-Id"  # which key of /verify/keys made the signature


@dataclass
class PushReport:
    """What one run of the worker did."""

    sent: int = 0
    failed: int = 0
    configured: bool = True


def sign(body: bytes) -> tuple[str, str]:
    """(key id, base64 Ed25519 signature of the body) with the keyring's current key.

    The public keys, by id, are at /verify/keys.
    """
    key = current_key()
    return key.key_id, base64.b64encode(key.sign(body)).decode("ascii")


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failure: 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _send(url: str, record: PushRecord, timeout: float) -> None:
    body = json.dumps(record.payload, ensure_ascii=False, sort_keys=True).encode()
    key_id, signature = sign(body)
    request = urllib.request.Request(  # noqa: S310 -- the URL is the deployment's setting
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": record.dedupe_key,
            SIGNATURE_HEADER: signature,
            KEY_ID_HEADER: key_id,
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def _one(url: str, timeout: float, now: datetime) -> bool | None:
    """Send the next due record; True sent, False failed, None nothing due."""
    with transaction.atomic():
        record = (
            PushRecord.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if record is None:
            return None
        record.attempts += 1
        try:
            _send(url, record, timeout)
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}"[:2000]
            record.last_error = message
            record.next_attempt_at = now + backoff(record.attempts)
            record.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            PushError.objects.create(record=record, attempt=record.attempts, at=now, error=message)
            logger.warning("rating push %s failed: %s", record.dedupe_key, message)
            return False
        record.sent_at = timezone.now()
        record.save(update_fields=["attempts", "sent_at"])
        return True


def push_pending(*, limit: int = 200, now: datetime | None = None) -> PushReport:
    """Send up to ``limit`` due records to ``ONEWINDOW_RATING_PUSH_URL``."""
    url = str(setting("ONEWINDOW_RATING_PUSH_URL", "") or "")
    report = PushReport(configured=bool(url))
    if not url:
        return report
    timeout = float(setting("RATING_PUSH_TIMEOUT_SECONDS", 10))
    moment = now or timezone.now()
    for _ in range(limit):
        outcome = _one(url, timeout, moment)
        if outcome is None:
            break
        if outcome:
            report.sent += 1
        else:
            report.failed += 1
    return report
