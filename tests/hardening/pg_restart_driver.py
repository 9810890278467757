"""The application side of test_faults__postgres_restart.py, run as its own process.

``python -m tests.hardening.pg_restart_driver world`` builds a center with its
staff and a few running cases past their deadlines; ``… load <stop file>``
then runs, until the stop file appears (or for ten minutes at most), window
threads that receive and accept cases (the intake's transaction:
``numbering.numbers_last``, receipt issued in it), a renderer that renders the
pending receipts and a sweeper that sweeps the deadlines. Each thread does
what a request or a worker does: closes a connection that broke, then tries
again. Every committed intake prints ``ok <case number>``; every refusal by a
broken connection prints ``fail``.

It talks to whatever ``DATABASE_URL`` names: the test's own PostgreSQL server.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import DatabaseError, InterfaceError, close_old_connections, connection  # noqa: E402

from documents.services import render_pending  # noqa: E402
from tests.conftest import applicant, complete_materials  # noqa: E402
from tests.workflows.supervision.test_services__sweep_exactly_once import (  # noqa: E402
    LATER,
    make_world,
)
from workflows.cases import numbering, services  # noqa: E402
from workflows.catalog.models import Center, ServiceItem  # noqa: E402
from workflows.supervision.services import sweep_deadlines  # noqa: E402

WINDOWS = 2
BROKEN = (DatabaseError, InterfaceError)
out = threading.Lock()


def say(line: str) -> None:
    with out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def fresh_connection() -> None:
    """What Django does between requests: drop a connection that no longer works."""
    try:
        close_old_connections()
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except BROKEN:
        connection.close()


def window(stop: Path, until: float) -> None:
    center = Center.objects.get(code="PY")
    item = ServiceItem.objects.get(code="GA-TEST")
    clerk = User.objects.get(username="clerk")
    while time.monotonic() < until and not stop.exists():
        fresh_connection()
        try:
            with numbering.numbers_last():
                case = services.case_receive(
                    center=center,
                    item=item,
                    actor=clerk,
                    applicant=applicant(),
                    materials=complete_materials(item),
                )
                case = services.case_accept(case=case, actor=clerk)
        except BROKEN as exc:
            say(f"fail {type(exc).__name__}")
            connection.close()
            time.sleep(0.2)
            continue
        number = case.number
        if number.startswith("pending-"):
            from workflows.cases.models import Case

            number = Case.objects.values_list("number", flat=True).get(pk=case.pk)
        say(f"ok {number}")
    connection.close()


def worker(stop: Path, until: float, work: str) -> None:
    while time.monotonic() < until and not stop.exists():
        fresh_connection()
        try:
            if work == "render":
                render_pending(limit=5)
            else:
                sweep_deadlines(now=LATER)
        except BROKEN as exc:
            say(f"{work}-fail {type(exc).__name__}")
            connection.close()
        time.sleep(0.3)
    connection.close()


def main() -> None:
    if sys.argv[1] == "world":
        make_world(4)
        say("world")
        return
    stop, until = Path(sys.argv[2]), time.monotonic() + 600
    threads = [threading.Thread(target=window, args=(stop, until)) for _ in range(WINDOWS)]
    threads += [threading.Thread(target=worker, args=(stop, until, w)) for w in ("render", "sweep")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    say("done")


if __name__ == "__main__":
    main()
