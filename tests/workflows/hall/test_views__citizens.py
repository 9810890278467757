"""The citizens' pages: no login, clear refusals, the reference once, kiosk and display."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import APPLICANT_ID
from workflows.catalog.models import Center, ServiceItem
from workflows.hall.models import Booking, Counter, Ticket

pytestmark = pytest.mark.django_db

FRIDAY_MORNING = "2026-10-09 10:00 +0800"
MONDAY_MORNING = "2026-10-12 10:00 +0800"


def person(**kw: str) -> dict[str, str]:
    data = {"name": "张三", "id_number": APPLICANT_ID, "phone": "13912345678"}
    data.update(kw)
    return data


def test_a_citizen_books_without_logging_in(
    client: Client, county: Center, counter: Counter, item: ServiceItem
) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        assert county.name in client.get(reverse("hall:book")).content.decode()
        page = client.get(reverse("hall:book_center", args=["PY"])).content.decode()
        assert "延时服务" in page  # Thursday's late evening is shown
        url = reverse("hall:book_item", args=["PY", item.code])
        page = client.get(url).content.decode()
        assert "居民身份证" in page  # the materials list
        assert 'value="2026-10-10T08:30"' in page  # the make-up Saturday comes first
        response = client.post(url, {**person(), "slot": "2026-10-12T09:00"})
        assert response.status_code == 302
        done = client.get(response["Location"]).content.decode()
    booking = Booking.objects.get()
    assert booking.reference in done
    assert booking.ip == "127.0.0.1"
    assert booking.booked_by is None


def test_a_refusal_keeps_what_was_typed(
    client: Client, counter: Counter, item: ServiceItem
) -> None:
    url = reverse("hall:book_item", args=["PY", item.code])
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        response = client.post(url, person(name="李四"))
        assert response.status_code == 400
        assert "请选择一个预约时段" in response.content.decode()
        response = client.post(url, {**person(), "slot": "2026-10-11T09:00"})  # Sunday
    assert response.status_code == 400
    html = response.content.decode()
    assert "不可预约" in html
    assert 'value="张三"' in html


def test_a_clerk_books_on_someones_behalf(
    client: Client, clerk: object, counter: Counter, item: ServiceItem
) -> None:
    client.force_login(clerk)  # type: ignore[arg-type]
    url = reverse("hall:book_item", args=["PY", item.code])
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        assert "代为预约" in client.get(url).content.decode()
        client.post(url, {**person(), "slot": "2026-10-12T09:00", "needs_help": "on"})
    booking = Booking.objects.get()
    assert booking.booked_by == clerk
    assert booking.needs_help


def test_manage_needs_the_last_four_digits_then_cancels(
    client: Client, counter: Counter, item: ServiceItem
) -> None:
    url = reverse("hall:book_item", args=["PY", item.code])
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        client.post(url, {**person(), "slot": "2026-10-12T09:00"})
        reference = Booking.objects.get().reference
        manage = reverse("hall:manage")
        wrong = client.post(manage, {"reference": reference, "digits": "0000"})
        assert wrong.status_code == 404
        assert "没有找到该预约" in wrong.content.decode()
        found = client.post(manage, {"reference": reference, "digits": "5678"})
        assert "户口迁移" in found.content.decode()
        client.post(manage, {"reference": reference, "digits": "5678", "action": "cancel"})
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def test_kiosk_issues_a_ticket_and_refuses_when_closed(client: Client, counter: Counter) -> None:
    kiosk = reverse("hall:kiosk", args=["PY"])
    with time_machine.travel("2026-10-11 10:00 +0800", tick=False):  # Sunday, no rota
        response = client.post(kiosk, {"action": "walk_in", "counter": counter.pk})
        assert response.status_code == 400
        assert "不在开放时间" in response.content.decode()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        response = client.post(kiosk, {"action": "walk_in", "counter": counter.pk})
        ticket_page = client.get(response["Location"]).content.decode()
        assert "A001" in ticket_page
        bad = client.get(reverse("hall:ticket", args=["PY", "forged"]))
    assert bad.status_code == 404
    assert Ticket.objects.get().number == "A001"


def test_the_display_lists_calls_as_json(client: Client, counter: Counter, clerk: object) -> None:
    from workflows.hall import services

    with time_machine.travel(MONDAY_MORNING, tick=False):
        services.ticket_issue(counter=counter)
        services.ticket_call_next(counters=[counter], clerk=clerk, window="5号窗口")  # type: ignore[arg-type]
        data = client.get(reverse("hall:display_calls", args=["PY"])).json()
        page = client.get(reverse("hall:display", args=["PY"])).content.decode()
    assert data["calls"][0]["number"] == "A001"
    assert data["calls"][0]["window"] == "5号窗口"
    assert "A001" in page
    assert "<script>" not in page  # the polling lives in a static file (CSP)


def test_citizens_see_rota_days_and_closures_in_the_hours(
    client: Client, county: Center, counter: Counter
) -> None:
    from datetime import date, time

    from workflows.hall.models import Closure, RotaDay

    RotaDay.objects.create(center=county, date=date(2026, 10, 4), opens=time(9), closes=time(12))
    Closure.objects.create(center=county, date=date(2026, 10, 9), reason="停电检修")
    with time_machine.travel("2026-10-02 09:00 +0800", tick=False):  # 国庆, eight days shown
        page = client.get(reverse("hall:book_center", args=["PY"])).content.decode()
    days = page.split("<dt>")[1:]
    sunday = next(d for d in days if d.startswith("10-04"))
    assert "09:00–12:00 节假日轮岗" in sunday
    friday = next(d for d in days if d.startswith("10-09"))
    assert "休息" in friday  # closed that day
    saturday = next(d for d in days if d.startswith("10-03"))
    assert "休息" in saturday  # a National Day holiday without a rota
