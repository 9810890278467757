"""Check every case's keyed audit chain against the newest signed checkpoint."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflows.cases.audit import Finding, latest_checkpoint, verify_trail
from workflows.cases.models import CaseEvent


class Command(BaseCommand):
    help = (
        "校验办件记录（CaseEvent）的带密钥哈希链，并与最新的已签名检查点比对；"
        "列出伪造、改动、缺号、被删除和被清空的记录，有任何问题时以非零状态退出。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--case", help="只校验这个办件编号")

    def handle(self, *args: Any, **options: Any) -> None:
        findings: list[Finding] = []
        checkpoint = latest_checkpoint(findings)
        events = CaseEvent.objects.order_by("case_id", "seq")
        if options["case"]:
            events = events.filter(case__number=options["case"])
        checked, more = verify_trail(
            events.iterator(chunk_size=2000), checkpoint, whole_table=not options["case"]
        )
        findings += more
        anchor = (
            f"对照检查点 {checkpoint.path.name}（{checkpoint.taken_at}）"
            if checkpoint
            else "没有可用的检查点（请定期运行 audit_checkpoint）"
        )
        if findings:
            for finding in findings:
                self.stderr.write(str(finding))
            raise CommandError(
                f"审计链有 {len(findings)} 处问题（共校验 {checked} 条记录，{anchor}）。"
                f"第一处：{findings[0]}"
            )
        self.stdout.write(f"审计链完好：共校验 {checked} 条记录，{anchor}。")
