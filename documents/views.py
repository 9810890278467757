"""Public verification of documents, and the stored PDF for staff."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from documents.keyring import keyring
from documents.masking import Audience, mask_id_number, mask_name
from documents.models import Document, DocumentKind, Variant
from documents.selectors import documents_visible_to, verify_document
from documents.services import document_print, ensure_rendered
from documents.signing import MAX_TOKEN_CHARS, public_key_pem
from documents.templatetags.docformat import cn_date, provisional_mark
from workflows.cases.models import Status

NOT_AUTHENTIC = _("不是本系统出具的真实文书")
NOT_AUTHENTIC_HELP = _(
    "二维码内容被改动或伪造，或者本系统没有出具过这份文书。请勿凭此文书办理业务，"
    "并向出具机关或监督电话核实。"
)
AUTHENTIC = _("真实文书：本文书由一窗通系统出具，内容未被改动")
CURRENT = _("现行有效")
SUPERSEDED = _("已失效（已被替代）")
KEY_REVOKED = _("签名密钥已吊销：不能作为真实文书采信")


UNKNOWN_VARIANT = _("未知的打印格式；可选 a4 或 ticket（仅受理通知书）。")


class HttpResponseSeeOther(HttpResponseRedirectBase):
    """303 See Other: after the POST, the browser GETs the PDF."""

    status_code = 303


def _status_url(case_number: str) -> str | None:
    """The citizens' status page of a case, once another app provides it."""
    for name in ("web:status", "status"):
        for args in ([case_number], []):
            try:
                url = reverse(name, args=args)
            except NoReverseMatch:
                continue
            return url if args else f"{url}?number={quote(case_number)}"
    return None


def _key_facts(document: Document) -> list[tuple[str, str]]:
    """The facts the public page shows, with personal data masked (masking.py)."""
    c = document.content
    dates = c.get("dates", {})
    applicant = c.get("applicant", {})
    person = applicant.get("kind") != "organisation"
    name = applicant.get("name", "")
    facts = [
        (_("文书种类"), c.get("title", "")),
        (_("文书编号"), c.get("number", "")),
        (_("出具机关"), c.get("organ", {}).get("name", "")),
        (_("出具日期"), cn_date(c.get("issued_on", ""))),
        (_("办件编号"), c.get("case", {}).get("number", "")),
        (_("事项"), c.get("item", {}).get("name", "")),
        (_("申请人"), mask_name(name) if person else name),
        (_("证件号码"), mask_id_number(applicant.get("id_number", ""), Audience.PUBLIC)),
    ]
    if dates.get("promised_due"):
        mark = str(_("（暂定）"))
        promised = mark if provisional_mark(dates, "promised") else ""
        statutory = mark if provisional_mark(dates, "statutory") else ""
        facts.append((_("承诺办结期限"), cn_date(dates["promised_due"]) + promised))
        facts.append((_("法定办结期限"), cn_date(dates.get("statutory_due")) + statutory))
    return [(str(label), str(value)) for label, value in facts]


@login_not_required
@require_GET
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """扫码核验: is this document authentic, and is it still current? (No login.)"""
    result = verify_document(token) if len(token) <= MAX_TOKEN_CHARS else None
    document = result.document if result is not None and result.authentic else None
    revoked = result.revoked_key if result is not None else None
    context: dict[str, object] = {
        "authentic": document is not None,
        "not_authentic": NOT_AUTHENTIC,
        "not_authentic_help": NOT_AUTHENTIC_HELP,
        "authentic_text": AUTHENTIC,
        "revoked_key": revoked,
        "key_revoked": KEY_REVOKED,
    }
    if document is not None:
        replaced_by = document.superseded_by
        context.update(
            {
                "document": document,
                "current": document.is_current,
                "current_text": CURRENT if document.is_current else SUPERSEDED,
                "superseded_reason": document.superseded_reason,
                "replaced_by": replaced_by,
                "facts": _key_facts(document),
                "case_status": Status(document.case.status).label
                if document.case.status in Status.values
                else document.case.status,
                "status_url": _status_url(document.case.number),
            }
        )
    # 200 either way: the page itself must reach the citizen, not a proxy's error page.
    response = render(request, "documents/verify.html", context)
    # The token is a capability: keep it out of other sites' referrers and out of
    # search engines. "same-origin", not "no-referrer": with no-referrer Chromium
    # sends "Origin: null" on this site's own forms (查询进度, the language switch),
    # which the CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    """The Ed25519 public key (PEM) for verifying document tokens offline."""
    response = HttpResponse(public_key_pem(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="onewindow-documents-ed25519.pem"'
    return response


@login_not_required
@require_GET
def keys(request: HttpRequest) -> JsonResponse:
    """The signing keyring (public halves only), for verifying tokens and checkpoints offline."""
    ring = keyring()
    now = timezone.now()
    current = ring.current(now)
    response = JsonResponse(
        {
            "algorithm": "Ed25519",
            "current": current.key_id if current is not None else None,
            "keys": [
                {
                    "key_id": key.key_id,
                    "public_key_pem": key.public_pem,
                    "valid_from": None if key.since_always else key.valid_from.isoformat(),
                    "status": ring.status(key, now),
                    "revoked": key.revoked,
                    "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
                    "revoked_reason": key.revoked_reason or None,
                }
                for key in ring.keys
            ],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def _variant_or_refusal(document_kind: str, variant: str) -> HttpResponse | None:
    """A 400 for an unknown variant, a 404 for a ticket of anything but the acceptance notice."""
    if variant not in Variant.values:
        return HttpResponse(
            str(UNKNOWN_VARIANT), status=400, content_type="text/plain; charset=utf-8"
        )
    if variant == Variant.TICKET and document_kind != DocumentKind.ACCEPTANCE:
        raise Http404(str(UNKNOWN_VARIANT))
    return None


def _visible_document(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(
        documents_visible_to(request.user, Document.objects.select_related("case", "seal")), pk=pk
    )


@require_GET
@never_cache
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored PDF of a document the user may see, to view or download; never in the trail.

    Rendering on demand fills the store the worker would fill (the same bytes);
    the audit trail is written only by :func:`print_document` (POST).
    """
    variant = request.GET.get("variant", Variant.A4)
    document = _visible_document(request, pk)
    refusal = _variant_or_refusal(document.kind, variant)
    if refusal is not None:
        return refusal
    stored = ensure_rendered(document, variant)
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    ascii_name = (
        f"{document.case.number}-{document.kind}{'-ticket' if variant == 'ticket' else ''}.pdf"
    )
    response["Content-Disposition"] = (
        f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.number + '.pdf')}"
    )
    response["Content-Length"] = str(stored.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def print_document(request: HttpRequest, pk: int) -> HttpResponse:
    """打印/补打: record the print (or reprint) in the case's trail, then open the PDF.

    A POST so that only the button writes; the redirect (303) lets the browser
    fetch the very bytes that were recorded with a plain GET.
    """
    variant = request.POST.get("variant", Variant.A4)
    document = _visible_document(request, pk)
    refusal = _variant_or_refusal(document.kind, variant)
    if refusal is not None:
        return refusal
    user = request.user if request.user.is_authenticated else None
    document_print(document=document, user=user, variant=variant)
    url = reverse("documents:pdf", args=[document.pk])
    if variant == Variant.TICKET:
        url += "?variant=ticket"
    return HttpResponseSeeOther(url)
