"""The working-day engine: pure Python, no ORM, every query O(1).

A :class:`WorkingCalendar` is built once from the published exception days and
the set of published years (``workflows.calendar.api.get_calendar`` does that
from the database and caches it). It precomputes, over 2000-01-01..2099-12-31:

- ``_working``: one byte per day, 1 for a working day;
- ``_before``: ``_before[i]`` = number of working days with offset < ``i``
  (a prefix count, so a span's count is one subtraction);
- ``_ordinals``: the ordinals of all working days in order, so "the k-th
  working day" is one index.

The counting convention is that of 民法典 Art. 201 and 行政许可法 Art. 82: the
start day is never counted; day 1 is the next working day.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from itertools import accumulate

from django.utils.translation import gettext_lazy as _

from workflows.calendar.provisional import MAKEUP, provisional_days

FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
FIRST_YEAR = FIRST_DATE.year
LAST_YEAR = LAST_DATE.year

_BASE = FIRST_DATE.toordinal()
_SIZE = LAST_DATE.toordinal() - _BASE + 1

DATE_OUT_OF_RANGE = _("日期 {date} 超出工作日历的范围（{first} 至 {last}）。请使用此范围内的日期。")
RESULT_OUT_OF_RANGE = _(
    "从 {start} 起第 {days} 个工作日超出工作日历的范围（{first} 至 {last}），无法计算。"
)
YEAR_OUT_OF_RANGE = _("年份 {year} 超出工作日历的范围（{first} 至 {last} 年）。")


class DayKind(StrEnum):
    """What a published exception day does to the Monday–Friday rule."""

    HOLIDAY = "holiday"  # a weekday off (放假)
    MAKEUP = "makeup"  # a weekend working day (调休上班)


class CalendarRangeError(ValueError):
    """A date, year or result lies outside 2000-01-01..2099-12-31."""


def _out_of_range(d: date) -> CalendarRangeError:
    return CalendarRangeError(
        DATE_OUT_OF_RANGE.format(date=d.isoformat(), first=FIRST_DATE, last=LAST_DATE)
    )


def _year_out_of_range(year: int) -> CalendarRangeError:
    return CalendarRangeError(YEAR_OUT_OF_RANGE.format(year=year, first=FIRST_YEAR, last=LAST_YEAR))


class WorkingCalendar:
    """Working days over 2000–2099: published years as announced, the rest provisional.

    A published year's working days are Monday–Friday, minus its holidays,
    plus its make-up days. A year without a published arrangement is
    provisional: its days off and make-up days are guessed by the rule of
    ``provisional.PROVISIONAL_RULE`` (the statutory holidays, article 6's days
    given back and the 2024 layout of the breaks; back-tested in docs/calendar.md).
    """

    __slots__ = ("_before", "_ordinals", "_provisional_before", "_published", "_working", "version")

    def __init__(
        self,
        exception_days: Mapping[date, DayKind | str],
        published_years: Iterable[int],
        *,
        version: str = "",
    ) -> None:
        """Build the index; ``exception_days`` are the published holidays and make-up days."""
        published = frozenset(published_years)
        for year in published:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise _year_out_of_range(year)
        self._published = published
        self.version = version

        first_weekday = FIRST_DATE.weekday()
        working = bytearray(1 if (first_weekday + i) % 7 < 5 else 0 for i in range(_SIZE))
        # Provisional years first, so a published notice that reaches into the
        # last days of an unpublished year (e.g. a 元旦 break) still wins.
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            if year not in published:
                for day, kind in provisional_days(year).items():
                    working[day.toordinal() - _BASE] = 1 if kind == MAKEUP else 0
        for day, kind in exception_days.items():
            offset = day.toordinal() - _BASE
            if not 0 <= offset < _SIZE:
                raise _out_of_range(day)
            working[offset] = 1 if DayKind(kind) is DayKind.MAKEUP else 0
        self._working = bytes(working)
        self._before = array("i", accumulate(working, initial=0))
        self._ordinals = array("i", (_BASE + i for i, w in enumerate(working) if w))
        self._provisional_before = array(
            "i",
            accumulate(
                (0 if y in published else 1 for y in range(FIRST_YEAR, LAST_YEAR + 1)),
                initial=0,
            ),
        )

    def __repr__(self) -> str:
        return f"<WorkingCalendar version={self.version!r} published={len(self._published)}>"

    def is_working_day(self, d: date) -> bool:
        """True when ``d`` is a working day (工作日)."""
        offset = d.toordinal() - _BASE
        if not 0 <= offset < _SIZE:
            raise _out_of_range(d)
        return self._working[offset] == 1

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start`` (strictly before it when n < 0).

        ``start`` itself is never counted, whether or not it is a working day;
        ``n == 0`` returns ``start`` unchanged.
        """
        offset = start.toordinal() - _BASE
        if not 0 <= offset < _SIZE:
            raise _out_of_range(start)
        if n > 0:
            index = self._before[offset + 1] + n - 1
        elif n < 0:
            index = self._before[offset] + n
        else:
            return start
        if not 0 <= index < len(self._ordinals):
            raise CalendarRangeError(
                RESULT_OUT_OF_RANGE.format(
                    start=start.isoformat(), days=n, first=FIRST_DATE, last=LAST_DATE
                )
            )
        return date.fromordinal(self._ordinals[index])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; when b < a, minus those with b < d <= a.

        Antisymmetric: ``working_days_between(b, a) == -working_days_between(a, b)``.
        ``working_days_between(a, add_working_days(a, n)) == n`` for every n >= 0,
        and for n < 0 whenever ``a`` is a working day (from a rest day ``a`` the
        backward count is one short: ``a`` itself is not a working day to count).
        """
        offset_a = a.toordinal() - _BASE
        offset_b = b.toordinal() - _BASE
        if not 0 <= offset_a < _SIZE:
            raise _out_of_range(a)
        if not 0 <= offset_b < _SIZE:
            raise _out_of_range(b)
        return self._before[offset_b + 1] - self._before[offset_a + 1]

    def working_days_in_year(self, year: int) -> int:
        """How many working days ``year`` has."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise _year_out_of_range(year)
        start = date(year, 1, 1).toordinal() - _BASE
        end = date(year, 12, 31).toordinal() - _BASE
        return self._before[end + 1] - self._before[start]

    def is_provisional(self, d: date) -> bool:
        """True when ``d``'s year has no published arrangement (暂定)."""
        if not FIRST_DATE <= d <= LAST_DATE:
            raise _out_of_range(d)
        return d.year not in self._published

    def depends_on_provisional(self, a: date, b: date) -> bool:
        """True when any year from ``a`` to ``b`` (either order, inclusive) is provisional."""
        if not FIRST_DATE <= a <= LAST_DATE:
            raise _out_of_range(a)
        if not FIRST_DATE <= b <= LAST_DATE:
            raise _out_of_range(b)
        low, high = sorted((a.year - FIRST_YEAR, b.year - FIRST_YEAR))
        return self._provisional_before[high + 1] - self._provisional_before[low] > 0

    def provisional_years(self) -> frozenset[int]:
        """The years in 2000–2099 without a published arrangement."""
        return frozenset(range(FIRST_YEAR, LAST_YEAR + 1)) - self._published

    def published_years(self) -> frozenset[int]:
        """The years whose arrangement has been published."""
        return self._published
