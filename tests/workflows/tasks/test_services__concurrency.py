"""Claims and the flow lock under real concurrency (threads, PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from tests.concurrency import run_together
from tests.factories import (
    CenterFactory,
    DepartmentFactory,
    accepted_case,
    flow_item,
    open_task,
    staff,
    work,
)
from tests.workflows.tasks.fixtures import client_for
from workflows.calendar.services import calendar_seed
from workflows.cases.models import Case, Status
from workflows.catalog import roles
from workflows.catalog.roles import display_name
from workflows.tasks import services
from workflows.tasks.errors import TaskError
from workflows.tasks.models import CaseProcess
from workflows.tasks.steps import APPROVE


@pytest.fixture
def world(transactional_db: None) -> dict[str, object]:
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    department = DepartmentFactory(code="GA", name="公安")
    item = flow_item("GA-CC", department, "public_security.review")
    clerk = staff("clerk", roles.CLERK, center=county)
    officers = [staff(f"officer{i}", roles.OFFICER, department=department) for i in range(2)]
    case = accepted_case(item=item, clerk=clerk, center=county)
    return {
        "case": case,
        "officers": officers,
        "clerk": clerk,
        "county": county,
        "department": department,
    }


def test_two_officers_claiming_at_once_one_wins_the_other_is_told(world: dict) -> None:
    task = open_task(world["case"], "review")
    officers = world["officers"]

    results = run_together(2, lambda i: services.task_claim(task=task, user=officers[i]))

    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert isinstance(losers[0], TaskError)
    task.refresh_from_db()
    owner = task.owner
    assert owner in officers
    assert losers[0].message == f"该任务已由{display_name(owner)}领取，您无需再领取。"
    # case_start ran exactly once, for the winner
    case = Case.objects.get(pk=world["case"].pk)
    assert (case.status, case.handler) == (Status.IN_PROGRESS, owner)
    assert case.events.filter(action="start").count() == 1


def test_two_officers_claiming_over_http_one_redirect_one_message(world: dict) -> None:
    task = open_task(world["case"], "review")
    clients = [client_for(o) for o in world["officers"]]

    def claim(i: int) -> object:
        response = clients[i].post(reverse("tasks:claim", args=[task.pk]), follow=True)
        return response.status_code, response.content.decode()

    results = run_together(2, claim)
    assert all(status == 200 for status, _ in results), results
    bodies = [body for _, body in results]
    assert sum("已领取，请办理。" in b for b in bodies) == 1
    assert sum("领取，您无需再领取。" in b for b in bodies) == 1


@override_settings(ONEWINDOW_ROW_LOCK_TIMEOUT_MS=300)
def test_a_held_flow_lock_is_a_409_busy_not_a_500(world: dict) -> None:
    task = open_task(world["case"], "review")
    holding = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                CaseProcess.objects.select_for_update().get(pk=task.process_id)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        response = client_for(world["officers"][0]).post(reverse("tasks:claim", args=[task.pk]))
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert response.status_code == 409
    assert "请稍后重试" in response.content.decode()
    assert waited < 5
    task.refresh_from_db()
    assert task.owner_id is None


def test_two_sub_cases_decided_at_once_wake_the_bundle_once(world: dict) -> None:
    from workflows.cases.services import Party
    from workflows.catalog.models import ServiceItem
    from workflows.combined.models import Bundle, BundlePart
    from workflows.combined.services import bundle_receive

    rs = DepartmentFactory(code="RS", name="人社")
    rs_officer = staff("rs_officer", roles.OFFICER, department=rs)
    ga_item = flow_item("GA-B1", world["department"], "public_security.review")
    rs_item = flow_item("RS-B1", rs, "social_insurance.review")
    lead = flow_item(
        "BUNDLE-T",
        world["department"],
        "combined.bundle",
        kind=ServiceItem.Kind.JOINT,
        materials=[],
    )
    bundle = Bundle.objects.create(item=lead)
    BundlePart.objects.create(bundle=bundle, item=ga_item, position=1)
    BundlePart.objects.create(bundle=bundle, item=rs_item, position=2)
    parent = bundle_receive(
        bundle=bundle,
        center=world["county"],
        actor=world["clerk"],
        applicant=Party(name="王五", id_number="441426199001011238", phone="13912345678"),
        item_ids=[ga_item.pk, rs_item.pk],
        received=[m.name for i in (ga_item, rs_item) for m in i.materials.all()],
    )
    children = {c.item.code: c for c in parent.children.select_related("item")}
    ga_task = open_task(children["GA-B1"], "review")
    rs_task = open_task(children["RS-B1"], "review")
    services.task_claim(task=ga_task, user=world["officers"][0])
    services.task_claim(task=rs_task, user=rs_officer)
    jobs = [(ga_task, world["officers"][0]), (rs_task, rs_officer)]

    def decide(i: int) -> object:
        task, user = jobs[i]
        task.refresh_from_db()
        return services.task_complete(
            task=task, user=user, data={"step-outcome": APPROVE, "step-reason": ""}
        )

    results = run_together(2, decide)
    assert not [r for r in results if isinstance(r, Exception)], results
    summary = open_task(parent, "summarize")  # exactly one
    assert summary.flow_task.name == "summarize"
    wait = CaseProcess.objects.get(case=parent).task_set.filter(flow_task_type="FUNCTION")
    assert [t.status for t in wait if t.flow_task.name == "wait_children"] == ["DONE"]
    work(parent, "summarize", world["officers"][1], outcome=APPROVE, reason="")
    work(parent, "deliver", world["clerk"], delivery_method="window")
    assert Case.objects.get(pk=parent.pk).status == Status.CLOSED
