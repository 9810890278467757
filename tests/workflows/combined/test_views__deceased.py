"""公民身后一件事 records the deceased person its sub-items need, and refuses without them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import open_task
from tests.workflows.combined.bundles import DECEASED, intake_post, load_reference, people
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case
from workflows.combined.models import Bundle, Deceased

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    load_reference()
    return {"users": people(), "bundle": Bundle.objects.get(item__code="BUNDLE-SH")}


def test_the_intake_records_the_deceased_and_the_sub_case_task_shows_them(world: dict) -> None:
    clerk = client_for(world["users"]["clerk"])

    response = clerk.post(
        reverse("combined:intake", args=["BUNDLE-SH"]), intake_post(world["bundle"])
    )

    assert response.status_code == 302
    parent = Case.objects.get(item=world["bundle"].item)
    person = Deceased.objects.get(case=parent)
    assert (person.name, person.id_number, person.date_of_death) == (
        DECEASED.name,
        DECEASED.id_number,
        DECEASED.date_of_death,
    )
    assert DECEASED.name in clerk.get(response["Location"]).content.decode()
    child = parent.children.get(item__code="GA-HKZX")
    task = open_task(child)
    page = client_for(world["users"]["ga_officer"]).get(reverse("tasks:task", args=[task.pk]))
    html = page.content.decode()
    assert DECEASED.name in html
    assert DECEASED.id_number in html
    assert DECEASED.date_of_death.isoformat() in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deceased-name", ""),
        ("deceased-id_number", "441426195001011230"),
        ("deceased-date_of_death", "2999-01-01"),
    ],
)
def test_without_a_valid_deceased_person_nothing_is_received(
    world: dict, field: str, value: str
) -> None:
    data = {**intake_post(world["bundle"]), field: value}

    response = client_for(world["users"]["clerk"]).post(
        reverse("combined:intake", args=["BUNDLE-SH"]), data
    )

    assert response.status_code == 400
    assert "逝者" in response.content.decode()
    assert not Case.objects.exists()
