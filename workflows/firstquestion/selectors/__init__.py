"""Reads of 首问负责制: who sees which consultation, 我的首问, who holds a case, the public view.

The package: ``visibility`` (who sees which consultation and referral),
``mine`` (我的首问 and who holds a case now) and ``public`` (the citizens'
status page). Who holds a case's open task is
``workflows.tasks.selectors.task_holders``. The public names are re-exported here.
"""

from workflows.firstquestion.selectors.mine import (
    CONSULTATION_ACTIONS,
    CaseRow,
    Change,
    ConsultationRow,
    attention_count,
    attention_rows,
    case_rows,
    consultation_change,
    consultation_holder,
    consultation_rows,
    consultation_summary,
    holders_of,
    last_seen,
    my_cases,
    my_consultations,
)
from workflows.firstquestion.selectors.public import STAGE_WORDS, PublicStatus, public_status
from workflows.firstquestion.selectors.visibility import (
    consultation_filter,
    consultations_visible_to,
    pending_referral_count,
    pending_referrals,
    receiver_filter,
    referrals_for_receiver,
    visible_consultation,
)

__all__ = [
    "CONSULTATION_ACTIONS",
    "STAGE_WORDS",
    "CaseRow",
    "Change",
    "ConsultationRow",
    "PublicStatus",
    "attention_count",
    "attention_rows",
    "case_rows",
    "consultation_change",
    "consultation_filter",
    "consultation_holder",
    "consultation_rows",
    "consultation_summary",
    "consultations_visible_to",
    "holders_of",
    "last_seen",
    "my_cases",
    "my_consultations",
    "pending_referral_count",
    "pending_referrals",
    "public_status",
    "receiver_filter",
    "referrals_for_receiver",
    "visible_consultation",
]
