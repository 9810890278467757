"""Give every center without counters a 综合窗口 and the usual hours (idempotent).

The county hall gets four windows and a Thursday late evening (延时服务
17:30–19:30); towns get two windows. Centers that already have counters are
left as they are, so edits in the admin survive a rerun.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from workflows.catalog.models import Center, ServiceItem
from workflows.hall.models import Counter, OpeningPeriod, Period

REGULAR = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))
LATE_EVENING = (3, time(17, 30), time(19, 30))  # Thursday


class Command(BaseCommand):
    help = "Create a 综合窗口 counter and regular hours for each center that has none."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        items = list(ServiceItem.objects.filter(is_active=True))
        created = 0
        for center in Center.objects.filter(level__in=[Center.Level.COUNTY, Center.Level.TOWN]):
            if Counter.objects.filter(center=center).exists():
                continue
            county = center.level == Center.Level.COUNTY
            counter = Counter.objects.create(
                center=center,
                code="ZH",
                name=_("综合窗口"),
                prefix="A",
                windows=4 if county else 2,
                slot_minutes=30,
                service_minutes=15,
            )
            counter.items.set(items)
            for opens, closes in REGULAR:
                OpeningPeriod.objects.create(center=center, opens=opens, closes=closes)
            if county:
                weekday, opens, closes = LATE_EVENING
                OpeningPeriod.objects.create(
                    center=center, weekday=weekday, kind=Period.EXTENDED, opens=opens, closes=closes
                )
            created += 1
        self.stdout.write(
            _("大厅：为 %(count)d 个中心建立了综合窗口和办公时间。") % {"count": created}
        )
