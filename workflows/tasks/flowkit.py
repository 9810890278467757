"""What every OneWindow flow shares: process class, lock, visibility, gate conditions.

Flows never subclass one another (docs/design-notes/viewflow.md §1.2); they mix in
``CaseFlowMixin`` (plain methods, no nodes) and use the callbacks below in
their ``Function``/``If``/``StartHandle`` nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from workflows.cases.models import Case, Decision
from workflows.cases.permissions import is_admin
from workflows.cases.selectors import case_visible_to
from workflows.tasks.locks import pg_row_lock
from workflows.tasks.models import CaseProcess
from workflows.tasks.signals import sub_case_finished

if TYPE_CHECKING:
    from viewflow.workflow.activation import Activation

DELIVER_TITLE = _("出件（窗口送达）")
DELIVER_DESCRIPTION = _("办结结果回到受理中心窗口，由窗口人员送达申请人并办结归档。")


class CaseFlowMixin:
    """Process class, bounded row lock and row-level visibility for a case flow."""

    process_class = CaseProcess
    lock_impl = pg_row_lock
    process_summary_template = "{{ process.case.number }} {{ process.case.item.name }}"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        """The model permission, and for one process: the case must be visible to the user."""
        if not user.is_authenticated:
            return False
        if not (is_admin(user) or user.has_perm("tasks.view_caseprocess")):
            return False
        if obj is None:
            return True
        process = obj.coerced if hasattr(obj, "coerced") else obj
        case = getattr(process, "case", None)
        return case is not None and case_visible_to(user, case)

    def has_manage_permission(self, user: Any, obj: Any = None) -> bool:
        """Release or cancel someone else's task: heads and admins (scope checked by services)."""
        return bool(
            user.is_authenticated and (is_admin(user) or user.has_perm("tasks.manage_caseprocess"))
        )


# ---------------------------------------------------------------- node callbacks


def start_case(activation: Activation, case: Case, actor: Any = None) -> CaseProcess:
    """StartHandle callback: link the new process to its case (returns the process)."""
    process: CaseProcess = activation.process
    process.case = case
    if actor is not None and getattr(actor, "is_authenticated", False):
        activation.task.owner = actor
    return process


def case_of(activation: Activation) -> Case:
    """The activation's case, read fresh (another step may just have changed it)."""
    return Case.objects.select_related("item", "center", "department", "parent").get(
        pk=activation.process.case_id
    )


def needs_head(activation: Activation) -> bool:
    """If-gate: the item's decision must be approved by the department head."""
    snapshot = (
        Case.objects.filter(pk=activation.process.case_id)
        .values_list("item_snapshot", flat=True)
        .get()
    )
    return bool(snapshot.get("decision_needs_head"))


def was_sent_back(activation: Activation) -> bool:
    """If-gate: the last step sent the case back to the previous one."""
    return bool(activation.process.sent_back)


def proposes_approval(activation: Activation) -> bool:
    """If-gate: the officer proposes to approve (e.g. 低保 goes to 公示)."""
    return activation.process.proposal == Decision.APPROVED


def is_bundle_child(activation: Activation) -> bool:
    """If-gate: the case is a sub-case of a 一件事 bundle (delivered with the bundle)."""
    process = activation.process
    if CaseProcess.case.is_cached(process):
        return process.case.parent_id is not None
    # The one column the gate asks about, not the whole row into the process.
    parent_id = Case.objects.filter(pk=process.case_id).values_list("parent_id", flat=True).get()
    return parent_id is not None


def report_to_bundle(activation: Activation) -> None:
    """Function: a bundle child is decided; ``sub_case_finished`` tells its bundle."""
    sub_case_finished.send(sender=Case, child=case_of(activation))
