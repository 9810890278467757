"""Staff pages of 首问负责制: 咨询登记, 我的首问, referrals, and the supervisor's 改派.

Thin views: forms validate, ``services`` write, ``selectors`` read. A service
refusal is shown on the page with what was typed (never a 500); a wrong role
is a 403 page that says who may act; an invisible consultation or case a 404.
"""

from workflows.firstquestion.views.common import PAGE_SIZE
from workflows.firstquestion.views.consultations import (
    consultation_answer,
    consultation_apply,
    consultation_detail,
    consultation_refer,
    log,
)
from workflows.firstquestion.views.mine import mark_seen, mine
from workflows.firstquestion.views.reassign import reassign
from workflows.firstquestion.views.referrals import (
    referral_acknowledge,
    referral_answer,
    referral_decline,
    referrals,
)

__all__ = [
    "PAGE_SIZE",
    "consultation_answer",
    "consultation_apply",
    "consultation_detail",
    "consultation_refer",
    "log",
    "mark_seen",
    "mine",
    "reassign",
    "referral_acknowledge",
    "referral_answer",
    "referral_decline",
    "referrals",
]
