"""Reference arrangements for 2004–2026, used once to seed the database.

chinesecalendar is imported here and nowhere else, inside a function: the
engine and the services read the database, never the package, so a new
package release cannot change a deadline behind the audit log's back.

Years with an official notice in ``data/official.yaml`` (2025 and 2026) are
taken from that file, which records the notice; chinesecalendar 1.11.0 agrees
with it day for day (tests/workflows/calendar/test_seed__official_years.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

from workflows.calendar.arrangements import (
    DaySpec,
    YearArrangement,
    parse_arrangements,
    validate_days,
)
from workflows.calendar.engine import DayKind

SEED_YEARS = range(2004, 2027)
OFFICIAL_FILE = Path(__file__).resolve().parent / "data" / "official.yaml"
CHINESECALENDAR_NOTICE = (
    "国务院办公厅关于{year}年部分节假日安排的通知（数据取自 chinesecalendar {version}）"
)

# chinesecalendar's short names, spelled as the notices spell them.
_FESTIVAL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@cache
def official_arrangements() -> dict[int, YearArrangement]:
    """The arrangements transcribed from the official notices, by year."""
    text = OFFICIAL_FILE.read_text(encoding="utf-8")
    return {arrangement.year: arrangement for arrangement in parse_arrangements(text)}


def chinesecalendar_arrangements(years: Iterable[int]) -> dict[int, YearArrangement]:
    """The arrangements of ``years`` as the chinesecalendar package records them."""
    from importlib.metadata import version

    from chinese_calendar import constants

    wanted = set(years)
    package_version = version("chinesecalendar")
    by_year: dict[int, list[DaySpec]] = {year: [] for year in wanted}

    def add(day: date, kind: DayKind, english_name: str) -> None:
        festival = constants.Holiday(english_name).chinese
        # A 元旦 break that starts in December belongs to next year's notice.
        year = day.year + 1 if day.month == 12 and festival == "元旦" else day.year
        if year in by_year:
            by_year[year].append(
                DaySpec(day=day, kind=kind, festival=_FESTIVAL_NAMES.get(festival, festival))
            )

    for day, name in constants.holidays.items():
        if day.weekday() < 5:
            add(day, DayKind.HOLIDAY, name)
    for day, name in constants.workdays.items():
        add(day, DayKind.MAKEUP, name)
    return {
        year: YearArrangement(
            year=year,
            notice=CHINESECALENDAR_NOTICE.format(year=year, version=package_version),
            days=validate_days(year=year, days=days),
        )
        for year, days in by_year.items()
        if days
    }


def seed_arrangements(years: Iterable[int] = SEED_YEARS) -> list[YearArrangement]:
    """The arrangements to seed for ``years``: official notices first, then chinesecalendar."""
    wanted = sorted(set(years))
    official = official_arrangements()
    packaged = chinesecalendar_arrangements(year for year in wanted if year not in official)
    return [
        official.get(year) or packaged[year]
        for year in wanted
        if year in official or year in packaged
    ]
