"""A county hall with one 综合窗口 counter: regular hours, a Thursday late evening."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from workflows.catalog.models import Center, ServiceItem
from workflows.hall.models import Counter, OpeningPeriod, Period


def at(day: date, clock: str) -> datetime:
    """An aware Asia/Shanghai moment."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


@pytest.fixture
def counter(county: Center, item: ServiceItem) -> Counter:
    counter = Counter.objects.create(
        center=county,
        code="ZH",
        name="综合窗口",
        prefix="A",
        windows=2,
        slot_minutes=30,
        service_minutes=15,
    )
    counter.items.add(item)
    OpeningPeriod.objects.create(center=county, opens=time(8, 30), closes=time(12, 0))
    OpeningPeriod.objects.create(center=county, opens=time(14, 30), closes=time(17, 30))
    OpeningPeriod.objects.create(
        center=county, weekday=3, kind=Period.EXTENDED, opens=time(17, 30), closes=time(19, 0)
    )
    return counter


@pytest.fixture
def other_counter(county: Center, item: ServiceItem) -> Counter:
    counter = Counter.objects.create(center=county, code="GA", name="公安窗口", prefix="B")
    counter.items.add(item)
    return counter


def resident_id(n: int) -> str:
    """The ``n``-th valid resident ID number of a test citizen (born 1990-03-07)."""
    from forms.validators import resident_id_check_digit

    first17 = f"11010119900307{n:03d}"
    return first17 + resident_id_check_digit(first17)
