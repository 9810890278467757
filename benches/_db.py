"""The bench database and Django set-up, shared by the benchmarks that seed their own data.

Each benchmark keeps its data in its own database (created on the server of
``DATABASE_URL``, or in the embedded PostgreSQL when that is unset), so that a
seeded million cases is reused by the next run and never touches the
development database. ``override`` names an environment variable that points
a benchmark at another database altogether.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def quick() -> bool:
    """True for short development points (``make bench QUICK=1`` sets BENCH_QUICK=1)."""
    return os.environ.get("BENCH_QUICK", "") not in {"", "0", "false"}


def bench_database_url(name: str, *, override: str) -> str:
    """The URL of the bench database ``name`` (created if missing), or ``$override`` if set."""
    if url := os.environ.get(override):
        return url
    sys.path.insert(0, str(ROOT))
    from config.database import embedded_database_url, ensure_database

    base = os.environ.get("DATABASE_URL")
    if not base:
        return embedded_database_url(name=name)
    parts = urlsplit(base)
    server = urlunsplit(parts._replace(path="/postgres"))
    ensure_database(server.replace("postgres://", "postgresql://", 1), name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(url: str) -> None:
    """Point Django at ``url`` with production-like settings (DEBUG off) and set it up."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory: not production
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure_in_subprocess(script: str, env: dict[str, str]) -> dict[str, Any]:
    """Run ``script`` (a benchmark's file) with ``env``; return the JSON of its last line.

    The benchmark then runs against its own database, and the caller's Django
    set-up (``benches/run.py`` on the development database) stays untouched.
    """
    env = {**env}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(Path(script).resolve())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        name = Path(script).name
        raise RuntimeError(f"benches/{name} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
