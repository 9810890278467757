"""Claim, release and complete workflow tasks: viewflow's activation API plus row-level scope.

Each service runs in one transaction under the flow lock (``Task.activation()``
takes ``PgRowLock`` and re-reads the task), checks the user's scope
(department or center) and viewflow's own permission checks, then moves the
task. Completing a step calls the step's case service, then
``activation.execute()``: the case and the flow change together or not at all.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases import errors as case_errors
from workflows.cases import permissions
from workflows.cases import services as case_services
from workflows.cases.errors import ActionForbidden, InvalidRequest
from workflows.cases.models import Case, Status
from workflows.catalog import roles
from workflows.tasks import errors
from workflows.tasks.errors import StepInvalid, TaskError, TaskForbidden
from workflows.tasks.models import DEPARTMENT_PERMISSIONS
from workflows.tasks.selectors import step_of, task_in_scope
from workflows.tasks.steps import DecisionStep


def display_name(user: Any) -> str:
    """A staff member's name as shown in messages (family name first)."""
    return roles.display_name(user)


def require_scope(user: Any, task: Task) -> None:
    """Refuse (403) unless ``task`` belongs to the user's department or center."""
    if not task_in_scope(user, task):
        raise TaskForbidden(errors.NOT_IN_SCOPE)


def _claim(activation: Any, user: Any) -> None:
    task = activation.task
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise TaskError(errors.TASK_CLOSED)
    if task.owner_id == user.pk:
        raise TaskError(errors.ALREADY_CLAIMED_BY_YOU)
    if task.owner_id is not None:
        raise TaskError(errors.ALREADY_CLAIMED % {"owner": display_name(task.owner)})
    if not activation.flow_task.can_assign(user, task):
        raise TaskForbidden(errors.NO_TASK_PERMISSION % {"title": task.flow_task.task_title})
    case = _require_four_eyes(activation, user)
    task.assigned = timezone.now()
    activation.assign(user)
    # Taking the first department step is when the department starts handling the case.
    if task.owner_permission in DEPARTMENT_PERMISSIONS:
        if case is None:  # the four-eyes check read it already when it applies
            # Only its status: case_start reads the row itself under its lock.
            case = Case.objects.only("status").get(pk=activation.process.case_id)
        if case.status == Status.ACCEPTED:
            case_services.case_start(case=case, actor=user)


def _require_four_eyes(activation: Any, user: Any) -> Case | None:
    """The approval goes to another head: the proposer may not even take it.

    Returns the case when it had to read it (the claim reuses it), else None.
    """
    step = getattr(activation.flow_task, "_view", None)
    if not isinstance(step, DecisionStep):
        return None
    process = activation.process
    # What the step decides by and the claim then looks at; case_start reads the row itself.
    case = Case.objects.only("status", "item_snapshot").get(pk=process.case_id)
    if step.decides(case) and process.proposal:
        try:
            permissions.require_four_eyes(user, process.proposed_by)
        except ActionForbidden as exc:
            raise TaskError(exc.message) from exc
    return case


def task_claim(*, task: Task, user: Any) -> Task:
    """领取: the task moves from the queue into the user's inbox (one winner under the lock)."""
    with transaction.atomic(), task.activation() as activation:
        require_scope(user, activation.task)
        _claim(activation, user)
        return activation.task


def task_release(*, task: Task, user: Any, reason: str = "") -> Task:
    """退回待领取: the owner (or the department head, with a reason) puts the task back."""
    with transaction.atomic(), task.activation() as activation:
        current = activation.task
        require_scope(user, current)
        if current.status != STATUS.ASSIGNED:
            raise TaskError(errors.TASK_CLOSED)
        if not activation.flow_task.can_unassign(user, current):
            raise TaskForbidden(errors.CANNOT_RELEASE)
        if current.owner_id != user.pk and not reason.strip():
            raise InvalidRequest(case_errors.REASON_REQUIRED)
        releases = list(current.data.get("released", []))
        releases.append(
            {
                "owner": display_name(current.owner),
                "by": display_name(user),
                "at": timezone.now().isoformat(),
                "reason": reason.strip(),
            }
        )
        current.data["released"] = releases
        current.assigned = None
        activation.unassign()
        return current


def task_complete(*, task: Task, user: Any, data: Any) -> Task:
    """办理: validate the step form, call the step's case service, move the flow on."""
    step = step_of(task)
    with transaction.atomic(), task.activation() as activation:
        current = activation.task
        require_scope(user, current)
        if current.status == STATUS.NEW and step.claim_on_complete:
            _claim(activation, user)
        if current.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise TaskError(errors.TASK_CLOSED)
        if current.owner_id is not None and current.owner_id == user.pk:
            current.owner = user  # the owner check compares users: no second read of it
        if not activation.flow_task.can_execute(user, current):
            raise TaskError(errors.NOT_OWNER)
        form = step.get_form(activation, data)
        if not form.is_valid():
            raise StepInvalid(form)
        activation.start(None)
        current.data.update(step.perform(activation=activation, form=form, user=user))
        activation.execute()
        return current
