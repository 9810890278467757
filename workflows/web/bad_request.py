"""The 400 page: says what was wrong with the request, never an exception's text.

Kept apart from the other error pages (403/404/500/CSRF live elsewhere). Only messages
written for citizens and staff (``BadInput``) are shown; anything else — Django's own
``SuspiciousOperation`` texts, a parser's error — gives the generic sentence, because an
exception's message can carry internal names, paths or the offending input.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils.translation import gettext as _


class BadInput(Exception):
    """A request we refuse, with a message fit to show (what is wrong, what to do)."""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the styled page, with our own message only."""
    message = str(exception) if isinstance(exception, BadInput) else ""
    body = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(body)


def refuse_nul(request: HttpRequest) -> HttpResponse:
    """The answer to a NUL byte anywhere in the address or a form field."""
    return bad_request(
        request,
        BadInput(
            _("提交的内容含有不可见的控制字符（NUL），无法处理。请删除后重新输入或粘贴纯文本。")
        ),
    )
