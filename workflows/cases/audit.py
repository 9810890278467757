"""Anchoring the audit trail outside the database, and checking it against the anchor.

A keyed chain (``events``) stops a database user from appending or rewriting events that
verify, but not from deleting a chain's tail or truncating the table: an empty or
shortened chain is still a valid chain. So every so often ``audit_checkpoint`` writes a
**signed checkpoint** — every case's head (last sequence number and hash) and the total
number of events, signed with the current Ed25519 key of the documents' keyring
(``documents.keyring``) and naming it (``key_id``) — as a file in
``settings.ONEWINDOW_AUDIT_CHECKPOINT_DIR``, outside the database. ``verify_audit``
checks every chain and then compares the database with the newest checkpoint whose
signature holds under the key it names (so checkpoints written before a key rotation
still verify; one naming an unknown or revoked key does not): a tail shorter than its
checkpointed head is *missing*, an empty table that had events is *truncated*, a head
whose hash differs is *altered*.

Finding kinds: ``forged`` (an event whose HMAC does not check out past the checkpoint: it
was appended by someone without the key), ``altered`` (the same at or before the
checkpoint, or a broken link to the previous event), ``gap`` (sequence numbers jump),
``missing`` (events at the end of a chain gone since the checkpoint), ``truncated`` (a
case's whole chain, or the whole table, gone), ``checkpoint`` (a checkpoint file whose
signature does not hold, or whose key is unknown or revoked).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone

from documents.keyring import RingKey, current_key, keyring, raw_public
from workflows.cases.events import stored_hash_matches
from workflows.cases.models import Case, CaseEvent

VERSION = 2  # 2 names the signing key by its keyring id; 1 by a prefix of its raw public key
DOMAIN = b"OW-AUDIT\x01"


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the trail, naming the case and event where known."""

    kind: str
    case_number: str
    seq: int | None
    event_id: int | None
    detail: str

    def __str__(self) -> str:
        where = f"办件 {self.case_number}"
        if self.seq is not None:
            where += f" 第 {self.seq} 条记录"
        if self.event_id is not None:
            where += f"（event id {self.event_id}）"
        return f"[{self.kind}] {where}：{self.detail}"


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: when, how many events, and each case's head."""

    path: Path
    taken_at: str
    events: int
    heads: dict[int, tuple[int, str, str]]  # case id -> (seq, hash, case number)
    key_id: str = ""


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted, and why."""


def checkpoint_dir() -> Path:
    """Where checkpoints are written (outside the database)."""
    return Path(settings.ONEWINDOW_AUDIT_CHECKPOINT_DIR)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def write_checkpoint(now: datetime | None = None) -> Path:
    """Sign every case's chain head and write it as a new file; return its path."""
    now = now or timezone.now()
    # One query, so one snapshot; chains are gapless, so the heads' numbers sum to the count.
    rows = (
        CaseEvent.objects.order_by("case_id", "-seq")
        .distinct("case_id")
        .values_list("case_id", "seq", "hash", "case__number")
    )
    heads: dict[str, list[Any]] = {}
    total = 0
    for case_id, seq, h, number in rows:
        heads[str(case_id)] = [seq, h, number]
        total += int(seq)
    key = current_key(now)
    body: dict[str, Any] = {
        "version": VERSION,
        "taken_at": now.astimezone(UTC).isoformat(),
        "key_id": key.key_id,
        "events": total,
        "heads": heads,
    }
    signature = key.sign(DOMAIN + _canonical(body))
    document = {**body, "signature": base64.b64encode(signature).decode()}
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"checkpoint-{stamp}.json"
    tmp = directory / f".{path.name}.{secrets.token_hex(4)}.tmp"
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1))
    os.replace(tmp, path)
    return path


def _signer(document: dict[str, Any]) -> RingKey:
    """The ring key a checkpoint names (version 1: by the first 16 hex of its raw key)."""
    ring = keyring()
    if "key_id" in document:
        key = ring.get(str(document["key_id"]))
        if key is None:
            raise CheckpointError(f"签名密钥 {document['key_id']} 不在本系统的密钥环中")
        return key
    prefix = str(document.get("signing_key", ""))
    for key in ring.keys:
        if prefix and raw_public(key.public_key).hex().startswith(prefix):
            return key
    raise CheckpointError(f"签名密钥 {prefix or '（未写明）'} 不在本系统的密钥环中")


