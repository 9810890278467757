"""Withdrawing a case while its officer completes the task: one lock order, never a deadlock.

Both requests take the case row first, then the flow's process row
(``workflows.cases.locks``), so PostgreSQL never sees the two wait on each
other: one waits for the other and then finds the case changed, or is told
with a 409 that someone else is at work. Real concurrent transactions, repeated.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from viewflow.workflow.status import STATUS

from tests.concurrency import run_together
from tests.factories import (
    CenterFactory,
    DepartmentFactory,
    accepted_case,
    flow_item,
    open_task,
    staff,
)
from workflows.calendar.services import calendar_seed
from workflows.cases.models import Case, Status
from workflows.catalog import roles
from workflows.tasks import services
from workflows.tasks.models import CaseProcess
from workflows.tasks.permissions import grant_role_permissions
from workflows.tasks.steps import APPROVE

ROUNDS = 8


@pytest.fixture
def world(transactional_db: None) -> dict[str, object]:
    calendar_seed()
    grant_role_permissions()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    department = DepartmentFactory(code="GA", name="公安")
    return {
        "county": county,
        "item": flow_item("GA-CC", department, "public_security.review"),
        "clerk": staff("clerk", roles.CLERK, center=county),
        "officer": staff("officer", roles.OFFICER, department=department),
    }


def client_for(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_withdraw_and_complete_at_once_never_deadlock_and_collisions_are_a_409(
    world: dict,
) -> None:
    clerk, officer = client_for(world["clerk"]), client_for(world["officer"])
    # Each client builds its middleware chain on its first request; not in the race.
    assert clerk.get(reverse("window:index")).status_code in (200, 302)
    assert officer.get(reverse("tasks:index")).status_code in (200, 302)
    outcomes = []
    for _ in range(ROUNDS):
        case = accepted_case(item=world["item"], clerk=world["clerk"], center=world["county"])
        task = open_task(case, "review")
        services.task_claim(task=task, user=world["officer"])
        withdraw_url = reverse("window:withdraw", kwargs={"number": case.number})
        task_url = reverse("tasks:task", args=[task.pk])

        def act(i: int, withdraw_url: str = withdraw_url, task_url: str = task_url) -> object:
            if i == 0:
                response = clerk.post(
                    withdraw_url, {"reason": "申请人书面申请撤回", "key": uuid.uuid4().hex}
                )
            else:
                response = officer.post(
                    task_url, {"step-outcome": APPROVE, "step-reason": "材料齐全"}
                )
            return response.status_code, response.content.decode()

        withdrawn, completed = run_together(2, act)
        assert not isinstance(withdrawn, Exception), withdrawn
        assert not isinstance(completed, Exception), completed
        for status, body in (withdrawn, completed):
            assert status != 500, body[:2000]
            assert status in (200, 302, 400, 409), (status, body[:2000])
            if status == 409:
                # A collision is said in words: busy, changed meanwhile, or the refusal why.
                assert 'role="alert"' in body or "请稍后重试" in body, body[:2000]
        case = Case.objects.get(pk=case.pk)
        process = CaseProcess.objects.get(case=case)
        open_tasks = process.task_set.filter(
            flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
        if case.status == Status.WITHDRAWN:
            # The withdrawal won (or came after): the flow ended with the case.
            assert not open_tasks.exists()
            assert withdrawn[0] == 302
        else:
            assert withdrawn[0] != 302
        outcomes.append((withdrawn[0], completed[0], case.status))

    assert len(outcomes) == ROUNDS
    print("withdraw, complete, final status per round:", outcomes)
