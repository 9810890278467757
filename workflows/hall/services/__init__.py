"""Every write of the hall: bookings, tickets, calls, texts, hours. Each service is one transaction.

Concurrency (PostgreSQL), told in full in each module:

- ``bookings``: a booking locks its counter's row before counting the slot's
  bookings; the partial unique index ``hall_booking_one_live`` keeps one live
  booking per ID number and item even across counters;
- ``tickets``: a ticket's serial comes from one ``INSERT … ON CONFLICT DO UPDATE
  … RETURNING`` on ``TicketSequence``, so serials are gapless per counter and day;
- ``calls``: 叫号 takes the first waiting ticket with ``FOR UPDATE SKIP LOCKED``.

Callers import the services from here.
"""

from workflows.hall.services.bookings import (
    LIVE_BOOKING,
    REFERENCE_ALPHABET,
    booking_cancel,
    booking_create,
    booking_find,
    booking_move,
    booking_void_no_shows,
    no_show_deadline,
)
from workflows.hall.services.calls import (
    ticket_call_next,
    ticket_finish,
    ticket_recall,
    ticket_skip,
    ticket_transfer,
)
from workflows.hall.services.hours import hours_add, hours_remove
from workflows.hall.services.sms import sms_queue, sms_send
from workflows.hall.services.tickets import (
    EARLY_CHECK_IN_MINUTES,
    RANK,
    ticket_check_in,
    ticket_issue,
    ticket_link_case,
)

__all__ = [
    "EARLY_CHECK_IN_MINUTES",
    "LIVE_BOOKING",
    "RANK",
    "REFERENCE_ALPHABET",
    "booking_cancel",
    "booking_create",
    "booking_find",
    "booking_move",
    "booking_void_no_shows",
    "hours_add",
    "hours_remove",
    "no_show_deadline",
    "sms_queue",
    "sms_send",
    "ticket_call_next",
    "ticket_check_in",
    "ticket_finish",
    "ticket_issue",
    "ticket_link_case",
    "ticket_recall",
    "ticket_skip",
    "ticket_transfer",
]
