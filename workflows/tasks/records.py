"""The routing record a step writes on its case's process (proposal, send-back): one service.

Steps never save a ``CaseProcess`` themselves: they call :func:`process_record`
under the flow lock ``task_complete`` holds, in its transaction.
"""

from __future__ import annotations

from workflows.tasks.models import CaseProcess


def process_record(
    *,
    process: CaseProcess,
    sent_back: bool,
    send_back_reason: str,
    proposal: str | None = None,
    proposed_by: int | None = None,
    proposal_reason: str | None = None,
) -> CaseProcess:
    """Record a step's routing facts on ``process``; a proposal field left None is kept as is."""
    process.sent_back = sent_back
    process.send_back_reason = send_back_reason
    if proposal is not None:
        process.proposal = proposal
    if proposed_by is not None:
        process.proposed_by = proposed_by
    if proposal_reason is not None:
        process.proposal_reason = proposal_reason
    process.save()
    return process
