"""出件 in Chromium: the clerk's 待出件 list, delivery on time and late, the completion notice.

Two 无犯罪记录证明 cases are seeded through the services and decided by the
officer: one accepted today, one ten days ago (past its three working days).
The clerk sees both in 待出件 (the menu badge says the same number), hands the
first out at the window, is asked why the second is late, and opens the
completion notice (办结通知书) from the case page.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.documents.conftest import flat, pdf_text
from tests.e2e.conftest import OpenPage, print_pdf
from tests.factories import accepted_case, work
from workflows.cases.models import Case, Status
from workflows.catalog.models import Center, ServiceItem
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.e2e


def decided_case(*, days_ago: int) -> Case:
    """A case accepted ``days_ago`` at the county center and approved by the officer now."""
    case = accepted_case(
        item=ServiceItem.objects.get(code="GA-WFZJ"),
        clerk=User.objects.get(username="clerk"),
        center=Center.objects.get(code="PY"),
        now=timezone.now() - timedelta(days=days_ago),
    )
    work(case, "review", User.objects.get(username="ga_officer"), outcome=APPROVE, reason="")
    return Case.objects.get(pk=case.pk)


def badge(page: Page) -> int:
    """The number on the menu's 待出件 entry (0 when it shows none)."""
    text = (
        page.get_by_role("navigation", name="主菜单")
        .get_by_role("link", name=re.compile("^待出件"))
        .inner_text()
    )
    digits = re.sub(r"\D", "", text)
    return int(digits or 0)


def test_clerk_delivers_on_time_and_late_and_the_completion_notice_reads_clean(
    open_page: OpenPage,
) -> None:
    on_time = decided_case(days_ago=0)
    late = decided_case(days_ago=10)
    assert on_time.status == late.status == Status.DECIDED

    clerk = open_page("clerk")
    clerk.goto("/tasks/delivery/")
    expect(clerk.locator("h1")).to_contain_text("待出件")
    rows = clerk.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    assert badge(clerk) == rows.count()

    clerk.get_by_role("link", name=on_time.number).click()
    clerk.get_by_label("窗口领取").check()
    clerk.fill("#id_step-delivery_note", "本人领取")
    clerk.get_by_role("button", name="确认已送达，办结").click()
    expect(clerk.get_by_text("已办理完毕")).to_be_visible()
    assert Case.objects.get(pk=on_time.pk).status == Status.CLOSED
    clerk.goto("/tasks/delivery/")
    expect(rows).to_have_count(1)
    assert badge(clerk) == 1

    # The late one: the page says so, and 出件 without a reason is refused, nothing saved.
    clerk.get_by_role("link", name=late.number).click()
    expect(clerk.locator("main")).to_contain_text("已超过承诺办结期限，送达时须选择超期原因。")
    clerk.get_by_label("窗口领取").check()
    clerk.get_by_role("button", name="确认已送达，办结").click()
    expect(clerk.get_by_text("请选择超期原因")).to_be_visible()
    assert Case.objects.get(pk=late.pk).status == Status.DECIDED
    clerk.get_by_label("窗口领取").check()
    clerk.locator("#id_step-overdue_reason").select_option(index=1)
    clerk.fill("#id_step-overdue_reason_text", "外省协查回函迟到")
    clerk.get_by_role("button", name="确认已送达，办结").click()
    expect(clerk.get_by_text("已办理完毕")).to_be_visible()
    closed = Case.objects.get(pk=late.pk)
    assert closed.status == Status.CLOSED
    assert closed.overdue_reason

    # The completion notice, from the clerk's case page.
    clerk.goto(f"/window/cases/{on_time.number}/")
    clerk.locator(".actions a", has_text="办结通知书").first.click()
    expect(clerk.locator("h1")).to_contain_text("办结通知书")
    text = flat(pdf_text(print_pdf(clerk, "打印办结通知书")))
    assert "办结通知书" in text
    assert on_time.number in text
    assert "咨询电话：—" not in text
    for option in ("窗口领取", "电子送达"):
        assert text.count(option) <= 1, f"{option} printed {text.count(option)} times"
