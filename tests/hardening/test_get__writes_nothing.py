"""Opening a page writes nothing: every URL, GET by each role, leaves every table alone.

PostgreSQL counts the rows each table had inserted, updated or deleted in the
current transaction (``pg_stat_xact_user_tables``); the test runs in one, so
the counts before and after each GET show exactly what that request wrote.
What a GET may write, and why, is listed in ALLOWED.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.hardening.conftest import EveryUrl

pytestmark = pytest.mark.django_db

ALLOWED = {
    "django_session": "the sliding session's expiry is renewed by any request",
    "documents_documentfile": "the PDF view fills the render store (same bytes the worker stores)",
    "documents_renderjob": "… and marks the document's render job done, as the worker would",
    "api_apicall": "every API call is logged (who, what, when: docs/api.md)",
    "dashboard_snapshot": "the charts cache their figures per day (workflows/dashboard/models.py)",
}
ROLES = ["anonymous", "clerk", "officer", "supervisor", "admin"]


def writes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: count for name, count in cursor.fetchall() if count}


@pytest.mark.parametrize("role", ROLES)
def test_no_get_writes_a_row(role: str, every_url: EveryUrl) -> None:
    client, urls = every_url(role)
    wrote = {}
    for url in urls:
        before = writes()
        client.get(url)
        after = writes()
        changed = sorted(
            name
            for name, count in after.items()
            if count != before.get(name, 0) and name not in ALLOWED
        )
        if changed:
            wrote[url] = changed
    assert not wrote, "\n".join(f"{url}: {tables}" for url, tables in wrote.items())
