"""预约 → 签到取号 → 叫号 on the hall display → the clerk's intake → the case carries the ticket.

The citizen uses a phone-sized screen (390×844). The day is arranged so the
hall is open whatever the clock says when the suite runs: the county hall's
hours become 00:00–23:59 (with a rota entry when today is a rest day), and the
citizen's booking is moved to "in five minutes" before they check in, as if
they had come on the booked day.
"""

from __future__ import annotations

import io
import re
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import APPLICANT_ID
from tests.e2e.conftest import PHONE, OpenPage
from workflows.calendar import api as calendar
from workflows.catalog.models import Center
from workflows.hall.models import Booking, OpeningPeriod, RotaDay, Ticket

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_hall(site: str) -> Center:
    call_command("hall_setup", stdout=io.StringIO())
    center = Center.objects.get(code="PY")
    OpeningPeriod.objects.filter(center=center).delete()
    OpeningPeriod.objects.create(center=center, opens=time(0, 0), closes=time(23, 59, 59))
    today = timezone.localdate()
    if not calendar.is_working_day(today):
        RotaDay.objects.create(center=center, date=today, opens=time(0), closes=time(23, 59, 59))
    return center


def test_a_booked_citizen_is_called_and_the_case_carries_the_ticket(
    open_page: OpenPage, open_hall: Center
) -> None:
    phone = open_page(None, viewport=PHONE)
    phone.goto("/hall/book/")
    phone.get_by_role("link", name=re.compile("平远县党群服务中心")).click()
    expect(phone.locator(".hall-hours")).to_be_visible()
    phone.get_by_role("link", name=re.compile("居民身份证申领")).click()
    expect(phone.locator(".hall-materials")).to_contain_text("居民户口簿")
    phone.locator(".hall-slot:not(.hall-full)").first.click()
    phone.fill("#id_name", "张三")
    phone.fill("#id_id_number", APPLICANT_ID)
    phone.fill("#id_phone", "13912345678")
    phone.get_by_role("button", name="提交预约").click()
    reference = phone.locator("#booking-reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", reference)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The booked day has come: the slot starts in five minutes.
    booking = Booking.objects.get(reference=reference)
    start = timezone.now() + timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=30)
    )

    phone.goto("/hall/kiosk/PY/")
    phone.fill("#id_reference", reference)
    phone.get_by_role("button", name="签到取号").click()
    expect(phone.locator("#ticket-number")).to_have_text("A001")
    expect(phone.locator("#people-ahead")).to_contain_text("0")
    expect(phone.locator(".hall-ticket-item")).to_contain_text("居民户口簿")

    display = open_page(None)
    display.goto("/hall/display/PY/")
    expect(display.locator("#hall-calls")).to_contain_text("请取号等候")

    clerk = open_page("clerk")
    clerk.goto("/hall/window/")
    clerk.fill("#id_window", "3号窗口")
    clerk.get_by_label(re.compile("综合窗口")).check()
    clerk.locator("#save-desk").click()
    clerk.locator("#call-next").click()
    expect(clerk.locator("#current-number")).to_have_text("A001")
    expect(clerk.locator(".hall-desk")).to_contain_text("张三")

    expect(display.locator("#hall-calls tr.hall-latest")).to_contain_text("A001", timeout=15000)
    expect(display.locator("#hall-calls tr.hall-latest")).to_contain_text("3号窗口")

    clerk.locator("#start-intake").click()
    expect(clerk.locator("#from-ticket")).to_contain_text("A001")
    expect(clerk.locator("#id_p-name")).to_have_value("张三")
    expect(clerk.locator("#id_p-id_number")).to_have_value(APPLICANT_ID)
    clerk.fill("#id_p-address", "平远县大柘镇黄沙村 1 号")
    clerk.locator("[data-all-received]").click()
    clerk.get_by_role("button", name="受理", exact=True).click()
    clerk.wait_for_url(re.compile(r"/window/cases/.+/outcome/"))

    ticket = Ticket.objects.select_related("case", "booking").get(number="A001")
    assert ticket.case is not None
    assert ticket.case.applicant_id_number == APPLICANT_ID
    assert ticket.booking == booking
    assert ticket.case.hall_ticket == ticket


def test_a_walk_in_takes_a_number_on_a_phone_sized_kiosk(
    open_page: OpenPage, open_hall: Center
) -> None:
    kiosk = open_page(None, viewport=PHONE)
    kiosk.goto("/hall/kiosk/PY/")
    kiosk.get_by_role("button", name=re.compile("综合窗口")).click()
    expect(kiosk.locator("#ticket-number")).to_have_text("A001")
    kiosk.get_by_role("link", name="完成").click()
    kiosk.get_by_role("button", name=re.compile("综合窗口")).click()
    expect(kiosk.locator("#ticket-number")).to_have_text("A002")
    expect(kiosk.locator("#people-ahead")).to_contain_text("1")
    assert kiosk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
