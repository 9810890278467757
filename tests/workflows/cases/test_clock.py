"""The legal clock: worked examples, pauses, extensions, deemed acceptance.

The worked examples are those of docs/design-notes/domain.md §8.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from workflows.calendar.api import get_calendar
from workflows.cases import errors, permissions, services
from workflows.cases.clock import ClockInput, Pause, compute_clock, local_date
from workflows.cases.errors import InvalidRequest, TransitionRefused
from workflows.cases.models import CaseEvent, Status

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def due_of(moment: datetime | None) -> str:
    assert moment is not None
    return local_date(moment).isoformat()


WORKED_EXAMPLES = [
    ("2025-01-20", 5, "2025-01-26"),  # the make-up Sunday counts
    ("2025-09-26", 5, "2025-10-10"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2026-02-12", 3, "2026-02-24"),  # 2-13, 2-14 (make-up Saturday), 2-24
    ("2026-09-18", 10, "2026-10-09"),
    ("2025-04-25", 20, "2025-05-27"),  # 4-27 counts; 5-1 to 5-5 do not
]


@pytest.mark.parametrize(("accepted", "days", "due"), WORKED_EXAMPLES)
def test_worked_examples_on_accepted_cases(
    case_factory: CaseFactory, clerk: User, item, accepted: str, days: int, due: str
) -> None:
    item.promised_limit_days = days
    item.statutory_limit_days = 20
    item.save()
    case = case_factory(at=at(accepted))
    case = services.case_accept(case=case, actor=clerk, now=at(accepted))

    assert due_of(case.promised_due_at) == due
    # The deadline ends at the end of its working day, Asia/Shanghai.
    assert case.promised_due_at.astimezone(TZ).time().isoformat() == "23:59:59.999999"
    assert case.due_provisional is False


def test_acceptance_day_counts_when_the_item_says_so(
    case_factory: CaseFactory, clerk: User, item
) -> None:
    item.acceptance_day_counts = True
    item.promised_limit_days = 1
    item.save()
    case = case_factory(at=at("2026-03-02"))
    case = services.case_accept(case=case, actor=clerk, now=at("2026-03-02"))
    assert due_of(case.promised_due_at) == "2026-03-02"


def test_holiday_monday_does_not_count(case_factory: CaseFactory, clerk: User, item) -> None:
    # 2026-04-06 (Mon) is 清明 holiday: Friday + 1 working day is Tuesday.
    item.promised_limit_days = 1
    item.save()
    case = case_factory(at=at("2026-04-03"))
    case = services.case_accept(case=case, actor=clerk, now=at("2026-04-03"))
    assert due_of(case.promised_due_at) == "2026-04-07"


def test_limits_are_snapshotted_at_acceptance(
    case_factory: CaseFactory, clerk: User, officer: User, item
) -> None:
    case = case_factory(at=at("2026-03-02"), status="accepted")
    assert due_of(case.promised_due_at) == "2026-03-09"
    item.promised_limit_days = 1
    item.statutory_limit_days = 1
    item.save()
    case = services.case_start(case=case, actor=officer, now=at("2026-03-03"))
    case = services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=1, now=at("2026-03-03")
    )
    case = services.case_resume(case=case, actor=officer, now=at("2026-03-03"))
    assert case.promised_limit_days == 5
    assert due_of(case.promised_due_at) == "2026-03-09"


def test_correction_before_acceptance_does_not_consume_the_clock(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=at("2026-03-02"))
    case = services.case_request_correction(
        case=case,
        actor=clerk,
        now=at("2026-03-02"),
        lines=[
            services.CorrectionLine(position=1, problem="身份证复印件不清晰", state="defective")
        ],
    )
    case = services.case_supplement(
        case=case,
        actor=clerk,
        now=at("2026-03-10"),
        lines=[services.MaterialLine(position=1, copies=1, pages=1)],
    )
    case = services.case_accept(case=case, actor=clerk, now=at("2026-03-10"))
    # Clock runs from the acceptance after the supplement: 5 working days after 3-10.
    assert due_of(case.promised_due_at) == "2026-03-17"


def test_suspension_across_a_holiday_pauses_the_clock(
    case_factory: CaseFactory, clerk: User, officer: User, item
) -> None:
    item.promised_limit_days = 5
    item.statutory_limit_days = 20
    item.save()
    # Accepted Tue 2026-09-22: due 5 working days later would be 2026-09-30
    # (9-23, 9-24, 9-28, 9-29, 9-30; 9-25 is 中秋).
    case = case_factory(at=at("2026-09-22"), status="in_progress", officer=officer)
    assert due_of(case.promised_due_at) == "2026-09-30"
    # Expert review from 9-23 to 10-09: 9-24..10-09 do not count (holidays in between anyway).
    case = services.case_suspend(
        case=case, actor=officer, procedure="expert_review", expected_days=5, now=at("2026-09-23")
    )
    assert case.status == Status.SUSPENDED
    case = services.case_resume(case=case, actor=officer, now=at("2026-10-09"))
    # Counted: 9-23 (1); paused 9-24..10-09; then 10-10 (make-up Sat), 10-12, 10-13, 10-14.
    assert due_of(case.promised_due_at) == "2026-10-14"
    resume = CaseEvent.objects.get(case=case, action="resume")
    assert resume.clock["promised_due"] == "2026-10-14"


def test_pause_semantics_on_the_engine() -> None:
    cal = get_calendar()
    inp = ClockInput(
        accepted_on=date(2026, 3, 2),
        acceptance_day_counts=False,
        promised_days=5,
        statutory_days=10,
        extension_days=0,
        warning_days=2,
        pauses=[Pause(start=date(2026, 3, 4), end=date(2026, 3, 6), expected_days=2)],
    )
    clock = compute_clock(inp, cal)
    # 3-3, 3-4 count; 3-5, 3-6 paused; then 3-9, 3-10, 3-11.
    assert clock.promised_due == date(2026, 3, 11)
    assert clock.paused is False


def test_open_suspension_assumes_the_expected_duration() -> None:
    cal = get_calendar()
    inp = ClockInput(
        accepted_on=date(2026, 3, 2),
        acceptance_day_counts=False,
        promised_days=5,
        statutory_days=10,
        extension_days=0,
        warning_days=2,
        pauses=[Pause(start=date(2026, 3, 4), end=None, expected_days=2)],
    )
    clock = compute_clock(inp, cal)
    assert clock.promised_due == date(2026, 3, 11)
    assert clock.paused is True


def test_yellow_day_is_two_working_days_before_or_twenty_percent(
    case_factory: CaseFactory, clerk: User, item
) -> None:
    item.promised_limit_days = 20
    item.statutory_limit_days = 20
    item.save()
    case = case_factory(at=at("2026-03-02"), status="accepted")
    # 20 working days after 3-2 is 3-30; 20% of 20 = 4 > 2: yellow from 3-24.
    assert due_of(case.promised_due_at) == "2026-03-30"
    assert case.warn_at == datetime(2026, 3, 24, tzinfo=TZ)


# ---------------------------------------------------------------- extension


def test_extension_approved_moves_both_dates(
    case_factory: CaseFactory, officer: User, head: User
) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    services.case_request_extension(
        case=case, actor=officer, days=10, reason="需实地核查", now=at("2026-03-05")
    )
    services.case_decide_extension(case=case, actor=head, approve=True, now=at("2026-03-05"))
    case.refresh_from_db()
    assert case.extension_days == 10
    assert due_of(case.promised_due_at) == "2026-03-23"
    assert due_of(case.statutory_due_at) == "2026-03-30"
    approved = CaseEvent.objects.get(case=case, action="approve_extension")
    assert approved.payload["old_clock"]["promised_due"] == "2026-03-09"
    assert approved.clock["promised_due"] == "2026-03-23"


def test_extension_is_capped(case_factory: CaseFactory, officer: User) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    with pytest.raises(InvalidRequest) as refused:
        services.case_request_extension(
            case=case, actor=officer, days=11, reason="复杂", now=at("2026-03-05")
        )
    assert refused.value.message == errors.EXTENSION_TOO_LONG % {"max": 10}


def test_only_one_extension_per_case(case_factory: CaseFactory, officer: User, head: User) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    services.case_request_extension(
        case=case, actor=officer, days=3, reason="a", now=at("2026-03-03")
    )
    services.case_decide_extension(case=case, actor=head, approve=False, now=at("2026-03-03"))
    with pytest.raises(InvalidRequest) as refused:
        services.case_request_extension(
            case=case, actor=officer, days=3, reason="b", now=at("2026-03-04")
        )
    assert refused.value.message == errors.EXTENSION_ALREADY


def test_extension_requested_after_the_statutory_deadline_is_refused(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    with pytest.raises(InvalidRequest) as refused:
        services.case_request_extension(
            case=case, actor=officer, days=5, reason="晚了", now=at("2026-03-17", 9)
        )
    assert refused.value.message == errors.EXTENSION_AFTER_STATUTORY_DEADLINE % {
        "due": "2026-03-16"
    }
    assert not case.extensions.exists()


def test_extension_needs_the_head(case_factory: CaseFactory, officer: User) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    services.case_request_extension(
        case=case, actor=officer, days=5, reason="x", now=at("2026-03-03")
    )
    with pytest.raises(permissions.ActionForbidden):
        services.case_decide_extension(case=case, actor=officer, approve=True, now=at("2026-03-03"))


# ---------------------------------------------------------------- deemed acceptance


def test_deemed_acceptance_at_exactly_five_working_days(case_factory: CaseFactory) -> None:
    received = at("2026-02-12", 15)
    case = case_factory(at=received)
    # 5 working days after 2-12: 2-13, 2-14 (make-up Sat), 2-24, 2-25, 2-26.
    last_moment = datetime(2026, 2, 26, 23, 59, 59, tzinfo=TZ)
    with pytest.raises(TransitionRefused):
        services.case_deem_accept(case=case, now=last_moment)

    case = services.case_deem_accept(case=case, now=last_moment + timedelta(seconds=1))

    assert case.status == Status.ACCEPTED
    assert case.deemed_accepted is True
    assert case.accepted_at == received
    event = CaseEvent.objects.get(case=case, action="deem_accept")
    assert event.actor is None
    assert "行政许可法第三十二条" in event.payload["rule"]


def test_a_correction_notice_prevents_deemed_acceptance(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=at("2026-03-02"))
    case = services.case_request_correction(
        case=case,
        actor=clerk,
        now=at("2026-03-06"),
        lines=[services.CorrectionLine(position=1, problem="缺少")],
    )
    assert case.deemed_acceptance_at is None


def test_correction_after_five_working_days_is_refused(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=at("2026-03-02"))
    with pytest.raises(InvalidRequest) as refused:
        services.case_request_correction(
            case=case,
            actor=clerk,
            now=at("2026-03-10"),
            lines=[services.CorrectionLine(position=1, problem="缺少")],
        )
    assert refused.value.message == errors.CORRECTION_TOO_LATE


def test_second_notice_may_not_ask_for_new_items(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=at("2026-03-02"))
    case = services.case_request_correction(
        case=case,
        actor=clerk,
        now=at("2026-03-02"),
        lines=[services.CorrectionLine(position=1, problem="不清晰", state="defective")],
    )
    case = services.case_supplement(
        case=case,
        actor=clerk,
        now=at("2026-03-03"),
        lines=[services.MaterialLine(position=1, copies=1)],
    )
    with pytest.raises(InvalidRequest) as refused:
        services.case_request_correction(
            case=case,
            actor=clerk,
            now=at("2026-03-03"),
            lines=[services.CorrectionLine(position=2, problem="未签名")],
        )
    assert "申请表" in refused.value.message


def test_working_days_used_until_the_decision_excludes_pauses(
    case_factory: CaseFactory, officer: User
) -> None:
    case = case_factory(at=at("2026-03-02"), status="in_progress", officer=officer)
    case = services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=2, now=at("2026-03-04")
    )
    case = services.case_resume(case=case, actor=officer, now=at("2026-03-06"))
    case = services.case_decide(case=case, actor=officer, decision="approved", now=at("2026-03-10"))
    # Counted: 3-3, 3-4, 3-9, 3-10 (3-5 and 3-6 paused).
    assert case.decision_working_days == 4


def test_immediate_sub_item_of_a_bundle_runs_on_the_bundles_limits(
    county, clerk: User, department
) -> None:
    from tests.conftest import applicant, complete_materials
    from tests.factories import ServiceItemFactory

    bundle = ServiceItemFactory(
        code="BUNDLE-T",
        kind="joint",
        department=department,
        promised_limit_days=10,
        statutory_limit_days=45,
    )
    cancel = ServiceItemFactory(
        code="GA-HKZX-T",
        kind="immediate",
        department=department,
        promised_limit_days=0,
        statutory_limit_days=0,
    )
    parent = services.case_receive(
        center=county,
        item=bundle,
        actor=clerk,
        applicant=applicant(),
        materials=complete_materials(bundle),
        now=at("2026-03-02"),
    )
    child = services.case_receive(
        center=county,
        item=cancel,
        actor=clerk,
        applicant=applicant(),
        materials=complete_materials(cancel),
        parent=parent,
        now=at("2026-03-02"),
    )
    child = services.case_accept(case=child, actor=clerk, now=at("2026-03-02"))

    assert (child.promised_limit_days, child.statutory_limit_days) == (10, 45)
    assert due_of(child.promised_due_at) == "2026-03-16"
    assert child.item_snapshot["limits_from_bundle"] == "BUNDLE-T"
