"""The cases app's reactions to other layers' signals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from workflows.calendar.engine import WorkingCalendar
from workflows.calendar.signals import calendar_changed
from workflows.cases.services.upkeep import recompute_for_years


@receiver(calendar_changed)
def recompute_deadlines(*, years: list[int], calendar: WorkingCalendar, **kwargs: Any) -> None:
    """A year's arrangement changed: open deadlines depending on it move, same transaction."""
    recompute_for_years(
        years, calendar, reason=f"工作日历变更：{'、'.join(str(y) for y in years)} 年"
    )
