"""Celery task: the same purge as ``manage.py purge_retained`` (Celery beat, daily)."""

from __future__ import annotations

from celery import shared_task

from workflows.privacy.retention import purge_retained


@shared_task(name="privacy.purge_retained", ignore_result=True)
def purge_retained_task() -> dict[str, int]:
    """Delete security-log rows past their retention period."""
    return purge_retained()
