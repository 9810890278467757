"""Benchmark: the supervisor's dashboard on 1,000,000 cases (issue 19).

Target: each chart's figures under 300 ms server time for 1,000,000 cases, cached
or pre-aggregated where needed with the freshness shown (docs/dashboard.md).

Measured, for the county supervisor and a town supervisor:

- each chart computed from the cases (the refresh job's cost, and what the first
  viewer of a scope pays when the job has not run): median of 3;
- the whole dashboard page served from the cache (every chart, the menu, the
  template): median of 5 through the Django test client;
- ``refresh_all`` for every scope (county, each center's subtree, each department).

Data: a dedicated database ``onewindow_bench_dashboard`` on the same server as
``DATABASE_URL`` (or ``BENCH_DASHBOARD_DATABASE_URL``), seeded once with
``seed_cases(count=1_000_000)`` (every state; the same code as ``manage.py
seed_cases --count 1000000``), reused by later runs. ``BENCH_DASHBOARD_COUNT``
seeds a smaller database for a quick run (its own database name).

Run it as ``python benches/dashboard.py`` (prints JSON) or through ``make bench``.
"""

from __future__ import annotations

import functools
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python benches/<name>.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benches import _db

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_DASHBOARD_COUNT", "1000000"))
BENCH_DB = "onewindow_bench_dashboard" + ("" if COUNT == 1_000_000 else f"_{COUNT}")
TARGET_MS = 300.0


def bench_database_url() -> str:
    """The URL of this benchmark's own database (created if missing)."""
    return _db.bench_database_url(BENCH_DB, override="BENCH_DASHBOARD_DATABASE_URL")


def _setup_django(url: str) -> None:
    _db.setup_django(url)


def _seed_once() -> dict[str, Any]:
    """Migrate, load reference data and demo staff, and seed the cases unless already there."""
    from django.core.management import call_command
    from django.db import connection

    from workflows.cases.models import Case
    from workflows.cases.seeding import seed_cases

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("setup_reference", **quiet)
    call_command("demo_users", **quiet)
    have = Case.objects.count()
    seconds = None
    if have < COUNT:
        started = time.perf_counter()
        seed_cases(count=COUNT - have)
        seconds = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
    return {"cases": Case.objects.count(), "seed_seconds": seconds}


def _median_ms(function: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure() -> dict[str, Any]:
    """Time every chart uncached and the cached page, for the county and a town."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from workflows.dashboard import selectors
    from workflows.dashboard.models import Snapshot
    from workflows.supervision.selectors import desk_scope

    data = _seed_once()
    setup_test_environment()
    users = get_user_model().objects
    now = timezone.now()
    result: dict[str, Any] = {"data": data, "target_ms": TARGET_MS}
    for who in ("supervisor", "supervisor_dz"):
        user = users.get(username=who)
        scope = desk_scope(user)
        if scope is None:
            raise RuntimeError(f"{who} has no desk scope: run demo_users")
        charts = {
            kind: _median_ms(functools.partial(compute, scope, now), 3)
            for kind, compute in selectors.CHARTS.items()
        }
        client = Client()
        client.force_login(user)
        Snapshot.objects.all().delete()
        first = _median_ms(functools.partial(client.get, "/dashboard/"), 1)
        cached = _median_ms(functools.partial(client.get, "/dashboard/"), 5)
        result[who] = {
            "uncached_chart_ms": charts,
            "first_page_ms": first,
            "cached_page_ms": cached,
            "cached_meets_target": cached <= TARGET_MS,
        }
    started = time.perf_counter()
    charts_done = selectors.refresh_all()
    result["refresh_all"] = {
        "charts": charts_done,
        "seconds": round(time.perf_counter() - started, 1),
    }
    result["load_average"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def run() -> dict[str, Any]:
    """Measure on the bench database, in a subprocess."""
    env = {**os.environ, "DATABASE_URL": bench_database_url()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    _setup_django(bench_database_url())
    print(json.dumps(measure(), ensure_ascii=False))
