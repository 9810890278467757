"""Fixtures for documents: cases driven to each document, and PDF readers (text, QR)."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from documents import fonts, render
from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.conftest import applicant, complete_materials
from workflows.cases import services
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import Center, ServiceItem

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
MASKED_ID = "4414**********1238"  # tests.conftest.APPLICANT_ID as printed


@pytest.fixture(scope="session", autouse=True)
def _compact_fonts() -> None:
    """Build the compact faces once per machine (a few minutes the first time, then shared)."""
    fonts.build_fonts()
    render.reset_engine()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (poppler-utils)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode()


def embedded_fonts(pdf: bytes) -> dict[str, dict[str, bool]]:
    """Per embedded font (its name without the subset tag), each character it prints
    and whether the glyph drawn is that character's glyph in the embedded font file.

    pdftotext reads the ToUnicode map, which is right even when a glyph ID is drawn
    with another font's outlines; this compares the glyph IDs the ToUnicode map
    gives with the embedded file's own cmap.
    """
    import re

    from fontTools.ttLib import TTFont
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    found: dict[str, dict[str, bool]] = {}
    for xref in document.xrefs:
        for objid in xref.get_objids():
            obj = resolve1(document.getobj(objid))
            if not isinstance(obj, dict) or "DescendantFonts" not in obj:
                continue
            name = resolve1(obj["BaseFont"]).name.split("+", 1)[-1]
            cid_font = resolve1(resolve1(obj["DescendantFonts"])[0])
            descriptor = resolve1(cid_font["FontDescriptor"])
            key = "FontFile3" if "FontFile3" in descriptor else "FontFile2"
            file = resolve1(descriptor[key])
            font = TTFont(io.BytesIO(file.get_data()))
            cmap = font.getBestCmap() or {}
            to_unicode = resolve1(obj["ToUnicode"]).get_data()
            chars = found.setdefault(name, {})
            for gid_hex, text_hex in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]+)>", to_unicode):
                text = bytes.fromhex(text_hex.decode()).decode("utf-16-be")
                if len(text) == 1 and text != "\uffff":  # U+FFFF: .notdef
                    glyph = cmap.get(ord(text))
                    drawn = int(gid_hex, 16)
                    chars[text] = glyph is not None and font.getGlyphID(glyph) == drawn
    return found


def flat(text: str) -> str:
    """Text without whitespace: table cells and wrapped lines read back as one string."""
    return "".join(text.split())


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in millimetres."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [
            (round(doc[i].get_width() * 25.4 / 72, 1), round(doc[i].get_height() * 25.4 / 72, 1))
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def qr_payloads(pdf: bytes, *, dpi: int = 200) -> list[str]:
    """Every QR code on the first page, decoded with zbar from a rasterised page."""
    import pypdfium2 as pdfium
    from pyzbar import pyzbar

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return [r.data.decode() for r in pyzbar.decode(image)]


def path_of(url: str) -> str:
    """The site-relative path of an absolute verify URL."""
    return urlsplit(url).path


def document_of(case: Case, kind: str) -> Document:
    """The latest ``kind`` document of ``case``."""
    return Document.objects.filter(case=case, kind=kind).order_by("-issued_at", "-pk").first()


DocumentMaker = Callable[..., Document]


@pytest.fixture
def make_document(
    county: Center, item: ServiceItem, clerk: User, officer: User, head: User, supervisor: User
) -> DocumentMaker:
    """Drive a fresh case through the services until it has a ``kind`` document."""

    def make(
        kind: str,
        *,
        name: str = "张三",
        address: str = "平远县大柘镇黄沙村 1 号",
        reason: str = "申请材料所载事实需进一步核实",
        rendered: bool = True,
        **applicant_overrides: Any,
    ) -> Document:
        case = services.case_receive(
            center=county,
            item=item,
            actor=clerk,
            applicant=applicant(name=name, address=address, **applicant_overrides),
            materials=complete_materials(item),
            now=MONDAY,
        )
        if kind == DocumentKind.CORRECTION:
            services.case_request_correction(
                case=case,
                actor=clerk,
                now=MONDAY,
                lines=[
                    services.CorrectionLine(
                        position=2, problem=reason, state=CaseMaterial.State.DEFECTIVE
                    )
                ],
            )
        elif kind == DocumentKind.REJECTION:
            services.case_reject(
                case=case, actor=clerk, reason=reason, competent_organ="梅州市公安局", now=MONDAY
            )
        else:
            case = services.case_accept(case=case, actor=clerk, now=MONDAY)
            if kind in (
                DocumentKind.EXTENSION,
                DocumentKind.SPECIAL,
                DocumentKind.COMPLETION,
                DocumentKind.SUPERVISION,
            ):
                case = services.case_start(case=case, actor=officer, now=MONDAY)
            if kind == DocumentKind.EXTENSION:
                services.case_request_extension(
                    case=case, actor=officer, days=5, reason=reason, now=MONDAY
                )
                services.case_decide_extension(
                    case=case, actor=head, approve=True, note="同意延期", now=MONDAY
                )
            elif kind == DocumentKind.SPECIAL:
                services.case_suspend(
                    case=case,
                    actor=officer,
                    procedure="expert_review",
                    expected_days=3,
                    reason=reason,
                    now=MONDAY,
                )
            elif kind == DocumentKind.COMPLETION:
                services.case_decide(
                    case=case, actor=officer, decision="denied", reason=reason, now=MONDAY
                )
            elif kind == DocumentKind.SUPERVISION:
                from django.db import transaction

                from documents.services import document_issue

                with transaction.atomic():
                    document_issue(
                        case=case,
                        kind="supervision",
                        actor=supervisor,
                        extra={"level": "红灯", "reason": reason, "reply_by": MONDAY.date()},
                        dedupe_key="test-supervision",
                    )
        document = document_of(case, kind)
        assert document is not None, f"no {kind} document was issued"
        if rendered:
            ensure_rendered(document)
        return document

    return make
