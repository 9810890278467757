"""Benchmark: the window at 100,000 and at 1,000,000 cases (issues 17 and 18).

Issue 17 asks for "the same accept point with 100,000 and with 1,000,000 cases
in the database"; issue 18 for "the home page, intake form and outcome page
within 20% between 100,000 and 1,000,000 cases". This bench measures both on
one database that grows between the two points:

1. a dedicated database ``onewindow_growth`` (next to ``DATABASE_URL``, or
   ``BENCH_GROWTH_DATABASE_URL``) is migrated, given the reference data and the
   demo users, and topped up with ``seed_cases`` (COPY, every state) to the
   first size; the demo clerk (``clerk``) is made first responder of 10.8 % of
   the cases (issue 18: 108,000 of 1,000,000), so the 我的首问 badge has real
   rows to count;
2. gunicorn starts with production settings on it (``benches/http_load.py``'s
   server and client), and four logged-in clerk sessions drive each path for a
   fixed time at concurrency 4: the home page, the intake form, the outcome
   page of an accepted case, and the intake + 受理 POST;
3. the database is topped up to the second size (the same share for the
   clerk), analysed, and step 2 is repeated.

Each path's ratio is requests/s at the large size over requests/s at the small
one; "within 20%" means the ratio is at least 0.8. Seeding is reused: a rerun
tops up only what is missing. ``BENCH_QUICK=1`` measures 10,000 and 100,000
cases with 5 s points (a check that the bench works, not the issue's figure);
the full run is 100,000 and 1,000,000 with 20 s points.

Run it as ``python benches/growth.py`` (prints JSON) or call ``run()``, which
re-runs this file in a subprocess against the growth database.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: python benches/<name>.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benches import _db

ROOT = Path(__file__).resolve().parent.parent
GROWTH_DB = "onewindow_growth"
CONCURRENCY = 4
FIRST_RESPONDER_SHARE = 0.108  # issue 18: the clerk is first responder on 108,000 of 1,000,000
WITHIN = 0.8  # "within 20%": the large size serves at least 80% of the small one's rate
BENCH_CLERK = "clerk"


quick = _db.quick


def plan() -> tuple[list[int], float]:
    """(database sizes in cases, seconds per point)."""
    if quick():
        return [10_000, 100_000], 5.0
    return [100_000, 1_000_000], 20.0


def growth_database_url() -> str:
    """The URL of the growth database (created if missing)."""
    return _db.bench_database_url(GROWTH_DB, override="BENCH_GROWTH_DATABASE_URL")


def _setup_django(url: str) -> None:
    _db.setup_django(url)


def _prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_reference", verbosity=0)
    call_command("demo_users", verbosity=0)


def _grow_to(size: int) -> dict[str, Any]:
    """Top the database up to ``size`` cases; the bench clerk first responder on its share."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflows.cases.models import Case
    from workflows.cases.seeding import seed_cases

    have = Case.objects.count()
    started = time.perf_counter()
    if have < size:
        first_new = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        seed_cases(count=size - have)
        clerk = get_user_model().objects.get(username=BENCH_CLERK)
        modulo = 1000
        with connection.cursor() as cursor:
            # A deterministic, evenly spread share of the new rows (every state).
            cursor.execute(
                "UPDATE cases_case SET first_responder_id = %s WHERE id >= %s AND id %% %s < %s",
                [clerk.pk, first_new, modulo, round(FIRST_RESPONDER_SHARE * modulo)],
            )
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_caseevent")
    clerk_id = get_user_model().objects.get(username=BENCH_CLERK).pk
    return {
        "cases": Case.objects.count(),
        "clerk_first_responder_on": Case.objects.filter(first_responder_id=clerk_id).count(),
        "seed_seconds": round(seeded, 1),
    }


def _point(size: int, seconds: float) -> dict[str, Any]:
    """The four paths at ``CONCURRENCY`` on a server started for this size."""
    from benches import http_load

    server = http_load.start_server()
    try:
        sessions = []
        for _ in range(CONCURRENCY):
            session = http_load.Session().login(BENCH_CLERK)
            session.intake = http_load._intake_form(session)  # type: ignore[attr-defined]
            sessions.append(session)
        # One accept gives the outcome page to show (the clerk's own, just accepted).
        data = {**sessions[0].intake, "c-key": os.urandom(16).hex()}  # type: ignore[attr-defined]
        status, _, headers = sessions[0].post(f"/window/new/{http_load.ITEM}/", data)
        if status != 302:
            raise RuntimeError(f"accept for the outcome page: HTTP {status}")
        outcome = urlsplit(headers["Location"]).path
        paths = {
            "home": lambda s, _i: s.get("/")[0] == 200,
            "intake_form": lambda s, _i: s.get(f"/window/new/{http_load.ITEM}/")[0] == 200,
            "outcome_page": lambda s, _i: s.get(outcome)[0] == 200,
            "accept": http_load._accept,
        }
        return {
            name: http_load.drive(sessions, action, seconds, server)
            for name, action in paths.items()
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def measure() -> dict[str, Any]:
    sizes, seconds = plan()
    _prepare()
    result: dict[str, Any] = {
        "quick": quick(),
        "concurrency": CONCURRENCY,
        "seconds_per_point": seconds,
        "sizes": sizes,
    }
    points: dict[int, dict[str, Any]] = {}
    for size in sizes:
        database = _grow_to(size)
        load = Path("/proc/loadavg").read_text().split()[:3]
        points[size] = {"database": database, "load_average": load, **_point(size, seconds)}
    small, large = points[sizes[0]], points[sizes[-1]]
    ratios = {}
    for name in ("home", "intake_form", "outcome_page", "accept"):
        rate = large[name].get("per_second", 0.0) / max(small[name].get("per_second", 0.0), 0.01)
        ratios[name] = {
            "per_second_ratio": round(rate, 2),
            "p50_ratio": round(
                large[name].get("p50_ms", 0.0) / max(small[name].get("p50_ms", 0.0), 0.01), 2
            ),
            "within_20_percent": rate >= WITHIN,
        }
    result["points"] = {f"{size:,} cases": point for size, point in points.items()}
    result[f"ratio_{sizes[-1]:,}_over_{sizes[0]:,}"] = ratios
    return result


def run() -> dict[str, Any]:
    """Measure in a subprocess on the growth database (the caller's stays untouched)."""
    url = growth_database_url()
    return _db.measure_in_subprocess(
        __file__, {**os.environ, "DATABASE_URL": url, "BENCH_GROWTH_DATABASE_URL": url}
    )


if __name__ == "__main__":
    _setup_django(growth_database_url())
    print(json.dumps(measure(), ensure_ascii=False))
