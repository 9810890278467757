"""The citizens' status page: nothing personal, no existence leak, rate-limited and logged."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import APPLICANT_ID, CaseFactory
from tests.factories import accepted_case, flow_item
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from workflows.cases.models import Case
from workflows.catalog.models import Center, Department
from workflows.catalog.roles import display_name
from workflows.firstquestion import errors
from workflows.firstquestion.models import LookupResult
from workflows.web.models import LookupAttempt, LookupScope

pytestmark = pytest.mark.django_db

NAME, PHONE, ADDRESS = "张三", "13912345678", "平远县大柘镇黄沙村 1 号"


def lookup(number: str, digits: str, *, ip: str = "203.0.113.7", client: Client | None = None):
    return (client or Client()).post(
        reverse("status"), {"number": number, "digits": digits}, REMOTE_ADDR=ip
    )


def logged(**fields: str):
    """The status page's rows in the look-up limiter's log."""
    return LookupAttempt.objects.filter(scope=LookupScope.STATUS, **fields)


def personal_data_absent(html: str, case: Case) -> None:
    for secret in (
        NAME,
        APPLICANT_ID,
        APPLICANT_ID[-8:],
        PHONE,
        "139****5678",
        ADDRESS,
        case.applicant_address,
        case.received_by.get_username(),
        display_name(case.first_responder),
    ):
        assert secret
        assert secret not in html, secret


def test_found_by_phone_or_id_digits__shows_the_stage_and_nothing_personal(
    case_factory: CaseFactory, named_clerk: User
) -> None:
    case = case_factory(status="accepted")

    for digits in ("5678", "1238"):
        response = lookup(case.number, digits)
        html = response.content.decode()
        assert response.status_code == 200
        assert case.item.name in html
        assert "已受理，等待部门办理" in html
        assert timezone.localtime(case.promised_due_at).strftime("%Y-%m-%d") in html
        assert "未超期" in html
        personal_data_absent(html, case)
        assert 'value="5678"' not in html
        assert 'value="1238"' not in html
        assert "no-store" in response["Cache-Control"]
    assert logged(result=LookupResult.FOUND).count() == 2


def test_open_flow_case_shows_the_department_step_and_lateness(
    clerk: User, county: Center, department: Department
) -> None:
    item = flow_item("GA-S1", department, "public_security.review", name="居住证签注")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        case = accepted_case(item=item, clerk=clerk, center=county)
    assert case.promised_due_at is not None
    with time_machine.travel(case.promised_due_at + timedelta(days=1), tick=False):
        html = lookup(case.number, "5678").content.decode()

    assert "当前环节：经办审核" in html
    assert "已超过承诺办结期限" in html
    personal_data_absent(html, case)


def test_provisional_due_date_is_marked(case_factory: CaseFactory) -> None:
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        case = case_factory(status="accepted")
        html = lookup(case.number, "5678").content.decode()

    assert case.due_provisional
    assert "暂定" in html


def test_no_such_case_and_wrong_digits_look_the_same(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted")
    missing = "PY-2026-999999"

    wrong = lookup(case.number, "0000")
    unknown = lookup(missing, "5678")

    def normalise(response, number: str) -> str:
        html = response.content.decode().replace(number, "NUMBER")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert wrong.status_code == unknown.status_code
    assert str(errors.STATUS_NOT_FOUND) in wrong.content.decode()
    assert normalise(wrong, case.number) == normalise(unknown, missing)
    assert case.item.name not in wrong.content.decode()


def test_too_many_wrong_guesses_for_a_case_number_are_refused_and_logged(
    case_factory: CaseFactory, caplog: pytest.LogCaptureFixture
) -> None:
    case = case_factory(status="accepted")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for n, ip in enumerate(["198.51.100.1", "198.51.100.2"] * 2 + ["198.51.100.3"]):
            assert lookup(case.number, f"{n:04d}", ip=ip).status_code == 404
        with caplog.at_level(logging.WARNING, logger="workflows.firstquestion.services"):
            refused = lookup(case.number, "5678", ip="198.51.100.9")  # even the right digits

    html = refused.content.decode()
    assert refused.status_code == 429
    assert str(errors.STATUS_TOO_MANY) % {"until": "10:05"} in html
    assert refused["Retry-After"] == "300"
    assert case.item.name not in html
    assert logged(target=case.number, result="wrong").count() == 5
    assert logged(target=case.number, result="refused").count() == 1
    assert "status lookup refused" in caplog.text
    # Five minutes later (not an hour) the case number may be looked up again.
    with time_machine.travel("2026-03-10 10:05 +0800", tick=False):
        assert lookup(case.number, "5678", ip="198.51.100.9").status_code == 200


@override_settings(LOOKUP_WRONG_PER_ADDRESS=3)
def test_too_many_wrong_guesses_from_one_address_are_refused(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted")
    for n in range(3):
        assert lookup(f"PY-2026-90000{n}", "1111", ip="192.0.2.5").status_code == 404

    assert lookup(case.number, "5678", ip="192.0.2.5").status_code == 429
    assert lookup(case.number, "5678", ip="192.0.2.6").status_code == 200  # another address
    assert logged(ip="192.0.2.5", result="refused").count() == 1


def test_malformed_input_is_explained_and_not_counted(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted")

    response = lookup(case.number, "12")

    assert response.status_code == 400
    assert str(errors.STATUS_FORMAT) in response.content.decode()
    assert not logged().exists()


def test_lowercase_and_full_width_input_is_understood(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted")
    typed = case.number.lower().replace("-", "－")

    assert lookup(typed, "５６７８").status_code == 200


def test_the_form_needs_csrf_and_no_login(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted")
    strict = Client(enforce_csrf_checks=True)

    page = strict.get(reverse("status") + f"?number={case.number}")
    assert page.status_code == 200
    assert f'value="{case.number}"' in page.content.decode()  # the receipts' link prefills it
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert lookup(case.number, "5678", client=strict).status_code == 403
    assert not logged().exists()


def test_mounted_at_status_under_the_name_the_receipts_use() -> None:
    from documents.views import _status_url

    assert reverse("status") == "/status/"
    assert _status_url("PY-2026-000001") == "/status/?number=PY-2026-000001"
