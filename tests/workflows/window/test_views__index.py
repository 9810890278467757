"""The clerk's home: today's intake, waiting for correction or delivery, search, menu entry."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import APPLICANT_ID, CaseFactory, applicant
from tests.workflows.window.conftest import login
from workflows.cases import services
from workflows.catalog.models import Center, ServiceItem

pytestmark = pytest.mark.django_db


def section(html: str, title: str) -> str:
    """The part of the page from the heading ``title`` to the next heading."""
    start = html.index(f"<h2>{title}")
    end = html.find("<h2>", start + 4)
    return html[start : end if end != -1 else len(html)]


def test_lists_today_correction_with_its_notice_deadline_and_delivery(
    clerk: User,
    county: Center,
    item: ServiceItem,
    immediate_item: ServiceItem,
    case_factory: CaseFactory,
) -> None:
    with time_machine.travel("2025-03-03 10:00 +0800", tick=False):  # a Monday
        yesterday = case_factory(at=None, status="received", materials=[])
        services.case_request_correction(
            case=yesterday,
            actor=clerk,
            lines=[services.CorrectionLine(position=1, problem="未提交")],
        )
        decided = case_factory(status="accepted", service_item=immediate_item)
        services.case_decide(case=decided, actor=clerk, decision="approved")
    with time_machine.travel("2025-03-04 10:00 +0800", tick=False):
        today = case_factory(status="accepted")
        html = login(clerk).get(reverse("window:index")).content.decode()

    assert today.number in section(html, "今日收件")
    assert yesterday.number not in section(html, "今日收件")
    correction = section(html, "待补正")
    assert yesterday.number in correction
    assert "2025-03-10" in correction  # 5 working days after Monday 3 March
    assert decided.number in section(html, "已办结待出件")
    assert reverse("window:deliver", kwargs={"number": decided.number}) in html


def test_received_cases_show_when_they_will_be_deemed_accepted(
    clerk_client: Client, case_factory: CaseFactory
) -> None:
    case = case_factory(status="received", materials=[])
    case.refresh_from_db()

    html = clerk_client.get(reverse("window:index")).content.decode()

    pending = section(html, "已收件待受理")
    assert case.number in pending
    assert case.deemed_acceptance_at is not None
    assert case.deemed_acceptance_at.astimezone().strftime("%Y-%m-%d") in pending


def test_search_by_number_name_and_phone_within_what_the_clerk_may_see(
    clerk_client: Client,
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    item: ServiceItem,
) -> None:
    mine = case_factory()
    theirs = services.case_receive(
        center=town,
        item=item,
        actor=town_clerk,
        applicant=applicant(name="张三丰", phone="13700001111"),
    )

    by_number = clerk_client.get(reverse("window:index"), {"q": mine.number}).content.decode()
    by_name = clerk_client.get(reverse("window:index"), {"q": "张三"}).content.decode()
    by_phone = clerk_client.get(reverse("window:index"), {"q": "139 1234"}).content.decode()
    other_phone = clerk_client.get(reverse("window:index"), {"q": "13700001111"}).content.decode()

    assert mine.number in section(by_number, "查找")
    assert mine.number in section(by_name, "查找")
    assert theirs.number not in by_name
    assert mine.number in section(by_phone, "查找")
    assert "没有找到相符的办件" in other_phone


def test_menu_entry_for_clerks_with_accesskey_n(clerk_client: Client, officer: User) -> None:
    clerk_home = clerk_client.get(reverse("web:home")).content.decode()
    officer_home = login(officer).get(reverse("web:home")).content.decode()

    entry = re.search(r'<a href="/window/"[^>]*>综合窗口', clerk_home)
    assert entry is not None
    assert 'accesskey="n"' in entry.group(0)
    assert 'href="/window/"' not in officer_home


def test_search_by_the_applicants_id_number_within_the_clerks_center(
    clerk_client: Client,
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    item: ServiceItem,
) -> None:
    mine = case_factory()  # the applicant's ID is APPLICANT_ID
    theirs = services.case_receive(
        center=town,
        item=item,
        actor=town_clerk,
        applicant=applicant(id_number="11010519491231002X"),
    )

    by_id = clerk_client.get(reverse("window:index"), {"q": APPLICANT_ID}).content.decode()
    spaced = clerk_client.get(
        reverse("window:index"), {"q": f"{APPLICANT_ID[:6]} {APPLICANT_ID[6:]}"}
    ).content.decode()
    other_center = clerk_client.get(
        reverse("window:index"), {"q": "11010519491231002x"}
    ).content.decode()

    assert mine.number in section(by_id, "查找")
    assert mine.number in section(spaced, "查找")
    assert theirs.number not in other_center
    assert "没有找到相符的办件" in other_center
