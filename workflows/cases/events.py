"""The append-only, hash-chained audit trail of a case."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def event_hash(
    *,
    case_id: int,
    seq: int,
    action: str,
    actor_id: int | None,
    from_status: str,
    to_status: str,
    payload: dict[str, Any],
    clock: dict[str, Any],
    idempotency_key: str | None,
    created_at: datetime,
    prev_hash: str,
) -> str:
    """SHA-256 over an event's content and its predecessor's hash."""
    body = {
        "case": case_id,
        "seq": seq,
        "action": action,
        "actor": actor_id,
        "from": from_status,
        "to": to_status,
        "payload": payload,
        "clock": clock,
        "key": idempotency_key,
        "at": created_at.astimezone(UTC).isoformat(),
        "prev": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored_hash(event: CaseEvent) -> str:
    return event_hash(
        case_id=event.case_id,
        seq=event.seq,
        action=event.action,
        actor_id=event.actor_id,
        from_status=event.from_status,
        to_status=event.to_status,
        payload=event.payload,
        clock=event.clock,
        idempotency_key=event.idempotency_key,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )


def record_event(
    *,
    case: Case,
    action: str,
    actor: AbstractBaseUser | None,
    from_status: str = "",
    to_status: str = "",
    payload: dict[str, Any] | None = None,
    clock: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Append one event to the case's chain and tell the listeners.

    Takes the case row lock so that two writers cannot both claim the next
    sequence number; a transition's own UPDATE already holds it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of its change")
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).get()
    last = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else ""
    created_at = at or timezone.now()
    payload = payload or {}
    clock = clock or {}
    actor_id = actor.pk if actor is not None else None
    event = CaseEvent.objects.create(
        case=case,
        seq=seq,
        action=action,
        actor_id=actor_id,
        from_status=from_status,
        to_status=to_status,
        payload=payload,
        clock=clock,
        idempotency_key=idempotency_key,
        created_at=created_at,
        prev_hash=prev_hash,
        hash=event_hash(
            case_id=case.pk,
            seq=seq,
            action=action,
            actor_id=actor_id,
            from_status=from_status,
            to_status=to_status,
            payload=payload,
            clock=clock,
            idempotency_key=idempotency_key,
            created_at=created_at,
            prev_hash=prev_hash,
        ),
    )
    case_event_recorded.send(sender=Case, case=case, event=event)
    return event


@dataclass(frozen=True)
class NewEvent:
    """One event for a set-based writer (the sweep, seeding); its hash is derived."""

    case_id: int
    seq: int
    action: str
    created_at: datetime
    prev_hash: str = ""
    actor_id: int | None = None
    from_status: str = ""
    to_status: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    clock: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None

    @cached_property
    def hash(self) -> str:
        """This event's link in its case's chain (computed once)."""
        return event_hash(
            case_id=self.case_id,
            seq=self.seq,
            action=self.action,
            actor_id=self.actor_id,
            from_status=self.from_status,
            to_status=self.to_status,
            payload=self.payload,
            clock=self.clock,
            idempotency_key=self.idempotency_key,
            created_at=self.created_at,
            prev_hash=self.prev_hash,
        )


_COPY_COLUMNS = (
    "case_id",
    "seq",
    "action",
    "actor_id",
    "from_status",
    "to_status",
    "payload",
    "clock",
    "idempotency_key",
    "created_at",
    "prev_hash",
    "hash",
)


def copy_events(events: Iterable[NewEvent]) -> int:
    """Append many events with one COPY; return how many.

    No signal is sent: set-based writers handle their own side effects. The
    caller must hold the cases' row locks (or own the cases outright, as
    seeding does) so that nobody appends to the same chains meanwhile.
    """
    table = CaseEvent._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for e in events:
                copy.write_row(
                    (
                        e.case_id,
                        e.seq,
                        e.action,
                        e.actor_id,
                        e.from_status,
                        e.to_status,
                        Jsonb(e.payload),
                        Jsonb(e.clock),
                        e.idempotency_key,
                        e.created_at,
                        e.prev_hash,
                        e.hash,
                    )
                )
                written += 1
    return written


@dataclass(frozen=True)
class BrokenLink:
    """The first event whose stored hash or chain link does not check out."""

    case_number: str
    event_id: int
    seq: int
    reason: str


def verify_chain(events: Iterator[CaseEvent]) -> tuple[int, BrokenLink | None]:
    """Check events ordered by (case, seq); return how many were checked and the first break."""
    checked = 0
    current_case: int | None = None
    expected_seq, expected_prev = 1, ""
    for event in events:
        if event.case_id != current_case:
            current_case, expected_seq, expected_prev = event.case_id, 1, ""
        checked += 1
        reason = ""
        if event.seq != expected_seq:
            reason = f"序号不连续（应为 {expected_seq}）"
        elif event.prev_hash != expected_prev:
            reason = "与上一条记录的哈希链接不符"
        elif _stored_hash(event) != event.hash:
            reason = "内容与其哈希值不符（记录被改动）"
        if reason:
            number = Case.objects.filter(pk=event.case_id).values_list("number", flat=True).first()
            return checked, BrokenLink(number or "?", event.pk, event.seq, reason)
        expected_seq, expected_prev = event.seq + 1, event.hash
    return checked, None
