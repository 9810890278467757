"""Citizens behind one address (a proxy, a mobile network) neither queue nor lock each other out."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.checks import run_checks
from django.db import connection, transaction
from django.test import override_settings

from tests.conftest import CaseFactory
from tests.workflows.firstquestion.test_views__status import lookup
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from workflows.firstquestion import errors, services
from workflows.firstquestion.checks import PROXY_HEADER_MISSING
from workflows.firstquestion.models import LookupResult

PROXY = "10.0.0.1"


@pytest.mark.django_db
def test_twenty_wrong_guesses_slow_an_address_down_for_a_minute_not_an_hour(
    case_factory: CaseFactory,
) -> None:
    case = case_factory(status="accepted")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for n in range(20):  # one person guessing at other numbers
            assert lookup(f"PY-2026-{900000 + n}", "1111", ip=PROXY).status_code == 404
        # Another citizen behind the same proxy, right digits: briefly slowed down …
        slowed = lookup(case.number, "5678", ip=PROXY)
        assert slowed.status_code == 429
        assert str(errors.STATUS_SLOW_DOWN) % {"until": "10:01"} in slowed.content.decode()
        assert slowed["Retry-After"] == "60"
    # … and served a minute later, not an hour later.
    with time_machine.travel("2026-03-10 10:01:01 +0800", tick=False):
        assert lookup(case.number, "5678", ip=PROXY).status_code == 200


@pytest.mark.django_db
def test_the_guessing_limit_per_case_number_holds_and_doubles_while_guessing_goes_on(
    case_factory: CaseFactory,
) -> None:
    case = case_factory(status="accepted")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        for n in range(5):
            lookup(case.number, f"{n:04d}", ip=f"198.51.100.{n + 1}")
    with time_machine.travel("2026-03-10 10:04 +0800", tick=False):
        refused = lookup(case.number, "5678", ip="198.51.100.99")  # even the right digits
    assert refused.status_code == 429
    assert str(errors.STATUS_TOO_MANY) % {"until": "10:05"} in refused.content.decode()
    # The lock is short; five more wrong guesses (one each time it opens) double it.
    moment = datetime.fromisoformat("2026-03-10T10:05:00+08:00")
    for n in range(5):
        with time_machine.travel(moment, tick=False):
            assert lookup(case.number, f"{n + 10:04d}", ip="198.51.100.7").status_code == 404
            assert lookup(case.number, "5678", ip="198.51.100.8").status_code == 429
        moment += timedelta(minutes=5)
    with time_machine.travel("2026-03-10 10:29 +0800", tick=False):
        refused = lookup(case.number, "5678", ip="198.51.100.99")
    assert str(errors.STATUS_TOO_MANY) % {"until": "10:35"} in refused.content.decode()
    with time_machine.travel("2026-03-10 10:35 +0800", tick=False):
        assert lookup(case.number, "5678", ip="198.51.100.99").status_code == 200


def test_lookups_from_one_address_do_not_wait_for_each_other(
    transactional_db: None, case_factory: CaseFactory
) -> None:
    first, second = case_factory(status="accepted"), case_factory(status="accepted")
    inside, release = threading.Event(), threading.Event()
    results: dict[str, str] = {}

    def slow_lookup() -> None:
        try:
            with transaction.atomic():  # keeps whatever the lookup locked until release
                results["slow"] = services.status_lookup(
                    ip=PROXY, case_number=first.number, digits="5678"
                ).result
                inside.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_lookup)
    thread.start()
    try:
        assert inside.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            results["quick"] = services.status_lookup(
                ip=PROXY, case_number=second.number, digits="5678"
            ).result
    finally:
        release.set()
        thread.join()

    assert results == {"slow": LookupResult.FOUND, "quick": LookupResult.FOUND}


@override_settings(
    DEBUG=False, FIRSTQUESTION_CLIENT_IP_HEADER="", FIRSTQUESTION_DIRECT_CLIENTS=False
)
def test_production_without_the_client_address_header_fails_the_system_check() -> None:
    assert PROXY_HEADER_MISSING in {m.id for m in run_checks()}
    with override_settings(FIRSTQUESTION_CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
        assert PROXY_HEADER_MISSING not in {m.id for m in run_checks()}
    with override_settings(FIRSTQUESTION_DIRECT_CLIENTS=True):
        assert PROXY_HEADER_MISSING not in {m.id for m in run_checks()}
