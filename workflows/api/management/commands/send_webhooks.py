"""Deliver the webhook outbox once (cron every minute, like sweep_deadlines)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflows.api.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send due webhook deliveries, retrying failures with backoff."

    def handle(self, *args: Any, **options: Any) -> None:
        delivered, failed = deliver_due()
        self.stdout.write(f"delivered={delivered} failed={failed}")
