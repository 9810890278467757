"""咨询登记: the record rule 10 asks for, and who is 首问责任人 when several staff were asked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import staff
from tests.workflows.firstquestion.conftest import CITIZEN_PHONE, ConsultationFactory
from workflows.cases.errors import ActionForbidden, InvalidRequest
from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.firstquestion import errors, services
from workflows.firstquestion.models import (
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    Referral,
    ReferralState,
)

pytestmark = pytest.mark.django_db


def test_answered_on_the_spot__records_who_when_how_and_what(
    consultation_factory: ConsultationFactory, clerk: User, county: Center, item: ServiceItem
) -> None:
    consultation = consultation_factory(
        outcome="answer", channel="phone", item=item, citizen_phone="137 2222 3333"
    )

    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.first_responder == clerk
    assert consultation.logged_by == clerk
    assert consultation.center == county
    assert consultation.channel == "phone"
    assert consultation.citizen_phone == CITIZEN_PHONE  # normalised
    assert consultation.item == item
    assert consultation.answer == "已告知所需材料。"
    assert consultation.answered_by == clerk
    assert list(consultation.present.all()) == [clerk]
    (event,) = ConsultationEvent.objects.filter(consultation=consultation)
    assert event.action == "log"
    assert event.payload["first_responder"] == clerk.pk
    assert not Referral.objects.exists()


def test_referred__opens_a_tracked_referral_with_a_deadline(
    consultation_factory: ConsultationFactory, department: Department
) -> None:
    consultation = consultation_factory(department=department, note="请电话答复")

    (referral,) = consultation.referrals.all()
    assert consultation.status == ConsultationStatus.REFERRED
    assert referral.state == ReferralState.PENDING
    assert referral.to_department == department
    assert referral.note == "请电话答复"
    assert referral.ack_due_at > referral.created_at
    assert [e.action for e in consultation.events.order_by("pk")] == ["log", "refer"]


def test_the_senior_staff_member_present_becomes_first_responder(
    consultation_factory: ConsultationFactory, clerk: User, senior_clerk: User
) -> None:
    # The junior clerk logs it, but the section chief was asked with them.
    consultation = consultation_factory(outcome="answer", present=[senior_clerk])

    assert consultation.first_responder == senior_clerk
    assert consultation.logged_by == clerk
    assert set(consultation.present.all()) == {clerk, senior_clerk}
    event = consultation.events.get(action="log")
    assert set(event.payload["present"]) == {clerk.pk, senior_clerk.pk}


def test_equal_rank__the_logger_stays_first_responder(
    consultation_factory: ConsultationFactory, clerk: User, county: Center
) -> None:
    colleague = staff("clerk2", roles.CLERK, center=county, rank=1)

    consultation = consultation_factory(outcome="answer", present=[colleague])

    assert consultation.first_responder == clerk


def test_senior_of__picks_the_highest_rank(clerk: User, senior_clerk: User, county: Center) -> None:
    junior = staff("clerk3", roles.CLERK, center=county, rank=1)
    assert services.senior_of(junior, [clerk, senior_clerk]) == senior_clerk
    assert services.senior_of(senior_clerk, [clerk]) == senior_clerk


def test_application_by_a_non_clerk_is_refused_with_what_to_do(
    consultation_factory: ConsultationFactory, officer: User
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        consultation_factory(actor=officer, outcome="apply")

    assert refused.value.message == str(errors.APPLICATION_NEEDS_CLERK)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"citizen_name": " "}, errors.NAME_REQUIRED),
        ({"citizen_phone": ""}, errors.PHONE_REQUIRED),
        ({"matter": ""}, errors.MATTER_REQUIRED),
        ({"channel": "fax"}, errors.CHANNEL_INVALID),
        ({"outcome": "answer", "answer": ""}, errors.ANSWER_REQUIRED),
    ],
)
def test_incomplete_input_is_refused_clearly(
    consultation_factory: ConsultationFactory,
    department: Department,
    overrides: dict[str, str],
    message: object,
) -> None:
    outcome = overrides.pop("outcome", "refer")
    with pytest.raises(InvalidRequest) as refused:
        consultation_factory(department=department, outcome=outcome, **overrides)

    assert refused.value.message == str(message)
    assert not Consultation.objects.exists()


def test_bad_phone_says_what_is_wrong(consultation_factory: ConsultationFactory) -> None:
    with pytest.raises(InvalidRequest) as refused:
        consultation_factory(outcome="answer", citizen_phone="12345")

    assert "号码" in refused.value.message


def test_referral_to_oneself_is_refused(
    consultation_factory: ConsultationFactory, clerk: User
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        consultation_factory(target=services.ReferralTarget(kind="person", user=clerk))

    assert refused.value.message == str(errors.TARGET_SELF)


def test_referral_without_target_is_refused(consultation_factory: ConsultationFactory) -> None:
    with pytest.raises(InvalidRequest) as refused:
        consultation_factory(target=services.ReferralTarget(kind="department"))

    assert refused.value.message == str(errors.TARGET_REQUIRED)


def test_a_user_without_staff_profile_cannot_log(
    consultation_factory: ConsultationFactory, django_user_model: type[User]
) -> None:
    stranger = django_user_model.objects.create_user("stranger")

    with pytest.raises(ActionForbidden):
        consultation_factory(actor=stranger, outcome="answer")


def test_double_submit_with_the_same_key_logs_once(
    consultation_factory: ConsultationFactory,
) -> None:
    first = consultation_factory(outcome="answer", idempotency_key="k1")
    again = consultation_factory(outcome="answer", idempotency_key="k1")

    assert again.pk == first.pk
    assert Consultation.objects.count() == 1
