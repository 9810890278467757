"""A 一件事 at the window in Chromium: 公民身后 with one 一次性告知, 补正, 受理; and 不予受理."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from viewflow.workflow.models import Task

from tests.documents.conftest import flat, pdf_text
from tests.e2e.conftest import OpenPage, assert_unique_accesskeys, print_pdf
from workflows.cases.models import Case, Status
from workflows.combined.models import Bundle
from workflows.combined.selectors import union_checklist

pytestmark = pytest.mark.e2e

HOUSEHOLD_BOOK = "死者居民户口簿"  # 户口注销（死亡）
BANK_ACCOUNT = "申领人银行账户（银行卡或存折）"  # 遗属待遇


def fill_bundle_applicant(page: Page) -> None:
    page.fill("#id_applicant-name", "王五")
    page.fill("#id_applicant-id_number", "441426199001011238")
    page.fill("#id_applicant-phone", "13912345678")
    page.fill("#id_applicant-address", "平远县大柘镇黄沙村 1 号")


def record_deceased(page: Page) -> None:
    page.fill("#id_deceased-name", "王大山")
    page.fill("#id_deceased-id_number", "44142619500101123X")
    page.fill("#id_deceased-date_of_death", "2026-11-20")


def tick_all_materials_but(page: Page, *missing: str) -> None:
    bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    for index, line in enumerate(union_checklist(bundle)):
        box = page.locator(f"#id_bundle-materials_{index}")
        if line.name in missing:
            box.uncheck()
        else:
            box.check()


def pdf_behind(page: Page, button_name: str) -> str:
    """The PDF a 打印 button (a POST that records the print) opens."""
    return flat(pdf_text(print_pdf(page, button_name)))


def main_number(page: Page) -> str:
    match = re.search(r"PY-\d{4}-\d+", page.locator("h1").inner_text())
    assert match, page.locator("h1").inner_text()
    return match.group(0)


def test_clerk_notifies_a_bundle_once_then_supplements_and_accepts_it(
    open_page: OpenPage,
) -> None:
    clerk = open_page("clerk")
    clerk.goto("/combined/")
    clerk.get_by_role("link", name="受理").first.click()
    expect(clerk.locator("h1")).to_contain_text("公民身后一件事")
    fill_bundle_applicant(clerk)
    record_deceased(clerk)
    tick_all_materials_but(clerk, HOUSEHOLD_BOOK, BANK_ACCOUNT)
    clerk.get_by_label(f"{HOUSEHOLD_BOOK}的补正要求").fill("请携带死者户口簿原件")
    clerk.get_by_label("出具一次性告知书（补正）").check()
    clerk.get_by_role("button", name="提交").click()

    expect(clerk.locator(".facts")).to_contain_text("王大山")  # the deceased person
    number = main_number(clerk)
    parent = Case.objects.get(number=number)
    assert parent.status == Status.AWAITING_CORRECTION
    waiting = parent.children.filter(status=Status.AWAITING_CORRECTION).select_related("item")
    assert {c.item.code for c in waiting} == {"GA-HKZX", "RS-YSDY"}
    notice_number = re.search(r"文书编号 (\S+号)", clerk.locator("main").inner_text())
    assert notice_number
    notice = pdf_behind(clerk, "打印补正材料通知书")
    assert notice_number.group(1) in notice
    assert HOUSEHOLD_BOOK in notice
    assert BANK_ACCOUNT in notice
    assert "请携带死者户口簿原件" in notice
    for child in waiting:
        assert child.number in notice

    clerk.get_by_role("link", name="登记补正材料").click()
    assert_unique_accesskeys(clerk)
    clerk.get_by_label(HOUSEHOLD_BOOK).check()
    clerk.get_by_label(BANK_ACCOUNT).check()
    clerk.get_by_role("button", name="补正齐全，一并受理").click()

    expect(clerk.locator("main")).to_contain_text("已分送各部门子件")
    table = clerk.locator("table").last
    parent.refresh_from_db()
    assert parent.status == Status.ACCEPTED
    for child in parent.children.all():
        expect(table).to_contain_text(child.number)
        assert Task.objects.filter(
            process__caseprocess__case=child, flow_task_type="HUMAN"
        ).exists(), child.number


def test_clerk_refuses_a_bundle_with_the_reason_and_the_competent_organ(
    open_page: OpenPage,
) -> None:
    clerk = open_page("clerk")
    clerk.goto("/combined/new/BUNDLE-SH/")
    fill_bundle_applicant(clerk)
    clerk.get_by_label("不予受理", exact=True).check()
    clerk.fill("#id_bundle-rejection_reason", "死者户籍不在本县，应向户籍所在地申请")
    clerk.locator("#id_bundle-outside_competence").check()
    clerk.fill("#id_bundle-competent_organ", "梅州市梅江区党群服务中心")
    clerk.get_by_role("button", name="提交").click()

    expect(clerk.locator("h1")).to_contain_text("不予受理")
    text = flat(pdf_text(print_pdf(clerk, "打印不予受理决定书")))
    assert "死者户籍不在本县" in text
    assert "梅州市梅江区党群服务中心" in text
    parent = Case.objects.get(item__code="BUNDLE-SH")
    assert parent.status == Status.REJECTED
    assert not parent.children.exists()
