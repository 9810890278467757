"""Reads of the catalogue other apps share: who supervises a center."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from workflows.catalog.models import Center
from workflows.catalog.roles import SUPERVISOR

TOP_LEVEL = None  # the key of the top-level centers' supervisors in ``supervisors_above``


def supervisors_above(
    center_ids: Iterable[int], *, with_top_level: bool = False
) -> dict[int | None, list[int]]:
    """Active supervisors whose center is each center or above it: {center id: [user id, …]}.

    With ``with_top_level`` the key ``TOP_LEVEL`` (None) lists the supervisors of
    the top-level centers, for a matter whose center nobody knows. Two queries.
    """
    ids = set(center_ids)
    if not ids and not with_top_level:
        return {}
    paths = dict(Center.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}
    supervisors = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISOR, staff__center__isnull=False)
        .order_by("pk")
        .values_list("pk", "staff__center__path", "staff__center__parent_id")
        .distinct()
    )
    result: dict[int | None, list[int]] = {
        center_id: [user_id for user_id, prefix, _parent in supervisors if path.startswith(prefix)]
        for center_id, path in paths.items()
    }
    if with_top_level:
        result[TOP_LEVEL] = [user_id for user_id, _prefix, parent in supervisors if parent is None]
    return result
