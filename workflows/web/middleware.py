"""Clear error pages: "someone else is working on this" as a 409, never a 500, and 403/404."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed

from workflows.cases.errors import CaseBusy, CaseConflict


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
