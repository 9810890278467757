"""Years without a published arrangement: guessed by the provisional rule, marked provisional."""

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


def test_a_provisional_year_follows_the_statutory_holidays_and_the_2024_layout(
    reference_calendar: WorkingCalendar,
) -> None:
    # 2027 under the 2024 revision and layout: 元旦 1-01 (Fri); 春节 8 days from
    # 除夕 2-05 (Fri) to 2-12, worked back on Sundays 1-31 and 2-14; 清明 4-05 (Mon);
    # 劳动节 5-01..5-05, its weekend holidays given back (article 6), Sat 5-08 worked;
    # 端午 6-09 (Wed); 中秋 9-15 (Wed); 国庆 10-01..10-07, Sun 9-26 and Sat 10-09 worked.
    for holiday in ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-12", "2027-04-05",
                    "2027-05-03", "2027-05-05", "2027-06-09", "2027-09-15", "2027-10-01",
                    "2027-10-07"]:  # fmt: skip
        assert not reference_calendar.is_working_day(date.fromisoformat(holiday)), holiday
    for working in ["2027-01-31", "2027-02-14", "2027-05-08", "2027-09-26", "2027-10-09",
                    "2027-02-15", "2027-10-08"]:  # fmt: skip
        assert reference_calendar.is_working_day(date.fromisoformat(working)), working
    assert not reference_calendar.is_working_day(date(2027, 2, 6))  # a weekend stays a weekend
    assert reference_calendar.working_days_in_year(2027) == 248


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


def test_the_first_and_last_years_of_the_range_can_be_provisional() -> None:
    ends = WorkingCalendar({}, range(2001, 2099))  # only 2000 and 2099 unpublished
    assert ends.provisional_years() == frozenset({2000, 2099})
    assert ends.published_years() == frozenset(range(2001, 2099))
    assert ends.is_provisional(date(2000, 1, 1))
    assert ends.is_provisional(date(2099, 12, 31))
    assert not ends.is_provisional(date(2001, 1, 1))
    assert not ends.is_provisional(date(2098, 12, 31))
    assert ends.depends_on_provisional(date(2000, 1, 1), date(2000, 1, 1))
    assert ends.depends_on_provisional(date(2099, 12, 31), date(2099, 12, 31))
    assert ends.depends_on_provisional(date(2000, 12, 31), date(2001, 1, 1))
    assert ends.depends_on_provisional(date(2098, 12, 31), date(2099, 1, 1))
    assert not ends.depends_on_provisional(date(2001, 1, 1), date(2098, 12, 31))
    # The guess applies to the last year too: 国庆 2099-10-01 (Thu) is off.
    assert not ends.is_working_day(date(2099, 10, 1))
    assert not ends.is_working_day(date(2000, 10, 2))  # and to the first (Mon)
    everything = WorkingCalendar({}, range(2000, 2100))
    assert everything.is_working_day(date(2099, 10, 1))
    assert everything.provisional_years() == frozenset()
    assert not everything.depends_on_provisional(date(2000, 1, 1), date(2099, 12, 31))
    assert not everything.depends_on_provisional(date(2099, 12, 31), date(2000, 1, 1))


def test_a_calendar_names_its_version() -> None:
    unversioned = WorkingCalendar({}, [])
    assert unversioned.version == ""
    assert repr(unversioned) == "<WorkingCalendar version='' published=0>"
    versioned = WorkingCalendar({}, [2025, 2026], version="2026-11-10T08:00:00+08:00")
    assert versioned.version == "2026-11-10T08:00:00+08:00"
    assert repr(versioned) == ("<WorkingCalendar version='2026-11-10T08:00:00+08:00' published=2>")
