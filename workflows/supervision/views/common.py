"""What every desk page shares: the 403 page, the viewer's scope, the query string, the pager."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from workflows.supervision import errors, selectors
from workflows.supervision.selectors import DeskScope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EXPORT_FORMATS = ("csv", "xlsx")

View = Callable[..., HttpResponse | StreamingHttpResponse]


def desk_view(view: View) -> View:
    """Render a refusal as a 403 page that says why, instead of Django's bare one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or errors.DESK_FORBIDDEN
            return render(request, "supervision/forbidden.html", {"message": message}, status=403)

    return wrapper


def local_text(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def user_of(request: HttpRequest) -> User:
    """The signed-in staff member (LoginRequiredMiddleware keeps anonymous users out)."""
    return cast("User", request.user)


def scope_of(request: HttpRequest) -> DeskScope:
    scope = selectors.desk_scope(request.user)
    if scope is None:
        raise PermissionDenied(errors.DESK_FORBIDDEN)
    return scope


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def query_with(request: HttpRequest, **changes: str | None) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


def page_links(number: int, pages: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: first, last and ``around`` either side; None is a gap.

    ``page_links(6, 12)`` is ``[1, None, 4, 5, 6, 7, 8, None, 12]``.
    """
    if pages <= 1:
        return []
    shown = {1, pages, *range(max(number - around, 1), min(number + around, pages) + 1)}
    links: list[int | None] = []
    previous = 0
    for page in sorted(shown):
        if page > previous + 1:
            links.append(None)
        links.append(page)
        previous = page
    return links
