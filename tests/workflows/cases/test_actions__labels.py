"""Every action the code records in a case's trail has words; a print is not 其他操作."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.conftest import CaseFactory
from workflows.cases.actions import ACTION_LABELS
from workflows.cases.models import CaseEvent

ROOT = Path(__file__).resolve().parents[3]
# Where CaseEvents are written: record_event(action=…), the transition steps, bulk events.
RECORDED = [
    re.compile(r'action="([a-z_]+)"'),
    re.compile(r'action="([a-z_]+)" if \w+ else "([a-z_]+)"'),
    re.compile(r'_Step\(\s*"([a-z_]+)"'),
    re.compile(r'\("([a-z_]+)", (?:""|Status\.\w+), Status\.\w+'),
]
WRITERS = [
    *sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "workflows/cases/services").glob("*.py")
    ),
    "workflows/cases/alerts.py",
    "workflows/cases/seeding.py",
    "documents/services.py",
]


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for name in WRITERS:
        text = (ROOT / name).read_text(encoding="utf-8")
        for pattern in RECORDED:
            for match in pattern.finditer(text):
                found.update(g for g in match.groups() if g)
    return found


def test_every_recorded_action_has_a_label() -> None:
    actions = recorded_actions()
    assert {"receive", "accept", "reprint", "print", "alert", "suspend"} <= actions

    assert sorted(actions - set(ACTION_LABELS)) == []


@pytest.mark.django_db
def test_the_trail_names_the_first_print_and_the_reprint(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(status="accepted")
    document = Document.objects.get(case=case, kind=DocumentKind.ACCEPTANCE)
    client = Client()
    client.force_login(clerk)
    url = reverse("documents:print", args=[document.pk])

    assert client.post(url).status_code == 303
    assert client.post(url).status_code == 303

    assert list(
        CaseEvent.objects.filter(case=case, action__in=["print", "reprint"])
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["print", "reprint"]
    page = client.get(reverse("window:case_detail", kwargs={"number": case.number}))
    trail = page.content.decode().split("办件记录", 1)[1]
    assert "其他操作" not in trail
    assert "打印文书" in trail
    assert "补打文书" in trail
    assert document.number in trail


def test_the_model_field_and_every_display_use_the_one_vocabulary() -> None:
    from workflows.cases.actions import CaseAction, action_label

    assert CaseEvent._meta.get_field("action").choices == CaseAction.choices
    assert set(ACTION_LABELS) == set(CaseAction.values)
    event = CaseEvent(action=CaseAction.SUSPEND)
    assert event.get_action_display() == action_label("suspend") == "进入特别程序"
    assert action_label("no_such_action") == "no_such_action"
