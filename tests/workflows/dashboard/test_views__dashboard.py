"""The dashboard pages: who may look, at what scope, and what the tables say."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.catalog.models import Center

NOW = at(2026, 3, 20, 12)


@pytest.fixture
def overdue_case(case_factory: CaseFactory, officer: User) -> object:
    return case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)


def get(user: User, url: str) -> object:
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:wall"])
def test_clerks_and_officers_are_refused_with_a_reason(
    clerk: User, officer: User, name: str
) -> None:
    for user in (clerk, officer):
        response = get(user, reverse(name))
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "督查" in response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_county_supervisor_sees_the_overdue_case_in_the_table(
    overdue_case: object, supervisor: User, county: Center
) -> None:
    response = get(supervisor, reverse("dashboard:index"))
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert county.name in page
    assert f"/supervision/overdue/?center={county.pk}&amp;center_only=1" in page
    assert 'id="dashboard-data"' in page


@pytest.mark.django_db
def test_a_town_supervisor_cannot_widen_the_scope_to_the_county(
    overdue_case: object, town_supervisor: User, county: Center, town: Center
) -> None:
    page = get(town_supervisor, f"{reverse('dashboard:index')}?center={county.pk}")
    text = page.content.decode()  # type: ignore[attr-defined]
    assert town.name in text
    assert f"?center={county.pk}&amp;center_only=1" not in text
    assert "平远县党群服务中心</th>" not in text


@pytest.mark.django_db
def test_a_county_supervisor_can_narrow_to_a_town(
    overdue_case: object, supervisor: User, town: Center
) -> None:
    page = get(supervisor, f"{reverse('dashboard:index')}?center={town.pk}")
    text = page.content.decode()  # type: ignore[attr-defined]
    assert f"督查范围：{town.name}" in text
    assert "没有超期或即将到期的办件。" in text


@pytest.mark.django_db
def test_the_wall_reloads_itself_and_shows_no_personal_data(
    overdue_case: object, supervisor: User
) -> None:
    text = get(supervisor, reverse("dashboard:wall")).content.decode()  # type: ignore[attr-defined]
    assert '<meta http-equiv="refresh" content="60">' in text
    for private in ("张三", "441426", "13912345678"):
        assert private not in text
    assert overdue_case.number not in text  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_cached_dashboard_costs_a_bounded_number_of_queries(
    overdue_case: object, supervisor: User, django_assert_max_num_queries: object
) -> None:
    client = Client()
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("dashboard:index"))
        with django_assert_max_num_queries(20):  # type: ignore[operator]
            response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
