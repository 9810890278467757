"""Real threads against PostgreSQL: calling next, numbering and the last place in a slot."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.concurrency import run_together
from tests.factories import staff
from tests.workflows.hall.conftest import at, resident_id
from workflows.catalog import roles
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import errors, services
from workflows.hall.models import Booking, Counter, Ticket

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = date(2026, 10, 12)
NOW = at(MONDAY, "10:00")


def test_twenty_clerks_calling_at_once_get_different_tickets_none_skipped(
    county: Center, counter: Counter
) -> None:
    tickets = [services.ticket_issue(counter=counter, now=NOW) for _ in range(25)]
    clerks: list[User] = [staff(f"c{i}", roles.CLERK, center=county) for i in range(20)]

    def call(i: int) -> int | None:
        ticket = services.ticket_call_next(
            counters=[counter], clerk=clerks[i], window=f"{i + 1}号窗口", now=NOW
        )
        return None if ticket is None else ticket.pk

    results = run_together(20, call)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 20
    assert sorted(results) == [t.pk for t in tickets[:20]]  # the first twenty, none skipped
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 5


def test_twenty_kiosks_at_once_number_gaplessly(counter: Counter) -> None:
    results = run_together(20, lambda i: services.ticket_issue(counter=counter, now=NOW).serial)
    assert sorted(results) == list(range(1, 21))  # type: ignore[type-var]


def test_ten_citizens_for_four_places_four_get_one(counter: Counter, item: ServiceItem) -> None:
    ids = [resident_id(n) for n in range(10)]

    def book(i: int) -> str:
        return services.booking_create(
            counter=counter,
            item=item,
            starts_at=at(MONDAY, "09:00"),
            name=f"市民{i}",
            id_number=ids[i],
            phone=f"139000000{i:02d}",
            now=at(date(2026, 10, 9), "9:00"),
        ).reference

    results = run_together(10, book)
    won = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, errors.HallConflict)]
    assert len(won) == 4, results
    assert len(refused) == 6, results
    assert Booking.objects.filter(starts_at=at(MONDAY, "09:00")).count() == 4
