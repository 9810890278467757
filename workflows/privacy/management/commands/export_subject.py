"""``manage.py export_subject``: a data-subject request's ZIP for one ID number (logged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.cases.errors import CaseError
from workflows.privacy.export import subject_export


class Command(BaseCommand):
    help = (
        "Export everything held about one ID number (PIPL art. 45) as a ZIP; the export is logged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id-number", required=True)
        parser.add_argument("--reason", required=True, help="why (kept in the export log)")
        parser.add_argument("--actor", required=True, help="the superuser's username")
        parser.add_argument("--out", required=True, type=Path, help="the ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the ZIP and say what it holds."""
        actor = (
            get_user_model()
            .objects.filter(username=options["actor"], is_superuser=True, is_active=True)
            .first()
        )
        if actor is None:
            raise CommandError("--actor must name an active superuser")
        try:
            content, log = subject_export(
                id_number=options["id_number"], actor=actor, reason=options["reason"]
            )
        except CaseError as exc:
            raise CommandError(str(exc)) from exc
        options["out"].write_bytes(content)
        self.stdout.write(f"{options['out']}: {log.counts} (export log #{log.pk})")
