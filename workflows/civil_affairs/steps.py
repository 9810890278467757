"""民政's own steps of 最低生活保障: the 镇街入户调查 and the 7-day 公示 (the clock suspended)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar.api import get_calendar
from workflows.cases import services as case_services
from workflows.cases.clock import local_date
from workflows.cases.models import Case, Suspension
from workflows.tasks.records import process_record
from workflows.tasks.steps import (
    APPROVE,
    DENY,
    REASON_NEEDED,
    SEND_BACK,
    Step,
    StepForm,
    outcome_data,
)

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation

NOTICE_NOT_OVER = _("公示期未满：公示至 %(end)s（7 日），期满后才能录入公示结果。")
NOTICE_NOT_STARTED = _("本件没有正在进行的公示，请刷新页面。")

PUBLIC_NOTICE_DAYS = case_services.PUBLIC_NOTICE_DAYS  # the rule's home is case_resume


class SurveyForm(StepForm):
    """镇街入户调查: findings and whether the household qualifies."""

    findings = forms.CharField(
        label=_("入户调查情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("家庭人口、收入、财产及生活状况的核查结果。"),
    )
    outcome = forms.ChoiceField(
        label=_("调查结论"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("符合条件，张榜公示 7 日（期间暂停计时）")),
            (DENY, _("不符合条件，拟不予，报县民政局审批")),
        ],
    )


class SurveyStep(Step):
    """镇街入户调查; an eligible household goes to 公示, which suspends the clock."""

    form_class = SurveyForm

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        outcome = form.cleaned_data["outcome"]
        findings = form.cleaned_data["findings"].strip()
        if outcome == APPROVE:
            today = local_date(timezone.now())
            days = get_calendar().working_days_between(
                today, today + timedelta(days=PUBLIC_NOTICE_DAYS)
            )
            case_services.case_suspend(
                case=form.case,
                actor=user,
                procedure=Suspension.Procedure.PUBLIC_NOTICE,
                expected_days=max(days, 1),
                reason=str(_("最低生活保障审核结果张榜公示 7 日")),
            )
        process_record(
            process=activation.process,
            proposal=outcome,
            proposed_by=user.pk,
            proposal_reason=findings,
            sent_back=False,
            send_back_reason="",
        )
        return outcome_data(form, "findings")


def notice_ends(case: Case) -> Any:
    """The last day of the running 公示 (local date), or None."""
    return case_services.public_notice_ends(case)


class PublicNoticeForm(StepForm):
    """公示结果: no objection, an objection that holds, or back to the survey."""

    outcome = forms.ChoiceField(
        label=_("公示结果"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("公示期满无异议，报县民政局审批")),
            (DENY, _("有异议且经核实成立，拟不予")),
            (SEND_BACK, _("有异议需重新入户调查")),
        ],
    )
    reason = forms.CharField(
        label=_("公示情况说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有异议时必填：异议内容及核实情况。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ends = notice_ends(self.case)
        if ends is None:
            raise forms.ValidationError(NOTICE_NOT_STARTED)
        if local_date(timezone.now()) < ends:
            raise forms.ValidationError(NOTICE_NOT_OVER % {"end": ends.isoformat()})
        if data.get("outcome") in (DENY, SEND_BACK) and not data.get("reason", "").strip():
            self.add_error("reason", REASON_NEEDED)
        return data


class PublicNoticeStep(Step):
    """公示 7 days: the clock is suspended until the result is recorded (case_resume)."""

    form_class = PublicNoticeForm

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        notice = case_services.open_public_notice(case)
        ends = notice_ends(case)
        running = ends is not None and local_date(timezone.now()) < ends
        return {
            "notice_ends": ends,
            # While the notice runs the page says so, and offers no form (clean() refuses).
            "notice_running": running,
            "notice_started": local_date(notice.started_at) if notice is not None else None,
        }

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        outcome = form.cleaned_data["outcome"]
        reason = form.cleaned_data.get("reason", "").strip()
        case_services.case_resume(case=form.case, actor=user)
        process = activation.process
        if outcome == SEND_BACK:
            process_record(process=process, sent_back=True, send_back_reason=reason)
        else:
            process_record(
                process=process,
                proposal=outcome,
                proposed_by=user.pk,
                proposal_reason=reason or process.proposal_reason,
                sent_back=False,
                send_back_reason="",
            )
        return outcome_data(form)
