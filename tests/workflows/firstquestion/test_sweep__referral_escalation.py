"""A referral not acknowledged in time escalates exactly once, however often the sweep runs."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.concurrency import run_together
from tests.workflows.firstquestion.conftest import OFFICE_MORNING, ConsultationFactory
from workflows.catalog.models import Department
from workflows.firstquestion import services
from workflows.firstquestion.models import (
    ConsultationEvent,
    Referral,
    ReferralEscalation,
    ReferralState,
)
from workflows.firstquestion.sweep import referrals_escalate
from workflows.notifications.models import Notification

pytestmark = pytest.mark.django_db


def escalation_notices() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind="referral_escalation").values_list(
            "recipient__username", "dedupe_key"
        )
    )


def test_not_acknowledged_in_time__escalates_once_to_first_responder_and_supervisors(
    consultation_factory: ConsultationFactory,
    town_clerk: User,
    department: Department,
    supervisor: User,
    town_supervisor: User,
    other_town_supervisor: User,
) -> None:
    with time_machine.travel(OFFICE_MORNING, tick=False):
        consultation = consultation_factory(actor=town_clerk, department=department)
    referral = consultation.referrals.get()
    assert referral.ack_due_at == datetime.fromisoformat("2026-03-10T11:00:00+08:00")

    with time_machine.travel("2026-03-10 10:59 +0800", tick=False):
        assert referrals_escalate() == 0
    with time_machine.travel("2026-03-10 11:01 +0800", tick=False):
        assert referrals_escalate() == 1
        assert referrals_escalate() == 0  # the second run finds nothing new
    with time_machine.travel("2026-03-11 09:00 +0800", tick=False):
        call_command("sweep_referrals")

    (escalation,) = ReferralEscalation.objects.all()
    assert escalation.referral == referral
    assert escalation.first_responder == town_clerk
    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert referral.state == ReferralState.PENDING  # still the receiver's to acknowledge
    key = f"fq:referral:{referral.pk}:escalated"
    # The first responder, the town's supervisor and the county's (above it); not another town's.
    assert escalation_notices() == [
        ("clerk_dz", key),
        ("supervisor", key),
        ("supervisor_dz", key),
    ]
    assert ConsultationEvent.objects.filter(action="escalate").count() == 1


def test_acknowledged_in_time__never_escalates(
    consultation_factory: ConsultationFactory, officer: User, department: Department
) -> None:
    with time_machine.travel(OFFICE_MORNING, tick=False):
        consultation = consultation_factory(department=department)
    with time_machine.travel("2026-03-10 10:30 +0800", tick=False):
        services.referral_acknowledge(referral=consultation.referrals.get(), actor=officer)
    with time_machine.travel("2026-03-12 10:00 +0800", tick=False):
        assert referrals_escalate() == 0

    assert not ReferralEscalation.objects.exists()


def test_acknowledging_late_is_still_possible_and_recorded_as_late(
    consultation_factory: ConsultationFactory, officer: User, department: Department
) -> None:
    with time_machine.travel(OFFICE_MORNING, tick=False):
        consultation = consultation_factory(department=department)
    with time_machine.travel("2026-03-10 15:00 +0800", tick=False):
        referrals_escalate()
        services.referral_acknowledge(referral=consultation.referrals.get(), actor=officer)

    event = consultation.events.get(action="acknowledge")
    assert event.payload == {"late": True}
    assert ReferralEscalation.objects.count() == 1


def test_made_after_hours__due_at_the_next_opening(
    consultation_factory: ConsultationFactory, department: Department
) -> None:
    with time_machine.travel("2026-03-10 19:00 +0800", tick=False):
        consultation_factory(department=department)
    with time_machine.travel("2026-03-11 08:29 +0800", tick=False):
        assert referrals_escalate() == 0
    with time_machine.travel("2026-03-11 08:31 +0800", tick=False):
        assert referrals_escalate() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_referral_once(
    consultation_factory: ConsultationFactory,
    department: Department,
    supervisor: User,
) -> None:
    with time_machine.travel(OFFICE_MORNING, tick=False):
        for n in range(5):
            consultation_factory(department=department, matter=f"咨询 {n}")
    moment = datetime.fromisoformat("2026-03-10T12:00:00+08:00")
    results = run_together(4, lambda i: referrals_escalate(now=moment))
    failures = [r for r in results if isinstance(r, BaseException)]
    counts = [r for r in results if isinstance(r, int)]

    assert failures == []
    assert sum(counts) == 5
    assert ReferralEscalation.objects.count() == 5
    assert ConsultationEvent.objects.filter(action="escalate").count() == 5
    assert Referral.objects.filter(escalated_at__isnull=True).count() == 0
    # Each of the 5 told once to the first responder and once to the supervisor.
    assert Notification.objects.filter(kind="referral_escalation").count() == 10
