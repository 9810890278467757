"""Cron jobs of the hall: ``hall sweep`` (void no-shows) and ``hall send-sms`` (citizens' texts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from workflows.hall import services


class Command(BaseCommand):
    help = "Run the hall's background work: sweep (no-shows) or send-sms."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["sweep", "send-sms"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] == "sweep":
            count = services.booking_void_no_shows()
            self.stdout.write(_("大厅：%(count)d 个预约按爽约作废。") % {"count": count})
        else:
            count = services.sms_send()
            self.stdout.write(_("大厅：已发送 %(count)d 条短信。") % {"count": count})
