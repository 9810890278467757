"""What the window's intake needs from a called ticket (``?ticket=<pk>``).

The window's ``intake`` view reads the ticket with :func:`ticket_from_request`,
fills the applicant in with :func:`prefill_intake` and joins the new case to
the ticket with ``services.ticket_link_case`` in the intake's transaction, so
the case carries its ticket (and, through it, its booking).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from workflows.hall.models import Ticket
from workflows.hall.services import ticket_link_case

__all__ = ["Ticket", "prefill_intake", "query_of", "ticket_from_request", "ticket_link_case"]


def ticket_from_request(request: HttpRequest) -> Ticket | None:
    """The ticket named by ``?ticket=``, called by this clerk; 404 when not."""
    raw = request.GET.get("ticket", "")
    if not raw:
        return None
    ticket = (
        Ticket.objects.select_related("counter", "booking")
        .filter(pk=raw if raw.isdigit() else 0, called_by_id=request.user.pk)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def query_of(ticket: Ticket) -> str:
    return "?" + urlencode({"ticket": ticket.pk})


def prefill_intake(intake: Any, ticket: Ticket) -> None:
    """Put the person's name, ID number and phone into an unbound intake's applicant part."""
    intake.person.initial.setdefault("name", ticket.name)
    intake.person.initial.setdefault("id_number", ticket.id_number)
    intake.person.initial.setdefault("phone", ticket.phone)
