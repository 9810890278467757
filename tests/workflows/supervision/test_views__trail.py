"""A case's full trail: every event, who, when, from → to, and the clock after each step."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.supervision.services import sweep_deadlines


@pytest.mark.django_db
def test_the_trail_shows_each_step_with_the_clock(
    case_factory: CaseFactory, officer: User, head: User, supervisor: User
) -> None:
    case = case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)
    case_services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=2, now=at(2026, 3, 3, 9)
    )
    case_services.case_resume(case=case, actor=officer, now=at(2026, 3, 5, 17))
    sweep_deadlines(now=at(2026, 3, 13))
    client = Client()
    client.force_login(supervisor)
    response = client.get(f"/supervision/cases/{case.number}/trail/")
    assert response.status_code == 200
    rows = response.context["rows"]
    header = response.context["header"]
    actions = [r[header.index("操作")] for r in rows]
    assert actions == [
        "收件",
        "受理",
        "开始办理",
        "进入特别程序",
        "特别程序结束",
        "预警亮灯",
        "预警亮灯",
    ]
    by_action = {r[2]: r for r in rows}
    assert by_action["受理"][header.index("原状态")] == "已收件"
    assert by_action["受理"][header.index("新状态")] == "已受理"
    assert by_action["受理"][header.index("承诺期限")] == "2026-03-09"
    suspend = by_action["进入特别程序"]
    assert suspend[header.index("计时")] == "暂停（特别程序）"
    assert suspend[header.index("操作人")] == f"{officer.last_name}{officer.first_name}"
    assert by_action["特别程序结束"][header.index("承诺期限")] == "2026-03-11"
    assert rows[-1][header.index("操作人")] == "系统"
    assert rows[0][header.index("时间")] == "2026-03-02 10:00:00"
    content = response.content.decode()
    assert "红灯超期督办" in content  # the case's 督办 are listed under its trail
