"""The clerk's queue (叫号): call the next ticket, recall, skip, transfer, finish.

叫号 takes the first waiting ticket with ``FOR UPDATE SKIP LOCKED``: a clerk
never waits for another and never gets a ticket another clerk is taking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from workflows.hall import errors
from workflows.hall.models import Counter, Ticket
from workflows.hall.services._clock import _now

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


_CALL_NEXT_SQL = """
WITH done AS (
    UPDATE hall_ticket SET status = 'done', done_at = %(now)s
    WHERE called_by_id = %(clerk)s AND day = %(day)s AND status = 'called'
    RETURNING id
), next AS (
    SELECT id FROM hall_ticket
    WHERE counter_id = ANY(%(counters)s) AND day = %(day)s AND status = 'waiting'
    ORDER BY rank, queued_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE hall_ticket SET
    status = 'called',
    called_at = COALESCE(hall_ticket.called_at, %(now)s),
    last_called_at = %(now)s,
    calls = hall_ticket.calls + 1,
    called_by_id = %(clerk)s,
    "window" = %(window)s
FROM next
WHERE hall_ticket.id = next.id
RETURNING hall_ticket.*
"""


@transaction.atomic
def ticket_call_next(
    *,
    counters: Sequence[Counter],
    clerk: AbstractBaseUser,
    window: str,
    now: datetime | None = None,
) -> Ticket | None:
    """叫号: finish this clerk's current ticket, then call the first waiting one (or None).

    Order: rank (priority 0, booked 1, walk-in 2), then time queued, then id
    (the index ``hall_ticket_queue`` holds that order per counter and day).
    One statement: the finishing ``UPDATE`` and the call (``SELECT … FOR UPDATE
    SKIP LOCKED LIMIT 1`` feeding an ``UPDATE … RETURNING``) run as CTEs of one
    round trip; the two touch disjoint rows (called vs waiting).
    """
    now = _now(now)
    if not window.strip():
        raise errors.HallError(errors.WINDOW_REQUIRED)
    if not counters:
        raise errors.HallError(errors.COUNTER_REQUIRED)
    params = {
        "now": now,
        "clerk": clerk.pk,
        "day": timezone.localtime(now).date(),
        "counters": [c.pk for c in counters],
        "window": window.strip()[:20],
    }
    called = list(Ticket.objects.raw(_CALL_NEXT_SQL, params))
    return called[0] if called else None


def _lock_called(ticket: Ticket, clerk: AbstractBaseUser) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.CALLED:
        raise errors.HallConflict(
            errors.NOT_CALLED, number=ticket.number, status=ticket.get_status_display()
        )
    if ticket.called_by_id != clerk.pk:
        raise errors.HallConflict(errors.NOT_YOUR_TICKET, number=ticket.number)
    return ticket


@transaction.atomic
def ticket_recall(
    *, ticket: Ticket, clerk: AbstractBaseUser, now: datetime | None = None
) -> Ticket:
    """重呼: announce the called ticket again."""
    ticket = _lock_called(ticket, clerk)
    ticket.last_called_at = _now(now)
    ticket.calls += 1
    ticket.save(update_fields=["last_called_at", "calls"])
    return ticket


@transaction.atomic
def ticket_skip(*, ticket: Ticket, clerk: AbstractBaseUser, now: datetime | None = None) -> Ticket:
    """过号: the first time back to the end of its rank's queue, the second time void."""
    ticket = _lock_called(ticket, clerk)
    if ticket.skips == 0:
        ticket.status = Ticket.Status.WAITING
        ticket.queued_at = _now(now)
        ticket.called_by = None
    else:
        ticket.status = Ticket.Status.MISSED
        ticket.done_at = _now(now)
    ticket.skips += 1
    ticket.save(update_fields=["status", "queued_at", "called_by", "skips", "done_at"])
    return ticket


@transaction.atomic
def ticket_transfer(
    *, ticket: Ticket, counter: Counter, clerk: AbstractBaseUser, now: datetime | None = None
) -> Ticket:
    """转窗口: the called ticket waits at ``counter``, keeping its number and its place in time."""
    ticket = _lock_called(ticket, clerk)
    if counter.center_id != ticket.center_id:
        raise errors.HallError(errors.NOT_YOUR_CENTER, center=ticket.center.name)
    if counter.pk == ticket.counter_id:
        raise errors.HallError(errors.SAME_COUNTER)
    ticket.transferred_from_id = ticket.counter_id
    ticket.counter = counter
    ticket.status = Ticket.Status.WAITING
    ticket.queued_at = ticket.issued_at
    ticket.called_by = None
    ticket.save(update_fields=["transferred_from", "counter", "status", "queued_at", "called_by"])
    return ticket


@transaction.atomic
def ticket_finish(
    *, ticket: Ticket, clerk: AbstractBaseUser, now: datetime | None = None
) -> Ticket:
    """办结: the person at the window is done."""
    ticket = _lock_called(ticket, clerk)
    ticket.status = Ticket.Status.DONE
    ticket.done_at = _now(now)
    ticket.save(update_fields=["status", "done_at"])
    return ticket
