"""The case page: who may see it, what it shows (masked ID, clock, people, the trail)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import APPLICANT_ID, CaseFactory
from tests.factories import staff
from tests.workflows.window.conftest import MASKED_APPLICANT_ID, intake_data, login
from workflows.cases import services
from workflows.cases.models import Case, Status
from workflows.catalog import roles
from workflows.catalog.models import Center, ServiceItem
from workflows.catalog.roles import display_name
from workflows.window.display import mask_id_number

pytestmark = pytest.mark.django_db


def detail_url(case: Case) -> str:
    return reverse("window:case_detail", kwargs={"number": case.number})


def test_shows_status_parties_clock_people_and_the_trail_with_the_id_masked(
    clerk_client: Client, clerk: User, officer: User, case_factory: CaseFactory
) -> None:
    case = case_factory(status="in_progress", officer=officer)
    services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=3, reason="送检"
    )

    response = clerk_client.get(detail_url(case))

    html = response.content.decode()
    assert response.status_code == 200
    assert "特别程序中" in html  # status in words
    assert MASKED_APPLICANT_ID in html
    assert APPLICANT_ID not in html
    case.refresh_from_db()
    assert case.promised_due_at is not None
    assert case.promised_due_at.astimezone().strftime("%Y-%m-%d") in html
    assert "首问责任人" in html
    assert display_name(clerk) in html
    assert display_name(officer) in html  # the handler
    assert "13800138000" in html  # staff phones
    assert "light light-green" in html
    trail = html.split("办件记录", 1)[1]
    for label in ("收件", "受理", "开始办理", "进入特别程序"):
        assert label in trail
    assert "已收件 → 已受理" in trail
    assert "已受理 → 办理中" in trail
    assert "检测，预计 3 个工作日；送检" in trail
    assert "承诺期限" in trail  # the clock at each step
    assert "暂停计时" in trail


def test_a_clerk_of_another_center_gets_404_and_cannot_act(
    case_factory: CaseFactory, town: Center
) -> None:
    case = case_factory(status="received", materials=[])
    other = login(staff("clerk_rj", roles.CLERK, center=town))

    for name in ("case_detail", "outcome", "supplement", "review", "withdraw"):
        response = other.get(reverse(f"window:{name}", kwargs={"number": case.number}))
        assert response.status_code == 404, name
        assert "没有找到该办件" in response.content.decode()
    post = other.post(
        reverse("window:review", kwargs={"number": case.number}),
        {"key": uuid.uuid4().hex, "outcome": "reject", "rejection_reason": "越权"},
    )
    assert post.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_unknown_number_is_the_same_404(clerk_client: Client) -> None:
    response = clerk_client.get(reverse("window:case_detail", kwargs={"number": "PY-2099-1"}))

    assert response.status_code == 404
    assert "没有找到该办件" in response.content.decode()


def test_the_department_officer_sees_the_page_but_gets_403_on_window_actions(
    officer: User, case_factory: CaseFactory
) -> None:
    case = case_factory(status="accepted")
    client = login(officer)

    assert client.get(detail_url(case)).status_code == 200
    response = client.get(reverse("window:withdraw", kwargs={"number": case.number}))
    assert response.status_code == 403


def test_a_first_responder_who_moved_center_sees_the_case_but_may_not_act(
    clerk: User, clerk_client: Client, item: ServiceItem, town: Center
) -> None:
    clerk_client.post(
        reverse("window:intake", kwargs={"code": item.code}),
        intake_data(item, outcome="correct", states={1: "missing"}),
    )
    case = Case.objects.get()
    clerk.staff.center = town
    clerk.staff.save()

    client = login(clerk)
    assert client.get(detail_url(case)).status_code == 200
    response = client.get(reverse("window:supplement", kwargs={"number": case.number}))
    assert response.status_code == 403
    assert "平远县党群服务中心" in response.content.decode()


def test_a_county_supervisor_sees_a_town_case(
    supervisor: User, town: Center, town_clerk: User, case_factory: CaseFactory
) -> None:
    case = case_factory(center=town, actor=town_clerk)

    assert login(supervisor).get(detail_url(case)).status_code == 200


def test_shows_the_agent_and_the_correction_notice(clerk_client: Client, item: ServiceItem) -> None:
    clerk_client.post(
        reverse("window:intake", kwargs={"code": item.code}),
        intake_data(
            item,
            outcome="correct",
            states={2: "defective"},
            problems={2: "未签名"},
            **{
                "c-has_agent": "on",
                "a-name": "钟秀梅",
                "a-id_type": "passport",
                "a-id_number": "E12345678",
                "a-phone": "13912345678",
                "a-authorisation": "代为申请",
            },
        ),
    )
    case = Case.objects.get()

    html = clerk_client.get(detail_url(case)).content.decode()

    assert "钟秀梅" in html
    assert "E1*****78" in html
    assert "E12345678" not in html
    assert "一次性告知的补正内容" in html
    assert "未签名" in html
    assert "逾期视为受理" not in html.split("办件记录")[0]  # the notice stopped that clock
    assert reverse("window:supplement", kwargs={"number": case.number}) in html


@pytest.mark.parametrize(
    ("value", "id_type", "shown"),
    [
        ("441426199001011238", "resident_id", "441426********1238"),
        ("E12345678", "passport", "E1*****78"),
        ("abc", "other", "***"),
        ("91441426MA4W123456", "uscc", "91441426MA4W123456"),
    ],
)
def test_mask_id_number(value: str, id_type: str, shown: str) -> None:
    assert mask_id_number(value, id_type) == shown
