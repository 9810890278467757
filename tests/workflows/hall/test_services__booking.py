"""Booking: free slots, the cutoff, one live booking per ID and item, limits, cancel and move."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from tests.conftest import APPLICANT_ID
from tests.workflows.hall.conftest import at, resident_id
from workflows.catalog.models import ServiceItem
from workflows.hall import errors, services
from workflows.hall.models import Booking, Counter, SmsMessage

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 10, 9)
MONDAY = date(2026, 10, 12)
OTHER_ID = resident_id(99)


def book(counter: Counter, item: ServiceItem, starts: str = "09:00", **kw: object) -> Booking:
    values: dict[str, object] = {
        "counter": counter,
        "item": item,
        "starts_at": at(MONDAY, starts),
        "name": "张三",
        "id_number": APPLICANT_ID,
        "phone": "13912345678",
        "now": at(FRIDAY, "10:00"),
    }
    values.update(kw)
    return services.booking_create(**values)  # type: ignore[arg-type]


def test_a_booking_gets_a_reference_and_an_sms(counter: Counter, item: ServiceItem) -> None:
    booking = book(counter, item)
    assert len(booking.reference) == 8
    assert booking.status == Booking.Status.BOOKED
    sms = SmsMessage.objects.get()
    assert booking.reference in sms.body
    assert sms.phone == "13912345678"


def test_one_live_booking_per_id_number_and_item(counter: Counter, item: ServiceItem) -> None:
    first = book(counter, item)
    with pytest.raises(errors.HallConflict, match=first.reference[-4:]):
        book(counter, item, starts="10:00")
    services.booking_cancel(booking=first, now=at(FRIDAY, "11:00"))
    assert book(counter, item, starts="10:00").status == Booking.Status.BOOKED


def test_a_full_slot_refuses_the_next_citizen(counter: Counter, item: ServiceItem) -> None:
    ids = [resident_id(n) for n in range(1, 4)] + [OTHER_ID]
    for i, number in enumerate(ids):
        book(counter, item, id_number=number, phone=f"1391234{i:04d}")
    with pytest.raises(errors.HallConflict, match="约满"):
        book(counter, item)


def test_booking_closes_minutes_before_the_slot(counter: Counter, item: ServiceItem) -> None:
    with override_settings(HALL_BOOKING_SAME_DAY=True):
        with pytest.raises(errors.HallError, match="不可预约"):
            book(counter, item, starts="09:00", now=at(MONDAY, "08:51"))
        assert book(counter, item, starts="09:00", now=at(MONDAY, "08:49")).pk


def test_not_beyond_n_working_days_nor_today(counter: Counter, item: ServiceItem) -> None:
    with pytest.raises(errors.HallError, match="不可预约"):
        book(counter, item, starts_at=at(date(2026, 10, 19), "09:00"))
    with pytest.raises(errors.HallError, match="不可预约"):
        book(counter, item, starts_at=at(FRIDAY, "15:00"))


def test_limits_per_phone_and_per_address(counter: Counter, item: ServiceItem) -> None:
    items = [item]
    for n in range(3):
        extra = ServiceItem.objects.create(
            code=f"GA-X{n}",
            name=f"事项{n}",
            department=item.department,
            kind="promised",
            statutory_limit_days=5,
            promised_limit_days=5,
        )
        counter.items.add(extra)
        items.append(extra)
    for extra in items[:3]:
        book(counter, extra, ip="10.0.0.1")
    with pytest.raises(errors.HallConflict, match="上限"):
        book(counter, items[3], ip="10.0.0.1")
    with (
        override_settings(HALL_MAX_BOOKINGS_PER_IP_PER_DAY=3),
        pytest.raises(errors.HallConflict, match="网络"),
    ):
        book(counter, items[3], ip="10.0.0.1", id_number=OTHER_ID, phone="13800000000")


def test_bad_id_number_is_refused_with_the_reason(counter: Counter, item: ServiceItem) -> None:
    with pytest.raises(errors.HallError, match="校验"):
        book(counter, item, id_number="441426199001011230")


def test_find_with_the_last_four_digits_then_move(counter: Counter, item: ServiceItem) -> None:
    booking = book(counter, item)
    ip = "203.0.113.7"
    assert services.booking_find(booking.reference.lower(), "5678", ip=ip).found == booking
    assert services.booking_find(booking.reference, "1238", ip=ip).found == booking  # ID's tail
    assert services.booking_find(booking.reference, "0000", ip=ip).found is None
    moved = services.booking_move(
        booking=booking, starts_at=at(MONDAY, "15:00"), now=at(FRIDAY, "12:00")
    )
    assert moved.starts_at == at(MONDAY, "15:00")
    with pytest.raises(errors.HallConflict, match="已开始"):
        services.booking_cancel(booking=moved, now=at(MONDAY, "15:05"))


def test_no_show_is_voided_after_thirty_minutes(counter: Counter, item: ServiceItem) -> None:
    booking = book(counter, item)
    assert services.booking_void_no_shows(now=at(MONDAY, "09:29")) == 0
    assert services.booking_void_no_shows(now=at(MONDAY, "09:31")) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
