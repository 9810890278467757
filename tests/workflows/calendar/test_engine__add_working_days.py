"""add_working_days: the worked examples and the counting convention.

The examples are those of docs/design-notes/domain.md §8.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from workflows.calendar import api
from workflows.calendar.engine import (
    DATE_OUT_OF_RANGE,
    CalendarRangeError,
    DayKind,
    WorkingCalendar,
)

# docs/design-notes/domain.md §8, "Worked examples": start (not counted), working days, deadline.
WORKED_EXAMPLES = [
    (date(2025, 1, 20), 5, date(2025, 1, 26)),  # the make-up Sunday counts
    (date(2025, 9, 26), 5, date(2025, 10, 10)),  # 9-28, 9-29, 9-30, 10-09, 10-10
    (date(2025, 9, 30), 1, date(2025, 10, 9)),
    (date(2026, 2, 12), 3, date(2026, 2, 24)),  # 2-13, 2-14 (make-up Sat), 2-24
    (date(2026, 9, 18), 10, date(2026, 10, 9)),
    (date(2025, 4, 25), 20, date(2025, 5, 27)),  # 4-27 counts; 5-1 to 5-5 do not
]


@pytest.mark.parametrize(("start", "days", "deadline"), WORKED_EXAMPLES)
def test_worked_examples_on_the_reference_calendar(
    reference_calendar: WorkingCalendar, start: date, days: int, deadline: date
) -> None:
    assert reference_calendar.add_working_days(start, days) == deadline
    assert reference_calendar.working_days_between(start, deadline) == days
    assert not reference_calendar.depends_on_provisional(start, deadline)


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "deadline"), WORKED_EXAMPLES)
def test_worked_examples_on_the_database_calendar(start: date, days: int, deadline: date) -> None:
    assert api.add_working_days(start, days) == deadline
    assert api.working_days_between(start, deadline) == days


def test_a_makeup_saturday_counts(reference_calendar: WorkingCalendar) -> None:
    # 2026-02-14 is a Saturday declared a working day for 春节.
    assert reference_calendar.is_working_day(date(2026, 2, 14))
    assert reference_calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)


def test_a_makeup_sunday_counts(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.is_working_day(date(2025, 9, 28))
    assert reference_calendar.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_a_holiday_monday_does_not_count(reference_calendar: WorkingCalendar) -> None:
    # 2025-05-05 (Mon) is off for 劳动节; 2025-06-02 (Mon) for 端午节.
    assert not reference_calendar.is_working_day(date(2025, 5, 5))
    assert not reference_calendar.is_working_day(date(2025, 6, 2))
    assert reference_calendar.add_working_days(date(2025, 5, 30), 1) == date(2025, 6, 3)


def test_an_ordinary_weekend_does_not_count(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)


def test_the_start_day_is_never_counted(reference_calendar: WorkingCalendar) -> None:
    # Whether the start is a working day (Mon) or not (Sat), day 1 is the next working day.
    assert reference_calendar.add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)
    assert reference_calendar.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)
    assert reference_calendar.add_working_days(date(2025, 10, 1), 1) == date(2025, 10, 9)


def test_zero_days_returns_the_start(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_negative_days_count_backwards_strictly_before_the_start(
    reference_calendar: WorkingCalendar,
) -> None:
    assert reference_calendar.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert reference_calendar.add_working_days(date(2025, 10, 5), -1) == date(2025, 9, 30)
    assert reference_calendar.add_working_days(date(2025, 10, 10), -5) == date(2025, 9, 26)
    assert reference_calendar.add_working_days(date(2025, 1, 27), -1) == date(2025, 1, 26)


def test_dates_outside_the_calendar_are_refused(reference_calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError) as raised:
        reference_calendar.add_working_days(date(1999, 12, 31), 1)
    assert str(raised.value) == DATE_OUT_OF_RANGE.format(
        date="1999-12-31", first=date(2000, 1, 1), last=date(2099, 12, 31)
    )
    with pytest.raises(CalendarRangeError):
        reference_calendar.is_working_day(date(2100, 1, 1))
    with pytest.raises(CalendarRangeError):
        reference_calendar.working_days_between(date(2025, 1, 1), date(2100, 1, 4))


def test_a_result_beyond_the_calendar_is_refused(reference_calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError, match="超出工作日历的范围"):
        reference_calendar.add_working_days(date(2099, 12, 20), 30)
    with pytest.raises(CalendarRangeError, match="超出工作日历的范围"):
        reference_calendar.add_working_days(date(2000, 1, 5), -10)


def test_the_range_error_is_a_value_error() -> None:
    assert issubclass(CalendarRangeError, ValueError)


# ---------------------------------------------------------------- the edges of the range

# Monday to Friday over the whole range, every year published: 2000-01-01 is a
# Saturday, 2000-01-03 the first working day, Thursday 2099-12-31 the last.
PLAIN = WorkingCalendar({}, range(2000, 2100))
JUST_OUTSIDE = [date(1999, 12, 31), date(2100, 1, 1)]


def test_the_first_and_last_days_of_the_range_are_in_it() -> None:
    assert not PLAIN.is_working_day(date(2000, 1, 1))
    assert PLAIN.is_working_day(date(2000, 1, 3))
    assert PLAIN.is_working_day(date(2099, 12, 31))
    assert PLAIN.add_working_days(date(2000, 1, 1), 0) == date(2000, 1, 1)
    assert PLAIN.add_working_days(date(2000, 1, 1), 1) == date(2000, 1, 3)
    assert PLAIN.add_working_days(date(2000, 1, 4), -1) == date(2000, 1, 3)
    assert PLAIN.add_working_days(date(2099, 12, 30), 1) == date(2099, 12, 31)
    assert PLAIN.add_working_days(date(2099, 12, 31), 0) == date(2099, 12, 31)
    assert PLAIN.add_working_days(date(2099, 12, 31), -1) == date(2099, 12, 30)
    ordinals = range(date(2000, 1, 2).toordinal(), date(2100, 1, 1).toordinal())
    weekdays = sum(1 for n in ordinals if date.fromordinal(n).weekday() < 5)
    assert PLAIN.working_days_between(date(2000, 1, 1), date(2099, 12, 31)) == weekdays
    assert PLAIN.working_days_between(date(2099, 12, 31), date(2000, 1, 1)) < 0


@pytest.mark.parametrize("day", JUST_OUTSIDE)
def test_every_query_refuses_a_day_just_outside_the_range(day: date) -> None:
    inside = date(2025, 1, 1)
    queries = [
        lambda: PLAIN.is_working_day(day),
        lambda: PLAIN.add_working_days(day, 1),
        lambda: PLAIN.add_working_days(day, -1),
        lambda: PLAIN.add_working_days(day, 0),
        lambda: PLAIN.working_days_between(day, inside),
        lambda: PLAIN.working_days_between(inside, day),
        lambda: PLAIN.is_provisional(day),
        lambda: PLAIN.depends_on_provisional(day, inside),
        lambda: PLAIN.depends_on_provisional(inside, day),
        lambda: WorkingCalendar({day: DayKind.HOLIDAY}, []),
    ]
    for query in queries:
        with translation.override("zh-hans"), pytest.raises(CalendarRangeError) as raised:
            query()
        assert str(raised.value) == (
            f"日期 {day.isoformat()} 超出工作日历的范围（2000-01-01 至 2099-12-31）。"
            "请使用此范围内的日期。"
        )


def test_a_result_just_outside_the_range_is_refused_with_its_reason() -> None:
    with translation.override("zh-hans"):
        with pytest.raises(CalendarRangeError) as raised:
            PLAIN.add_working_days(date(2099, 12, 31), 1)
        assert str(raised.value) == (
            "从 2099-12-31 起第 1 个工作日超出工作日历的范围"
            "（2000-01-01 至 2099-12-31），无法计算。"
        )
        with pytest.raises(CalendarRangeError) as raised:
            PLAIN.add_working_days(date(2000, 1, 3), -1)
        assert str(raised.value) == (
            "从 2000-01-03 起第 -1 个工作日超出工作日历的范围"
            "（2000-01-01 至 2099-12-31），无法计算。"
        )
    with pytest.raises(CalendarRangeError):
        PLAIN.add_working_days(date(2000, 1, 1), -1)


def test_the_range_errors_read_in_english_too() -> None:
    with translation.override("en"), pytest.raises(CalendarRangeError) as raised:
        PLAIN.is_working_day(date(2100, 1, 1))
    assert str(raised.value) == (
        "The date 2100-01-01 is outside the range of the working calendar "
        "(2000-01-01 to 2099-12-31). Use a date within this range."
    )


def test_exception_days_come_as_the_database_spells_them_at_both_ends_of_the_range() -> None:
    # CalendarDay.kind is the plain string "holiday" or "makeup".
    calendar = WorkingCalendar({date(2000, 1, 1): "makeup", date(2099, 12, 31): "holiday"}, [])
    assert calendar.is_working_day(date(2000, 1, 1))
    assert not calendar.is_working_day(date(2099, 12, 31))
    assert calendar.add_working_days(date(2099, 12, 31), -1) == date(2099, 12, 30)
    assert (DayKind.HOLIDAY, DayKind.MAKEUP) == ("holiday", "makeup")
