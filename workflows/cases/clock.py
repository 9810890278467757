"""The legal clock: due dates derived from acceptance, limits, pauses and extension.

Day counting (docs/design-notes/design.md, 民法典 art. 201): the acceptance day is not counted and
day 1 is the next working day, unless the item says its acceptance day counts.
A special procedure from day S to day R pauses the clock for the working days
after S up to and including R (work was done on S; counting resumes the day
after R). A due date ends at the end of its working day, Asia/Shanghai.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workflows.calendar.engine import WorkingCalendar

# The legal day is the Asia/Shanghai day whatever TIME_ZONE a deployment sets:
# deadlines of Chinese law end at midnight Beijing time.
LEGAL_TZ = ZoneInfo("Asia/Shanghai")

DEEMED_ACCEPTANCE_DAYS = (
    5  # 行政许可法第三十二条: notify within 5 (working) days or deemed accepted
)
WORKING = "working"  # 行政许可法第八十二条: the limits of the law are working days
NATURAL = "natural"  # unless a law says days (e.g. 居民身份证法 60 日)
WARNING_SHARE = 0.2  # yellow at 20% of the limit left, or the item's warning days if larger


@dataclass(frozen=True)
class Pause:
    """A special procedure: started on ``start``, ended on ``end`` (None = still running)."""

    start: date
    end: date | None
    expected_days: int


@dataclass(frozen=True)
class ClockInput:
    """Everything the due dates depend on."""

    accepted_on: date
    acceptance_day_counts: bool
    promised_days: int
    statutory_days: int
    extension_days: int
    warning_days: int
    pauses: Sequence[Pause] = ()
    promised_unit: str = WORKING
    statutory_unit: str = WORKING
    # False when the extension was approved after the promise was broken:
    # the statutory date moves, the broken promise does not (第四十二条).
    extends_promise: bool = True


@dataclass(frozen=True)
class Clock:
    """Derived due dates of one case."""

    promised_due: date
    statutory_due: date
    warn_on: date
    provisional: bool
    paused: bool

    def as_dict(self) -> dict[str, object]:
        """The clock as recorded in events (dates as ISO strings)."""
        return {
            "promised_due": self.promised_due.isoformat(),
            "statutory_due": self.statutory_due.isoformat(),
            "warn_on": self.warn_on.isoformat(),
            "provisional": self.provisional,
            "paused": self.paused,
        }


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime (the legal day)."""
    return moment.astimezone(LEGAL_TZ).date()


def legal_today(now: datetime | None = None) -> date:
    """Today's legal day (Asia/Shanghai), or that of ``now``."""
    return local_date(now or datetime.now(tz=LEGAL_TZ))


def start_of_day(day: date) -> datetime:
    """00:00 Asia/Shanghai on ``day`` (aware)."""
    return datetime.combine(day, time.min, tzinfo=LEGAL_TZ)


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in Asia/Shanghai (aware): a deadline's end."""
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)


def _due(cal: WorkingCalendar, base: date, days: int, pauses: Iterable[Pause]) -> date:
    cursor, remaining = base, days
    for pause in sorted(pauses, key=lambda p: p.start):
        end = pause.end or cal.add_working_days(pause.start, pause.expected_days)
        if pause.start >= cursor:
            counted = cal.working_days_between(cursor, pause.start)
            if counted >= remaining:
                return cal.add_working_days(cursor, remaining)
            remaining -= counted
        cursor = max(cursor, end)
    return cal.add_working_days(cursor, remaining)


def next_working_day_from(cal: WorkingCalendar, day: date) -> date:
    """``day`` if it is a working day, else the first working day after it (民法典第二百零三条)."""
    return cal.add_working_days(day - timedelta(days=1), 1)


def _due_natural(cal: WorkingCalendar, base: date, days: int, pauses: Iterable[Pause]) -> date:
    # Natural days run every day; a pause stops them from its start to its end.
    cursor, remaining = base, days
    for pause in sorted(pauses, key=lambda p: p.start):
        end = pause.end or cal.add_working_days(pause.start, pause.expected_days)
        if pause.start >= cursor:
            counted = (pause.start - cursor).days
            if counted >= remaining:
                return next_working_day_from(cal, cursor + timedelta(days=remaining))
            remaining -= counted
        cursor = max(cursor, end)
    return next_working_day_from(cal, cursor + timedelta(days=remaining))


def due_date(
    cal: WorkingCalendar,
    base: date,
    days: int,
    unit: str,
    extension_days: int,
    pauses: Iterable[Pause],
) -> date:
    """The last day of a limit of ``days`` (in ``unit``) plus an extension in working days."""
    if unit == NATURAL:
        due = _due_natural(cal, base, days, pauses)
        return cal.add_working_days(due, extension_days)
    return _due(cal, base, days + extension_days, pauses)


def warning_threshold(promised_days: int, warning_days: int) -> int:
    """Working days left when the light turns yellow: the item's days or 20%, the larger."""
    return max(warning_days, math.ceil(promised_days * WARNING_SHARE))


def compute_clock(inp: ClockInput, cal: WorkingCalendar) -> Clock:
    """Derive the promised and statutory due dates and the yellow-light day."""
    base = inp.accepted_on - timedelta(days=1) if inp.acceptance_day_counts else inp.accepted_on
    promised_extension = inp.extension_days if inp.extends_promise else 0
    promised_due = due_date(
        cal, base, inp.promised_days, inp.promised_unit, promised_extension, inp.pauses
    )
    statutory_due = due_date(
        cal, base, inp.statutory_days, inp.statutory_unit, inp.extension_days, inp.pauses
    )
    threshold = warning_threshold(inp.promised_days + promised_extension, inp.warning_days)
    warn_on = max(cal.add_working_days(promised_due, -threshold), inp.accepted_on)
    return Clock(
        promised_due=promised_due,
        statutory_due=statutory_due,
        warn_on=min(warn_on, promised_due),
        provisional=cal.depends_on_provisional(base, max(promised_due, statutory_due)),
        paused=any(p.end is None for p in inp.pauses),
    )


def working_days_used(inp: ClockInput, until: date, cal: WorkingCalendar) -> int:
    """Working days the clock ran from acceptance to ``until`` (pauses excluded)."""
    base = inp.accepted_on - timedelta(days=1) if inp.acceptance_day_counts else inp.accepted_on
    used = cal.working_days_between(base, until)
    for pause in inp.pauses:
        end = min(pause.end or until, until)
        start = max(pause.start, base)
        if end > start:
            used -= cal.working_days_between(start, end)
    return max(used, 0)


def deemed_acceptance_deadline(received_on: date, cal: WorkingCalendar) -> datetime:
    """End of the 5th working day after receipt: silence past it means acceptance."""
    return end_of_day(cal.add_working_days(received_on, DEEMED_ACCEPTANCE_DAYS))


def due_is_provisional(
    accepted_at: datetime | None, due_at: datetime | None, cal: WorkingCalendar
) -> bool:
    """True when one due date rests on a year whose holidays are not yet published.

    ``Case.due_provisional`` says that *some* date of the case is 暂定; a promised
    date inside a published year is firm even when the statutory one reaches into
    the next, unpublished year (a 一件事 accepted in December).
    """
    if accepted_at is None or due_at is None:
        return False
    try:
        return cal.depends_on_provisional(local_date(accepted_at), local_date(due_at))
    except ValueError:  # beyond the calendar's range: nothing is firm there
        return True
