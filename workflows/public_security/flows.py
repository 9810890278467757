"""公安 back-office flows: 户口迁移 and the generic review for other 公安 items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.tasks.flowkit import (
    DELIVER_DESCRIPTION,
    DELIVER_TITLE,
    CaseFlowMixin,
    is_bundle_child,
    report_to_bundle,
    start_case,
    was_sent_back,
)
from workflows.tasks.models import HEAD_TASK, OFFICER_TASK, WINDOW_TASK
from workflows.tasks.review import review_flow
from workflows.tasks.steps import DecisionStep, DeliverStep


class HouseholdMoveFlow(CaseFlowMixin, flow.Flow):
    """户口迁移

    民警审核 → 所长审批 (or back to the officer) → 窗口出件.
    """

    process_title = _("户口迁移")

    start = flow.StartHandle(start_case).Annotation(title=_("受理转入")).Next(this.police_review)

    # 派出所 officer
    police_review = (
        flow.View(DecisionStep("propose"))
        .Annotation(
            title=_("民警审核"), description=_("核对迁移理由、准迁证明及户口簿信息，提出拟办意见。")
        )
        .Permission(OFFICER_TASK)
        .Assign(this.police_review.owner)
        .Next(this.chief_approval)
    )

    # 派出所所长
    chief_approval = (
        flow.View(DecisionStep("decide", send_back=True))
        .Annotation(title=_("所长审批"), description=_("审批民警意见：准予、不予或退回重审。"))
        .Permission(HEAD_TASK)
        .Next(this.approved)
    )
    approved = (
        flow.If(was_sent_back)
        .Annotation(title=_("是否退回"))
        .Then(this.police_review)
        .Else(this.decided)
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


ReviewFlow = review_flow(module=__name__, department=_("公安"))
