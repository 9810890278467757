"""Benchmark: ``add_working_days`` calls per second (target: 200,000 on 2 vCPUs).

Random acceptance days from 2004 to 2030 and limits of 1 to 60 working days,
the shape of real deadlines. Two figures:

- ``calls_per_second``: the public path, ``workflows.calendar.api.add_working_days``
  (cache check included), which is what the cases app pays;
- ``engine_calls_per_second``: ``WorkingCalendar.add_working_days`` on a calendar
  already in hand.

Run it as ``python benches/working_days.py`` (it sets up Django with
``config.settings.local`` unless DJANGO_SETTINGS_MODULE says otherwise), or
through ``make bench``, which calls ``run()``.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent

TARGET_CALLS_PER_SECOND = 200_000
CALLS = 200_000
ROUNDS = 5
SEED = 20250101


def _inputs(count: int) -> list[tuple[date, int]]:
    rng = random.Random(SEED)
    first = date(2004, 1, 1)
    span = (date(2030, 12, 31) - first).days
    return [
        (first + timedelta(days=rng.randint(0, span)), rng.randint(1, 60)) for _ in range(count)
    ]


def _best_rate(function: Any, inputs: list[tuple[date, int]]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for start, days in inputs:
            function(start, days)
        best = min(best, time.perf_counter() - started)
    return len(inputs) / best


def run() -> dict[str, Any]:
    """Measure and return the figures (Django must be set up, the calendar seeded)."""
    from workflows.calendar import api

    calendar = api.get_calendar()
    inputs = _inputs(CALLS)
    api_rate = _best_rate(api.add_working_days, inputs)
    engine_rate = _best_rate(calendar.add_working_days, inputs)
    return {
        "name": "calendar.add_working_days",
        "calls": CALLS,
        "rounds": ROUNDS,
        "calls_per_second": round(api_rate),
        "engine_calls_per_second": round(engine_rate),
        "target_calls_per_second": TARGET_CALLS_PER_SECOND,
        "meets_target": api_rate >= TARGET_CALLS_PER_SECOND,
        "provisional_years": len(calendar.provisional_years()),
    }


def main() -> None:
    """Set up Django and print the figures as JSON."""
    import json
    import os

    sys.path.insert(0, str(_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    print(json.dumps(run(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
