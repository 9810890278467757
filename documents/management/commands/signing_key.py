"""``manage.py signing_key generate|list|retire|revoke``: the documents' signing keyring.

The ring lives in the environment (``ONEWINDOW_SIGNING_KEYS``, ``ONEWINDOW_SIGNING_KEY``),
never in the database: these commands print the entries to put there, and write nothing.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from documents.keyring import RingKey, SigningKeyError, key_id_of, keyring, parse_moment

STATUS = {
    "current": "当前签发",
    "retired": "已停用（仍可核验）",
    "future": "未生效",
    "revoked": "已吊销",
}


def _when(key: RingKey) -> str:
    return "最初" if key.since_always else timezone.localtime(key.valid_from).isoformat()


def _entry(key: RingKey, **extra: str) -> str:
    """A public-only ring entry for ``key`` (its private half is no longer needed)."""
    entry: dict[str, str] = {
        "id": key.key_id,
        "public": key.public_base64,
        "valid_from": key.valid_from.isoformat(),
    }
    if key.revoked_at is not None:
        entry["revoked_at"] = key.revoked_at.isoformat()
        entry["reason"] = key.revoked_reason
    entry.update(extra)
    return json.dumps(entry, ensure_ascii=False)


class Command(BaseCommand):
    help = (
        "文书签名密钥环：generate 生成新密钥（只输出，不写入数据库），list 列出密钥环，"
        "retire 输出停用后只含公钥的条目，revoke 输出吊销条目。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="生成新的 Ed25519 签名密钥")
        generate.add_argument(
            "--valid-from",
            default=None,
            help="自何时起签发（ISO 日期或时间，默认今天）",
        )
        sub.add_parser("list", help="列出密钥环")
        retire = sub.add_parser("retire", help="输出停用密钥的条目（只含公钥）")
        retire.add_argument("key_id")
        revoke = sub.add_parser("revoke", help="输出吊销密钥的条目（只含公钥）")
        revoke.add_argument("key_id")
        revoke.add_argument("--reason", required=True, help="吊销原因（公开显示在核验页）")
        revoke.add_argument("--at", default=None, help="吊销日期（ISO，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except SigningKeyError as exc:
            raise CommandError(str(exc)) from exc

    def _generate(self, options: dict[str, Any]) -> None:
        valid_from = parse_moment(
            options["valid_from"] or timezone.localdate().isoformat(), "--valid-from"
        )
        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        key_id = key_id_of(key.public_key())
        entry = {
            "id": key_id,
            "private": base64.b64encode(seed).decode("ascii"),
            "valid_from": valid_from.isoformat(),
        }
        if keyring().get(key_id) is not None:  # 1 in 4 billion: generate again
            raise CommandError(f"新密钥的编号 {key_id} 与密钥环中的一个密钥相同，请重新生成。")
        self.stdout.write(f"新签名密钥 {key_id}，自 {valid_from.isoformat()} 起签发。")
        self.stdout.write(
            "把下面这一条加入 ONEWINDOW_SIGNING_KEYS（JSON 列表）后重新部署；"
            "私钥只放在密钥管理处，不要写入数据库或代码库："
        )
        self.stdout.write(json.dumps(entry))
        self.stdout.write("公钥（PEM）：")
        self.stdout.write(
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
            .rstrip()
        )

    def _list(self, options: dict[str, Any]) -> None:
        ring = keyring()
        now = timezone.now()
        self.stdout.write("编号      状态                自何时起签发                    私钥")
        for key in ring.keys:
            line = (
                f"{key.key_id}  {STATUS[ring.status(key, now)]:<12}  {_when(key):<30}  "
                f"{'有' if key.private_key is not None else '无'}"
            )
            if key.revoked_at is not None:
                line += (
                    f"  吊销于 {timezone.localdate(key.revoked_at).isoformat()}："
                    f"{key.revoked_reason or '（未写原因）'}"
                )
            self.stdout.write(line)
        for key_id in ring.duplicates():
            self.stderr.write(f"密钥 {key_id} 配置了不止一次。")

    def _find(self, key_id: str) -> RingKey:
        key = keyring().get(key_id)
        if key is None:
            raise CommandError(
                f"密钥环中没有编号为 {key_id} 的密钥（manage.py signing_key list）。"
            )
        return key

    def _retire(self, options: dict[str, Any]) -> None:
        key = self._find(options["key_id"])
        self.stdout.write(
            f"新密钥生效之后，在 ONEWINDOW_SIGNING_KEYS 中用下面这一条替换密钥 {key.key_id} "
            "的条目（若它是 ONEWINDOW_SIGNING_KEY，则删去该变量、加入这一条）；"
            "它签发过的文书仍可核验，私钥可以销毁："
        )
        self.stdout.write(_entry(key))

    def _revoke(self, options: dict[str, Any]) -> None:
        key = self._find(options["key_id"])
        at = parse_moment(options["at"] or timezone.localdate().isoformat(), "--at")
        self.stdout.write(
            f"在 ONEWINDOW_SIGNING_KEYS 中用下面这一条替换密钥 {key.key_id} 的条目（若它是 "
            "ONEWINDOW_SIGNING_KEY，则删去该变量、加入这一条）后重新部署；"
            "此后它签发的文书在核验页显示“签名密钥已吊销”："
        )
        self.stdout.write(_entry(key, revoked_at=at.isoformat(), reason=options["reason"]))
        current = keyring().current()
        if current is not None and current.key_id == key.key_id:
            self.stderr.write("这是当前签发的密钥：请先生成并加入新密钥，否则无法出具文书。")
