"""Slots come from the hours on the working-day calendar: make-up days, rota days, closures."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.workflows.hall.conftest import at
from workflows.catalog.models import Center
from workflows.hall import schedule
from workflows.hall.models import Closure, Counter, Period, RotaDay

pytestmark = pytest.mark.django_db


def test_a_make_up_saturday_has_slots_and_a_plain_sunday_has_none(
    county: Center, counter: Counter
) -> None:
    now = at(date(2026, 10, 9), "09:00")  # Friday; Saturday 10-10 is a 调休上班 day
    days = schedule.bookable_days(county, now)
    assert date(2026, 10, 10) in days
    assert date(2026, 10, 11) not in days  # Sunday
    assert days[0] == date(2026, 10, 10)
    assert days[-1] == date(2026, 10, 15)  # five working days ahead
    slots = schedule.slots_for(counter, date(2026, 10, 10))
    assert slots[0].starts_at == at(date(2026, 10, 10), "08:30")
    assert len(slots) == 7 + 6  # 08:30–12:00 and 14:30–17:30 in half hours
    assert {slot.capacity for slot in slots} == {4}  # 2 windows × 30 min ÷ 15 min


def test_a_rest_day_has_slots_only_with_a_rota(county: Center, counter: Counter) -> None:
    RotaDay.objects.create(center=county, date=date(2026, 10, 3), opens=time(9), closes=time(12))
    days = schedule.bookable_days(county, at(date(2026, 9, 30), "10:00"))
    assert date(2026, 10, 3) in days
    assert date(2026, 10, 2) not in days  # 国庆 without a rota
    slots = schedule.slots_for(counter, date(2026, 10, 3))
    assert [s.kind for s in slots] == [Period.ROTA] * 6
    assert {s.capacity for s in slots} == {2}  # one window on duty


def test_the_thursday_late_evening_adds_extended_slots(counter: Counter) -> None:
    thursday = schedule.slots_for(counter, date(2026, 10, 15))
    friday = schedule.slots_for(counter, date(2026, 10, 16))
    assert len(thursday) == len(friday) + 3
    assert thursday[-1].kind == Period.EXTENDED
    assert thursday[-1].ends_at == at(date(2026, 10, 15), "19:00")


def test_a_closure_removes_the_day(county: Center, counter: Counter) -> None:
    Closure.objects.create(center=county, date=date(2026, 10, 13), reason="停电检修")
    assert schedule.slots_for(counter, date(2026, 10, 13)) == []
    assert date(2026, 10, 13) not in schedule.bookable_days(county, at(date(2026, 10, 12), "9:00"))


def test_a_period_can_open_fewer_windows_of_one_counter(
    county: Center, counter: Counter, other_counter: Counter
) -> None:
    """Windows per hour: Monday 08:30–12:00 with two windows, 14:30–17:30 with one."""
    from workflows.hall.models import OpeningPeriod

    OpeningPeriod.objects.filter(center=county, opens=time(14, 30)).update(
        counter=counter, windows=1
    )
    monday = date(2026, 10, 12)
    slots = {s.starts_at: s.capacity for s in schedule.slots_for(counter, monday)}
    assert slots[at(monday, "09:00")] == 4  # 2 windows × 30 min ÷ 15 min
    assert slots[at(monday, "15:00")] == 2  # 1 window in the afternoon
    other = [s.starts_at for s in schedule.slots_for(other_counter, monday)]
    assert at(monday, "15:00") not in other  # that afternoon period is this counter's only
