"""公民身后一件事 end to end: five sub-items, four departments, one delivery, closed once."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from tests.factories import open_task, work
from tests.workflows.combined.bundles import DECEASED, MORNING, intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for, http_step
from workflows.cases.models import Case, CaseEvent, Status
from workflows.combined.models import Bundle
from workflows.tasks.routing import process_of
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db

# sub-item -> the department officer who handles it
HANDLERS = {"GA-HKZX": "ga", "MZ-HHZM": "mz", "RS-YSDY": "rs", "RS-GRZH": "rs", "YB-ZHZQ": "yb"}


def test_after_death_bundle_end_to_end_over_http() -> None:
    load_reference()
    users = people()
    bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    clerk = client_for(users["clerk"])
    with time_machine.travel(MORNING, tick=False):
        response = clerk.post(reverse("combined:intake", args=["BUNDLE-SH"]), intake_post(bundle))
        assert response.status_code == 302, response.content.decode()[:3000]
        parent = Case.objects.get(item__code="BUNDLE-SH")
        assert response["Location"] == reverse("combined:progress", args=[parent.number])
        children = list(parent.children.select_related("item", "department").order_by("pk"))
        assert sorted(c.item.code for c in children) == sorted(HANDLERS)
        assert {c.department.code for c in children} == {"GA", "MZ", "RS", "YB"}
        assert parent.status == Status.ACCEPTED
        assert all(c.status == Status.ACCEPTED and c.promised_due_at for c in children)
        assert len({c.number for c in [parent, *children]}) == 6

        # the retried POST of the same form returns the same bundle, no new cases
        again = clerk.post(reverse("combined:intake", args=["BUNDLE-SH"]), intake_post(bundle))
        assert again.status_code == 302
        assert Case.objects.count() == 6

        progress = clerk.get(reverse("combined:progress", args=[parent.number]))
        assert progress.status_code == 200
        assert "0 / 5" in progress.content.decode()

        for child in children:
            officer = users[f"{HANDLERS[child.item.code]}_officer"]
            http_step(child, "review", officer, outcome=APPROVE, reason="核查无误")
            assert Case.objects.get(pk=child.pk).status == Status.DECIDED

        # every child decided: the lead department (民政) summarises
        summary = open_task(parent, "summarize")
        assert (
            "5 / 5"
            in clerk.get(reverse("combined:progress", args=[parent.number])).content.decode()
        )
        assert (
            client_for(users["ga_officer"])
            .get(reverse("tasks:task", args=[summary.pk]))
            .status_code
            == 403
        )
        http_step(parent, "summarize", users["mz_officer"], outcome=APPROVE, reason="")
        assert Case.objects.get(pk=parent.pk).status == Status.DECIDED

        http_step(
            parent,
            "deliver",
            users["clerk"],
            delivery_method="window",
            delivery_note="家属本人领取",
        )

    parent.refresh_from_db()
    assert parent.status == Status.CLOSED
    assert CaseEvent.objects.filter(case=parent, action="close").count() == 1
    for child in children:
        child.refresh_from_db()
        assert child.status == Status.CLOSED
        assert child.delivery_method == "window"
        assert CaseEvent.objects.filter(case=child, action="close").count() == 1
        assert process_of(child).status == PROCESS.DONE
    assert process_of(parent).status == PROCESS.DONE


def test_newborn_bundle_on_the_engine() -> None:
    from tests.workflows.combined.bundles import all_materials
    from workflows.cases.services import Party
    from workflows.combined.services import bundle_receive

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
            deceased=DECEASED,
        )
        assert parent.department.code == "WJ"
        for child in parent.children.select_related("department"):
            work(
                child,
                "review",
                users[f"{child.department.code.lower()}_officer"],
                outcome=APPROVE,
                reason="",
            )
        work(parent, "summarize", users["wj_officer"], outcome=APPROVE, reason="")
        work(parent, "deliver", users["clerk"], delivery_method="post", delivery_note="EMS")
    assert Case.objects.get(pk=parent.pk).status == Status.CLOSED
    assert set(parent.children.values_list("status", flat=True)) == {Status.CLOSED}
