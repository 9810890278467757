"""gunicorn settings for OneWindow (``gunicorn config.wsgi`` reads this file).

Every value can be overridden from the environment (GUNICORN_*), e.g.
``GUNICORN_WORKERS=5 GUNICORN_THREADS=4 gunicorn config.wsgi``. See
docs/operations.md for the sizing and docs/performance.md for what it gives.

- ``preload_app``: Django and WeasyPrint are imported once in the master,
  before forking (0.4–0.7 s of imports, shared copy-on-write).
- each worker then loads the fonts and the print stylesheet at once
  (``post_fork``), so no citizen's first receipt waits a second for them.
- the Django system checks run in the master before any worker starts: a
  production start with an error (e.g. ``firstquestion.E001``, the proxy's
  client-address header) is refused.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Longer than the 5 s row-lock wait, so a waiting request is answered, not killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def when_ready(server: Any) -> None:
    """Refuse to serve when Django's system checks report an error."""
    from django.core import checks

    serious = [m for m in checks.run_checks() if m.is_serious()]
    for message in serious:
        server.log.error("system check %s: %s (%s)", message.id, message.msg, message.hint or "")
    if serious:
        server.log.error("refusing to start: fix the system check errors above")
        sys.exit(1)


def post_fork(server: Any, worker: Any) -> None:
    """Each worker: fonts and print stylesheet ready before its first request."""
    from documents.render import warm_up

    warm_up()
