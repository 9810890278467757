"""Cases: a system's online applications, a case's status, record and withdrawal."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from workflows.api import services
from workflows.api.auth import client_of
from workflows.api.models import SCOPE_APPLY, SCOPE_CASES, OnlineApplication
from workflows.api.problems import ApiProblem
from workflows.api.serializers import (
    ApplicationSerializer,
    CaseSerializer,
    CreatedApplicationSerializer,
    EventSerializer,
    WithdrawSerializer,
)
from workflows.api.views.base import (
    IDEMPOTENCY_HEADER,
    IF_MATCH_HEADER,
    ApiView,
    case_in_scope,
    idempotency_key,
    number_param,
    replayable_response,
)
from workflows.cases import services as case_services
from workflows.cases.models import Case, CaseEvent
from workflows.cases.services import clock_state
from workflows.catalog.models import ServiceItem


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
        key = idempotency_key(request)
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
        return replayable_response(stored)


class CaseDetail(ApiView):
    required_scopes = [SCOPE_CASES]

    @extend_schema(
        responses=CaseSerializer,
        parameters=[number_param()],
        tags=["cases"],
        summary=_("办件状态与时限"),
    )
    def get(self, request: Request, number: str) -> Response:
        case = case_in_scope(request, number)
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
        case = case_in_scope(request, number)
        events = CaseEvent.objects.filter(case=case).order_by("seq")
        return Response(EventSerializer(events, many=True).data)


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
        key = idempotency_key(request)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        case = case_in_scope(request, number)
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