def check_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in ``path``, checked with the key it names; ``CheckpointError`` if not."""
    try:
        document = json.loads(path.read_text())
        signature = base64.b64decode(document.pop("signature"))
        key = _signer(document)
        if key.revoked:
            raise CheckpointError(f"签名密钥 {key.key_id} 已吊销")
        key.public_key.verify(signature, DOMAIN + _canonical(document))
        heads = {
            int(case_id): (int(seq), str(h), str(number))
            for case_id, (seq, h, number) in document["heads"].items()
        }
        return Checkpoint(
            path, str(document["taken_at"]), int(document["events"]), heads, key.key_id
        )
    except CheckpointError:
        raise
    except InvalidSignature as exc:
        raise CheckpointError("签名无效") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CheckpointError("无法读取") from exc


def read_checkpoint(path: Path) -> Checkpoint | None:
    """The checkpoint in ``path`` if its signature holds under the ring key it names."""
    try:
        return check_checkpoint(path)
    except CheckpointError:
        return None


def latest_checkpoint(findings: list[Finding] | None = None) -> Checkpoint | None:
    """The newest checkpoint whose signature holds; bad files are reported in ``findings``."""
    directory = checkpoint_dir()
    if not directory.is_dir():
        return None
    for path in sorted(directory.glob("checkpoint-*.json"), reverse=True):
        try:
            return check_checkpoint(path)
        except CheckpointError as exc:
            if findings is not None:
                findings.append(
                    Finding("checkpoint", "-", None, None, f"检查点 {path.name} 不可信：{exc}")
                )
    return None


def verify_trail(
    events: Iterator[CaseEvent], checkpoint: Checkpoint | None, *, whole_table: bool = True
) -> tuple[int, list[Finding]]:
    """Check events ordered by (case, seq) against their keys and ``checkpoint``.

    Returns how many events were checked and every finding. ``whole_table`` is False when
    only some cases were read (then cases absent from ``events`` are not reported).
    """
    findings: list[Finding] = []
    heads = checkpoint.heads if checkpoint else {}
    numbers: dict[int, str] = {}

    def number(case_id: int) -> str:
        if case_id not in numbers:
            numbers[case_id] = (
                Case.objects.filter(pk=case_id).values_list("number", flat=True).first()
                or heads.get(case_id, (0, "", "?"))[2]
            )
        return numbers[case_id]

    seen: set[int] = set()
    checked = 0
    current: int | None = None
    expected_seq, expected_prev = 1, ""
    last_seq = 0

    def close_case(case_id: int, last: int) -> None:
        head = heads.get(case_id)
        if head and last < head[0]:
            findings.append(
                Finding(
                    "missing",
                    number(case_id),
                    last + 1,
                    None,
                    f"检查点（{checkpoint.taken_at if checkpoint else ''}）记有第 {head[0]} 条，"
                    f"第 {last + 1}–{head[0]} 条记录已不在库中（被删除）",
                )
            )

    for event in events:
        if event.case_id != current:
            if current is not None:
                close_case(current, last_seq)
            current, expected_seq, expected_prev = event.case_id, 1, ""
            seen.add(event.case_id)
        checked += 1
        head = heads.get(event.case_id)
        anchored = head is not None and event.seq <= head[0]
        if event.seq != expected_seq:
            findings.append(
                Finding(
                    "gap",
                    number(event.case_id),
                    event.seq,
                    event.pk,
                    f"序号不连续（应为 {expected_seq}）",
                )
            )
        elif event.prev_hash != expected_prev:
            findings.append(
                Finding(
                    "altered",
                    number(event.case_id),
                    event.seq,
                    event.pk,
                    "与上一条记录的哈希链接不符",
                )
            )
        if not event.key_id and not anchored:
            findings.append(
                Finding(
                    "forged",
                    number(event.case_id),
                    event.seq,
                    event.pk,
                    "未用审计密钥签发，且不在任何检查点之内（伪造的记录）",
                )
            )
        elif not stored_hash_matches(event):
            kind = "altered" if anchored else "forged"
            detail = (
                "内容与其哈希值不符（记录被改动）"
                if anchored
                else "内容与其哈希值不符：不是持有审计密钥的本系统写入的（伪造的记录）"
            )
            findings.append(Finding(kind, number(event.case_id), event.seq, event.pk, detail))
        if head is not None and event.seq == head[0] and event.hash != head[1]:
            findings.append(
                Finding(
                    "altered",
                    number(event.case_id),
                    event.seq,
                    event.pk,
                    "与检查点记录的哈希值不符（记录被替换）",
                )
            )
        expected_seq, expected_prev, last_seq = event.seq + 1, event.hash, event.seq
    if current is not None:
        close_case(current, last_seq)

    if whole_table and checkpoint is not None:
        gone = [case_id for case_id in heads if case_id not in seen]
        if checkpoint.events and checked == 0:
            findings.append(
                Finding(
                    "truncated",
                    "-",
                    None,
                    None,
                    f"办件记录表为空，而检查点（{checkpoint.taken_at}）记有 "
                    f"{checkpoint.events} 条记录、{len(heads)} 个办件（整表被清空）",
                )
            )
        else:
            for case_id in gone:
                findings.append(
                    Finding(
                        "truncated",
                        heads[case_id][2],
                        None,
                        None,
                        f"检查点记有 {heads[case_id][0]} 条记录，现在一条也没有",
                    )
                )
    return checked, findings
