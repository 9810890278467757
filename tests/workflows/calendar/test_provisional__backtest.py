"""The provisional rules: article 6 (补假), the 2024 layout, and the back-test that chose one."""

from __future__ import annotations

from datetime import date

from workflows.calendar.backtest import backtest, backtest_all
from workflows.calendar.provisional import (
    HOLIDAY,
    MAKEUP,
    PROVISIONAL_RULE,
    Rule,
    provisional_days,
)


def test_article_6_gives_a_weekend_holiday_back_on_the_next_working_day() -> None:
    # 2027: 劳动节 5-01/5-02 fall on Saturday and Sunday → Monday 5-03 and Tuesday 5-04.
    days = provisional_days(2027, Rule.ARTICLE_6)
    assert days[date(2027, 5, 3)] == HOLIDAY
    assert days[date(2027, 5, 4)] == HOLIDAY
    assert date(2027, 5, 5) not in days
    # The statutory-only rule gives nothing back.
    assert date(2027, 5, 3) not in provisional_days(2027, Rule.STATUTORY)


def test_the_2024_layout_makes_an_eight_day_spring_festival_from_the_eve() -> None:
    days = provisional_days(2028, Rule.LAYOUT_2024)
    # 2028: 除夕 Tue 1-25 → 1-25..2-01 off; the extra weekdays are worked back on weekends.
    for day in range(25, 32):
        d = date(2028, 1, day)
        assert d.weekday() >= 5 or days[d] == HOLIDAY, d
    assert days[date(2028, 2, 1)] == HOLIDAY
    assert sum(1 for kind in days.values() if kind == MAKEUP) >= 3


def test_the_engine_uses_the_most_accurate_rule_of_the_back_test() -> None:
    results = backtest_all(pairs=2000)
    assert results[0].rule == PROVISIONAL_RULE
    by_rule = {r.rule: r for r in results}
    assert by_rule[Rule.LAYOUT_2024].exact >= by_rule[Rule.ARTICLE_6].exact
    assert by_rule[Rule.ARTICLE_6].exact > by_rule[Rule.STATUTORY].exact


def test_the_back_test_on_2025_and_2026_matches_every_due_date() -> None:
    result = backtest(Rule.LAYOUT_2024, pairs=2000)
    assert result.exact == result.pairs
    assert result.rest_days_wrong == 0
