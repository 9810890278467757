"""The authentication backend: the signed-in staff member in one read per request.

Django's ModelBackend reads the user by primary key, and then the menu, the
top bar and every permission check read the user's groups, staff profile,
center and department one by one: four more statements on every page
(issue 17). ``StaffBackend.get_user`` brings them with the user: the profile,
center and department joined, the role names as one array sub-select, stored
where ``roles_of`` and ``profile_of`` look for them. They are read afresh on
every request, so a role taken away takes effect on the next page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from workflows.catalog.roles import ROLES_ATTRIBUTE


class StaffBackend(ModelBackend):
    """ModelBackend whose ``get_user`` reads the user, profile, places and roles at once."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager
        try:
            user = (
                users.select_related("staff__center", "staff__department")
                .annotate(
                    _role_names=ArraySubquery(
                        Group.objects.filter(user=OuterRef("pk")).values("name")
                    )
                )
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        setattr(user, ROLES_ATTRIBUTE, frozenset(user._role_names))
        return user if self.user_can_authenticate(user) else None
