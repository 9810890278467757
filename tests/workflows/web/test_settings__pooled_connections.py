"""Under Django's psycopg pool (DB_POOL), one request's lock settings never reach the next.

A pooled connection serves request after request. The services bound their
lock waits with ``SET LOCAL lock_timeout`` and the sweep serialises on
``pg_advisory_xact_lock``: both end with the transaction. Were either
session-scoped (``SET``, ``pg_advisory_lock``), the next request on the same
connection would inherit a 5 s lock timeout or find the sweep lock still held,
and PgBouncer in transaction mode would hand it to another client. These tests
run the real services on a pool of one connection, so the second "request"
is certainly on the first one's connection (same backend pid).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from tests.factories import accepted_case, flow_item
from workflows.cases import locks
from workflows.cases.models import Case
from workflows.cases.services._transition import _lock_case
from workflows.catalog.models import Center, Department
from workflows.supervision import services as supervision
from workflows.tasks.locks import PgRowLock
from workflows.tasks.models import CaseProcess

pytestmark = pytest.mark.django_db(transaction=True)


class _Flow:
    """What the flow lock reads of a flow class: its process model."""

    process_class = CaseProcess


@pytest.fixture
def pooled() -> Iterator[None]:
    """The default connection through a pool of exactly one connection, as DB_POOL sets it."""
    settings = connection.settings_dict
    saved = (dict(settings["OPTIONS"]), settings["CONN_MAX_AGE"])
    connection.close()
    settings["OPTIONS"] = {**settings["OPTIONS"], "pool": {"min_size": 1, "max_size": 1}}
    settings["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        settings["OPTIONS"], settings["CONN_MAX_AGE"] = saved


def _session() -> tuple[int, str, int]:
    """(backend pid, lock_timeout in ms, advisory locks held) as a request would see them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid(),"
            " (SELECT setting FROM pg_settings WHERE name = 'lock_timeout'),"
            " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            "  AND pid = pg_backend_pid())"
        )
        pid, timeout, advisory = cursor.fetchone()
    return int(pid), str(timeout), int(advisory)


def _end_request() -> None:
    """What Django does after each response with CONN_MAX_AGE = 0: give the connection back."""
    connection.close()


def test_the_services_lock_timeout_ends_with_its_transaction_on_a_pooled_connection(
    pooled: None, department: Department, county: Center, clerk: User
) -> None:
    pid, before, _ = _session()
    assert connection.pool is not None
    _end_request()
    item = flow_item("GA-POOL", department, "public_security.review")
    case = accepted_case(item=item, clerk=clerk, center=county)
    with transaction.atomic():
        _lock_case(case)  # SET LOCAL lock_timeout, then the row lock
        inside = _session()
    _end_request()

    after = _session()

    assert inside[0] == pid
    assert inside[1] == str(locks.lock_timeout_ms())
    assert after[0] == pid, "the pool of one handed out another connection"
    assert after[1] == before  # the next request waits as the server default says
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_flow_lock_timeout_ends_with_its_transaction_on_a_pooled_connection(
    pooled: None,
) -> None:
    pid, before, _ = _session()
    _end_request()
    # A process id no row has: the lock statement runs all the same.
    with transaction.atomic(), PgRowLock(timeout_ms=1234)(_Flow, 0):
        inside = _session()
    _end_request()

    after = _session()

    assert inside[1] == "1234"
    assert after[0] == pid
    assert after[1] == before


def test_the_sweep_lock_is_released_at_commit_on_a_pooled_connection(pooled: None) -> None:
    pid, before, _ = _session()
    _end_request()
    with transaction.atomic():
        supervision._take_sweep_lock()
        inside = _session()
    _end_request()

    after = _session()

    assert inside[2] == 1
    assert inside[1] != before
    assert after == (pid, before, 0)  # the next request holds no lock and waits as before
