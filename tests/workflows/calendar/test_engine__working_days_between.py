"""working_days_between: the working days d with a < d <= b, negated when b < a."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from workflows.calendar.engine import CalendarRangeError, WorkingCalendar


def test_counts_working_days_after_a_up_to_and_including_b(
    reference_calendar: WorkingCalendar,
) -> None:
    assert reference_calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    assert reference_calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert reference_calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


def test_same_day_is_zero(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.working_days_between(date(2025, 5, 6), date(2025, 5, 6)) == 0
    assert reference_calendar.working_days_between(date(2025, 5, 3), date(2025, 5, 3)) == 0


def test_backwards_is_negative(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.working_days_between(date(2025, 10, 10), date(2025, 9, 26)) == -5
    assert reference_calendar.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1


def test_backwards_between_working_days_is_antisymmetric(
    reference_calendar: WorkingCalendar,
) -> None:
    a, b = date(2025, 9, 26), date(2025, 10, 10)
    assert reference_calendar.working_days_between(
        b, a
    ) == -reference_calendar.working_days_between(a, b)


def test_backwards_is_minus_forwards_even_from_a_rest_day(
    reference_calendar: WorkingCalendar,
) -> None:
    # Sunday 2025-10-05 back to Tuesday 09-30: minus the working days in (09-30, 10-05].
    rest_day, working_day = date(2025, 10, 5), date(2025, 9, 30)
    assert reference_calendar.working_days_between(working_day, rest_day) == 0
    assert reference_calendar.working_days_between(rest_day, working_day) == 0
    assert reference_calendar.working_days_between(date(2025, 10, 9), working_day) == -1


def test_whole_years_have_248_working_days(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 248
    assert reference_calendar.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 248
    assert reference_calendar.working_days_in_year(2025) == 248
    assert reference_calendar.working_days_in_year(2026) == 248


def test_a_plain_year_counts_its_first_and_last_day() -> None:
    # Monday to Friday, nothing published off: 2025-01-01 (Wed) and 2025-12-31 (Wed) count.
    plain = WorkingCalendar({}, range(2000, 2100))
    assert plain.working_days_in_year(2025) == 261
    assert plain.working_days_in_year(2000) == 260  # the first year of the range
    assert plain.working_days_in_year(2099) == 261  # the last
    off = WorkingCalendar({date(2025, 1, 1): "holiday", date(2025, 12, 31): "holiday"}, [2025])
    assert off.working_days_in_year(2025) == 259


@pytest.mark.parametrize("year", [1999, 2100])
def test_a_year_outside_the_range_is_refused(year: int) -> None:
    message = f"年份 {year} 超出工作日历的范围（2000 至 2099 年）。"
    with translation.override("zh-hans"):
        with pytest.raises(CalendarRangeError) as raised:
            WorkingCalendar({}, []).working_days_in_year(year)
        assert str(raised.value) == message
        with pytest.raises(CalendarRangeError) as raised:
            WorkingCalendar({}, [2025, year])
        assert str(raised.value) == message
