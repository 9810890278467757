"""The main menu: each app registers its entries in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from workflows.cases.permissions import is_admin
from workflows.catalog.roles import has_role


@dataclass(frozen=True)
class NavEntry:
    """One menu entry, shown to users holding any of ``roles`` (admins see all)."""

    label: Any  # a lazy translation
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    accesskey: str = ""
    badge: Callable[[HttpRequest], int | None] | None = None
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
    links: list[dict[str, Any]] = []
    for entry in _entries:
        if not (entry.everyone or is_admin(user) or has_role(user, *entry.roles)):
            continue
        url = reverse(entry.url_name)
        links.append(
            {
                "label": entry.label,
                "url": url,
                "key": entry.accesskey,
                "active": request.path.startswith(url) and url != "/",
                "badge": entry.badge(request) if entry.badge and badges else None,
            }
        )
    return links
