"""A year's holiday arrangement (放假安排) as plain data, and its YAML file format.

The YAML format (documented with an example in docs/calendar.md) mirrors the
table of a State Council notice: one entry per festival, with the days off
(``rest``, a date or a ``START..END`` range) and the make-up working days
(``makeup``) listed. (The key is not ``off``: YAML 1.1 reads ``off`` as false.)
One YAML document per year; a file may hold several, separated by ``---``.

Only the days that change the Monday–Friday rule are kept: the weekdays of a
``rest`` range become holidays, the listed weekend days become make-up days.
Weekend days inside a ``rest`` range are rest days anyway and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from workflows.calendar.engine import FIRST_YEAR, LAST_YEAR, DayKind

FESTIVAL_MAX_LENGTH = 64
NOTICE_MAX_LENGTH = 200
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*$")
_LONGEST_BREAK_DAYS = 31
_YEAR_KEYS = frozenset({"year", "notice", "notice_date", "festivals"})
_FESTIVAL_KEYS = frozenset({"name", "rest", "makeup"})

YAML_INVALID = _("文件不是有效的 YAML：{error}")
YAML_BAD_DATE = _("文件中有不存在的日期（{error}）。日期请写成 YYYY-MM-DD，例如 2027-02-05。")
YAML_EMPTY = _("文件中没有任何年份的安排。请按 docs/calendar.md 的格式填写。")
DOCUMENT_NOT_MAPPING = _(
    "第 {index} 个 YAML 文档不是映射（键: 值）。请按 docs/calendar.md 的格式填写。"
)
UNKNOWN_KEYS = _("{where}含有不认识的键：{keys}。允许的键：{allowed}。")
MISSING_KEY = _("{where}缺少必填的键“{key}”。")
YEAR_NOT_INTEGER = _("{where}的 year 必须是整数年份，例如 2027。")
YEAR_OUT_OF_RANGE = _("年份 {year} 超出工作日历的范围（{first} 至 {last} 年）。")
YEAR_REPEATED = _("年份 {year} 在文件中出现了不止一次。每个年份只能有一份安排。")
NOTICE_INVALID = _("{where}的 notice 必须是不超过 {limit} 个字的通知文号或标题。")
NOTICE_DATE_INVALID = _("{where}的 notice_date 必须是 YYYY-MM-DD 格式的日期。")
FESTIVALS_NOT_LIST = _("{where}的 festivals 必须是列表，每项含 name、rest，可选 makeup。")
FESTIVAL_NOT_MAPPING = _("{where}必须是映射，含 name、rest，可选 makeup。")
FESTIVAL_NAME_INVALID = _("{where}的 name 必须是不超过 {limit} 个字的节日名称。")
DATE_INVALID = _("{where}中的“{value}”不是 YYYY-MM-DD 格式的日期。")
RANGE_INVALID = _("{where}中的“{value}”不是日期，也不是“YYYY-MM-DD..YYYY-MM-DD”格式的日期范围。")
RANGE_TOO_LONG = _("{where}中的日期范围 {start}..{end} 超过一个月，不像是一个假期。请检查日期。")
RANGE_REVERSED = _("{where}中的日期范围 {start}..{end} 起点晚于终点。")
DAY_OUTSIDE_YEAR = _(
    "{day} 不属于 {year} 年的安排：日期必须在 {year} 年内，或在 {previous} 年 12 月（元旦假期）。"
)
HOLIDAY_ON_WEEKEND = _("{day} 是周末，不能登记为放假的工作日（holiday）。")
MAKEUP_ON_WEEKDAY = _(
    "{day} 是周一至周五，不能登记为调休上班日（makeup）：只有周六、周日才需要调休上班。"
)
DAY_REPEATED = _("{day} 在 {year} 年的安排中出现了不止一次（放假或上班只能登记一次）。")


class ArrangementError(ValueError):
    """An arrangement (or its YAML file) is malformed; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class DaySpec:
    """One exception day: a weekday off or a weekend working day."""

    day: date
    kind: DayKind
    festival: str


@dataclass(frozen=True, slots=True)
class YearArrangement:
    """A year's published arrangement: its notice and its exception days, sorted by date."""

    year: int
    notice: str
    days: tuple[DaySpec, ...]
    notice_date: date | None = None

    def holidays(self) -> list[date]:
        """The weekdays off, in order."""
        return [spec.day for spec in self.days if spec.kind is DayKind.HOLIDAY]

    def makeup_days(self) -> list[date]:
        """The weekend working days, in order."""
        return [spec.day for spec in self.days if spec.kind is DayKind.MAKEUP]


