"""Webhooks: the outbox written in the event's transaction, and its signed delivery.

At least once: a delivery is retried with exponential backoff until the
endpoint answers 2xx (or ``MAX_ATTEMPTS`` is reached); each attempt is logged.
The body carries ``id`` (the event id, the same on every retry) so a receiver
dedupes, and ``X-OneWindow-Signature`` is HMAC-SHA256 over the exact body with
the subscription's secret.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from workflows.api.models import DeliveryAttempt, Subscription, WebhookDelivery
from workflows.api.signing import SIGNATURE_HEADER, sign
from workflows.cases import txn
from workflows.cases.models import Case, CaseEvent
from workflows.catalog.models import Center

# Case actions → the event types a system can subscribe to.
EVENT_TYPES: dict[str, str] = {
    "receive": "case.received",
    "accept": "case.accepted",
    "deem_accept": "case.accepted",
    "request_correction": "case.correction_requested",
    "supplement": "case.supplemented",
    "reject": "case.rejected",
    "start": "case.started",
    "suspend": "case.suspended",
    "resume": "case.resumed",
    "decide": "case.decided",
    "close": "case.delivered",
    "withdraw": "case.withdrawn",
    "request_extension": "case.extension_requested",
    "decide_extension": "case.extension_decided",
}
# Raised by the deadline sweep's escalations (promised and statutory limits), not by a case action.
OVERDUE = "case.overdue"
# supervision.models.Level RED and STATUTORY_RED.
OVERDUE_LEVELS = {2: "overdue", 3: "statutory_overdue"}
ALL_EVENTS = sorted({*EVENT_TYPES.values(), OVERDUE})
# Overdue event ids derive from the escalation, so a second write of the same one is a no-op.
_OVERDUE_NAMESPACE = uuid.UUID("6f1c1c2e-4c1a-4a53-9a3e-0e5f3c6d8b21")

MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 5.0
BATCH = 100


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, … capped at 6 h."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def event_payload(case: Case, event: CaseEvent, event_type: str, event_id: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event_type,
        "occurred_at": event.created_at.isoformat(),
        "case": {
            "number": case.number,
            "item": case.item.code if case.item_id else "",
            "center": case.center.code if case.center_id else "",
            "status": case.status,
        },
        "data": {
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "clock": event.clock,
        },
    }


SUBSCRIPTIONS_READ = "api.active_subscriptions"


def _read_subscriptions() -> list[Subscription]:
    return list(
        Subscription.objects.filter(is_active=True, client__is_active=True).select_related(
            "client__center"
        )
    )


def active_subscriptions() -> list[Subscription]:
    """The active subscriptions, read once per transaction (one intake writes two events).

    A subscription saved by another request during the transaction counts from
    the next one, as if it had been saved just after this one committed; one
    saved in this process drops the read (``workflows.api.receivers``).
    """
    return txn.once_per_transaction(SUBSCRIPTIONS_READ, _read_subscriptions)


def enqueue(case: Case, event: CaseEvent) -> int:
    """Write one outbox row per subscription that wants this event (inside its transaction)."""
    event_type = EVENT_TYPES.get(event.action)
    if event_type is None:
        return 0
    path = case.center.path
    subscriptions = [
        s
        for s in active_subscriptions()
        if path.startswith(s.client.center.path) and event_type in (s.events or [])
    ]
    rows = []
    for subscription in subscriptions:
        row = WebhookDelivery(
            subscription=subscription,
            case=case,
            event_type=event_type,
            next_attempt_at=event.created_at,
            created_at=event.created_at,
            payload={},
        )
        row.payload = event_payload(case, event, event_type, str(row.event_id))
        rows.append(row)
    WebhookDelivery.objects.bulk_create(rows)
    return len(rows)


class EscalationRow(Protocol):
    """An escalation the sweep just inserted (supervision.services.NewEscalation)."""

    # Read-only: the sweep hands over frozen dataclasses.
    @property
    def id(self) -> int: ...
    @property
    def case_id(self) -> int: ...
    @property
    def level(self) -> int: ...
    @property
    def center_id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def deadline_at(self) -> datetime | None: ...


def enqueue_overdue(escalations: Sequence[EscalationRow], now: datetime) -> int:
    """Write one ``case.overdue`` outbox row per (red or statutory red) escalation and subscription.

    Called in the sweep's transaction with the escalations it just inserted, so
    the rows commit with them or not at all. A few statements whatever the
    batch: subscriptions, then the cases and centers of the escalations.
    """
    breaches = [e for e in escalations if e.level in OVERDUE_LEVELS]
    if not breaches:
        return 0
    subscriptions = [
        s
        for s in Subscription.objects.filter(is_active=True, client__is_active=True).select_related(
            "client__center"
        )
        if OVERDUE in (s.events or [])
    ]
    if not subscriptions:
        return 0
    centers = {
        c["id"]: c
        for c in Center.objects.filter(pk__in={e.center_id for e in breaches}).values(
            "id", "code", "path"
        )
    }
    cases = {
        c["id"]: c
        for c in Case.objects.filter(pk__in={e.case_id for e in breaches}).values(
            "id", "status", "item__code"
        )
    }
    rows = []
    for e in breaches:
        center, case = centers[e.center_id], cases[e.case_id]
        event_id = uuid.uuid5(_OVERDUE_NAMESPACE, f"escalation:{e.id}")
        payload = {
            "id": str(event_id),
            "type": OVERDUE,
            "occurred_at": now.isoformat(),
            "case": {
                "number": e.number,
                "item": case["item__code"] or "",
                "center": center["code"],
                "status": case["status"],
            },
            "data": {
                "level": OVERDUE_LEVELS[e.level],
                "deadline_at": e.deadline_at.isoformat() if e.deadline_at else None,
                "escalation": e.id,
            },
        }
        for subscription in subscriptions:
            if center["path"].startswith(subscription.client.center.path):
                rows.append(
                    WebhookDelivery(
                        event_id=event_id,
                        subscription=subscription,
                        case_id=e.case_id,
                        event_type=OVERDUE,
                        payload=payload,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError) as exc:
        return None, str(exc)[:300]


def deliver_one(delivery: WebhookDelivery, now: datetime) -> bool:
    """Try one delivery once, log the attempt, schedule the next one; True when delivered."""
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OneWindow-Webhooks/1",
        "X-OneWindow-Event": delivery.event_type,
        "X-OneWindow-Event-Id": str(delivery.event_id),
        "X-OneWindow-Delivery-Attempt": str(delivery.attempts + 1),
        SIGNATURE_HEADER: sign(subscription.secret, body),
    }
    started = time.monotonic()
    status, error = _post(subscription.url, body, headers)
    duration = int((time.monotonic() - started) * 1000)
    DeliveryAttempt.objects.create(
        delivery=delivery, at=now, status_code=status, error=error, duration_ms=duration
    )
    delivery.attempts += 1
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "state", "delivered_at", "next_attempt_at"])
    return ok


def deliver_due(now: datetime | None = None, limit: int = BATCH) -> tuple[int, int]:
    """Send every pending delivery whose time has come: (delivered, failed attempts).

    Rows are claimed with ``FOR UPDATE SKIP LOCKED``, so two workers never send
    the same attempt.
    """
    delivered = failed = 0
    while True:
        moment = now or timezone.now()
        with transaction.atomic():
            batch = list(
                WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscription")
                .filter(Q(state=WebhookDelivery.State.PENDING), next_attempt_at__lte=moment)
                .order_by("next_attempt_at", "pk")[:limit]
            )
            for delivery in batch:
                if deliver_one(delivery, moment):
                    delivered += 1
                else:
                    failed += 1
        if len(batch) < limit:
            return delivered, failed
