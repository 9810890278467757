"""Query budgets of 叫下一位: the POST and the desk page the clerk then sees (counts, not time)."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workflows.hall.conftest import resident_id
from workflows.hall import services
from workflows.hall.models import Counter, Ticket

pytestmark = pytest.mark.django_db

MONDAY_MORNING = "2026-10-12 10:00 +0800"
# session, user, roles, profile with center, the desk's counters, the one call statement
CALL_BUDGET = 6
# session, user, roles, profile with center, counters, their items, current ticket,
# waiting counts; the menu without badges
PAGE_BUDGET = 8


def _busy_queue(counter: Counter, other_counter: Counter) -> None:
    for n in range(30):
        services.ticket_issue(counter=counter if n % 3 else other_counter)
    services.ticket_issue(
        counter=counter, kind=Ticket.Kind.PRIORITY, name="王奶奶", id_number=resident_id(1)
    )


def test_call_next_and_the_desk_page_stay_within_their_budgets(
    client: Client, clerk: User, counter: Counter, other_counter: Counter
) -> None:
    client.force_login(clerk)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _busy_queue(counter, other_counter)
        client.post(
            reverse("hall:window"),
            {"window": "3号窗口", "counters": [counter.pk, other_counter.pk]},
        )
        client.post(reverse("hall:call_next"))  # the first call: sessions and caches warm
        for _ in range(3):  # each call also finishes the ticket called before
            with CaptureQueriesContext(connection) as post:
                response = client.post(reverse("hall:call_next"))
            assert response.status_code == 302
            assert response["Location"] == reverse("hall:window")
            statements = [q["sql"] for q in post.captured_queries if "SAVEPOINT" not in q["sql"]]
            assert len(statements) <= CALL_BUDGET, "\n".join(statements)
            with CaptureQueriesContext(connection) as page:
                desk = client.get(reverse("hall:window"))
            assert desk.status_code == 200
            statements = [q["sql"] for q in page.captured_queries if "SAVEPOINT" not in q["sql"]]
            assert len(statements) <= PAGE_BUDGET, "\n".join(statements)
    called = Ticket.objects.filter(called_by=clerk).order_by("called_at", "id")
    assert [t.status for t in called].count(Ticket.Status.CALLED) == 1
    assert called.filter(status=Ticket.Status.DONE).count() == 3
    current = called.get(status=Ticket.Status.CALLED)
    content = desk.content.decode()
    # what the clerk needs is still on the page: the number, the actions, the queue, the menu
    assert current.number in content
    for action in ("重呼", "过号", "办结", "转窗口"):
        assert action in content
    assert 'id="call-next"' in content
    waiting = Ticket.objects.filter(status=Ticket.Status.WAITING, counter=counter).count()
    assert f'<td class="num">{waiting}</td>' in content
    assert reverse("hall:window") in content  # the menu entry 叫号


def test_the_priority_ticket_is_called_first_through_the_page(
    client: Client, clerk: User, counter: Counter, other_counter: Counter
) -> None:
    client.force_login(clerk)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _busy_queue(counter, other_counter)
        client.post(reverse("hall:window"), {"window": "3号窗口", "counters": [counter.pk]})
        client.post(reverse("hall:call_next"))
        page = client.get(reverse("hall:window")).content.decode()
    priority = Ticket.objects.get(kind=Ticket.Kind.PRIORITY)
    assert priority.status == Ticket.Status.CALLED
    assert priority.window == "3号窗口"
    assert priority.number in page
    assert "王奶奶" in page
