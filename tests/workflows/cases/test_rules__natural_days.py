"""Limits in natural days (e.g. 居民身份证法 60 日): a rest-day last day moves on.

民法典第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import CaseFactory
from workflows.calendar.api import get_calendar
from workflows.cases.clock import NATURAL, WORKING, ClockInput, Pause, compute_clock, local_date
from workflows.catalog.models import LimitUnit, ServiceItem

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def _input(days: int, unit: str, **kw: object) -> ClockInput:
    values: dict[str, object] = {
        "accepted_on": date(2026, 3, 2),
        "acceptance_day_counts": False,
        "promised_days": days,
        "statutory_days": days,
        "extension_days": 0,
        "warning_days": 2,
        "promised_unit": unit,
        "statutory_unit": unit,
    }
    values.update(kw)
    return ClockInput(**values)  # type: ignore[arg-type]


def test_sixty_natural_days_ending_on_labour_day_move_past_the_break() -> None:
    cal = get_calendar()
    # 03-02 + 60 days = Fri 05-01, in the 2026 劳动节 break (05-01..05-05): due Wed 05-06.
    clock = compute_clock(_input(60, NATURAL), cal)
    assert clock.statutory_due == date(2026, 5, 6)


def test_a_natural_day_limit_ending_on_a_working_day_stays_there() -> None:
    cal = get_calendar()
    # 03-02 + 15 days = Tue 03-17.
    assert compute_clock(_input(15, NATURAL), cal).statutory_due == date(2026, 3, 17)
    # 03-02 + 12 days = Sat 03-14 → Mon 03-16.
    assert compute_clock(_input(12, NATURAL), cal).statutory_due == date(2026, 3, 16)


def test_working_and_natural_days_differ() -> None:
    cal = get_calendar()
    assert compute_clock(_input(15, WORKING), cal).statutory_due == date(2026, 3, 23)


def test_a_pause_stops_natural_days_too() -> None:
    cal = get_calendar()
    pause = Pause(start=date(2026, 3, 5), end=date(2026, 3, 9), expected_days=2)
    # 3 days run to 03-05, paused to 03-09, 12 more → Sat 03-21 → Mon 03-23.
    clock = compute_clock(_input(15, NATURAL, pauses=[pause]), cal)
    assert clock.statutory_due == date(2026, 3, 23)


def test_an_extension_adds_working_days_after_a_natural_day_limit() -> None:
    cal = get_calendar()
    clock = compute_clock(_input(15, NATURAL, extension_days=2), cal)
    assert clock.statutory_due == date(2026, 3, 19)


def test_the_item_unit_reaches_the_case(case_factory: CaseFactory, item: ServiceItem) -> None:
    item.statutory_limit_days = 60
    item.statutory_limit_unit = LimitUnit.NATURAL
    item.save()
    case = case_factory(at=datetime(2026, 3, 2, 9, tzinfo=TZ), status="accepted")
    assert case.item_snapshot["statutory_limit_unit"] == "natural"
    assert local_date(case.statutory_due_at) == date(2026, 5, 6)
    # The promise stays in working days: 5 → Mon 03-09.
    assert local_date(case.promised_due_at) == date(2026, 3, 9)
