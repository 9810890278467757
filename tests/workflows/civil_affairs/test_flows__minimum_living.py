"""最低生活保障: 镇街入户调查 → 公示 7 日 (suspension) → 县民政局审批 → 结果告知."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from tests.factories import accepted_case, flow_item, open_task, step_data, work
from tests.workflows.tasks.fixtures import assert_out_of_scope, client_for, http_step
from workflows.cases.models import Case, Status, Suspension
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.civil_affairs.steps import notice_ends
from workflows.tasks.errors import StepInvalid
from workflows.tasks.routing import process_of
from workflows.tasks.steps import APPROVE, DENY, SEND_BACK

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> datetime:
    """March 2025, local time (Mon 3 March … no holidays)."""
    return datetime(2025, 3, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def dibao(other_department: Department) -> ServiceItem:
    return flow_item(
        "MZ-DB-T",
        other_department,
        "civil_affairs.minimum_living",
        name="最低生活保障",
        statutory=30,
        promised=25,
        needs_head=True,
    )


def test_engine_walk_with_public_notice_pausing_the_clock(
    dibao: ServiceItem, county: Center, clerk: User, other_officer: User, mz_head: User
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
    due_before = Case.objects.get(pk=case.pk).promised_due_at
    with time_machine.travel(at(4), tick=False):
        work(case, "town_survey", other_officer, outcome=APPROVE, findings="家庭人均收入低于标准")
    suspended = Case.objects.get(pk=case.pk)
    assert suspended.status == Status.SUSPENDED
    notice = suspended.suspensions.get()
    assert notice.procedure == Suspension.Procedure.PUBLIC_NOTICE
    assert notice.expected_days == 5  # 7 calendar days from Tue 4 March = 5 working days
    assert notice_ends(suspended).isoformat() == "2025-03-11"
    assert open_task(case, "public_notice").owner == other_officer

    with time_machine.travel(at(10), tick=False), pytest.raises(StepInvalid) as refused:
        work(case, "public_notice", other_officer, outcome=APPROVE)
    assert "公示期未满" in str(refused.value.form.non_field_errors())
    assert Case.objects.get(pk=case.pk).status == Status.SUSPENDED

    with time_machine.travel(at(11), tick=False):
        work(case, "public_notice", other_officer, outcome=APPROVE)
    resumed = Case.objects.get(pk=case.pk)
    assert resumed.status == Status.IN_PROGRESS
    assert resumed.promised_due_at > due_before  # the 公示 did not count

    with time_machine.travel(at(12), tick=False):
        work(case, "county_approval", mz_head, outcome=APPROVE, reason="同意纳入低保")
        assert Case.objects.get(pk=case.pk).status == Status.DECIDED
        work(case, "result_notice", clerk, delivery_method="post", delivery_note="EMS 9876")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    assert process_of(case).status == PROCESS.DONE


def test_ineligible_household_skips_notice_and_objection_sends_back(
    dibao: ServiceItem, county: Center, clerk: User, other_officer: User, mz_head: User
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
        work(case, "town_survey", other_officer, outcome=DENY, findings="有机动车辆")
        assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
        approval = open_task(case, "county_approval")
        assert approval.owner_id is None
        work(case, "county_approval", mz_head, outcome=SEND_BACK, reason="车辆已报废，请复核")
        work(case, "town_survey", other_officer, outcome=APPROVE, findings="复核：符合条件")
    with time_machine.travel(at(11), tick=False):
        work(case, "public_notice", other_officer, outcome=SEND_BACK, reason="群众反映有经营收入")
        assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
        assert open_task(case, "town_survey").owner == other_officer


def test_http_walk_and_403s(
    dibao: ServiceItem,
    county: Center,
    clerk: User,
    other_officer: User,
    mz_head: User,
    officer: User,
    town_clerk: User,
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
        assert_out_of_scope(case, "town_survey", officer, town_clerk)
        http_step(case, "town_survey", other_officer, outcome=APPROVE, findings="符合条件")
    with time_machine.travel(at(5), tick=False):
        task = open_task(case, "public_notice")
        response = client_for(other_officer).post(
            reverse("tasks:task", args=[task.pk]), step_data(outcome=APPROVE)
        )
        assert response.status_code == 400
        assert "公示期未满" in response.content.decode()
    with time_machine.travel(at(11), tick=False):
        http_step(case, "public_notice", other_officer, outcome=APPROVE)
        assert_out_of_scope(case, "county_approval", officer, town_clerk)
        assert (
            client_for(other_officer)
            .post(reverse("tasks:claim", args=[open_task(case, "county_approval").pk]))
            .status_code
            == 403
        )  # officers do not approve
        http_step(case, "county_approval", mz_head, outcome=APPROVE)
        assert_out_of_scope(case, "result_notice", officer, town_clerk)
        http_step(case, "result_notice", clerk, delivery_method="window")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
