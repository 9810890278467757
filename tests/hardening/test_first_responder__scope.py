"""改派首问责任人 by a town supervisor: only to staff of his own subtree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import CaseFactory
from tests.factories import CenterFactory, staff
from tests.workflows.firstquestion.conftest import login
from workflows.cases import errors as case_errors
from workflows.cases.errors import ActionForbidden
from workflows.cases.services import case_reassign_first_responder
from workflows.catalog import roles
from workflows.catalog.models import Center

pytestmark = pytest.mark.django_db


def url(number: str) -> str:
    return reverse("firstquestion:reassign", kwargs={"number": number})


@pytest.fixture
def village(town: Center) -> Center:
    return CenterFactory(
        code="PY-DZ-HS", name="黄沙村党群服务站", level=Center.Level.VILLAGE, parent=town
    )


@pytest.fixture
def town_supervisor(town: Center) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=4)


def test_town_supervisor_cannot_name_a_clerk_of_another_town(
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    town_supervisor: User,
    other_town: Center,
) -> None:
    stranger = staff("clerk_rj", roles.CLERK, center=other_town)
    case = case_factory(status="accepted", center=town, actor=town_clerk)
    client = login(town_supervisor)

    page = client.get(url(case.number)).content.decode()
    assert f'value="{stranger.pk}"' not in page
    response = client.post(url(case.number), {"new_first_responder": stranger.pk, "reason": "调派"})

    assert response.status_code == 200  # the form refuses the choice; nothing saved
    case.refresh_from_db()
    assert case.first_responder == town_clerk
    assert not case.events.filter(action="reassign_first_responder").exists()


def test_town_supervisor_cannot_name_a_county_officer_or_clerk(
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    town_supervisor: User,
    clerk: User,
    officer: User,
) -> None:
    case = case_factory(status="accepted", center=town, actor=town_clerk)
    client = login(town_supervisor)

    for outsider in (clerk, officer):
        response = client.post(
            url(case.number), {"new_first_responder": outsider.pk, "reason": "调派"}
        )
        assert response.status_code == 200
    case.refresh_from_db()
    assert case.first_responder == town_clerk


def test_town_supervisor_names_staff_of_his_town_and_its_villages(
    case_factory: CaseFactory,
    town: Center,
    village: Center,
    town_clerk: User,
    town_supervisor: User,
) -> None:
    colleague = staff("clerk_dz2", roles.CLERK, center=town)
    village_clerk = staff("clerk_hs", roles.CLERK, center=village)
    case = case_factory(status="accepted", center=town, actor=town_clerk)
    client = login(town_supervisor)

    page = client.get(url(case.number)).content.decode()
    assert f'value="{colleague.pk}"' in page
    assert f'value="{village_clerk.pk}"' in page
    response = client.post(
        url(case.number), {"new_first_responder": village_clerk.pk, "reason": "由驻村代办员接续"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_responder == village_clerk


def test_county_supervisor_may_still_name_county_officers(
    case_factory: CaseFactory, clerk: User, supervisor: User, officer: User
) -> None:
    case = case_factory(status="accepted")

    response = login(supervisor).post(
        url(case.number), {"new_first_responder": officer.pk, "reason": "转由业务科室跟踪"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.first_responder == officer


def test_the_service_refuses_staff_outside_the_subtree(
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    town_supervisor: User,
    other_town: Center,
) -> None:
    stranger = staff("clerk_rj", roles.CLERK, center=other_town)
    case = case_factory(status="accepted", center=town, actor=town_clerk)

    with pytest.raises(ActionForbidden) as refused:
        case_reassign_first_responder(
            case=case, actor=town_supervisor, new_first_responder=stranger, reason="调派"
        )

    assert refused.value.message == str(
        case_errors.FIRST_RESPONDER_OUT_OF_SCOPE % {"center": town.name}
    )
    case.refresh_from_db()
    assert case.first_responder == town_clerk
