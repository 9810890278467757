"""Check every case's hash-chained audit trail; exit non-zero at the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.cases.events import verify_chain
from workflows.cases.models import CaseEvent


class Command(BaseCommand):
    help = "校验办件记录（CaseEvent）的哈希链；发现被篡改的记录时以非零状态退出并指出第一条。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--case", help="只校验这个办件编号")

    def handle(self, *args: Any, **options: Any) -> None:
        events = CaseEvent.objects.order_by("case_id", "seq")
        if options["case"]:
            events = events.filter(case__number=options["case"])
        checked, broken = verify_chain(events.iterator(chunk_size=2000))
        if broken is not None:
            raise CommandError(
                f"审计链断裂：办件 {broken.case_number} 第 {broken.seq} 条记录"
                f"（event id {broken.event_id}）{broken.reason}。"
            )
        self.stdout.write(f"审计链完好：共校验 {checked} 条记录。")
