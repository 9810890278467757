"""The hall display comes back by itself after the network drops and speaks each call;
the kiosk ticket prints on an 80 mm roll."""

from __future__ import annotations

import io
import re
from datetime import time

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Route, expect

from tests.e2e.conftest import PHONE, OpenPage
from workflows.calendar import api as calendar
from workflows.catalog.models import Center
from workflows.hall import services
from workflows.hall.models import Counter, OpeningPeriod, RotaDay
from workflows.hall.views import TICKET_SALT

pytestmark = pytest.mark.e2e

# Observe what the page asks the browser to say (the real speak() still runs).
RECORD_SPEECH = """
window.__spoken = [];
if ("speechSynthesis" in window) {
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (u) => { window.__spoken.push(u.text); speak(u); };
}
"""


@pytest.fixture
def open_hall(site: str) -> Counter:
    call_command("hall_setup", stdout=io.StringIO())
    center = Center.objects.get(code="PY")
    OpeningPeriod.objects.filter(center=center).delete()
    OpeningPeriod.objects.create(center=center, opens=time(0, 0), closes=time(23, 59, 59))
    today = timezone.localdate()
    if not calendar.is_working_day(today):
        RotaDay.objects.create(center=center, date=today, opens=time(0), closes=time(23, 59, 59))
    return Counter.objects.filter(center=center).order_by("position").first()  # type: ignore[return-value]


def test_the_display_reconnects_and_speaks_each_call(
    open_page: OpenPage, open_hall: Counter
) -> None:
    clerk = User.objects.get(username="clerk")
    first, second = (
        services.ticket_issue(counter=open_hall),
        services.ticket_issue(counter=open_hall),
    )
    display = open_page(None)
    display.add_init_script(RECORD_SPEECH)
    display.goto("/hall/display/PY/")
    display.locator("#hall-speech").click()  # browsers speak only after a tap
    services.ticket_call_next(counters=[open_hall], clerk=clerk, window="3号窗口")
    latest = display.locator("#hall-calls tr.hall-latest")
    expect(latest).to_contain_text(first.number, timeout=15000)
    spoken = display.evaluate("window.__spoken")
    assert any("3号窗口" in text for text in spoken), spoken

    # The network drops: the screen says so and keeps the last calls on show.
    def fail(route: Route) -> None:
        route.abort()

    display.route("**/calls.json", fail)
    expect(display.locator("#hall-status")).to_have_text("…", timeout=15000)
    expect(latest).to_contain_text(first.number)
    services.ticket_call_next(counters=[open_hall], clerk=clerk, window="5号窗口")
    display.unroute("**/calls.json", fail)
    # Back-off is at most 30 s: the new call shows without anyone touching the screen.
    expect(latest).to_contain_text(second.number, timeout=40000)
    expect(latest).to_contain_text("5号窗口")
    expect(display.locator("#hall-status")).to_have_text("")
    spoken = display.evaluate("window.__spoken")
    assert any("5号窗口" in text for text in spoken), spoken


def test_the_ticket_prints_on_an_eighty_millimetre_roll(
    open_page: OpenPage, open_hall: Counter
) -> None:
    ticket = services.ticket_issue(counter=open_hall)
    token = signing.dumps(ticket.pk, salt=TICKET_SALT)
    page = open_page(None)
    page.goto(f"/hall/kiosk/PY/ticket/{token}/")
    expect(page.locator("#ticket-number")).to_have_text(ticket.number)
    pdf = page.pdf(prefer_css_page_size=True)
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    width_mm = float(box.group(1)) / 72 * 25.4
    assert round(width_mm) == 80  # not A4 or Letter
    assert b"/Count 1" in pdf  # one ticket, one page


def test_a_portrait_screen_keeps_number_and_window_apart(
    open_page: OpenPage, open_hall: Counter
) -> None:
    clerk = User.objects.get(username="clerk")
    services.ticket_issue(counter=open_hall)
    services.ticket_call_next(counters=[open_hall], clerk=clerk, window="12号窗口")
    screen = open_page(None, viewport=PHONE)
    screen.goto("/hall/display/PY/")
    latest = screen.locator("#hall-calls tr.hall-latest td")
    expect(latest.nth(1)).to_have_text("12号窗口")
    number, window = (latest.nth(i).bounding_box() for i in range(2))
    assert number is not None
    assert window is not None
    assert number["x"] + number["width"] <= window["x"]  # side by side, not run together
    line = screen.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('tr.hall-latest td')).fontSize)"
    )
    assert window["height"] < 2 * line  # the window's name on one line
    assert screen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
