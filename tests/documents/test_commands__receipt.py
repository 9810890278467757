"""manage.py receipt CASE_NUMBER --kind KIND --out PATH."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from documents.models import DocumentKind
from tests.documents.conftest import DocumentMaker

pytestmark = pytest.mark.django_db


def test_writes_the_stored_pdf(make_document: DocumentMaker, tmp_path: Path) -> None:
    document = make_document(DocumentKind.ACCEPTANCE)
    out = tmp_path / "receipt.pdf"

    call_command("receipt", document.case.number, "--kind", "acceptance", "--out", str(out))

    assert out.read_bytes() == bytes(document.files.get().pdf)


def test_renders_and_stores_a_document_not_rendered_yet(
    make_document: DocumentMaker, tmp_path: Path
) -> None:
    document = make_document(DocumentKind.COMPLETION, rendered=False)
    out = tmp_path / "done.pdf"

    call_command("receipt", document.case.number, "--kind", "completion", "--out", str(out))

    assert out.read_bytes() == bytes(document.files.get().pdf)


def test_unknown_case(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="PY-2026-999999 不存在"):
        call_command(
            "receipt", "PY-2026-999999", "--kind", "acceptance", "--out", str(tmp_path / "x.pdf")
        )


def test_unknown_kind(make_document: DocumentMaker, tmp_path: Path) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    with pytest.raises(CommandError, match="invalid choice: 'licence'"):
        call_command(
            "receipt", document.case.number, "--kind", "licence", "--out", str(tmp_path / "x.pdf")
        )


def test_no_such_document(make_document: DocumentMaker, tmp_path: Path) -> None:
    document = make_document(DocumentKind.ACCEPTANCE, rendered=False)

    with pytest.raises(CommandError, match="没有办结通知书"):
        call_command(
            "receipt",
            document.case.number,
            "--kind",
            "completion",
            "--out",
            str(tmp_path / "x.pdf"),
        )
    assert not (tmp_path / "x.pdf").exists()
