"""The system can print documents fast and completely: HarfBuzz subsetting and CJK fonts."""

from __future__ import annotations

import pdfplumber
import pytest
from django.core.management import CommandError, call_command

from documents import fonts, render
from documents.management.commands import check_system
from documents.models import DocumentKind
from tests.documents.conftest import DocumentMaker

pytestmark = pytest.mark.django_db


def test_weasyprint_subsets_fonts_with_harfbuzz_not_the_slow_fonttools_fallback() -> None:
    # WeasyPrint 70.0 (weasyprint/pdf/fonts.py Font.subset) uses HarfBuzz only when
    # libharfbuzz-subset >= 4.1 loaded; otherwise it silently takes 6.6 s per page.
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "apt-get install libharfbuzz-subset0"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_noto_cjk_is_installed_and_prints_every_rare_name_character() -> None:
    assert fonts._fc_list("Noto Serif CJK SC")
    assert fonts._fc_list("Noto Sans CJK SC")
    assert fonts.missing_characters(fonts.RARE_NAME_CHARACTERS, "Noto Serif CJK SC") == []


def test_check_system_passes_on_this_machine() -> None:
    call_command("check_system")


def test_check_system_fails_clearly_without_harfbuzz_subsetting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check_system, "harfbuzz_subsetting", lambda: (False, "2.7.4"))

    with pytest.raises(CommandError, match="libharfbuzz-subset0"):
        call_command("check_system", "--no-render")


def test_check_system_fails_clearly_without_cjk_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda family: [])

    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command("check_system", "--no-render")


def test_one_font_configuration_serves_every_render_of_the_process(
    make_document: DocumentMaker,
) -> None:
    make_document(DocumentKind.ACCEPTANCE)
    first = render._engine.state()[0]
    make_document(DocumentKind.REJECTION)

    assert render._engine.state()[0] is first


def test_every_title_prints_in_the_compact_bold_face() -> None:
    for label in DocumentKind.labels:
        assert set(str(label)) <= set(fonts.TITLE_TEXT), f"add {label} to fonts.TITLE_TEXT"


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_ordinary_documents_embed_only_the_compact_faces(
    make_document: DocumentMaker, kind: str
) -> None:
    # A character outside the compact faces pulls in a full Noto face (+150 KB):
    # templates must keep to GB 2312, and bold text to fonts.TITLE_TEXT.
    document = make_document(kind)
    with pdfplumber.open(_stream(bytes(document.files.get().pdf))) as pdf:
        names = {char["fontname"].split("+", 1)[-1] for char in pdf.pages[0].chars}

    assert names <= {"OneWindow-Serif-SC", "OneWindow-Serif-SC-Title-Bold"}, names
    assert len(document.files.get().pdf) <= 150_000


def _stream(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)
