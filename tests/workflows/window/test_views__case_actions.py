"""The window actions a case page offers follow the case's status, as the actions themselves do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import CaseFactory
from workflows.cases import services
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db

ACTIONS = ("review", "supplement", "decide", "deliver", "withdraw")


def offered(client: Client, case: Case) -> set[str]:
    html = client.get(reverse("window:case_detail", kwargs={"number": case.number})).content
    return {
        name
        for name in ACTIONS
        if f'href="{reverse(f"window:{name}", kwargs={"number": case.number})}"' in html.decode()
    }


def opens(client: Client, case: Case, name: str) -> bool:
    """The action's page opens (200) instead of sending the clerk back to the case page."""
    url = reverse(f"window:{name}", kwargs={"number": case.number})
    return client.get(url).status_code == 200


def test_a_received_case_offers_review_and_withdrawal_and_nothing_else(
    clerk_client: Client, case_factory: CaseFactory
) -> None:
    case = case_factory(status="received")

    assert offered(clerk_client, case) == {"review", "withdraw"}
    assert {name for name in ACTIONS if opens(clerk_client, case, name)} == {"review", "withdraw"}


def test_a_suspended_case_may_still_be_withdrawn_but_not_reviewed(
    clerk_client: Client, officer: User, case_factory: CaseFactory
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=3, reason="送检"
    )

    assert offered(clerk_client, case) == {"withdraw"}
    assert {name for name in ACTIONS if opens(clerk_client, case, name)} == {"withdraw"}


def test_a_withdrawn_case_offers_nothing_and_every_action_sends_back(
    clerk_client: Client, clerk: User, case_factory: CaseFactory
) -> None:
    case = services.case_withdraw(case=case_factory(status="accepted"), actor=clerk, reason="撤回")

    assert offered(clerk_client, case) == set()
    for name in ("review", "supplement", "deliver", "withdraw"):
        response = clerk_client.get(reverse(f"window:{name}", kwargs={"number": case.number}))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("window:case_detail", kwargs={"number": case.number})
