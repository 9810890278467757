"""民政 back-office flows: 最低生活保障 and the generic review for 民政 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.tasks.flowkit import (
    DELIVER_DESCRIPTION,
    DELIVER_TITLE,
    CaseFlowMixin,
    is_bundle_child,
    needs_head,
    proposes_approval,
    report_to_bundle,
    start_case,
    was_sent_back,
)
from workflows.tasks.models import HEAD_TASK, OFFICER_TASK, WINDOW_TASK
from workflows.tasks.steps import DecisionStep, DeliverStep, PublicNoticeStep, SurveyStep


class MinimumLivingFlow(CaseFlowMixin, flow.Flow):
    """最低生活保障

    镇街入户调查 → 张榜公示 7 日（暂停计时） → 县民政局审批 (or back to the survey) → 结果告知.
    """

    start = flow.StartHandle(start_case).Annotation(title=_("受理转入")).Next(this.town_survey)

    # 镇（街道）经办人
    town_survey = (
        flow.View(SurveyStep())
        .Annotation(
            title=_("镇街入户调查"), description=_("入户调查家庭经济状况，提出是否符合条件的意见。")
        )
        .Permission(OFFICER_TASK)
        .Assign(this.town_survey.owner)
        .Next(this.eligible)
    )
    eligible = (
        flow.If(proposes_approval)
        .Annotation(title=_("是否进入公示"))
        .Then(this.public_notice)
        .Else(this.county_approval)
    )
    public_notice = (
        flow.View(PublicNoticeStep())
        .Annotation(
            title=_("公示"),
            description=_("在村（居）务公开栏公示 7 日，期满录入公示结果并恢复计时。"),
        )
        .Permission(OFFICER_TASK)
        .Assign(this.town_survey.owner)
        .Next(this.notice_result)
    )
    notice_result = (
        flow.If(was_sent_back)
        .Annotation(title=_("是否重新调查"))
        .Then(this.town_survey)
        .Else(this.county_approval)
    )

    # 县民政局负责人
    county_approval = (
        flow.View(DecisionStep("decide", send_back=True))
        .Annotation(
            title=_("县民政局审批"),
            description=_("审核调查和公示结果，作出准予或不予的决定，或退回重新调查。"),
        )
        .Permission(HEAD_TASK)
        .Next(this.approved)
    )
    approved = (
        flow.If(was_sent_back)
        .Annotation(title=_("是否退回"))
        .Then(this.town_survey)
        .Else(this.decided)
    )

    # window
    decided = (
        flow.If(is_bundle_child)
        .Annotation(title=_("是否一件事子件"))
        .Then(this.report)
        .Else(this.result_notice)
    )
    report = flow.Function(report_to_bundle).Annotation(title=_("报告一件事主件")).Next(this.end)
    result_notice = (
        flow.View(DeliverStep())
        .Annotation(title=_("结果告知"), description=DELIVER_DESCRIPTION)
        .Permission(WINDOW_TASK)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))


class ReviewFlow(CaseFlowMixin, flow.Flow):
    """民政事项审核

    经办审核 → 负责人审批 (when the item says the decision needs the head) → 窗口出件.
    """

    start = flow.StartHandle(start_case).Annotation(title=_("受理转入")).Next(this.review)

    # officer
    review = (
        flow.View(DecisionStep("auto"))
        .Annotation(title=_("经办审核"), description=_("审核申请材料，作出决定或提出拟办意见。"))
        .Permission(OFFICER_TASK)
        .Assign(this.review.owner)
        .Next(this.needs_head)
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
        .Annotation(title=_("负责人审批"), description=_("审批经办人意见：准予、不予或退回重审。"))
        .Permission(HEAD_TASK)
        .Next(this.approved)
    )
    approved = (
        flow.If(was_sent_back).Annotation(title=_("是否退回")).Then(this.review).Else(this.decided)
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
        .Annotation(title=DELIVER_TITLE, description=DELIVER_DESCRIPTION)
        .Permission(WINDOW_TASK)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))
