"""The working days of a year without a published notice: candidate rules and the one in use.

A provisional year's rest days are guessed from the law. Three candidate rules,
each a superset of the one before:

- ``STATUTORY``: the statutory holidays of 《全国年节及纪念日放假办法》 only
  (``statutory.statutory_holidays``), no make-up days.
- ``ARTICLE_6``: plus article 6 of the 办法: a holiday for all citizens that falls
  on a Saturday or Sunday is given back on the next working day (补假).
- ``LAYOUT_2024``: plus, from 2025, the principles the State Council set in 2024
  for laying out the breaks: 春节 8 days from 除夕, 劳动节 5 days from 05-01, 国庆
  7 days from 10-01 (8 when 中秋 joins it), the others the day itself or 3 days
  with the adjacent weekend (a Tuesday holiday takes the Monday, a Thursday one
  the Friday). The weekdays a long break takes beyond the statutory holidays are
  worked back on the nearest weekend days around the break (调休).

``PROVISIONAL_RULE`` is the rule the engine uses: the most accurate one in the
back-test (``workflows.calendar.backtest``; results in docs/calendar.md).
Every provisional date stays labelled provisional whatever the rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from workflows.calendar.statutory import (
    DRAGON_BOAT,
    LABOUR_DAY,
    MID_AUTUMN,
    NATIONAL_DAY,
    NEW_YEAR,
    QINGMING,
    SPRING_FESTIVAL,
    statutory_holidays,
)

HOLIDAY = "holiday"
MAKEUP = "makeup"

# Article 6 applies to the holidays 全体公民放假 (not 妇女节, 青年节 …); all the
# festivals statutory_holidays returns are such holidays.
_ALL_CITIZENS = {
    NEW_YEAR,
    SPRING_FESTIVAL,
    QINGMING,
    LABOUR_DAY,
    DRAGON_BOAT,
    MID_AUTUMN,
    NATIONAL_DAY,
}
LAYOUT_FROM = 2025  # the 2024 principles govern the breaks from 2025 on


class Rule(StrEnum):
    """A candidate rule for the rest days of an unpublished year."""

    STATUTORY = "statutory"
    ARTICLE_6 = "article6"
    LAYOUT_2024 = "layout2024"


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _article_6(year: int) -> dict[date, str]:
    holidays = statutory_holidays(year)
    days: dict[date, str] = {d: HOLIDAY for d in holidays if not _is_weekend(d)}
    taken = set(holidays)
    for day in sorted(holidays):
        if _is_weekend(day) and holidays[day].split("、")[0] in _ALL_CITIZENS:
            back = day + timedelta(days=1)
            while _is_weekend(back) or back in taken:
                back += timedelta(days=1)
            taken.add(back)
            days[back] = HOLIDAY
    return days


def _span(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def _short_break(day: date) -> list[date]:
    # The day itself, or 3 days with the adjacent weekend (weekend days included).
    one = timedelta(days=1)
    weekday = day.weekday()
    if weekday == 0:  # Monday: Sat..Mon
        return [day - 2 * one, day - one, day]
    if weekday == 1:  # Tuesday: Sun..Tue, Monday worked back
        return [day - 2 * one, day - one, day]
    if weekday == 3:  # Thursday: Thu..Sat, Friday worked back
        return [day, day + one, day + 2 * one]
    if weekday == 4:  # Friday: Fri..Sun
        return [day, day + one, day + 2 * one]
    if weekday == 5:  # Saturday: Monday given back (article 6)
        return [day, day + one, day + 2 * one]
    if weekday == 6:  # Sunday: Monday given back
        return [day - one, day, day + one]
    return [day]


def _makeups(break_days: list[date], owed: int, taken: set[date], gap: int) -> list[date]:
    # Weekend days around the break, at least ``gap`` days from it, alternating
    # sides and starting with the nearer one.
    if owed <= 0:
        return []
    first, last = min(break_days), max(break_days)
    before = [
        first - timedelta(days=n)
        for n in range(gap, 15)
        if _is_weekend(first - timedelta(days=n)) and first - timedelta(days=n) not in taken
    ]
    after = [
        last + timedelta(days=n)
        for n in range(gap, 15)
        if _is_weekend(last + timedelta(days=n)) and last + timedelta(days=n) not in taken
    ]
    sides = [before, after]
    if after and (not before or (after[0] - last) < (first - before[0])):
        sides.reverse()
    chosen: list[date] = []
    index = 0
    while len(chosen) < owed and (sides[0] or sides[1]):
        side = sides[index % 2] or sides[(index + 1) % 2]
        chosen.append(side.pop(0))
        index += 1
    return chosen


def _layout_2024(year: int) -> dict[date, str]:
    holidays = statutory_holidays(year)
    by_festival: dict[str, list[date]] = {}
    for day, name in holidays.items():
        for festival in name.split("、"):
            by_festival.setdefault(festival, []).append(day)
    breaks: list[list[date]] = [
        _span(min(by_festival[SPRING_FESTIVAL]), 8),
        _span(date(year, 5, 1), 5),
    ]
    mid_autumn = by_festival[MID_AUTUMN][0]
    joined = date(year, 10, 1) <= mid_autumn <= date(year, 10, 8)
    breaks.append(_span(date(year, 10, 1), 8 if joined else 7))
    long_breaks = len(breaks)
    breaks.extend(_short_break(by_festival[f][0]) for f in (NEW_YEAR, QINGMING, DRAGON_BOAT))
    if not joined:
        breaks.append(_short_break(mid_autumn))
    taken = {day for span in breaks for day in span}
    days: dict[date, str] = {d: HOLIDAY for d in taken if not _is_weekend(d)}
    for index, span in enumerate(breaks):
        weekdays_off = [d for d in span if not _is_weekend(d)]
        statutory_weekdays = [d for d in weekdays_off if d in holidays]
        # Days given back under article 6 are owed by law, not worked back.
        given_back = sum(1 for d in span if _is_weekend(d) and d in holidays)
        owed = len(weekdays_off) - len(statutory_weekdays) - given_back
        # A 3-day break works back the weekend day next to it; a long one keeps a gap.
        gap = 2 if index < long_breaks else 1
        for day in _makeups(span, owed, taken, gap):
            if day.year == year:
                days[day] = MAKEUP
            taken.add(day)
    return {d: days[d] for d in sorted(days) if d.year == year}


@lru_cache(maxsize=512)
def provisional_days(year: int, rule: Rule | str | None = None) -> dict[date, str]:
    """The weekdays off (``HOLIDAY``) and weekend working days (``MAKEUP``) of ``year``."""
    chosen = Rule(rule or PROVISIONAL_RULE)
    if chosen is Rule.STATUTORY:
        return {d: HOLIDAY for d in statutory_holidays(year) if not _is_weekend(d)}
    if chosen is Rule.ARTICLE_6 or year < LAYOUT_FROM:
        return _article_6(year)
    return _layout_2024(year)


PROVISIONAL_RULE = Rule.LAYOUT_2024


def festival_of(day: date) -> str:
    """The festival a provisional day off or make-up day belongs to (the nearest holiday)."""
    holidays = statutory_holidays(day.year)
    nearest = min(holidays, key=lambda h: abs((h - day).days))
    return holidays[nearest]