def validate_days(*, year: int, days: Iterable[DaySpec]) -> tuple[DaySpec, ...]:
    """Check a year's exception days and return them sorted; raise ArrangementError."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ArrangementError(
            YEAR_OUT_OF_RANGE.format(year=year, first=FIRST_YEAR, last=LAST_YEAR)
        )
    seen: set[date] = set()
    checked: list[DaySpec] = []
    for spec in days:
        kind = DayKind(spec.kind)
        day = spec.day
        # A 元旦 break may start in late December, decreed by next year's notice.
        if not (day.year == year or (day.year == year - 1 and day.month == 12)):
            raise ArrangementError(DAY_OUTSIDE_YEAR.format(day=day, year=year, previous=year - 1))
        if day in seen:
            raise ArrangementError(DAY_REPEATED.format(day=day, year=year))
        if kind is DayKind.HOLIDAY and day.weekday() >= 5:
            raise ArrangementError(HOLIDAY_ON_WEEKEND.format(day=day))
        if kind is DayKind.MAKEUP and day.weekday() < 5:
            raise ArrangementError(MAKEUP_ON_WEEKDAY.format(day=day))
        festival = spec.festival.strip()
        if not festival or len(festival) > FESTIVAL_MAX_LENGTH:
            raise ArrangementError(
                FESTIVAL_NAME_INVALID.format(where=day, limit=FESTIVAL_MAX_LENGTH)
            )
        seen.add(day)
        checked.append(DaySpec(day=day, kind=kind, festival=festival))
    return tuple(sorted(checked, key=lambda spec: spec.day))


def parse_arrangements(text: str) -> list[YearArrangement]:
    """Parse the YAML format of docs/calendar.md; raise ArrangementError on any defect."""
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        raise ArrangementError(YAML_INVALID.format(error=str(exc).replace("\n", " "))) from exc
    except ValueError as exc:
        # PyYAML builds dates itself and lets datetime's ValueError through (e.g. 2027-02-31).
        raise ArrangementError(YAML_BAD_DATE.format(error=exc)) from exc
    if not documents:
        raise ArrangementError(str(YAML_EMPTY))
    arrangements: list[YearArrangement] = []
    years: set[int] = set()
    for index, document in enumerate(documents, start=1):
        arrangement = _parse_year(document, index)
        if arrangement.year in years:
            raise ArrangementError(YEAR_REPEATED.format(year=arrangement.year))
        years.add(arrangement.year)
        arrangements.append(arrangement)
    return arrangements


def _parse_year(document: Any, index: int) -> YearArrangement:
    if not isinstance(document, dict):
        raise ArrangementError(DOCUMENT_NOT_MAPPING.format(index=index))
    where = f"第 {index} 个文档"
    _check_keys(document, allowed=_YEAR_KEYS, required=("year", "notice", "festivals"), where=where)
    year = document["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise ArrangementError(YEAR_NOT_INTEGER.format(where=where))
    where = f"{year} 年的安排"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ArrangementError(
            YEAR_OUT_OF_RANGE.format(year=year, first=FIRST_YEAR, last=LAST_YEAR)
        )
    notice = document["notice"]
    if not isinstance(notice, str) or not notice.strip() or len(notice) > NOTICE_MAX_LENGTH:
        raise ArrangementError(NOTICE_INVALID.format(where=where, limit=NOTICE_MAX_LENGTH))
    notice_date = document.get("notice_date")
    if notice_date is not None:
        notice_date = _to_date(notice_date)
        if notice_date is None:
            raise ArrangementError(NOTICE_DATE_INVALID.format(where=where))
    festivals = document["festivals"]
    if not isinstance(festivals, list):
        raise ArrangementError(FESTIVALS_NOT_LIST.format(where=where))
    specs: list[DaySpec] = []
    for number, festival in enumerate(festivals, start=1):
        specs.extend(_parse_festival(festival, where=f"{where}的第 {number} 个节日"))
    return YearArrangement(
        year=year,
        notice=notice.strip(),
        notice_date=notice_date,
        days=validate_days(year=year, days=specs),
    )


def _parse_festival(entry: Any, *, where: str) -> list[DaySpec]:
    if not isinstance(entry, dict):
        raise ArrangementError(FESTIVAL_NOT_MAPPING.format(where=where))
    _check_keys(entry, allowed=_FESTIVAL_KEYS, required=("name", "rest"), where=where)
    name = entry["name"]
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > FESTIVAL_MAX_LENGTH:
        raise ArrangementError(FESTIVAL_NAME_INVALID.format(where=where, limit=FESTIVAL_MAX_LENGTH))
    name = name.strip()
    rest: list[date] = []
    for item in _as_list(entry["rest"]):
        rest.extend(_parse_rest(item, where=where))
    makeup: list[date] = []
    for item in _as_list(entry.get("makeup")):
        day = _to_date(item)
        if day is None:
            raise ArrangementError(DATE_INVALID.format(where=where, value=item))
        makeup.append(day)
    specs = [
        DaySpec(day=day, kind=DayKind.HOLIDAY, festival=name) for day in rest if day.weekday() < 5
    ]
    specs += [DaySpec(day=day, kind=DayKind.MAKEUP, festival=name) for day in makeup]
    # A make-up day inside the rest range is a contradiction, even on a weekend.
    clash = sorted(set(rest) & set(makeup))
    if clash:
        raise ArrangementError(DAY_REPEATED.format(day=clash[0], year=clash[0].year))
    return specs


def _parse_rest(item: Any, *, where: str) -> list[date]:
    day = _to_date(item)
    if day is not None:
        return [day]
    match = _RANGE.match(item) if isinstance(item, str) else None
    if match is None:
        raise ArrangementError(RANGE_INVALID.format(where=where, value=item))
    start, end = (_to_date(group) for group in match.groups())
    if start is None or end is None:
        raise ArrangementError(RANGE_INVALID.format(where=where, value=item))
    if end < start:
        raise ArrangementError(RANGE_REVERSED.format(where=where, start=start, end=end))
    if (end - start).days > _LONGEST_BREAK_DAYS:
        raise ArrangementError(RANGE_TOO_LONG.format(where=where, start=start, end=end))
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_keys(
    mapping: dict[Any, Any], *, allowed: frozenset[str], required: tuple[str, ...], where: str
) -> None:
    unknown = set(map(str, mapping)) - allowed
    if unknown:
        raise ArrangementError(
            UNKNOWN_KEYS.format(
                where=where, keys="、".join(sorted(unknown)), allowed="、".join(sorted(allowed))
            )
        )
    for key in required:
        if key not in mapping:
            raise ArrangementError(MISSING_KEY.format(where=where, key=key))
