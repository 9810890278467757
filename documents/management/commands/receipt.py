"""``manage.py receipt CASE_NUMBER --kind KIND --out PATH``: write a case's stored PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.models import DocumentKind, Variant
from documents.selectors import latest_document
from documents.services import ensure_rendered
from workflows.cases.models import Case

UNKNOWN_CASE = "办件 {number} 不存在，请核对办件编号。"
NO_DOCUMENT = "办件 {number} 没有{label}（{kind}）。"
NO_TICKET = "只有受理通知书有 80 mm 小票格式。"
NO_DIRECTORY = "目录 {path} 不存在。"


class Command(BaseCommand):
    help = "把办件某种文书的存档 PDF 写到文件（尚未生成的先生成并存档）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_number", help="办件编号，例如 PY-2026-000123")
        parser.add_argument(
            "--kind",
            required=True,
            choices=DocumentKind.values,
            help="文书种类：" + "、".join(DocumentKind.values),
        )
        parser.add_argument("--out", required=True, type=Path, help="PDF 写到哪里")
        parser.add_argument(
            "--variant",
            choices=Variant.values,
            default=Variant.A4,
            help="a4（默认）或 ticket（80 mm 小票，仅受理通知书）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["case_number"]
        kind = options["kind"]
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise CommandError(UNKNOWN_CASE.format(number=number))
        document = latest_document(case.pk, kind)
        if document is None:
            label = DocumentKind(kind).label
            raise CommandError(NO_DOCUMENT.format(number=number, label=label, kind=kind))
        if options["variant"] == Variant.TICKET and kind != DocumentKind.ACCEPTANCE:
            raise CommandError(NO_TICKET)
        out: Path = options["out"]
        if not out.parent.exists():
            raise CommandError(NO_DIRECTORY.format(path=out.parent))
        stored = ensure_rendered(document, options["variant"])
        out.write_bytes(bytes(stored.pdf))
        self.stdout.write(f"{document.number}：{stored.size} 字节，SHA-256 {stored.sha256} → {out}")
