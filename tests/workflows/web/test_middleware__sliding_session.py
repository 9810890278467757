"""A session stays alive while used without being written on every request."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _session_writes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    )


def test_pages_within_a_minute_do_not_write_the_session_and_later_ones_renew_it(
    clerk: User,
) -> None:
    client = Client()
    url = reverse("window:index")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        client.force_login(clerk)
        client.get(url)  # the first page after login marks the session as touched
        expiry = Session.objects.get().expire_date
        assert _session_writes(client, url) == 0
    with time_machine.travel("2026-03-10 10:00:30 +0800", tick=False):
        assert _session_writes(client, url) == 0
    with time_machine.travel("2026-03-10 10:01:05 +0800", tick=False):
        assert _session_writes(client, url) == 1
    assert Session.objects.get().expire_date > expiry


def test_an_idle_session_still_ends_after_thirty_minutes(clerk: User) -> None:
    client = Client()
    url = reverse("window:index")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        client.force_login(clerk)
        client.get(url)
    with time_machine.travel("2026-03-10 10:31 +0800", tick=False):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
