"""A center's counter is taken last: windows do not queue behind each other's whole intake."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.urls import reverse

from documents.models import Document, DocumentKind
from tests.concurrency import run_together
from tests.conftest import applicant, complete_materials
from tests.factories import CenterFactory, ServiceItemFactory, staff
from tests.workflows.window.conftest import intake_data, login
from workflows.calendar.services import calendar_seed
from workflows.cases import numbering, services
from workflows.cases.models import Case, Status
from workflows.catalog import roles

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)


@pytest.fixture
def world(transactional_db: None) -> dict[str, object]:
    calendar_seed()
    county = CenterFactory(code="PY", name="平远县党群服务中心")
    item = ServiceItemFactory(code="GA-TEST")
    clerk = staff("clerk", roles.CLERK, center=county)
    return {"county": county, "item": item, "clerk": clerk}


def _receive_and_accept(world: dict) -> Case:
    case = services.case_receive(
        center=world["county"],
        item=world["item"],
        actor=world["clerk"],
        applicant=applicant(),
        materials=complete_materials(world["item"]),
        now=MONDAY,
    )
    return services.case_accept(case=case, actor=world["clerk"], now=MONDAY)


def test_a_window_mid_intake_does_not_hold_up_another_window_of_its_center(world: dict) -> None:
    inside = threading.Event()
    release = threading.Event()
    numbers: dict[str, str] = {}

    def slow_window() -> None:
        try:
            with numbering.numbers_last():
                case = _receive_and_accept(world)
                inside.set()
                release.wait(30)
            case.refresh_from_db()
            numbers["slow"] = case.number
        finally:
            connection.close()

    thread = threading.Thread(target=slow_window)
    thread.start()
    try:
        assert inside.wait(30)
        # The slow window has received and accepted but not committed: its
        # center's counter is still free, so this window is not kept waiting.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            quick = _receive_and_accept(world)
        numbers["quick"] = Case.objects.get(pk=quick.pk).number
    finally:
        release.set()
        thread.join()

    assert numbers == {"quick": "PY-2026-000001", "slow": "PY-2026-000002"}


def test_work_of_a_rolled_back_savepoint_takes_no_number(world: dict) -> None:
    with numbering.numbers_last():
        kept = _receive_and_accept(world)
        try:
            with transaction.atomic():
                _receive_and_accept(world)
                raise RuntimeError("the clerk's second intake fails")
        except RuntimeError:
            pass

    kept.refresh_from_db()
    assert kept.number == "PY-2026-000001"
    assert Case.objects.count() == 1
    assert Document.objects.get(kind=DocumentKind.ACCEPTANCE).serial == 1


def test_32_clerks_of_one_center_accepting_at_once_get_gapless_case_and_receipt_numbers(
    world: dict,
) -> None:
    clients = [login(world["clerk"]) for _ in range(32)]
    url = reverse("window:intake", kwargs={"code": world["item"].code})

    responses = run_together(
        32, lambda i: clients[i].post(url, intake_data(world["item"], key=uuid.uuid4().hex))
    )

    assert all(getattr(r, "status_code", None) == 302 for r in responses), responses
    numbers = sorted(Case.objects.values_list("number", flat=True))
    year = datetime.now(TZ).year
    assert numbers == [f"PY-{year}-{i:06d}" for i in range(1, 33)]
    assert Case.objects.filter(status=Status.ACCEPTED).count() == 32
    serials = sorted(
        Document.objects.filter(kind=DocumentKind.ACCEPTANCE).values_list("serial", flat=True)
    )
    assert serials == list(range(1, 33))
    # Each redirect names its own, final case number (never the placeholder).
    locations = {r["Location"] for r in responses}  # type: ignore[index]
    assert locations == {
        reverse("window:outcome", kwargs={"number": n}) + "?doc=acceptance" for n in numbers
    }
    # Each receipt prints its case's real number.
    for document in Document.objects.filter(kind=DocumentKind.ACCEPTANCE).select_related("case"):
        assert document.case.number in str(document.content)
