"""start_department_flow: the registry, idempotence, and what it refuses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import accepted_case, flow_item
from workflows.cases import services
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.flowkit import CaseFlowMixin
from workflows.tasks.locks import PgRowLock
from workflows.tasks.models import CaseProcess
from workflows.tasks.routing import FLOWS, flow_class_for, process_of, start_department_flow

pytestmark = pytest.mark.django_db


def test_registry_names_case_flows_with_the_bounded_lock() -> None:
    for key in FLOWS:
        flow_class = flow_class_for(key)
        assert issubclass(flow_class, CaseFlowMixin), key
        assert flow_class.process_class is CaseProcess
        assert isinstance(flow_class.lock_impl, PgRowLock)
    assert flow_class_for("no.such_flow") is None


def test_start_is_idempotent(department: Department, county: Center, clerk: User) -> None:
    item = flow_item("GA-IDEM", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county)
    first = process_of(case)
    again = start_department_flow(case=case, actor=clerk)
    assert again is not None
    assert first is not None
    assert again.pk == first.pk
    assert CaseProcess.objects.filter(case=case).count() == 1
    assert first.flow_class.__name__ == "ReviewFlow"
    start = first.task_set.get(flow_task_type="START")
    assert start.owner == clerk


def test_immediate_item_has_no_back_office_flow(
    department: Department, county: Center, clerk: User
) -> None:
    item = flow_item(
        "RS-SYDJ-T", department, "", kind=ServiceItem.Kind.IMMEDIATE, statutory=0, promised=0
    )
    case = accepted_case(item=item, clerk=clerk, center=county)
    assert process_of(case) is None


def test_refuses_a_case_that_is_not_accepted(
    department: Department, county: Center, clerk: User
) -> None:
    item = flow_item("GA-NA", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county, start_flow=False)
    received = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=services.Party(name="张三", id_number="441426199001011238", phone="13912345678"),
    )
    with pytest.raises(TransitionRefused, match="尚未受理"):
        start_department_flow(case=received, actor=clerk)
    assert start_department_flow(case=case, actor=clerk) is not None


def test_refuses_an_unknown_flow_key_and_a_bundle_without_children(
    department: Department, county: Center, clerk: User
) -> None:
    typo = flow_item("GA-TYPO", department, "public_security.househld_move")
    case = accepted_case(item=typo, clerk=clerk, center=county, start_flow=False)
    with pytest.raises(InvalidRequest, match="househld_move"):
        start_department_flow(case=case, actor=clerk)
    bundle_item = flow_item(
        "BUNDLE-X", department, "combined.bundle", kind=ServiceItem.Kind.JOINT, materials=[]
    )
    lone = accepted_case(item=bundle_item, clerk=clerk, center=county, start_flow=False)
    with pytest.raises(InvalidRequest, match="一件事"):
        start_department_flow(case=lone, actor=clerk)
    assert process_of(lone) is None
