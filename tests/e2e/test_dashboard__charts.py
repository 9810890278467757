"""Supervisors open the dashboard and the wall in Chromium: charts drawn, scope kept, bars link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.conftest import applicant, complete_materials
from tests.e2e.conftest import OpenPage
from workflows.cases import services
from workflows.cases.models import Case
from workflows.catalog.models import ServiceItem

pytestmark = pytest.mark.e2e


def overdue_case(clerk: str, officer: str, name: str) -> Case:
    """A 户口迁移 case accepted 30 days ago and still in progress: past its promised date."""
    item = ServiceItem.objects.get(code="GA-HKQY")
    window = User.objects.get(username=clerk)
    long_ago = timezone.now() - timedelta(days=30)
    case = services.case_receive(
        center=window.staff.center,
        item=item,
        actor=window,
        applicant=applicant(name=name),
        materials=complete_materials(item),
        now=long_ago,
    )
    case = services.case_accept(case=case, actor=window, now=long_ago)
    return services.case_start(case=case, actor=User.objects.get(username=officer), now=long_ago)


@pytest.fixture
def two_overdue(site: str) -> dict[str, Case]:
    return {
        "county": overdue_case("clerk", "ga_officer", "李县城"),
        "town": overdue_case("clerk_dz", "ga_officer", "王大柘"),
    }


def watch_errors(page: Page) -> list[str]:
    """JavaScript errors and failed requests (other than the favicon) while the page is open."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


def charts_drawn(page: Page, count: int) -> None:
    expect(page.locator("[data-chart] svg")).to_have_count(count)


def click_first_bar(page: Page) -> None:
    """Click, with the mouse, the middle of the first center's first department bar."""
    point: Any = page.evaluate(
        """() => {
          const el = document.querySelector('[data-chart=overdue]');
          el.scrollIntoView({block: 'center'});
          const chart = echarts.getInstanceByDom(el);
          // The bar's rectangle as ECharts laid it out (two bars share a category row).
          const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
          const [x, y] = [bar.x + bar.width / 2, bar.y + bar.height / 2];
          const box = el.getBoundingClientRect();
          return {x: box.left + x, y: box.top + y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])


def test_county_supervisor_sees_every_chart_and_a_bar_opens_the_list(
    open_page: OpenPage, two_overdue: dict[str, Case]
) -> None:
    page = open_page("supervisor")
    errors = watch_errors(page)
    page.goto("/dashboard/")
    charts_drawn(page, 5)
    expect(page.locator(".figure-overdue .figure-value")).to_have_text("2")
    expect(page.locator("table.heat tbody tr")).to_have_count(2)
    first_center = page.locator("table.heat tbody tr th").first.inner_text()
    click_first_bar(page)
    page.wait_for_url("**/supervision/overdue/**")
    assert "center_only=1" in page.url
    expected = two_overdue["county" if first_center.startswith("平远县") else "town"]
    other = two_overdue["town" if expected is two_overdue["county"] else "county"]
    expect(page.locator("main")).to_contain_text(expected.number)
    expect(page.locator("main")).not_to_contain_text(other.number)
    assert errors == []


def test_town_supervisor_sees_only_the_town(
    open_page: OpenPage, two_overdue: dict[str, Case]
) -> None:
    page = open_page("supervisor_dz")
    errors = watch_errors(page)
    page.goto("/dashboard/")
    charts_drawn(page, 5)
    expect(page.locator(".figure-overdue .figure-value")).to_have_text("1")
    rows = page.locator("table.heat tbody tr th")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("大柘镇")
    expect(page.locator("main")).not_to_contain_text("平远县党群服务中心")
    assert errors == []


def test_the_wall_is_dark_full_screen_and_has_no_personal_data(
    open_page: OpenPage, two_overdue: dict[str, Case]
) -> None:
    page = open_page("supervisor", viewport={"width": 1920, "height": 1080})
    errors = watch_errors(page)
    page.goto("/dashboard/wall/")
    expect(page.locator("body.wall")).to_be_visible()
    charts_drawn(page, 2)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 26, 46)"
    text = page.content()
    for private in ("李县城", "王大柘", two_overdue["county"].number):
        assert private not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert errors == []
