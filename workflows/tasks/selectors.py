"""Which workflow tasks a person may see, claim and work on — filtered in SQL.

viewflow's own queues show every task of a flow to anyone holding the flow's
view permission. OneWindow adds row-level scope: an officer or head sees the
department tasks of their department's cases, a window clerk the window tasks
of their center's cases, a supervisor every task of cases in their center and
below, an admin everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases.models import Case, Extension
from workflows.cases.permissions import is_admin
from workflows.catalog.roles import (
    CLERK,
    HEAD,
    OFFICER,
    SUPERVISOR,
    display_name,
    has_role,
    profile_of,
)
from workflows.tasks import errors
from workflows.tasks.errors import TaskError
from workflows.tasks.models import DEPARTMENT_PERMISSIONS, WINDOW_TASK
from workflows.tasks.steps import Step, StepForm

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

CASE = "process__caseprocess__case__"
ACTIVE = (STATUS.NEW, STATUS.ASSIGNED)


def scope_filter(user: User) -> Q | None:
    """The Q a task must match to be in ``user``'s scope; None means every task."""
    if is_admin(user):
        return None
    nothing = Q(pk__in=[])
    profile = profile_of(user)
    if profile is None:
        return nothing
    q = nothing
    if has_role(user, OFFICER, HEAD) and profile.department_id:
        q |= Q(owner_permission__in=DEPARTMENT_PERMISSIONS) & Q(
            **{f"{CASE}department_id": profile.department_id}
        )
    if has_role(user, CLERK) and profile.center_id:
        q |= Q(owner_permission=WINDOW_TASK) & Q(**{f"{CASE}center_id": profile.center_id})
    if has_role(user, SUPERVISOR) and profile.center is not None:
        q |= Q(**{f"{CASE}center__path__startswith": profile.center.path})
    return q


def human_tasks() -> QuerySet[Task]:
    """Human tasks of case flows, with their case joined (no N+1 on list pages)."""
    return (
        Task.objects.filter(flow_task_type="HUMAN", process__caseprocess__isnull=False)
        .select_related(
            "owner",
            "process",
            "process__caseprocess",
            "process__caseprocess__case",
            "process__caseprocess__case__item",
            "process__caseprocess__case__center",
            "process__caseprocess__case__department",
        )
        .order_by("created", "pk")
    )


