"""A sweep killed in the middle: no escalation lost or doubled, the next run finishes the work.

``manage.py sweep_deadlines`` runs as a subprocess on the test database and is
SIGKILLed after it has written escalations and notifications but before its
transaction commits (``config/faults.py``). Nothing of it remains; the next
sweep escalates each breach exactly once, and a further one adds nothing.
"""

from __future__ import annotations

from pathlib import Path

from tests.hardening.test_faults__render import kill_when_paused, start_worker
from tests.workflows.supervision.test_services__sweep_exactly_once import LATER, make_world
from workflows.cases.models import CaseEvent
from workflows.notifications.models import Notification
from workflows.supervision import services
from workflows.supervision.models import Escalation


def test_a_sweep_killed_mid_run_leaves_nothing_and_the_next_escalates_once(
    transactional_db: None, tmp_path: Path
) -> None:
    cases, _people = make_world(3)
    events = CaseEvent.objects.count()
    notifications = Notification.objects.count()

    marker = tmp_path / "paused"
    worker = start_worker(["sweep_deadlines", "--now", LATER.isoformat()], marker, "sweep")
    kill_when_paused(worker, marker)

    assert not Escalation.objects.exists()
    assert CaseEvent.objects.count() == events
    assert Notification.objects.count() == notifications

    report = services.sweep_deadlines(now=LATER)
    assert report.escalations == len(cases) * 3  # yellow, red, statutory red: each once
    assert Escalation.objects.count() == len(cases) * 3
    assert services.sweep_deadlines(now=LATER).escalations == 0
    assert Escalation.objects.count() == len(cases) * 3
