"""医保's own steps of 门诊慢特病认定: submitting to the expert review and recording its opinion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.cases import services as case_services
from workflows.cases.models import Suspension
from workflows.tasks.records import process_record
from workflows.tasks.steps import APPROVE, DENY, Step, StepForm, outcome_data

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation


class ExpertSubmitForm(StepForm):
    """提交专家评审: how long the experts need (the clock pauses meanwhile)."""

    expected_days = forms.IntegerField(
        label=_("预计评审工作日"),
        min_value=1,
        max_value=60,
        initial=10,
        help_text=_("专家评审期间暂停计时（行政许可法第四十五条），须书面告知申请人。"),
    )
    reason = forms.CharField(
        label=_("评审事项"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("门诊慢特病病种认定专家评审"),
    )


class ExpertSubmitStep(Step):
    """专家评审 starts: case_suspend(procedure="expert_review")."""

    form_class = ExpertSubmitForm

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        days = form.cleaned_data["expected_days"]
        reason = form.cleaned_data["reason"].strip()
        case_services.case_suspend(
            case=form.case,
            actor=user,
            procedure=Suspension.Procedure.EXPERT_REVIEW,
            expected_days=days,
            reason=reason,
        )
        process_record(process=activation.process, sent_back=False, send_back_reason="")
        return {
            "outcome": "expert_review",
            "outcome_label": str(_("提交专家评审")),
            "opinion": f"{reason}（{days}）",
        }


class ExpertOpinionForm(StepForm):
    """专家评审意见: recognised or not, with the experts' opinion."""

    outcome = forms.ChoiceField(
        label=_("专家评审结论"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("符合认定标准")), (DENY, _("不符合认定标准"))],
    )
    reason = forms.CharField(
        label=_("专家意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExpertOpinionStep(Step):
    """专家评审 ends: record the opinion, case_resume; the audit step decides."""

    form_class = ExpertOpinionForm

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        outcome = form.cleaned_data["outcome"]
        reason = form.cleaned_data["reason"].strip()
        case_services.case_resume(case=form.case, actor=user)
        process_record(
            process=activation.process,
            proposal=outcome,
            proposal_reason=reason,
            sent_back=False,
            send_back_reason="",
        )
        return outcome_data(form)
