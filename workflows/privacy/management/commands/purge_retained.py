"""``manage.py purge_retained``: delete security-log rows past their retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflows.privacy.retention import purge_retained


class Command(BaseCommand):
    help = "Delete status/booking look-ups and login attempts older than their retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        """Purge and say how many rows of each log went."""
        for model, count in purge_retained().items():
            self.stdout.write(f"{model}: {count} purged")
