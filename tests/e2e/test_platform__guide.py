"""A citizen on a phone finds what to bring in the public guide, without logging in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, SCREENSHOTS, OpenPage

pytestmark = pytest.mark.e2e


def test_citizen_searches_everyday_words_and_reads_what_to_bring(open_page: OpenPage) -> None:
    page = open_page(None, viewport=PHONE)
    page.goto("/guide/")
    page.fill("#guide-q", "迁户口")
    page.click("button.btn")
    first = page.locator(".guide-item").first
    expect(first).to_contain_text("户口迁移")
    first.locator("a").click()
    expect(page.locator("h1")).to_have_text("户口迁移")
    expect(page.locator(".guide-materials")).to_contain_text("居民户口簿")
    expect(page.locator(".guide-promised")).to_contain_text("5 个工作日")
    # Phone first: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "platform-guide-detail.png"), full_page=True)
    href = page.get_attribute("text=打印材料清单（PDF）", "href")
    assert href is not None
    pdf = page.request.get(href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_citizen_filters_by_department_on_a_phone(open_page: OpenPage) -> None:
    page = open_page(None, viewport=PHONE)
    page.goto("/guide/")
    page.select_option("#guide-department", "MZ")
    page.fill("#guide-q", "低保")
    page.click("button.btn")
    expect(page.locator(".guide-item").first).to_contain_text("最低生活保障")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "platform-guide-list.png"), full_page=True)


def test_the_guide_reads_in_english(open_page: OpenPage) -> None:
    page = open_page(None, viewport=PHONE, locale="en-US")
    page.goto("/guide/?q=社保卡")
    expect(page.locator("h1")).to_have_text("Service guide")
