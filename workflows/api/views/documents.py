"""Documents: the list of a case's documents and the PDF of one."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.response import Response

from documents.models import Document
from documents.services import ensure_rendered, verify_url
from workflows.api import services
from workflows.api.auth import client_of
from workflows.api.models import SCOPE_CASES
from workflows.api.serializers import DocumentSerializer
from workflows.api.views.base import ApiView, case_in_scope, number_param


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


class CaseDocuments(ApiView):
    required_scopes = [SCOPE_CASES]

    @extend_schema(
        responses=DocumentSerializer(many=True),
        parameters=[number_param()],
        tags=["documents"],
        summary=_("办件的文书"),
    )
    def get(self, request: Request, number: str) -> Response:
        case = case_in_scope(request, number)
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
