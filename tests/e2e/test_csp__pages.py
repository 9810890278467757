"""Every role's main pages in Chromium under the Content-Security-Policy: no violation, no error.

This is the test that proves no inline script or style is left: the browser
itself enforces the policy and reports each refusal as a
``securitypolicyviolation`` event and a console error. The hall display's
speech and the dashboard's ECharts charts still work under it.
"""

from __future__ import annotations

import io
import re
from datetime import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.conftest import applicant, complete_materials
from tests.e2e.conftest import OpenPage
from workflows.calendar import api as calendar
from workflows.cases import services
from workflows.cases.models import Case
from workflows.catalog.models import Center, ServiceItem
from workflows.hall.models import Counter, OpeningPeriod, RotaDay
from workflows.hall.services import ticket_issue

pytestmark = pytest.mark.e2e

# Installed before any page script runs (Playwright's init scripts are not
# subject to the page's policy): collects violations and the speech spoken.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
window.__spoken = [];
if ("speechSynthesis" in window) {
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (utterance) => {
    window.__spoken.push(utterance.text);
    speak(utterance);
  };
}
"""


class Watched:
    """A page with its console errors, page errors and CSP violations collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, message: ConsoleMessage) -> None:
        # The browser's own request for /favicon.ico (the site has none) is not a page's error.
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"console: {message.text} {url}")

    def visit(self, path: str) -> None:
        """Open ``path``, wait until it has settled, and fail on any refusal or error."""
        response = self.page.goto(path)
        assert response is not None
        assert response.status < 400, (path, response.status)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, path
        self.page.wait_for_load_state("networkidle")
        self.check(path)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations")
        assert violations == [], (where, violations)
        assert self.errors == [], (where, self.errors)


def watched(open_page: OpenPage, username: str | None) -> Watched:
    page = open_page(None)
    watch = Watched(page)
    if username is not None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "onewindow-demo")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url
    return watch


@pytest.fixture
def a_case(site: str) -> Case:
    """A 户口迁移 case accepted and started: it has documents, a task and a trail."""
    item = ServiceItem.objects.get(code="GA-HKQY")
    clerk = User.objects.get(username="clerk")
    case = services.case_receive(
        center=clerk.staff.center,
        item=item,
        actor=clerk,
        applicant=applicant(name="李县城"),
        materials=complete_materials(item),
    )
    return services.case_accept(case=case, actor=clerk)


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


def test_the_citizens_pages_run_under_the_policy(
    open_page: OpenPage, a_case: Case, open_hall: Center
) -> None:
    citizen = watched(open_page, None)
    for path in (
        "/accounts/login/",
        "/guide/",
        "/guide/?q=社保卡",
        "/hall/book/",
        "/hall/kiosk/PY/",
        "/hall/display/PY/",
        "/rate/",
        f"/status/?number={a_case.number}",
        "/api/v1/docs/",
    ):
        citizen.visit(path)
    # The language menu's own script (it used to be an inline onchange handler).
    citizen.visit("/guide/")
    citizen.page.select_option("select[name=language]", "en")
    citizen.page.wait_for_load_state()
    expect(citizen.page.locator("html")).to_have_attribute("lang", "en")
    citizen.check("language menu")
    # The Swagger UI drew the API from the schema (its script is a static file).
    citizen.visit("/api/v1/docs/")
    expect(citizen.page.locator(".swagger-ui .info")).to_be_visible(timeout=20000)
    citizen.check("swagger")


def test_the_clerks_officers_and_heads_pages_run_under_the_policy(
    open_page: OpenPage, a_case: Case
) -> None:
    clerk = watched(open_page, "clerk")
    for path in (
        "/window/",
        "/window/new/",
        "/window/new/GA-WFZJ/",
        f"/window/cases/{a_case.number}/",
        "/first-question/",
        "/tasks/",
    ):
        clerk.visit(path)
    officer = watched(open_page, "ga_officer")
    for path in ("/tasks/", "/tasks/queue/", "/tasks/inbox/", f"/window/cases/{a_case.number}/"):
        officer.visit(path)
    officer.page.goto("/tasks/queue/")
    task_link = officer.page.locator("a[href^='/tasks/'][href$='/']").filter(
        has_text=re.compile(a_case.number)
    )
    if task_link.count():
        officer.visit(task_link.first.get_attribute("href") or "/tasks/")
    head = watched(open_page, "ga_head")
    for path in ("/tasks/", "/tasks/extensions/"):
        head.visit(path)


def test_the_supervisors_dashboard_draws_its_charts_under_the_policy(
    open_page: OpenPage, a_case: Case
) -> None:
    supervisor = watched(open_page, "supervisor")
    for path in ("/supervision/", "/supervision/overdue/", "/supervision/statistics/"):
        supervisor.visit(path)
    supervisor.visit("/dashboard/")
    expect(supervisor.page.locator("svg").first).to_be_visible(timeout=20000)
    supervisor.check("dashboard charts")
    supervisor.visit("/dashboard/wall/")
    expect(supervisor.page.locator("svg").first).to_be_visible(timeout=20000)
    supervisor.check("wall charts")


def test_the_admin_runs_under_the_policy(open_page: OpenPage, a_case: Case) -> None:
    admin = watched(open_page, "admin")
    for path in ("/admin/", "/admin/cases/case/", f"/admin/cases/case/{a_case.pk}/change/"):
        admin.visit(path)


def test_the_hall_display_still_speaks_a_call_under_the_policy(
    open_page: OpenPage, open_hall: Center
) -> None:
    counter = Counter.objects.filter(center=open_hall).first()
    assert counter is not None
    ticket_issue(counter=counter)
    display = watched(open_page, None)
    display.visit("/hall/display/PY/")
    display.page.locator("#hall-speech").click()
    expect(display.page.locator("#hall-speech")).to_have_attribute("aria-pressed", "true")

    clerk = watched(open_page, "clerk")
    clerk.visit("/hall/window/")
    clerk.page.fill("#id_window", "3号窗口")
    clerk.page.locator("input[type=checkbox]").first.check()
    clerk.page.locator("#save-desk").click()
    clerk.page.locator("#call-next").click()
    expect(clerk.page.locator("#current-number")).not_to_be_empty()

    expect(display.page.locator("#hall-calls tr.hall-latest")).to_contain_text(
        "3号窗口", timeout=15000
    )
    display.page.wait_for_function("window.__spoken.length > 0", timeout=15000)
    spoken = display.page.evaluate("window.__spoken")
    assert any("3号窗口" in text for text in spoken), spoken
    display.check("hall display")
    clerk.check("hall window")
