"""好差评 and 预约 through the API: read in scope; book by the public page's rules, once per key."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from tests.conftest import applicant
from tests.workflows.api.conftest import MakeSystem, token_for
from workflows.api.models import IdempotentRequest
from workflows.calendar.services import calendar_seed
from workflows.cases import services as case_services
from workflows.catalog.models import Center, ItemMaterial, ServiceItem, StaffProfile
from workflows.catalog.roles import CLERK
from workflows.hall.models import Booking
from workflows.rating import services as rating_services
from workflows.rating.models import Channel, Moment, Rating

pytestmark = pytest.mark.django_db

ITEM = "GA-HKQY"
CITIZEN = {"name": "李四", "id_number": "110101199003077774", "phone": "13912345678"}


def bearer(client: Client, system: tuple, scopes: str = "") -> dict[str, str]:  # type: ignore[type-arg]
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(client, system, scopes)}"}


def town() -> Center:
    found = Center.objects.filter(level=Center.Level.TOWN).order_by("code").first()
    assert found is not None
    return found


def rated_case(center: Center, level: int) -> Rating:
    """A case received and accepted at ``center``, rated at the window's pad."""
    clerk, created = User.objects.get_or_create(username=f"clerk-{center.code}")
    if created:
        clerk.groups.add(Group.objects.get_or_create(name=CLERK)[0])
        StaffProfile.objects.create(user=clerk, center=center, title="窗口")
    item = ServiceItem.objects.get(code=ITEM)
    case = case_services.case_receive(
        center=center,
        item=item,
        actor=clerk,
        applicant=applicant(),
        materials=[
            case_services.MaterialLine(material_id=m.pk, copies=m.copies)
            for m in ItemMaterial.objects.filter(item=item)
        ],
    )
    case = case_services.case_accept(case=case, actor=clerk)
    invitation = rating_services.rating_invite(case=case, moment=Moment.ACCEPTANCE)
    return rating_services.rating_submit(
        invitation=invitation,
        level=level,
        reasons=["long_wait"] if level <= 2 else [],
        channel=Channel.WINDOW,
        actor=clerk,
    )


@pytest.fixture
def hall(reference: None) -> None:
    calendar_seed()
    call_command("hall_setup", stdout=io.StringIO())


# ---------------------------------------------------------------- ratings


def test_a_centers_ratings_come_with_their_rectification_state(
    client: Client, make_system: MakeSystem
) -> None:
    auth = bearer(client, make_system())
    py = Center.objects.get(code="PY")
    bad = rated_case(py, 1)
    rated_case(py, 5)

    response = client.get("/api/v1/centers/PY/ratings/", **auth)

    assert response.status_code == 200, response.content
    rows = {row["id"]: row for row in response.json()}
    assert len(rows) == 2
    row = rows[bad.pk]
    assert row["case"] == bad.case.number
    assert row["bad"] is True
    assert row["reasons"] == ["long_wait"]
    assert row["rectification"]["state"] == "call_back"
    assert row["rectification"]["call_back_due_at"]
    assert "rater_id_number" not in row
    good = next(r for r in rows.values() if r["id"] != bad.pk)
    assert good["rectification"] is None
    one = client.get(f"/api/v1/ratings/{bad.pk}/", **auth)
    assert one.status_code == 200
    assert one.json()["level"] == 1


def test_a_town_system_gets_404_for_the_countys_ratings(
    client: Client, make_system: MakeSystem
) -> None:
    rating = rated_case(Center.objects.get(code="PY"), 2)
    auth = bearer(client, make_system(name="镇系统", center=town().code))

    listing = client.get("/api/v1/centers/PY/ratings/", **auth)
    detail = client.get(f"/api/v1/ratings/{rating.pk}/", **auth)

    assert listing.status_code == 404
    assert listing["Content-Type"] == "application/problem+json"
    assert detail.status_code == 404
    # …while the county system sees the town's, below it.
    mine = rated_case(town(), 4)
    county = bearer(client, make_system())
    assert client.get(f"/api/v1/ratings/{mine.pk}/", **county).status_code == 200


