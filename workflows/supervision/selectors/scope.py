"""What a desk user may see (centers, a department) and the desk's filters on cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.cases.clock import end_of_day, start_of_day
from workflows.cases.permissions import is_admin
from workflows.catalog.models import Center
from workflows.catalog.roles import HEAD, SUPERVISOR, has_role, profile_of
from workflows.supervision.models import Escalation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class DeskScope:
    """What a desk user may see: centers (None = all) and a department (None = all)."""

    center_ids: tuple[int, ...] | None
    department_id: int | None
    label: str

    def q(self, prefix: str = "") -> Q:
        """The scope as a filter on cases (``prefix`` for a related case, e.g. ``case__``)."""
        q = Q()
        if self.center_ids is not None:
            q &= Q(**{f"{prefix}center_id__in": self.center_ids})
        if self.department_id is not None:
            q &= Q(**{f"{prefix}department_id": self.department_id})
        return q


def centers_under(center: Center) -> tuple[int, ...] | None:
    """Ids of ``center`` and everything below it; None when that is every center."""
    ids = tuple(Center.objects.filter(path__startswith=center.path).values_list("pk", flat=True))
    return None if len(ids) == Center.objects.count() else ids


def desk_scope(user: User) -> DeskScope | None:
    """The desk scope of ``user``; None means no access (officers, clerks)."""
    if is_admin(user):
        return DeskScope(None, None, str(_("全部")))
    profile = profile_of(user)
    if profile is None:
        return None
    if has_role(user, SUPERVISOR) and profile.center is not None:
        return DeskScope(centers_under(profile.center), None, profile.center.name)
    if has_role(user, HEAD) and profile.department is not None:
        return DeskScope(None, profile.department_id, profile.department.name)
    return None


def escalation_in_supervisor_scope(user: User, escalation: Escalation) -> bool:
    """A supervisor whose center is the escalated case's center or above it."""
    if not has_role(user, SUPERVISOR):
        return False
    profile = profile_of(user)
    if profile is None or profile.center is None:
        return False
    return escalation.center.path.startswith(profile.center.path)


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class CaseFilters:
    """The desk's filters (all optional); ``center`` includes the centers below it."""

    department_id: int | None = None
    center_id: int | None = None
    item_id: int | None = None
    officer_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    # Only the chosen center itself, not the centers below it (the dashboard's bars).
    center_only: bool = False
    # Set when the filter form was invalid: show nothing rather than a list that ignores it.
    invalid: bool = False

    def q(self) -> Q:
        """The filters as a Q on cases."""
        if self.invalid:
            return Q(pk__in=[])
        q = Q()
        if self.department_id:
            q &= Q(department_id=self.department_id)
        if self.center_id:
            center = Center.objects.filter(pk=self.center_id).first()
            if center is None:
                return Q(pk__in=[])
            if self.center_only:
                q &= Q(center_id=center.pk)
            else:
                q &= Q(center_id__in=centers_under(center) or [c.pk for c in Center.objects.all()])
        if self.item_id:
            q &= Q(item_id=self.item_id)
        if self.officer_id:
            q &= Q(handler_id=self.officer_id)
        if self.due_from:
            q &= Q(promised_due_at__gte=start_of_day(self.due_from))
        if self.due_to:
            q &= Q(promised_due_at__lte=end_of_day(self.due_to))
        return q

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for links that keep them)."""
        values = {
            "department": self.department_id,
            "center": self.center_id,
            "item": self.item_id,
            "officer": self.officer_id,
            "from": self.due_from.isoformat() if self.due_from else None,
            "to": self.due_to.isoformat() if self.due_to else None,
            "center_only": "1" if self.center_only and self.center_id else None,
        }
        return {k: str(v) for k, v in values.items() if v}
