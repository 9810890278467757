"""Issuing is part of the case step that needs the document (same transaction)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from documents.models import DocumentKind
from documents.services import document_issue, documents_supersede_on_withdrawal
from workflows.cases import numbering
from workflows.cases.models import Case, CaseEvent
from workflows.cases.signals import case_event_recorded

# The case event that makes each document necessary.
DOCUMENT_FOR_ACTION = {
    "accept": DocumentKind.ACCEPTANCE,
    "deem_accept": DocumentKind.ACCEPTANCE,
    "request_correction": DocumentKind.CORRECTION,
    "reject": DocumentKind.REJECTION,
    "approve_extension": DocumentKind.EXTENSION,
    "suspend": DocumentKind.SPECIAL,
    "decide": DocumentKind.COMPLETION,
}


@receiver(case_event_recorded, dispatch_uid="documents.issue_documents")
def issue_documents(*, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """Issue the document an event calls for; a withdrawal makes the open ones lapse."""
    kind = DOCUMENT_FOR_ACTION.get(event.action)
    if kind == DocumentKind.CORRECTION and case.parent_id is not None:
        # A 一件事 tells its applicant once: the main case's notice lists every sub-case.
        return
    if kind is not None:
        # Inside numbering.numbers_last() the organ's serial is taken just before commit.
        numbering.at_commit(
            numbering.DOCUMENT,
            lambda: document_issue(case=case, kind=kind, actor=event.actor, event=event),
        )
    elif event.action == "withdraw":
        documents_supersede_on_withdrawal(case=case, event=event)
