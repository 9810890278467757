"""Every API error as one RFC 9457 problem document, in the caller's language.

``{"type", "title", "status", "detail", "instance"}`` plus ``errors`` (field →
messages) for invalid input, served as ``application/problem+json``.
Titles and details are translatable (zh-Hans first, English with
``Accept-Language: en``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from workflows.cases.errors import CaseError
from workflows.hall.errors import HallError

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "urn:onewindow:problem:"

TITLES: dict[int, Any] = {
    400: gettext_lazy("请求有误"),
    401: gettext_lazy("未认证"),
    403: gettext_lazy("无权操作"),
    404: gettext_lazy("资源不存在"),
    405: gettext_lazy("不支持的方法"),
    406: gettext_lazy("无法提供所请求的格式"),
    409: gettext_lazy("状态冲突"),
    412: gettext_lazy("版本已变化"),
    413: gettext_lazy("上传内容过大"),
    415: gettext_lazy("不支持的内容类型"),
    422: gettext_lazy("无法处理的请求"),
    428: gettext_lazy("缺少前置条件"),
    429: gettext_lazy("请求过于频繁"),
    500: gettext_lazy("服务器内部错误"),
}
SLUGS = {
    400: "invalid-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    428: "precondition-required",
    429: "rate-limited",
    500: "server-error",
}


class ApiProblem(exceptions.APIException):
    """A refusal with its own status and detail (412, 422, 428, ...)."""

    def __init__(self, status_code: int, detail: Any) -> None:
        self.status_code = status_code
        super().__init__(detail=detail)


def problem(
    status_code: int, detail: Any, *, instance: str = "", errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + SLUGS.get(status_code, str(status_code)),
        "title": str(TITLES.get(status_code, _("请求失败"))),
        "status": status_code,
        "detail": str(detail),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: map every known error to a problem document."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    headers: dict[str, str] = {}
    errors = None
    if isinstance(exc, CaseError | HallError):  # the cases' and the booking rules' refusals
        code, detail = exc.status_code, exc.message
    elif isinstance(exc, Http404):
        code, detail = 404, _("没有找到该资源，或不在本系统的权限范围内。")
    elif isinstance(exc, DjangoPermissionDenied):
        code, detail = 403, _("本系统无权执行此操作。")
    elif isinstance(exc, exceptions.ValidationError):
        code, detail = 400, _("请求内容有误，请按 errors 中的说明修改后重试。")
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        code = 401
        detail = _(
            "请先用客户端凭证（OAuth2 client credentials）获取访问令牌，"
            "放在 Authorization: Bearer 中。"
        )
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    elif isinstance(exc, exceptions.Throttled):
        code = 429
        wait = int(exc.wait or 1)
        detail = _("请求过于频繁，请 %(seconds)s 秒后重试。") % {"seconds": wait}
        headers["Retry-After"] = str(wait)
    elif isinstance(exc, exceptions.PermissionDenied):
        code, detail = 403, exc.detail
    elif isinstance(exc, exceptions.APIException):
        code, detail = exc.status_code, exc.detail
        if isinstance(detail, dict | list):
            errors = _flatten(detail)
            detail = _("请求内容有误，请按 errors 中的说明修改后重试。")
    else:
        return None
    set_rollback()
    body = problem(code, detail, instance=instance, errors=errors)
    return Response(body, status=code, headers=headers, content_type=PROBLEM_TYPE)


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/v1/ address that is not an operation: a problem, not the HTML 404 page."""
    body = problem(
        status.HTTP_404_NOT_FOUND, _("没有这个接口，请查看 /api/v1/docs/。"), instance=request.path
    )
    return JsonResponse(
        body, status=404, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False}
    )
