"""The clerk's window in Chromium: intake, 受理 and the printed receipts, then the citizen's phone.

The citizen's part starts where a real one does: the QR code on the receipt the
clerk printed, decoded from the PDF, opened on a phone-sized screen.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.documents.conftest import flat, pdf_text, qr_payloads
from tests.e2e.conftest import (
    PHONE,
    OpenPage,
    assert_fits,
    assert_unique_accesskeys,
    fill_applicant,
    path_of,
    print_pdf,
)

pytestmark = pytest.mark.e2e

VALID_ID = "441426199001011238"
WRONG_CHECK_DIGIT = "441426199001011230"


def test_clerk_accepts_a_case_and_the_citizen_follows_it_by_the_qr_code(
    open_page: OpenPage,
) -> None:
    clerk = open_page("clerk")
    clerk.goto("/window/new/GA-WFZJ/")
    assert_unique_accesskeys(clerk)
    fill_applicant(clerk, id_number=WRONG_CHECK_DIGIT)
    clerk.get_by_role("button", name="全部标为已收").click()
    clerk.locator("button[name='c-outcome'][value='accept']").click()

    # The server refuses the wrong check digit once, next to 证件号码.
    id_field = clerk.locator(".field", has=clerk.locator("#id_p-id_number"))
    expect(id_field).to_contain_text("校验码错误")
    expect(clerk.get_by_text("校验码错误")).to_have_count(1)

    clerk.fill("#id_p-id_number", VALID_ID)
    expect(id_field).to_contain_text("号码有效：出生日期 1990-01-01，性别 男")
    expect(clerk.get_by_text("校验码错误")).to_be_hidden()
    clerk.get_by_role("button", name="全部标为已收").click()
    clerk.locator("button[name='c-outcome'][value='accept']").click()

    expect(clerk.locator("h1")).to_contain_text("受理通知书")
    number = case_number_on(clerk)

    receipt = download(clerk, "打印受理通知书")
    text = flat(pdf_text(receipt))
    assert "受理通知书" in text
    assert number in text
    assert "无犯罪记录证明" in text
    ticket = download(clerk, "打印回执小票")
    assert number in flat(pdf_text(ticket))

    # Two codes: the document's own (/verify/) and the progress page's (/status/).
    codes = qr_payloads(receipt)
    (url,) = [code for code in codes if "/verify/" in code]
    (status_url,) = [code for code in codes if "/status/" in code]
    assert number in status_url
    citizen = open_page(None, viewport=PHONE)
    citizen.goto(path_of(url))
    expect(citizen.locator("main")).to_contain_text("真实文书")
    expect(citizen.locator("main")).to_contain_text(number)
    assert_fits(citizen)

    citizen.get_by_role("link", name="查询办件办理进度").click()
    expect(citizen.locator("input[name=number]")).to_have_value(number)
    digits = citizen.locator("input[name=digits]")
    expect(digits).to_have_attribute("inputmode", "numeric")
    expect(digits).not_to_have_attribute("type", "password")

    digits.fill("0000")
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_role("alert")).to_be_visible()
    expect(citizen.locator("main")).not_to_contain_text("无犯罪记录证明")

    citizen.locator("input[name=digits]").fill("1238")
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("main")).to_contain_text("无犯罪记录证明")
    expect(citizen.locator("main")).to_contain_text("未超期")
    assert_fits(citizen)


def case_number_on(page: Page) -> str:
    match = re.search(r"PY-\d{4}-\d+", page.locator("h1").inner_text())
    assert match, page.locator("h1").inner_text()
    return match.group(0)


def download(page: Page, button_name: str) -> bytes:
    """The PDF behind a 打印 button (the POST records the print)."""
    return print_pdf(page, button_name)
