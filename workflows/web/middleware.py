"""Turn "someone else is working on this" into a clear 409, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
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
