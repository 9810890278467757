"""get_calendar(): built once, refreshed on commit here and by token check elsewhere."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from workflows.calendar import api
from workflows.calendar.arrangements import DaySpec
from workflows.calendar.engine import DayKind, WorkingCalendar
from workflows.calendar.models import CalendarVersion, CalendarYear, ExceptionDay
from workflows.calendar.services import calendar_publish_year

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(api, "_clock", fake)
    return fake


def _another_process_publishes_a_holiday_on(day: date) -> None:
    # What a commit elsewhere looks like from here: new rows and a new token.
    ExceptionDay.objects.create(date=day, kind="holiday", festival="测试", year_id=day.year)
    CalendarVersion.objects.filter(pk=1).update(token=uuid.uuid4())


def _publish_holiday_on(day: date) -> None:
    calendar_publish_year(
        year=day.year,
        days=[
            *(
                DaySpec(d.date, DayKind(d.kind), d.festival)
                for d in ExceptionDay.objects.filter(year_id=day.year)
            ),
            DaySpec(day, DayKind.HOLIDAY, "测试"),
        ],
        notice="测试",
        actor=None,
    )


def test_the_calendar_is_built_once_and_then_served_without_queries(
    django_assert_num_queries: Any,
) -> None:
    first = api.get_calendar()
    with django_assert_num_queries(0):
        assert api.get_calendar() is first
        assert api.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
        assert api.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
        assert api.is_working_day(date(2025, 10, 11))


def test_another_processes_change_is_seen_after_the_recheck_interval(
    clock: Clock, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.WORKCALENDAR_RECHECK_SECONDS = 30
    assert api.is_working_day(MONDAY)
    _another_process_publishes_a_holiday_on(MONDAY)
    clock.now += 29
    assert api.is_working_day(MONDAY)  # not rechecked yet
    clock.now += 2
    assert not api.is_working_day(MONDAY)
    clock.now += 31
    with django_assert_num_queries(1):  # the recheck is one token lookup
        assert not api.is_working_day(MONDAY)


def test_a_zero_interval_rechecks_on_every_call(clock: Clock, settings: Any) -> None:
    settings.WORKCALENDAR_RECHECK_SECONDS = 0
    assert api.is_working_day(MONDAY)
    _another_process_publishes_a_holiday_on(MONDAY)
    assert not api.is_working_day(MONDAY)


def test_a_committed_change_replaces_the_process_calendar_at_once(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    before = api.get_calendar()
    with django_capture_on_commit_callbacks(execute=True):
        _publish_holiday_on(MONDAY)
    # Other threads (own connection, so no staged calendar) get the new one without waiting.
    seen: list[WorkingCalendar] = []
    thread = threading.Thread(target=lambda: seen.append(api._cache.calendar))  # type: ignore[union-attr]
    thread.start()
    thread.join()
    assert seen[0] is not before
    assert not seen[0].is_working_day(MONDAY)
    assert not api.is_working_day(MONDAY)


def test_an_uncommitted_change_is_seen_only_by_its_own_thread(clock: Clock) -> None:
    before = api.get_calendar()
    _publish_holiday_on(MONDAY)
    assert not api.is_working_day(MONDAY)  # this thread, inside the transaction
    assert api._cache is not None
    assert api._cache.calendar is before  # the process-wide calendar waits for the commit


def test_a_rolled_back_change_is_forgotten(clock: Clock) -> None:
    assert api.is_working_day(MONDAY)
    seen_inside: list[bool] = []

    @transaction.atomic
    def publish_then_fail() -> None:
        _publish_holiday_on(MONDAY)
        seen_inside.append(api.is_working_day(MONDAY))
        raise RuntimeError("abandon")

    with pytest.raises(RuntimeError, match="abandon"):
        publish_then_fail()
    assert seen_inside == [False]
    assert api.is_working_day(MONDAY)
    assert not CalendarYear.objects.filter(year=2026, notice="测试").exists()


def test_the_calendar_is_loaded_in_one_query() -> None:
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        api.get_calendar()
    assert len(queries) == 2  # the token check, then one snapshot of token, years and days
