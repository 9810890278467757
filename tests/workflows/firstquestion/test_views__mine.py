"""我的首问: state, who holds it now, the light, and what changed since I last looked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import accepted_case, flow_item, open_task, work
from tests.workflows.firstquestion.conftest import OFFICE_MORNING, ConsultationFactory, login
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from workflows.cases.alerts import cases_raise_alerts
from workflows.catalog.models import Center, Department
from workflows.catalog.roles import display_name
from workflows.firstquestion.receivers import DECIDED_KIND
from workflows.firstquestion.selectors import attention_count
from workflows.firstquestion.sweep import referrals_escalate
from workflows.notifications.models import Notification
from workflows.tasks.services import task_claim
from workflows.tasks.steps import APPROVE

pytestmark = pytest.mark.django_db


def mine(user: User) -> str:
    return login(user).get(reverse("firstquestion:mine")).content.decode()


def menu_badge(user: User) -> str:
    """The menu as another page shows it (looking at 我的首问 itself resets the badge)."""
    page = login(user).get(reverse("firstquestion:referrals")).content.decode()
    start = page.index(reverse("firstquestion:mine"))
    return page[start : page.index("</a>", start)]


def test_holder_light_and_changes_since_last_look(
    clerk: User, officer: User, county: Center, department: Department
) -> None:
    item = flow_item("GA-R9", department, "public_security.review", name="居住证签注")
    with time_machine.travel(OFFICE_MORNING, tick=False):
        case = accepted_case(item=item, clerk=clerk, center=county)
    with time_machine.travel("2026-03-10 10:05 +0800", tick=False):
        first = mine(clerk)
    assert "这是您第一次查看" in first
    assert case.number in first
    assert "公安待领取：经办审核" in first
    assert "light-green" in first
    with time_machine.travel("2026-03-10 10:06 +0800", tick=False):
        login(clerk).post(reverse("firstquestion:mark_seen"))  # 标为已查看

    with time_machine.travel("2026-03-10 10:10 +0800", tick=False):
        task_claim(task=open_task(case, "review"), user=officer)
        assert f"{display_name(officer)}（经办审核）" in mine(clerk)

    warn_at = type(case).objects.get(pk=case.pk).warn_at
    assert warn_at is not None
    with time_machine.travel(warn_at + timedelta(minutes=1), tick=False):
        cases_raise_alerts(now=warn_at + timedelta(minutes=1))
        assert attention_count(clerk) == 1
        assert '<span class="badge">1</span>' in menu_badge(clerk)
        page = mine(clerk)
        assert 'class="changed"' in page
        assert "黄灯预警" in page
        assert "light-yellow" in page
        # Opening the page writes nothing: still new, the badge stays.
        assert 'class="changed"' in mine(clerk)
        assert attention_count(clerk) == 1
        # 标为已查看 (a POST): nothing new any more, and the badge is gone.
        seen = login(clerk).post(reverse("firstquestion:mark_seen"))
        assert seen.status_code == 302
        assert seen["Location"] == reverse("firstquestion:mine")
        again = mine(clerk)
        assert 'class="changed"' not in again
        assert attention_count(clerk) is None
        assert "badge" not in menu_badge(clerk)


def test_marking_seen_is_a_post_and_opening_the_page_writes_nothing(clerk: User) -> None:
    from workflows.firstquestion.models import LastSeen

    client = login(clerk)
    page = client.get(reverse("firstquestion:mine")).content.decode()
    assert f'action="{reverse("firstquestion:mark_seen")}"' in page
    assert not LastSeen.objects.exists()
    assert client.get(reverse("firstquestion:mark_seen")).status_code == 405
    assert not LastSeen.objects.exists()
    assert client.post(reverse("firstquestion:mark_seen"), {"show": "all"})["Location"] == (
        reverse("firstquestion:mine") + "?show=all"
    )
    assert LastSeen.objects.get().user == clerk


def test_decided_through_the_flow__first_responder_told_and_sees_who_delivers(
    clerk: User, officer: User, county: Center, department: Department
) -> None:
    item = flow_item("GA-R8", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county)

    work(case, "review", officer, outcome=APPROVE, reason="")

    assert Notification.objects.filter(recipient=clerk, kind=DECIDED_KIND).count() == 1
    page = mine(clerk)
    assert "已办结待送达" in page
    assert "综合窗口待领取：出件（窗口送达）" in page


def test_consultations_show_who_has_them_and_escalations_raise_the_badge(
    clerk: User, consultation_factory: ConsultationFactory, department: Department
) -> None:
    with time_machine.travel(OFFICE_MORNING, tick=False):
        consultation = consultation_factory(department=department)
        page = mine(clerk)
        login(clerk).post(reverse("firstquestion:mark_seen"))  # 标为已查看
    assert consultation.matter in page
    assert "部门：公安（待签收）" in page
    assert "137****3333" in page
    assert "13722223333" not in page

    with time_machine.travel("2026-03-10 11:30 +0800", tick=False):
        referrals_escalate()
        assert attention_count(clerk) == 1
        page = mine(clerk)
    assert "转办超时未签收，已督办" in page
    assert "转办超时督办" in page  # listed among the changes


def test_someone_elses_cases_are_not_listed(
    clerk: User, town_clerk: User, county: Center, department: Department
) -> None:
    item = flow_item("GA-R7", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county)

    assert case.number not in mine(town_clerk)
