"""民政 back-office flows: 最低生活保障 and the generic review for 民政 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.civil_affairs.steps import PublicNoticeStep, SurveyStep
from workflows.tasks.flowkit import (
    DELIVER_DESCRIPTION,
    CaseFlowMixin,
    is_bundle_child,
    proposes_approval,
    report_to_bundle,
    start_case,
    was_sent_back,
)
from workflows.tasks.models import HEAD_TASK, OFFICER_TASK, WINDOW_TASK
from workflows.tasks.review import review_flow
from workflows.tasks.steps import DecisionStep, DeliverStep


class MinimumLivingFlow(CaseFlowMixin, flow.Flow):
    """最低生活保障

    镇街入户调查 → 张榜公示 7 日（暂停计时） → 县民政局审批 (or back to the survey) → 结果告知.
    """

    process_title = _("最低生活保障")

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


ReviewFlow = review_flow(module=__name__, department=_("民政"))
