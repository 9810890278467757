"""特别程序 in Chromium: the officer puts a 户口迁移 case into 鉴定, prints the notice, resumes."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.conftest import OpenPage
from tests.factories import accepted_case
from workflows.cases.models import Case, Status
from workflows.catalog.models import Center, ServiceItem

pytestmark = pytest.mark.e2e


@pytest.fixture
def hukou_case(site: str) -> Case:
    """A 户口迁移 case accepted at the county window, waiting for the 派出所 officer."""
    item = ServiceItem.objects.filter(flow="public_security.household_move").order_by("pk")[0]
    clerk = User.objects.get(username="clerk")
    return accepted_case(item=item, clerk=clerk, center=Center.objects.get(code="PY"))


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return "".join(out.stdout.decode().split())


def test_officer_suspends_prints_the_notice_and_resumes(
    open_page: OpenPage, hukou_case: Case
) -> None:
    page = open_page("ga_officer")
    page.goto("/tasks/queue/")
    page.get_by_role("link", name=hukou_case.number).first.click()
    page.get_by_role("button", name="领取任务").click()
    expect(page.locator("ul.messages")).to_contain_text("已领取，请办理。")

    section = page.locator("section[aria-labelledby=special-procedure]")
    section.get_by_label("特别程序类型").select_option(label="鉴定")
    section.get_by_label("预计所需工作日").fill("15")
    section.get_by_label("特别程序事由").fill("准迁证明真伪鉴定")
    section.get_by_role("button", name="进入特别程序").click()

    expect(page.locator("ul.messages")).to_contain_text("特别程序告知书已出具")
    expect(section).to_contain_text("本件正在进行鉴定")
    hukou_case.refresh_from_db()
    assert hukou_case.status == Status.SUSPENDED

    row = page.locator("section[aria-labelledby=case-documents] tr", has_text="特别程序告知书")
    href = row.get_by_role("link", name="查看").get_attribute("href")
    assert href is not None
    assert re.match(r"^/documents/\d+/pdf$", href), href
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "特别程序告知书" in text
    assert "鉴定" in text
    assert "15个工作日" in text

    section.get_by_role("button", name="结束特别程序，恢复计时").click()
    expect(page.locator("ul.messages")).to_contain_text("特别程序已结束，恢复计时。")
    hukou_case.refresh_from_db()
    assert hukou_case.status == Status.IN_PROGRESS
    expect(section.get_by_role("button", name="进入特别程序")).to_be_visible()
