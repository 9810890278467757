"""The main menu: each app registers its entries in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import has_role, roles_of

# The cookie a staff member's own changes renew (NavBadgeMiddleware): the badges
# are cached under it, so after any POST of theirs the next page counts afresh.
BADGE_COOKIE = "ow_badges"


# What a badge counts: the rows of one query set, or the sum of several; None: no badge.
BadgeRows = QuerySet[Any] | Sequence[QuerySet[Any]] | None


@dataclass(frozen=True)
class NavEntry:
    """One menu entry, shown to users holding any of ``roles`` (admins see all).

    ``badge`` gives the rows the badge counts, unevaluated: the menu counts
    every badge of the page in one statement (issue 17), not one each.
    """

    label: Any  # a lazy translation
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    accesskey: str = ""
    badge: Callable[[HttpRequest], BadgeRows] | None = None
    everyone: bool = False  # any logged-in staff member


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    """Add ``entry`` to the main menu (idempotent by url name)."""
    if all(e.url_name != entry.url_name for e in _entries):
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


def entries_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu for the current user, with active flags and badges.

    A view that must stay light (the hall's 叫号 desk, reloaded after every
    call) sets ``request.nav_badges = False``: the menu is drawn without counts.
    """
    user = request.user
    badges = getattr(request, "nav_badges", True)
    shown = [
        entry
        for entry in _entries
        if entry.everyone or is_admin(user) or has_role(user, *entry.roles)
    ]
    counts = _badge_counts(request, shown) if badges else {}
    links: list[dict[str, Any]] = []
    for entry in shown:
        url = reverse(entry.url_name)
        links.append(
            {
                "label": entry.label,
                "url": url,
                "key": entry.accesskey,
                "active": request.path.startswith(url) and url != "/",
                "badge": counts.get(entry.url_name) or None,
            }
        )
    return links


def badge_seconds() -> int:
    """How long a person's badge counts are kept (``ONEWINDOW_NAV_BADGE_SECONDS``; 0: never)."""
    return int(getattr(settings, "ONEWINDOW_NAV_BADGE_SECONDS", 0))


def _badge_counts(request: HttpRequest, shown: Sequence[NavEntry]) -> dict[str, int]:
    """Each shown entry's badge count, by url name: counted in one statement, or cached.

    ``ONEWINDOW_NAV_BADGE_SECONDS`` (0: never cached) keeps a person's counts
    that long, under their own key and the cookie their own changes renew: what
    they did themselves shows at once, what others did within those seconds.
    """
    seconds = badge_seconds()
    key = ""
    if seconds > 0:
        marker = request.COOKIES.get(BADGE_COOKIE, "")[:32]
        roles = ",".join(sorted(roles_of(request.user)))
        key = f"onewindow:nav:{request.user.pk}:{roles}:{marker}"
        cached: dict[str, int] | None = cache.get(key)
        if cached is not None:
            return cached
    rows: list[tuple[str, Sequence[QuerySet[Any]]]] = []
    for entry in shown:
        if entry.badge and (counted := entry.badge(request)) is not None:
            rows.append((entry.url_name, [counted] if isinstance(counted, QuerySet) else counted))
    numbers = iter(count_together([qs for _, querysets in rows for qs in querysets]))
    counts = {name: sum(next(numbers) for _ in querysets) for name, querysets in rows}
    if key:
        cache.set(key, counts, seconds)
    return counts


def count_together(querysets: Sequence[QuerySet[Any]]) -> list[int]:
    """How many rows each of ``querysets`` has, in one statement (``len(querysets)`` counts).

    Each query set becomes a ``(SELECT COUNT(*) FROM (…))`` column of one
    SELECT: the same count ``QuerySet.count()`` gives (distinct and sliced sets
    included), one round trip for the whole menu instead of one per badge.
    """
    if not querysets:
        return []
    columns: list[str] = []
    params: list[Any] = []
    for k, qs in enumerate(querysets):
        inner = qs.order_by() if not qs.query.is_sliced else qs
        if not (inner.query.distinct or inner.query.is_sliced):
            inner = inner.values("pk")
        try:
            sql, qs_params = inner.query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter on an empty list: nothing to count
            columns.append("0")
            continue
        # The SQL is Django's own compilation; every value stays a bound parameter.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{k})")  # noqa: S608
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return [int(n) for n in row]
