"""Every document kind: its text reads back, its QR code verifies, a changed token does not."""

from __future__ import annotations

import pytest
from django.test import Client

from documents.models import Document, DocumentKind
from documents.services import status_url, verify_url
from documents.templatetags.docformat import cn_date
from tests.conftest import APPLICANT_ID
from tests.documents.conftest import (
    MASKED_ID,
    DocumentMaker,
    flat,
    path_of,
    pdf_pages,
    pdf_text,
    qr_payloads,
)
from workflows.cases.clock import local_date

pytestmark = pytest.mark.django_db

TITLES = {
    DocumentKind.ACCEPTANCE: "受理通知书",
    DocumentKind.CORRECTION: "补正材料通知书",
    DocumentKind.REJECTION: "不予受理决定书",
    DocumentKind.EXTENSION: "延期办理告知书",
    DocumentKind.SPECIAL: "特别程序告知书",
    DocumentKind.COMPLETION: "办结通知书",
    DocumentKind.SUPERVISION: "督办单",
}


def expected_due(document: Document) -> str:
    """The due date the document must print: the promised date, or the limit before acceptance."""
    case = document.case
    if case.promised_due_at is None:
        return f"自受理之日起{case.item.promised_limit_days}个工作日"
    return cn_date(local_date(case.promised_due_at).isoformat())


def stored_pdf(document: Document) -> bytes:
    return bytes(document.files.get(variant="a4").pdf)


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_text_reads_back_title_case_number_masked_id_and_due_date(
    make_document: DocumentMaker, kind: str
) -> None:
    document = make_document(kind)
    text = flat(pdf_text(stored_pdf(document)))

    assert TITLES[DocumentKind(kind)] in text
    assert document.number in text
    assert document.case.number in text
    assert MASKED_ID in text
    assert APPLICANT_ID not in text
    assert expected_due(document) in text


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_is_one_a4_page_laid_out_after_gb_t_9704(make_document: DocumentMaker, kind: str) -> None:
    document = make_document(kind)

    assert pdf_pages(stored_pdf(document)) == [(210.0, 297.0)]


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_qr_code_decodes_to_the_verify_url_which_says_authentic(
    make_document: DocumentMaker, kind: str, client: Client
) -> None:
    document = make_document(kind)

    payloads = qr_payloads(stored_pdf(document))
    assert verify_url(document) in payloads
    # The acceptance notice also carries the /status/ page (查询办理进度).
    others = [status_url(document.case.number)] if kind == DocumentKind.ACCEPTANCE else []
    assert sorted(p for p in payloads if p != verify_url(document)) == others
    page = client.get(path_of(verify_url(document))).content.decode()
    assert "真实文书" in page
    assert "不是本系统出具的真实文书" not in page
    assert document.number in page


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_a_token_with_one_character_changed_is_not_authentic(
    make_document: DocumentMaker, kind: str, client: Client
) -> None:
    document = make_document(kind, rendered=False)
    token = document.token
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

    page = client.get(f"/verify/{altered}").content.decode()

    assert "不是本系统出具的真实文书" in page
    assert document.number not in page


def test_the_thermal_ticket_is_80_mm_wide_and_carries_the_same_qr_code(
    make_document: DocumentMaker,
) -> None:
    from documents.services import ensure_rendered

    document = make_document(DocumentKind.ACCEPTANCE)
    ticket = bytes(ensure_rendered(document, "ticket").pdf)

    [(width, height)] = pdf_pages(ticket)
    assert width == 80.0
    assert 100 < height < 297  # cut to its content, not a full roll
    text = flat(pdf_text(ticket))
    assert document.number in text
    assert MASKED_ID in text
    assert expected_due(document) in text
    assert qr_payloads(ticket, dpi=300) == [verify_url(document)]


def test_without_a_configured_seal_the_seal_area_says_so(make_document: DocumentMaker) -> None:
    document = make_document(DocumentKind.ACCEPTANCE)

    text = flat(pdf_text(stored_pdf(document)))

    assert "（印章）" in text
    assert "未配置电子印章" in text
