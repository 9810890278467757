"""Celery application for the scaled setup (Redis broker).

On one machine everything also runs without Celery: the sweep and the
document renderer are management commands run from cron or systemd.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("onewindow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
