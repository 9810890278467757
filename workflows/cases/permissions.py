"""Who may act on a case: role (group) plus where the person works.

Each check raises ActionForbidden with a message that says who may act.
``None`` as actor means the system itself (the sweep); only the services
that the law gives to the system accept it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases import errors
from workflows.cases.errors import ActionForbidden
from workflows.catalog.roles import ADMIN, CLERK, HEAD, OFFICER, SUPERVISOR, has_role, profile_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from workflows.cases.models import Case

    User = AbstractBaseUser | AnonymousUser


def is_admin(actor: User | None) -> bool:
    """Superusers and members of the admin group may do anything a role may."""
    return actor is not None and (
        bool(getattr(actor, "is_superuser", False)) or has_role(actor, ADMIN)
    )


def is_center_clerk(actor: User | None, case: Case) -> bool:
    """A window clerk of the case's own center."""
    if actor is None or not has_role(actor, CLERK):
        return False
    profile = profile_of(actor)
    return profile is not None and profile.center_id == case.center_id


def is_department_staff(actor: User | None, case: Case, *, head: bool = False) -> bool:
    """An officer (or, with ``head``, the head) of the case's department."""
    if actor is None:
        return False
    roles = (HEAD,) if head else (OFFICER, HEAD)
    if not has_role(actor, *roles):
        return False
    profile = profile_of(actor)
    return profile is not None and profile.department_id == case.department_id


def is_supervisor_in_scope(actor: User | None, case: Case) -> bool:
    """A supervisor whose center is the case's center or one above it."""
    if actor is None or not has_role(actor, SUPERVISOR):
        return False
    profile = profile_of(actor)
    if profile is None or profile.center is None:
        return False
    return case.center.path.startswith(profile.center.path)


def staff_in_supervisor_scope(actor: User | None) -> Q | None:
    """The staff a supervisor may name (e.g. as 首问责任人): those of his center's subtree.

    ``None`` means no limit (an admin). Staff without a center work for the
    county's departments, so only a supervisor of the root center reaches them.
    A filter on the user model; ``Q(pk__in=[])`` when the actor supervises nothing.
    """
    if is_admin(actor):
        return None
    profile = profile_of(actor) if actor is not None and has_role(actor, SUPERVISOR) else None
    if profile is None or profile.center is None:
        return Q(pk__in=[])
    scope = Q(staff__center__path__startswith=profile.center.path)
    if profile.center.parent_id is None:
        scope |= Q(staff__isnull=False, staff__center__isnull=True)
    return scope


def require_staff_in_scope(actor: User | None, staff_user: User) -> None:
    """Refuse naming ``staff_user`` unless he works in the actor's subtree."""
    scope = staff_in_supervisor_scope(actor)
    if scope is None:
        return
    if not get_user_model().objects.filter(scope, pk=staff_user.pk or 0).exists():
        profile = profile_of(actor) if actor is not None else None
        center = profile.center.name if profile is not None and profile.center else ""
        raise ActionForbidden(errors.FIRST_RESPONDER_OUT_OF_SCOPE % {"center": center})


def require_clerk(actor: User | None, case: Case) -> None:
    """Refuse unless the actor is a clerk of the case's center (or an admin)."""
    if not (is_admin(actor) or is_center_clerk(actor, case)):
        raise ActionForbidden(errors.NOT_YOUR_CENTER % {"center": case.center.name})


def require_department(actor: User | None, case: Case, *, head: bool = False) -> None:
    """Refuse unless the actor works in the case's department (as head, if asked)."""
    if is_admin(actor) or is_department_staff(actor, case, head=head):
        return
    message = errors.HEAD_REQUIRED if head else errors.NOT_YOUR_DEPARTMENT
    raise ActionForbidden(message % {"department": case.department.name})


def holds_current_task(actor: User | None, case: Case) -> bool:
    """The actor holds the case's open task (its flow's assigned human step).

    A case with no open task at all (a 即办件, or between flows) is held
    by its handler, the officer who started it.
    """
    if actor is None or actor.pk is None:
        return False
    open_tasks = Task.objects.filter(
        process__caseprocess__case_id=case.pk,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    if open_tasks.filter(status=STATUS.ASSIGNED, owner_id=actor.pk).exists():
        return True
    return case.handler_id == actor.pk and not open_tasks.exists()


def require_case_officer(actor: User | None, case: Case) -> None:
    """Refuse unless the actor is the case's current officer or a head of its department.

    The current officer is the officer of the case's department holding its open
    task (特别程序 is ordered and ended by the person handling the case, 第四十五条).
    """
    if is_admin(actor) or is_department_staff(actor, case, head=True):
        return
    if is_department_staff(actor, case) and holds_current_task(actor, case):
        return
    raise ActionForbidden(errors.NOT_CURRENT_OFFICER % {"department": case.department.name})


def require_supervisor(actor: User | None, case: Case) -> None:
    """Refuse unless the actor supervises the case's center."""
    if not (is_admin(actor) or is_supervisor_in_scope(actor, case)):
        raise ActionForbidden(errors.SUPERVISOR_REQUIRED)


def require_four_eyes(
    actor: User | None, proposer_id: int | None, message: object = errors.FOUR_EYES
) -> None:
    """Refuse when the approver is the person who proposed (四眼原则, every flow and extension)."""
    if actor is not None and proposer_id is not None and actor.pk == proposer_id:
        raise ActionForbidden(message)
