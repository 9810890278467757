"""The window's other outcomes in Chromium: 一次性告知 → 补正 → 受理, and 不予受理."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.documents.conftest import flat, pdf_text
from tests.e2e.conftest import OpenPage, assert_unique_accesskeys, fill_applicant, print_pdf

pytestmark = pytest.mark.e2e


def number_in_h1(page: Page) -> str:
    match = re.search(r"PY-\d{4}-\d+", page.locator("h1").inner_text())
    assert match, page.locator("h1").inner_text()
    return match.group(0)


def pdf_behind(page: Page, button_name: str) -> str:
    return flat(pdf_text(print_pdf(page, button_name)))


def test_clerk_notifies_once_takes_the_supplement_and_accepts(open_page: OpenPage) -> None:
    clerk = open_page("clerk")
    clerk.goto("/window/new/GA-WFZJ/")
    fill_applicant(clerk)
    clerk.locator("[data-all-received]").click()
    clerk.locator("#id_m1-state_1").check()  # 缺少: the application form
    clerk.locator("#id_m1-problem").fill("未填写申请表")
    clerk.locator("button[name='c-outcome'][value='correct']").click()

    expect(clerk.locator("h1")).to_contain_text("补正")
    number = number_in_h1(clerk)
    notice = pdf_behind(clerk, "打印补正材料通知书")
    assert number in notice
    assert "未填写申请表" in notice

    clerk.goto(f"/window/cases/{number}/")
    clerk.get_by_role("link", name="登记补正材料").click()
    assert_unique_accesskeys(clerk)
    clerk.locator("tbody input[type=checkbox]").first.check()
    clerk.get_by_role("button", name="补正齐全，受理").click()
    expect(clerk.locator("h1")).to_contain_text("受理通知书")
    assert number in pdf_behind(clerk, "打印受理通知书")


def test_clerk_refuses_an_application_with_the_reason_and_the_competent_organ(
    open_page: OpenPage,
) -> None:
    clerk = open_page("clerk")
    clerk.goto("/window/new/GA-WFZJ/")
    fill_applicant(clerk)
    clerk.locator("[data-all-received]").click()
    clerk.locator("details.reject summary").click()
    clerk.fill("#id_c-rejection_reason", "申请查询的是外省户籍人员，不属于本机关职责范围")
    clerk.locator("#id_c-outside_competence").check()
    clerk.fill("#id_c-competent_organ", "户籍所在地公安机关")
    clerk.locator("button[name='c-outcome'][value='reject']").click()

    expect(clerk.locator("h1")).to_contain_text("不予受理")
    text = pdf_behind(clerk, "打印不予受理决定书")
    assert "不属于本机关职责范围" in text
    assert "户籍所在地公安机关" in text
