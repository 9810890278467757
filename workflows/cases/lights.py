"""The one home of the traffic light, lateness and on-time (docs/design-notes/design.md: 红黄绿灯).

Every display, selector, service and the sweep ask these functions; none
compares due dates itself. A due date ends at the last instant of its day
(``clock.end_of_day``), so "late" is strictly after it; yellow starts at the
first instant of the warning day.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from workflows.cases.models import RUNNING

if TYPE_CHECKING:
    from workflows.cases.models import Case


class Light(IntEnum):
    """The traffic light of an open case (its ``alert_level``)."""

    GREEN = 0
    YELLOW = 1  # the promised due date is near
    RED = 2  # the promised due date has passed
    STATUTORY_RED = 3  # the statutory due date has passed

    @property
    def label(self) -> str:
        return str(LIGHT_LABELS[self])

    @property
    def css(self) -> str:
        return self.name.lower()


LIGHT_LABELS = {
    Light.GREEN: _("绿灯"),
    Light.YELLOW: _("黄灯预警"),
    Light.RED: _("红灯超期"),
    Light.STATUTORY_RED: _("超法定时限"),
}


# ---------------------------------------------------------------- the one home of lateness
# Every display, selector and service asks these; none compares due dates itself.


def late_on_promise(case: Case, moment: datetime) -> bool:
    """Past the promised due date at ``moment`` (出件 then needs an overdue reason)."""
    return case.promised_due_at is not None and moment > case.promised_due_at


def past_statutory(case: Case, moment: datetime) -> bool:
    """Past the statutory due date at ``moment``."""
    return case.statutory_due_at is not None and moment > case.statutory_due_at


def decided_on_time(case: Case) -> bool:
    """True when the decision came by the promised due date (a decided case's verdict)."""
    return case.decided_at is not None and not late_on_promise(case, case.decided_at)


def due_level(case: Case, now: datetime) -> Light:
    """The light of the cached due dates at ``now``, whatever the status."""
    if past_statutory(case, now):
        return Light.STATUTORY_RED
    if late_on_promise(case, now):
        return Light.RED
    if case.warn_at is not None and now >= case.warn_at:
        return Light.YELLOW
    return Light.GREEN


def light_of(case: Case, now: datetime) -> Light:
    """The light a running case shows at ``now`` (any other status: green)."""
    if case.status not in RUNNING:
        return Light.GREEN
    return due_level(case, now)
