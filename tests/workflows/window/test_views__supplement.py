"""补正 at the window: tick what was brought, then accept (or notice again, or not accept)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.workflows.window.conftest import RoutingSpy, intake_data, page_key
from workflows.cases import errors
from workflows.cases.models import Case, Status
from workflows.catalog.models import ServiceItem
from workflows.window import forms as window_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(clerk_client: Client, item: ServiceItem) -> Case:
    """A case whose notice asked for 居民身份证 (missing) and 申请表 (unsigned)."""
    clerk_client.post(
        reverse("window:intake", kwargs={"code": item.code}),
        intake_data(
            item,
            outcome="correct",
            states={1: "missing", 2: "defective"},
            problems={2: "申请人未签名"},
        ),
    )
    case = Case.objects.get()
    assert case.status == Status.AWAITING_CORRECTION
    return case


def supplement_url(case: Case) -> str:
    return reverse("window:supplement", kwargs={"number": case.number})


def brought(*positions: int, action: str, key: str | None = None) -> dict[str, str]:
    data = {"key": key or uuid.uuid4().hex, "action": action}
    for position in (1, 2):
        prefix = f"s{position}"
        if position in positions:
            data[f"{prefix}-brought"] = "on"
        data[f"{prefix}-form"] = "original"
        data[f"{prefix}-copies"] = "1"
        data[f"{prefix}-pages"] = "1"
    return data


def test_supplement_then_accept_in_one_step(
    clerk_client: Client, awaiting: Case, routing_spy: RoutingSpy
) -> None:
    page = clerk_client.get(supplement_url(awaiting)).content.decode()
    assert "居民身份证" in page
    assert "申请人未签名" in page

    response = clerk_client.post(
        supplement_url(awaiting), brought(1, 2, action="supplement_accept", key=page_key(page))
    )

    again = clerk_client.post(
        supplement_url(awaiting), brought(1, 2, action="supplement_accept", key=page_key(page))
    )

    awaiting.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"].endswith("?doc=acceptance")
    assert again["Location"] == response["Location"]  # a double click shows the same result
    assert awaiting.status == Status.ACCEPTED
    assert awaiting.supplemented_at is not None
    assert list(awaiting.events.values_list("action", flat=True)) == [
        "receive",
        "request_correction",
        "supplement",
        "accept",
    ]
    assert routing_spy.numbers() == [awaiting.number]


def test_supplement_then_accept_from_the_review_page(
    clerk_client: Client, awaiting: Case, routing_spy: RoutingSpy
) -> None:
    registered = clerk_client.post(supplement_url(awaiting), brought(1, 2, action="supplement"))
    review_url = reverse("window:review", kwargs={"number": awaiting.number})
    assert registered["Location"] == review_url
    review = clerk_client.get(review_url).content.decode()
    assert "材料已齐全，可以受理" in review

    accepted = clerk_client.post(review_url, {"key": page_key(review), "outcome": "accept"})

    awaiting.refresh_from_db()
    assert accepted["Location"].endswith("?doc=acceptance")
    assert awaiting.status == Status.ACCEPTED
    assert routing_spy.numbers() == [awaiting.number]


def test_accept_refused_while_incomplete_leaves_nothing_written(
    clerk_client: Client, awaiting: Case, routing_spy: RoutingSpy
) -> None:
    response = clerk_client.post(supplement_url(awaiting), brought(1, action="supplement_accept"))

    awaiting.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 400
    assert str(errors.MATERIALS_INCOMPLETE % {"missing": "申请表"}) in html
    assert re.search(r'name="s1-brought"[^>]*checked', html)  # the ticks are kept
    assert not re.search(r'name="s2-brought"[^>]*checked', html)
    assert awaiting.status == Status.AWAITING_CORRECTION
    assert not awaiting.events.filter(action="supplement").exists()
    assert routing_spy.calls == []


def test_partial_supplement_then_the_second_notice_names_only_what_is_still_due(
    clerk_client: Client, awaiting: Case
) -> None:
    clerk_client.post(supplement_url(awaiting), brought(1, action="supplement"))
    review_url = reverse("window:review", kwargs={"number": awaiting.number})
    review = clerk_client.get(review_url).content.decode()
    assert "仍需补正的材料" in review

    clerk_client.post(review_url, {"key": page_key(review), "outcome": "correct"})

    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_CORRECTION
    last = awaiting.events.filter(action="request_correction").last()
    assert last is not None
    assert [entry["name"] for entry in last.payload["items"]] == ["申请表"]


def test_nothing_ticked_is_an_inline_error(clerk_client: Client, awaiting: Case) -> None:
    response = clerk_client.post(supplement_url(awaiting), brought(action="supplement"))

    awaiting.refresh_from_db()
    assert response.status_code == 200
    assert str(window_forms.NOTHING_BROUGHT) in response.content.decode()
    assert awaiting.status == Status.AWAITING_CORRECTION


def test_review_rejects_with_reason(clerk_client: Client, awaiting: Case) -> None:
    clerk_client.post(supplement_url(awaiting), brought(1, action="supplement"))
    review_url = reverse("window:review", kwargs={"number": awaiting.number})

    response = clerk_client.post(
        review_url,
        {
            "key": uuid.uuid4().hex,
            "outcome": "reject",
            "rejection_reason": "申请人不符合迁移条件。",
        },
    )

    awaiting.refresh_from_db()
    assert response["Location"].endswith("?doc=rejection")
    assert awaiting.status == Status.REJECTED
    assert awaiting.competent_organ == ""


def test_supplement_page_of_an_accepted_case_sends_back_to_the_case_page(
    clerk_client: Client, item: ServiceItem
) -> None:
    clerk_client.post(reverse("window:intake", kwargs={"code": item.code}), intake_data(item))
    case = Case.objects.get()

    response = clerk_client.get(supplement_url(case), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "window:case_detail", kwargs={"number": case.number}
    )
    assert "不在待补正状态" in response.content.decode()


def test_withdraw_while_awaiting_correction(clerk_client: Client, awaiting: Case) -> None:
    url = reverse("window:withdraw", kwargs={"number": awaiting.number})
    empty = clerk_client.post(url, {"key": uuid.uuid4().hex, "reason": ""})
    assert empty.status_code == 200
    assert "这个字段是必填项" in empty.content.decode()

    response = clerk_client.post(
        url, {"key": uuid.uuid4().hex, "reason": "申请人书面申请撤回。"}, follow=True
    )

    awaiting.refresh_from_db()
    assert awaiting.status == Status.WITHDRAWN
    assert awaiting.withdrawal_reason == "申请人书面申请撤回。"
    assert "已登记撤回" in response.content.decode()


def test_accepting_a_flow_item_starts_its_flow_and_withdrawing_cancels_it(
    clerk_client: Client, flow_item: ServiceItem, routing_spy: RoutingSpy
) -> None:
    from workflows.tasks.models import CaseProcess

    clerk_client.post(
        reverse("window:intake", kwargs={"code": flow_item.code}), intake_data(flow_item)
    )
    case = Case.objects.get()
    process = CaseProcess.objects.get(case=case)
    assert routing_spy.numbers() == [case.number]
    assert (
        "已转承办部门办理"
        in clerk_client.get(
            reverse("window:outcome", kwargs={"number": case.number})
        ).content.decode()
    )

    response = clerk_client.post(
        reverse("window:withdraw", kwargs={"number": case.number}),
        {"key": uuid.uuid4().hex, "reason": "申请人书面申请撤回。"},
    )

    case.refresh_from_db()
    process.refresh_from_db()
    assert response.status_code == 302
    assert case.status == Status.WITHDRAWN
    assert process.status == "CANCELED"
