"""Send pending email/SMS from the outbox (cron, or Celery in the scaled setup)."""

from typing import Any

from django.core.management.base import BaseCommand

from workflows.notifications.services import send_outbox


class Command(BaseCommand):
    help = "发送待发的邮件和短信（至少一次，按去重键不重复）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent, failed = send_outbox()
        self.stdout.write(f"已发送 {sent} 条，失败待重试 {failed} 条。")
