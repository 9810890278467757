"""The YAML arrangement format: what it accepts and how it explains a refusal."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.calendar.arrangements import (
    DAY_REPEATED,
    HOLIDAY_ON_WEEKEND,
    RANGE_REVERSED,
    ArrangementError,
    DaySpec,
    parse_arrangements,
    validate_days,
)
from workflows.calendar.engine import DayKind

from .conftest import YAML_2027


def test_the_2027_example_parses_into_weekday_holidays_and_weekend_makeup_days() -> None:
    (arrangement,) = parse_arrangements(YAML_2027)
    assert arrangement.year == 2027
    assert arrangement.notice == "国办发明电〔2026〕99号（测试）"
    assert arrangement.notice_date == date(2026, 11, 10)
    # 元旦 2027-01-01..01-03 is Fri..Sun: only the Friday needs recording.
    assert [d for d in arrangement.holidays() if d.month == 1] == [date(2027, 1, 1)]
    assert arrangement.makeup_days() == [
        date(2027, 1, 31),
        date(2027, 2, 20),
        date(2027, 4, 25),
        date(2027, 9, 26),
        date(2027, 10, 9),
    ]
    assert all(day.weekday() < 5 for day in arrangement.holidays())


def test_rest_accepts_a_date_a_range_or_a_list_and_quoted_dates() -> None:
    (arrangement,) = parse_arrangements(
        "year: 2027\n"
        "notice: 测试\n"
        "festivals:\n"
        "  - name: 春节\n"
        "    rest: ['2027-02-05', 2027-02-08 .. 2027-02-09]\n"
        "    makeup: '2027-02-20'\n"
    )
    assert arrangement.holidays() == [date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9)]
    assert arrangement.makeup_days() == [date(2027, 2, 20)]


def test_a_new_years_break_may_start_in_december() -> None:
    (arrangement,) = parse_arrangements(
        "year: 2019\nnotice: 测试\nfestivals:\n"
        "  - {name: 元旦, rest: 2018-12-30..2019-01-01, makeup: 2018-12-29}\n"
    )
    assert arrangement.holidays() == [date(2018, 12, 31), date(2019, 1, 1)]
    assert arrangement.makeup_days() == [date(2018, 12, 29)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-02-12..2027-02-05}\n",
            RANGE_REVERSED.format(
                where="2027 年的安排的第 1 个节日", start="2027-02-12", end="2027-02-05"
            ),
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-02-05}\n  - {name: 又一个, rest: 2027-02-05}\n",
            DAY_REPEATED.format(day="2027-02-05", year=2027),
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-02-06, makeup: 2027-02-06}\n",
            DAY_REPEATED.format(day="2027-02-06", year=2027),
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n  - {name: 春节, rest: next friday}\n",
            "2027 年的安排的第 1 个节日中的“next friday”不是日期，"
            "也不是“YYYY-MM-DD..YYYY-MM-DD”格式的日期范围。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-01-01..2027-12-31}\n",
            "2027 年的安排的第 1 个节日中的日期范围 2027-01-01..2027-12-31 超过一个月，"
            "不像是一个假期。请检查日期。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-02-05, makeup: 2027-02-31}\n",
            "文件中有不存在的日期（day is out of range for month）。"
            "日期请写成 YYYY-MM-DD，例如 2027-02-05。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n"
            "  - {name: 春节, rest: 2027-02-05, makeup: '2027-02-31'}\n",
            "2027 年的安排的第 1 个节日中的“2027-02-31”不是 YYYY-MM-DD 格式的日期。",
        ),
        (
            "year: 二〇二七\nnotice: 测试\nfestivals: []\n",
            "第 1 个文档的 year 必须是整数年份，例如 2027。",
        ),
        (
            "year: 2100\nnotice: 测试\nfestivals: []\n",
            "年份 2100 超出工作日历的范围（2000 至 2099 年）。",
        ),
        (
            "year: 2027\nnotice: ''\nfestivals: []\n",
            "2027 年的安排的 notice 必须是不超过 200 个字的通知文号或标题。",
        ),
        (
            "year: 2027\nnotice: 测试\nnotice_date: 11月4日\nfestivals: []\n",
            "2027 年的安排的 notice_date 必须是 YYYY-MM-DD 格式的日期。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals: {name: 春节}\n",
            "2027 年的安排的 festivals 必须是列表，每项含 name、rest，可选 makeup。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n  - {rest: 2027-02-05}\n",
            "2027 年的安排的第 1 个节日缺少必填的键“name”。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestivals:\n  - {name: 春节, rest: 2028-02-07}\n",
            "2028-02-07 不属于 2027 年的安排："
            "日期必须在 2027 年内，或在 2026 年 12 月（元旦假期）。",
        ),
        (
            "year: 2027\nnotice: 测试\nfestval: []\n",
            "第 1 个文档含有不认识的键：festval。允许的键：festivals、notice、notice_date、year。",
        ),
    ],
)
def test_malformed_arrangements_are_refused_with_a_precise_message(text: str, message: str) -> None:
    with pytest.raises(ArrangementError) as raised:
        parse_arrangements(text)
    assert str(raised.value) == message


def test_a_holiday_on_a_weekend_is_refused_when_given_day_by_day() -> None:
    with pytest.raises(ArrangementError) as raised:
        validate_days(year=2027, days=[DaySpec(date(2027, 2, 6), DayKind.HOLIDAY, "春节")])
    assert str(raised.value) == HOLIDAY_ON_WEEKEND.format(day=date(2027, 2, 6))
