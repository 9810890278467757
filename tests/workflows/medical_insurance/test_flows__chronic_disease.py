"""门诊慢特病待遇认定: 专家评审 (suspension) → 审核 → (负责人审批) → 办结出件."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from viewflow.workflow.status import PROCESS

from tests.factories import accepted_case, flow_item, open_task, work
from tests.workflows.tasks.fixtures import assert_out_of_scope, http_step
from workflows.cases.models import Case, Status, Suspension
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.routing import process_of
from workflows.tasks.steps import APPROVE, DENY, SEND_BACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def chronic(yb_department: Department) -> ServiceItem:
    return flow_item(
        "YB-MTB-T",
        yb_department,
        "medical_insurance.chronic_disease",
        name="门诊慢特病待遇认定",
        statutory=20,
        promised=20,
        delivery_options=["window", "electronic"],
    )


def test_engine_walk_expert_review_suspends_then_audit_decides(
    chronic: ServiceItem, county: Center, clerk: User, yb_officer: User
) -> None:
    case = accepted_case(item=chronic, clerk=clerk, center=county)
    work(case, "expert_review", yb_officer, expected_days=10, reason="糖尿病病种认定")
    suspended = Case.objects.get(pk=case.pk)
    assert suspended.status == Status.SUSPENDED
    assert suspended.suspensions.get().procedure == Suspension.Procedure.EXPERT_REVIEW
    assert open_task(case, "expert_opinion").owner == yb_officer

    work(case, "expert_opinion", yb_officer, outcome=APPROVE, reason="符合 2 型糖尿病认定标准")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    audit = open_task(case, "audit")
    assert audit.owner == yb_officer
    work(case, "audit", yb_officer, outcome=APPROVE, reason="")
    assert Case.objects.get(pk=case.pk).decision == "approved"
    work(case, "deliver", clerk, delivery_method="electronic")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    assert process_of(case).status == PROCESS.DONE


def test_audit_sends_back_to_new_expert_review_and_head_decides(
    yb_department: Department, county: Center, clerk: User, yb_officer: User, yb_head: User
) -> None:
    item = flow_item(
        "YB-MTB-H", yb_department, "medical_insurance.chronic_disease", needs_head=True
    )
    case = accepted_case(item=item, clerk=clerk, center=county)
    work(case, "expert_review", yb_officer, expected_days=5, reason="首次评审")
    work(case, "expert_opinion", yb_officer, outcome=DENY, reason="资料不足")
    work(case, "audit", yb_officer, outcome=SEND_BACK, reason="补充检查报告后重新评审")
    work(case, "expert_review", yb_officer, expected_days=5, reason="重新评审")
    assert Case.objects.get(pk=case.pk).suspensions.count() == 2
    work(case, "expert_opinion", yb_officer, outcome=APPROVE, reason="符合标准")
    work(case, "audit", yb_officer, outcome=APPROVE, reason="拟准予")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    work(case, "approve", yb_head, outcome=APPROVE)
    assert Case.objects.get(pk=case.pk).decided_by == yb_head


def test_http_walk_and_403s(
    chronic: ServiceItem,
    county: Center,
    clerk: User,
    yb_officer: User,
    officer: User,
    town_clerk: User,
) -> None:
    case = accepted_case(item=chronic, clerk=clerk, center=county)
    assert_out_of_scope(case, "expert_review", officer, town_clerk)
    http_step(case, "expert_review", yb_officer, expected_days=10, reason="病种认定")
    assert_out_of_scope(case, "expert_opinion", officer, town_clerk)
    http_step(case, "expert_opinion", yb_officer, outcome=APPROVE, reason="符合")
    http_step(case, "audit", yb_officer, outcome=APPROVE, reason="")
    assert_out_of_scope(case, "deliver", officer, town_clerk)
    http_step(case, "deliver", clerk, delivery_method="window")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
