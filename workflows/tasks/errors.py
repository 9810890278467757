"""Refusals of the workbench (claim, complete, send back), as CaseError subclasses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from workflows.cases.errors import ActionForbidden, CaseError, InvalidRequest

if TYPE_CHECKING:
    from workflows.tasks.steps import StepForm

ALREADY_CLAIMED = _("该任务已由%(owner)s领取，您无需再领取。")
ALREADY_CLAIMED_BY_YOU = _("您已领取该任务，请直接办理。")
TASK_CLOSED = _("该任务已办结或已取消，请刷新待办列表。")
NOT_OWNER = _("该任务不在您的待办中：请先领取，或由领取人办理。")
NOT_IN_SCOPE = _("该任务不属于您所在的部门或中心，您不能查看或办理。")
NO_TASK_PERMISSION = _("您的岗位不能办理“%(title)s”环节。")
CANNOT_RELEASE = _("只有领取人或本部门负责人可以退回该任务。")
FORM_INVALID = _("请按提示修改后再提交。")
CASE_NOT_ACCEPTED = _("办件 %(number)s 尚未受理（当前状态：%(status)s），不能转入部门办理。")
NO_FLOW = _("事项“%(item)s”没有配置后台办理流程（%(flow)s）。")
BUNDLE_ONLY = _("“一件事”主件须在“一件事”页面一次受理，不能单独转入部门办理。")


class TaskError(CaseError):
    """The task cannot be claimed or completed in its current state (HTTP 409)."""


class TaskForbidden(ActionForbidden):
    """The user may not see or act on this task (HTTP 403)."""


class StepInvalid(InvalidRequest):
    """The step form did not validate; carries the bound form back to the page."""

    def __init__(self, form: StepForm) -> None:
        super().__init__(FORM_INVALID)
        self.form = form

    def __str__(self) -> str:
        return f"{self.message} {self.form.errors.as_text()}"
