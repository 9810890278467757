"""The queue: numbering, check-in with a booking, the call order, recall, skip, transfer."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.conftest import APPLICANT_ID
from tests.workflows.hall.conftest import at, resident_id
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import errors, services
from workflows.hall.models import Booking, Counter, Ticket

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 10, 12)
NOW = at(MONDAY, "10:00")


def walk_in(counter: Counter, **kw: object) -> Ticket:
    return services.ticket_issue(counter=counter, now=kw.pop("now", NOW), **kw)  # type: ignore[arg-type]


def test_numbers_run_per_counter_and_day(counter: Counter, other_counter: Counter) -> None:
    assert [walk_in(counter).number for _ in range(3)] == ["A001", "A002", "A003"]
    assert walk_in(other_counter).number == "B001"
    assert walk_in(counter, now=at(date(2026, 10, 13), "09:00")).number == "A001"


def test_no_ticket_when_the_hall_is_closed(counter: Counter) -> None:
    with pytest.raises(errors.HallError, match="开放时间"):
        walk_in(counter, now=at(MONDAY, "12:30"))
    with pytest.raises(errors.HallError, match="开放时间"):
        walk_in(counter, now=at(date(2026, 10, 11), "10:00"))  # Sunday


def test_one_live_ticket_per_id_number(counter: Counter, other_counter: Counter) -> None:
    first = walk_in(counter, id_number=APPLICANT_ID)
    with pytest.raises(errors.HallConflict, match=first.number):
        walk_in(other_counter, id_number=APPLICANT_ID)


def test_priority_then_booked_then_walk_in(
    county: Center, counter: Counter, item: ServiceItem, clerk: User
) -> None:
    a = walk_in(counter)
    booking = services.booking_create(
        counter=counter,
        item=item,
        starts_at=at(MONDAY, "10:30"),
        name="李四",
        id_number=resident_id(1),
        phone="13800000001",
        now=at(date(2026, 10, 9), "9:00"),
    )
    b = services.ticket_check_in(center=county, reference=booking.reference, now=NOW)
    c = walk_in(counter, kind=Ticket.Kind.PRIORITY, name="王奶奶", id_number=APPLICANT_ID)
    assert b.kind == Ticket.Kind.BOOKED
    assert b.name == "李四"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    order = [
        services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
        for _ in range(4)
    ]
    assert order == [c, b, a, None]
    assert (
        Ticket.objects.filter(status=Ticket.Status.DONE).count() == 3
    )  # each call closed the last


def test_check_in_window_and_no_show(county: Center, counter: Counter, item: ServiceItem) -> None:
    booking = services.booking_create(
        counter=counter,
        item=item,
        starts_at=at(MONDAY, "15:00"),
        name="李四",
        id_number=resident_id(1),
        phone="13800000001",
        now=at(date(2026, 10, 9), "9:00"),
    )
    with pytest.raises(errors.HallError, match="最早"):
        services.ticket_check_in(center=county, reference=booking.reference, now=NOW)
    with pytest.raises(errors.HallError, match="爽约"):
        services.ticket_check_in(
            center=county, id_number=booking.id_number, now=at(MONDAY, "15:31")
        )
    ticket = services.ticket_check_in(
        center=county, id_number=booking.id_number, now=at(MONDAY, "15:29")
    )
    assert ticket.booking == booking


def test_recall_skip_once_then_void(counter: Counter, clerk: User) -> None:
    a, b = walk_in(counter), walk_in(counter)
    called = services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    assert called == a
    assert services.ticket_recall(ticket=a, clerk=clerk, now=NOW).calls == 2
    skipped = services.ticket_skip(ticket=a, clerk=clerk, now=at(MONDAY, "10:01"))
    assert skipped.status == Ticket.Status.WAITING  # back into the queue, behind b
    nxt = services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    assert nxt == b
    again = services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    assert again == a
    assert services.ticket_skip(ticket=a, clerk=clerk, now=NOW).status == Ticket.Status.MISSED
    with pytest.raises(errors.HallConflict, match="不能进行"):
        services.ticket_recall(ticket=a, clerk=clerk, now=NOW)


def test_transfer_keeps_the_number_and_its_place(
    counter: Counter, other_counter: Counter, clerk: User
) -> None:
    a = walk_in(counter, now=at(MONDAY, "09:00"))
    b = walk_in(other_counter, now=at(MONDAY, "09:30"))
    services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    moved = services.ticket_transfer(ticket=a, counter=other_counter, clerk=clerk, now=NOW)
    assert moved.number == "A001"
    assert moved.transferred_from == counter
    first = services.ticket_call_next(
        counters=[other_counter], clerk=clerk, window="2号窗口", now=NOW
    )
    assert first == a
    assert b.status == Ticket.Status.WAITING


def test_only_the_calling_clerk_acts_on_a_ticket(
    counter: Counter, clerk: User, town_clerk: User
) -> None:
    a = walk_in(counter)
    services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    with pytest.raises(errors.HallConflict, match="其他窗口"):
        services.ticket_finish(ticket=a, clerk=town_clerk)


def test_call_next_needs_a_window_name(counter: Counter, clerk: User) -> None:
    with pytest.raises(errors.HallError, match="窗口的名称"):
        services.ticket_call_next(counters=[counter], clerk=clerk, window=" ", now=NOW)


def test_a_rolled_back_ticket_gives_its_number_back(counter: Counter) -> None:
    from django.db import transaction

    walk_in(counter)

    def issue_then_fail() -> None:
        with transaction.atomic():
            walk_in(counter)  # A002, then the surrounding work fails
            raise RuntimeError

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert walk_in(counter).number == "A002"  # gapless: no A003 before A002


def test_a_booking_that_asked_for_help_checks_in_with_priority(
    county: Center, counter: Counter, item: ServiceItem, clerk: User
) -> None:
    first = walk_in(counter, now=at(MONDAY, "9:40"))
    booking = services.booking_create(
        counter=counter,
        item=item,
        starts_at=at(MONDAY, "10:00"),
        name="王奶奶",
        id_number=resident_id(7),
        phone="13800000007",
        needs_help=True,
        help_note="轮椅",
        now=at(date(2026, 10, 9), "9:00"),
    )
    helped = services.ticket_check_in(center=county, reference=booking.reference, now=NOW)
    assert helped.kind == Ticket.Kind.PRIORITY
    assert helped.rank == 0
    called = services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口", now=NOW)
    assert called == helped  # before the walk-in who came twenty minutes earlier
    assert first.status == Ticket.Status.WAITING
