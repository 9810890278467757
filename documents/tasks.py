"""Celery task for the scaled setup (``ONEWINDOW_USE_CELERY``); cron does the same otherwise."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from documents.models import RenderJob
from documents.services import render_job


@shared_task(name="documents.render_document_job", ignore_result=True)
def render_document_job(job_id: int) -> str:
    """Render one outbox job; a failed attempt is re-queued for its next attempt time."""
    outcome = render_job(job_id)
    if outcome.state == "retry":
        job: Any = RenderJob.objects.filter(pk=job_id).values("next_attempt_at").first()
        if job is not None:
            delay = max((job["next_attempt_at"] - timezone.now()).total_seconds(), 1.0)
            render_document_job.apply_async(args=[job_id], countdown=delay)
    return outcome.state
