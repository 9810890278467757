"""Names with rare characters (CJK Ext. A–E) print and read back."""

from __future__ import annotations

import pytest

from documents.models import DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import DocumentMaker, flat, pdf_text

pytestmark = pytest.mark.django_db

# Real name characters WenQuanYi lacks and Noto has (Ext. A: 䶮㛃, Ext. B: 𠇔, C: 𫖯, E: 𬌗𬍤),
# and common name characters outside GB 2312 (the compact extension face).
RARE = "䶮㛃𠇔𬌗𫖯𬍤"
UNCOMMON = "喆堃赟翀玥珺燊"


@pytest.mark.parametrize(
    "name", ["刘䶮", "王㛃", "陈𠇔", "李𬌗", "赵𫖯", "周𬍤", "张" + RARE, UNCOMMON]
)
def test_a_rare_name_reads_back_from_the_pdf(make_document: DocumentMaker, name: str) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, name=name)

    text = flat(pdf_text(bytes(document.files.get().pdf)))

    assert name in text


def test_a_rare_name_reads_back_from_the_ticket(make_document: DocumentMaker) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, name="张" + RARE, rendered=False)

    text = flat(pdf_text(bytes(ensure_rendered(document, "ticket").pdf)))

    assert "张" + RARE in text


RECEIPT_LIMIT = 100 * 1024  # issue 17: ≤ 100 KB even with rare characters


@pytest.mark.parametrize("name", ["陈𠇔", "张𠇔𬌗𫖯𬍤"])
def test_a_rare_name_receipt_stays_small_and_reads_back(
    make_document: DocumentMaker, name: str
) -> None:
    # The characters beyond the BMP come from the compact rare face, not from the
    # full Noto face and its 65,000 glyph slots (which made this receipt 198 KB).
    document = make_document(DocumentKind.ACCEPTANCE, name=name)
    pdf = bytes(document.files.get().pdf)

    assert name in flat(pdf_text(pdf))
    assert len(pdf) <= RECEIPT_LIMIT, f"{len(pdf)} bytes"
