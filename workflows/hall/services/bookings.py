"""Bookings (预约): book, find, cancel, move a slot, and void no-shows.

A booking locks its counter's row (``SELECT … FOR UPDATE``) before counting
the slot's bookings, so two citizens never both take the last place; the
partial unique index ``hall_booking_one_live`` keeps one live booking per ID
number and item even across counters.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.validators import normalize_mobile, parse_resident_id
from workflows.catalog.models import ServiceItem
from workflows.hall import errors, schedule
from workflows.hall.models import Booking, Counter
from workflows.hall.services._clock import _now
from workflows.hall.services.sms import sms_queue
from workflows.web import limits
from workflows.web.models import LookupScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

LIVE_BOOKING = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _clean_person(id_number: str, phone: str) -> tuple[str, str]:
    try:
        number = parse_resident_id(id_number).number
        mobile = normalize_mobile(phone)
    except ValidationError as exc:
        raise errors.invalid(exc) from exc
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
