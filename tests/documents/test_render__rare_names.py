"""Names with rare characters (CJK Ext. A–E) print and read back."""

from __future__ import annotations

import pytest

from documents import fonts, render
from documents.models import DocumentKind
from documents.services import ensure_rendered
from tests.documents.conftest import DocumentMaker, embedded_fonts, flat, pdf_text

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


def wrong_glyphs(pdf: bytes) -> list[str]:
    """Characters drawn with a glyph that is not theirs in the embedded font."""
    return [c for chars in embedded_fonts(pdf).values() for c, own in chars.items() if not own]


@pytest.mark.parametrize(
    "name",
    [
        "陈𠇔",  # Ext. B
        "张𠇔𬌗𫖯𬍤",  # Ext. B, C, E
        "刘䶮",  # Ext. A, near its end: 106 KB from one 21,000-glyph Ext face
        "王㛃",  # Ext. A
        "张喆",  # URO outside GB 2312: 110 KB from the one Ext face
        "张" + RARE,
        UNCOMMON,
    ],
)
def test_a_rare_name_receipt_stays_small_and_prints_its_own_glyphs(
    make_document: DocumentMaker, name: str
) -> None:
    # The characters outside GB 2312 come from the parts of the compact Ext and Rare
    # faces, not from one large face or the full Noto face and its 65,000 glyph slots
    # (198 KB with 𠇔).
    document = make_document(DocumentKind.ACCEPTANCE, name=name)
    pdf = bytes(document.files.get().pdf)
    drawn = {c for chars in embedded_fonts(pdf).values() for c in chars}

    assert name in flat(pdf_text(pdf))
    assert set(name) <= drawn
    assert wrong_glyphs(pdf) == []
    assert not any(font.startswith("Noto") for font in embedded_fonts(pdf))
    assert len(pdf) <= RECEIPT_LIMIT, f"{len(pdf)} bytes"


def test_every_part_of_the_ext_and_rare_faces_prints_with_its_own_glyphs() -> None:
    from fontTools.ttLib import TTFont

    parts = [face for face in fonts.FACES if face.part]
    text = "".join(chr(min(TTFont(fonts.face_path(f), lazy=True).getBestCmap())) for f in parts)

    pdf = render.render_pdf(template="documents/_probe.html", context={"text": text}).pdf
    embedded = embedded_fonts(pdf)

    assert {f.family.replace(" ", "-") for f in parts} <= set(embedded)
    assert set(text) <= {c for chars in embedded.values() for c in chars}
    assert wrong_glyphs(pdf) == []
