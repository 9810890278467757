"""The append-only, keyed hash chain of a case's audit trail.

Each event's ``hash`` is an HMAC-SHA256 (key named by the event's ``key_id``) over its
content and its predecessor's hash. The keys live in the application's settings
(``ONEWINDOW_AUDIT_KEYS``), never in the database: a database user who may INSERT cannot
append an event that verifies. The first configured key signs new events; retired keys
still verify old ones. Events with an empty ``key_id`` predate keying (plain SHA-256) and
are trusted only up to a signed checkpoint (``workflows.cases.audit``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from workflows.cases import locks
from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class AuditKeyError(ValueError):
    """ONEWINDOW_AUDIT_KEYS cannot be read."""


def audit_keys() -> dict[str, bytes]:
    """The configured HMAC keys by id, the signing (current) key first."""
    keys: dict[str, bytes] = {}
    for item in str(settings.ONEWINDOW_AUDIT_KEYS or "").split(","):
        key_id, sep, secret = item.strip().partition(":")
        if not sep or not key_id or len(secret) < 32 or len(key_id) > 16:
            raise AuditKeyError(
                "ONEWINDOW_AUDIT_KEYS must be 'id:secret,...' (id up to 16, secret 32+ chars)"
            )
        keys[key_id] = secret.encode()
    return keys


def current_key_id() -> str:
    """The id of the key that signs new events."""
    return next(iter(audit_keys()))


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
    key_id: str = "",
) -> str:
    """HMAC-SHA256 (key ``key_id``) over an event's content and its predecessor's hash.

    An empty ``key_id`` is the pre-keying plain SHA-256; an unknown key id raises
    ``KeyError``.
    """
    body: dict[str, Any] = {
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
    if key_id:
        body["kid"] = key_id
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if not key_id:
        return hashlib.sha256(canonical.encode()).hexdigest()
    return hmac.new(audit_keys()[key_id], canonical.encode(), hashlib.sha256).hexdigest()


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
        key_id=event.key_id,
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
    locks.relock_case(case.pk)
    last = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else ""
    created_at = at or timezone.now()
    payload = payload or {}
    clock = clock or {}
    actor_id = actor.pk if actor is not None else None
    key_id = current_key_id()
    event = CaseEvent.objects.create(
        case=case,
        seq=seq,
        action=action,
        # The object, not its id: the listeners (documents print the actor) read it
        # from the event, and this spares them a second read of the user.
        actor=actor,  # type: ignore[misc]  # the project's users are auth.User
        from_status=from_status,
        to_status=to_status,
        payload=payload,
        clock=clock,
        idempotency_key=idempotency_key,
        created_at=created_at,
        prev_hash=prev_hash,
        key_id=key_id,
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
            key_id=key_id,
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
    key_id: str = field(default_factory=current_key_id)

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
            key_id=self.key_id,
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
    "key_id",
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
                        e.key_id,
                        e.hash,
                    )
                )
                written += 1
    return written


def stored_hash_matches(event: CaseEvent) -> bool:
    """Whether ``event``'s stored hash is what its content and key give (False: unknown key)."""
    try:
        return hmac.compare_digest(_stored_hash(event), event.hash)
    except KeyError:
        return False
