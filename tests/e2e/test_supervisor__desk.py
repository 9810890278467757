"""The supervisor's desk in Chromium: overdue list, filters, statistics, exports, zh and en."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenPage, assert_fits, switch_language

pytestmark = pytest.mark.e2e


@pytest.fixture
def overdue_cases(site: str) -> None:
    """A county's worth of cases, some past their deadlines, swept as the nightly job does."""
    call_command("seed_cases", count=60, due_now=6, stdout=io.StringIO())
    call_command("sweep_deadlines", stdout=io.StringIO())


def lines_of(page: Page, selector: str) -> list[int]:
    """How many lines each matching cell's text takes on screen."""
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; })",
    )


@pytest.mark.usefixtures("overdue_cases")
def test_supervisor_filters_the_overdue_list_reads_statistics_and_exports(
    open_page: OpenPage,
) -> None:
    page = open_page("supervisor")
    page.goto("/supervision/overdue/")
    expect(page.locator("h1")).to_contain_text("超期办件")
    rows = page.locator("table.desk tbody tr")
    expect(rows.first).to_contain_text("PY-")
    assert_fits(page)
    dates = lines_of(page, "table.desk td.date")
    assert dates
    assert max(dates) == 1, "a date is broken across lines"

    page.locator("select[name=department]").select_option(label="公安")
    page.get_by_role("button", name="筛选").click()
    for text in rows.all_inner_texts():
        assert "公安" in text or "没有符合条件的办件" in text

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="导出 CSV").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("办件编号")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="导出 Excel").click()
    assert Path(xlsx_download.value.path()).read_bytes()[:2] == b"PK"

    page.get_by_role("link", name="按时办结统计").click()
    expect(page.locator("table.desk tfoot")).to_contain_text("合计")
    assert_fits(page)
    assert_fits(page, "table.desk")

    switch_language(page, "English")
    page.goto("/supervision/overdue/")
    expect(page.locator("h1")).to_contain_text("Overdue cases")
    assert_fits(page)
    assert max(lines_of(page, "table.desk td.date")) == 1
    page.goto("/supervision/statistics/")
    assert_fits(page, "table.desk")
