"""Row-level scope: department for officers, center for clerks, subtree for supervisors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import accepted_case, flow_item, open_task, staff, work
from tests.workflows.tasks.fixtures import client_for
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.tasks import selectors
from workflows.tasks.routing import process_of
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(
    department: Department,
    other_department: Department,
    county: Center,
    town: Center,
    clerk: User,
    town_clerk: User,
) -> dict[str, object]:
    ga = flow_item("GA-S", department, "public_security.review")
    mz = flow_item("MZ-S", other_department, "civil_affairs.review")
    return {
        "ga_county": accepted_case(item=ga, clerk=clerk, center=county),
        "ga_town": accepted_case(item=ga, clerk=town_clerk, center=town),
        "mz_county": accepted_case(item=mz, clerk=clerk, center=county),
    }


def numbers(tasks: object) -> set[str]:
    return {t.process.caseprocess.case.number for t in tasks}  # type: ignore[attr-defined]


def test_officer_queue_is_own_department_only(
    cases: dict, officer: User, other_officer: User, head: User
) -> None:
    ga = {cases["ga_county"].number, cases["ga_town"].number}
    assert numbers(selectors.queue_for(officer)) == ga
    assert numbers(selectors.queue_for(head)) == ga
    assert numbers(selectors.queue_for(other_officer)) == {cases["mz_county"].number}
    page = client_for(officer).get(reverse("tasks:queue")).content.decode()
    assert cases["ga_town"].number in page
    assert cases["mz_county"].number not in page


def test_clerks_see_their_own_centers_deliveries_only(
    cases: dict,
    officer: User,
    clerk: User,
    town_clerk: User,
    supervisor: User,
    town_supervisor: User,
) -> None:
    for key in ("ga_county", "ga_town"):
        work(cases[key], "review", officer, outcome=APPROVE, reason="")
    assert numbers(selectors.delivery_for(clerk)) == {cases["ga_county"].number}
    assert numbers(selectors.delivery_for(town_clerk)) == {cases["ga_town"].number}
    assert numbers(selectors.queue_for(clerk)) == {cases["ga_county"].number}
    # the county supervisor sees the county and the town; the town supervisor the town only
    assert {cases["ga_county"].number, cases["ga_town"].number} <= numbers(
        selectors.open_tasks_for(supervisor)
    )
    assert numbers(selectors.open_tasks_for(town_supervisor)) == {cases["ga_town"].number}
    town_task = open_task(cases["ga_town"], "deliver")
    assert client_for(clerk).get(reverse("tasks:task", args=[town_task.pk])).status_code == 403
    assert client_for(town_clerk).get(reverse("tasks:task", args=[town_task.pk])).status_code == 200


def test_supervisor_reads_but_cannot_claim(cases: dict, supervisor: User) -> None:
    task = open_task(cases["ga_county"], "review")
    client = client_for(supervisor)
    page = client.get(reverse("tasks:task", args=[task.pk]))
    assert page.status_code == 200
    assert "领取任务" not in page.content.decode()
    assert client.post(reverse("tasks:claim", args=[task.pk])).status_code == 403
    assert cases["ga_county"].number in client.get(reverse("tasks:open")).content.decode()


def test_clerk_cannot_open_an_officer_task_of_their_own_center(cases: dict, clerk: User) -> None:
    task = open_task(cases["ga_county"], "review")
    assert client_for(clerk).get(reverse("tasks:task", args=[task.pk])).status_code == 403


def test_flow_view_permission_is_row_level(
    cases: dict, officer: User, other_officer: User, county: Center
) -> None:
    process = process_of(cases["ga_county"])
    flow = process.flow_class.instance
    assert flow.has_view_permission(officer)
    assert flow.has_view_permission(officer, process)
    assert not flow.has_view_permission(other_officer, process)
    nobody = staff("nobody", roles.CLERK, center=None)
    nobody.groups.clear()
    assert not flow.has_view_permission(nobody)
    assert not flow.has_manage_permission(officer)


def test_anonymous_is_sent_to_login(cases: dict) -> None:
    from django.test import Client

    response = Client().get(reverse("tasks:queue"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
