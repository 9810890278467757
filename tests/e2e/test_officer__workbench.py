"""The department's workbench in Chromium: officer and head, extension and the built-in suspensions.

Cases are seeded through the services (accepted at the window, flow started);
everything the officer and the head then do happens in the browser: claim from
待领取, read the materials and the receipts, ask for an extension, approve it as
the head, open the notices, and the 低保 公示 that suspends and resumes the clock.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from documents.models import Document, DocumentKind
from tests.documents.conftest import flat, pdf_text
from tests.e2e.conftest import DEMO_PASSWORD, OpenPage, print_pdf
from tests.factories import accepted_case, staff
from workflows.cases.models import Case, Extension, Status
from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ServiceItem

pytestmark = pytest.mark.e2e


def seed_case(code: str) -> Case:
    """A case of ``code`` accepted at the county center by the demo clerk, its flow started."""
    return accepted_case(
        item=ServiceItem.objects.get(code=code),
        clerk=User.objects.get(username="clerk"),
        center=Center.objects.get(code="PY"),
    )


def pdf_of_link(page: Page, href: str | None) -> str:
    """The text of the PDF behind ``href``, fetched with the page's cookies."""
    assert href
    response = page.request.get(href)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    return flat(pdf_text(response.body()))


def claim_from_queue(page: Page, number: str) -> None:
    """Open 待领取, pick the case and claim its task, as an officer does."""
    page.goto("/tasks/queue/")
    expect(page.locator("h1")).to_contain_text("待领取")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="领取任务").click()
    expect(page.get_by_text("已领取，请办理。")).to_be_visible()


def document_on_task_page(page: Page, title: str) -> str:
    """The 查看 link of the document titled ``title`` in the task page's 本件文书."""
    row = page.locator("table.documents tbody tr", has_text=title).first
    expect(row).to_be_visible()
    href = row.get_by_role("link", name="查看").get_attribute("href")
    assert href
    return href


def document_on_case_page(page: Page, number: str, title: str) -> str:
    """The clerk's case page → the document's own page → its 查看 link's PDF address."""
    page.goto(f"/window/cases/{number}/")
    page.locator(".actions a", has_text=title).first.click()
    expect(page.locator("h1")).to_contain_text(title)
    href = (
        page.locator(".document-slot").get_by_role("link", name="查看").first.get_attribute("href")
    )
    assert href
    return href


def test_officer_claims_asks_for_an_extension_the_head_approves_and_the_notice_says_10_days(
    open_page: OpenPage,
) -> None:
    case = seed_case("GA-SWZM")  # 死亡证明: promised 5 working days, extension up to 10
    acceptance = Document.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)

    officer = open_page("ga_officer")
    claim_from_queue(officer, case.number)
    materials = officer.locator("section[aria-labelledby=case-materials]")
    for material in case.materials.all():
        expect(materials).to_contain_text(material.name)
    receipts = officer.locator("section[aria-labelledby=case-documents]")
    expect(receipts).to_contain_text(acceptance.number)
    assert "受理通知书" in pdf_of_link(officer, document_on_task_page(officer, "受理通知书"))
    assert case.number in pdf_text(print_pdf(officer, "回执小票"))

    task_url = officer.url
    officer.fill("#ext-days", "5")
    officer.fill("#ext-reason", "需外省公安机关协查死亡原因")
    officer.get_by_role("button", name="申请延期").click()
    expect(officer.get_by_text("延期申请已提交，待部门负责人审批。")).to_be_visible()
    expect(officer.locator("section[aria-labelledby=extension]")).to_contain_text("待审批")

    # The officer who asked cannot approve: the 延期审批 desk refuses him and says why.
    refused = officer.goto("/tasks/extensions/")
    assert refused is not None
    assert refused.status == 403
    expect(officer.locator("main")).to_contain_text("只有部门负责人可以审批延期。")
    assert Extension.objects.get(case=case).state == Extension.State.REQUESTED

    head = open_page("ga_head")
    head.goto("/tasks/extensions/")
    headers = head.locator("table thead th").all_inner_texts()
    assert "申请人" not in headers, headers
    assert "申请延期的承办人" in headers
    row = head.locator("tbody tr", has_text=case.number)
    expect(row).to_contain_text("林志强")
    expect(row).to_contain_text("5 个工作日")
    row.get_by_role("textbox", name="审批意见").fill("同意延期")
    row.get_by_role("button", name="批准", exact=True).click()
    expect(head.get_by_text(f"已批准 {case.number} 延期。")).to_be_visible()
    extension = Extension.objects.get(case=case)
    assert extension.state == Extension.State.APPROVED
    assert extension.decided_by == User.objects.get(username="ga_head")

    # The 延期办理告知书 from the task page and from the clerk's case page: 5 + 5 = 10.
    officer.goto(task_url)
    notice = pdf_of_link(officer, document_on_task_page(officer, "延期办理告知书"))
    assert "延期办理告知书" in notice
    assert "延长5个工作日" in notice
    assert "10个工作日（含延长5日）" in notice
    clerk = open_page("clerk")
    from_case_page = pdf_of_link(clerk, document_on_case_page(clerk, case.number, "延期办理告知书"))
    assert "10个工作日（含延长5日）" in from_case_page

    # The officer completes the review: the case is decided and waits for delivery.
    officer.get_by_label("准予（同意办理）").check()
    officer.get_by_role("button", name="提交").click()
    expect(officer.get_by_text("已办理完毕")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == Status.DECIDED


def test_a_head_cannot_approve_the_extension_he_asked_for_himself(open_page: OpenPage) -> None:
    second = staff("ga_head2", roles.HEAD, department=Department.objects.get(code="GA"), rank=4)
    second.set_password(DEMO_PASSWORD)
    second.save()
    case = seed_case("GA-SWZM")

    head = open_page("ga_head")  # takes the officer's step himself
    claim_from_queue(head, case.number)
    head.fill("#ext-days", "3")
    head.fill("#ext-reason", "协查")
    head.get_by_role("button", name="申请延期").click()
    expect(head.get_by_text("延期申请已提交，待部门负责人审批。")).to_be_visible()
    # His own request is not on his desk to approve; the desk says why.
    head.goto("/tasks/extensions/")
    own = head.locator("[data-own-extensions]")
    expect(own).to_contain_text("申请延期的人不能审批自己的申请，须由另一位负责人审批。")
    expect(own).to_contain_text(case.number)
    expect(head.locator("tbody tr", has_text=case.number)).to_have_count(0)

    other = open_page("ga_head2")
    other.goto("/tasks/extensions/")
    expect(other.locator("[data-own-extensions]")).to_have_count(0)
    row = other.locator("tbody tr", has_text=case.number)
    row.get_by_role("button", name="批准", exact=True).click()
    expect(other.get_by_text(f"已批准 {case.number} 延期。")).to_be_visible()


def _later(days: int) -> Any:
    """Travel ``days`` ahead (the live server runs in this process), the clock still ticking."""
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=True)


