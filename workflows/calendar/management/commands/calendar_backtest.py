"""calendar_backtest: how accurate each provisional rule would have been for 2025 and 2026."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from workflows.calendar.backtest import TEST_YEARS, backtest_all
from workflows.calendar.provisional import PROVISIONAL_RULE


class Command(BaseCommand):
    help = "Back-test the provisional calendar rules against the published 2025 and 2026."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        years = "–".join(str(y) for y in (TEST_YEARS[0], TEST_YEARS[-1]))
        self.stdout.write(f"years {years}, {options['pairs']} random (start, limit 1–60) pairs")
        for result in backtest_all(pairs=options["pairs"], seed=options["seed"]):
            mark = " (in use)" if result.rule == PROVISIONAL_RULE else ""
            self.stdout.write(
                f"{result.rule:<11} exact {result.exact}/{result.pairs} "
                f"({result.accuracy:.1%}), within one working day {result.within_one}, "
                f"days classified wrongly {result.rest_days_wrong}{mark}"
            )
