"""The public catalogue of service items (no token needed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from workflows.api.serializers import ItemSerializer
from workflows.api.views.base import ITEM_CODE, PublicView
from workflows.catalog.models import ItemMaterial, ServiceItem


def _items() -> Any:
    return (
        ServiceItem.objects.filter(is_active=True)
        .select_related("department")
        .prefetch_related(Prefetch("materials", queryset=ItemMaterial.objects.order_by("position")))
        .order_by("department__code", "code")
    )


class ItemList(PublicView):
    @extend_schema(
        responses=ItemSerializer(many=True), tags=["catalogue"], summary=_("服务事项目录")
    )
    def get(self, request: Request) -> Response:
        return Response(ItemSerializer(_items(), many=True).data)


class ItemDetail(PublicView):
    @extend_schema(
        responses=ItemSerializer,
        tags=["catalogue"],
        summary=_("一个服务事项"),
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{ITEM_CODE}$"
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(ItemSerializer(get_object_or_404(_items(), code=code)).data)
