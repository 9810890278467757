"""The menu's badges: every badge of a page counted in one statement, and kept a few seconds.

A person's own change shows on the next page at once; another person's within
``ONEWINDOW_NAV_BADGE_SECONDS`` (issue 17: the menu is on every page).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from workflows.catalog.models import Center
from workflows.notifications.models import Notification
from workflows.notifications.services import Message, notify
from workflows.web.nav import count_together

pytestmark = pytest.mark.django_db


def _messages_badge(client: Client) -> str | None:
    """The number on the 消息 entry of the menu, as the page shows it (None: no badge)."""
    html = client.get(reverse("notifications:inbox")).content.decode()
    entry = r'href="/notifications/"[^>]*>[^<]*(?:<span class="badge">(\d+)</span>)?'
    found = re.search(entry, html)
    assert found, "the menu has no 消息 entry"
    return found.group(1)


def _notify(user: User, key: str) -> None:
    notify([Message(recipient_id=user.pk, kind="k", title="督办", dedupe_key=key)])


def test_count_together_counts_as_each_query_set_would(clerk: User, county: Center) -> None:
    for n in range(3):
        _notify(clerk, f"n{n}")
    other = UserFactory(username="other")
    _notify(other, "o")
    sets = [
        Notification.objects.filter(recipient=clerk),
        Notification.objects.values("recipient_id").distinct(),
        Notification.objects.order_by("pk")[:2],
        Notification.objects.none(),
        Notification.objects.filter(recipient_id__in=[]),
    ]
    with CaptureQueriesContext(connection) as queries:
        counts = count_together(sets)
    assert counts == [3, 2, 2, 0, 0]
    assert len(queries) == 1
    assert count_together([]) == []


def test_a_page_counts_all_its_badges_in_one_statement(clerk: User) -> None:
    client = Client()
    client.force_login(clerk)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    counting = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert len(counting) == 1, counting
    # The session, the user with their profile and roles, and the badges.
    assert len(queries) == 3, [q["sql"][:80] for q in queries]


@override_settings(ONEWINDOW_NAV_BADGE_SECONDS=15)
def test_others_changes_show_within_the_cache_and_my_own_at_once(clerk: User) -> None:
    cache.clear()
    client = Client()
    client.force_login(clerk)
    _notify(clerk, "first")
    assert _messages_badge(client) == "1"

    _notify(clerk, "second")  # someone else's doing: the cached count stands for now
    assert _messages_badge(client) == "1"
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries if "COUNT(*)" in q["sql"]]

    # Any change of my own (here: a POST) renews the cookie: the next page counts afresh.
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "ow_badges" in response.cookies
    assert response.cookies["ow_badges"]["httponly"]
    assert _messages_badge(client) == "2"

    cache.clear()  # as when the seconds are over
    _notify(clerk, "third")
    assert _messages_badge(client) == "3"


@override_settings(ONEWINDOW_NAV_BADGE_SECONDS=15)
def test_each_person_has_their_own_counts(clerk: User) -> None:
    cache.clear()
    other = UserFactory(username="other-clerk")
    other.groups.set(clerk.groups.all())
    mine, theirs = Client(), Client()
    mine.force_login(clerk)
    theirs.force_login(other)
    _notify(clerk, "mine")
    assert _messages_badge(mine) == "1"
    assert _messages_badge(theirs) is None
