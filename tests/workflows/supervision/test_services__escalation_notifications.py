"""An escalation reaches the handler, the department heads, the first responder and the
supervisors in scope — each once, and nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from tests.factories import staff
from tests.workflows.supervision.conftest import at
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.notifications.models import Notification, OutboxMessage
from workflows.supervision.models import Escalation
from workflows.supervision.services import sweep_deadlines

ACCEPTED = at(2026, 3, 2, 10)
YELLOW = at(2026, 3, 5, 0, 1)  # 2 working days left (03-06, 03-09)
RED = at(2026, 3, 10, 0, 1)  # past the promised date (03-09), not the statutory one


def recipients(level: int) -> dict[str, int]:
    rows = Notification.objects.filter(
        kind="escalation", dedupe_key__endswith=f":{level}"
    ).values_list("recipient__username", flat=True)
    counts: dict[str, int] = {}
    for name in rows:
        counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.django_db
def test_the_four_kinds_of_people_hear_of_each_breach_once(
    case_factory: CaseFactory,
    town: Center,
    town_clerk: User,
    officer: User,
    head: User,
    second_head: User,
    other_head: User,
    other_officer: User,
    supervisor: User,
    town_supervisor: User,
    other_town_supervisor: User,
    department: Department,
) -> None:
    retired = staff("retired_head", roles.HEAD, department=department)
    retired.is_active = False
    retired.save()
    case = case_factory(
        at=ACCEPTED, center=town, actor=town_clerk, status="in_progress", officer=officer
    )

    warned = sweep_deadlines(now=YELLOW)
    sweep_deadlines(now=YELLOW + timedelta(minutes=1))
    first = sweep_deadlines(now=RED)
    sweep_deadlines(now=RED + timedelta(minutes=1))
    sweep_deadlines(now=RED + timedelta(minutes=2))

    expected = {
        "officer": 1,  # handler
        "head": 1,  # department heads
        "head2": 1,
        "clerk_dz": 1,  # first responder
        "supervisor": 1,  # county supervisor: the town is in scope
        "supervisor_dz": 1,  # the town's own supervisor
    }
    assert recipients(1) == expected  # yellow
    assert recipients(2) == expected  # red
    assert recipients(3) == {}  # not past the statutory date yet
    assert (warned.notifications, first.notifications) == (6, 6)
    escalation = Escalation.objects.get(case=case, level=2)
    by_user = {
        n.recipient.username: n
        for n in Notification.objects.filter(dedupe_key=f"escalation:{case.pk}:2")
    }
    assert by_user["head"].url == f"/supervision/escalations/{escalation.pk}/"
    assert by_user["supervisor_dz"].url == f"/supervision/escalations/{escalation.pk}/"
    assert by_user["officer"].url == f"/supervision/cases/{case.number}/trail/"
    assert by_user["clerk_dz"].url == f"/supervision/cases/{case.number}/trail/"
    assert case.number in by_user["officer"].title
    assert "红灯督办" in by_user["officer"].title
    assert all(n.case_id == case.pk for n in by_user.values())
    yellow_head = Notification.objects.get(recipient=head, dedupe_key=f"escalation:{case.pk}:1")
    assert "督促按时办结" in yellow_head.body  # a warning asks for no answer yet
    assert "回复超期原因" in by_user["head"].body


@pytest.mark.django_db
def test_levels_crossed_together_are_told_once_by_the_worst(
    case_factory: CaseFactory, officer: User, head: User, clerk: User, supervisor: User
) -> None:
    case = case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    report = sweep_deadlines(now=at(2026, 3, 20))  # yellow, red and statutory red at once
    assert report.escalations == 3
    assert report.notifications == 4
    for user in (officer, head, clerk, supervisor):
        (note,) = Notification.objects.filter(recipient=user, case=case)
        assert note.dedupe_key == f"escalation:{case.pk}:3"
        assert "超法定时限督办" in note.title
        assert "本次同时生成：黄灯预警、红灯超期督办、超法定时限督办" in note.body
    assert sweep_deadlines(now=at(2026, 3, 20, 0, 1)).notifications == 0


@pytest.mark.django_db
def test_someone_in_two_capacities_is_told_once(
    case_factory: CaseFactory, clerk: User, head: User, supervisor: User
) -> None:
    # The head took the case himself: handler and head are the same person.
    case = case_factory(at=ACCEPTED, status="in_progress", officer=head)
    sweep_deadlines(now=YELLOW)
    sweep_deadlines(now=RED)
    assert case.handler_id == head.pk
    assert recipients(2) == {"head": 1, "clerk": 1, "supervisor": 1}
    note = Notification.objects.get(recipient=head, dedupe_key=f"escalation:{case.pk}:2")
    assert note.body.startswith("您是本件的经办人")


@pytest.mark.django_db
def test_email_and_sms_go_to_the_outbox_once(
    case_factory: CaseFactory,
    officer: User,
    head: User,
    clerk: User,
    supervisor: User,
    settings: pytest.FixtureRequest,
) -> None:
    settings.ONEWINDOW_NOTIFY_CHANNELS = ["email", "sms"]  # type: ignore[attr-defined]
    for user in (officer, head, clerk, supervisor):
        user.email = f"{user.username}@example.invalid"
        user.save()
    case_factory(at=ACCEPTED, status="in_progress", officer=officer)
    sweep_deadlines(now=YELLOW)
    sweep_deadlines(now=RED)
    sweep_deadlines(now=RED + timedelta(minutes=5))
    # 2 levels × 4 people × 2 channels; users have an email and a profile phone.
    assert OutboxMessage.objects.count() == 16
    assert OutboxMessage.objects.filter(channel="sms").count() == 8
