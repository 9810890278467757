"""Reads of the hall shared by views, commands and the benchmark."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from workflows.cases.permissions import is_admin
from workflows.catalog.models import Center
from workflows.catalog.roles import SUPERVISOR, has_role, profile_of
from workflows.hall import schedule
from workflows.hall.models import Booking, Counter, Period, Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LIVE = (Ticket.Status.WAITING, Ticket.Status.CALLED)


def hall_centers() -> QuerySet[Center]:
    """Centers with at least one active counter (the ones citizens can book or queue at)."""
    return Center.objects.filter(hall_counters__is_active=True).distinct().order_by("path")


def active_counters(center: Center) -> QuerySet[Counter]:
    return Counter.objects.filter(center=center, is_active=True).prefetch_related("items")


def counter_for_item(center: Center, item_code: str) -> Counter | None:
    return (
        Counter.objects.select_related("center")
        .filter(center=center, is_active=True, items__code=item_code, items__is_active=True)
        .order_by("position", "code")
        .first()
    )


def free_slots(counter: Counter, now: datetime) -> list[tuple[date, list[schedule.Slot]]]:
    """The bookable days of ``counter`` with each slot's booked count, open slots only."""
    days = schedule.bookable_days(counter.center, now)
    if not days:
        return []
    first = timezone.make_aware(datetime.combine(days[0], datetime.min.time()))
    last = timezone.make_aware(datetime.combine(days[-1] + timedelta(1), datetime.min.time()))
    taken = dict(
        Booking.objects.filter(
            counter=counter,
            starts_at__gte=first,
            starts_at__lt=last,
            status__in=(Booking.Status.BOOKED, Booking.Status.CHECKED_IN),
        )
        .values_list("starts_at")
        .annotate(n=Count("id"))
    )
    result = []
    for day in days:
        slots = []
        for slot in schedule.slots_for(counter, day):
            if not schedule.booking_open(slot, counter.center, now):
                continue
            booked = taken.get(slot.starts_at, 0)
            slots.append(
                schedule.Slot(
                    counter_id=slot.counter_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    capacity=slot.capacity,
                    kind=slot.kind,
                    booked=booked,
                )
            )
        if slots:
            result.append((day, slots))
    return result


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same counter that will be called before ``ticket``."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return (
        Ticket.objects.filter(counter_id=ticket.counter_id, day=ticket.day, status="waiting")
        .filter(
            Q(rank__lt=ticket.rank)
            | Q(rank=ticket.rank, queued_at__lt=ticket.queued_at)
            | Q(rank=ticket.rank, queued_at=ticket.queued_at, id__lt=ticket.pk)
        )
        .count()
    )


def waiting_by_counter(counters: Iterable[Counter], day: date) -> dict[int, int]:
    rows = (
        Ticket.objects.filter(counter__in=list(counters), day=day, status=Ticket.Status.WAITING)
        .order_by()  # the default ordering would join counter and center into the GROUP BY
        .values_list("counter_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def current_ticket(clerk: AbstractBaseUser, day: date) -> Ticket | None:
    """The ticket this clerk has called and not finished."""
    return (
        Ticket.objects.select_related("counter", "item", "booking", "case")
        .filter(called_by_id=clerk.pk, day=day, status=Ticket.Status.CALLED)
        .order_by("-last_called_at")
        .first()
    )


def recent_calls(center: Center, day: date, limit: int = 8) -> list[dict[str, Any]]:
    """The latest calls of the day for the hall display, newest first."""
    rows = (
        Ticket.objects.filter(center=center, day=day, last_called_at__isnull=False)
        .select_related("counter")
        .order_by("-last_called_at")[:limit]
    )
    return [
        {
            "id": t.pk,
            "number": t.number,
            "window": t.window,
            "counter": t.counter.name,
            "calls": t.calls,
            "at": timezone.localtime(t.last_called_at).strftime("%H:%M:%S")
            if t.last_called_at
            else "",
            "live": t.status == Ticket.Status.CALLED,
        }
        for t in rows
    ]


# ---------------------------------------------------------------- supervisors


def stats_centers(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Center]:
    """Centers whose hall statistics ``user`` may see (supervisor: own center and below)."""
    if is_admin(user):
        return Center.objects.all()
    profile = profile_of(user)
    if has_role(user, SUPERVISOR) and profile is not None and profile.center is not None:
        return Center.objects.filter(path__startswith=profile.center.path)
    return Center.objects.none()


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` percentile by linear interpolation (as PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Row:
    """Counts and times of one group of tickets (minutes)."""

    label: str
    tickets: int = 0
    booked: int = 0
    walk_in: int = 0
    priority: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def add(self, ticket: Ticket) -> None:
        self.tickets += 1
        if ticket.kind == Ticket.Kind.BOOKED:
            self.booked += 1
        elif ticket.kind == Ticket.Kind.PRIORITY:
            self.priority += 1
        else:
            self.walk_in += 1
        if ticket.called_at:
            self.waits.append((ticket.called_at - ticket.issued_at).total_seconds() / 60)
            if ticket.done_at:
                self.services.append((ticket.done_at - ticket.called_at).total_seconds() / 60)

    @property
    def wait_avg(self) -> float | None:
        return sum(self.waits) / len(self.waits) if self.waits else None

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 0.9)

    @property
    def service_avg(self) -> float | None:
        return sum(self.services) / len(self.services) if self.services else None

    @property
    def service_p90(self) -> float | None:
        return percentile(self.services, 0.9)


@dataclass
class DayStats:
    total: Row
    by_counter: list[Row]
    by_hour: list[Row]
    by_period: dict[str, int]
    bookings: int
    no_shows: int
    rota: bool


def day_stats(center: Center, day: date) -> DayStats:
    """Tickets, booked vs walk-in, no-shows, waiting and service times; 延时/轮岗 use."""
    tickets = list(
        Ticket.objects.filter(center=center, day=day).select_related("counter").order_by("id")
    )
    periods = schedule.periods_on(center, day)
    total = Row(label="")
    counters: dict[int, Row] = {}
    hours: dict[int, Row] = {}
    by_period: dict[str, int] = defaultdict(int)
    for ticket in tickets:
        total.add(ticket)
        counters.setdefault(ticket.counter_id, Row(label=ticket.counter.name)).add(ticket)
        local = timezone.localtime(ticket.issued_at)
        hours.setdefault(local.hour, Row(label=f"{local.hour:02d}:00")).add(ticket)
        kind = next((p.kind for p in periods if p.opens <= local.time() < p.closes), Period.REGULAR)
        by_period[kind] += 1
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    bookings = Booking.objects.filter(
        center=center, starts_at__gte=start, starts_at__lt=start + timedelta(1)
    )
    return DayStats(
        total=total,
        by_counter=[counters[k] for k in sorted(counters)],
        by_hour=[hours[k] for k in sorted(hours)],
        by_period=dict(by_period),
        bookings=bookings.exclude(status=Booking.Status.CANCELLED).count(),
        no_shows=bookings.filter(status=Booking.Status.NO_SHOW).count(),
        rota=any(p.kind == Period.ROTA for p in periods),
    )


def repeated_no_shows(center: Center, *, since: date, at_least: int = 2) -> list[dict[str, Any]]:
    """People (by ID number) with ``at_least`` no-shows at ``center`` since ``since``."""
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    return list(
        Booking.objects.filter(center=center, status=Booking.Status.NO_SHOW, starts_at__gte=start)
        .values("id_number")
        .annotate(n=Count("id"))
        .filter(n__gte=at_least)
        .order_by("-n", "id_number")[:100]
    )
