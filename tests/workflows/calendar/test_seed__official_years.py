"""The seeded 2025 and 2026 calendars are exactly the official notices.

The notices are transcribed in docs/design-notes/domain.md §8.
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from workflows.calendar import api
from workflows.calendar.models import CalendarChange, CalendarYear, ExceptionDay
from workflows.calendar.seed import (
    SEED_YEARS,
    chinesecalendar_arrangements,
    official_arrangements,
    seed_arrangements,
)
from workflows.calendar.services import calendar_seed, calendar_withdraw_year


def _dates(*values: str) -> list[date]:
    return [date.fromisoformat(value) for value in values]


# docs/design-notes/domain.md §8: "The weekdays that become non-working" and the make-up
# working days.
HOLIDAYS_2025 = _dates(
    "2025-01-01",
    "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
    "2025-04-04",
    "2025-05-01", "2025-05-02", "2025-05-05",
    "2025-06-02",
    "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
)  # fmt: skip
MAKEUP_2025 = _dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
HOLIDAYS_2026 = _dates(
    "2026-01-01", "2026-01-02",
    "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
    "2026-04-06",
    "2026-05-01", "2026-05-04", "2026-05-05",
    "2026-06-19",
    "2026-09-25",
    "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
)  # fmt: skip
MAKEUP_2026 = _dates(
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"
)
EXPECTED = {2025: (HOLIDAYS_2025, MAKEUP_2025), 2026: (HOLIDAYS_2026, MAKEUP_2026)}


@pytest.mark.parametrize("year", [2025, 2026])
def test_official_file_matches_the_notice(year: int) -> None:
    holidays, makeup = EXPECTED[year]
    arrangement = official_arrangements()[year]
    assert arrangement.holidays() == holidays
    assert arrangement.makeup_days() == makeup


@pytest.mark.parametrize("year", [2025, 2026])
def test_chinesecalendar_matches_the_notice(year: int) -> None:
    holidays, makeup = EXPECTED[year]
    arrangement = chinesecalendar_arrangements([year])[year]
    assert arrangement.holidays() == holidays
    assert arrangement.makeup_days() == makeup


def test_seed_covers_2004_to_2026_with_notices_for_2025_and_2026() -> None:
    arrangements = seed_arrangements()
    assert [arrangement.year for arrangement in arrangements] == list(SEED_YEARS)
    by_year = {arrangement.year: arrangement for arrangement in arrangements}
    assert by_year[2025].notice == "国办发明电〔2024〕12号"
    assert by_year[2025].notice_date == date(2024, 11, 12)
    assert by_year[2026].notice_date == date(2025, 11, 4)


def test_a_new_years_break_starting_in_december_belongs_to_next_years_notice() -> None:
    # The 2019 notice: 2018-12-29 (Sat) worked, 2018-12-31 (Mon) off.
    arrangement = chinesecalendar_arrangements([2019])[2019]
    assert date(2018, 12, 31) in arrangement.holidays()
    assert date(2018, 12, 29) in arrangement.makeup_days()


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026])
def test_the_database_holds_exactly_the_notice(year: int) -> None:
    holidays, makeup = EXPECTED[year]
    row = CalendarYear.objects.get(year=year)
    assert row.status == CalendarYear.Status.PUBLISHED
    days = ExceptionDay.objects.filter(year=row)
    assert list(days.filter(kind="holiday").values_list("date", flat=True)) == holidays
    assert list(days.filter(kind="makeup").values_list("date", flat=True)) == makeup
    assert api.get_calendar().working_days_in_year(year) == 248


@pytest.mark.django_db
def test_seeded_years_and_their_audit_rows() -> None:
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(SEED_YEARS)
    assert CalendarChange.objects.filter(action=CalendarChange.Action.SEED, year=2025).count() == 1


@pytest.mark.django_db
def test_seed_is_idempotent_and_fills_only_absent_years() -> None:
    assert calendar_seed() == []
    CalendarYear.objects.filter(year=2010).delete()
    calendar_withdraw_year(year=2011, actor=None)
    assert calendar_seed() == [2010]
    assert CalendarYear.objects.get(year=2010).status == CalendarYear.Status.PUBLISHED
    # A withdrawn year has a row: seeding must not undo a deliberate withdrawal.
    assert CalendarYear.objects.get(year=2011).status == CalendarYear.Status.PROVISIONAL


@pytest.mark.django_db
def test_seed_command_reports_what_it_did() -> None:
    out = StringIO()
    call_command("calendar", "seed", stdout=out)
    assert out.getvalue() == "2004–2026 年均已有记录，未改动。\n"
    CalendarYear.objects.filter(year__in=[2004, 2005]).delete()
    out = StringIO()
    call_command("calendar", "seed", stdout=out)
    assert out.getvalue() == "已写入 2004、2005 年的放假安排。\n"
