"""Every window page speaks zh-Hans: no English left in what the clerk reads."""

from __future__ import annotations

import html as html_lib
import re
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import CaseFactory
from tests.workflows.window.conftest import intake_data, login
from workflows.cases import services
from workflows.cases.models import Case
from workflows.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


def english_leftovers(page: str, *data: str) -> list[str]:
    """Latin words in the page's title, main content and visible attributes, minus ``data``.

    Key names in <kbd> (Alt, S) are what the keyboard says; scripts and hidden inputs
    (tokens) are not read.
    """
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    main = page.split("<main>", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    main = re.sub(r"<kbd>.*?</kbd>", " ", main)
    main = re.sub(r'<input type="hidden"[^>]*>', " ", main)
    attributes = re.findall(r'(?:placeholder|title|aria-label|alt|value)="([^"]*)"', main)
    # Option and radio values are codes, not text; only button values the clerk sees count.
    attributes = [a for a in attributes if not re.fullmatch(r"[a-z_0-9-]*", a)]
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", main))
    visible = " ".join([title.group(1) if title else "", text, *attributes])
    for value in data:
        visible = visible.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", visible)


def check(
    client: Client,
    url: str,
    *data: str,
    status: int = 200,
    method: str = "get",
    payload: dict[str, str] | None = None,
) -> None:
    response = getattr(client, method)(url, payload or {})
    assert response.status_code == status, (url, response.status_code)
    leftovers = english_leftovers(response.content.decode(), *data)
    assert leftovers == [], (url, leftovers)


def test_intake_pages(clerk_client: Client, item: ServiceItem) -> None:
    intake = reverse("window:intake", kwargs={"code": item.code})

    check(clerk_client, reverse("window:index"))
    check(clerk_client, reverse("window:choose_item"), item.code)
    check(clerk_client, reverse("window:choose_item") + "?q=无此事项")
    check(clerk_client, intake, item.code)
    check(
        clerk_client,
        intake,
        item.code,
        method="post",
        payload=intake_data(item, **{"p-id_number": "123", "p-phone": "x", "c-has_agent": "on"}),
    )
    check(
        clerk_client,
        intake,
        item.code,
        status=400,
        method="post",
        payload=intake_data(item, states={1: "missing"}),
    )


def test_outcome_and_case_pages_through_a_whole_life(
    clerk_client: Client, clerk: User, immediate_item: ServiceItem, item: ServiceItem
) -> None:
    codes = (item.code, immediate_item.code)
    clerk_client.post(
        reverse("window:intake", kwargs={"code": immediate_item.code}),
        intake_data(immediate_item, outcome="correct", states={1: "missing"}),
    )
    case = Case.objects.get()
    number = case.number

    def url(name: str) -> str:
        return reverse(f"window:{name}", kwargs={"number": number})

    check(clerk_client, url("outcome") + "?doc=correction", number, *codes)
    check(clerk_client, url("supplement"), number, *codes)
    check(clerk_client, url("withdraw"), number, *codes)
    check(clerk_client, reverse("window:index"), number, *codes)
    clerk_client.post(
        url("supplement"),
        {
            "key": uuid.uuid4().hex,
            "action": "supplement",
            "s1-brought": "on",
            "s1-form": "both",
            "s1-copies": "1",
            "s1-pages": "1",
        },
    )
    check(clerk_client, url("review"), number, *codes)
    clerk_client.post(url("review"), {"key": uuid.uuid4().hex, "outcome": "accept"})
    check(clerk_client, url("outcome") + "?doc=acceptance", number, *codes)
    check(clerk_client, url("decide"), number, *codes)
    clerk_client.post(
        url("decide"),
        {"key": uuid.uuid4().hex, "action": "decide", "decision": "denied", "reason": "不符合条件"},
    )
    check(clerk_client, url("deliver"), number, *codes)
    check(clerk_client, url("outcome") + "?doc=completion", number, *codes)
    check(clerk_client, url("case_detail"), number, *codes)
    check(clerk_client, reverse("window:index"), number, *codes)


def test_rejection_suspension_and_refusal_pages(
    clerk_client: Client,
    officer: User,
    item: ServiceItem,
    flow_item: ServiceItem,
    case_factory: CaseFactory,
) -> None:
    codes = (item.code, flow_item.code)
    clerk_client.post(
        reverse("window:intake", kwargs={"code": item.code}),
        intake_data(
            item,
            outcome="reject",
            **{
                "c-rejection_reason": "不属于本机关职权",
                "c-outside_competence": "on",
                "c-competent_organ": "平远县自然资源局",
            },
        ),
    )
    rejected = Case.objects.get()
    check(
        clerk_client,
        reverse("window:outcome", kwargs={"number": rejected.number}),
        rejected.number,
        *codes,
    )
    check(
        clerk_client,
        reverse("window:case_detail", kwargs={"number": rejected.number}),
        rejected.number,
        *codes,
    )

    running = case_factory(status="in_progress", service_item=flow_item, officer=officer)
    services.case_suspend(case=running, actor=officer, procedure="appraisal", expected_days=5)
    check(
        clerk_client,
        reverse("window:case_detail", kwargs={"number": running.number}),
        running.number,
        *codes,
    )
    check(
        clerk_client,
        reverse("window:decide", kwargs={"number": running.number}),
        running.number,
        *codes,
        status=403,
    )
    services.case_resume(case=running, actor=officer)
    services.case_decide(case=running, actor=officer, decision="approved")
    check(
        clerk_client,
        reverse("window:deliver", kwargs={"number": running.number}),
        running.number,
        *codes,
    )

    check(
        clerk_client, reverse("window:case_detail", kwargs={"number": "PY-2099-000001"}), status=404
    )
    check(login(officer), reverse("window:index"), status=403)
