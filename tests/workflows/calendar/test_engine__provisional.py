"""Years without a published arrangement: statutory holidays only, and marked provisional."""

from __future__ import annotations

from datetime import date

from workflows.calendar.engine import DayKind, WorkingCalendar


def test_published_and_provisional_years(reference_calendar: WorkingCalendar) -> None:
    assert reference_calendar.provisional_years() == frozenset(
        set(range(2000, 2004)) | set(range(2027, 2100))
    )
    assert not reference_calendar.is_provisional(date(2026, 12, 31))
    assert reference_calendar.is_provisional(date(2027, 1, 1))
    assert reference_calendar.is_provisional(date(2003, 6, 1))


def test_a_span_reaching_an_unpublished_year_depends_on_it(
    reference_calendar: WorkingCalendar,
) -> None:
    assert not reference_calendar.depends_on_provisional(date(2025, 1, 1), date(2026, 12, 31))
    assert reference_calendar.depends_on_provisional(date(2026, 12, 20), date(2027, 1, 4))
    assert reference_calendar.depends_on_provisional(date(2027, 1, 4), date(2026, 12, 20))
    assert reference_calendar.depends_on_provisional(date(2003, 12, 30), date(2025, 1, 1))


def test_a_provisional_year_has_weekdays_minus_statutory_holidays_and_no_makeup_days(
    reference_calendar: WorkingCalendar,
) -> None:
    # 2027 under the 2024 revision: 元旦 1-01 (Fri); 春节 除夕 2-05 (Fri) + 初一~初三
    # 2-06..2-08 (Sat..Mon); 清明 4-05 (Mon); 劳动节 5-01, 5-02 (weekend);
    # 端午 6-09 (Wed); 中秋 9-15 (Wed); 国庆 10-01 (Fri)..10-03.
    for holiday in ["2027-01-01", "2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09",
                    "2027-09-15", "2027-10-01"]:  # fmt: skip
        assert not reference_calendar.is_working_day(date.fromisoformat(holiday)), holiday
    assert reference_calendar.is_working_day(date(2027, 2, 9))
    assert reference_calendar.is_working_day(date(2027, 10, 4))
    assert not reference_calendar.is_working_day(date(2027, 2, 6))  # a weekend stays a weekend
    assert reference_calendar.working_days_in_year(2027) == 261 - 7


def test_publishing_a_year_replaces_its_statutory_guess() -> None:
    guessed = WorkingCalendar({}, [])
    published = WorkingCalendar(
        {date(2027, 2, 9): DayKind.HOLIDAY, date(2027, 2, 20): DayKind.MAKEUP}, [2027]
    )
    assert not guessed.is_working_day(date(2027, 2, 5))
    assert published.is_working_day(date(2027, 2, 5))  # only the listed days are off now
    assert not published.is_working_day(date(2027, 2, 9))
    assert published.is_working_day(date(2027, 2, 20))
    assert not published.is_provisional(date(2027, 7, 1))
