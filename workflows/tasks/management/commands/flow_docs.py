"""Write docs/flows/<package>.md from the Flow classes (or --check that they are current)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.tasks.flowdocs import generate


class Command(BaseCommand):
    help = "Generate docs/flows/*.md (mermaid diagrams of every flow) from the Flow classes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a file is out of date.")

    def handle(self, *args: Any, **options: Any) -> None:
        stale = []
        for path, content in generate().items():
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == content:
                continue
            if options["check"]:
                stale.append(path.name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            self.stdout.write(f"wrote {path}")
        if stale:
            raise CommandError(f"out of date: {', '.join(stale)}; run manage.py flow_docs")
