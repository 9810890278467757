"""Bookings (预约): a center's free slots, one booking, and booking on someone's behalf."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from documents import masking
from workflows.api import services
from workflows.api.auth import client_of
from workflows.api.models import SCOPE_BOOK, SCOPE_BOOKINGS
from workflows.api.serializers import BookingIn, BookingOut, SlotDaySerializer
from workflows.api.views.base import (
    IDEMPOTENCY_HEADER,
    ITEM_CODE,
    ApiView,
    center_in_scope,
    center_param,
    idempotency_key,
    replayable_response,
)
from workflows.catalog.models import ServiceItem
from workflows.hall.models import Booking
from workflows.hall.selectors import counter_for_item, free_slots
from workflows.hall.services import booking_create

BOOKING_REFERENCE = r"[A-Za-z0-9]{1,12}"


def booking_data(booking: Booking) -> dict[str, Any]:
    phone = booking.phone
    return {
        "reference": booking.reference,
        "center": booking.center.code,
        "counter": booking.counter.name,
        "item": booking.item.code,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "name": booking.name,
        "id_number": masking.mask_id_number(booking.id_number, masking.Audience.SCREEN),
        "phone": f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****",
        "needs_help": booking.needs_help,
        "created_at": booking.created_at,
    }


class CenterSlots(ApiView):
    required_scopes = [SCOPE_BOOKINGS]

    @extend_schema(
        responses=SlotDaySerializer(many=True),
        parameters=[
            center_param(),
            OpenApiParameter(
                "item",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                pattern=f"^{ITEM_CODE}$",
                description=_("事项编码：返回办理该事项的窗口组的空闲时段。"),
            ),
        ],
        tags=["bookings"],
        summary=_("中心的空闲预约时段"),
    )
    def get(self, request: Request, code: str) -> Response:
        center = center_in_scope(request, code)
        item_code = request.query_params.get("item", "")
        if not re.fullmatch(ITEM_CODE, item_code):
            raise serializers.ValidationError({"item": [_("请提供事项编码。")]})
        counter = counter_for_item(center, item_code)
        if counter is None:
            raise Http404(item_code)
        days = [
            {
                "date": day,
                "counter": counter.name,
                "slots": [
                    {
                        "starts_at": s.starts_at,
                        "ends_at": s.ends_at,
                        "capacity": s.capacity,
                        "booked": s.booked,
                        "free": s.free,
                    }
                    for s in slots
                    if s.free
                ],
            }
            for day, slots in free_slots(counter, timezone.now())
        ]
        return Response(SlotDaySerializer(days, many=True).data)


class BookingDetail(ApiView):
    required_scopes = [SCOPE_BOOKINGS]

    @extend_schema(
        responses=BookingOut,
        parameters=[
            OpenApiParameter(
                "reference",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern=f"^{BOOKING_REFERENCE}$",
            )
        ],
        tags=["bookings"],
        summary=_("一个预约"),
    )
    def get(self, request: Request, reference: str) -> Response:
        scope = services.centers_in_scope(client_of(request))
        booking = (
            Booking.objects.select_related("center", "counter", "item")
            .filter(reference=reference, center__in=scope)
            .first()
        )
        if booking is None:
            raise Http404(reference)
        return Response(BookingOut(booking_data(booking)).data)


class BookingCreate(ApiView):
    required_scopes = [SCOPE_BOOK]

    @extend_schema(
        request=BookingIn,
        responses={201: BookingOut},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["bookings"],
        summary=_("代群众预约"),
        description=_(
            "与大厅预约页面同样的规则：所选时段须开放且有空位，同一身份证号同一事项只能有一个"
            "有效预约，同一手机号的有效预约有上限。"
        ),
    )
    def post(self, request: Request) -> Response:
        client = client_of(request)
        key = idempotency_key(request)
        serializer = BookingIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        print_ = services.fingerprint({"booking": data})

        def run() -> tuple[int, Any, dict[str, str]]:
            center = center_in_scope(request, data["center"])
            counter = counter_for_item(center, data["item"])
            if counter is None:
                raise serializers.ValidationError(
                    {"item": [_("该中心没有可预约办理此事项的窗口。")]}
                )
            booking = booking_create(
                counter=counter,
                item=ServiceItem.objects.get(code=data["item"]),
                starts_at=data["starts_at"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                needs_help=data["needs_help"],
                help_note=data["help_note"],
                actor=client.user,
            )
            booking = Booking.objects.select_related("center", "counter", "item").get(pk=booking.pk)
            return (
                201,
                BookingOut(booking_data(booking)).data,
                {"Location": f"/api/v1/bookings/{booking.reference}/"},
            )

        stored = services.idempotent(client=client, key=key, print_=print_, run=run)
        return replayable_response(stored)
