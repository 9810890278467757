"""The generic ``<package>.review`` flow, checked the same way for every department package."""

from __future__ import annotations

from django.contrib.auth.models import User
from viewflow.workflow.status import PROCESS

from tests.factories import DepartmentFactory, accepted_case, flow_item, open_task, staff, work
from tests.workflows.tasks.fixtures import assert_out_of_scope, http_step
from workflows.cases.models import Case, Status
from workflows.catalog import roles
from workflows.catalog.models import Center
from workflows.tasks.routing import flow_class_for, process_of
from workflows.tasks.steps import APPROVE, DENY, SEND_BACK


def _people(code: str) -> tuple[User, User, User]:
    department = DepartmentFactory(code=code, name=f"部门{code}")
    officer = staff(f"{code.lower()}_officer", roles.OFFICER, department=department)
    head = staff(f"{code.lower()}_head", roles.HEAD, department=department, rank=3)
    stranger = staff(
        "stranger_officer", roles.OFFICER, department=DepartmentFactory(code="XX", name="其他部门")
    )
    return officer, head, stranger


def engine_walk(package: str, code: str, county: Center, clerk: User) -> None:
    """Without head approval the officer decides; with it the head decides (or sends back)."""
    officer, head, _ = _people(code)
    department = officer.staff.department
    key = f"{package}.review"
    assert flow_class_for(key).__module__ == f"workflows.{package}.flows"

    plain = accepted_case(item=flow_item(f"{code}-R1", department, key), clerk=clerk, center=county)
    work(plain, "review", officer, outcome=APPROVE, reason="")
    assert Case.objects.get(pk=plain.pk).status == Status.DECIDED
    work(plain, "deliver", clerk, delivery_method="window")
    assert Case.objects.get(pk=plain.pk).status == Status.CLOSED
    assert process_of(plain).status == PROCESS.DONE

    headed = accepted_case(
        item=flow_item(f"{code}-R2", department, key, needs_head=True), clerk=clerk, center=county
    )
    work(headed, "review", officer, outcome=DENY, reason="收入超过标准")
    assert Case.objects.get(pk=headed.pk).status == Status.IN_PROGRESS
    work(headed, "approve", head, outcome=SEND_BACK, reason="请补充核查")
    assert open_task(headed, "review").owner == officer
    work(headed, "review", officer, outcome=DENY, reason="复核后仍超过标准")
    work(headed, "approve", head, outcome=DENY, reason="收入超过标准")
    decided = Case.objects.get(pk=headed.pk)
    assert (decided.status, decided.decision, decided.decided_by) == (
        Status.DECIDED,
        "denied",
        head,
    )
    work(headed, "deliver", clerk, delivery_method="post", delivery_note="EMS 1234")
    assert Case.objects.get(pk=headed.pk).status == Status.CLOSED


def http_walk(package: str, code: str, county: Center, clerk: User, town_clerk: User) -> None:
    """Through the real views; 403 for another department's officer and another center's clerk."""
    officer, head, stranger = _people(code)
    item = flow_item(f"{code}-R3", officer.staff.department, f"{package}.review", needs_head=True)
    case = accepted_case(item=item, clerk=clerk, center=county)
    assert_out_of_scope(case, "review", stranger, town_clerk)
    http_step(case, "review", officer, outcome=APPROVE, reason="材料齐全")
    assert_out_of_scope(case, "approve", stranger, town_clerk)
    http_step(case, "approve", head, outcome=APPROVE)
    assert_out_of_scope(case, "deliver", stranger, town_clerk)
    http_step(case, "deliver", clerk, delivery_method="window", delivery_note="本人领取")
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
