"""Template context shared by every workbench page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from workflows.catalog.roles import profile_of
from workflows.web.nav import entries_for


def workbench(request: HttpRequest) -> dict[str, Any]:
    """The menu and where the user works (shown in the top bar)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    profile = profile_of(request.user)
    place = ""
    if profile is not None:
        place = " ".join(str(p) for p in (profile.center, profile.department) if p)
    return {"nav_links": entries_for(request), "staff_place": place}
