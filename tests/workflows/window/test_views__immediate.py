"""即办件 at the window: decided and delivered on the spot; 出件 rules."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import CaseFactory, complete_materials
from tests.workflows.window.conftest import intake_data, login, page_key
from workflows.cases import errors, services
from workflows.cases.models import Case, Status
from workflows.catalog.models import Center, ServiceItem
from workflows.window import forms as window_forms

pytestmark = pytest.mark.django_db


def accept_at_window(client: Client, item: ServiceItem) -> Case:
    response = client.post(reverse("window:intake", kwargs={"code": item.code}), intake_data(item))
    assert response.status_code == 302
    return Case.objects.get()


def decide_url(case: Case) -> str:
    return reverse("window:decide", kwargs={"number": case.number})


def deliver_url(case: Case) -> str:
    return reverse("window:deliver", kwargs={"number": case.number})


def test_decided_and_delivered_on_the_spot_with_one_button(
    clerk_client: Client, clerk: User, immediate_item: ServiceItem
) -> None:
    case = accept_at_window(clerk_client, immediate_item)
    outcome_page = clerk_client.get(
        reverse("window:outcome", kwargs={"number": case.number})
    ).content.decode()
    assert "当场办结并出件" in outcome_page

    response = clerk_client.post(
        decide_url(case),
        {
            "key": page_key(outcome_page),
            "action": "decide_deliver",
            "decision": "approved",
            "reason": "",
            "delivery_method": "window",
            "delivery_note": "申请人本人当场领取",
        },
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith("?doc=completion")
    assert case.status == Status.CLOSED
    assert case.decision == "approved"
    assert case.decided_by == clerk
    assert case.delivered_by == clerk
    assert case.delivery_method == "window"
    assert list(case.events.values_list("action", flat=True)) == [
        "receive",
        "accept",
        "decide",
        "close",
    ]
    page = clerk_client.get(response["Location"]).content.decode()
    assert "办结通知书" in page
    assert "申请人本人当场领取" in page


def test_decided_then_delivered_in_two_clicks(
    clerk_client: Client, immediate_item: ServiceItem
) -> None:
    case = accept_at_window(clerk_client, immediate_item)

    decided = clerk_client.post(
        decide_url(case),
        {
            "key": uuid.uuid4().hex,
            "action": "decide",
            "decision": "denied",
            "reason": "申请人不符合出生登记条件。",
        },
    )
    case.refresh_from_db()
    assert decided["Location"] == deliver_url(case)
    assert case.status == Status.DECIDED
    deliver_page = clerk_client.get(deliver_url(case)).content.decode()
    assert "确认已送达申请人" in deliver_page

    delivered = clerk_client.post(
        deliver_url(case),
        {"key": page_key(deliver_page), "delivery_method": "electronic", "delivery_note": ""},
    )

    case.refresh_from_db()
    assert delivered.status_code == 302
    assert case.status == Status.CLOSED
    assert case.delivery_method == "electronic"
    page = clerk_client.get(delivered["Location"]).content.decode()
    assert "申请人不符合出生登记条件" in page
    assert "行政复议" in page  # a denial states the remedies


def test_double_clicked_decide_and_deliver_runs_each_service_once(
    clerk_client: Client, immediate_item: ServiceItem
) -> None:
    case = accept_at_window(clerk_client, immediate_item)
    data = {
        "key": uuid.uuid4().hex,
        "action": "decide_deliver",
        "decision": "approved",
        "delivery_method": "window",
    }

    clerk_client.post(decide_url(case), data)
    again = clerk_client.post(decide_url(case), data, follow=True)

    assert again.redirect_chain[-1][0].endswith("?doc=completion")
    assert "重复提交" in again.content.decode()
    assert case.events.filter(action="decide").count() == 1
    assert case.events.filter(action="close").count() == 1


def test_denial_without_reason_is_an_inline_error(
    clerk_client: Client, immediate_item: ServiceItem
) -> None:
    case = accept_at_window(clerk_client, immediate_item)

    response = clerk_client.post(
        decide_url(case),
        {
            "key": uuid.uuid4().hex,
            "action": "decide_deliver",
            "decision": "denied",
            "reason": " ",
            "delivery_method": "window",
        },
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert str(window_forms.DENIAL_NEEDS_REASON) in response.content.decode()
    assert case.status == Status.ACCEPTED


def test_a_promised_item_cannot_be_decided_at_the_window(
    clerk_client: Client, item: ServiceItem
) -> None:
    case = accept_at_window(clerk_client, item)

    response = clerk_client.get(decide_url(case))

    assert response.status_code == 403
    assert str(errors.IMMEDIATE_ONLY_AT_WINDOW) in response.content.decode()
    assert (
        "当场办结并出件"
        not in clerk_client.get(
            reverse("window:outcome", kwargs={"number": case.number})
        ).content.decode()
    )


def test_late_delivery_asks_for_the_overdue_reason(
    clerk: User, county: Center, immediate_item: ServiceItem
) -> None:
    with time_machine.travel("2025-03-03 09:00 +0800", tick=False):
        case = services.case_receive(
            center=county,
            item=immediate_item,
            actor=clerk,
            applicant=services.Party(
                name="张三", id_number="441426199001011238", phone="13912345678"
            ),
            materials=complete_materials(immediate_item),
        )
        case = services.case_accept(case=case, actor=clerk)
        case = services.case_decide(case=case, actor=clerk, decision="approved")
    with time_machine.travel("2025-03-05 09:00 +0800", tick=False):
        client = login(clerk)
        missing = client.post(
            deliver_url(case), {"key": uuid.uuid4().hex, "delivery_method": "window"}
        )
        given = client.post(
            deliver_url(case),
            {
                "key": uuid.uuid4().hex,
                "delivery_method": "window",
                "overdue_reason": "applicant_delay",
                "overdue_reason_text": "",
            },
        )

    assert missing.status_code == 200
    assert str(window_forms.OVERDUE_REASON_NEEDED) in missing.content.decode()
    case.refresh_from_db()
    assert given.status_code == 302
    assert case.status == Status.CLOSED
    assert case.overdue_reason == "applicant_delay"


def test_flow_driven_case_is_delivered_through_its_task_not_here(
    clerk_client: Client, case_factory: CaseFactory, flow_item: ServiceItem, officer: User
) -> None:
    case = case_factory(status="in_progress", service_item=flow_item, officer=officer)
    services.case_decide(case=case, actor=officer, decision="approved")

    page = clerk_client.get(deliver_url(case))
    post = clerk_client.post(
        deliver_url(case), {"key": uuid.uuid4().hex, "delivery_method": "window"}
    )

    assert page.status_code == 200
    assert "送达任务" in page.content.decode()
    assert reverse("tasks:delivery") in page.content.decode()
    assert post.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.DECIDED


def test_deliver_before_a_decision_sends_back_to_the_case_page(
    clerk_client: Client, case_factory: CaseFactory, immediate_item: ServiceItem
) -> None:
    case = case_factory(status="accepted", service_item=immediate_item)

    response = clerk_client.get(deliver_url(case), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "window:case_detail", kwargs={"number": case.number}
    )
    assert "尚无可送达的结果" in response.content.decode()
