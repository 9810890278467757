"""Every write to a case: one service per transition, each atomic and audited.

The pattern of each service (HackSoft/Zulip style): keyword-only arguments,
the acting user (None = the system), permission check for role and place,
the django-fsm transition (optimistic: the UPDATE only succeeds if the status
is still the one read), the clock, one CaseEvent, and side effects through
the ``case_event_recorded`` signal in the same transaction. A client-supplied
``idempotency_key`` makes a retried or double-clicked request a no-op.

A package, one module per concern (issue #12): ``inputs`` (the dataclasses and
text limits), ``_transition`` (the shared machinery), ``_clock`` (the case row's
clock), ``intake``, ``acceptance``, ``processing``, ``extensions``, ``upkeep``
and ``accountability``. Every public name is re-exported here, so callers keep
importing ``workflows.cases.services``; the reads the services share live in
``workflows.cases.selectors`` and are re-exported too.
"""

from __future__ import annotations

from workflows.cases.models import RUNNING
from workflows.cases.selectors import cases_depending_on_years, open_public_notice
from workflows.cases.services._clock import clock_input, clock_state
from workflows.cases.services.acceptance import (
    DEEMED_ACCEPTANCE_RULE,
    acceptance_basis,
    case_accept,
    case_deem_accept,
    case_reject,
    case_request_correction,
    case_supplement,
    case_withdraw,
    is_deemed_accepted,
)
from workflows.cases.services.accountability import (
    REVEAL_PURPOSE_MAX,
    REVEALABLE_FIELDS,
    case_reassign_first_responder,
    case_reveal_personal_data,
)
from workflows.cases.services.extensions import case_decide_extension, case_request_extension
from workflows.cases.services.inputs import (
    REASON_MAX,
    SHORT_TEXT_MAX,
    CorrectionLine,
    MaterialLine,
    Party,
)
from workflows.cases.services.intake import case_receive
from workflows.cases.services.processing import (
    PUBLIC_NOTICE_DAYS,
    case_close,
    case_decide,
    case_resume,
    case_start,
    case_suspend,
    overdue_reason_problem,
    public_notice_ends,
    suspension_expected_end,
)
from workflows.cases.services.upkeep import (
    Overrun,
    case_recompute_clock,
    recompute_for_years,
    special_procedures_mark_overrun,
)

__all__ = [
    "DEEMED_ACCEPTANCE_RULE",
    "PUBLIC_NOTICE_DAYS",
    "REASON_MAX",
    "REVEALABLE_FIELDS",
    "REVEAL_PURPOSE_MAX",
    "RUNNING",
    "SHORT_TEXT_MAX",
    "CorrectionLine",
    "MaterialLine",
    "Overrun",
    "Party",
    "acceptance_basis",
    "case_accept",
    "case_close",
    "case_decide",
    "case_decide_extension",
    "case_deem_accept",
    "case_reassign_first_responder",
    "case_receive",
    "case_recompute_clock",
    "case_reject",
    "case_request_correction",
    "case_request_extension",
    "case_resume",
    "case_reveal_personal_data",
    "case_start",
    "case_supplement",
    "case_suspend",
    "case_withdraw",
    "cases_depending_on_years",
    "clock_input",
    "clock_state",
    "is_deemed_accepted",
    "open_public_notice",
    "overdue_reason_problem",
    "public_notice_ends",
    "recompute_for_years",
    "special_procedures_mark_overrun",
    "suspension_expected_end",
]
