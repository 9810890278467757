"""List pages join the case in SQL: the query count does not grow with the rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import accepted_case, flow_item
from tests.workflows.tasks.fixtures import client_for
from workflows.catalog.models import Center, Department

pytestmark = pytest.mark.django_db


def queries_for(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(captured)


def test_queue_query_count_is_flat(
    department: Department, county: Center, clerk: User, officer: User
) -> None:
    item = flow_item("GA-Q", department, "public_security.review")
    client = client_for(officer)
    accepted_case(item=item, clerk=clerk, center=county)
    # The first request renews the session (once a minute, SlidingSessionMiddleware):
    # count the queue's own statements from the second on.
    client.get(reverse("tasks:queue"))
    few = queries_for(client, reverse("tasks:queue"))
    for _ in range(5):
        accepted_case(item=item, clerk=clerk, center=county)
    many = queries_for(client, reverse("tasks:queue"))
    assert many == few
