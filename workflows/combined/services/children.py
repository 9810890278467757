"""一件事 sub-cases reporting back: wake the parent flow once no sub-case is pending."""

from __future__ import annotations

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases.models import Case
from workflows.combined.selectors import children_pending
from workflows.tasks.models import CaseProcess


def bundle_child_finished(*, child: Case) -> bool:
    """Wake the parent flow when ``child`` was its last pending sub-case; True if it woke.

    Runs inside the child's flow transaction. The parent's flow lock is taken
    before the siblings are read, so of two children decided at the same
    moment the second to get the lock sees the first and wakes the parent.
    """
    if child.parent_id is None:
        return False
    process = CaseProcess.objects.filter(case_id=child.parent_id).first()
    if process is None:
        return False
    flow_class = process.flow_class
    with flow_class.lock(process.pk):
        if children_pending(Case.objects.get(pk=child.parent_id)):
            return False
        waiting = Task.objects.filter(
            process_id=process.pk, flow_task=flow_class.wait_children, status=STATUS.NEW
        ).first()
        if waiting is None:
            return False
        flow_class.wait_children.run(waiting)
        return True
