"""``manage.py render_documents``: render the PDFs waiting in the outbox (run from cron).

``--report`` lists documents whose rendering failed for good or is long
overdue, and exits with status 1 when there are any, so monitoring notices.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from documents.selectors import render_problems
from documents.services import render_pending

PROBLEMS = (
    "{count} 份文书没有 PDF：排除原因后，在管理后台“文书”中对其执行“重新生成 PDF”"
    "（或等待下次重试）。"
)


class Command(BaseCommand):
    help = "生成待生成的文书 PDF；加 --report 则列出生成失败或长时间未生成的文书。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="本次最多生成多少份（500）")
        parser.add_argument(
            "--report",
            action="store_true",
            help="只报告生成失败或长时间未生成的文书（有则以状态 1 退出）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"]:
            self._report()
            return
        counts = render_pending(limit=options["limit"])
        self.stdout.write(
            "已生成 {done} 份，待重试 {retry} 份，最终失败 {failed} 份".format(**counts)
        )

    def _report(self) -> None:
        problems = list(render_problems())
        if not problems:
            self.stdout.write("没有等待生成 PDF 的文书。")
            return
        for job in problems:
            document = job.document
            issued = timezone.localtime(document.issued_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{job.get_state_display()}\t{document.number}\t{document.case.number}\t"
                f"{document.get_kind_display()}\t{issued}\t尝试 {job.attempts} 次\t"
                f"{job.last_error[:200]}"
            )
        raise CommandError(PROBLEMS.format(count=len(problems)))
