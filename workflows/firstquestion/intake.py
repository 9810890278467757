"""What the window's intake needs from a consultation turned into an application.

The window's ``choose_item`` and ``intake`` views read ``?consultation=<pk>``
with :func:`consultation_from_request`, prefill the applicant from it with
:func:`prefill_intake`, pass ``first_responder=consultation.first_responder``
to ``case_receive`` and call ``services.consultation_link_case`` in the same
transaction.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from workflows.firstquestion.models import Consultation
from workflows.firstquestion.selectors.visibility import visible_consultation
from workflows.firstquestion.services.consultations import consultation_link_case

__all__ = [
    "Consultation",
    "consultation_from_request",
    "consultation_link_case",
    "prefill_intake",
    "query_of",
]


def consultation_from_request(request: HttpRequest) -> Consultation | None:
    """The consultation named by ``?consultation=``; 404 when it is unknown or not visible."""
    raw = request.GET.get("consultation", "")
    if not raw:
        return None
    consultation = visible_consultation(request.user, raw)
    if consultation is None:
        raise Http404
    return consultation


def query_of(consultation: Consultation | None) -> str:
    """``?consultation=<pk>`` to carry it through the item chooser ('' without one)."""
    return "?" + urlencode({"consultation": consultation.pk}) if consultation else ""


def prefill_intake(intake: Any, consultation: Consultation) -> None:
    """Put the citizen's name and phone into an unbound intake's applicant part."""
    for part in (intake.person, intake.organisation):
        part.initial.setdefault("name", consultation.citizen_name)
        part.initial.setdefault("phone", consultation.citizen_phone)
