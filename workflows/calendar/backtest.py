"""Back-test of the provisional rules: pretend 2025 and 2026 were unpublished.

For each candidate rule, build the calendar with every published year except
the test years, whose days come from the rule, and compare the due dates of
many random (start, limit) pairs with those of the real published calendar.

Run it with ``make backtest-calendar`` (``python manage.py calendar_backtest``).
It needs no database: the published years come from the seed arrangements.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from workflows.calendar.engine import DayKind, WorkingCalendar
from workflows.calendar.provisional import MAKEUP, Rule, provisional_days
from workflows.calendar.seed import seed_arrangements

TEST_YEARS = (2025, 2026)


@dataclass(frozen=True)
class Result:
    """How often a rule's due date equals the real one."""

    rule: Rule
    pairs: int
    exact: int
    within_one: int
    rest_days_wrong: int

    @property
    def accuracy(self) -> float:
        return self.exact / self.pairs if self.pairs else 0.0


def _calendars(rule: Rule, years: tuple[int, ...]) -> tuple[WorkingCalendar, WorkingCalendar]:
    arrangements = seed_arrangements()
    published = {a.year for a in arrangements}
    real = {spec.day: spec.kind for a in arrangements for spec in a.days}
    guessed = {spec.day: spec.kind for a in arrangements if a.year not in years for spec in a.days}
    for year in years:
        for day, kind in provisional_days(year, rule).items():
            # A published neighbouring notice (e.g. 2024's) still wins on its own days.
            guessed.setdefault(day, DayKind.MAKEUP if kind == MAKEUP else DayKind.HOLIDAY)
    truth = WorkingCalendar(real, published)
    # Built as published so that the engine does not overlay its own provisional guess.
    candidate = WorkingCalendar(guessed, published)
    return truth, candidate


def backtest(
    rule: Rule, *, pairs: int = 20000, seed: int = 2024, years: tuple[int, ...] = TEST_YEARS
) -> Result:
    """Compare ``rule``'s due dates with the real ones over random (start, limit) pairs."""
    truth, candidate = _calendars(rule, years)
    rng = random.Random(seed)  # noqa: S311 -- a reproducible sample, not a secret
    first = date(min(years), 1, 1)
    span = (date(max(years), 12, 31) - first).days
    exact = within_one = 0
    for _ in range(pairs):
        start = first + timedelta(days=rng.randrange(span + 1))
        limit = rng.randint(1, 60)
        real_due = truth.add_working_days(start, limit)
        guess_due = candidate.add_working_days(start, limit)
        exact += real_due == guess_due
        within_one += abs(truth.working_days_between(real_due, guess_due)) <= 1
    wrong = 0
    day = first
    while day <= date(max(years), 12, 31):
        wrong += truth.is_working_day(day) != candidate.is_working_day(day)
        day += timedelta(days=1)
    return Result(rule, pairs, exact, within_one, wrong)


def backtest_all(*, pairs: int = 20000, seed: int = 2024) -> list[Result]:
    """Every candidate rule, most accurate first."""
    results = [backtest(rule, pairs=pairs, seed=seed) for rule in Rule]
    return sorted(results, key=lambda r: -r.exact)
