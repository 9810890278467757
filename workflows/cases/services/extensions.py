"""延期 (第四十二条): requesting an extension and the head's decision on it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from workflows.cases import errors, permissions
from workflows.cases.clock import local_date
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.events import record_event
from workflows.cases.lights import due_level, late_on_promise, past_statutory
from workflows.cases.models import OPEN, Case, Extension
from workflows.cases.services._clock import _apply_clock, clock_state
from workflows.cases.services._transition import _lock_case, _now
from workflows.cases.services.inputs import REASON_MAX, _bounded

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def case_request_extension(
    *,
    case: Case,
    actor: User,
    days: int,
    reason: str,
    now: datetime | None = None,
) -> Extension:
    """申请延期 (第四十二条): once per case, capped, within the statutory limit.

    An item whose local rule is stricter (``extension_within_promise``) allows
    it only within the promised limit.
    """
    _bounded(reason=(reason, REASON_MAX))
    moment = _now(now)
    if not reason.strip():
        raise InvalidRequest(errors.REASON_REQUIRED)
    with transaction.atomic():
        fresh = _lock_case(case)
        permissions.require_department(actor, fresh)
        _require_extension_window(fresh, moment)
        cap = int(fresh.item_snapshot.get("max_extension_days", 10))
        if not 1 <= days <= cap:
            raise InvalidRequest(errors.EXTENSION_TOO_LONG % {"max": cap})
        if fresh.extensions.exists():
            raise InvalidRequest(errors.EXTENSION_ALREADY)
        extension = Extension.objects.create(
            case=fresh,
            days=days,
            reason=reason.strip(),
            state=Extension.State.REQUESTED,
            requested_by=actor,
            requested_at=moment,
        )
        record_event(
            case=fresh,
            action="request_extension",
            actor=actor,
            from_status=fresh.status,
            to_status=fresh.status,
            payload={"days": days, "reason": reason.strip(), "extension": extension.pk},
            clock=clock_state(fresh),
            at=moment,
        )
        if not fresh.item_snapshot.get("extension_needs_head", True):
            return _decide_extension(fresh, extension, actor, True, "", moment)
        return extension


def case_decide_extension(
    *,
    case: Case,
    actor: User,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
) -> Extension:
    """审批延期: the department head approves (before the deadline) or refuses."""
    _bounded(note=(note, REASON_MAX))
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_case(case)
        permissions.require_department(actor, fresh, head=True)
        extension = fresh.extensions.filter(state=Extension.State.REQUESTED).first()
        if extension is None:
            raise InvalidRequest(errors.EXTENSION_NOT_PENDING)
        permissions.require_four_eyes(actor, extension.requested_by_id, errors.FOUR_EYES_EXTENSION)
        if approve:
            _require_extension_window(fresh, moment)
        return _decide_extension(fresh, extension, actor, approve, note, moment)


def _require_extension_window(case: Case, moment: datetime) -> None:
    """Refuse an extension outside 第四十二条's window: the statutory limit (or the promise)."""
    if case.status not in OPEN or case.statutory_due_at is None or case.promised_due_at is None:
        raise TransitionRefused(errors.EXTENSION_NOT_OPEN)
    if case.item_snapshot.get("extension_within_promise") and late_on_promise(case, moment):
        raise InvalidRequest(
            errors.EXTENSION_AFTER_DEADLINE % {"due": local_date(case.promised_due_at).isoformat()}
        )
    if past_statutory(case, moment):
        raise InvalidRequest(
            errors.EXTENSION_AFTER_STATUTORY_DEADLINE
            % {"due": local_date(case.statutory_due_at).isoformat()}
        )


def _decide_extension(
    case: Case, extension: Extension, actor: User, approve: bool, note: str, moment: datetime
) -> Extension:
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = moment
    extension.decision_note = note.strip()
    if approve:
        # A promise already broken stays broken: only the statutory date moves.
        extension.extends_promise = case.promised_due_at is not None and (
            moment <= case.promised_due_at
        )
    extension.save()
    old = clock_state(case)
    if approve:
        case.extension_days = extension.days
        _apply_clock(case)
        case.alert_level = _level_now(case, moment)
        case.save()
    record_event(
        case=case,
        action="approve_extension" if approve else "refuse_extension",
        actor=actor,
        from_status=case.status,
        to_status=case.status,
        payload={
            "extension": extension.pk,
            "days": extension.days,
            "note": note.strip(),
            "old_clock": old,
        },
        clock=clock_state(case),
        at=moment,
    )
    return extension


def _level_now(case: Case, moment: datetime) -> int:
    """The warning level the case is at right now, never above what was raised."""
    return min(int(due_level(case, moment)), case.alert_level)
