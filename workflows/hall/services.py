"""Every write of the hall: bookings, tickets, calls. Each service is one transaction.

Concurrency (PostgreSQL):

- a booking locks its counter's row (``SELECT … FOR UPDATE``) before counting
  the slot's bookings, so two citizens never both take the last place; the
  partial unique index ``hall_booking_one_live`` keeps one live booking per ID
  number and item even across counters;
- a ticket's serial comes from one ``INSERT … ON CONFLICT DO UPDATE …
  RETURNING`` on ``TicketSequence``; the row stays locked until commit, so
  serials are gapless per counter and day (a rollback gives its number back);
- 叫号 takes the first waiting ticket with ``FOR UPDATE SKIP LOCKED``: a clerk
  never waits for another and never gets a ticket another clerk is taking.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.validators import normalize_mobile, parse_resident_id
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import errors, schedule
from workflows.hall.models import Booking, Counter, SmsMessage, Ticket
from workflows.web import limits
from workflows.web.models import LookupScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from workflows.cases.models import Case

LIVE_BOOKING = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RANK = {Ticket.Kind.PRIORITY: 0, Ticket.Kind.BOOKED: 1, Ticket.Kind.WALK_IN: 2}
EARLY_CHECK_IN_MINUTES = 60


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _clean_person(id_number: str, phone: str) -> tuple[str, str]:
    try:
        number = parse_resident_id(id_number).number
        mobile = normalize_mobile(phone)
    except ValidationError as exc:
        raise errors.HallError(" ".join(str(m) for m in exc.messages)) from exc
    return number, mobile


def _lock_counter(counter: Counter) -> Counter:
    return Counter.objects.select_for_update().select_related("center").get(pk=counter.pk)


def _find_slot(counter: Counter, starts_at: datetime, now: datetime) -> schedule.Slot:
    day = timezone.localtime(starts_at).date()
    for slot in schedule.slots_for(counter, day):
        if slot.starts_at == starts_at:
            if not schedule.booking_open(slot, counter.center, now):
                break
            return slot
    raise errors.HallError(errors.SLOT_UNAVAILABLE)


def _check_room(counter: Counter, slot: schedule.Slot, *, exclude: int | None = None) -> None:
    taken = Booking.objects.filter(
        counter=counter, starts_at=slot.starts_at, status__in=LIVE_BOOKING
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.count() >= slot.capacity:
        raise errors.HallConflict(errors.SLOT_FULL)


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def sms_queue(*, phone: str, body: str, key: str) -> None:
    """Put a text for a citizen in the hall's outbox (sent after commit by ``hall send-sms``)."""
    SmsMessage.objects.get_or_create(dedupe_key=key, defaults={"phone": phone, "body": body})


def _booking_text(booking: Booking, template: str) -> str:
    start = timezone.localtime(booking.starts_at)
    return template % {
        "reference": booking.reference,
        "center": booking.center.name,
        "counter": booking.counter.name,
        "item": booking.item.name,
        "when": start.strftime("%Y-%m-%d %H:%M"),
    }


