"""Run the deadline sweep once (cron or a systemd timer, every minute, on one machine)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from workflows.supervision.services import sweep_deadlines


class Command(BaseCommand):
    help = "时限扫描：视为受理、黄灯预警、红灯超期、超法定时限，生成督办并通知相关人员。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", help="按指定时刻扫描（ISO 8601，带时区），用于补跑或演示；默认为当前时间"
        )
        parser.add_argument(
            "--no-orders", action="store_true", help="本次不出具督办单（留待下次运行）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime | None = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError(
                    "--now 须为带时区的 ISO 8601 时间，例如 2026-03-10T00:05:00+08:00"
                )
        report = sweep_deadlines(now=now, issue_orders=not options["no_orders"])
        self.stdout.write(
            f"时限扫描完成（{report.seconds * 1000:.0f} 毫秒）："
            f"视为受理 {report.deemed_accepted} 件（启动流程 {report.flows_started} 件），"
            f"黄灯预警 {report.warned} 件，红灯超期 {report.overdue} 件，"
            f"超法定时限 {report.statutory_overdue} 件；"
            f"新增督办 {report.escalations} 件，通知 {report.notifications} 条，"
            f"转办超时督办 {report.referrals_escalated} 件，"
            f"默认评价 {report.ratings_defaulted} 件，差评整改督办 {report.ratings_escalated} 件，"
            f"出具督办单 {report.orders_issued} 份（待出具 {report.orders_pending} 份）。"
        )
        for problem in report.problems:
            self.stderr.write(f"  未处理：{problem}")
