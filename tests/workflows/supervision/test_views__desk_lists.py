"""The overdue and due-soon lists: working days late or left, holder, sorting and paging."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.factories import ServiceItemFactory
from tests.workflows.supervision.conftest import at
from workflows.cases.models import Case
from workflows.catalog.models import Center, Department
from workflows.supervision.selectors import desk

NOW = at(2026, 3, 12, 10)  # Thu


@pytest.fixture
def lists(
    case_factory: CaseFactory,
    officer: User,
    other_officer: User,
    other_department: Department,
) -> dict[str, Case]:
    mz_item = ServiceItemFactory(code="MZ-TEST", name="低保申请", department=other_department)
    return {
        # Due Mon 03-09: 3 working days late on Thu 03-12 (03-10, 03-11, 03-12).
        "late3": case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer),
        # Due Tue 03-10: 2 late.
        "late2": case_factory(
            at=at(2026, 3, 3, 10),
            status="in_progress",
            officer=other_officer,
            service_item=mz_item,
        ),
        # Due Fri 03-13: yellow, 1 working day left.
        "soon": case_factory(at=at(2026, 3, 6, 10), status="accepted"),
        # Due Fri 03-20: green, in neither list.
        "green": case_factory(at=at(2026, 3, 11, 10), status="accepted"),
    }


def get(user: User, url: str) -> Any:
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


@pytest.mark.django_db
def test_overdue_shows_working_days_late_holder_and_first_responder(
    lists: dict[str, Case], supervisor: User, officer: User
) -> None:
    response = get(supervisor, "/supervision/overdue/")
    rows = [row for row, _values in response.context["rows"]]
    assert [r.number for r in rows] == [lists["late3"].number, lists["late2"].number]
    assert [r.working_days for r in rows] == [3, 2]
    assert rows[0].holder == f"{officer.last_name}{officer.first_name}"  # case.handler
    assert rows[0].first_responder  # the clerk who received it
    assert rows[0].light.name == "RED"


@pytest.mark.django_db
def test_due_soon_shows_working_days_left(lists: dict[str, Case], supervisor: User) -> None:
    response = get(supervisor, "/supervision/due-soon/")
    rows = [row for row, _values in response.context["rows"]]
    assert [r.number for r in rows] == [lists["soon"].number]
    assert rows[0].working_days == 1
    assert rows[0].light.name == "YELLOW"


@pytest.mark.django_db
def test_filters_narrow_the_list(
    lists: dict[str, Case], supervisor: User, other_department: Department, other_officer: User
) -> None:
    by_department = get(supervisor, f"/supervision/overdue/?department={other_department.pk}")
    assert [r.number for r, _v in by_department.context["rows"]] == [lists["late2"].number]
    by_officer = get(supervisor, f"/supervision/overdue/?officer={other_officer.pk}")
    assert [r.number for r, _v in by_officer.context["rows"]] == [lists["late2"].number]
    by_dates = get(supervisor, "/supervision/overdue/?due_from=2026-03-10&due_to=2026-03-10")
    assert [r.number for r, _v in by_dates.context["rows"]] == [lists["late2"].number]
    bad = get(supervisor, "/supervision/overdue/?due_from=2026-13-01")
    assert bad.status_code == 200
    assert "日期格式应为" in bad.content.decode()


@pytest.mark.django_db
def test_keyset_pages_walk_forward_and_back(
    lists: dict[str, Case], supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "PAGE_SIZE", 1)
    first = get(supervisor, "/supervision/overdue/")
    assert [r.number for r, _v in first.context["rows"]] == [lists["late3"].number]
    assert first.context["prev_query"] == ""
    second = get(supervisor, f"/supervision/overdue/?{first.context['next_query']}")
    assert [r.number for r, _v in second.context["rows"]] == [lists["late2"].number]
    assert second.context["next_query"] == ""
    back = get(supervisor, f"/supervision/overdue/?{second.context['prev_query']}")
    assert [r.number for r, _v in back.context["rows"]] == [lists["late3"].number]
    latest = get(supervisor, "/supervision/overdue/?sort=-due")
    assert [r.number for r, _v in latest.context["rows"]] == [lists["late2"].number]


@pytest.mark.django_db
def test_grouping_sorts_on_a_short_list_and_fall_back_on_a_long_one(
    lists: dict[str, Case], supervisor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_department = get(supervisor, "/supervision/overdue/?sort=department")
    rows = by_department.context["rows"]
    assert [r.department for r, _v in rows] == ["公安", "民政"]  # GA before MZ by code
    assert by_department.context["page"].page_number == 1
    monkeypatch.setattr(desk, "COUNT_CAP", 1)
    long = get(supervisor, "/supervision/overdue/?sort=department")
    assert long.context["page"].sort_fallback
    assert "请先按部门、中心、事项或日期筛选" in long.content.decode()
    assert [r.number for r, _v in long.context["rows"]] == [
        lists["late3"].number,
        lists["late2"].number,
    ]


@pytest.mark.django_db
def test_the_holder_is_whoever_claimed_the_open_task(
    county: Center, department: Department, clerk: User, officer: User, supervisor: User
) -> None:
    from tests.factories import accepted_case, flow_item, open_task
    from workflows.tasks.permissions import grant_role_permissions
    from workflows.tasks.services import task_claim

    grant_role_permissions()
    item = flow_item("GA-REVIEW", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county, now=at(2026, 3, 2, 10))
    assert get(supervisor, "/supervision/overdue/").context["rows"][0][0].holder == ""
    task_claim(task=open_task(case), user=officer)
    row = get(supervisor, "/supervision/overdue/").context["rows"][0][0]
    assert row.number == case.number
    assert row.holder == f"{officer.last_name}{officer.first_name}"
