"""The 400 page: says what was wrong with the request, never an exception's text.

Kept apart from the other error pages (403/404/500/CSRF live elsewhere). Only messages
written for citizens and staff (``BadInput``) are shown; anything else — Django's own
``SuspiciousOperation`` texts, a parser's error — gives the generic sentence, because an
exception's message can carry internal names, paths or the offending input.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy


class BadInput(Exception):
    """A request we refuse, with a message fit to show (what is wrong, what to do)."""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the styled page, with our own message only."""
    message = str(exception) if isinstance(exception, BadInput) else ""
    body = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(body)


NUL_REFUSED = gettext_lazy(
    "提交的内容含有不可见的控制字符（NUL），无法处理。请删除后重新输入或粘贴纯文本。"
)


def refuse_nul(request: HttpRequest) -> HttpResponse:
    """The answer to a NUL byte anywhere in the address or a form field.

    Systems calling the API get the API's problem document (RFC 9457), people a page.
    """
    if request.path.startswith("/api/"):
        from workflows.api.problems import PROBLEM_TYPE, problem

        body = problem(400, NUL_REFUSED, instance=request.path.replace("\x00", ""))
        return JsonResponse(body, status=400, content_type=PROBLEM_TYPE)
    return bad_request(request, BadInput(NUL_REFUSED))
