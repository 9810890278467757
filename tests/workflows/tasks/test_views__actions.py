"""Release (退回待领取), extension request and approval, overdue delivery, double submit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import accepted_case, flow_item, open_task, staff, step_data, work
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Extension, Status
from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def review_item(department: Department) -> ServiceItem:
    return flow_item("GA-ACT", department, "public_security.review", promised=3, statutory=5)


def test_owner_releases_and_head_takes_back_with_a_reason(
    review_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
    head: User,
) -> None:
    colleague = staff("officer2", roles.OFFICER, department=officer.staff.department)
    case = accepted_case(item=review_item, clerk=clerk, center=county)
    task = open_task(case, "review")
    client = client_for(officer)
    client.post(reverse("tasks:claim", args=[task.pk]))
    # a colleague may not take it away
    assert client_for(colleague).post(reverse("tasks:release", args=[task.pk])).status_code == 403
    response = client.post(reverse("tasks:release", args=[task.pk]), {"reason": "请假"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner_id) == ("NEW", None)
    assert task.data["released"][0]["reason"] == "请假"

    client_for(colleague).post(reverse("tasks:claim", args=[task.pk]))
    head_client = client_for(head)
    refused = head_client.post(
        reverse("tasks:release", args=[task.pk]), {"reason": ""}, follow=True
    )
    assert "请填写理由" in refused.content.decode()
    head_client.post(reverse("tasks:release", args=[task.pk]), {"reason": "改派他人"})
    task.refresh_from_db()
    assert task.owner_id is None
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert "改派他人" in page


def test_extension_requested_on_the_task_and_approved_by_the_head(
    review_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
    head: User,
    mz_head: User,
) -> None:
    case = accepted_case(item=review_item, clerk=clerk, center=county)
    task = open_task(case, "review")
    client = client_for(officer)
    client.post(reverse("tasks:claim", args=[task.pk]))
    due = Case.objects.get(pk=case.pk).promised_due_at
    response = client.post(
        reverse("tasks:request_extension", args=[task.pk]),
        {"days": "3", "reason": "需外省公安协查"},
        follow=True,
    )
    assert "待部门负责人审批" in response.content.decode()
    extension = Extension.objects.get(case=case)
    assert extension.state == Extension.State.REQUESTED

    assert case.number not in client_for(mz_head).get(reverse("tasks:extensions")).content.decode()
    assert client_for(officer).get(reverse("tasks:extensions")).status_code == 403
    head_client = client_for(head)
    assert case.number in head_client.get(reverse("tasks:extensions")).content.decode()
    head_client.post(
        reverse("tasks:decide_extension", args=[extension.pk]), {"approve": "1", "note": "同意"}
    )
    extension.refresh_from_db()
    assert extension.state == Extension.State.APPROVED
    moved = Case.objects.get(pk=case.pk)
    assert moved.extension_days == 3
    assert moved.promised_due_at > due
    # once only
    again = client.post(
        reverse("tasks:request_extension", args=[task.pk]),
        {"days": "2", "reason": "再延"},
        follow=True,
    )
    assert "只能延期一次" in again.content.decode()


def test_late_delivery_asks_for_the_overdue_reason(
    review_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
) -> None:
    with time_machine.travel(datetime(2025, 6, 2, 10, tzinfo=SHANGHAI), tick=False):
        case = accepted_case(item=review_item, clerk=clerk, center=county)
        work(case, "review", officer, outcome=APPROVE, reason="")
    deliver = open_task(case, "deliver")
    client = client_for(clerk)
    with time_machine.travel(datetime(2025, 6, 20, 10, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("tasks:task", args=[deliver.pk])).content.decode()
        assert "超期原因" in page
        refused = client.post(
            reverse("tasks:task", args=[deliver.pk]), step_data(delivery_method="window")
        )
        assert refused.status_code == 400
        assert "请选择超期原因" in refused.content.decode()
        assert Case.objects.get(pk=case.pk).status == Status.DECIDED
        # "other" needs it written, as at the window (case_close's rule, repeated)
        unexplained = client.post(
            reverse("tasks:task", args=[deliver.pk]),
            step_data(delivery_method="window", overdue_reason="other", overdue_reason_text=" "),
        )
        assert unexplained.status_code == 400
        assert "选择“其他原因”的，请写明具体原因。" in unexplained.content.decode()
        assert Case.objects.get(pk=case.pk).status == Status.DECIDED
        done = client.post(
            reverse("tasks:task", args=[deliver.pk]),
            step_data(
                delivery_method="window",
                overdue_reason="applicant_delay",
                overdue_reason_text="申请人逾期领取",
            ),
        )
        assert done.status_code == 302
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.overdue_reason) == (Status.CLOSED, "applicant_delay")


def test_a_second_submit_of_a_done_step_is_a_clear_message(
    review_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
) -> None:
    case = accepted_case(item=review_item, clerk=clerk, center=county)
    task = open_task(case, "review")
    client = client_for(officer)
    client.post(reverse("tasks:claim", args=[task.pk]))
    client.post(reverse("tasks:task", args=[task.pk]), step_data(outcome=APPROVE))
    again = client.post(
        reverse("tasks:task", args=[task.pk]), step_data(outcome=APPROVE), follow=True
    )
    assert again.status_code == 200
    assert "该任务已办结或已取消" in again.content.decode()
    assert Case.objects.get(pk=case.pk).events.filter(action="decide").count() == 1


def test_denial_without_reason_is_refused_on_the_form(
    review_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
) -> None:
    case = accepted_case(item=review_item, clerk=clerk, center=county)
    task = open_task(case, "review")
    client = client_for(officer)
    client.post(reverse("tasks:claim", args=[task.pk]))
    response = client.post(reverse("tasks:task", args=[task.pk]), step_data(outcome="denied"))
    assert response.status_code == 400
    assert "不予或退回时须填写理由" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
