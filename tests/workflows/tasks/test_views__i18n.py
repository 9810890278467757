"""The workbench speaks zh-Hans, viewflow's own strings included."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import PROCESS, STATUS

from tests.factories import accepted_case, flow_item, open_task, work
from tests.workflows.tasks.fixtures import client_for
from workflows.catalog.models import Center, Department
from workflows.tasks.steps import APPROVE
from workflows.tasks.viewflow_i18n import VIEWFLOW_MSGIDS

pytestmark = pytest.mark.django_db

VIEWFLOW_ENGLISH = (
    "Assign",
    "Unassign",
    "Inbox",
    "Queue",
    "Archive",
    "Process",
    "New",
    "Assigned",
    "Done",
    "Canceled",
    "Started",
    "Execute",
    "Task",
    "Owner",
    "Status",
    "Created",
    "Finished",
    "Flow",
)
UNTRANSLATABLE = {"#", "PNG", "BPMN", "%(label)s %(name)s", "YYYY", "MM", "DD", "HH", "SS"}


def visible_text(html: str) -> str:
    """The page's text without tags, scripts or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_no_viewflow_english(html: str) -> None:
    text = visible_text(html)
    found = [w for w in VIEWFLOW_ENGLISH if re.search(rf"\b{w}\b", text)]
    assert not found, found


def test_every_viewflow_msgid_has_a_chinese_translation() -> None:
    assert len(VIEWFLOW_MSGIDS) == 160
    with translation.override("zh-hans"):
        # gettext_noop only marks plain strings; the lazy ones translate on str().
        shown = [
            (m, translation.gettext(m) if isinstance(m, str) else str(m)) for m in VIEWFLOW_MSGIDS
        ]
        missing = [
            m
            for m, text in shown
            if m not in UNTRANSLATABLE and not re.search(r"[\u4e00-\u9fff]", text)
        ]
        assert not missing, missing
        assert [str(s.label) for s in (STATUS.NEW, STATUS.ASSIGNED, STATUS.DONE)] == [
            "待办理",
            "已领取",
            "已完成",
        ]
        assert str(PROCESS.CANCELED.label) == "已取消"
    with translation.override("en"):
        assert str(STATUS.ASSIGNED.label) == "Assigned"


def test_officer_and_clerk_pages_have_no_untranslated_viewflow_string(
    department: Department, county: Center, clerk: User, officer: User, head: User
) -> None:
    item = flow_item("GA-I18N", department, "public_security.household_move")
    case = accepted_case(item=item, clerk=clerk, center=county)
    officer_client = client_for(officer)
    review = open_task(case, "police_review")
    pages = [
        officer_client.get(reverse("tasks:queue")),
        officer_client.get(reverse("tasks:task", args=[review.pk])),
    ]
    work(case, "police_review", officer, outcome=APPROVE, reason="")
    pages += [
        officer_client.get(reverse("tasks:archive")),
        officer_client.get(reverse("tasks:task", args=[review.pk])),
        client_for(head).get(reverse("tasks:queue")),
        client_for(head).get(reverse("tasks:open")),
    ]
    work(case, "chief_approval", head, outcome=APPROVE, reason="")
    deliver = open_task(case, "deliver")
    clerk_client = client_for(clerk)
    pages += [
        clerk_client.get(reverse("tasks:delivery")),
        clerk_client.get(reverse("tasks:task", args=[deliver.pk])),
        officer_client.get(reverse("tasks:inbox")),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert 'lang="zh-hans"' in html
        assert_no_viewflow_english(html)
    history = visible_text(pages[3].content.decode())
    assert "已完成" in history  # STATUS.DONE, translated
    assert "民警审核" in history
    assert "待领取" in visible_text(pages[4].content.decode())
