"""Celery application for the scaled setup (Redis broker).

On one machine everything also runs without Celery: the sweep and the
document renderer are management commands run from cron or systemd.
"""

import gc
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("onewindow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def ready_to_render(**_: Any) -> None:
    """Each worker process: fonts and print stylesheet loaded before its first job.

    What is loaded then lives as long as the process, so it is frozen out of the
    garbage collector's scans: a full collection during a render scans only what
    that render made (p90 of a render about 15 % lower, docs/receipts.md).
    """
    from documents.render import warm_up

    warm_up()
    gc.freeze()
