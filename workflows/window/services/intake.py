"""收件 at the window: receive, link the consultation or ticket, then the clerk's outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from workflows.api import sharing
from workflows.cases import numbering, services
from workflows.cases.models import Case, CaseEvent
from workflows.catalog.models import Center, ServiceItem
from workflows.firstquestion import intake as first_question
from workflows.hall import intake as hall_ticket
from workflows.window import display
from workflows.window.keys import service_key
from workflows.window.outcomes import Outcome
from workflows.window.services.review import Received, decide_outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Every service key one intake form may use: 收件, then one outcome.
_ACTIONS = ["receive", *Outcome.values]


def window_intake(
    *,
    center: Center,
    item: ServiceItem,
    actor: User,
    key: str,
    applicant: services.Party,
    agent: services.Party | None,
    materials: Sequence[services.MaterialLine],
    outcome: str,
    correction: Sequence[services.CorrectionLine] = (),
    rejection_reason: str = "",
    competent_organ: str = "",
    consultation: first_question.Consultation | None = None,
    ticket: hall_ticket.Ticket | None = None,
    found: Sequence[dict[str, Any]] = (),
) -> Received:
    """收件 plus the chosen outcome, all or nothing; a replayed ``key`` returns the first result.

    ``key`` is the form's idempotency key. The center's case number and the
    receipt's serial are taken last, just before commit (numbering.numbers_last),
    so a center's windows queue on those counters for a few statements instead
    of for the whole intake. A consultation's link records the case number, so
    that path numbers at once.
    """
    block = transaction.atomic() if consultation is not None else numbering.numbers_last()
    with block:
        received = _intake_steps(
            center=center,
            item=item,
            actor=actor,
            keys={action: service_key(actor.pk, key, action) for action in _ACTIONS},
            applicant=applicant,
            agent=agent,
            materials=materials,
            outcome=outcome,
            correction=correction,
            rejection_reason=rejection_reason,
            competent_organ=competent_organ,
            consultation=consultation,
            ticket=ticket,
            found=list(found),
        )
    case = received.case
    if case.number.startswith("pending-"):  # numbered at commit, on another instance
        case.number = Case.objects.values_list("number", flat=True).get(pk=case.pk)
    return received


def _intake_steps(
    *,
    center: Center,
    item: ServiceItem,
    actor: User,
    keys: dict[str, str],
    applicant: services.Party,
    agent: services.Party | None,
    materials: Sequence[services.MaterialLine],
    outcome: str,
    correction: Sequence[services.CorrectionLine],
    rejection_reason: str,
    competent_organ: str,
    consultation: first_question.Consultation | None,
    ticket: hall_ticket.Ticket | None,
    found: list[dict[str, Any]],
) -> Received:
    case = services.case_receive(
        center=center,
        item=item,
        actor=actor,
        applicant=applicant,
        agent=agent,
        materials=materials,
        first_responder=consultation.first_responder if consultation else None,
        idempotency_key=keys["receive"],
    )
    sharing.attach_found(case, found)  # 免提交: the records the sources returned (once)
    if consultation is not None:  # 首问: the consultation and its case, linked (idempotent)
        first_question.consultation_link_case(consultation=consultation, case=case, actor=actor)
    if ticket is not None:  # 叫号: the called ticket and its case, linked (idempotent)
        hall_ticket.ticket_link_case(ticket=ticket, case=case)
    # A double click: the first request committed the case and its outcome.
    done = CaseEvent.objects.filter(
        case_id=case.pk, idempotency_key__in=[keys[o] for o in Outcome.values]
    ).exists()
    if done:
        return Received(case=case, document=display.default_document(case), replayed=True)
    return decide_outcome(
        case=case,
        actor=actor,
        outcome=outcome,
        key=keys[outcome],
        correction=correction,
        rejection_reason=rejection_reason,
        competent_organ=competent_organ,
        replayed=False,  # ``done`` above covered the accept key too: no second look
    )


__all__ = ["window_intake"]
