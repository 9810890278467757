"""户口迁移: 民警审核 → 所长审批 → 出件, on the engine and over HTTP."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from tests.factories import accepted_case, flow_item, open_task, step_data, work
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Status
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.routing import process_of
from workflows.tasks.steps import APPROVE, DENY, SEND_BACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def move_item(department: Department) -> ServiceItem:
    return flow_item("GA-HKQY-T", department, "public_security.household_move", name="户口迁移")


def test_engine_walk_to_delivery_closes_case(
    move_item: ServiceItem, county: Center, clerk: User, officer: User, head: User
) -> None:
    case = accepted_case(item=move_item, clerk=clerk, center=county)
    work(case, "police_review", officer, outcome=APPROVE, reason="迁入地准迁证明齐全")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    work(case, "chief_approval", head, outcome=APPROVE)
    decided = Case.objects.get(pk=case.pk)
    assert decided.status == Status.DECIDED
    assert decided.decided_by == head
    work(case, "deliver", clerk, delivery_method="window", delivery_note="本人领取")
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == Status.CLOSED
    assert closed.delivered_by == clerk
    assert process_of(case).status == PROCESS.DONE


def test_chief_sends_back_to_the_same_officer(
    move_item: ServiceItem, county: Center, clerk: User, officer: User, head: User
) -> None:
    case = accepted_case(item=move_item, clerk=clerk, center=county)
    work(case, "police_review", officer, outcome=APPROVE)
    work(case, "chief_approval", head, outcome=SEND_BACK, reason="缺少房产证明核查记录")
    again = open_task(case, "police_review")
    assert again.owner == officer
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    work(case, "police_review", officer, outcome=DENY, reason="不符合迁入条件")
    work(case, "chief_approval", head, outcome=DENY, reason="不符合迁入条件")
    assert Case.objects.get(pk=case.pk).decision == "denied"


def test_http_walk_and_other_department_gets_403(
    move_item: ServiceItem,
    county: Center,
    clerk: User,
    officer: User,
    head: User,
    other_officer: User,
    town_clerk: User,
) -> None:
    case = accepted_case(item=move_item, clerk=clerk, center=county)
    task = open_task(case, "police_review")
    officer_client = client_for(officer)
    assert officer_client.get(reverse("tasks:queue")).status_code == 200
    assert case.number in officer_client.get(reverse("tasks:queue")).content.decode()

    # another department neither sees nor claims it
    stranger = client_for(other_officer)
    assert case.number not in stranger.get(reverse("tasks:queue")).content.decode()
    assert stranger.get(reverse("tasks:task", args=[task.pk])).status_code == 403
    assert stranger.post(reverse("tasks:claim", args=[task.pk])).status_code == 403

    response = officer_client.post(reverse("tasks:claim", args=[task.pk]))
    assert response.status_code == 302
    response = officer_client.post(
        reverse("tasks:task", args=[task.pk]), step_data(outcome=APPROVE, reason="材料齐全")
    )
    assert response.status_code == 302

    approval = open_task(case, "chief_approval")
    head_client = client_for(head)
    assert officer_client.post(reverse("tasks:claim", args=[approval.pk])).status_code == 403
    head_client.post(reverse("tasks:claim", args=[approval.pk]))
    head_client.post(reverse("tasks:task", args=[approval.pk]), step_data(outcome=APPROVE))

    deliver = open_task(case, "deliver")
    # a clerk of another center: not in scope
    assert client_for(town_clerk).get(reverse("tasks:task", args=[deliver.pk])).status_code == 403
    clerk_client = client_for(clerk)
    assert case.number in clerk_client.get(reverse("tasks:delivery")).content.decode()
    response = clerk_client.post(
        reverse("tasks:task", args=[deliver.pk]), step_data(delivery_method="window")
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
