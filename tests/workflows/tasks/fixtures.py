"""Fixtures for the flow, workbench and 一件事 tests (imported by each of their conftests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import DepartmentFactory, staff
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.tasks.permissions import grant_role_permissions


@pytest.fixture(autouse=True)
def workbench_permissions(db: None) -> None:
    """The role groups hold the permissions of fixtures/roles.yaml for the workbench."""
    grant_role_permissions()


@pytest.fixture
def rs_department() -> Department:
    return DepartmentFactory(code="RS", name="人社", full_name="平远县人力资源和社会保障局")


@pytest.fixture
def yb_department() -> Department:
    return DepartmentFactory(code="YB", name="医保", full_name="平远县医疗保障局")


@pytest.fixture
def wj_department() -> Department:
    return DepartmentFactory(code="WJ", name="卫健", full_name="平远县卫生健康局")


@pytest.fixture
def mz_head(other_department: Department) -> User:
    return staff("mz_head", roles.HEAD, department=other_department, rank=3)


@pytest.fixture
def rs_officer(rs_department: Department) -> User:
    return staff("rs_officer", roles.OFFICER, department=rs_department)


@pytest.fixture
def rs_head(rs_department: Department) -> User:
    return staff("rs_head", roles.HEAD, department=rs_department, rank=3)


@pytest.fixture
def yb_officer(yb_department: Department) -> User:
    return staff("yb_officer", roles.OFFICER, department=yb_department)


@pytest.fixture
def yb_head(yb_department: Department) -> User:
    return staff("yb_head", roles.HEAD, department=yb_department, rank=3)


@pytest.fixture
def wj_officer(wj_department: Department) -> User:
    return staff("wj_officer", roles.OFFICER, department=wj_department)


@pytest.fixture
def town_supervisor(town: Center) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=4)


def client_for(user: User) -> Client:
    """A test client logged in as ``user``, speaking zh-Hans."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def http_step(case: Any, node: str, user: User, **fields: Any) -> Any:
    """Over HTTP as ``user``: open the task page, claim (if needed) and submit the step form."""
    from tests.factories import open_task, step_data
    from workflows.tasks.selectors import step_of

    task = open_task(case, node)
    client = client_for(user)
    page = client.get(reverse("tasks:task", args=[task.pk]))
    assert page.status_code == 200, page.status_code
    if task.owner_id is None and not step_of(task).claim_on_complete:
        claimed = client.post(reverse("tasks:claim", args=[task.pk]))
        assert claimed.status_code == 302, claimed.status_code
        task.refresh_from_db()
        assert task.owner == user
    response = client.post(reverse("tasks:task", args=[task.pk]), step_data(**fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.status == "DONE"
    return task


def assert_out_of_scope(case: Any, node: str, *users: User) -> None:
    """Each of ``users`` gets 403 on the task page and on claiming it, and does not list it."""
    from tests.factories import open_task

    task = open_task(case, node)
    owner = task.owner_id
    for user in users:
        client = client_for(user)
        assert client.get(reverse("tasks:task", args=[task.pk])).status_code == 403
        assert client.post(reverse("tasks:claim", args=[task.pk])).status_code == 403
        for name in ("tasks:queue", "tasks:delivery", "tasks:open"):
            assert case.number not in client.get(reverse(name)).content.decode()
    task.refresh_from_db()
    assert task.owner_id == owner
