"""改派首问责任人: a supervisor's action with a reason; both names stay in the trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import CaseFactory
from tests.factories import staff
from tests.workflows.firstquestion.conftest import login
from workflows.cases import errors as case_errors
from workflows.catalog import roles
from workflows.catalog.models import Center
from workflows.catalog.roles import display_name

pytestmark = pytest.mark.django_db


def url(number: str) -> str:
    return reverse("firstquestion:reassign", kwargs={"number": number})


@pytest.fixture
def successor(county: Center) -> User:
    user = staff("successor", roles.CLERK, center=county)
    user.first_name, user.last_name = "志强", "刘"
    user.save()
    return user


def test_supervisor_reassigns_with_reason_and_both_names_are_in_the_trail(
    case_factory: CaseFactory, named_clerk: User, supervisor: User, successor: User
) -> None:
    case = case_factory(status="accepted")
    client = login(supervisor)
    detail = client.get(reverse("window:case_detail", kwargs={"number": case.number}))
    assert url(case.number) in detail.content.decode()  # the link on the case page
    form = client.get(url(case.number))
    assert form.status_code == 200

    response = client.post(
        url(case.number), {"new_first_responder": successor.pk, "reason": "王小明已调离窗口岗位"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_responder == successor
    event = case.events.get(action="reassign_first_responder")
    assert event.actor == supervisor
    assert event.payload["from_name"] == display_name(named_clerk) == "王小明"
    assert event.payload["to_name"] == "刘志强"
    assert event.payload["reason"] == "王小明已调离窗口岗位"
    trail = client.get(response["Location"]).content.decode()
    assert "王小明 → 刘志强；王小明已调离窗口岗位" in trail
    history = client.get(url(case.number)).content.decode()
    assert "王小明" in history
    assert "刘志强" in history


def test_reason_is_required(
    case_factory: CaseFactory, clerk: User, supervisor: User, successor: User
) -> None:
    case = case_factory(status="accepted")

    response = login(supervisor).post(
        url(case.number), {"new_first_responder": successor.pk, "reason": ""}
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.first_responder == clerk
    assert not case.events.filter(action="reassign_first_responder").exists()


def test_an_officer_cannot_reassign(
    case_factory: CaseFactory, clerk: User, officer: User, successor: User
) -> None:
    case = case_factory(status="accepted")
    client = login(officer)  # the officer's department sees the case

    page = client.get(reverse("window:case_detail", kwargs={"number": case.number}))
    assert page.status_code == 200
    assert url(case.number) not in page.content.decode()
    assert client.get(url(case.number)).status_code == 403
    response = client.post(
        url(case.number), {"new_first_responder": successor.pk, "reason": "想接手"}
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.first_responder == clerk


def test_a_supervisor_of_another_town_cannot_reassign(
    case_factory: CaseFactory, town: Center, town_clerk: User, other_town_supervisor: User
) -> None:
    case = case_factory(status="accepted", center=town, actor=town_clerk)

    assert login(other_town_supervisor).get(url(case.number)).status_code == 404


def test_the_service_refuses_an_officer_too(
    case_factory: CaseFactory, officer: User, successor: User
) -> None:
    from workflows.cases.errors import ActionForbidden
    from workflows.cases.services import case_reassign_first_responder

    case = case_factory(status="accepted")
    with pytest.raises(ActionForbidden) as refused:
        case_reassign_first_responder(
            case=case, actor=officer, new_first_responder=successor, reason="x"
        )
    assert refused.value.message == str(case_errors.SUPERVISOR_REQUIRED)
