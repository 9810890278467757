"""Every write of 首问负责制: log, refer, answer, decline, link to a case, the status lookup.

Each service is keyword-only, atomic, permission-checked and writes one
``ConsultationEvent`` (append-only) per step; notifications go through
``workflows.notifications.services.notify`` in the same transaction with a
dedupe key. Refusals raise the case errors (``InvalidRequest``,
``TransitionRefused``, ``ActionForbidden``) with the messages of
``workflows.firstquestion.errors``. Lock order is always consultation, then
referral, so two people acting on the same consultation queue instead of
deadlocking.

The package: ``consultations`` (the first responder's steps), ``referrals``
(转办 and the receiver's steps), ``lookup`` (the citizens' page),
``last_seen`` (我的首问) and ``common`` (their shared plumbing). The public
names are re-exported here.
"""

from workflows.firstquestion.services.common import NOTIFICATION_KIND
from workflows.firstquestion.services.consultations import (
    LogOutcome,
    consultation_answer,
    consultation_link_case,
    consultation_log,
    consultation_refer,
    consultation_to_application,
    rank_of,
    senior_of,
)
from workflows.firstquestion.services.last_seen import first_question_mark_seen
from workflows.firstquestion.services.lookup import (
    LookupOutcome,
    is_valid_lookup,
    normalize_case_number,
    normalize_digits,
    status_lookup,
)
from workflows.firstquestion.services.referrals import (
    ReferralTarget,
    is_receiver,
    referral_acknowledge,
    referral_answer,
    referral_decline,
    target_label,
)

__all__ = [
    "NOTIFICATION_KIND",
    "LogOutcome",
    "LookupOutcome",
    "ReferralTarget",
    "consultation_answer",
    "consultation_link_case",
    "consultation_log",
    "consultation_refer",
    "consultation_to_application",
    "first_question_mark_seen",
    "is_receiver",
    "is_valid_lookup",
    "normalize_case_number",
    "normalize_digits",
    "rank_of",
    "referral_acknowledge",
    "referral_answer",
    "referral_decline",
    "senior_of",
    "status_lookup",
    "target_label",
]
