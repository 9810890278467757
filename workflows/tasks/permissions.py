"""The model permissions each role group needs for the workbench (mirrored in fixtures/roles.yaml).

Department and center scope is not a permission: the selectors and services
check it row by row. These permissions say which *kind* of step a role may
claim (viewflow's ``Task.owner_permission``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from workflows.catalog.roles import ADMIN, CLERK, HEAD, OFFICER, SUPERVISOR

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CLERK: ("tasks.view_caseprocess", "tasks.window_task"),
    OFFICER: ("tasks.view_caseprocess", "tasks.officer_task"),
    HEAD: (
        "tasks.view_caseprocess",
        "tasks.officer_task",
        "tasks.head_task",
        "tasks.manage_caseprocess",
    ),
    SUPERVISOR: ("tasks.view_caseprocess",),
    ADMIN: ("tasks.view_caseprocess", "tasks.manage_caseprocess"),
}


def grant_role_permissions() -> None:
    """Give each role group the workbench permissions above (tests and fresh installs)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".", 1)
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
