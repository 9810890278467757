"""Browser journeys: Debian's Chromium driven by Playwright against a live server.

The browser is the system's ``chromium`` (installed by scripts/system-deps.sh),
launched by path; ``playwright install`` is never used, since it downloads a
browser of its own. Each test gets a live server on the test database with the
reference data and the demo users loaded, as ``make demo`` has them.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page

# Playwright's sync API runs an event loop in the test's thread; the ORM calls that
# tests make there (to arrange data and to check what was saved) are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_PASSWORD = "onewindow-demo"  # the published demo password
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"


def chromium_path() -> str:
    """The system Chromium: ONEWINDOW_CHROMIUM, else the first of the usual names on PATH."""
    configured = os.environ.get("ONEWINDOW_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium is not installed: run `bash scripts/system-deps.sh` (make test does).")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium by path, with no background traffic to the closed network."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A desktop window in zh-Hans, Asia/Shanghai, with downloads allowed."""
    return {
        **browser_context_args,
        "viewport": DESKTOP,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "accept_downloads": True,
    }


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can see whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def site(live_server: Any, compiled_messages: None) -> str:
    """The live server's address, with the reference data and demo users loaded."""
    call_command("setup_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_users", verbosity=0, stdout=io.StringIO())
    return str(live_server.url)


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest,
    browser: Browser,
    browser_context_args: dict[str, Any],
    site: str,
) -> Iterator[OpenPage]:
    """Open a new browser (its own cookies), optionally logged in, at a viewport and locale.

    ``open_page("clerk")`` logs the demo clerk in through the login form;
    ``open_page(None, viewport=PHONE)`` is a citizen on a phone.
    """
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(
        username: str | None = None,
        *,
        viewport: dict[str, int] | None = None,
        locale: str = "zh-CN",
    ) -> Page:
        context = browser.new_context(
            **{
                **browser_context_args,
                "viewport": viewport or DESKTOP,
                "locale": locale,
                "base_url": site,
            }
        )
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        if username is not None:
            login(page, username)
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshots(request.node.name, pages)
    for context in contexts:
        context.close()


def save_screenshots(name: str, pages: list[Page]) -> None:
    """Save what each open page showed when a journey failed, under var/e2e/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages):
        if not page.is_closed():
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{number}.png"), full_page=True)


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the staff login form, as a person does."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def path_of(url: str) -> str:
    """The site-relative path (and query) of an absolute address, e.g. a QR code's."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def print_pdf(page: Page, button_name: str) -> bytes:
    """Press a 打印 button (a POST that records the print) and return the PDF it opens.

    The form opens a new tab, where headless Chromium would download the PDF;
    the same POST is sent with the page's cookies and CSRF token instead, and
    the 303 to the PDF is followed.
    """
    form = page.locator("form", has=page.get_by_role("button", name=button_name)).first
    action = form.get_attribute("action")
    assert action
    fields = {
        name: form.locator(f"input[name='{name}']").get_attribute("value") or ""
        for name in ("csrfmiddlewaretoken", "variant")
        if form.locator(f"input[name='{name}']").count()
    }
    response = page.request.post(action, form=fields, headers={"Referer": page.url})
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def fill_applicant(
    page: Page,
    *,
    name: str = "张三",
    id_number: str = "441426199001011238",
    phone: str = "13912345678",
    address: str = "平远县大柘镇黄沙村 1 号",
) -> None:
    """Type a natural-person applicant into the intake form, as a clerk does."""
    page.fill("#id_p-name", name)
    page.fill("#id_p-id_number", id_number)
    page.fill("#id_p-phone", phone)
    page.fill("#id_p-address", address)


def switch_language(page: Page, language: str) -> None:
    """Pick a language in the header's switcher, as a person does, and wait for the page."""
    with page.expect_navigation():
        page.locator("form.lang select").select_option(label=language)
    page.wait_for_load_state()


def assert_unique_accesskeys(page: Page) -> None:
    """No two controls on the page answer the same access key."""
    keys = page.eval_on_selector_all(
        "[accesskey]",
        "els => els.filter(e => e.offsetParent !== null || e.closest('nav'))"
        ".map(e => e.getAttribute('accesskey').toLowerCase())",
    )
    clashes = sorted({key for key in keys if keys.count(key) > 1})
    assert not clashes, f"access keys used twice on {page.url}: {clashes}"


def assert_fits(page: Page, selector: str = "") -> None:
    """No horizontal scroll: the page (or the element) is no wider than the room it has."""
    if selector:
        width, room = page.eval_on_selector(
            selector, "e => [e.scrollWidth, e.parentElement.clientWidth]"
        )
        assert width <= room, f"{selector} is {width}px wide in {room}px on {page.url}"
        return
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], (
        f"{page.url} is {width}px wide in a {viewport['width']}px window"
    )