@transaction.atomic
def booking_create(
    *,
    counter: Counter,
    item: ServiceItem,
    starts_at: datetime,
    name: str,
    id_number: str,
    phone: str,
    needs_help: bool = False,
    help_note: str = "",
    ip: str | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Booking:
    """预约 one slot; a staff ``actor`` books on someone's behalf (no per-address limit)."""
    now = _now(now)
    name = name.strip()
    if not name:
        raise errors.HallError(errors.NAME_REQUIRED)
    id_number, phone = _clean_person(id_number, phone)
    counter = _lock_counter(counter)
    if not counter.is_active or not counter.items.filter(pk=item.pk).exists():
        raise errors.HallError(errors.ITEM_NOT_AT_COUNTER)
    slot = _find_slot(counter, starts_at, now)
    live = Booking.objects.filter(id_number=id_number, item=item, status=Booking.Status.BOOKED)
    existing = live.first()
    if existing is not None:
        raise errors.HallConflict(errors.ONE_LIVE_BOOKING, tail=existing.reference[-4:])
    phone_limit = schedule.setting("HALL_MAX_LIVE_BOOKINGS_PER_PHONE", 3)
    phone_count = Booking.objects.filter(phone=phone, status=Booking.Status.BOOKED).count()
    if phone_count >= phone_limit:
        raise errors.HallConflict(errors.PHONE_LIMIT, count=phone_count)
    if actor is None and ip:
        ip_limit = schedule.setting("HALL_MAX_BOOKINGS_PER_IP_PER_DAY", 10)
        recent = Booking.objects.filter(ip=ip, created_at__gte=now - timedelta(days=1)).count()
        if recent >= ip_limit:
            raise errors.HallConflict(errors.IP_LIMIT)
    _check_room(counter, slot)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                reference=_new_reference(),
                center=counter.center,
                counter=counter,
                item=item,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                name=name,
                id_number=id_number,
                phone=phone,
                needs_help=needs_help,
                help_note=help_note.strip(),
                booked_by=cast(Any, actor),
                ip=ip,
            )
    except IntegrityError as exc:  # the same person and item booked at another counter meanwhile
        raise errors.HallConflict(errors.ONE_LIVE_BOOKING, tail="····") from exc
    sms_queue(
        phone=phone,
        body=_booking_text(
            booking,
            _(
                "【%(center)s】预约成功：%(item)s，%(when)s，%(counter)s。预约号 %(reference)s，"
                "到大厅凭预约号或身份证取号。"
            ),
        ),
        key=f"booked:{booking.reference}",
    )
    return booking


def booking_find(
    reference: str, digits: str, *, ip: str, now: datetime | None = None
) -> limits.Attempt[Booking]:
    """The booking with ``reference`` whose phone or ID number ends in ``digits``, if not refused.

    Every well-formed try goes through the look-up limiter (scope "booking",
    docs/limits.md): a guessed reference is a counted wrong guess, and too
    many lock the reference for a while or slow the address down.
    """
    reference = reference.strip().upper()
    digits = digits.strip().upper()
    if len(digits) != 4 or not reference:
        return limits.Attempt()

    def probe() -> Booking | None:
        booking = (
            Booking.objects.select_related("center", "counter", "item")
            .filter(reference=reference)
            .first()
        )
        if booking is None:
            hmac.compare_digest("0000", digits)  # the same work as a real comparison
            return None
        tails = (booking.phone[-4:], booking.id_number[-4:])
        return booking if any(hmac.compare_digest(t, digits) for t in tails) else None

    return limits.attempt(LookupScope.BOOKING, target=reference, ip=ip, probe=probe, now=_now(now))


def _lock_live(booking: Booking, now: datetime) -> Booking:
    booking = (
        Booking.objects.select_for_update()
        .select_related("center", "counter", "item")
        .get(pk=booking.pk)
    )
    if booking.status != Booking.Status.BOOKED:
        raise errors.HallConflict(errors.BOOKING_NOT_LIVE, status=booking.get_status_display())
    if booking.starts_at <= now:
        raise errors.HallConflict(errors.BOOKING_STARTED)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, now: datetime | None = None) -> Booking:
    """取消预约 before its slot starts; the place is free again at once."""
    now = _now(now)
    booking = _lock_live(booking, now)
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "changed_at"])
    sms_queue(
        phone=booking.phone,
        body=_booking_text(booking, _("【%(center)s】您的预约 %(reference)s（%(when)s）已取消。")),
        key=f"cancelled:{booking.reference}",
    )
    return booking


@transaction.atomic
def booking_move(*, booking: Booking, starts_at: datetime, now: datetime | None = None) -> Booking:
    """改约 to another free slot of the same counter (same rules as a new booking)."""
    now = _now(now)
    booking = _lock_live(booking, now)
    counter = _lock_counter(booking.counter)
    slot = _find_slot(counter, starts_at, now)
    _check_room(counter, slot, exclude=booking.pk)
    booking.starts_at, booking.ends_at = slot.starts_at, slot.ends_at
    booking.save(update_fields=["starts_at", "ends_at", "changed_at"])
    sms_queue(
        phone=booking.phone,
        body=_booking_text(
            booking, _("【%(center)s】您的预约 %(reference)s 已改到 %(when)s，%(counter)s。")
        ),
        key=f"moved:{booking.reference}:{slot.key}",
    )
    return booking


