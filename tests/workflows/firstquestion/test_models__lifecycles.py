"""A consultation's status and a referral's state move only by their lifecycle's steps."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.workflows.firstquestion.conftest import ConsultationFactory, login
from workflows.catalog.models import Department
from workflows.firstquestion import errors, services
from workflows.firstquestion.models import ConsultationStatus, ReferralState

pytestmark = pytest.mark.django_db


def test_status_and_state_cannot_be_set_by_hand(
    consultation_factory: ConsultationFactory, department: Department
) -> None:
    consultation = consultation_factory(department=department)
    referral = consultation.referrals.get()

    with pytest.raises(AttributeError):
        consultation.status = ConsultationStatus.ANSWERED
    with pytest.raises(AttributeError):
        referral.state = ReferralState.ANSWERED
    consultation.refresh_from_db()  # reloading is not setting by hand
    assert consultation.status == ConsultationStatus.REFERRED


def test_a_step_the_lifecycle_does_not_allow_is_a_clear_refusal_on_the_page(
    consultation_factory: ConsultationFactory, clerk: User, officer: User, department: Department
) -> None:
    consultation = consultation_factory(department=department)
    referral = consultation.referrals.get()
    services.referral_answer(referral=referral, actor=officer, answer="已电话答复。")

    declined = login(officer).post(
        f"/first-question/referrals/{referral.pk}/decline/", {"reason": "不属于本部门"}
    )
    applied = login(clerk).post(f"/first-question/consultations/{consultation.pk}/apply/")

    assert declined.status_code == 409
    assert (
        str(errors.REFERRAL_CLOSED % {"state": "已答复", "action": errors.ACTION_DECLINE})
        in declined.content.decode()
    )
    assert applied.status_code == 409
    assert (
        str(errors.CONSULTATION_CLOSED % {"status": "已解答", "action": errors.ACTION_APPLY})
        in applied.content.decode()
    )


def test_a_step_on_a_copy_read_before_another_step_uses_the_current_status(
    consultation_factory: ConsultationFactory, clerk: User, officer: User, department: Department
) -> None:
    consultation = consultation_factory(department=department)  # read while referred
    services.referral_decline(
        referral=consultation.referrals.get(), actor=officer, reason="属于民政事项"
    )

    done = services.consultation_to_application(consultation=consultation, actor=clerk)

    assert done.status == ConsultationStatus.APPLICATION
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.APPLICATION
