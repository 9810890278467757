"""The case row's clock: the facts it is derived from, starting it, its dates, its trail view."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from workflows.calendar.api import get_calendar
from workflows.calendar.engine import WorkingCalendar
from workflows.cases.clock import (
    WORKING,
    Clock,
    ClockInput,
    Pause,
    compute_clock,
    end_of_day,
    local_date,
    start_of_day,
)
from workflows.cases.models import Case, Extension, Status
from workflows.cases.snapshot import ItemSnapshot
from workflows.catalog.models import ServiceItem

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def clock_input(case: Case) -> ClockInput:
    """The facts the case's clock is derived from (acceptance, limits, pauses, extension)."""
    if case.accepted_at is None:
        raise ValueError(f"case {case.number} has no clock before acceptance")
    snapshot = case.item_snapshot
    pauses = [
        Pause(
            start=local_date(s.started_at),
            end=local_date(s.ended_at) if s.ended_at else None,
            expected_days=s.expected_days,
        )
        for s in case.suspensions.order_by("started_at")
    ]
    extends_promise = True
    if case.extension_days:
        granted = case.extensions.filter(state=Extension.State.APPROVED).first()
        extends_promise = granted is None or granted.extends_promise
    return ClockInput(
        accepted_on=local_date(case.accepted_at),
        acceptance_day_counts=bool(snapshot.get("acceptance_day_counts", False)),
        promised_days=case.promised_limit_days or 0,
        statutory_days=case.statutory_limit_days or 0,
        extension_days=case.extension_days,
        warning_days=int(snapshot.get("warning_days", 2)),
        pauses=pauses,
        promised_unit=str(snapshot.get("promised_limit_unit", WORKING)),
        statutory_unit=str(snapshot.get("statutory_limit_unit", WORKING)),
        extends_promise=extends_promise,
    )


def _apply_clock(case: Case, cal: WorkingCalendar | None = None) -> Clock:
    clock = compute_clock(clock_input(case), cal or get_calendar())
    case.promised_due_at = end_of_day(clock.promised_due)
    case.statutory_due_at = end_of_day(clock.statutory_due)
    case.warn_at = max(start_of_day(clock.warn_on), case.accepted_at)  # type: ignore[type-var]
    case.due_provisional = clock.provisional
    return clock


def clock_state(case: Case) -> dict[str, Any]:
    """The clock as shown in the audit trail at one step."""
    if case.accepted_at is None:
        deadline = case.deemed_acceptance_at
        return {
            "deemed_acceptance_at": deadline.isoformat() if deadline else None,
            # Labelled like a due date when the 5 working days reach an unpublished year.
            "provisional": bool(deadline)
            and get_calendar().depends_on_provisional(
                local_date(case.received_at),
                local_date(deadline),  # type: ignore[arg-type]
            ),
        }
    return {
        "accepted_at": case.accepted_at.isoformat(),
        "promised_due": local_date(case.promised_due_at).isoformat()
        if case.promised_due_at
        else None,
        "statutory_due": local_date(case.statutory_due_at).isoformat()
        if case.statutory_due_at
        else None,
        "extension_days": case.extension_days,
        "paused": case.status == Status.SUSPENDED,
        "provisional": case.due_provisional,
    }


def _snapshot(item: ServiceItem) -> dict[str, Any]:
    return ItemSnapshot.from_item(item).to_json()


def _start_clock(case: Case, accepted_at: datetime) -> None:
    case.accepted_at = accepted_at
    case.item_snapshot = _snapshot(case.item)
    limits_from = case.item
    if case.parent_id is not None and case.item.is_immediate:
        # A 即办 sub-item of a 一件事 bundle is delivered with the bundle: it runs on
        # the bundle's published limits, not on "today".
        limits_from = case.parent.item  # type: ignore[union-attr]
        case.item_snapshot["limits_from_bundle"] = limits_from.code
        case.item_snapshot["statutory_limit_unit"] = limits_from.statutory_limit_unit
        case.item_snapshot["promised_limit_unit"] = limits_from.promised_limit_unit
    case.statutory_limit_days = limits_from.statutory_limit_days
    case.promised_limit_days = limits_from.promised_limit_days
    case.deemed_acceptance_at = None
    case.alert_level = 0
    _apply_clock(case)


def _end_pauses(case: Case, actor: User | None, moment: datetime) -> None:
    """End the special procedure running on ``case``, if any (resume, decide, withdraw)."""
    case.suspensions.filter(ended_at__isnull=True).update(ended_at=moment, ended_by=actor)
