"""Tickets (取号): issue the counter's next serial, check a booking in, join a ticket to its case.

A ticket's serial comes from one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` on ``TicketSequence``; the row stays locked until commit, so
serials are gapless per counter and day (a rollback gives its number back).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from forms.validators import normalize_mobile, parse_resident_id
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import errors, schedule
from workflows.hall.models import Booking, Counter, Ticket
from workflows.hall.services._clock import _now
from workflows.hall.services.bookings import no_show_deadline

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from workflows.cases.models import Case

RANK = {Ticket.Kind.PRIORITY: 0, Ticket.Kind.BOOKED: 1, Ticket.Kind.WALK_IN: 2}
EARLY_CHECK_IN_MINUTES = 60


def _next_serial(counter: Counter, day: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO hall_ticketsequence (counter_id, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (counter_id, day) DO UPDATE SET last = hall_ticketsequence.last + 1
            RETURNING last
            """,
            [counter.pk, day],
        )
        (serial,) = cursor.fetchone()
    return int(serial)


@transaction.atomic
def ticket_issue(
    *,
    counter: Counter,
    kind: str = Ticket.Kind.WALK_IN,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    item: ServiceItem | None = None,
    booking: Booking | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Ticket:
    """取号 at the kiosk or by a clerk: the counter's next serial of the day."""
    now = _now(now)
    center = counter.center
    # A booked person may check in early (EARLY_CHECK_IN_MINUTES), also over lunch:
    # their slot itself lies in the opening hours.
    if booking is None and schedule.period_at(center, now) is None:
        raise errors.HallError(errors.CLOSED_NOW)
    name = name.strip()
    if id_number:
        try:
            id_number = parse_resident_id(id_number).number
        except ValidationError as exc:
            raise errors.invalid(exc) from exc
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise errors.invalid(exc) from exc
    if kind == Ticket.Kind.PRIORITY and not (name and id_number):
        raise errors.HallError(errors.NAME_REQUIRED)
    day = timezone.localtime(now).date()
    if id_number:
        live = Ticket.objects.filter(
            center=center, day=day, id_number=id_number, status__in=_LIVE_TICKET
        ).first()
        if live is not None:
            raise errors.HallConflict(errors.ONE_LIVE_TICKET, number=live.number)
    serial = _next_serial(counter, day)
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                center=center,
                counter=counter,
                day=day,
                serial=serial,
                number=f"{counter.prefix}{serial:03d}",
                kind=kind,
                rank=RANK[Ticket.Kind(kind)],
                booking=booking,
                item=item,
                name=name,
                id_number=id_number,
                phone=phone,
                issued_at=now,
                queued_at=now,
                issued_by=cast(Any, actor),
            )
    except IntegrityError as exc:  # the same person took a number elsewhere meanwhile
        raise errors.HallConflict(errors.ONE_LIVE_TICKET, number="") from exc
    return ticket


_LIVE_TICKET = (Ticket.Status.WAITING, Ticket.Status.CALLED)


@transaction.atomic
def ticket_check_in(
    *, center: Center, reference: str = "", id_number: str = "", now: datetime | None = None
) -> Ticket:
    """预约取号: the booking (by reference or ID number) becomes today's ticket."""
    now = _now(now)
    today = timezone.localtime(now).date()
    bookings = Booking.objects.select_for_update().filter(
        center=center, status=Booking.Status.BOOKED
    )
    if reference.strip():
        bookings = bookings.filter(reference=reference.strip().upper())
    elif id_number.strip():
        bookings = bookings.filter(id_number=id_number.strip().upper())
    else:
        raise errors.HallError(errors.CHECK_IN_NOT_FOUND)
    candidates = [
        b for b in bookings.order_by("starts_at") if timezone.localtime(b.starts_at).date() == today
    ]
    if not candidates:
        raise errors.HallError(errors.CHECK_IN_NOT_FOUND)
    booking = candidates[0]
    early = timedelta(minutes=EARLY_CHECK_IN_MINUTES)
    if now < booking.starts_at - early:
        raise errors.HallError(
            errors.CHECK_IN_TOO_EARLY,
            start=timezone.localtime(booking.starts_at).strftime("%H:%M"),
            minutes=EARLY_CHECK_IN_MINUTES,
        )
    if now > no_show_deadline(booking):  # the sweep voids it (this refusal rolls back)
        raise _TooLate(schedule.setting("HALL_NO_SHOW_MINUTES", 30))
    booking.status = Booking.Status.CHECKED_IN
    booking.save(update_fields=["status", "changed_at"])
    return ticket_issue(
        counter=booking.counter,
        kind=Ticket.Kind.PRIORITY if booking.needs_help else Ticket.Kind.BOOKED,
        name=booking.name,
        id_number=booking.id_number,
        phone=booking.phone,
        item=booking.item,
        booking=booking,
        now=now,
    )


class _TooLate(errors.HallError):
    def __init__(self, minutes: int) -> None:
        super().__init__(errors.CHECK_IN_TOO_LATE, minutes=minutes)


def ticket_link_case(*, ticket: Ticket, case: Case) -> Ticket:
    """Join the ticket to the case opened for it (in the intake's transaction; idempotent)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.case_id == case.pk:
        return ticket
    if ticket.case is not None:
        raise errors.HallConflict(
            errors.ALREADY_LINKED, number=ticket.number, case=ticket.case.number
        )
    ticket.case = case
    ticket.save(update_fields=["case"])
    return ticket
