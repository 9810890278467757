"""The shared machinery of every transition: lock, replay, FSM step, event, refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from workflows.cases import errors, locks, txn
from workflows.cases.errors import (
    CaseBusy,
    CaseConflict,
    CaseError,
    InvalidRequest,
    TransitionRefused,
)
from workflows.cases.events import record_event
from workflows.cases.models import Case, CaseEvent
from workflows.cases.services._clock import clock_state

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class _Step:
    """What a transition service asks of ``_transition``."""

    action: str
    method: str
    payload: dict[str, Any] = field(default_factory=dict)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _replayed(case_id: int, action: str, key: str | None) -> bool:
    """True when this exact request already happened (same case, action and key)."""
    if not key:
        return False
    existing = CaseEvent.objects.filter(case_id=case_id, idempotency_key=key).first()
    if existing is None:
        return False
    _refuse_reuse(key, used_for=existing.action, action=action)
    return True


def _refuse_reuse(key: str, *, used_for: str, action: str) -> None:
    """Refuse a key that already stands for another action on this case."""
    if used_for != action:
        raise InvalidRequest(f"idempotency key {key!r} was already used for {used_for}")


def _transition(
    *,
    case: Case,
    actor: User | None,
    step: _Step,
    check: Callable[[Case], None],
    apply: Callable[[Case, datetime], None],
    idempotency_key: str | None,
    now: datetime | None,
) -> Case:
    """Run one FSM transition with its checks, clock and event, or refuse clearly."""
    moment = _now(now)
    # Only the intake's own accept steps on the instance its transaction wrote: any
    # later step may follow writes made through other instances (an extension's
    # approval, the flow's first steps), so it reads the row under its lock.
    written = txn.current_events(case) if step.action == "accept" else None
    if written is not None:
        return _transition_written_here(
            case=case,
            written=written,
            actor=actor,
            step=step,
            check=check,
            apply=apply,
            idempotency_key=idempotency_key,
            moment=moment,
        )
    try:
        with transaction.atomic():
            # The case row first, as everywhere (workflows.cases.locks): never a deadlock.
            locks.lock_case(case.pk)
            if _replayed(case.pk, step.action, idempotency_key):
                return Case.objects.get(pk=case.pk)
            fresh = Case.objects.select_related("center", "item", "department").get(pk=case.pk)
            return _apply_step(fresh, actor, step, check, apply, idempotency_key, moment)
    except ConcurrentTransition as exc:
        if idempotency_key and _replayed(case.pk, step.action, idempotency_key):
            return Case.objects.get(pk=case.pk)
        raise CaseConflict(errors.CONCURRENT_CHANGE) from exc
    except IntegrityError as exc:
        # The same key committed by a concurrent request between our check and insert.
        if idempotency_key and _replayed(case.pk, step.action, idempotency_key):
            return Case.objects.get(pk=case.pk)
        raise CaseConflict(errors.CONCURRENT_CHANGE) from exc
    except CaseError:
        raise
    except DatabaseError as exc:
        if locks.is_lock_refusal(exc):
            raise CaseBusy(errors.LOCK_TIMEOUT) from exc
        raise


def _apply_step(
    fresh: Case,
    actor: User | None,
    step: _Step,
    check: Callable[[Case], None],
    apply: Callable[[Case, datetime], None],
    idempotency_key: str | None,
    moment: datetime,
) -> Case:
    """Check, step the FSM, write the row and its event; ``fresh`` is the row as it stands."""
    check(fresh)
    method = getattr(fresh, step.method)
    if not can_proceed(method):
        raise TransitionRefused(
            errors.TRANSITION_NOT_ALLOWED
            % {"status": fresh.get_status_display(), "action": step.action}
        )
    from_status = fresh.status
    method()
    apply(fresh, moment)
    fresh.save()
    record_event(
        case=fresh,
        action=step.action,
        actor=actor,
        from_status=from_status,
        to_status=fresh.status,
        payload=step.payload,
        clock=clock_state(fresh) if fresh.accepted_at else {},
        idempotency_key=idempotency_key,
        at=moment,
    )
    return fresh


def _transition_written_here(
    *,
    case: Case,
    written: dict[str, str],
    actor: User | None,
    step: _Step,
    check: Callable[[Case], None],
    apply: Callable[[Case, datetime], None],
    idempotency_key: str | None,
    moment: datetime,
) -> Case:
    """The transition of a case row this very transaction wrote and still vouches for.

    Nobody else can see the row before commit (``workflows.cases.txn``): no lock
    wait to bound, no concurrent writer to replay or to re-read for. The replay
    check looks at the events this transaction recorded; the event itself still
    takes the row lock and the last link (``record_event``), so the chain is
    written exactly as on every other path. No savepoint: a refusal writes
    nothing, and a failed write fails the enclosing transaction.
    """
    if idempotency_key and idempotency_key in written:
        _refuse_reuse(idempotency_key, used_for=written[idempotency_key], action=step.action)
        return case
    txn.forget(case)  # changed in memory from here on; marked again once written
    try:
        fresh = _apply_step(case, actor, step, check, apply, idempotency_key, moment)
    except ConcurrentTransition as exc:  # the row moved after all: refuse, as elsewhere
        raise CaseConflict(errors.CONCURRENT_CHANGE) from exc
    if idempotency_key:
        written = {**written, idempotency_key: step.action}
    txn.mark_current(fresh, events=written)
    return fresh


def _lock_case(case: Case) -> Case:
    """Row-lock the case for a change that is not a status transition."""
    locks.lock_case(case.pk)
    return Case.objects.select_related("center", "item", "department").get(pk=case.pk)
