"""Webhooks: a system's event subscriptions and their delivery log."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from workflows.api import services
from workflows.api.auth import client_of
from workflows.api.models import SCOPE_WEBHOOKS, Subscription, WebhookDelivery
from workflows.api.serializers import DeliverySerializer, SubscriptionOut, SubscriptionSerializer
from workflows.api.views.base import IDEMPOTENCY_HEADER, ApiView, idempotency_key


class SubscriptionList(ApiView):
    required_scopes = [SCOPE_WEBHOOKS]

    @extend_schema(
        responses=SubscriptionOut(many=True), tags=["webhooks"], summary=_("我的事件订阅")
    )
    def get(self, request: Request) -> Response:
        subs = Subscription.objects.filter(client=client_of(request)).order_by("pk")
        return Response(SubscriptionOut(subs, many=True).data)

    @extend_schema(
        request=SubscriptionSerializer,
        responses={201: SubscriptionSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["webhooks"],
        summary=_("订阅办件事件"),
    )
    def post(self, request: Request) -> Response:
        client = client_of(request)
        key = idempotency_key(request)
        serializer = SubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        print_ = services.fingerprint(serializer.validated_data)

        def run() -> tuple[int, Any, dict[str, str]]:
            sub = serializer.save(client=client)
            return 201, SubscriptionSerializer(sub).data, {}

        stored = services.idempotent(client=client, key=key, print_=print_, run=run)
        return Response(stored.body, status=stored.status, headers=stored.headers)


class SubscriptionDetail(ApiView):
    required_scopes = [SCOPE_WEBHOOKS]

    def _get(self, request: Request, id: int) -> Subscription:
        return get_object_or_404(Subscription, client=client_of(request), pk=id)

    @extend_schema(
        responses={204: None},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        tags=["webhooks"],
        summary=_("取消订阅"),
    )
    def delete(self, request: Request, id: int) -> Response:
        sub = self._get(request, id)
        sub.is_active = False
        sub.save(update_fields=["is_active"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryLog(ApiView):
    required_scopes = [SCOPE_WEBHOOKS]

    @extend_schema(
        responses=DeliverySerializer(many=True),
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        tags=["webhooks"],
        summary=_("推送记录"),
    )
    def get(self, request: Request, id: int) -> Response:
        sub = get_object_or_404(Subscription, client=client_of(request), pk=id)
        rows = (
            WebhookDelivery.objects.filter(subscription=sub)
            .prefetch_related("log")
            .order_by("-created_at", "-pk")[:100]
        )
        return Response(DeliverySerializer(rows, many=True).data)
