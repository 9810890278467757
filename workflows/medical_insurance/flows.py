"""医保 back-office flows: 门诊慢特病待遇认定 and the generic review for 医保 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.medical_insurance.steps import ExpertOpinionStep, ExpertSubmitStep
from workflows.tasks.flowkit import (
    DELIVER_DESCRIPTION,
    CaseFlowMixin,
    is_bundle_child,
    needs_head,
    report_to_bundle,
    start_case,
    was_sent_back,
)
from workflows.tasks.models import HEAD_TASK, OFFICER_TASK, WINDOW_TASK
from workflows.tasks.review import review_flow
from workflows.tasks.steps import DecisionStep, DeliverStep


class ChronicDiseaseFlow(CaseFlowMixin, flow.Flow):
    """门诊慢特病待遇认定

    专家评审（暂停计时） → 审核 (→ 负责人审批 when the item needs it) → 办结出件.
    """

    process_title = _("门诊慢特病待遇认定")

    start = flow.StartHandle(start_case).Annotation(title=_("受理转入")).Next(this.expert_review)

    # officer: the expert review suspends the clock
    expert_review = (
        flow.View(ExpertSubmitStep())
        .Annotation(
            title=_("提交专家评审"),
            description=_("组织定点医疗机构专家评审病种认定，评审期间暂停计时。"),
        )
        .Permission(OFFICER_TASK)
        .Assign(this.expert_review.owner)
        .Next(this.expert_opinion)
    )
    expert_opinion = (
        flow.View(ExpertOpinionStep())
        .Annotation(title=_("专家评审意见"), description=_("录入专家评审结论，恢复计时。"))
        .Permission(OFFICER_TASK)
        .Assign(this.expert_review.owner)
        .Next(this.audit)
    )
    audit = (
        flow.View(DecisionStep("auto", send_back=True))
        .Annotation(title=_("审核"), description=_("依据专家意见审核认定，或退回重新组织评审。"))
        .Permission(OFFICER_TASK)
        .Assign(this.expert_review.owner)
        .Next(this.audited)
    )
    audited = (
        flow.If(was_sent_back)
        .Annotation(title=_("是否重新评审"))
        .Then(this.expert_review)
        .Else(this.needs_head)
    )
    needs_head = (
        flow.If(needs_head)
        .Annotation(title=_("是否须负责人审批"))
        .Then(this.approve)
        .Else(this.decided)
    )

    # head
    approve = (
        flow.View(DecisionStep("decide", send_back=True))
        .Annotation(title=_("负责人审批"), description=_("审批审核意见：准予、不予或退回重审。"))
        .Permission(HEAD_TASK)
        .Next(this.approved)
    )
    approved = (
        flow.If(was_sent_back).Annotation(title=_("是否退回")).Then(this.audit).Else(this.decided)
    )

    # window
    decided = (
        flow.If(is_bundle_child)
        .Annotation(title=_("是否一件事子件"))
        .Then(this.report)
        .Else(this.deliver)
    )
    report = flow.Function(report_to_bundle).Annotation(title=_("报告一件事主件")).Next(this.end)
    deliver = (
        flow.View(DeliverStep())
        .Annotation(title=_("办结出件"), description=DELIVER_DESCRIPTION)
        .Permission(WINDOW_TASK)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))


ReviewFlow = review_flow(module=__name__, department=_("医保"))
