"""Row-level scope of the desk: a town's supervisor sees that town and its villages only;
officers cannot open the desk; heads see and answer their department's 督办."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.factories import ServiceItemFactory, staff
from tests.workflows.supervision.conftest import at
from workflows.cases.models import Case
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.supervision.models import Escalation
from workflows.supervision.services import sweep_deadlines

ACCEPTED = at(2026, 3, 2, 10)
LATE = at(2026, 3, 11, 9)


@pytest.fixture
def cases(
    case_factory: CaseFactory,
    county: Center,
    town: Center,
    village: Center,
    other_town: Center,
    clerk: User,
    town_clerk: User,
    other_department: Department,
) -> dict[str, Case]:
    village_clerk = staff("clerk_hs", roles.CLERK, center=village)
    other_clerk = staff("clerk_rj", roles.CLERK, center=other_town)
    mz_item = ServiceItemFactory(code="MZ-TEST", name="低保申请", department=other_department)
    made = {
        "county": case_factory(at=ACCEPTED, status="accepted", center=county, actor=clerk),
        "town": case_factory(at=ACCEPTED, status="accepted", center=town, actor=town_clerk),
        "village": case_factory(
            at=ACCEPTED, status="accepted", center=village, actor=village_clerk
        ),
        "other_town": case_factory(
            at=ACCEPTED, status="accepted", center=other_town, actor=other_clerk
        ),
        "town_mz": case_factory(
            at=ACCEPTED, status="accepted", center=town, actor=town_clerk, service_item=mz_item
        ),
    }
    sweep_deadlines(now=LATE)
    return made


def page(user: User, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content).decode()
    return response.status_code, response.content.decode()


def shown(content: str, cases: dict[str, Case]) -> set[str]:
    return {key for key, case in cases.items() if case.number in content}


@pytest.mark.django_db
def test_a_town_supervisor_sees_the_town_and_its_villages_only(
    cases: dict[str, Case], town_supervisor: User
) -> None:
    status, content = page(town_supervisor, "/supervision/overdue/")
    assert status == 200
    assert shown(content, cases) == {"town", "village", "town_mz"}
    status, content = page(town_supervisor, "/supervision/escalations/")
    assert status == 200
    assert shown(content, cases) == {"town", "village", "town_mz"}
    other = cases["other_town"]
    assert page(town_supervisor, f"/supervision/cases/{other.number}/trail/")[0] == 404
    escalation = Escalation.objects.get(case=other, level=2)
    assert page(town_supervisor, f"/supervision/escalations/{escalation.pk}/")[0] == 404
    csv = page(town_supervisor, "/supervision/overdue/?export=csv")[1]
    assert shown(csv, cases) == {"town", "village", "town_mz"}


@pytest.mark.django_db
def test_the_county_supervisor_sees_every_center(cases: dict[str, Case], supervisor: User) -> None:
    status, content = page(supervisor, "/supervision/overdue/")
    assert status == 200
    assert shown(content, cases) == set(cases)


@pytest.mark.django_db
def test_a_supervisor_cannot_widen_the_scope_with_a_filter(
    cases: dict[str, Case], town_supervisor: User, other_town: Center
) -> None:
    status, content = page(town_supervisor, f"/supervision/overdue/?center={other_town.pk}")
    assert status == 200
    assert shown(content, cases) == set()
    assert "errorlist" in content  # the other town is not a choice: the form says so


@pytest.mark.django_db
def test_an_officer_cannot_open_the_desk(cases: dict[str, Case], officer: User) -> None:
    for url in (
        "/supervision/",
        "/supervision/overdue/",
        "/supervision/due-soon/",
        "/supervision/statistics/",
        "/supervision/escalations/",
        "/supervision/overdue/?export=csv",
    ):
        status, content = page(officer, url)
        assert status == 403, url
        assert "督查台仅限" in content or "督办事项仅限" in content
    escalation = Escalation.objects.get(case=cases["town"], level=2)
    assert page(officer, f"/supervision/escalations/{escalation.pk}/")[0] == 403
    # The trail follows case visibility: the officer's own department's case opens.
    assert page(officer, f"/supervision/cases/{cases['town'].number}/trail/")[0] == 200
    assert page(officer, f"/supervision/cases/{cases['town_mz'].number}/trail/")[0] == 404


@pytest.mark.django_db
def test_a_clerk_cannot_open_the_desk(cases: dict[str, Case], clerk: User) -> None:
    assert page(clerk, "/supervision/overdue/")[0] == 403


@pytest.mark.django_db
def test_a_head_sees_the_department_and_answers_its_escalations(
    cases: dict[str, Case], head: User, other_head: User
) -> None:
    status, content = page(head, "/supervision/overdue/")
    assert status == 200
    assert shown(content, cases) == {"county", "town", "village", "other_town"}
    status, content = page(head, "/supervision/escalations/")
    assert shown(content, cases) == {"county", "town", "village", "other_town"}
    escalation = Escalation.objects.get(case=cases["town"], level=2)
    status, content = page(head, f"/supervision/escalations/{escalation.pk}/")
    assert status == 200
    assert "提交回复" in content
    assert page(other_head, f"/supervision/escalations/{escalation.pk}/")[0] == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(cases: dict[str, Case]) -> None:
    response = Client().get("/supervision/overdue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