def test_the_dibao_notice_suspends_the_clock_shows_its_end_and_resumes(
    open_page: OpenPage,
) -> None:
    case = seed_case("MZ-DB")  # 最低生活保障: survey → 公示 7 日 (clock suspended) → county

    officer = open_page("mz_officer")
    officer.goto("/tasks/queue/")
    officer.get_by_role("link", name=case.number).click()
    officer.get_by_role("button", name="领取任务").click()
    officer.fill("#id_step-findings", "家庭人均收入低于当地低保标准，无大额存款")
    officer.get_by_label("符合条件，张榜公示 7 日（期间暂停计时）").check()
    officer.get_by_role("button", name="提交").click()

    # The next step is his too: the 公示 page says the notice runs and when it ends.
    expect(officer.locator("h1")).to_contain_text("公示")
    running = officer.locator("[data-notice-running]")
    expect(running).to_contain_text("公示进行中")
    ends = suspension_end(case)
    expect(running).to_contain_text(ends.isoformat())
    expect(officer.locator("section[aria-labelledby=step-form] form")).to_have_count(0)
    assert Case.objects.get(pk=case.pk).status == Status.SUSPENDED

    special = pdf_of_link(officer, document_on_task_page(officer, "特别程序告知书"))
    assert "特别程序告知书" in special
    assert case.number in special
    clerk = open_page("clerk")
    assert "特别程序告知书" in pdf_of_link(
        clerk, document_on_case_page(clerk, case.number, "特别程序告知书")
    )
    task_url = officer.url
    assert case.suspensions.get().ended_at is None

    with _later(9):
        officer = open_page("mz_officer")  # the old session has expired meanwhile
        officer.goto(task_url)
        expect(officer.locator("[data-notice-running]")).to_have_count(0)
        expect(officer.get_by_text("公示期已满")).to_be_visible()
        officer.get_by_label("公示期满无异议，报县民政局审批").check()
        officer.fill("#id_step-reason", "公示期满无人提出异议")
        officer.get_by_role("button", name="提交").click()
        expect(officer.get_by_text("已办理完毕")).to_be_visible()
        resumed = Case.objects.get(pk=case.pk)
        assert resumed.status == Status.IN_PROGRESS
        assert case.suspensions.get().ended_at is not None

        head = open_page("mz_head")
        claim_from_queue(head, case.number)
        expect(head.locator("main")).to_contain_text("公示期满无人提出异议")
        box = head.locator("#id_step-reason")
        expect(box).to_have_value("")
        head.get_by_label("准予（同意办理）").check()
        head.get_by_role("button", name="提交").click()
        expect(head.get_by_text("已办理完毕")).to_be_visible()
        assert Case.objects.get(pk=case.pk).status == Status.DECIDED


def suspension_end(case: Case) -> Any:
    from workflows.cases import services

    ends = services.public_notice_ends(Case.objects.get(pk=case.pk))
    assert ends is not None
    return ends


def test_the_chronic_disease_expert_review_suspends_and_resumes_with_its_notice(
    open_page: OpenPage,
) -> None:
    case = seed_case("YB-MTB")  # 门诊慢特病: 提交专家评审 (clock paused) → 专家评审意见 (resumed)

    officer = open_page("yb_officer")
    claim_from_queue(officer, case.number)
    officer.fill("#id_step-expected_days", "5")
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("h1")).to_contain_text("专家评审意见")
    assert Case.objects.get(pk=case.pk).status == Status.SUSPENDED
    special = pdf_of_link(officer, document_on_task_page(officer, "特别程序告知书"))
    assert "专家评审" in special
    assert "5个工作日" in special
    clerk = open_page("clerk")
    assert case.number in pdf_of_link(
        clerk, document_on_case_page(clerk, case.number, "特别程序告知书")
    )

    officer.get_by_label("符合认定标准", exact=True).check()
    officer.fill("#id_step-reason", "符合高血压病（有心、脑、肾并发症）认定标准")
    officer.get_by_role("button", name="提交").click()
    expect(officer.locator("h1")).to_contain_text("审核")
    resumed = Case.objects.get(pk=case.pk)
    assert resumed.status == Status.IN_PROGRESS
    assert resumed.suspensions.get().ended_at is not None
