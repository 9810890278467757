"""Hypothesis fuzz of form POSTs: never a 500, nothing half-saved on a refusal (issue #13).

Each endpoint is posted as the role that may use it, with generated values for
its fields: NUL bytes, huge strings, non-ASCII digits, negative and huge
numbers, missing fields. A refusal (4xx) must leave the touched tables as they
were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workflows.hall.conftest import counter  # noqa: F401  (fixture)
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from tests.workflows.window.conftest import intake_data
from workflows.cases.models import Case, CaseEvent
from workflows.catalog.models import ServiceItem
from workflows.firstquestion.models import Consultation
from workflows.hall.models import Booking, Ticket
from workflows.notifications.models import Notification
from workflows.web.models import LookupAttempt

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda t: t + "\x00"),
    st.sampled_from(
        [
            "x" * 100_000,
            "٣٤٥٦",
            "१२३४",
            "²",
            "-1",
            "-99999999999999999999",
            "1e309",
            "9" * 40,
            "NaN",
            "0x10",
            " ",
            "<script>",
            "'; DROP TABLE x;--",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
MISSING = object()
VALUE = st.one_of(NASTY, st.just(MISSING), st.lists(NASTY, min_size=2, max_size=3))


@dataclass(frozen=True)
class Endpoint:
    """One POST target: its address, a valid body to mutate, who posts, which tables it writes."""

    name: str
    url: Callable[[ServiceItem], str]
    body: Callable[[ServiceItem], dict[str, Any]]
    role: str | None  # a fixture name, or None for a citizen
    tables: tuple[type[Model], ...]


ENDPOINTS = [
    Endpoint(
        "status",
        lambda item: reverse("status"),
        lambda item: {"number": "PY-2026-000001", "digits": "5678"},
        None,
        (LookupAttempt,),
    ),
    Endpoint(
        "hall-manage",
        lambda item: reverse("hall:manage"),
        lambda item: {"reference": "AB123456", "digits": "5678", "action": "cancel"},
        None,
        (LookupAttempt, Booking),
    ),
    Endpoint(
        "hall-book",
        lambda item: reverse("hall:book_item", args=["PY", item.code]),
        lambda item: {"name": "张三", "id_number": "x", "phone": "1", "slot": "2026-10-12T09:00"},
        None,
        (Booking,),
    ),
    Endpoint(
        "hall-kiosk",
        lambda item: reverse("hall:kiosk", args=["PY"]),
        lambda item: {"action": "priority", "counter": "1", "name": "张三", "reference": ""},
        None,
        (Ticket,),
    ),
    Endpoint(
        "notifications-read",
        lambda item: reverse("notifications:mark_read"),
        lambda item: {"id": "1"},
        "clerk",
        (Notification,),
    ),
    Endpoint(
        "firstquestion-log",
        lambda item: reverse("firstquestion:log"),
        lambda item: {
            "channel": "visit",
            "citizen_name": "张三",
            "matter": "问",
            "outcome": "answered",
            "answer": "答",
            "key": "k" * 32,
        },
        "clerk",
        (Consultation,),
    ),
    Endpoint(
        "window-intake",
        lambda item: reverse("window:intake", args=[item.code]),
        lambda item: intake_data(item),
        "clerk",
        (Case, CaseEvent),
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_no_500_and_nothing_half_saved(
    endpoint: Endpoint,
    item: ServiceItem,
    counter: object,  # noqa: F811  (the hall's fixture: a counter serving the item)
    request: pytest.FixtureRequest,
) -> None:
    client = Client(raise_request_exception=False)
    if endpoint.role:
        user: User = request.getfixturevalue(endpoint.role)
        client.force_login(user)
    url, valid = endpoint.url(item), endpoint.body(item)

    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.dictionaries(st.sampled_from(sorted(valid)), VALUE, min_size=1))
    def post(changes: dict[str, Any]) -> None:
        body = dict(valid)
        for key, value in changes.items():
            if value is MISSING:
                body.pop(key, None)
            else:
                body[key] = value
        before = [t.objects.count() for t in endpoint.tables]
        response = client.post(url, body, REMOTE_ADDR="203.0.113.7")
        assert response.status_code < 500, (endpoint.name, body)
        if 400 <= response.status_code < 500 and response.status_code != 429:
            after = [t.objects.count() for t in endpoint.tables]
            grew = {
                t.__name__: a - b
                for t, a, b in zip(endpoint.tables, after, before, strict=True)
                if t is not LookupAttempt and a != b
            }
            assert not grew, (endpoint.name, body, grew)

    post()
