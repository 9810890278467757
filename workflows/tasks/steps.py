"""The shared human steps (decision, delivery) and the Step base every flow's steps build on.

A department's own steps live beside its flow (``workflows/<department>/steps.py``,
e.g. 低保's survey and 公示 in ``workflows.civil_affairs.steps``). A flow's
``flow.View(...)`` node is given a Step instance instead of a Django view: the
workbench (``workflows.tasks.views``) renders the step's form on the task page
and ``workflows.tasks.services.task_complete`` calls ``perform`` under the flow
lock, then ``activation.execute()``, in one transaction. The flow drives, the
FSM guards: every change to the case goes through ``workflows.cases.services``;
a step's routing record on the process goes through ``workflows.tasks.records``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases import services as case_services
from workflows.cases.alerts import late_on_promise
from workflows.cases.clock import local_date
from workflows.cases.models import Case, Decision, DeliveryMethod, OverdueReason
from workflows.tasks.flowkit import case_of
from workflows.tasks.records import process_record

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation

    from workflows.tasks.models import CaseProcess

APPROVE = Decision.APPROVED.value
DENY = Decision.DENIED.value
SEND_BACK = "send_back"

REASON_NEEDED = _("不予或退回时须填写理由。")
OVERDUE_NEEDED = _("本件已超过承诺办结期限（%(due)s），请选择超期原因。")


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


def outcome_data(form: StepForm, reason_field: str = "reason") -> dict[str, Any]:
    """What a step records on its task: the outcome, its label and the opinion."""
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
            process_record(process=process, sent_back=True, send_back_reason=reason)
        elif self.decides(form.case):
            case_services.case_decide(
                case=form.case,
                actor=user,
                decision=outcome,
                reason=reason,
                proposed_by=process.proposed_by if process.proposal else None,
            )
            process_record(process=process, sent_back=False, send_back_reason="")
        else:
            process_record(
                process=process,
                proposal=outcome,
                proposed_by=user.pk,
                proposal_reason=reason,
                sent_back=False,
                send_back_reason="",
            )
        return outcome_data(form)


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


def deliver_case(case: Case, form: StepForm, user: Any) -> Case:
    """case_close ``case`` with the delivery ``form``'s answers (the reason only when late)."""
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
        closed = deliver_case(form.case, form, user)
        return {
            "outcome": "delivered",
            "outcome_label": closed.get_delivery_method_display(),
            "opinion": closed.delivery_note,
        }
