"""The receipt tells the citizen how to follow the case; a 一件事 receipt lists every sub-case."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from documents.models import Document, DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import DocumentMaker, flat, path_of, pdf_text, qr_payloads
from tests.workflows.combined.bundles import DECEASED, all_materials, load_reference, people
from workflows.cases.services import Party
from workflows.catalog.models import Center
from workflows.combined.models import Bundle
from workflows.combined.services import bundle_receive

pytestmark = pytest.mark.django_db


def test_the_receipt_prints_the_status_address_its_qr_and_which_digits_to_type(
    make_document: DocumentMaker, client: Client
) -> None:
    document = make_document(DocumentKind.ACCEPTANCE)
    number = document.case.number

    a4 = bytes(document.files.get(variant="a4").pdf)
    ticket = bytes(ensure_rendered(document, "ticket").pdf)

    for pdf in (a4, ticket):
        text = flat(pdf_text(pdf))
        assert "/status/" in text
        assert "手机号码或证件号码的后4位" in text
    status_qr = [url for url in qr_payloads(a4) if "/status/" in url]
    assert len(status_qr) == 1
    assert status_qr[0].endswith(f"/status/?number={number}")
    page = client.get(path_of(status_qr[0]) + f"?number={number}")
    assert page.status_code == 200
    assert number in page.content.decode()  # the form comes prefilled


def test_a_bundle_receipt_lists_every_sub_case_number() -> None:
    load_reference()
    users = people()
    bundle = Bundle.objects.get(item__code="BUNDLE-SH")
    parent = bundle_receive(
        bundle=bundle,
        center=Center.objects.get(code="PY"),
        actor=users["clerk"],
        applicant=Party(name="王五", id_number="441426199001011238", phone="13912345678"),
        item_ids=[p.item_id for p in bundle.parts.all()],
        received=all_materials(bundle),
        deceased=DECEASED,
        now=datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    children = list(parent.children.values_list("number", flat=True))
    assert len(children) == bundle.parts.count()
    receipt = Document.objects.get(case=parent, kind=DocumentKind.ACCEPTANCE)

    a4 = flat(pdf_text(bytes(ensure_rendered(receipt).pdf)))
    ticket = flat(pdf_text(bytes(ensure_rendered(receipt, "ticket").pdf)))

    for text in (a4, ticket):
        assert parent.number in text
        for number in children:
            assert number in text