def no_show_deadline(booking: Booking) -> datetime:
    return booking.starts_at + timedelta(minutes=schedule.setting("HALL_NO_SHOW_MINUTES", 30))


@transaction.atomic
def booking_void_no_shows(*, now: datetime | None = None) -> int:
    """爽约: void bookings not checked in by HALL_NO_SHOW_MINUTES after their start."""
    now = _now(now)
    minutes = schedule.setting("HALL_NO_SHOW_MINUTES", 30)
    return Booking.objects.filter(
        status=Booking.Status.BOOKED, starts_at__lt=now - timedelta(minutes=minutes)
    ).update(status=Booking.Status.NO_SHOW, changed_at=now)


# ---------------------------------------------------------------- tickets


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
            raise errors.HallError(" ".join(str(m) for m in exc.messages)) from exc
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise errors.HallError(" ".join(str(m) for m in exc.messages)) from exc
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


@transaction.atomic
def sms_send(*, limit: int = 200) -> int:
    """Send the hall's waiting texts through the SMS backend (SKIP LOCKED); return how many."""
    from workflows.notifications.backends import backend_for

    send = backend_for("sms")
    sent = 0
    batch = SmsMessage.objects.select_for_update(skip_locked=True).filter(
        sent_at__isnull=True, attempts__lt=8
    )[:limit]
    for message in batch:
        message.attempts = F("attempts") + 1
        try:
            send(cast(Any, _Outgoing(message)))
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
        else:
            message.sent_at = timezone.now()
            message.save(update_fields=["attempts", "sent_at"])
            sent += 1
    return sent


class _Outgoing:
    """The SmsMessage as the notifications backends read an outbox message."""

    channel = "sms"

    def __init__(self, message: SmsMessage) -> None:
        self.address = message.phone
        self.subject = ""
        self.body = message.body
        self.dedupe_key = message.dedupe_key


# ---------------------------------------------------------------- hours (supervisors, admins)


def _check_times(opens: Any, closes: Any) -> None:
    if opens >= closes:
        raise errors.HallError(errors.CLOSES_BEFORE_OPENS)


@transaction.atomic
def hours_add(*, center: Center, form: Any) -> Any:
    """Save a new OpeningPeriod, RotaDay or Closure for ``center`` from a valid ModelForm."""
    from workflows.calendar import api as calendar
    from workflows.hall.models import Closure, RotaDay

    row = form.save(commit=False)
    row.center = center
    if hasattr(row, "opens"):
        _check_times(row.opens, row.closes)
    if isinstance(row, RotaDay) and calendar.is_working_day(row.date):
        raise errors.HallError(errors.ROTA_ON_WORKING_DAY, day=row.date)
    taken = isinstance(row, RotaDay | Closure) and (
        type(row).objects.filter(center=center, date=row.date).exists()
    )
    if taken:
        raise errors.HallConflict(errors.DAY_TAKEN, day=row.date)
    row.save()
    form.save_m2m()
    return row


@transaction.atomic
def hours_remove(*, center: Center, kind: str, pk: int | str) -> None:
    """Delete one hours row of ``center`` (``kind``: period, rota or closure).

    ``pk`` may be the form's text; anything but a row id of that kind (other
    scripts' digits, a huge number, an unknown kind) is refused (HallError).
    """
    from workflows.hall.models import Closure, OpeningPeriod, RotaDay

    model = {"period": OpeningPeriod, "rota": RotaDay, "closure": Closure}.get(kind)
    text = str(pk)
    if model is None or not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise errors.HallError(errors.HOURS_ROW_UNKNOWN)
    model.objects.filter(center=center, pk=int(text)).delete()  # type: ignore[attr-defined]
