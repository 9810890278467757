"""The supervisor's lists in Chromium: 上一页, page numbers and 下一页, at 1366 px.

Three pages need more rows than a page holds: the page size is set to five for
the test (the lists read it per request) and thirteen overdue cases are seeded
through the services and swept, so each also has its 督办 rows. (The statistics
table's width at 1366 px is checked, with decided cases, in test_supervisor__desk.)
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenPage, assert_fits
from tests.factories import accepted_case
from workflows.catalog.models import Center, ServiceItem
from workflows.supervision.selectors import desk
from workflows.supervision.services import sweep_deadlines

pytestmark = pytest.mark.e2e

SIZE = 5


@pytest.fixture
def thirteen_overdue(site: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(desk, "PAGE_SIZE", SIZE)
    item = ServiceItem.objects.get(code="GA-WFZJ")
    clerk = User.objects.get(username="clerk")
    center = Center.objects.get(code="PY")
    numbers = [
        accepted_case(
            item=item, clerk=clerk, center=center, now=timezone.now() - timedelta(days=8 + n)
        ).number
        for n in range(13)
    ]
    sweep_deadlines()
    return numbers


def shown(page: Page) -> list[str]:
    return [
        text.split("\t")[0].strip()
        for text in page.locator("table.desk tbody tr").all_inner_texts()
    ]


def current_page(page: Page) -> str:
    return page.locator(".pager [aria-current=page]").inner_text()


def test_the_overdue_list_pages_forward_back_and_by_number(
    open_page: OpenPage, thirteen_overdue: list[str]
) -> None:
    supervisor = open_page("supervisor")
    supervisor.goto("/supervision/overdue/")
    pager = supervisor.locator("nav.pager")
    expect(pager.get_by_role("link", name="上一页")).to_have_count(0)
    expect(pager.get_by_role("link", name="2", exact=True)).to_be_visible()
    expect(pager.get_by_role("link", name="3", exact=True)).to_be_visible()
    assert current_page(supervisor) == "1"
    first = shown(supervisor)
    assert len(first) == SIZE

    pager.get_by_role("link", name="3", exact=True).click()
    assert current_page(supervisor) == "3"
    last = shown(supervisor)
    assert len(last) == 13 - 2 * SIZE
    expect(pager.get_by_role("link", name="下一页")).to_have_count(0)

    pager.get_by_role("link", name="上一页").click()
    assert current_page(supervisor) == "2"
    middle = shown(supervisor)
    pager.get_by_role("link", name="下一页").click()
    assert shown(supervisor) == last
    # Every case once across the three pages.
    assert sorted(first + middle + last) == sorted(thirteen_overdue)

    # A filter is kept while paging.
    supervisor.locator("select[name=department]").select_option(label="公安")
    supervisor.get_by_role("button", name="筛选").click()
    department = parse_qs(urlsplit(supervisor.url).query)["department"]
    supervisor.locator("nav.pager").get_by_role("link", name="2", exact=True).click()
    assert parse_qs(urlsplit(supervisor.url).query)["department"] == department
    assert current_page(supervisor) == "2"
    assert_fits(supervisor)


def test_the_escalation_list_pages_forward_back_and_by_number(
    open_page: OpenPage, thirteen_overdue: list[str]
) -> None:
    supervisor = open_page("supervisor")
    supervisor.goto("/supervision/escalations/")
    pager = supervisor.locator("nav.pager")
    assert current_page(supervisor) == "1"
    pager.get_by_role("link", name="下一页").click()
    assert current_page(supervisor) == "2"
    pager.get_by_role("link", name="上一页").click()
    assert current_page(supervisor) == "1"
    pager.get_by_role("link", name="3", exact=True).click()
    assert current_page(supervisor) == "3"
    expect(supervisor.locator("table.desk tbody tr")).to_have_count(SIZE)
    assert_fits(supervisor)
