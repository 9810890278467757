"""A consultation turned into an application: the real window intake, prefilled and linked."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.workflows.firstquestion.conftest import (
    CITIZEN_NAME,
    CITIZEN_PHONE,
    ConsultationFactory,
    login,
)
from tests.workflows.window.conftest import intake_data
from workflows.cases.models import Case, Status
from workflows.catalog.models import Center, ServiceItem
from workflows.firstquestion import errors, services
from workflows.firstquestion.models import Consultation, ConsultationStatus, ReferralState

pytestmark = pytest.mark.django_db


def intake_url(item: ServiceItem, consultation: Consultation) -> str:
    return (
        reverse("window:intake", kwargs={"code": item.code})
        + "?"
        + urlencode({"consultation": consultation.pk})
    )


def log_data(**overrides: str) -> dict[str, str]:
    data = {
        "key": "a" * 32,
        "channel": "visit",
        "citizen_name": CITIZEN_NAME,
        "citizen_phone": CITIZEN_PHONE,
        "matter": "想把户口迁到县城",
        "outcome": "apply",
    }
    data.update(overrides)
    return data


def test_logged_consultation_becomes_a_case_whose_first_responder_is_the_logger(
    clerk: User, item: ServiceItem
) -> None:
    client = login(clerk)

    logged = client.post(reverse("firstquestion:log"), log_data(item=str(item.pk)))

    consultation = Consultation.objects.get()
    assert consultation.status == ConsultationStatus.APPLICATION
    assert logged.status_code == 302
    assert logged["Location"] == intake_url(item, consultation)

    page = client.get(logged["Location"]).content.decode()
    assert re.search(rf'name="p-name"[^>]*value="{CITIZEN_NAME}"', page)
    assert re.search(rf'name="p-phone"[^>]*value="{CITIZEN_PHONE}"', page)
    assert f"来自咨询登记 #{consultation.pk}" in page

    response = client.post(
        logged["Location"],
        intake_data(item, **{"p-name": CITIZEN_NAME, "p-phone": CITIZEN_PHONE}),
    )

    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    consultation.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.first_responder == clerk
    assert consultation.case == case
    assert consultation.status == ConsultationStatus.CASE
    assert case.events.get(action="receive").payload["first_responder"] == clerk.pk
    assert consultation.events.filter(action="case").count() == 1


def test_the_consultations_first_responder_not_the_receiving_clerk_is_the_cases(
    clerk: User,
    officer: User,
    county: Center,
    item: ServiceItem,
    consultation_factory: ConsultationFactory,
) -> None:
    # An officer took the phone call and referred it to the county window.
    consultation = consultation_factory(
        actor=officer, target=services.ReferralTarget(kind="window", center=county)
    )
    client = login(clerk)
    detail = client.get(reverse("firstquestion:consultation", kwargs={"pk": consultation.pk}))
    chooser = reverse("window:choose_item") + f"?consultation={consultation.pk}"
    assert f'href="{chooser}"' in detail.content.decode()

    response = client.post(intake_url(item, consultation), intake_data(item))

    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert case.first_responder == officer
    assert case.received_by == clerk
    referral = consultation.referrals.get()
    assert referral.state == ReferralState.CASE
    assert referral.resolved_by == clerk


def test_double_submitted_intake_links_once(
    clerk: User, item: ServiceItem, consultation_factory: ConsultationFactory
) -> None:
    consultation = consultation_factory(outcome="apply", item=item)
    client = login(clerk)
    data = intake_data(item)

    first = client.post(intake_url(item, consultation), data)
    second = client.post(intake_url(item, consultation), data)

    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    assert consultation.events.filter(action="case").count() == 1


def test_a_consultation_already_a_case_cannot_be_linked_again(
    clerk: User, item: ServiceItem, consultation_factory: ConsultationFactory
) -> None:
    consultation = consultation_factory(outcome="apply", item=item)
    client = login(clerk)
    client.post(intake_url(item, consultation), intake_data(item))
    number = Case.objects.get().number

    response = client.post(intake_url(item, consultation), intake_data(item))

    assert response.status_code == 409
    assert str(errors.ALREADY_CASE % {"number": number}) in response.content.decode()
    assert Case.objects.count() == 1  # the refused intake left nothing behind


def test_without_an_item_the_chooser_carries_the_consultation_through(
    clerk: User, item: ServiceItem, consultation_factory: ConsultationFactory
) -> None:
    client = login(clerk)
    logged = client.post(reverse("firstquestion:log"), log_data())
    consultation = Consultation.objects.get()
    chooser = reverse("window:choose_item") + f"?consultation={consultation.pk}"
    assert logged["Location"] == chooser

    page = client.get(chooser).content.decode()
    assert (
        f"{reverse('window:intake', kwargs={'code': item.code})}?consultation={consultation.pk}"
        in page
    )
    searched = client.get(chooser + "&q=户口")
    assert searched.status_code == 302
    assert searched["Location"] == intake_url(item, consultation)


def test_someone_elses_consultation_is_not_found(
    town_clerk: User, item: ServiceItem, consultation_factory: ConsultationFactory
) -> None:
    consultation = consultation_factory(outcome="apply", item=item)  # county clerk's

    response = login(town_clerk).get(intake_url(item, consultation))

    assert response.status_code == 404
    assert CITIZEN_NAME not in response.content.decode()
