"""A referral is never a dead end: answered, turned into a case, or declined back to 首问."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import staff
from tests.workflows.firstquestion.conftest import ConsultationFactory
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.catalog import roles
from workflows.catalog.models import Center, Department
from workflows.firstquestion import errors, services
from workflows.firstquestion.models import ConsultationStatus, ReferralState
from workflows.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_declined_referral_returns_to_the_first_responder_with_the_reason(
    consultation_factory: ConsultationFactory, clerk: User, officer: User, department: Department
) -> None:
    consultation = consultation_factory(department=department)
    referral = consultation.referrals.get()

    services.referral_acknowledge(referral=referral, actor=officer)
    services.referral_decline(referral=referral, actor=officer, reason="属于民政事项，请转民政")

    referral.refresh_from_db()
    consultation.refresh_from_db()
    assert referral.state == ReferralState.DECLINED
    assert referral.decline_reason == "属于民政事项，请转民政"
    assert referral.resolved_by == officer
    assert consultation.status == ConsultationStatus.RETURNED
    assert consultation.first_responder == clerk
    notice = Notification.objects.get(recipient=clerk)
    assert "退回" in notice.title
    assert "属于民政事项" in notice.body
    assert [e.action for e in consultation.events.order_by("pk")] == [
        "log",
        "refer",
        "acknowledge",
        "decline",
    ]


def test_after_a_refusal_the_first_responder_refers_again_and_it_gets_answered(
    consultation_factory: ConsultationFactory,
    clerk: User,
    officer: User,
    other_officer: User,
    department: Department,
    other_department: Department,
) -> None:
    consultation = consultation_factory(department=department)
    services.referral_decline(
        referral=consultation.referrals.get(), actor=officer, reason="不属于公安"
    )

    second = services.consultation_refer(
        consultation=consultation,
        actor=clerk,
        target=services.ReferralTarget(kind="department", department=other_department),
    )
    services.referral_answer(referral=second, actor=other_officer, answer="已电话告知办理条件")

    consultation.refresh_from_db()
    second.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.answer == "已电话告知办理条件"
    assert consultation.answered_by == other_officer
    assert second.state == ReferralState.ANSWERED
    assert second.acknowledged_by == other_officer  # answering is acknowledging
    assert Notification.objects.filter(recipient=clerk, title__contains="已答复").count() == 1


def test_only_the_receiver_may_act(
    consultation_factory: ConsultationFactory,
    other_officer: User,
    clerk: User,
    department: Department,
) -> None:
    referral = consultation_factory(department=department).referrals.get()

    for actor in (other_officer, clerk):
        with pytest.raises(ActionForbidden) as refused:
            services.referral_acknowledge(referral=referral, actor=actor)
        assert refused.value.message == str(errors.NOT_RECEIVER)
    referral.refresh_from_db()
    assert referral.state == ReferralState.PENDING


def test_window_referral_goes_to_that_centers_clerks(
    consultation_factory: ConsultationFactory,
    officer: User,
    town: Center,
    town_clerk: User,
    clerk: User,
) -> None:
    consultation = consultation_factory(
        actor=officer, target=services.ReferralTarget(kind="window", center=town)
    )
    referral = consultation.referrals.get()

    with pytest.raises(ActionForbidden):
        services.referral_acknowledge(referral=referral, actor=clerk)  # another center
    services.referral_acknowledge(referral=referral, actor=town_clerk)

    referral.refresh_from_db()
    assert referral.state == ReferralState.ACKNOWLEDGED
    assert referral.acknowledged_by == town_clerk


def test_named_colleague_is_notified_and_is_the_only_receiver(
    consultation_factory: ConsultationFactory, county: Center, clerk: User
) -> None:
    colleague = staff("ab_role", roles.CLERK, center=county)
    consultation = consultation_factory(
        target=services.ReferralTarget(kind="person", user=colleague)
    )
    referral = consultation.referrals.get()

    assert Notification.objects.filter(recipient=colleague).count() == 1
    services.referral_acknowledge(referral=referral, actor=colleague)
    services.referral_acknowledge(referral=referral, actor=colleague)  # a double click: no-op
    assert consultation.events.filter(action="acknowledge").count() == 1


def test_a_closed_referral_cannot_be_acted_on_again(
    consultation_factory: ConsultationFactory, officer: User, department: Department
) -> None:
    referral = consultation_factory(department=department).referrals.get()
    services.referral_answer(referral=referral, actor=officer, answer="已答复")

    with pytest.raises(TransitionRefused):
        services.referral_decline(referral=referral, actor=officer, reason="晚了")


def test_decline_needs_a_reason(
    consultation_factory: ConsultationFactory, officer: User, department: Department
) -> None:
    referral = consultation_factory(department=department).referrals.get()

    with pytest.raises(InvalidRequest) as refused:
        services.referral_decline(referral=referral, actor=officer, reason="  ")

    assert refused.value.message == str(errors.DECLINE_REASON_REQUIRED)


def test_one_open_referral_at_a_time(
    consultation_factory: ConsultationFactory,
    clerk: User,
    department: Department,
    other_department: Department,
) -> None:
    consultation = consultation_factory(department=department)

    with pytest.raises(TransitionRefused):
        services.consultation_refer(
            consultation=consultation,
            actor=clerk,
            target=services.ReferralTarget(kind="department", department=other_department),
        )


def test_only_the_first_responder_refers_again(
    consultation_factory: ConsultationFactory,
    officer: User,
    town_clerk: User,
    department: Department,
) -> None:
    consultation = consultation_factory(department=department)
    services.referral_decline(referral=consultation.referrals.get(), actor=officer, reason="否")

    with pytest.raises(ActionForbidden):
        services.consultation_answer(consultation=consultation, actor=town_clerk, answer="x")


def test_first_responder_answering_closes_the_open_referral(
    consultation_factory: ConsultationFactory, clerk: User, department: Department
) -> None:
    consultation = consultation_factory(department=department)

    services.consultation_answer(consultation=consultation, actor=clerk, answer="本人已答复")

    referral = consultation.referrals.get()
    assert referral.state == ReferralState.ANSWERED
    assert referral.resolved_by == clerk