def test_ratings_need_their_scope(client: Client, make_system: MakeSystem) -> None:
    auth = bearer(client, make_system(scopes=["cases:read"]))
    response = client.get("/api/v1/centers/PY/ratings/", **auth)
    assert response.status_code == 403
    assert "ratings:read" in response.json()["detail"]
    assert client.get("/api/v1/centers/PY/ratings/").status_code == 401


# ---------------------------------------------------------------- bookings


def first_free_slot(client: Client, auth: dict[str, str], center: str = "PY") -> str:
    response = client.get(f"/api/v1/centers/{center}/slots/", {"item": ITEM}, **auth)
    assert response.status_code == 200, response.content
    days = response.json()
    assert days, "the hall has bookable days"
    slot = days[0]["slots"][0]
    assert slot["free"] > 0
    return str(slot["starts_at"])


def book(client: Client, auth: dict[str, str], key: str, **fields: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/bookings/",
        json.dumps({"center": "PY", "item": ITEM, **CITIZEN, **fields}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **auth,
    )


def test_a_system_books_a_free_slot_once_per_key(
    client: Client, make_system: MakeSystem, hall: None
) -> None:
    auth = bearer(client, make_system())
    starts_at = first_free_slot(client, auth)
    key = uuid.uuid4().hex

    first = book(client, auth, key, starts_at=starts_at)
    again = book(client, auth, key, starts_at=starts_at)

    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "booked"
    assert body["id_number"].endswith("7774")
    assert "19900307" not in body["id_number"]
    assert first["Location"] == f"/api/v1/bookings/{body['reference']}/"
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == body
    assert Booking.objects.count() == 1
    booking = Booking.objects.get()
    assert booking.booked_by is not None  # the system's service account
    read = client.get(f"/api/v1/bookings/{body['reference']}/", **auth)
    assert read.status_code == 200
    assert read.json()["reference"] == body["reference"]
    # The slot now counts the booking.
    slots = client.get("/api/v1/centers/PY/slots/", {"item": ITEM}, **auth).json()
    taken = [s for d in slots for s in d["slots"] if s["starts_at"] == starts_at]
    assert not taken or taken[0]["booked"] == 1


def test_one_live_booking_per_id_and_item_as_on_the_public_page(
    client: Client, make_system: MakeSystem, hall: None
) -> None:
    auth = bearer(client, make_system())
    starts_at = first_free_slot(client, auth)
    assert book(client, auth, uuid.uuid4().hex, starts_at=starts_at).status_code == 201

    second = book(client, auth, uuid.uuid4().hex, starts_at=starts_at)

    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"
    assert "有效预约" in second.json()["detail"]
    assert Booking.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1, "a refusal is not stored as an answer"


def test_a_closed_slot_or_a_bad_id_is_a_clear_400(
    client: Client, make_system: MakeSystem, hall: None
) -> None:
    auth = bearer(client, make_system())
    starts_at = first_free_slot(client, auth)
    closed = book(client, auth, uuid.uuid4().hex, starts_at="2026-01-01T03:00:00+08:00")
    bad_id = book(
        client, auth, uuid.uuid4().hex, starts_at=starts_at, id_number="110101199003077770"
    )
    assert closed.status_code == 400
    assert "时段" in closed.json()["detail"]
    assert bad_id.status_code == 400
    assert not Booking.objects.exists()


def test_bookings_outside_the_systems_scope_are_404(
    client: Client, make_system: MakeSystem, hall: None
) -> None:
    county = bearer(client, make_system())
    reference = book(client, county, uuid.uuid4().hex, starts_at=first_free_slot(client, county))
    assert reference.status_code == 201
    other = bearer(client, make_system(name="镇系统", center=town().code))

    assert (
        client.get(f"/api/v1/bookings/{reference.json()['reference']}/", **other).status_code == 404
    )
    assert client.get("/api/v1/centers/PY/slots/", {"item": ITEM}, **other).status_code == 404
    refused = book(client, other, uuid.uuid4().hex, starts_at=first_free_slot(client, county))
    assert refused.status_code == 404
    assert Booking.objects.count() == 1


def test_booking_needs_the_write_scope(client: Client, make_system: MakeSystem, hall: None) -> None:
    auth = bearer(client, make_system(scopes=["bookings:read"]))
    response = book(client, auth, uuid.uuid4().hex, starts_at=first_free_slot(client, auth))
    assert response.status_code == 403
    assert not Booking.objects.exists()
