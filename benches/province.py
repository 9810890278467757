"""Benchmark: a province's database (10,000,000 cases): the sweep, desk pages, statistics.

Issue 17 asks for a province-scale run, not in CI: 10,000,000 cases and the
figures of the deadline sweep, the desk pages and the statistics. This bench
seeds its own database ``onewindow_province`` (next to ``DATABASE_URL``, or
``BENCH_PROVINCE_DATABASE_URL``) with the COPY seeding (``seed_cases``, every
state) up to ``BENCH_PROVINCE_COUNT`` cases (default 10,000,000; seeding that
many takes on the order of an hour and some 15 GB of disk), reuses what an
earlier run seeded, and measures with Django's test client (server time:
middleware, queries, template):

- the sweep at the current moment, then again with nothing left to do;
- the supervisor's overdue list (first page), the officer's task queue and
  the clerk's home page;
- the statistics page (by department) and the dashboard.

It is registered in ``benches/run.py`` but not in the default set:
``python benches/run.py province``. ``BENCH_QUICK=1`` seeds 100,000 cases
(a smoke check that the bench runs, not the province's figure).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python benches/<name>.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benches import _db

ROOT = Path(__file__).resolve().parent.parent
PROVINCE_DB = "onewindow_province"
FULL_COUNT = 10_000_000
QUICK_COUNT = 100_000
REPEAT = 5


quick = _db.quick


def target_count() -> int:
    if configured := os.environ.get("BENCH_PROVINCE_COUNT"):
        return int(configured)
    return QUICK_COUNT if quick() else FULL_COUNT


def province_database_url() -> str:
    """The URL of the province database (created if missing)."""
    return _db.bench_database_url(PROVINCE_DB, override="BENCH_PROVINCE_DATABASE_URL")


def _setup_django(url: str) -> None:
    _db.setup_django(url)


def _seed(count: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from workflows.cases.models import Case
    from workflows.cases.seeding import seed_cases

    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_reference", verbosity=0)
    call_command("demo_users", verbosity=0)
    have = Case.objects.count()
    started = time.perf_counter()
    while have < count:  # in slices, so an interrupted seeding keeps what it wrote
        step = min(count - have, 1_000_000)
        seed_cases(count=step)
        have += step
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {
        "cases": Case.objects.count(),
        "seed_seconds": round(seconds, 1),
        "database_mb": round(size / 1024 / 1024),
    }


def _median_ms(function: Any, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(times[len(times) // 2], 1)


def _pages() -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test client's host; nothing else changes
    users = get_user_model().objects
    clients = {}
    for name in ("supervisor", "ga_officer", "clerk"):
        client = Client()
        client.force_login(users.get(username=name))
        client.get("/")  # warm-up: the session, the menu
        clients[name] = client

    def get(who: str, url: str) -> Any:
        def fetch() -> None:
            response = clients[who].get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")

        return fetch

    pages = {
        "overdue_list_ms": ("supervisor", "/supervision/overdue/"),
        "task_queue_ms": ("ga_officer", "/tasks/queue/"),
        "clerk_home_ms": ("clerk", "/"),
        "statistics_by_department_ms": ("supervisor", "/supervision/statistics/?group=department"),
        "dashboard_ms": ("supervisor", "/dashboard/"),
    }
    return {name: _median_ms(get(who, url)) for name, (who, url) in pages.items()}


def measure() -> dict[str, Any]:
    from django.utils import timezone

    from workflows.supervision.services import sweep_deadlines

    count = target_count()
    database = _seed(count)
    now = timezone.now()
    started = time.perf_counter()
    first = sweep_deadlines(now=now, issue_orders=False)
    sweep_s = time.perf_counter() - started
    # The seeding leaves received cases whose five working days are long over (the
    # backlog a sweep meets after days of downtime): each sweep deems at most
    # DEEM_LIMIT of them, one flow start and notice each. Drain it before the idle
    # figure, or "idle" measures deemed acceptances (stop 24's 56 s "idle" sweep).
    drained, drain_sweeps, drain_started = first.deemed_accepted, 0, time.perf_counter()
    while True:
        again = sweep_deadlines(now=now, issue_orders=False)
        if not (again.deemed_accepted or again.overdue or again.warned or again.escalations):
            break
        drained += again.deemed_accepted
        drain_sweeps += 1
    drain_s = time.perf_counter() - drain_started
    idle_ms = _median_ms(lambda: sweep_deadlines(now=now, issue_orders=False), 3)
    return {
        "quick": quick(),
        "target_cases": count,
        "database": database,
        "sweep": {
            "seconds": round(sweep_s, 2),
            "turned_red": first.overdue,
            "warned": first.warned,
            "escalations": first.escalations,
            "deemed_accepted": first.deemed_accepted,
            "backlog_deemed_accepted": drained,
            "backlog_sweeps_after_the_first": drain_sweeps,
            "backlog_ms_per_deemed_case": round((sweep_s + drain_s) * 1000 / drained, 1)
            if drained
            else None,
            "idle_sweep_ms": idle_ms,
        },
        "pages": _pages(),
        "load_average_after": Path("/proc/loadavg").read_text().split()[:3],
    }


def run() -> dict[str, Any]:
    """Measure in a subprocess on the province database (the caller's stays untouched)."""
    url = province_database_url()
    return _db.measure_in_subprocess(
        __file__, {**os.environ, "DATABASE_URL": url, "BENCH_PROVINCE_DATABASE_URL": url}
    )


if __name__ == "__main__":
    _setup_django(province_database_url())
    print(json.dumps(measure(), ensure_ascii=False))
