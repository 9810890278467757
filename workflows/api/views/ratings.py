"""Ratings (好差评, read-only): a center's latest ratings and one rating with its rectification."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from workflows.api import services
from workflows.api.auth import client_of
from workflows.api.models import SCOPE_RATINGS
from workflows.api.serializers import RatingSerializer
from workflows.api.views.base import ApiView, center_in_scope, center_param
from workflows.rating.models import Rating

RATINGS_LIMIT = 200


def rating_data(rating: Rating) -> dict[str, Any]:
    rect = getattr(rating, "rectification", None)
    return {
        "id": rating.pk,
        "case": rating.case.number,
        "item": rating.item.code,
        "center": rating.center.code,
        "department": rating.department.code,
        "moment": rating.moment,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "bad": rating.is_bad,
        "reasons": list(rating.reasons or []),
        "channel": rating.channel,
        "rated_at": rating.rated_at,
        "defaulted": rating.defaulted,
        "current": rating.current,
        "excluded": rating.excluded,
        "rectification": None
        if rect is None
        else {
            "state": rect.state,
            "state_label": rect.get_state_display(),
            "opened_at": rect.opened_at,
            "call_back_due_at": rect.call_back_due_at,
            "rectify_due_at": rect.rectify_due_at,
            "called_back_at": rect.called_back_at,
            "resolution": rect.resolution,
            "resolved_at": rect.resolved_at,
            "fed_back_at": rect.fed_back_at,
        },
    }


def _ratings() -> Any:
    return Rating.objects.select_related(
        "case", "item", "center", "department", "rectification"
    ).order_by("-rated_at", "-pk")


class CenterRatings(ApiView):
    required_scopes = [SCOPE_RATINGS]

    @extend_schema(
        responses=RatingSerializer(many=True),
        parameters=[center_param()],
        tags=["ratings"],
        summary=_("中心的好差评（含整改状态）"),
        description=_("本中心最近的 200 条评价，最新的在前；差评附整改状态和期限。"),
    )
    def get(self, request: Request, code: str) -> Response:
        center = center_in_scope(request, code)
        rows = _ratings().filter(center=center)[:RATINGS_LIMIT]
        return Response(RatingSerializer([rating_data(r) for r in rows], many=True).data)


class RatingDetail(ApiView):
    required_scopes = [SCOPE_RATINGS]

    @extend_schema(
        responses=RatingSerializer,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        tags=["ratings"],
        summary=_("一条评价"),
    )
    def get(self, request: Request, id: int) -> Response:
        scope = services.centers_in_scope(client_of(request))
        rating = _ratings().filter(pk=id, center__in=scope).first()
        if rating is None:
            raise Http404(id)
        return Response(RatingSerializer(rating_data(rating)).data)
