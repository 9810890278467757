"""Celery task for the scaled setup: the same push as ``manage.py push_ratings``."""

from __future__ import annotations

from celery import shared_task

from workflows.rating.push import push_pending


@shared_task(name="rating.push", ignore_result=True)
def push_task() -> int:
    """Send due records to the provincial 好差评 platform (Celery beat, every minute)."""
    return push_pending().sent
