"""Benchmark: Celery mode (issue 17): accepts do not render; receipts scale with workers.

With ``ONEWINDOW_USE_CELERY=true`` the accept commits the receipt's render job
and hands it to a Celery worker on Redis; the clerk's request never renders.
This bench, on its own database ``onewindow_celery`` (next to
``DATABASE_URL``) and its own Redis database (``BENCH_CELERY_BROKER_URL``,
default ``redis://127.0.0.1:6379/11``):

1. starts gunicorn with production settings and Celery mode
   (``benches/http_load.py``'s server and client) with **no** worker running,
   and drives the intake + 受理 POST at concurrency 2 for a fixed time; the
   render jobs it queued and the rendered files are counted in PostgreSQL
   afterwards: every job still pending and no file rendered shows the
   request path did not render;
2. starts one Celery worker process and times until every queued job is
   rendered: documents per second with one worker;
3. queues a second batch the same way and drains it with two worker
   processes: documents per second with two.

Each worker's first receipt loads WeasyPrint and the fonts (gunicorn's
post-fork does that for the web; a worker does it on its first job), so the
total figure includes one start-up per worker, as a freshly started worker
would; the steady figure counts from the first receipt out to the last.
``BENCH_QUICK=1`` drives 5 s of accepts per batch; the full run 20 s. The
machine's load average is recorded; rerun on an idle machine for the
figures docs/operations.md sizes from.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python benches/<name>.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benches import _db

ROOT = Path(__file__).resolve().parent.parent
CELERY_DB = "onewindow_celery"
BROKER = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
CONCURRENCY = 2
DRAIN_LIMIT_S = 600


quick = _db.quick


def celery_database_url() -> str:
    return _db.bench_database_url(CELERY_DB, override="BENCH_CELERY_DATABASE_URL")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["ONEWINDOW_USE_CELERY"] = "true"
    os.environ["CELERY_BROKER_URL"] = BROKER
    _db.setup_django(url)


def _counts() -> tuple[int, int]:
    """(render jobs pending, rendered files)."""
    from documents.models import DocumentFile, RenderJob

    pending = RenderJob.objects.filter(state=RenderJob.State.PENDING).count()
    return pending, DocumentFile.objects.count()


def _queue_batch(seconds: float) -> dict[str, Any]:
    """Accepts over HTTP with no worker running; what they queued and rendered."""
    from benches import http_load

    pending0, files0 = _counts()
    server = http_load.start_server()
    try:
        sessions = []
        for _ in range(CONCURRENCY):
            session = http_load.Session().login("clerk")
            session.intake = http_load._intake_form(session)  # type: ignore[attr-defined]
            sessions.append(session)
        point = http_load.drive(sessions, http_load._accept, seconds, server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    pending, files = _counts()
    point["render_jobs_queued"] = pending - pending0
    point["files_rendered_by_the_requests"] = files - files0
    return point


def _drain(workers: int) -> dict[str, Any]:
    """Start ``workers`` worker processes and time until no render job is pending."""
    pending, files0 = _counts()
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(workers),
            "--pool",
            "prefork",
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ},
        start_new_session=True,
    )
    started = time.monotonic()
    first_done: float | None = None  # the first receipt out: the worker is up and warm
    try:
        while (counts := _counts())[0] > 0:
            if first_done is None and counts[1] > files0:
                first_done = time.monotonic()
            if worker.poll() is not None:
                raise RuntimeError("the Celery worker exited")
            if time.monotonic() - started > DRAIN_LIMIT_S:
                raise RuntimeError(f"{_counts()[0]} jobs still pending after {DRAIN_LIMIT_S} s")
            time.sleep(0.2)
        ended = time.monotonic()
        seconds = ended - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
    rendered = _counts()[1] - files0
    return {
        "worker_processes": workers,
        "jobs": pending,
        "files_rendered": rendered,
        "seconds_including_worker_start": round(seconds, 1),
        "documents_per_second": round(pending / seconds, 1) if seconds else None,
        # After the first receipt (start-up and the first font load excluded).
        "steady_documents_per_second": round((pending - 1) / (ended - first_done), 1)
        if first_done is not None and ended > first_done and pending > 1
        else None,
    }


def measure() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("setup_reference", verbosity=0)
    call_command("demo_users", verbosity=0)
    seconds = 5.0 if quick() else 20.0
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    leftover = _drain(1) if _counts()[0] else None  # an interrupted earlier run's jobs
    result: dict[str, Any] = {
        "quick": quick(),
        "seconds_of_accepts_per_batch": seconds,
        "load_average_before": load_before,
        "leftover_drained": leftover,
    }
    for workers in (1, 2):
        batch = _queue_batch(seconds)
        result[f"{workers}_worker"] = {"accepts": batch, "render": _drain(workers)}
    one = result["1_worker"]["render"]["steady_documents_per_second"] or 0.0
    two = result["2_worker"]["render"]["steady_documents_per_second"] or 0.0
    result["two_over_one"] = round(two / one, 2) if one else None
    result["accept_path_rendered_nothing"] = all(
        result[f"{w}_worker"]["accepts"]["files_rendered_by_the_requests"] == 0 for w in (1, 2)
    )
    result["load_average_after"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def run() -> dict[str, Any]:
    """Measure in a subprocess on the Celery bench database."""
    url = celery_database_url()
    return _db.measure_in_subprocess(__file__, {**os.environ, "BENCH_CELERY_DATABASE_URL": url})


if __name__ == "__main__":
    _setup_django(celery_database_url())
    print(json.dumps(measure(), ensure_ascii=False))
