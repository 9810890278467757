"""Celery tasks for the scaled setup (the same code as the management command)."""

from celery import shared_task

from workflows.notifications.services import send_outbox


@shared_task(name="notifications.send_outbox")
def send_outbox_task() -> tuple[int, int]:
    """Send pending outbox messages."""
    return send_outbox()
