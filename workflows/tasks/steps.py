"""The human steps of OneWindow flows: what each step asks and which case service it calls.

A flow's ``flow.View(...)`` node is given a Step instance instead of a Django
view: the workbench (``workflows.tasks.views``) renders the step's form on the
task page and ``workflows.tasks.services.task_complete`` calls ``perform``
under the flow lock, then ``activation.execute()``, in one transaction. The
flow drives, the FSM guards: every change to the case goes through
``workflows.cases.services``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar.api import get_calendar
from workflows.cases import services as case_services
from workflows.cases.alerts import late_on_promise
from workflows.cases.clock import local_date
from workflows.cases.models import Case, Decision, DeliveryMethod, OverdueReason, Status, Suspension
from workflows.tasks.flowkit import case_of, children_pending

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation

    from workflows.tasks.models import CaseProcess

APPROVE = Decision.APPROVED.value
DENY = Decision.DENIED.value
SEND_BACK = "send_back"

REASON_NEEDED = _("不予或退回时须填写理由。")
NOTICE_NOT_OVER = _("公示期未满：公示至 %(end)s（7 日），期满后才能录入公示结果。")
NOTICE_NOT_STARTED = _("本件没有正在进行的公示，请刷新页面。")
OVERDUE_NEEDED = _("本件已超过承诺办结期限（%(due)s），请选择超期原因。")
CHILDREN_PENDING = _("还有子件未办结，不能汇总。")

PUBLIC_NOTICE_DAYS = case_services.PUBLIC_NOTICE_DAYS  # the rule's home is case_resume


class StepForm(forms.Form):
    """A step's form; knows the case, process and step it belongs to."""

    def __init__(
        self, *args: Any, case: Case, process: CaseProcess, step: Step, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.case = case
        self.process = process
        self.step = step


class Step:
    """One human step: its form, the page fragment, and the case service it calls."""

    form_class: ClassVar[type[StepForm]] = StepForm
    template_name: ClassVar[str] = "tasks/steps/form.html"
    submit_label: Any = _("提交")
    # Window steps may be claimed and completed in one click at the counter.
    claim_on_complete: ClassVar[bool] = False

    def get_form(self, activation: Activation, data: Any = None) -> StepForm:
        """The bound (``data``) or initial form for ``activation``'s task."""
        case = case_of(activation)
        return self.form_class(
            data=data,
            initial=self.initial(activation, case),
            case=case,
            process=activation.process,
            step=self,
            prefix="step",
        )

    def initial(self, activation: Activation, case: Case) -> dict[str, Any]:
        """Initial form values."""
        return {}

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        """Extra facts shown with the form."""
        return {}

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        """Call the case services; return what to record on the task (``task.data``)."""
        raise NotImplementedError


def _record(process: CaseProcess, **values: Any) -> None:
    for name, value in values.items():
        setattr(process, name, value)
    process.save()


def _outcome_data(form: StepForm, reason_field: str = "reason") -> dict[str, Any]:
    outcome = form.cleaned_data.get("outcome", "")
    field = form.fields.get("outcome")
    labels = dict(cast(Any, field).choices) if field is not None else {}
    return {
        "outcome": outcome,
        "outcome_label": str(labels.get(outcome, "")),
        "opinion": form.cleaned_data.get(reason_field, "").strip(),
    }


# ---------------------------------------------------------------- decision


class DecisionForm(StepForm):
    """Approve, deny (with reason) or send back (with reason)."""

    outcome = forms.ChoiceField(label=_("办理意见"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("意见说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予或退回时必填，将写入办件记录。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step: DecisionStep = self.step  # type: ignore[assignment]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = step.choices(self.case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") in (DENY, SEND_BACK) and not data.get("reason", "").strip():
            self.add_error("reason", REASON_NEEDED)
        return data


class DecisionStep(Step):
    """An officer's review or a head's approval.

    ``mode``: "decide" calls ``case_decide``; "propose" only records the
    officer's proposal for the head; "auto" decides unless the item says the
    decision needs the head (``decision_needs_head``), then proposes.
    """

    form_class = DecisionForm

    def __init__(self, mode: str = "auto", *, send_back: bool = False) -> None:
        self.mode = mode
        self.send_back = send_back

    def decides(self, case: Case) -> bool:
        """True when this step makes the decision itself."""
        if self.mode == "auto":
            return not case.item_snapshot.get("decision_needs_head")
        return self.mode == "decide"

    def choices(self, case: Case) -> list[tuple[str, Any]]:
        """The outcomes offered on the form."""
        if self.decides(case):
            options = [(APPROVE, _("准予（同意办理）")), (DENY, _("不予（须说明理由）"))]
        else:
            options = [(APPROVE, _("拟准予，报负责人审批")), (DENY, _("拟不予，报负责人审批"))]
        if self.send_back:
            options.append((SEND_BACK, _("退回上一环节重新办理（须说明理由）")))
        return options

    def initial(self, activation: Activation, case: Case) -> dict[str, Any]:
        process = activation.process
        # The proposal is preselected; its reason is shown beside the form (context),
        # not put in the head's own opinion box, which starts empty.
        if process.proposal:
            return {"outcome": process.proposal}
        return {}

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        process = activation.process
        return {
            "proposal": process.proposal,
            "proposal_label": Decision(process.proposal).label if process.proposal else "",
            "proposal_reason": process.proposal_reason,
            "send_back_reason": process.send_back_reason if process.sent_back else "",
            "decides": self.decides(case),
        }

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        outcome = form.cleaned_data["outcome"]
        reason = form.cleaned_data.get("reason", "").strip()
        process = activation.process
        if outcome == SEND_BACK:
            _record(process, sent_back=True, send_back_reason=reason)
        elif self.decides(form.case):
            case_services.case_decide(
                case=form.case,
                actor=user,
                decision=outcome,
                reason=reason,
                proposed_by=process.proposed_by if process.proposal else None,
            )
            _record(process, sent_back=False, send_back_reason="")
        else:
            _record(
                process,
                proposal=outcome,
                proposed_by=user.pk,
                proposal_reason=reason,
                sent_back=False,
                send_back_reason="",
            )
        return _outcome_data(form)


# ---------------------------------------------------------------- 低保: survey and 公示


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
        _record(
            activation.process,
            proposal=outcome,
            proposed_by=user.pk,
            proposal_reason=findings,
            sent_back=False,
            send_back_reason="",
        )
        return _outcome_data(form, "findings")


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
            _record(process, sent_back=True, send_back_reason=reason)
        else:
            _record(
                process,
                proposal=outcome,
                proposed_by=user.pk,
                proposal_reason=reason or process.proposal_reason,
                sent_back=False,
                send_back_reason="",
            )
        return _outcome_data(form)


# ---------------------------------------------------------------- 慢特病: expert review


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
        _record(activation.process, sent_back=False, send_back_reason="")
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
        _record(
            activation.process,
            proposal=outcome,
            proposal_reason=reason,
            sent_back=False,
            send_back_reason="",
        )
        return _outcome_data(form)


# ---------------------------------------------------------------- delivery at the window


class DeliverForm(StepForm):
    """出件: how the result reached the applicant; why it is late, if it is."""

    delivery_method = forms.ChoiceField(label=_("送达方式"), widget=forms.RadioSelect)
    delivery_note = forms.CharField(
        label=_("送达说明"),
        required=False,
        max_length=200,
        help_text=_("如：本人领取、代领人姓名、邮件单号。"),
    )
    overdue_reason = forms.ChoiceField(
        label=_("超期原因"),
        required=False,
        choices=[("", _("（未超期无需选择）")), *OverdueReason.choices],
    )
    overdue_reason_text = forms.CharField(
        label=_("超期原因说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = self.case.item_snapshot.get("delivery_options") or self.case.item.delivery_options
        offered = [m for m in options if m in DeliveryMethod.values]
        choices = [(m, DeliveryMethod(m).label) for m in offered] or list(DeliveryMethod.choices)
        cast(forms.ChoiceField, self.fields["delivery_method"]).choices = choices
        self.fields["delivery_method"].initial = choices[0][0]
        if not self.late_cases():
            # Asked only when late; the service still refuses a late close without it.
            del self.fields["overdue_reason"]
            del self.fields["overdue_reason_text"]

    def late_cases(self) -> list[Case]:
        """The cases this delivery closes after their promised due."""
        moment = timezone.now()
        return [c for c in self.cases() if late_on_promise(c, moment)]

    def cases(self) -> list[Case]:
        """The cases this delivery closes."""
        return [self.case]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        late = self.late_cases()
        problem = case_services.overdue_reason_problem(
            late=bool(late) and "overdue_reason" in self.fields,
            reason=data.get("overdue_reason") or "",
            text=data.get("overdue_reason_text") or "",
        )
        if problem is None:
            return data
        field, message = problem
        if field == "overdue_reason":
            due = "、".join(
                local_date(c.promised_due_at).isoformat() for c in late if c.promised_due_at
            )
            message = OVERDUE_NEEDED % {"due": due}
        self.add_error(field, message)
        return data


def _close(case: Case, form: StepForm, user: Any) -> Case:
    data = form.cleaned_data
    late = late_on_promise(case, timezone.now())
    return case_services.case_close(
        case=case,
        actor=user,
        delivery_method=data["delivery_method"],
        delivery_note=data.get("delivery_note", ""),
        overdue_reason=data.get("overdue_reason", "") if late else "",
        overdue_reason_text=data.get("overdue_reason_text", "") if late else "",
    )


class DeliverStep(Step):
    """出件 at the window of the case's center: case_close, which ends the case."""

    form_class = DeliverForm
    submit_label = _("确认已送达，办结")
    claim_on_complete = True

    def context(self, activation: Activation, case: Case) -> dict[str, Any]:
        late = late_on_promise(case, timezone.now())
        return {
            "late": late,
            "decision": case.get_decision_display(),
            "decision_reason": case.decision_reason,
        }

    def perform(self, *, activation: Activation, form: StepForm, user: Any) -> dict[str, Any]:
        closed = _close(form.case, form, user)
        return {
            "outcome": "delivered",
            "outcome_label": closed.get_delivery_method_display(),
            "opinion": closed.delivery_note,
        }


# ---------------------------------------------------------------- 一件事 (bundle parent)


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


def children_of(case: Case) -> list[Case]:
    """The sub-cases of a bundle, in intake order."""
    return list(case.children.select_related("item", "department").order_by("pk"))


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
        return _outcome_data(form)


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
            _close(child, form, user)
            for child in children_of(form.case)
            if child.status == Status.DECIDED
        ]
        parent = _close(form.case, form, user)
        return {
            "outcome": "delivered",
            "outcome_label": parent.get_delivery_method_display(),
            "opinion": parent.delivery_note,
            "closed": [c.number for c in closed],
        }
