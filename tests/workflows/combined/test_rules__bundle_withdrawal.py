"""Withdrawing a 一件事 bundle withdraws its open sub-cases and ends their flows."""

from __future__ import annotations

import pytest
import time_machine
from viewflow.workflow.status import PROCESS

from tests.workflows.combined.bundles import MORNING, all_materials, load_reference, people
from workflows.cases import services
from workflows.cases.models import CaseEvent, Status
from workflows.cases.services import Party
from workflows.combined.models import Bundle
from workflows.combined.services import bundle_receive
from workflows.tasks import routing
from workflows.tasks.routing import process_of

pytestmark = pytest.mark.django_db


def test_withdrawing_the_bundle_withdraws_every_open_sub_case() -> None:
    load_reference()
    users = people()
    bundle = Bundle.objects.get(item__code="BUNDLE-XSE")
    with time_machine.travel(MORNING, tick=False):
        parent = bundle_receive(
            bundle=bundle,
            center=users["clerk"].staff.center,
            actor=users["clerk"],
            applicant=Party(name="赵六", id_number="441426199001011238", phone="13912345678"),
            item_ids=[p.item_id for p in bundle.parts.all()],
            received=all_materials(bundle),
        )
        children = list(parent.children.all())
        assert children
        parent = services.case_withdraw(case=parent, actor=users["clerk"], reason="申请人撤回")
        routing.cancel_department_flow(case=parent)

    assert parent.status == Status.WITHDRAWN
    for child in children:
        child.refresh_from_db()
        assert child.status == Status.WITHDRAWN, child.number
        event = CaseEvent.objects.get(case=child, action="withdraw")
        assert event.payload["bundle"] == parent.number
        process = process_of(child)
        assert process is None or process.status != PROCESS.NEW
