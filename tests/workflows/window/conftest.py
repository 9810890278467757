"""Fixtures of the window's HTTP tests: logged-in clients, items, intake POST data."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import APPLICANT_ID
from tests.factories import ImmediateServiceItemFactory, ServiceItemFactory
from workflows.cases.models import Case
from workflows.catalog.models import Department, ServiceItem
from workflows.tasks import routing

MASKED_APPLICANT_ID = "441426********1238"


@dataclass
class RoutingSpy:
    """Records start_department_flow calls (and passes them on when routing exists)."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def numbers(self) -> list[str]:
        return [Case.objects.get(pk=call["case"].pk).number for call in self.calls]


@pytest.fixture(autouse=True)
def routing_spy(monkeypatch: pytest.MonkeyPatch) -> RoutingSpy:
    """Count the department-flow starts the window asks for (the real one still runs)."""
    spy = RoutingSpy()
    real = routing.start_department_flow

    def start_department_flow(*, case: Case, actor: User) -> Any:
        spy.calls.append({"case": case, "actor": actor})
        return real(case=case, actor=actor)

    monkeypatch.setattr(routing, "start_department_flow", start_department_flow)
    return spy


def login(user: User) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk_client(clerk: User) -> Client:
    return login(clerk)


@pytest.fixture
def immediate_item(department: Department) -> ServiceItem:
    return ImmediateServiceItemFactory(code="GA-JB", name="出生登记", department=department)


@pytest.fixture
def flow_item(department: Department) -> ServiceItem:
    return ServiceItemFactory(
        code="GA-FLOW", name="居住证申领", department=department, flow="public_security.review"
    )


def intake_data(
    item: ServiceItem,
    *,
    outcome: str = "accept",
    key: str | None = None,
    states: dict[int, str] | None = None,
    problems: dict[int, str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A complete intake POST: a person applying, every material received unless told."""
    data: dict[str, Any] = {
        "c-key": key or uuid.uuid4().hex,
        "c-applicant_kind": "person",
        "c-outcome": outcome,
        "p-name": "张三",
        "p-id_type": "resident_id",
        "p-id_number": APPLICANT_ID,
        "p-birth_date": "",
        "p-sex": "",
        "p-phone": "13912345678",
        "p-address": "平远县大柘镇黄沙村 1 号",
    }
    for material in item.materials.all():
        prefix = f"m{material.position}"
        data[f"{prefix}-state"] = (states or {}).get(material.position, "received")
        data[f"{prefix}-form"] = material.form
        data[f"{prefix}-copies"] = str(material.copies)
        data[f"{prefix}-pages"] = "2"
        data[f"{prefix}-problem"] = (problems or {}).get(material.position, "")
    data.update(overrides)
    return data


def page_key(html: str, name: str = "key") -> str:
    """The idempotency key a rendered form carries."""
    match = re.search(rf'name="(?:[a-z]-)?{name}" value="([0-9a-f]{{32}})"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)


__all__ = ["MASKED_APPLICANT_ID", "RoutingSpy", "intake_data", "login", "page_key"]
