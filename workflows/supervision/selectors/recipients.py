"""Who is told of a breach: the active heads of a department, the supervisors above a center."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from workflows.catalog.roles import HEAD
from workflows.catalog.selectors import supervisors_above


def heads_by_department(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active department heads of each department: {department id: [user id, …]}."""
    ids = set(department_ids)
    if not ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=HEAD, staff__department_id__in=ids)
        .order_by("pk")
        .values_list("pk", "staff__department_id")
        .distinct()
    )
    heads: dict[int, list[int]] = {}
    for user_id, department_id in rows:
        heads.setdefault(department_id, []).append(user_id)
    return heads


def supervisors_by_center(center_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active supervisors whose center is each center or above it: {center id: [user id, …]}."""
    return {
        center_id: people
        for center_id, people in supervisors_above(center_ids).items()
        if center_id is not None
    }
