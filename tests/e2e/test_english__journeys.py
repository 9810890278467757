"""The clerk's and the citizen's journeys in English: English words and punctuation, and no
horizontal scroll at 1366 px. Catalogue data (item and center names) stays as entered."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, OpenPage, assert_fits, fill_applicant, switch_language

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")
# Full-width forms only: curly quotes are English typography too.
CHINESE_PUNCTUATION = re.compile(r"[，。：；（）、！？《》【】]")
# Text the English UI shows as entered: the applicant, the catalogue, the demo staff.
DATA = (
    "张三",
    "无犯罪记录证明",
    "平远县党群服务中心",
    "公安",
    "平远县大柘镇黄沙村 1 号",
    "陈晓梅",
    "简体中文",
    "平远县政务服务数据管理局",  # the issuing organ of the (Chinese) official documents
)
DOCUMENT_NUMBER = re.compile(r"\S*受字〔\d{4}〕\d+号")

TEXT_NODES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script,style,option,[hidden]') || !el.offsetParent) continue;
    const text = node.textContent.trim();
    // Table cells, the item's facts and the facts of a (Chinese) official document
    // also hold the catalogue's and the document's own texts.
    if (text) out.push([text, !!el.closest('td, dd, .item-facts')]);
  }
  return out;
}"""


def assert_english(page: Page) -> None:
    """Every visible text is English, except the data people typed or the catalogue holds."""
    problems = []
    for text, catalogue in page.evaluate(TEXT_NODES):
        rest = DOCUMENT_NUMBER.sub("", text)
        for data in DATA:
            rest = rest.replace(data, "")
        if CJK.search(rest):
            if not catalogue:
                problems.append(f"untranslated: {text!r}")
        elif CHINESE_PUNCTUATION.search(rest):
            problems.append(f"Chinese punctuation: {text!r}")
    assert not problems, f"{page.url}: " + "; ".join(problems)
    assert_fits(page)


def test_an_english_clerk_takes_in_a_case_without_a_word_of_chinese_ui(
    open_page: OpenPage,
) -> None:
    clerk = open_page("clerk")
    switch_language(clerk, "English")
    expect(clerk.locator(".brand")).to_have_text("OneWindow")
    assert_english(clerk)

    clerk.goto("/window/")
    assert_english(clerk)
    clerk.goto("/window/new/GA-WFZJ/")
    assert_english(clerk)
    fill_applicant(clerk, id_number="441426199001011230")
    clerk.locator("button[name='c-outcome'][value='accept']").click()
    expect(clerk.locator(".notice-error").first).to_be_visible()
    assert_english(clerk)

    fill_applicant(clerk)
    clerk.locator("[data-all-received]").click()
    clerk.locator("button[name='c-outcome'][value='accept']").click()
    expect(clerk.locator("h1")).to_contain_text("PY-")
    assert_english(clerk)
    number = re.search(r"PY-\d{4}-\d+", clerk.locator("h1").inner_text())
    assert number
    clerk.goto(f"/window/cases/{number.group(0)}/")
    assert_english(clerk)

    citizen = open_page(None, viewport=PHONE)
    citizen.goto(f"/status/?number={number.group(0)}")
    switch_language(citizen, "English")
    assert_english(citizen)
    citizen.locator("input[name=digits]").fill("1238")
    citizen.locator("form.card button").click()
    expect(citizen.locator("main")).to_contain_text("Not overdue")
    assert_english(citizen)
