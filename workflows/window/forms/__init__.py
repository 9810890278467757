"""The window's forms: the intake (composed of forms.applicant), the checklist, the outcomes.

They validate and turn what the clerk typed into the inputs of the services
(Party, MaterialLine, CorrectionLine); they never write. The names stay
importable from here.
"""

from workflows.window.forms.actions import (
    DELIVERY_METHOD_NEEDED,
    DENIAL_NEEDS_REASON,
    NOTHING_BROUGHT,
    OVERDUE_REASON_NEEDED,
    DecideAction,
    DecideForm,
    DeliverForm,
    SupplementAction,
    SupplementForm,
    SupplementLineForm,
    WithdrawForm,
    delivery_choices,
)
from workflows.window.forms.case_page import RevealForm, SearchForm
from workflows.window.forms.intake import (
    COMPETENT_ORGAN_REQUIRED,
    DEFECT_NEEDS_PROBLEM,
    NOTHING_TO_CORRECT,
    REJECTION_NEEDS_REASON,
    Checklist,
    Intake,
    IntakeControlForm,
    MaterialLineForm,
    OutcomeForm,
)
from workflows.window.forms.keyed import STALE_FORM, KeyedForm, KeyField
from workflows.window.keys import KEY_PATTERN, new_key, service_key_prefix
from workflows.window.notice import MISSING_DEFAULT, MISSING_DEFAULT_NOTE, missing_problem
from workflows.window.outcomes import Outcome

__all__ = [
    "COMPETENT_ORGAN_REQUIRED",
    "DEFECT_NEEDS_PROBLEM",
    "DELIVERY_METHOD_NEEDED",
    "DENIAL_NEEDS_REASON",
    "KEY_PATTERN",
    "MISSING_DEFAULT",
    "MISSING_DEFAULT_NOTE",
    "NOTHING_BROUGHT",
    "NOTHING_TO_CORRECT",
    "OVERDUE_REASON_NEEDED",
    "REJECTION_NEEDS_REASON",
    "STALE_FORM",
    "Checklist",
    "DecideAction",
    "DecideForm",
    "DeliverForm",
    "Intake",
    "IntakeControlForm",
    "KeyField",
    "KeyedForm",
    "MaterialLineForm",
    "Outcome",
    "OutcomeForm",
    "RevealForm",
    "SearchForm",
    "SupplementAction",
    "SupplementForm",
    "SupplementLineForm",
    "WithdrawForm",
    "delivery_choices",
    "missing_problem",
    "new_key",
    "service_key_prefix",
]
