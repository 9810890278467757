"""Staff screens mask ID numbers and phones; revealing one is explicit, purposeful and logged."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import APPLICANT_ID, CaseFactory
from tests.workflows.window.conftest import login
from workflows.cases.models import CaseEvent

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
PHONE = "13912345678"


def test_the_case_page_masks_id_and_phone_by_default(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=MONDAY)
    html = login(clerk).get(reverse("window:case_detail", args=[case.number])).content.decode()
    assert APPLICANT_ID not in html
    assert PHONE not in html
    assert "441426********1238" in html
    assert "139****5678" in html
    assert reverse("window:reveal", args=[case.number]) in html


def test_revealing_needs_a_purpose_and_is_logged_for_supervisors(
    case_factory: CaseFactory, clerk: User, supervisor: User
) -> None:
    case = case_factory(at=MONDAY)
    url = reverse("window:reveal", args=[case.number])
    client = login(clerk)

    refused = client.post(url, {"field": "applicant_id_number", "purpose": "  "})
    assert refused.status_code == 400
    assert APPLICANT_ID not in refused.content.decode()
    assert not CaseEvent.objects.filter(action="reveal_personal_data").exists()

    shown = client.post(url, {"field": "applicant_id_number", "purpose": "核对申请人身份"})
    assert shown.status_code == 200
    assert APPLICANT_ID in shown.content.decode()
    assert "no-store" in shown["Cache-Control"].split(", ")
    event = CaseEvent.objects.get(case=case, action="reveal_personal_data")
    assert event.actor == clerk
    assert event.payload == {"field": "applicant_id_number", "purpose": "核对申请人身份"}

    trail = (
        login(supervisor).get(reverse("window:case_detail", args=[case.number])).content.decode()
    )
    assert "查看完整个人信息" in trail
    assert "申请人证件号码；用途：核对申请人身份" in trail


def test_only_someone_who_may_see_the_case_may_reveal(
    case_factory: CaseFactory, town_clerk: User
) -> None:
    case = case_factory(at=MONDAY)
    response = login(town_clerk).post(
        reverse("window:reveal", args=[case.number]),
        {"field": "applicant_phone", "purpose": "联系申请人"},
    )
    assert response.status_code in (403, 404)
    assert PHONE not in response.content.decode()
    assert not CaseEvent.objects.filter(action="reveal_personal_data").exists()
