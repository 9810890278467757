"""The API's shared plumbing: the base views, path patterns, headers and in-scope look-ups."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api import services
from workflows.api.auth import ClientRateThrottle, HasScope, SystemAuthentication, client_of
from workflows.api.models import ApiCall
from workflows.api.problems import ApiProblem
from workflows.cases.models import Case
from workflows.catalog.models import Center

CASE_NUMBER = r"[A-Za-z0-9-]{1,40}"
ITEM_CODE = r"[A-Za-z0-9-]{1,32}"
IDEMPOTENCY_KEY = r"[A-Za-z0-9_.:-]{8,100}"
CENTER_CODE = r"[A-Za-z0-9-]{1,32}"

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=f"^{IDEMPOTENCY_KEY}$",
    description=_("每个 POST 必填：同一个键重复提交只执行一次，返回第一次的结果。"),
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_("读取办件时得到的 ETag；办件已变化则返回 412。"),
)


def number_param() -> OpenApiParameter:
    return OpenApiParameter(
        "number", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{CASE_NUMBER}$"
    )


def center_param() -> OpenApiParameter:
    return OpenApiParameter(
        "code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{CENTER_CODE}$"
    )


class ApiView(APIView):
    """Every API view: system authentication, per-system throttle, audit, problem errors."""

    authentication_classes = [SystemAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [renderers.JSONRenderer]
    parser_classes = [JSONParser]
    required_scopes: list[str] = []

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request._request, "api_client", None)
        ApiCall.objects.create(
            client=client,
            method=request.method or "",
            path=request.path[:300],
            status=response.status_code,
            idempotency_key=(request.headers.get("Idempotency-Key") or "")[:100],
            remote_addr=request.META.get("REMOTE_ADDR") or None,
        )
        return response


class PublicView(ApiView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


def idempotency_key(request: Request) -> str:
    """The request's Idempotency-Key header; a problem (400) if missing or malformed."""
    key = request.headers.get("Idempotency-Key", "")
    if not re.fullmatch(IDEMPOTENCY_KEY, key):
        raise ApiProblem(
            400, _("请在请求头 Idempotency-Key 中提供 8–100 位的唯一键（字母、数字、_.:-）。")
        )
    return key


def case_in_scope(request: Request, number: str) -> Case:
    """The case if it is within the system's scope; 404 otherwise (never a hint)."""
    case = (
        services.cases_in_scope(client_of(request))
        .select_related("center", "item", "department")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404(number)
    return case


def center_in_scope(request: Request, code: str) -> Center:
    """The center if it is the system's or below it; 404 otherwise (never a hint)."""
    center = services.centers_in_scope(client_of(request)).filter(code=code).first()
    if center is None:
        raise Http404(code)
    return center


def replayable_response(stored: services.Stored) -> Response:
    """A creating POST's stored answer, marked ``Idempotent-Replayed: true`` when replayed."""
    headers = dict(stored.headers)
    if stored.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(stored.body, status=stored.status, headers=headers)
