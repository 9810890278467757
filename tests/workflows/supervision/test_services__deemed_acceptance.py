"""The sweep deems accepted what nobody answered within 5 working days, and starts its flow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.conftest import applicant, complete_materials
from tests.factories import flow_item
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.cases.models import Case, CaseEvent, Status
from workflows.catalog.models import Center, Department
from workflows.supervision.models import Escalation
from workflows.supervision.services import sweep_deadlines
from workflows.tasks.models import CaseProcess

RECEIVED = at(2026, 3, 2, 10)  # Mon; the 5th working day after is Mon 03-09


@pytest.fixture
def flow_case(county: Center, department: Department, clerk: User) -> Case:
    item = flow_item("GA-REVIEW", department, "public_security.review")
    return case_services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        applicant=applicant(),
        materials=complete_materials(item),
        now=RECEIVED,
    )


@pytest.mark.django_db
def test_silence_past_the_fifth_working_day_is_acceptance_as_of_receipt(
    flow_case: Case, officer: User, head: User
) -> None:
    quiet = sweep_deadlines(now=at(2026, 3, 10) - timedelta(microseconds=1))
    assert quiet.deemed_accepted == 0

    report = sweep_deadlines(now=at(2026, 3, 10, 0, 1))

    flow_case.refresh_from_db()
    assert report.deemed_accepted == 1
    assert report.flows_started == 1
    assert flow_case.status == Status.ACCEPTED
    assert flow_case.deemed_accepted is True
    assert flow_case.accepted_at == RECEIVED
    assert CaseProcess.objects.filter(case=flow_case).count() == 1
    assert CaseEvent.objects.filter(case=flow_case, action="deem_accept", actor=None).count() == 1
    # Its clock ran from the receipt: the promised date (03-09) has passed already.
    assert (report.warned, report.overdue) == (1, 1)
    assert sorted(Escalation.objects.filter(case=flow_case).values_list("level", flat=True)) == [
        1,
        2,
    ]

    again = sweep_deadlines(now=at(2026, 3, 10, 0, 2))
    assert (again.deemed_accepted, again.flows_started, again.escalations) == (0, 0, 0)
    assert CaseProcess.objects.filter(case=flow_case).count() == 1
    call_command("verify_audit")


@pytest.mark.django_db
def test_a_correction_notice_in_time_stops_deemed_acceptance(flow_case: Case, clerk: User) -> None:
    case_services.case_request_correction(
        case=flow_case,
        actor=clerk,
        lines=[case_services.CorrectionLine(position=1, problem="身份证复印件不清晰")],
        now=at(2026, 3, 3, 9),
    )
    report = sweep_deadlines(now=at(2026, 3, 20))
    flow_case.refresh_from_db()
    assert report.deemed_accepted == 0
    assert flow_case.status == Status.AWAITING_CORRECTION


@pytest.mark.django_db
def test_each_sweep_deems_at_most_its_limit(
    county: Center, department: Department, clerk: User
) -> None:
    item = flow_item("GA-PLAIN", department, "")
    for _ in range(3):
        case_services.case_receive(
            center=county,
            item=item,
            actor=clerk,
            applicant=applicant(),
            materials=complete_materials(item),
            now=RECEIVED,
        )
    first = sweep_deadlines(now=at(2026, 3, 11), deem_limit=2)
    second = sweep_deadlines(now=at(2026, 3, 11, 0, 1), deem_limit=2)
    assert (first.deemed_accepted, second.deemed_accepted) == (2, 1)
    assert first.flows_started == 0  # no flow configured for the item: acceptance stands
    assert Case.objects.filter(status=Status.ACCEPTED, deemed_accepted=True).count() == 3
