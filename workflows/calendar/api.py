"""The calendar every other app uses: ``get_calendar()`` and three shortcuts.

The :class:`~workflows.calendar.engine.WorkingCalendar` is built from the
database once per process and cached. Keeping it fresh:

- a write in this process (always through ``services``) stages a new
  calendar for its own thread at once, so code running later in the same
  transaction (the ``calendar_changed`` receivers) already sees the change;
  on commit it becomes the process-wide calendar. A rollback is noticed by
  the token check below and the staged calendar is dropped;
- other processes' writes are noticed by comparing the token of the single
  ``CalendarVersion`` row (one primary-key lookup) at most every
  ``WORKCALENDAR_RECHECK_SECONDS`` seconds (default 30; 0 checks every call).

Writes that bypass the services are not seen until ``invalidate()``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver

from workflows.calendar.engine import DayKind, WorkingCalendar
from workflows.calendar.models import CalendarVersion, CalendarYear, ExceptionDay

DEFAULT_RECHECK_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class _Entry:
    calendar: WorkingCalendar
    token: str
    checked_at: float


_clock = time.monotonic  # replaced in tests
_lock = threading.Lock()
_cache: _Entry | None = None
_recheck_seconds: float | None = None
_local = threading.local()


def get_calendar() -> WorkingCalendar:
    """The current working calendar: cached per process, rechecked cheaply."""
    global _cache
    staged: _Entry | None = getattr(_local, "staged", None)
    if staged is not None:
        if _current_token() == staged.token:
            return staged.calendar
        # The staging transaction rolled back (or another write superseded it).
        _local.staged = None
    entry = _cache
    now = _clock()
    if entry is not None and now - entry.checked_at < _recheck_interval():
        return entry.calendar
    with _lock:
        entry = _cache
        token = _current_token()
        if entry is not None and entry.token == token:
            _cache = _Entry(entry.calendar, entry.token, now)
            return entry.calendar
        _cache = _load(now)
        return _cache.calendar


def is_working_day(d: date) -> bool:
    """True when ``d`` is a working day (see ``WorkingCalendar.is_working_day``)."""
    return get_calendar().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (see ``WorkingCalendar.add_working_days``)."""
    return get_calendar().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    """Working days from ``a`` to ``b`` (see ``WorkingCalendar.working_days_between``)."""
    return get_calendar().working_days_between(a, b)


def invalidate() -> None:
    """Forget every cached calendar in this process; the next call reloads."""
    global _cache
    with _lock:
        _cache = None
    _local.staged = None


def stage_change() -> WorkingCalendar:
    """Load the calendar as this transaction sees it; publish it to the process on commit.

    Called by the services after every write, inside their transaction.
    """
    staged = _load(_clock())
    _local.staged = staged

    def promote() -> None:
        global _cache
        with _lock:
            _cache = _Entry(staged.calendar, staged.token, _clock())
        if getattr(_local, "staged", None) is staged:
            _local.staged = None

    transaction.on_commit(promote)
    return staged.calendar


def _recheck_interval() -> float:
    global _recheck_seconds
    if _recheck_seconds is None:
        _recheck_seconds = float(
            getattr(settings, "WORKCALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS)
        )
    return _recheck_seconds


@receiver(setting_changed)
def _forget_recheck_interval(*, setting: str, **kwargs: Any) -> None:
    global _recheck_seconds
    if setting == "WORKCALENDAR_RECHECK_SECONDS":
        _recheck_seconds = None


def _current_token() -> str:
    token = CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return "" if token is None else str(token)


def _load(now: float) -> _Entry:
    # One statement, so the token, the years and the days come from one snapshot.
    sql = f"""
        SELECT (SELECT token::text FROM {CalendarVersion._meta.db_table} WHERE id = 1),
               y.year, d.date, d.kind
          FROM {CalendarYear._meta.db_table} y
          LEFT JOIN {ExceptionDay._meta.db_table} d ON d.year_id = y.year
         WHERE y.status = %s
    """  # noqa: S608 -- table names come from model metadata, the value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [CalendarYear.Status.PUBLISHED])
        rows = cursor.fetchall()
    token = (rows[0][0] or "") if rows else _current_token()
    published = {row[1] for row in rows}
    days = {row[2]: DayKind(row[3]) for row in rows if row[2] is not None}
    return _Entry(WorkingCalendar(days, published, version=token), token, now)
