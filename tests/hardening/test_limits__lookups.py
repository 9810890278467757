"""One limiter for the public look-ups: status, rating digits and bookings (issues #13, #15).

A per-target lock stops guessing but is short and doubles, so a stranger cannot
shut the applicant out for an hour; a noisy address is only slowed down for a
minute; the receipt's QR code is never limited; booking creation has quotas.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import CaseFactory
from tests.workflows.hall.conftest import counter, resident_id  # noqa: F401  (fixture)
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from workflows.catalog.models import ServiceItem
from workflows.firstquestion.services import status_lookup
from workflows.hall.models import Booking
from workflows.web.models import LookupAttempt, LookupResult, LookupScope

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = "2026-10-09 10:00 +0800"
PROXY = "10.0.0.1"


def status(number: str, digits: str, *, ip: str):
    return Client().post(reverse("status"), {"number": number, "digits": digits}, REMOTE_ADDR=ip)


def manage(reference: str, digits: str, *, ip: str, **extra: str):
    return Client().post(
        reverse("hall:manage"), {"reference": reference, "digits": digits, **extra}, REMOTE_ADDR=ip
    )


def book(item: ServiceItem, *, ip: str, n: int, phone: str = "13912345678"):
    return Client().post(
        reverse("hall:book_item", args=["PY", item.code]),
        {
            "name": "张三",
            "id_number": resident_id(n),
            "phone": phone,
            "slot": f"2026-10-12T{9 + n % 3:02d}:00",
        },
        REMOTE_ADDR=ip,
    )


def booked(item: ServiceItem, ip: str = "203.0.113.50") -> Booking:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        assert book(item, ip=ip, n=1).status_code == 302
    return Booking.objects.get()


# ---------------------------------------------------------------- status page


def test_twenty_wrong_guesses_from_one_address_only_briefly_slow_another_citizen(
    case_factory: CaseFactory,
) -> None:
    case = case_factory(status="accepted")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for n in range(20):
            assert status(f"PY-2026-{800000 + n}", "1111", ip=PROXY).status_code == 404
        slowed = status(case.number, "5678", ip=PROXY)
        assert slowed.status_code == 429
        assert "10:01" in slowed.content.decode()  # says when to try again
        # Not the case number's lock: the applicant elsewhere is served at once.
        assert status(case.number, "5678", ip="198.51.100.3").status_code == 200
    with time_machine.travel("2026-03-10 10:01 +0800", tick=False):
        assert status(case.number, "5678", ip=PROXY).status_code == 200


def test_a_stranger_guessing_all_day_gets_few_tries_and_never_an_hour_long_first_lock(
    case_factory: CaseFactory,
) -> None:
    case = case_factory(status="accepted")
    start = datetime.fromisoformat("2026-03-10T00:00:00+08:00")
    moment, tries, locks, last_wrong = start, 0, [], start
    while moment < start + timedelta(hours=24):
        outcome = status_lookup(
            ip=f"198.51.100.{tries % 200 + 1}", case_number=case.number, digits="0000", now=moment
        )
        if outcome.refusal is None:
            tries, last_wrong = tries + 1, moment
            moment += timedelta(seconds=1)
        else:  # the stranger comes back the moment the lock opens
            locks.append(outcome.refusal.until - last_wrong)
            moment = outcome.refusal.until
    # Five tries, then a five-minute lock that doubles while the guessing goes on, to an hour.
    assert locks[:3] == [timedelta(minutes=5)] * 3
    assert timedelta(minutes=10) in locks
    assert max(locks) <= timedelta(hours=1)
    assert tries <= 50  # of 10,000 possible endings
    wrong = LookupAttempt.objects.filter(target=case.number, result=LookupResult.WRONG)
    assert wrong.count() == tries


def test_the_applicant_with_the_receipt_qr_is_never_locked_out(case_factory: CaseFactory) -> None:
    from documents.models import Document

    case = case_factory(status="accepted")
    document = Document.objects.filter(case=case).first()
    assert document is not None
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for n in range(30):
            status(case.number, f"{n:04d}", ip=f"198.51.100.{n + 1}")
        assert status(case.number, "5678", ip="198.51.100.99").status_code == 429
        page = Client().get(f"/verify/{document.token}").content.decode()
    assert "真实文书" in page
    assert case.number in page


# ---------------------------------------------------------------- booking look-up


@pytest.mark.usefixtures("counter")
def test_the_booking_look_up_refuses_after_n_wrong_guesses_and_says_when(item: ServiceItem) -> None:
    booking = booked(item)
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        for n in range(5):
            wrong = manage(booking.reference, f"{n:04d}", ip=f"198.51.100.{n + 1}")
            assert wrong.status_code == 404
        refused = manage(booking.reference, "5678", ip="198.51.100.9", action="cancel")
        assert refused.status_code == 429
        assert "10:05" in refused.content.decode()
        assert refused["Retry-After"] == "300"
    assert Booking.objects.get().status == Booking.Status.BOOKED  # nothing done
    with time_machine.travel("2026-10-09 10:05 +0800", tick=False):
        found = manage(booking.reference, "5678", ip="198.51.100.9", action="cancel")
    assert found.status_code == 200
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    log = LookupAttempt.objects.filter(scope=LookupScope.BOOKING, target=booking.reference)
    assert [log.filter(result=r).count() for r in LookupResult.values] == [1, 5, 1]


@pytest.mark.usefixtures("counter")
def test_guessed_references_are_counted_and_slow_the_address_down(item: ServiceItem) -> None:
    booking = booked(item)
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        for n in range(20):
            assert manage(f"ZZ{n:06d}", "5678", ip=PROXY).status_code == 404
        slowed = manage(booking.reference, "5678", ip=PROXY)
        assert slowed.status_code == 429
        assert "10:01" in slowed.content.decode()
        assert manage(booking.reference, "5678", ip="198.51.100.3").status_code == 200
    wrong = LookupAttempt.objects.filter(scope=LookupScope.BOOKING, ip=PROXY, result="wrong")
    assert wrong.count() == 20


@override_settings(LOOKUP_WRONG_PER_TARGET=2)
@pytest.mark.usefixtures("counter")
def test_the_booking_limit_is_a_setting(item: ServiceItem) -> None:
    booking = booked(item)
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        manage(booking.reference, "0000", ip="198.51.100.1")
        manage(booking.reference, "0001", ip="198.51.100.2")
        assert manage(booking.reference, "5678", ip="198.51.100.3").status_code == 429


# ---------------------------------------------------------------- booking creation (hoarding)


@pytest.mark.usefixtures("counter")
def test_booking_creation_is_limited_per_phone(item: ServiceItem) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        for n in range(3):
            assert book(item, ip=f"203.0.113.{n + 1}", n=n).status_code == 302
        refused = book(item, ip="203.0.113.9", n=3)
    assert refused.status_code == 409
    assert "上限" in refused.content.decode()
    assert Booking.objects.count() == 3


@override_settings(HALL_MAX_BOOKINGS_PER_IP_PER_DAY=3)
@pytest.mark.usefixtures("counter")
def test_booking_creation_is_limited_per_address(item: ServiceItem) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        for n in range(3):
            assert book(item, ip=PROXY, n=n, phone=f"1391234000{n}").status_code == 302
        refused = book(item, ip=PROXY, n=3, phone="13912340009")
        assert book(item, ip="203.0.113.9", n=4, phone="13912340008").status_code == 302
    assert refused.status_code == 409
    assert "网络" in refused.content.decode()
    assert Booking.objects.count() == 4
