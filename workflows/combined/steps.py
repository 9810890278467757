"""一件事's own steps: the lead department's summary and the one combined delivery at the window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases import services as case_services
from workflows.cases.alerts import late_on_promise
from workflows.cases.models import Case, Status
from workflows.combined.selectors import children_of, children_pending
from workflows.tasks.steps import (
    APPROVE,
    DENY,
    REASON_NEEDED,
    DeliverForm,
    Step,
    StepForm,
    deliver_case,
    outcome_data,
)

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation

CHILDREN_PENDING = _("还有子件未办结，不能汇总。")


class BundleSummaryForm(StepForm):
    """牵头部门汇总: the bundle's overall result from its sub-cases' decisions."""

    outcome = forms.ChoiceField(
        label=_("汇总结果"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("办结（各子件结果随件送达）")), (DENY, _("均不予办理"))],
    )
    reason = forms.CharField(
        label=_("汇总说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if children_pending(self.case):
            raise forms.ValidationError(CHILDREN_PENDING)
        if data.get("outcome") == DENY and not data.get("reason", "").strip():
            self.add_error("reason", REASON_NEEDED)
        return data


def bundle_summary(case: Case) -> str:
    """One line per sub-case result, for the bundle's decision reason."""
    return "；".join(
        f"{c.item.name}：{c.get_decision_display() or c.get_status_display()}"
        for c in children_of(case)
    )


class BundleSummaryStep(Step):
    """牵头部门 confirms the bundle's result: case_decide on the parent case."""

    form_class = BundleSummaryForm

    def initial(self, activation: Activation, case: Case) -> dict[str, Any]:
        children = children_of(case)
        any_approved = any(c.decision == APPROVE for c in children)
        return {
            "outcome": APPROVE if any_approved or not children else DENY,
            "reason": bundle_summary(case),
        }

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        return {"children": children_of(case)}

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        outcome = form.cleaned_data["outcome"]
        reason = form.cleaned_data.get("reason", "").strip() or bundle_summary(form.case)
        case_services.case_decide(case=form.case, actor=user, decision=outcome, reason=reason)
        return outcome_data(form)


class BundleDeliverForm(DeliverForm):
    """一件事出件: one delivery for every decided sub-case and the bundle itself."""

    def cases(self) -> list[Case]:
        return [*[c for c in children_of(self.case) if c.status == Status.DECIDED], self.case]


class BundleDeliverStep(Step):
    """One combined completion at the window: close each decided sub-case, then the bundle."""

    form_class = BundleDeliverForm
    submit_label = _("确认全部结果已送达，办结")
    claim_on_complete = True

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        late = any(late_on_promise(c, timezone.now()) for c in [*children_of(case), case])
        return {"children": children_of(case), "late": late}

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        closed = [
            deliver_case(child, form, user)
            for child in children_of(form.case)
            if child.status == Status.DECIDED
        ]
        parent = deliver_case(form.case, form, user)
        return {
            "outcome": "delivered",
            "outcome_label": parent.get_delivery_method_display(),
            "opinion": parent.delivery_note,
            "closed": [c.number for c in closed],
        }
