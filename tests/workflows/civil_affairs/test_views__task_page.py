"""The task page of the 低保 flow: 公示 running, the head's own opinion, materials and receipts."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.factories import accepted_case, flow_item, open_task, work
from tests.workflows.tasks.fixtures import client_for
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def dibao(other_department: Department) -> ServiceItem:
    return flow_item(
        "MZ-DB-P",
        other_department,
        "civil_affairs.minimum_living",
        name="最低生活保障",
        statutory=30,
        promised=25,
        needs_head=True,
    )


def page(user: User, task_pk: int) -> str:
    response = client_for(user).get(reverse("tasks:task", args=[task_pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_step_says_the_notice_runs_and_when_it_ends_instead_of_a_form(
    dibao: ServiceItem, county: Center, clerk: User, other_officer: User
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
    with time_machine.travel(at(4), tick=False):
        work(case, "town_survey", other_officer, outcome=APPROVE, findings="符合条件")
    task = open_task(case, "public_notice")

    with time_machine.travel(at(6), tick=False):
        running = page(other_officer, task.pk)
    with time_machine.travel(at(11), tick=False):
        over = page(other_officer, task.pk)

    assert "公示进行中" in running
    assert "2025-03-04" in running
    assert "2025-03-11" in running
    assert 'name="step-outcome"' not in running
    assert "公示进行中" not in over
    assert 'name="step-outcome"' in over


def test_the_heads_opinion_box_starts_empty(
    dibao: ServiceItem, county: Center, clerk: User, other_officer: User, mz_head: User
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
        work(case, "town_survey", other_officer, outcome=APPROVE, findings="家庭人均收入低于标准")
    with time_machine.travel(at(11), tick=False):
        work(case, "public_notice", other_officer, outcome=APPROVE, reason="公示期满无人提出异议")
        task = open_task(case, "county_approval")
        client_for(mz_head).post(reverse("tasks:claim", args=[task.pk]))
        html = page(mz_head, task.pk)

    assert "公示期满无人提出异议" in html.split("拟办意见", 1)[1].split("<textarea", 1)[0]
    box = re.search(r'<textarea name="step-reason"[^>]*>(.*?)</textarea>', html, re.S)
    assert box is not None
    assert box.group(1).strip() == ""


def test_the_task_page_lists_the_materials_and_links_the_receipts(
    dibao: ServiceItem, county: Center, clerk: User, other_officer: User
) -> None:
    with time_machine.travel(at(3), tick=False):
        case = accepted_case(item=dibao, clerk=clerk, center=county)
    task = open_task(case, "town_survey")
    acceptance = Document.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)

    html = page(other_officer, task.pk)

    materials = html.split("收取的申请材料", 1)[1].split("</table>", 1)[0]
    for material in dibao.materials.all():
        assert material.name in materials
    pdf = reverse("documents:pdf", args=[acceptance.pk])
    assert f'href="{pdf}"' in html  # 查看: a plain GET
    assert f'action="{reverse("documents:print", args=[acceptance.pk])}"' in html  # 打印: a POST
    assert 'name="variant" value="ticket"' in html
    assert acceptance.number in html
    printed = client_for(other_officer).get(pdf)
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
