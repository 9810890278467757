"""Recompute the dashboard's figures for every scope (cron every 5 minutes, and at 23:55)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.dashboard.selectors import refresh_all


class Command(BaseCommand):
    help = _("重新计算数据看板各范围（全县、各中心、各部门）的图表数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        charts = refresh_all()
        self.stdout.write(
            _("数据看板已更新：%(charts)s 张图表，用时 %(seconds).1f 秒。")
            % {"charts": charts, "seconds": time.perf_counter() - started}
        )
