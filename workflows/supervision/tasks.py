"""Celery tasks for the scaled setup: the same sweep as ``manage.py sweep_deadlines``."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from workflows.supervision.services import escalations_issue_orders, sweep_deadlines


@shared_task(name="supervision.sweep_deadlines", ignore_result=True)
def sweep_deadlines_task() -> dict[str, Any]:
    """Run the sweep once (Celery beat, every minute); overlapping runs queue on its lock."""
    return sweep_deadlines().as_dict()


@shared_task(name="supervision.issue_orders", ignore_result=True)
def issue_orders_task() -> int:
    """Issue pending 督办单 (the sweep also does this after each run)."""
    return escalations_issue_orders()
