"""咨询登记 over HTTP: a few keystrokes, a clear refusal, the senior one as 首问责任人."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.workflows.firstquestion.conftest import CITIZEN_NAME, CITIZEN_PHONE, login
from workflows.catalog.models import Department
from workflows.firstquestion import errors
from workflows.firstquestion.models import Consultation, ConsultationStatus, ReferralState

pytestmark = pytest.mark.django_db


def data(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {
        "key": "b" * 32,
        "channel": "phone",
        "citizen_name": CITIZEN_NAME,
        "citizen_phone": CITIZEN_PHONE,
        "matter": "低保怎么申请？",
        "outcome": "answer",
        "answer": "已告知到村委会申请。",
    }
    values.update(overrides)
    return values


def test_the_form_offers_the_outcomes_with_access_keys(clerk: User) -> None:
    page = login(clerk).get(reverse("firstquestion:log")).content.decode()

    for key in ('accesskey="j"', 'accesskey="z"', 'accesskey="s"'):
        assert key in page
    assert 'name="channel"' in page


def test_answered_on_the_spot(clerk: User) -> None:
    response = login(clerk).post(reverse("firstquestion:log"), data())

    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "firstquestion:consultation", kwargs={"pk": consultation.pk}
    )
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.first_responder == clerk


def test_senior_colleague_present_is_first_responder_and_the_page_says_so(
    clerk: User, senior_clerk: User
) -> None:
    client = login(clerk)
    page = client.get(reverse("firstquestion:log")).content.decode()
    assert f'value="{senior_clerk.pk}"' in page  # offered as present

    response = client.post(reverse("firstquestion:log"), data(present=[str(senior_clerk.pk)]))

    consultation = Consultation.objects.get()
    assert consultation.first_responder == senior_clerk
    shown = client.get(response["Location"]).content.decode()
    assert "首问责任人为 陈建国" in shown  # the message after logging
    assert "<dd>陈建国</dd>" in shown


def test_referred_to_a_department(clerk: User, department: Department) -> None:
    response = login(clerk).post(
        reverse("firstquestion:log"),
        data(outcome="refer", target_kind="department", to_department=str(department.pk)),
    )

    assert response.status_code == 302
    referral = Consultation.objects.get().referrals.get()
    assert referral.state == ReferralState.PENDING
    assert referral.to_department == department


def test_refer_without_a_target_is_refused_and_keeps_what_was_typed(clerk: User) -> None:
    response = login(clerk).post(reverse("firstquestion:log"), data(outcome="refer"))

    page = response.content.decode()
    assert response.status_code == 200
    assert str(errors.TARGET_REQUIRED) in page
    assert CITIZEN_NAME in page
    assert not Consultation.objects.exists()


def test_an_officer_turning_it_into_an_application_is_told_to_refer_to_the_window(
    officer: User,
) -> None:
    response = login(officer).post(reverse("firstquestion:log"), data(outcome="apply"))

    assert response.status_code == 400
    assert str(errors.APPLICATION_NEEDS_CLERK) in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_double_click_logs_once(clerk: User) -> None:
    client = login(clerk)
    client.post(reverse("firstquestion:log"), data())
    client.post(reverse("firstquestion:log"), data())

    assert Consultation.objects.count() == 1


def test_declined_referral_over_http_returns_to_first_responder(
    clerk: User, officer: User, department: Department
) -> None:
    login(clerk).post(
        reverse("firstquestion:log"),
        data(outcome="refer", target_kind="department", to_department=str(department.pk)),
    )
    consultation = Consultation.objects.get()
    referral = consultation.referrals.get()
    officer_client = login(officer)
    inbox = officer_client.get(reverse("firstquestion:referrals")).content.decode()
    assert consultation.matter in inbox
    assert CITIZEN_PHONE not in inbox  # masked in lists

    empty = officer_client.post(
        reverse("firstquestion:referral_decline", kwargs={"pk": referral.pk}), {"reason": ""}
    )
    assert empty.status_code == 400
    assert str(errors.DECLINE_REASON_REQUIRED) in empty.content.decode()

    officer_client.post(
        reverse("firstquestion:referral_decline", kwargs={"pk": referral.pk}),
        {"reason": "属于民政"},
    )

    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.RETURNED
    page = (
        login(clerk)
        .get(reverse("firstquestion:consultation", kwargs={"pk": consultation.pk}))
        .content.decode()
    )
    assert "属于民政" in page
    assert "转办已被退回" in page


def test_an_unrelated_officer_cannot_open_the_consultation(
    clerk: User, other_officer: User, department: Department
) -> None:
    login(clerk).post(
        reverse("firstquestion:log"),
        data(outcome="refer", target_kind="department", to_department=str(department.pk)),
    )
    consultation = Consultation.objects.get()

    response = login(other_officer).get(
        reverse("firstquestion:consultation", kwargs={"pk": consultation.pk})
    )

    assert response.status_code == 404
    assert CITIZEN_NAME not in response.content.decode()
