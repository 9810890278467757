"""The public guide pages: the list with search, one page per item, its checklist PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.render import render_pdf
from workflows.catalog.models import Center, Department, ServiceItem
from workflows.guide import search
from workflows.guide.content import guide_of


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """办事指南: every published item, or the best matches for ``q``."""
    query = search.normalize(request.GET.get("q", ""))
    filters = search.Filters(
        department=request.GET.get("department", "")[:32],
        center=request.GET.get("center", "")[:32],
    )
    items = search.search(query, filters)
    context: dict[str, Any] = {
        "query": query,
        "filters": filters,
        "items": items,
        "departments": Department.objects.order_by("code"),
        "centers": Center.objects.order_by("path"),
    }
    return render(request, "guide/index.html", context)


def _item(code: str) -> ServiceItem:
    item = (
        ServiceItem.objects.filter(code=code, is_active=True).select_related("department").first()
    )
    if item is None:
        raise Http404(code)
    return item


@login_not_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One item's guide: the 十公开."""
    return render(request, "guide/detail.html", {"g": guide_of(_item(code))})


@login_not_required
@require_GET
def checklist(request: HttpRequest, code: str) -> HttpResponse:
    """The one-page checklist to print and bring (PDF, rendered like the receipts)."""
    item = _item(code)
    rendered = render_pdf(template="documents/guide_checklist.html", context={"g": guide_of(item)})
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guide-{item.code}.pdf"'
    return response
