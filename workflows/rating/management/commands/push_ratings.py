"""Send the 好差评 records to the provincial platform (cron, every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflows.rating.models import PushRecord
from workflows.rating.push import push_pending


class Command(BaseCommand):
    help = "向省好差评平台推送评价和整改结果（失败自动重试）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200, help="本次最多推送的条数")

    def handle(self, *args: Any, **options: Any) -> None:
        report = push_pending(limit=options["limit"])
        if not report.configured:
            self.stdout.write("未配置 ONEWINDOW_RATING_PUSH_URL：本次不推送，记录保留待推送。")
            return
        waiting = PushRecord.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(
            f"好差评推送完成：成功 {report.sent} 条，失败 {report.failed} 条，待推送 {waiting} 条。"
        )
