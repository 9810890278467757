"""Office hours and the referral acknowledgement deadline (settings-driven).

Settings (all optional):

- ``FIRSTQUESTION_OFFICE_HOURS``: the day's office periods in local time
  (Asia/Shanghai), default ``[("08:30", "12:00"), ("14:30", "17:30")]``, on the
  working days of ``workflows.calendar.api.get_calendar()``.
- ``FIRSTQUESTION_ACK_MINUTES``: working minutes a receiver has to acknowledge
  a referral made during office hours, default 60. The minutes run only inside
  office periods, so a referral at 11:30 is due at 15:00.

A referral made outside office hours (before opening, over lunch, after
closing, on a rest day) is due at the next opening: whoever receives it must
acknowledge it first thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from workflows.calendar.api import get_calendar
from workflows.calendar.engine import WorkingCalendar

DEFAULT_OFFICE_HOURS = (("08:30", "12:00"), ("14:30", "17:30"))
DEFAULT_ACK_MINUTES = 60
# A year and a bit: no calendar has that many rest days in a row.
_MAX_DAYS = 400

Period = tuple[time, time]


def office_periods() -> list[Period]:
    """The configured office periods of a working day, in order."""
    raw: Sequence[Sequence[str]] = getattr(settings, "FIRSTQUESTION_OFFICE_HOURS", None) or (
        DEFAULT_OFFICE_HOURS
    )
    periods: list[Period] = []
    for pair in raw:
        try:
            start, end = (time.fromisoformat(str(value)) for value in pair)
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"FIRSTQUESTION_OFFICE_HOURS: {pair!r} is not a (start, end) pair like "
                '("08:30", "12:00")'
            ) from exc
        if start >= end or (periods and start < periods[-1][1]):
            raise ImproperlyConfigured(
                "FIRSTQUESTION_OFFICE_HOURS: periods must be in order and not overlap"
            )
        periods.append((start, end))
    if not periods:
        raise ImproperlyConfigured("FIRSTQUESTION_OFFICE_HOURS: at least one period is needed")
    return periods


def ack_minutes() -> int:
    """Working minutes to acknowledge a referral made during office hours."""
    return int(getattr(settings, "FIRSTQUESTION_ACK_MINUTES", DEFAULT_ACK_MINUTES))


def _periods_on(d: date, periods: Sequence[Period]) -> list[tuple[datetime, datetime]]:
    tz = timezone.get_default_timezone()  # office hours are local (settings.TIME_ZONE)
    return [
        (
            timezone.make_aware(datetime.combine(d, opens), tz),
            timezone.make_aware(datetime.combine(d, closes), tz),
        )
        for opens, closes in periods
    ]


def in_office_hours(
    moment: datetime,
    *,
    cal: WorkingCalendar | None = None,
    periods: Sequence[Period] | None = None,
) -> bool:
    """True when ``moment`` falls inside an office period of a working day."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    calendar = cal or get_calendar()
    if not calendar.is_working_day(local.date()):
        return False
    spans = _periods_on(local.date(), periods or office_periods())
    return any(opens <= local < closes for opens, closes in spans)


def ack_due_at(
    start: datetime,
    *,
    minutes: int | None = None,
    cal: WorkingCalendar | None = None,
    periods: Sequence[Period] | None = None,
) -> datetime:
    """When a referral made at ``start`` must be acknowledged (see the module docstring)."""
    calendar = cal or get_calendar()
    spans = periods or office_periods()
    remaining = timedelta(minutes=ack_minutes() if minutes is None else minutes)
    counting = in_office_hours(start, cal=calendar, periods=spans)
    cursor = timezone.localtime(start, timezone.get_default_timezone())
    day = cursor.date()
    for _ in range(_MAX_DAYS):
        if calendar.is_working_day(day):
            for opens, closes in _periods_on(day, spans):
                if cursor >= closes:
                    continue
                if not counting:
                    return opens  # made outside office hours: due at the next opening
                cursor = max(cursor, opens)
                if cursor + remaining <= closes:
                    return cursor + remaining
                remaining -= closes - cursor
                cursor = closes
        day += timedelta(days=1)
    raise ValueError(f"no office hours within {_MAX_DAYS} days of {start.isoformat()}")
