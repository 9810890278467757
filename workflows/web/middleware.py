"""Clear answers: a 409 for "someone else is working on this", a 400 for unusable input,
the site's own 403/404 pages, and sessions kept alive cheaply."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed

from workflows.cases.errors import CaseBusy, CaseConflict
from workflows.web.bad_request import refuse_nul
from workflows.web.nav import BADGE_COOKIE, badge_seconds


class ConflictMiddleware:
    """Render lock timeouts and concurrent transitions as HTTP 409 with advice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, FlowLockFailed | CaseBusy):
            message = _("该办件正由其他人员处理，请稍后重试。")
        elif isinstance(exception, CaseConflict):
            message = str(exception)
        else:
            return None
        response = TemplateResponse(request, "web/conflict.html", {"message": message}, status=409)
        return response.render()


SESSION_TOUCHED_KEY = "_onewindow_touched"


class SlidingSessionMiddleware:
    """Keep a session alive while it is used, writing it at most once a minute.

    Sessions end after ``SESSION_COOKIE_AGE`` idle (等保). Saving the session on
    every request (``SESSION_SAVE_EVERY_REQUEST``) costs a second transaction
    per request; this renews the expiry only when the last renewal is older
    than ``SESSION_REFRESH_SECONDS``, so the idle limit holds to within that.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        every = int(getattr(settings, "SESSION_REFRESH_SECONDS", 60))
        if now - int(session.get(SESSION_TOUCHED_KEY, 0)) >= every:
            session[SESSION_TOUCHED_KEY] = now  # modified: SessionMiddleware saves it
        return response


class NavBadgeMiddleware:
    """After a signed-in person's POST, renew the cookie the menu's cached badges are keyed by.

    The menu caches a person's badge counts for ``ONEWINDOW_NAV_BADGE_SECONDS``
    (workflows.web.nav); a new cookie value after each of their own changes
    means the page they land on next counts afresh, in whichever process.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in {"GET", "HEAD", "OPTIONS"}
            and badge_seconds() > 0
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            response.set_cookie(
                BADGE_COOKIE,
                secrets.token_hex(8),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _has_nul(values: object) -> bool:
    getlist = getattr(values, "lists", None)
    if getlist is None:
        return False
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in getlist())


class RejectNulMiddleware:
    """A NUL byte in the path, the query or a form field is a 400 with a message.

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep inside a
    query as a 500. Uploaded files are not inspected (binary content is theirs).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").lower():
            return refuse_nul(request)
        if _has_nul(request.GET):
            return refuse_nul(request)
        if request.method == "POST" and _has_nul(request.POST):
            return refuse_nul(request)
        return self.get_response(request)


class ErrorPageMiddleware:
    """Show the site's own zh-Hans 403 and 404 pages, also when DEBUG is on.

    With DEBUG on (``make demo``), Django answers a view's ``Http404`` or
    ``PermissionDenied`` with its English technical page; a clerk or supervisor
    trying the demo should see what they will see in production. The message a
    view raised with (written for users) is shown on the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            template, status = "404.html", 404
        elif isinstance(exception, PermissionDenied):
            template, status = "403.html", 403
        else:
            return None
        message = exception.args[0] if exception.args else ""
        context = {"message": message if isinstance(message, str | Promise) else ""}
        return TemplateResponse(request, template, context, status=status).render()


# Features no page of the project uses: the browser refuses them to any script,
# ours or an injected one (the hall's speech is output only, no microphone).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "hid",
        "xr-spatial-tracking",
    )
)
# Pages and downloads that show personal data (masked or not) without a signed-in
# user: the citizens' results, and the API (its callers are systems, not sessions).
NO_STORE_PUBLIC_PREFIXES = ("/status/", "/verify/", "/api/")


class PrivacyHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` on personal data.

    Everything a signed-in user is served (staff pages, PDFs, CSV/XLSX
    exports), the citizens' /status/ and /verify/ results and the API's
    answers must not stay in a shared computer's cache or a proxy: a later
    user of the hall's PC could read them back. Static files never pass the
    middleware (the web server, or the static handler in development).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith(
            NO_STORE_PUBLIC_PREFIXES
        )
        if personal:
            # Replaces any weaker header a view set (e.g. "private, max-age").
            response["Cache-Control"] = "private, no-store"
        return response
