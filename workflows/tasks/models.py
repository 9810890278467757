"""The link between a viewflow process and the case it moves.

Every OneWindow flow uses ``CaseProcess`` as its process class: a multi-table
child of viewflow's Process with a real one-to-one key to the case. The key
makes "never two processes for one case" a database constraint, lets the
workbench filter tasks by the case's department or center in SQL, and the
flow lock (``PgRowLock``) locks this row. Step data that only routes the flow
(an officer's proposal, a send-back) lives in ``Process.data`` via jsonstore.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process

from workflows.cases import txn
from workflows.cases.models import Case

OFFICER_TASK = "tasks.officer_task"
HEAD_TASK = "tasks.head_task"
WINDOW_TASK = "tasks.window_task"
DEPARTMENT_PERMISSIONS = (OFFICER_TASK, HEAD_TASK)


class CaseProcess(Process):
    """A flow instance working on one case (办件流程)."""

    case: models.OneToOneField[Case, Case] = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="process"
    )
    # Routing facts written by the steps; the case's legal state stays on Case.
    proposal = jsonstore.CharField(_("拟办意见"), max_length=16, blank=True)
    proposal_reason = jsonstore.CharField(_("拟办理由"), max_length=1000, blank=True)
    # Who made the proposal: four eyes, never the one who approves it.
    proposed_by = jsonstore.IntegerField(_("拟办人"), null=True, blank=True)
    sent_back = jsonstore.BooleanField(_("已退回"), default=False)
    send_back_reason = jsonstore.CharField(_("退回理由"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("办件流程")
        verbose_name_plural = _("办件流程")
        # "manage" is viewflow's (cancel, release someone else's task); declared
        # here so migrations do not depend on whether the flows were imported.
        default_permissions = ("add", "change", "delete", "view", "manage")
        permissions = [
            ("officer_task", _("办理部门经办环节")),
            ("head_task", _("审批部门负责人环节")),
            ("window_task", _("办理窗口出件环节")),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a new process is noted as this transaction's own row (the flow lock's skip)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            txn.note_written(PROCESS_TABLE, self.pk)

    def __str__(self) -> str:
        return f"{self.flow_class.process_title if self.flow_class else ''} {self.case_id}".strip()


PROCESS_TABLE = CaseProcess._meta.db_table
