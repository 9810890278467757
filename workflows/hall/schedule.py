"""When a center is open and which booking slots it offers: hours on the working-day calendar.

One rule, used by booking, the kiosk, the public hours page and the statistics:

- a ``Closure`` shuts the day;
- on a working day (``workflows.calendar``: Monday–Friday minus holidays, plus
  make-up weekend days) the center keeps its ``OpeningPeriod`` rows for every
  working day and those for that weekday (regular hours and 延时服务);
- on a rest day it opens only with a ``RotaDay`` (节假日轮岗).

Slots run per counter from each period's start, ``slot_minutes`` long, while
they fit; a slot takes ``windows × slot_minutes ÷ service_minutes`` bookings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from workflows.calendar import api as calendar
from workflows.catalog.models import Center
from workflows.hall.models import Closure, Counter, OpeningPeriod, Period, RotaDay


@dataclass(frozen=True)
class OpenPeriod:
    """One stretch of opening on one day."""

    kind: str
    opens: time
    closes: time
    windows: int | None = None  # None: the counter's own number of windows
    counter_id: int | None = None  # None: every counter of the center


@dataclass(frozen=True)
class Slot:
    """A bookable stretch of one counter."""

    counter_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    kind: str
    booked: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def key(self) -> str:
        """The slot as the booking form posts it."""
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def periods_on(center: Center, day: date) -> list[OpenPeriod]:
    """The center's opening on ``day``, sorted by start (empty: closed)."""
    if Closure.objects.filter(center=center, date=day).exists():
        return []
    if calendar.is_working_day(day):
        rows = OpeningPeriod.objects.filter(center=center).filter(
            weekday__isnull=True
        ) | OpeningPeriod.objects.filter(center=center, weekday=day.weekday())
        return sorted(
            (
                OpenPeriod(
                    kind=row.kind,
                    opens=row.opens,
                    closes=row.closes,
                    windows=row.windows,
                    counter_id=row.counter_id,
                )
                for row in rows
            ),
            key=lambda p: (p.opens, p.closes),
        )
    rota = RotaDay.objects.filter(center=center, date=day).first()
    if rota is None:
        return []
    return [
        OpenPeriod(kind=Period.ROTA, opens=rota.opens, closes=rota.closes, windows=rota.windows)
    ]


def period_at(center: Center, moment: datetime) -> OpenPeriod | None:
    """The period the center is in at ``moment`` (None: not open then)."""
    local = timezone.localtime(moment)
    now = local.time()
    for period in periods_on(center, local.date()):
        if period.opens <= now < period.closes:
            return period
    return None


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def slots_for(counter: Counter, day: date, periods: list[OpenPeriod] | None = None) -> list[Slot]:
    """Every slot of ``counter`` on ``day`` (booked counts left at 0)."""
    if periods is None:
        periods = periods_on(counter.center, day)
    step = timedelta(minutes=counter.slot_minutes)
    slots: dict[datetime, Slot] = {}
    for period in periods:
        if period.counter_id not in (None, counter.pk):
            continue
        windows = period.windows or counter.windows
        capacity = max(windows * counter.slot_minutes // counter.service_minutes, 1)
        start, end = _at(day, period.opens), _at(day, period.closes)
        while start + step <= end:
            slots[start] = Slot(
                counter_id=counter.pk,
                starts_at=start,
                ends_at=start + step,
                capacity=capacity,
                kind=period.kind,
            )
            start += step
    return [slots[k] for k in sorted(slots)]


def bookable_days(center: Center, now: datetime) -> list[date]:
    """Days a citizen may book now: from the next day up to N working days ahead, when open."""
    today = timezone.localtime(now).date()
    ahead = setting("HALL_BOOKING_DAYS_AHEAD", 5)
    last = calendar.add_working_days(today, ahead)
    first = today if getattr(settings, "HALL_BOOKING_SAME_DAY", False) else today + timedelta(1)
    days = []
    day = first
    while day <= last:
        if periods_on(center, day):
            days.append(day)
        day += timedelta(1)
    return days


def booking_open(slot: Slot, center: Center, now: datetime) -> bool:
    """Whether ``slot`` can still be booked (or moved to) at ``now``."""
    cutoff = timedelta(minutes=setting("HALL_BOOKING_CUTOFF_MINUTES", 10))
    day = timezone.localtime(slot.starts_at).date()
    return slot.starts_at - cutoff > now and day in bookable_days(center, now)
