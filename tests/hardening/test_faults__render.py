"""A worker killed in the middle of rendering a receipt: nothing lost, nothing done twice.

``manage.py render_documents`` runs as a subprocess against the test database,
pauses inside the render (``config/faults.py``, enabled by an environment
variable) and is SIGKILLed there. Its transaction dies with it: the job is
still pending, no PDF half-stored; the next run renders every document once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from documents.models import Document, DocumentFile, RenderJob
from documents.services import render_pending
from tests.conftest import CaseFactory
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)

ROOT = Path(settings.BASE_DIR)


def start_worker(command: list[str], marker: Path, point: str) -> subprocess.Popen[bytes]:
    """``manage.py <command>`` on the test database, pausing at ``point``."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "ONEWINDOW_FAULT_PAUSE": point,
        "ONEWINDOW_FAULT_MARKER": str(marker),
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_when_paused(worker: subprocess.Popen[bytes], marker: Path) -> None:
    """SIGKILL the worker once it reports that it reached the fault point."""
    for _ in range(600):  # up to 60 s for Django to start under load; not a timed assertion
        if marker.exists() or worker.poll() is not None:
            break
        time.sleep(0.1)
    output = b"" if worker.poll() is None else worker.communicate()[0]
    assert marker.exists(), output.decode(errors="replace")
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)


def test_a_worker_killed_mid_render_loses_nothing_and_the_next_run_finishes(
    transactional_db: None, case_factory: CaseFactory, tmp_path: Path
) -> None:
    cases = [case_factory(status="accepted") for _ in range(2)]
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers
    assert not DocumentFile.objects.exists()

    marker = tmp_path / "paused"
    kill_when_paused(start_worker(["render_documents"], marker, "render"), marker)

    # The killed transaction left nothing behind, and the job is free again.
    assert not DocumentFile.objects.exists()
    assert set(RenderJob.objects.values_list("state", flat=True)) == {RenderJob.State.PENDING}
    assert RenderJob.objects.filter(attempts__gt=0).count() == 0

    assert render_pending()["done"] == len(numbers)
    # Every document rendered once, numbered once; a further run has nothing to do.
    assert sorted(Document.objects.values_list("number", flat=True)) == numbers
    assert DocumentFile.objects.count() == len(numbers)
    assert render_pending()["done"] == 0
    assert all(c.documents.count() >= 1 for c in cases)
