"""The 一件事 parent flow: fan out to the departments, wait, summarise, deliver once.

Open-source viewflow has no Subprocess: each sub-case runs its own
department flow, started here from ``fan_out``; the sub-flows report back
with the ``sub_case_finished`` signal, whose receiver (``bundle_child_finished``)
runs the ``wait_children`` Handle once no sub-case is pending.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.combined.selectors import children_pending
from workflows.combined.steps import BundleDeliverStep, BundleSummaryStep
from workflows.tasks.flowkit import CaseFlowMixin, start_case
from workflows.tasks.models import OFFICER_TASK, WINDOW_TASK
from workflows.tasks.routing import start_department_flow


def start_children(activation: Any) -> None:
    """BundleFlow Function: start each sub-case's own department flow."""
    parent = activation.process.case
    for child in parent.children.select_related("item", "department").order_by("pk"):
        start_department_flow(case=child, actor=None)


def bundle_pending(activation: Any) -> bool:
    """BundleFlow If-gate: some sub-case is still being handled."""
    return children_pending(activation.process.case)


class BundleFlow(CaseFlowMixin, flow.Flow):
    """一件事联办

    一次受理 → 分送各部门子件（各自的流程和时限） → 子件全部办结 → 牵头部门汇总 → 窗口一次出件.
    """

    process_title = _("一件事联办")

    start = flow.StartHandle(start_case).Annotation(title=_("一次受理")).Next(this.fan_out)
    fan_out = flow.Function(start_children).Annotation(title=_("分送各部门")).Next(this.pending)
    pending = (
        flow.If(bundle_pending)
        .Annotation(title=_("是否有子件在办"))
        .Then(this.wait_children)
        .Else(this.summarize)
    )
    wait_children = flow.Handle().Annotation(title=_("等待子件办结")).Next(this.summarize)

    # 牵头部门 (the parent case's department)
    summarize = (
        flow.View(BundleSummaryStep())
        .Annotation(
            title=_("牵头部门汇总"), description=_("核对各子件办理结果，确认“一件事”办结。")
        )
        .Permission(OFFICER_TASK)
        .Next(this.deliver)
    )

    # window
    deliver = (
        flow.View(BundleDeliverStep())
        .Annotation(
            title=_("一件事出件"),
            description=_("窗口将各子件结果一次送达申请人，主件及子件一并办结。"),
        )
        .Permission(WINDOW_TASK)
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("结束"))
