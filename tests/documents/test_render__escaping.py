"""Citizen input is text: HTML or CSS in names, addresses and reasons never changes the layout."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from documents import render
from documents.models import DocumentKind
from tests.documents.conftest import DocumentMaker, flat, pdf_pages, pdf_text, qr_payloads

pytestmark = pytest.mark.django_db

# Short enough not to wrap, so the document and its defused twin must lay out alike.
HOSTILE_NAME = "<b style=font-size:80pt>张三"
HOSTILE_ADDRESS = "</style><style>@page{size:A0}</style>"
HOSTILE_REASON = '<p style="page-break-before:always">'
HOSTILE_IMAGE = '<img src="file:///etc/passwd">'


def defused(text: str) -> str:
    """The same text with its markup characters swapped for look-alikes: no markup left."""
    return text.translate(str.maketrans('<>"/={}@:', "()'|-[]a;"))


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_markup_in_citizen_input_prints_as_text_and_keeps_the_layout(
    make_document: DocumentMaker, kind: str
) -> None:
    plain = make_document(
        kind,
        name=defused(HOSTILE_NAME),
        address=defused(HOSTILE_ADDRESS),
        reason=defused(HOSTILE_REASON),
    )
    hostile = make_document(kind, name=HOSTILE_NAME, address=HOSTILE_ADDRESS, reason=HOSTILE_REASON)
    plain_pdf = bytes(plain.files.get().pdf)
    hostile_pdf = bytes(hostile.files.get().pdf)

    assert pdf_pages(hostile_pdf) == pdf_pages(plain_pdf) == [(210.0, 297.0)]
    assert positions(hostile_pdf) == positions(plain_pdf)
    assert max_font_size(hostile_pdf) <= 22.5  # the title; the 80 pt style never applied
    text = flat(pdf_text(hostile_pdf))
    if kind != DocumentKind.SUPERVISION:  # the internal order is addressed to the department
        assert flat(HOSTILE_NAME) in text
    assert flat(HOSTILE_ADDRESS) in text
    if kind in (
        DocumentKind.REJECTION,
        DocumentKind.CORRECTION,
        DocumentKind.EXTENSION,
        DocumentKind.COMPLETION,
        DocumentKind.SUPERVISION,
        DocumentKind.SPECIAL,
    ):
        # pdftotext joins a word broken at a hyphen at the end of a line: compare without them.
        assert flat(HOSTILE_REASON).replace("-", "") in text.replace("-", "")


def positions(pdf: bytes) -> list[tuple[str, int]]:
    """Where the fixed labels of the frame sit on page 1 (text, top in points)."""
    labels = ("办件编号", "事项名称", "收件时间", "首问责任人", "咨询电话")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = doc.pages[0].extract_words()
    return [(w["text"], round(w["top"])) for w in words if w["text"] in labels]


def max_font_size(pdf: bytes) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return max(char["size"] for page in doc.pages for char in page.chars)


def test_an_image_tag_in_a_reason_fetches_nothing(make_document: DocumentMaker) -> None:
    document = make_document(DocumentKind.REJECTION, reason=HOSTILE_IMAGE)
    pdf = bytes(document.files.get().pdf)

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        images = doc.pages[0].images
    assert len(images) == len(qr_payloads(pdf)) == 1  # the verify QR code, nothing fetched
    assert flat(HOSTILE_IMAGE) in flat(pdf_text(pdf))


def test_the_ticket_keeps_its_width_with_markup_in_the_name(make_document: DocumentMaker) -> None:
    from documents.services import ensure_rendered

    document = make_document(DocumentKind.ACCEPTANCE, name=HOSTILE_NAME, rendered=False)
    ticket = bytes(ensure_rendered(document, "ticket").pdf)

    assert pdf_pages(ticket)[0][0] == 80.0
    assert flat(HOSTILE_NAME) in flat(pdf_text(ticket))


def test_only_the_apps_own_templates_reach_weasyprint() -> None:
    for name in ("web/base.html", "../documents/acceptance.html", "documents/../web/base.html"):
        with pytest.raises(render.UntrustedTemplate):
            render.render_pdf(template=name, context={})


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://example.com/font.otf",
        "file:///etc/passwd",
        "file:///work/main/config/settings/base.py",
        "ftp://example.com/a",
        "data:text/html;base64,PGI+eDwvYj4=",
        "owfont:../../etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_anything_but_the_apps_own_files(url: str) -> None:
    fetcher = render._safe_fetcher_class()()

    with pytest.raises(ValueError, match=r"may not load|no such font"):
        fetcher.fetch(url)


def test_the_url_fetcher_serves_the_print_stylesheet_fonts_and_inline_images() -> None:
    fetcher = render._safe_fetcher_class()()

    assert fetcher.fetch(render.PRINT_CSS.as_uri()).read().startswith(b"/*")
    assert fetcher.fetch("owfont:OneWindowSerifSC-Regular.otf").read()[:4] == b"OTTO"
    png = "data:image/png;base64,iVBORw0KGgo="
    assert fetcher.fetch(png).read() == b"\x89PNG\r\n\x1a\n"
