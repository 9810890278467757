"""Write a signed checkpoint of every case's audit-chain head, outside the database."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from workflows.cases.audit import write_checkpoint


class Command(BaseCommand):
    help = (
        "为每个办件的审计链末端写一份 Ed25519 签名的检查点文件（在数据库之外，"
        "ONEWINDOW_AUDIT_CHECKPOINT_DIR）；--print 同时输出到标准输出以便导出。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--print", action="store_true", help="把检查点内容输出到标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = write_checkpoint()
        if options["print"]:
            sys.stdout.write(path.read_text() + "\n")
        else:
            self.stdout.write(f"已写入检查点：{path}")
