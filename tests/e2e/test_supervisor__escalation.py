"""督办 in Chromium: the sweep escalates an overdue case, a follow-up, the head answers.

The case is seeded through the services, accepted ten days ago (its three
working days long past), and the nightly sweep is called as the job does; the
rest is people in browsers: the supervisor from the overdue list to the 督办,
its order (督办单) opened by its number, a follow-up recorded, the department
head answering with reason and remedy, and the supervisor reading the answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from tests.documents.conftest import flat, pdf_text
from tests.e2e.conftest import OpenPage
from tests.factories import accepted_case, open_task
from workflows.cases.models import Case
from workflows.catalog.models import Center, ServiceItem
from workflows.supervision.models import Escalation, EscalationNote
from workflows.supervision.services import sweep_deadlines
from workflows.tasks import services as task_services

pytestmark = pytest.mark.e2e


@pytest.fixture
def overdue_case(site: str) -> Case:
    """无犯罪记录证明 accepted ten days ago, claimed by the officer, swept tonight."""
    case = accepted_case(
        item=ServiceItem.objects.get(code="GA-WFZJ"),
        clerk=User.objects.get(username="clerk"),
        center=Center.objects.get(code="PY"),
        now=timezone.now() - timedelta(days=10),
    )
    task_services.task_claim(
        task=open_task(case, "review"), user=User.objects.get(username="ga_officer")
    )
    sweep_deadlines()
    assert Escalation.objects.filter(case=case, order_number__gt="").exists()
    return case


def test_supervisor_follows_up_the_head_answers_and_the_order_opens_by_its_number(
    open_page: OpenPage, overdue_case: Case
) -> None:
    number = overdue_case.number
    supervisor = open_page("supervisor")
    supervisor.goto("/supervision/overdue/")
    row = supervisor.locator("table.desk tbody tr", has_text=number)
    expect(row).to_be_visible()
    row.get_by_role("link", name="办理轨迹").click()
    expect(supervisor.locator("h1")).to_contain_text(number)
    supervisor.get_by_role("link", name="超法定时限督办").click()
    expect(supervisor.locator("h1")).to_contain_text("超法定时限督办")
    expect(supervisor.get_by_role("status")).to_contain_text("等待公安负责人回复")

    # The 督办单 number is a link to the order itself.
    escalation = Escalation.objects.get(case=overdue_case, level=3)
    order = supervisor.locator("a[data-order]")
    expect(order).to_have_text(escalation.order_number)
    response = supervisor.request.get(order.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = flat(pdf_text(response.body()))
    assert "督办单" in text
    assert number in text
    assert escalation.order_number in text
    detail_url = supervisor.url

    supervisor.fill("#id_text", "已电话督促公安承办人，要求明日办结")
    supervisor.get_by_role("button", name="登记", exact=True).click()
    expect(supervisor.get_by_text("已登记督办跟进情况。")).to_be_visible()
    notes = supervisor.locator("section.card", has_text="督办记录")
    expect(notes).to_contain_text("已电话督促公安承办人，要求明日办结")

    head = open_page("ga_head")
    head.goto("/supervision/escalations/")
    listed = head.locator("table.desk tbody tr", has_text=number).filter(has_text="超法定时限")
    expect(listed.locator("a[data-order]")).to_have_text(escalation.order_number)
    listed.get_by_role("link", name="查看并回复").click()
    expect(head.locator("main")).to_contain_text("已电话督促公安承办人，要求明日办结")
    head.get_by_role("button", name="提交回复").click()  # empty: the browser holds it back
    assert head.eval_on_selector("#id_reason", "e => e.validity.valueMissing")
    assert not EscalationNote.objects.filter(kind=EscalationNote.Kind.RESPONSE).exists()
    head.fill("#id_reason", "户籍地公安机关协查回函未到")
    head.fill("#id_remedy", "已发函催办，承诺两个工作日内办结")
    head.get_by_role("button", name="提交回复").click()
    expect(head.get_by_text("已提交督办回复。")).to_be_visible()

    supervisor.goto(detail_url)
    expect(supervisor.get_by_role("status")).to_have_count(0)
    expect(notes).to_contain_text("户籍地公安机关协查回函未到")
    expect(notes).to_contain_text("已发函催办，承诺两个工作日内办结")
    expect(supervisor.locator("dl.facts")).to_contain_text("黄建国 于")
    supervisor.goto("/supervision/escalations/?state=answered")
    expect(supervisor.locator("table.desk tbody")).to_contain_text(number)
