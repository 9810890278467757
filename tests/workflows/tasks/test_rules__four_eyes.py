"""Four eyes: whoever proposes never approves, in every flow and for extensions (over HTTP)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import accepted_case, flow_item, open_task, staff, step_data
from tests.workflows.tasks.fixtures import client_for, http_step
from workflows.cases import errors
from workflows.cases.models import Case, Extension, Status
from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_item(department: Department) -> ServiceItem:
    return flow_item("GA-4EYES", department, "public_security.review", needs_head=True)


@pytest.fixture
def second_head(department: Department) -> User:
    return staff("head2", roles.HEAD, department=department, rank=3)


def test_a_head_who_proposed_cannot_approve_his_own_proposal(
    head_item: ServiceItem, county: Center, clerk: User, head: User, second_head: User
) -> None:
    case = accepted_case(item=head_item, clerk=clerk, center=county)
    # The head takes the officer's step and proposes.
    http_step(case, "review", head, outcome=APPROVE, reason="材料齐全，拟准予")

    task = open_task(case, "approve")
    client = client_for(head)
    refused = client.post(reverse("tasks:claim", args=[task.pk]), follow=True)
    assert str(errors.FOUR_EYES) in refused.content.decode()
    task.refresh_from_db()
    assert task.owner_id is None
    submitted = client.post(
        reverse("tasks:task", args=[task.pk]), step_data(outcome=APPROVE, reason="同意")
    )
    assert submitted.status_code in (302, 403, 409)
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS

    # Another head approves.
    http_step(case, "approve", second_head, outcome=APPROVE, reason="同意")
    decided = Case.objects.get(pk=case.pk)
    assert decided.status == Status.DECIDED
    assert decided.decided_by == second_head


def test_the_service_refuses_a_decision_by_its_proposer(
    head_item: ServiceItem, county: Center, clerk: User, head: User
) -> None:
    from workflows.cases import services
    from workflows.cases.errors import ActionForbidden

    case = accepted_case(item=head_item, clerk=clerk, center=county, start_flow=False)
    with pytest.raises(ActionForbidden) as refused:
        services.case_decide(case=case, actor=head, decision="approved", proposed_by=head.pk)
    assert refused.value.message == str(errors.FOUR_EYES)


def test_a_head_cannot_approve_his_own_extension(
    county: Center, clerk: User, head: User, second_head: User, department: Department
) -> None:
    item = flow_item("GA-4EXT", department, "public_security.review", promised=3, statutory=5)
    case = accepted_case(item=item, clerk=clerk, center=county)
    task = open_task(case, "review")
    client = client_for(head)
    client.post(reverse("tasks:claim", args=[task.pk]))
    client.post(
        reverse("tasks:request_extension", args=[task.pk]),
        {"days": "3", "reason": "需外省公安协查"},
    )
    extension = Extension.objects.get(case=case)
    assert extension.state == Extension.State.REQUESTED
    # Not on his own list to decide (the desk says why), and refused if posted anyway.
    desk = client.get(reverse("tasks:extensions")).content.decode()
    assert reverse("tasks:decide_extension", args=[extension.pk]) not in desk
    assert str(errors.FOUR_EYES_EXTENSION) in desk
    posted = client.post(
        reverse("tasks:decide_extension", args=[extension.pk]), {"approve": "1", "note": ""}
    )
    assert posted.status_code == 404
    extension.refresh_from_db()
    assert extension.state == Extension.State.REQUESTED

    other = client_for(second_head)
    assert case.number in other.get(reverse("tasks:extensions")).content.decode()
    other.post(reverse("tasks:decide_extension", args=[extension.pk]), {"approve": "1"})
    extension.refresh_from_db()
    assert (extension.state, extension.decided_by) == (Extension.State.APPROVED, second_head)


def test_the_extension_service_refuses_its_requester(
    county: Center, clerk: User, head: User, department: Department
) -> None:
    from workflows.cases import services
    from workflows.cases.errors import ActionForbidden

    item = flow_item("GA-4EXS", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county, start_flow=False)
    services.case_start(case=case, actor=head)
    services.case_request_extension(case=case, actor=head, days=3, reason="协查")
    with pytest.raises(ActionForbidden) as refused:
        services.case_decide_extension(case=case, actor=head, approve=True)
    assert refused.value.message == str(errors.FOUR_EYES_EXTENSION)
