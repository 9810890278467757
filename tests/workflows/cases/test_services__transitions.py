"""Every legal transition works and writes one event; every illegal one is refused cleanly."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.conftest import CaseFactory, applicant
from workflows.cases import errors, services
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.cases.models import Case, CaseEvent, CaseMaterial, Status, Suspension

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)


def events(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True)
    )


def test_receive_numbers_the_case_and_makes_the_clerk_first_responder(
    case_factory: CaseFactory, clerk: User
) -> None:
    case = case_factory(at=MONDAY)

    assert case.number == "PY-2026-000001"
    assert case.status == Status.RECEIVED
    assert case.first_responder == clerk
    assert case.received_by == clerk
    assert case.materials.filter(state=CaseMaterial.State.RECEIVED).count() == 3
    assert events(case) == ["receive"]


def test_full_lifecycle_to_closed(case_factory: CaseFactory, clerk: User, officer: User) -> None:
    case = case_factory(at=MONDAY)
    case = services.case_accept(case=case, actor=clerk, now=MONDAY)
    case = services.case_start(case=case, actor=officer, now=MONDAY)
    case = services.case_suspend(
        case=case, actor=officer, procedure="expert_review", expected_days=3, now=MONDAY
    )
    case = services.case_resume(case=case, actor=officer, now=MONDAY)
    case = services.case_decide(case=case, actor=officer, decision="approved", now=MONDAY)
    case = services.case_close(case=case, actor=clerk, delivery_method="window", now=MONDAY)

    assert case.status == Status.CLOSED
    assert case.delivered_by == clerk
    assert events(case) == ["receive", "accept", "start", "suspend", "resume", "decide", "close"]
    assert [e.to_status for e in case.events.order_by("seq")] == [
        "received",
        "accepted",
        "in_progress",
        "suspended",
        "in_progress",
        "decided",
        "closed",
    ]


def test_correction_supplement_accept(case_factory: CaseFactory, clerk: User, item) -> None:
    case = case_factory(at=MONDAY)
    case = services.case_request_correction(
        case=case,
        actor=clerk,
        now=MONDAY,
        lines=[services.CorrectionLine(position=2, problem="申请表未签名", state="defective")],
    )
    assert case.status == Status.AWAITING_CORRECTION
    assert case.correction_items[0]["problem"] == "申请表未签名"

    case = services.case_supplement(
        case=case,
        actor=clerk,
        now=MONDAY,
        lines=[services.MaterialLine(position=2, copies=1, pages=1)],
    )
    assert case.status == Status.RECEIVED
    case = services.case_accept(case=case, actor=clerk, now=MONDAY)
    assert case.status == Status.ACCEPTED
    assert events(case) == ["receive", "request_correction", "supplement", "accept"]


def test_reject_with_reason_and_competent_organ(case_factory: CaseFactory, clerk: User) -> None:
    case = case_factory(at=MONDAY)
    case = services.case_reject(
        case=case,
        actor=clerk,
        reason="不属于本机关职权范围",
        competent_organ="梅州市公安局",
        now=MONDAY,
    )
    assert case.status == Status.REJECTED
    assert case.competent_organ == "梅州市公安局"


@pytest.mark.parametrize("status", ["received", "accepted", "in_progress"])
def test_withdraw_from_open_states(
    case_factory: CaseFactory, clerk: User, officer: User, status: str
) -> None:
    case = case_factory(at=MONDAY, status=status, officer=officer)
    case = services.case_withdraw(case=case, actor=clerk, reason="申请人撤回申请", now=MONDAY)
    assert case.status == Status.WITHDRAWN


def test_withdraw_during_special_procedure_ends_it(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    case = services.case_suspend(
        case=case, actor=officer, procedure="testing", expected_days=5, now=MONDAY
    )
    services.case_withdraw(case=case, actor=clerk, reason="申请人撤回", now=MONDAY)
    assert not Suspension.objects.filter(case=case, ended_at__isnull=True).exists()


ILLEGAL = [
    # (status reached, service, kwargs builder)
    ("received", "case_start", {}),
    ("received", "case_decide", {"decision": "approved"}),
    ("received", "case_close", {"delivery_method": "window"}),
    ("received", "case_resume", {}),
    ("received", "case_supplement", {"lines": []}),
    ("accepted", "case_accept", {}),
    ("accepted", "case_reject", {"reason": "x"}),
    ("accepted", "case_suspend", {"procedure": "testing", "expected_days": 2}),
    ("in_progress", "case_accept", {}),
    ("in_progress", "case_close", {"delivery_method": "window"}),
    (
        "in_progress",
        "case_request_correction",
        {"lines": [services.CorrectionLine(position=1, problem="x")]},
    ),
]


@pytest.mark.parametrize(("status", "service", "kwargs"), ILLEGAL)
def test_illegal_transitions_are_refused_without_an_event(
    case_factory: CaseFactory,
    clerk: User,
    officer: User,
    status: str,
    service: str,
    kwargs: dict,
) -> None:
    case = case_factory(at=MONDAY, status=status, officer=officer)
    before = list(case.events.values_list("pk", flat=True))
    actor = (
        officer
        if service in {"case_start", "case_decide", "case_resume", "case_suspend"}
        else clerk
    )

    with pytest.raises(TransitionRefused) as refused:
        getattr(services, service)(case=case, actor=actor, now=MONDAY, **kwargs)

    assert "不能执行" in refused.value.message
    case.refresh_from_db()
    assert case.status == status
    assert list(case.events.values_list("pk", flat=True)) == before


def test_closed_case_refuses_everything(
    case_factory: CaseFactory, clerk: User, officer: User
) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    case = services.case_decide(case=case, actor=officer, decision="approved", now=MONDAY)
    case = services.case_close(case=case, actor=clerk, delivery_method="post", now=MONDAY)
    with pytest.raises(TransitionRefused):
        services.case_withdraw(case=case, actor=clerk, reason="x", now=MONDAY)
    with pytest.raises(TransitionRefused):
        services.case_close(case=case, actor=clerk, delivery_method="post", now=MONDAY)


def test_accept_refused_when_required_material_missing(
    case_factory: CaseFactory, clerk: User, item
) -> None:
    first = item.materials.get(position=1)
    case = case_factory(
        at=MONDAY, materials=[services.MaterialLine(material_id=first.pk, copies=1)]
    )

    with pytest.raises(InvalidRequest) as refused:
        services.case_accept(case=case, actor=clerk, now=MONDAY)

    assert "申请表" in refused.value.message
    assert events(case) == ["receive"]


def test_clerk_of_another_center_is_forbidden(case_factory: CaseFactory, town_clerk: User) -> None:
    case = case_factory(at=MONDAY)
    with pytest.raises(ActionForbidden) as refused:
        services.case_accept(case=case, actor=town_clerk, now=MONDAY)
    assert refused.value.message == errors.NOT_YOUR_CENTER % {"center": "平远县党群服务中心"}
    assert events(case) == ["receive"]


def test_officer_of_another_department_is_forbidden(
    case_factory: CaseFactory, other_officer: User
) -> None:
    case = case_factory(at=MONDAY, status="accepted")
    with pytest.raises(ActionForbidden):
        services.case_start(case=case, actor=other_officer, now=MONDAY)


def test_decision_needing_the_head(
    case_factory: CaseFactory, officer: User, head: User, item
) -> None:
    item.decision_needs_head = True
    item.save()
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    with pytest.raises(ActionForbidden) as refused:
        services.case_decide(case=case, actor=officer, decision="approved", now=MONDAY)
    assert refused.value.message == errors.HEAD_REQUIRED % {"department": "公安"}
    case = services.case_decide(case=case, actor=head, decision="approved", now=MONDAY)
    assert case.status == Status.DECIDED


def test_denial_needs_a_reason(case_factory: CaseFactory, officer: User) -> None:
    case = case_factory(at=MONDAY, status="in_progress", officer=officer)
    with pytest.raises(InvalidRequest) as refused:
        services.case_decide(case=case, actor=officer, decision="denied", now=MONDAY)
    assert refused.value.message == errors.DENIAL_NEEDS_REASON


def test_immediate_item_decided_at_the_window(case_factory: CaseFactory, clerk: User, item) -> None:
    item.kind = "immediate"
    item.promised_limit_days = 0
    item.statutory_limit_days = 0
    item.save()
    case = case_factory(at=MONDAY, status="accepted")
    case = services.case_decide(case=case, actor=clerk, decision="approved", now=MONDAY)
    assert case.status == Status.DECIDED


def test_bad_applicant_id_is_refused_with_the_reason(county, item, clerk: User) -> None:
    with pytest.raises(InvalidRequest) as refused:
        services.case_receive(
            center=county,
            item=item,
            actor=clerk,
            applicant=applicant(id_number="441426199001011234"),
        )
    assert "校验码" in refused.value.message
    assert not Case.objects.exists()
