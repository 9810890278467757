"""Escalate referrals not acknowledged in time (cron every minute, or via sweep_deadlines)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from workflows.firstquestion.sweep import referrals_escalate


class Command(BaseCommand):
    help = (
        "转办签收扫描：超过签收期限仍未签收的转办，督办首问责任人及其督查人员（每件只督办一次）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", help="按指定时刻扫描（ISO 8601，带时区），用于补跑或演示；默认为当前时间"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime | None = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError(
                    "--now 须为带时区的 ISO 8601 时间，例如 2026-03-10T10:05:00+08:00"
                )
        count = referrals_escalate(now=now)
        self.stdout.write(f"转办签收扫描完成：新增超时督办 {count} 件。")
