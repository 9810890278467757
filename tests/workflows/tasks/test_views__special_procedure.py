"""特别程序 from the officer's task page: any case in processing (行政许可法第四十五条)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.factories import accepted_case, flow_item, open_task, staff
from tests.workflows.tasks.fixtures import client_for
from workflows.cases.models import Case, Status, Suspension
from workflows.catalog import roles
from workflows.catalog.models import Center, Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def hukou(department: Department, county: Center, clerk: User) -> Case:
    item = flow_item("GA-HKQY", department, "public_security.household_move", name="户口迁移")
    return accepted_case(item=item, clerk=clerk, center=county)


@pytest.fixture
def claimed(hukou: Case, officer: User) -> Any:
    """The 民警审核 task, claimed by the officer (the case is now in processing)."""
    task = open_task(hukou, "police_review")
    assert client_for(officer).post(reverse("tasks:claim", args=[task.pk])).status_code == 302
    hukou.refresh_from_db()
    assert hukou.status == Status.IN_PROGRESS
    return task


def suspend(who: User | Client, task: Any, **fields: Any) -> Any:
    client = who if isinstance(who, Client) else client_for(who)
    data = {"procedure": "appraisal", "expected_days": "15", "reason": "准迁证明真伪鉴定"}
    return client.post(reverse("tasks:special_procedure", args=[task.pk]), {**data, **fields})


def test_the_officer_puts_the_case_into_appraisal_and_resumes_it(
    hukou: Case, claimed: Any, officer: User, clerk: User
) -> None:
    client = client_for(officer)
    page = client.get(reverse("tasks:task", args=[claimed.pk])).content.decode()
    assert 'action="' + reverse("tasks:special_procedure", args=[claimed.pk]) in page

    response = suspend(client, claimed)
    assert response.status_code == 302
    hukou.refresh_from_db()
    assert hukou.status == Status.SUSPENDED
    suspension = Suspension.objects.get(case=hukou)
    assert (suspension.procedure, suspension.expected_days, suspension.started_by) == (
        "appraisal",
        15,
        officer,
    )
    notice = Document.objects.get(case=hukou, kind=DocumentKind.SPECIAL)
    assert notice.content["body"]["procedure"] == "鉴定"
    assert notice.content["body"]["expected_days"] == 15

    page = client.get(reverse("tasks:task", args=[claimed.pk])).content.decode()
    assert "本件已进入特别程序，暂停计时；特别程序告知书已出具。" in page
    assert "本件正在进行鉴定" in page
    assert reverse("documents:pdf", kwargs={"pk": notice.pk}) in page
    assert reverse("tasks:special_procedure_end", args=[claimed.pk]) in page
    # the clerk's case page offers the same notice for printing
    case_page = client_for(clerk).get(
        reverse("window:case_detail", kwargs={"number": hukou.number})
    )
    assert "特别程序告知书" in case_page.content.decode()
    pdf = client_for(clerk).get(reverse("documents:pdf", kwargs={"pk": notice.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"

    response = client.post(reverse("tasks:special_procedure_end", args=[claimed.pk]))
    assert response.status_code == 302
    hukou.refresh_from_db()
    assert hukou.status == Status.IN_PROGRESS
    suspension.refresh_from_db()
    assert suspension.ended_by == officer
    page = client.get(reverse("tasks:task", args=[claimed.pk])).content.decode()
    assert "特别程序已结束，恢复计时。" in page


def test_another_officer_and_a_clerk_are_refused(
    hukou: Case, claimed: Any, officer: User, clerk: User, department: Department
) -> None:
    colleague = staff("officer_b", roles.OFFICER, department=department)
    refused = suspend(colleague, claimed)
    assert refused.status_code == 403
    assert "只有本件当前的经办人" in refused.content.decode()
    assert suspend(clerk, claimed).status_code == 403
    hukou.refresh_from_db()
    assert hukou.status == Status.IN_PROGRESS
    assert not Suspension.objects.filter(case=hukou).exists()
    assert not Document.objects.filter(case=hukou, kind=DocumentKind.SPECIAL).exists()

    assert suspend(officer, claimed).status_code == 302
    ended = client_for(colleague).post(reverse("tasks:special_procedure_end", args=[claimed.pk]))
    assert ended.status_code == 403
    assert (
        client_for(clerk)
        .post(reverse("tasks:special_procedure_end", args=[claimed.pk]))
        .status_code
        == 403
    )
    hukou.refresh_from_db()
    assert hukou.status == Status.SUSPENDED


def test_a_head_of_the_department_may_end_it(
    hukou: Case, claimed: Any, officer: User, head: User
) -> None:
    assert suspend(officer, claimed).status_code == 302
    response = client_for(head).post(reverse("tasks:special_procedure_end", args=[claimed.pk]))
    assert response.status_code == 302
    hukou.refresh_from_db()
    assert hukou.status == Status.IN_PROGRESS


def test_bad_input_and_a_second_suspension_are_refused_with_a_message(
    hukou: Case, claimed: Any, officer: User
) -> None:
    client = client_for(officer)
    wrong = {
        "procedure": ("sleeping", "请选择特别程序的类型。"),
        "expected_days": ("0", "请填写特别程序预计所需的工作日数（1–365）。"),
    }
    for field, (value, message) in wrong.items():
        response = suspend(client, claimed, **{field: value})
        assert response.status_code == 302
        page = client.get(reverse("tasks:task", args=[claimed.pk])).content.decode()
        assert message in page
    hukou.refresh_from_db()
    assert hukou.status == Status.IN_PROGRESS

    assert suspend(client, claimed).status_code == 302
    again = suspend(client, claimed)
    assert again.status_code == 302
    page = client.get(reverse("tasks:task", args=[claimed.pk])).content.decode()
    assert "办件当前状态为“特别程序中”" in page
    assert Suspension.objects.filter(case=hukou).count() == 1
