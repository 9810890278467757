"""The statutory holidays computed with lunar_python agree with the published calendars."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.calendar.seed import chinesecalendar_arrangements
from workflows.calendar.statutory import statutory_holidays


def test_2025_follows_the_2024_revision() -> None:
    assert statutory_holidays(2025) == {
        date(2025, 1, 1): "元旦",
        date(2025, 1, 28): "春节",  # 除夕
        date(2025, 1, 29): "春节",
        date(2025, 1, 30): "春节",
        date(2025, 1, 31): "春节",
        date(2025, 4, 4): "清明节",
        date(2025, 5, 1): "劳动节",
        date(2025, 5, 2): "劳动节",
        date(2025, 5, 31): "端午节",
        date(2025, 10, 1): "国庆节",
        date(2025, 10, 2): "国庆节",
        date(2025, 10, 3): "国庆节",
        date(2025, 10, 6): "中秋节",
    }


def test_thirteen_days_from_2025_eleven_before() -> None:
    assert len(statutory_holidays(2026)) == 13
    assert len(statutory_holidays(2024)) == 11
    assert len(statutory_holidays(2010)) == 11
    assert len(statutory_holidays(2005)) == 10  # 1999 text: no 清明, 端午, 中秋; 劳动节 3


@pytest.mark.parametrize("year", range(2008, 2027))
def test_statutory_weekdays_are_off_in_every_published_year(year: int) -> None:
    # Every statutory holiday on a weekday is a holiday in the published
    # arrangement (chinesecalendar), which checks the lunar and solar-term dates.
    published = set(chinesecalendar_arrangements([year])[year].holidays())
    for day in statutory_holidays(year):
        if day.weekday() < 5:
            assert day in published, day