def tasks_in_scope(user: User, queryset: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """``queryset`` (default: all human case tasks) restricted to ``user``'s scope."""
    qs = queryset if queryset is not None else human_tasks()
    q = scope_filter(user)
    return qs if q is None else qs.filter(q)


def task_in_scope(user: User, task: Task) -> bool:
    """True when ``user`` may open ``task``."""
    return tasks_in_scope(user, Task.objects.filter(pk=task.pk)).exists()


def _permissions(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(cast(Any, user).get_all_permissions())


def queue_for(user: User) -> QuerySet[Task]:
    """待领取: unclaimed tasks in scope that the user's role may claim."""
    qs = tasks_in_scope(user).filter(status=STATUS.NEW)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(owner_permission__in=_permissions(user))


def inbox_for(user: User) -> QuerySet[Task]:
    """我的待办: tasks the user has claimed and not finished."""
    return human_tasks().filter(owner_id=user.pk, status=STATUS.ASSIGNED)


def archive_for(user: User) -> QuerySet[Task]:
    """已办: tasks the user finished, newest first."""
    return (
        human_tasks()
        .filter(owner_id=user.pk, finished__isnull=False, status=STATUS.DONE)
        .order_by("-finished", "-pk")
    )


def open_tasks_for(user: User) -> QuerySet[Task]:
    """在办: every unfinished task in scope, claimed or not (heads and supervisors)."""
    return tasks_in_scope(user).filter(status__in=ACTIVE)


def delivery_for(user: User) -> QuerySet[Task]:
    """待出件: window tasks of the clerk's center, unclaimed or claimed by the clerk."""
    return (
        tasks_in_scope(user)
        .filter(owner_permission=WINDOW_TASK, status__in=ACTIVE)
        .filter(Q(owner__isnull=True) | Q(owner_id=user.pk))
    )


def process_tasks(task: Task) -> QuerySet[Task]:
    """The human steps of ``task``'s process so far, oldest first (the page's history)."""
    return (
        Task.objects.filter(process_id=task.process_id, flow_task_type="HUMAN")
        .select_related("owner")
        .order_by("created", "pk")
    )


def pending_extensions_for(user: User) -> QuerySet[Extension]:
    """Extension requests waiting for ``user`` as department head (admins: all)."""
    qs = Extension.objects.filter(state=Extension.State.REQUESTED).select_related(
        "case", "case__item", "case__department", "requested_by"
    )
    # Four eyes: one's own request goes to another head of the department.
    qs = qs.exclude(requested_by_id=user.pk)
    if is_admin(user):
        return qs.order_by("requested_at")
    profile = profile_of(user)
    if not has_role(user, HEAD) or profile is None or not profile.department_id:
        return qs.none()
    return qs.filter(case__department_id=profile.department_id).order_by("requested_at")


def case_of_task(task: Task) -> Case:
    """The case ``task`` works on, read fresh from the database."""
    return Case.objects.select_related("item", "center", "department", "parent").get(
        process__pk=task.process_id
    )


@dataclass(frozen=True)
class TaskHolder:
    """Who holds a case's open human task: its owner, or where it waits to be claimed."""

    owner: str  # the claimant's name; "" while nobody has claimed it
    step: str
    place: str  # 综合窗口 or the case's department (where it waits when unclaimed)

    @property
    def text(self) -> str:
        """As "person（step）", or "place待领取：step" while unclaimed."""
        if self.owner:
            return f"{self.owner}（{self.step}）" if self.step else self.owner
        return _("%(place)s待领取：%(step)s") % {"place": self.place, "step": self.step or "—"}


def _open_human_tasks(case_ids: Sequence[int]) -> QuerySet[Task]:
    """The open human tasks of the cases' flows, oldest first (no parallel human steps)."""
    return Task.objects.filter(
        process__caseprocess__case_id__in=list(case_ids),
        flow_task_type="HUMAN",
        status__in=ACTIVE,
    ).order_by("pk")


def open_step(case_id: int) -> str:
    """The title of the step a case's flow waits at ("" when none): the public status page's.

    Reads only the task's flow node, not who holds it (the citizen is not told).
    """
    node = _open_human_tasks([case_id]).values_list("flow_task", flat=True).first()
    return str(node.task_title) if node else ""


def task_holders(case_ids: Sequence[int]) -> dict[int, TaskHolder]:
    """The open human task of each case's flow (one query; flows have no parallel human steps)."""
    if not case_ids:
        return {}
    tasks = _open_human_tasks(case_ids).select_related(
        "owner", "process__caseprocess__case__department"
    )
    holders: dict[int, TaskHolder] = {}
    for task in tasks:
        case = task.process.caseprocess.case
        window = task.owner_permission == WINDOW_TASK
        holders.setdefault(
            case.pk,
            TaskHolder(
                owner=display_name(task.owner) if task.owner_id else "",
                step=str(task.flow_task.task_title) if task.flow_task else "",
                place=_("综合窗口") if window else case.department.name,
            ),
        )
    return holders


def step_of(task: Task) -> Step:
    """The Step behind ``task``'s flow node."""
    view = getattr(task.flow_task, "_view", None)
    if not isinstance(view, Step):
        raise TaskError(errors.TASK_CLOSED)
    return view


def task_form(task: Task, data: Any = None) -> StepForm:
    """The step form of ``task`` for display (no lock; completion re-validates under it)."""
    activation = task.flow_task.activation_class(task)
    return step_of(task).get_form(activation, data)
