"""The generic back-office review every department package runs.

经办审核 → 负责人审批 (when the item says the decision needs the head) → 窗口出件.
One class per department package, made by ``review_flow`` so that the nodes are
written once: viewflow forbids subclassing flows (docs/design-notes/viewflow.md §1.2), and it
finds a flow's app, URLs and permissions through the class's module, which
``review_flow`` sets to the calling package's ``flows`` module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.tasks.flowkit import (
    DELIVER_DESCRIPTION,
    DELIVER_TITLE,
    CaseFlowMixin,
    is_bundle_child,
    needs_head,
    report_to_bundle,
    start_case,
    was_sent_back,
)
from workflows.tasks.models import HEAD_TASK, OFFICER_TASK, WINDOW_TASK
from workflows.tasks.steps import DecisionStep, DeliverStep

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def review_flow(*, module: str, department: StrOrPromise) -> type[flow.Flow]:
    """A ReviewFlow class living in ``module`` for ``department``'s items."""

    class ReviewFlow(CaseFlowMixin, flow.Flow):
        __module__ = module
        __doc__ = (
            f"{department}事项审核\n\n"
            "经办审核 → 负责人审批 (when the item says the decision needs the head) → 窗口出件.\n"
        )
        process_title = format_lazy(_("{department}事项审核"), department=department)

        start = flow.StartHandle(start_case).Annotation(title=_("受理转入")).Next(this.review)

        # officer
        review = (
            flow.View(DecisionStep("auto"))
            .Annotation(
                title=_("经办审核"), description=_("审核申请材料，作出决定或提出拟办意见。")
            )
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
            .Annotation(
                title=_("负责人审批"), description=_("审批经办人意见：准予、不予或退回重审。")
            )
            .Permission(HEAD_TASK)
            .Next(this.approved)
        )
        approved = (
            flow.If(was_sent_back)
            .Annotation(title=_("是否退回"))
            .Then(this.review)
            .Else(this.decided)
        )

        # window
        decided = (
            flow.If(is_bundle_child)
            .Annotation(title=_("是否一件事子件"))
            .Then(this.report)
            .Else(this.deliver)
        )
        report = (
            flow.Function(report_to_bundle).Annotation(title=_("报告一件事主件")).Next(this.end)
        )
        deliver = (
            flow.View(DeliverStep())
            .Annotation(title=DELIVER_TITLE, description=DELIVER_DESCRIPTION)
            .Permission(WINDOW_TASK)
            .Next(this.end)
        )
        end = flow.End().Annotation(title=_("结束"))

    return ReviewFlow
