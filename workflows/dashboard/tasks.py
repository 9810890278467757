"""Celery task for the scaled setup: the same refresh as ``manage.py dashboard_refresh``."""

from __future__ import annotations

from celery import shared_task

from workflows.dashboard.selectors import refresh_all


@shared_task(name="dashboard.refresh", ignore_result=True)
def refresh_task() -> int:
    """Recompute every scope's charts (Celery beat, every 5 minutes and just before midnight)."""
    return refresh_all()
