"""The clock's upkeep: overrunning special procedures, recomputation after a calendar change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value

from workflows.calendar.api import get_calendar
from workflows.calendar.engine import WorkingCalendar
from workflows.cases.clock import deemed_acceptance_deadline, local_date, start_of_day
from workflows.cases.events import record_event
from workflows.cases.models import OPEN, Case, Status, Suspension
from workflows.cases.selectors import cases_depending_on_years
from workflows.cases.services._clock import _apply_clock, clock_state
from workflows.cases.services._transition import _lock_case, _now
from workflows.cases.services.acceptance import acceptance_basis
from workflows.cases.services.processing import suspension_expected_end


@dataclass(frozen=True)
class Overrun:
    """A special procedure the sweep found past its expected duration (warned once)."""

    suspension_id: int
    case_id: int
    number: str
    item_name: str
    procedure: str
    expected_days: int
    expected_end: date
    started_by_id: int
    handler_id: int | None
    center_id: int
    department_id: int


_MARK_OVERRUN = """
UPDATE cases_suspension SET overrun_warned_at = %(now)s
WHERE id = ANY(%(ids)s::bigint[]) AND overrun_warned_at IS NULL AND ended_at IS NULL
RETURNING id
"""


def special_procedures_mark_overrun(*, now: datetime) -> list[Overrun]:
    """Running special procedures past their expected end, each returned exactly once.

    Past = the Beijing day of ``now`` is after the expected end. The UPDATE only
    takes rows not yet warned (re-checked by PostgreSQL under the row lock), so
    two sweeps, even concurrent ones, never both return the same procedure.
    """
    today = local_date(now)
    cal = get_calendar()
    late: dict[int, tuple[Suspension, date]] = {}
    # N working days after the start are at least N calendar days after it, so only a
    # procedure that began before (today − N days), Beijing midnight, can be late; the
    # rest are left in the database instead of loaded and counted every minute.
    latest_start = ExpressionWrapper(
        Value(start_of_day(today)) - F("expected_days") * Value(timedelta(days=1)),
        output_field=DateTimeField(),
    )
    running = Suspension.objects.filter(
        ended_at__isnull=True, overrun_warned_at__isnull=True, started_at__lt=latest_start
    ).select_related("case__item")
    for suspension in running:
        try:
            end = suspension_expected_end(suspension, cal)
        except ValueError:  # beyond the calendar's range: cannot be late yet
            continue
        if today > end:
            late[suspension.pk] = (suspension, end)
    if not late:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_MARK_OVERRUN, {"now": now, "ids": sorted(late)})
        marked = sorted(row[0] for row in cursor.fetchall())
    overruns = []
    for pk in marked:
        suspension, end = late[pk]
        case = suspension.case
        overruns.append(
            Overrun(
                suspension_id=pk,
                case_id=case.pk,
                number=case.number,
                item_name=case.item.name,
                procedure=str(suspension.get_procedure_display()),
                expected_days=suspension.expected_days,
                expected_end=end,
                started_by_id=suspension.started_by_id,
                handler_id=case.handler_id,
                center_id=case.center_id,
                department_id=case.department_id,
            )
        )
    return overruns


def case_recompute_clock(
    *,
    case: Case,
    reason: str,
    cal: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> bool:
    """Re-derive the due dates (e.g. a calendar was published); event only if they moved."""
    moment = _now(now)
    with transaction.atomic():
        fresh = _lock_case(case)
        calendar = cal or get_calendar()
        if fresh.status == Status.RECEIVED and fresh.deemed_acceptance_at is not None:
            basis = acceptance_basis(fresh)
            new = deemed_acceptance_deadline(local_date(basis), calendar)
            if new == fresh.deemed_acceptance_at:
                return False
            old_state = clock_state(fresh)
            fresh.deemed_acceptance_at = new
        elif fresh.status in OPEN and fresh.accepted_at is not None:
            old_state = clock_state(fresh)
            before = (
                fresh.promised_due_at,
                fresh.statutory_due_at,
                fresh.due_provisional,
                fresh.warn_at,
            )
            _apply_clock(fresh, calendar)
            after = (
                fresh.promised_due_at,
                fresh.statutory_due_at,
                fresh.due_provisional,
                fresh.warn_at,
            )
            if before == after:
                return False
        else:
            return False
        fresh.save()
        record_event(
            case=fresh,
            action="recompute_clock",
            actor=None,
            from_status=fresh.status,
            to_status=fresh.status,
            payload={"reason": reason, "old": old_state, "new": clock_state(fresh)},
            clock=clock_state(fresh),
            at=moment,
        )
        return True


def recompute_for_years(years: Iterable[int], cal: WorkingCalendar, reason: str) -> int:
    """Recompute every open deadline that depends on ``years``; return how many moved."""
    moved = 0
    for case in Case.objects.filter(cases_depending_on_years(years)).iterator(chunk_size=500):
        if case_recompute_clock(case=case, reason=reason, cal=cal):
            moved += 1
    return moved
