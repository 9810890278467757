"""A double-clicked "受理" arriving at the same moment accepts once, over real HTTP and threads."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.urls import reverse

from tests.concurrency import run_together
from tests.factories import CenterFactory, ServiceItemFactory, staff
from tests.workflows.window.conftest import RoutingSpy, intake_data, login
from workflows.calendar.services import calendar_seed
from workflows.cases.models import Case, CaseEvent
from workflows.catalog import roles


def test_simultaneous_double_submit_accepts_once(
    transactional_db: None, routing_spy: RoutingSpy
) -> None:
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    item = ServiceItemFactory(code="GA-TEST", name="户口迁移")
    clerk = staff("clerk", roles.CLERK, center=county)
    clients = [login(clerk) for _ in range(4)]
    data = intake_data(item, key=uuid.uuid4().hex)
    url = reverse("window:intake", kwargs={"code": item.code})

    responses = run_together(4, lambda i: clients[i].post(url, data))

    assert all(isinstance(r, HttpResponse) for r in responses), responses
    case = Case.objects.get()
    assert {r.status_code for r in responses} == {302}  # type: ignore[union-attr]
    assert {r["Location"] for r in responses} == {  # type: ignore[index]
        reverse("window:outcome", kwargs={"number": case.number}) + "?doc=acceptance"
    }
    assert case.number.endswith("-000001")
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    assert routing_spy.numbers() == [case.number]
