"""/api/v1/: thin views over the cases, documents and API services; every call audited."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import masking
from documents.models import Document
from documents.services import ensure_rendered, verify_url
from workflows.api import services
from workflows.api.auth import ClientRateThrottle, HasScope, SystemAuthentication, client_of
from workflows.api.models import (
    SCOPE_APPLY,
    SCOPE_BOOK,
    SCOPE_BOOKINGS,
    SCOPE_CASES,
    SCOPE_RATINGS,
    SCOPE_WEBHOOKS,
    ApiCall,
    OnlineApplication,
    Subscription,
    WebhookDelivery,
)
from workflows.api.problems import ApiProblem
from workflows.api.serializers import (
    ApplicationSerializer,
    BookingIn,
    BookingOut,
    CaseSerializer,
    CreatedApplicationSerializer,
    DeliverySerializer,
    DocumentSerializer,
    EventSerializer,
    ItemSerializer,
    RatingSerializer,
    SlotDaySerializer,
    SubscriptionOut,
    SubscriptionSerializer,
    WithdrawSerializer,
)
from workflows.cases import services as case_services
from workflows.cases.models import Case, CaseEvent
from workflows.cases.services import clock_state
from workflows.catalog.models import Center, ItemMaterial, ServiceItem
from workflows.hall.models import Booking
from workflows.hall.selectors import counter_for_item, free_slots
from workflows.hall.services import booking_create
from workflows.rating.models import Rating

CASE_NUMBER = r"[A-Za-z0-9-]{1,40}"
ITEM_CODE = r"[A-Za-z0-9-]{1,32}"
IDEMPOTENCY_KEY = r"[A-Za-z0-9_.:-]{8,100}"

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


class PdfRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        return renderers.JSONRenderer().render(data)


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


# ---------------------------------------------------------------- catalogue (public)


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


# ---------------------------------------------------------------- cases


def case_data(case: Case) -> dict[str, Any]:
    channel = "online" if OnlineApplication.objects.filter(case=case).exists() else "window"
    return {
        "number": case.number,
        "item": case.item.code,
        "item_name": case.item.name,
        "center": case.center.code,
        "department": case.department.code,
        "channel": channel,
        "status": case.status,
        "status_label": case.get_status_display(),
        "received_at": case.received_at,
        "deemed_acceptance_at": case.deemed_acceptance_at,
        "accepted_at": case.accepted_at,
        "promised_due_at": case.promised_due_at,
        "statutory_due_at": case.statutory_due_at,
        "decided_at": case.decided_at,
        "decision": case.decision,
        "closed_at": case.closed_at,
        "clock": clock_state(case),
        "materials": [
            {
                "position": m.position,
                "name": m.name,
                "form": m.form,
                "state": m.state,
                "required": m.required,
            }
            for m in case.materials.order_by("position")
        ],
    }


def _case(request: Request, number: str) -> Case:
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


def _key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not re.fullmatch(IDEMPOTENCY_KEY, key):
        raise ApiProblem(
            400, _("请在请求头 Idempotency-Key 中提供 8–100 位的唯一键（字母、数字、_.:-）。")
        )
    return key


class ApplicationCreate(ApiView):
    required_scopes = [SCOPE_APPLY]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ApplicationSerializer},
        responses={201: CreatedApplicationSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["applications"],
        summary=_("提交网上申请"),
        description=_(
            "申请到达后是本中心“已收件”的办件（渠道：网上），与窗口收件一样由窗口受理、"
            "一次性告知或不予受理，5 个工作日内未处理的依法视为受理。"
        ),
    )
    def post(self, request: Request) -> Response:
        client = client_of(request)
        key = _key(request)
        serializer = ApplicationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        uploads = [
            services.Upload(position=p, file=f)
            for p, f in zip(data["material_positions"], data["material_files"], strict=True)
        ]
        print_ = services.fingerprint(
            {
                **{k: v for k, v in data.items() if k != "material_files"},
                "files": [hashlib.sha256(u.file.read()).hexdigest() for u in uploads],
            }
        )
        for upload in uploads:
            upload.file.seek(0)

        def run() -> tuple[int, Any, dict[str, str]]:
            item = ServiceItem.objects.filter(code=data["item"], is_active=True).first()
            if item is None:
                raise serializers.ValidationError({"item": [_("没有这个在用的服务事项。")]})
            case, lookups = services.application_create(
                client=client,
                item=item,
                applicant=case_services.Party(
                    name=data["applicant_name"],
                    id_type=data["applicant_id_type"],
                    id_number=data["applicant_id_number"],
                    phone=data["applicant_phone"],
                    address=data["applicant_address"],
                ),
                uploads=uploads,
                external_ref=data["external_ref"],
                idempotency_key=key,
            )
            body = CreatedApplicationSerializer(
                {
                    **case_data(case),
                    "shared": [
                        {
                            "position": lk.position,
                            "name": lk.name,
                            "source": lk.source.name,
                            "outcome": lk.outcome,
                            "note": lk.note,
                        }
                        for lk in lookups
                    ],
                }
            ).data
            return 201, body, {"Location": f"/api/v1/cases/{case.number}/"}

        stored = services.idempotent(client=client, key=key, print_=print_, run=run)
        headers = dict(stored.headers)
        if stored.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(stored.body, status=stored.status, headers=headers)


class CaseDetail(ApiView):
    required_scopes = [SCOPE_CASES]

    @extend_schema(
        responses=CaseSerializer,
        parameters=[number_param()],
        tags=["cases"],
        summary=_("办件状态与时限"),
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case(request, number)
        return Response(case_data(case), headers={"ETag": services.etag(case)})


class CaseEvents(ApiView):
    required_scopes = [SCOPE_CASES]

    @extend_schema(
        responses=EventSerializer(many=True),
        parameters=[number_param()],
        tags=["cases"],
        summary=_("办件记录"),
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case(request, number)
        events = CaseEvent.objects.filter(case=case).order_by("seq")
        return Response(EventSerializer(events, many=True).data)


class CaseDocuments(ApiView):
    required_scopes = [SCOPE_CASES]

    @extend_schema(
        responses=DocumentSerializer(many=True),
        parameters=[number_param()],
        tags=["documents"],
        summary=_("办件的文书"),
    )
    def get(self, request: Request, number: str) -> Response:
        case = _case(request, number)
        rows = [
            {
                "id": d.pk,
                "kind": d.kind,
                "number": d.number,
                "issued_at": d.issued_at,
                "current": d.is_current,
                "pdf_url": f"/api/v1/documents/{d.pk}/pdf/",
                "verify_url": verify_url(d),
            }
            for d in Document.objects.filter(case=case).order_by("issued_at", "pk")
        ]
        return Response(DocumentSerializer(rows, many=True).data)


class DocumentPdf(ApiView):
    required_scopes = [SCOPE_CASES]
    renderer_classes = [PdfRenderer, renderers.JSONRenderer]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        tags=["documents"],
        summary=_("下载文书 PDF"),
    )
    def get(self, request: Request, id: int) -> HttpResponse:
        client = client_of(request)
        document = get_object_or_404(
            Document.objects.filter(case__in=services.cases_in_scope(client)), pk=id
        )
        stored = ensure_rendered(document)  # a GET never writes the trail
        response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{document.case.number}-{document.kind}.pdf"'
        )
        return response


class CaseWithdraw(ApiView):
    required_scopes = [SCOPE_APPLY]

    @extend_schema(
        request=WithdrawSerializer,
        responses=CaseSerializer,
        parameters=[number_param(), IDEMPOTENCY_HEADER, IF_MATCH_HEADER],
        tags=["applications"],
        summary=_("申请人撤回申请"),
    )
    def post(self, request: Request, number: str) -> Response:
        client = client_of(request)
        key = _key(request)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        case = _case(request, number)
        print_ = services.fingerprint({"withdraw": number, "reason": reason})

        def run() -> tuple[int, Any, dict[str, str]]:
            match = request.headers.get("If-Match", "")
            if not match:
                raise ApiProblem(428, _("请在请求头 If-Match 中提供读取办件时得到的 ETag。"))
            if match != services.etag(case):
                raise ApiProblem(412, _("办件在您读取之后已经变化，请重新读取后再决定。"))
            done = case_services.case_withdraw(
                case=case,
                actor=client.user,
                reason=reason,
                idempotency_key=f"api:{client.pk}:{key}",
            )
            done.refresh_from_db()
            return 200, CaseSerializer(case_data(done)).data, {"ETag": services.etag(done)}

        stored = services.idempotent(client=client, key=key, print_=print_, run=run)
        return Response(stored.body, status=stored.status, headers=stored.headers)


# ---------------------------------------------------------------- webhooks


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
        key = _key(request)
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


# ---------------------------------------------------------------- 好差评 (read) and 预约


CENTER_CODE = r"[A-Za-z0-9-]{1,32}"
BOOKING_REFERENCE = r"[A-Za-z0-9]{1,12}"
RATINGS_LIMIT = 200


def center_param() -> OpenApiParameter:
    return OpenApiParameter(
        "code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=f"^{CENTER_CODE}$"
    )


def _center(request: Request, code: str) -> Center:
    """The center if it is the system's or below it; 404 otherwise (never a hint)."""
    center = services.centers_in_scope(client_of(request)).filter(code=code).first()
    if center is None:
        raise Http404(code)
    return center


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
        center = _center(request, code)
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
        center = _center(request, code)
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
        key = _key(request)
        serializer = BookingIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        print_ = services.fingerprint({"booking": data})

        def run() -> tuple[int, Any, dict[str, str]]:
            center = _center(request, data["center"])
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
        headers = dict(stored.headers)
        if stored.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(stored.body, status=stored.status, headers=headers)
