"""免提交: take a checklist material from another system instead of asking for paper.

The adapter contract (docs/api.md, "Data sharing"): OneWindow POSTs JSON
``{"request_id", "licence_type", "id_number", "requested_at"}`` to the source's
URL, signed in ``X-OneWindow-Signature`` (HMAC-SHA256 over the body with the
source's secret). The source answers 200 with ``{"found": true,
"licence_number": "...", "holder_name": "...", "issued_on": "...", ...}`` or
``{"found": false}``, signing its body the same way. Anything else — an error
status, a bad signature, malformed JSON, no answer within the source's
timeout — is *unavailable*: the window asks for the paper, and says why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from workflows.api.models import ShareableMaterial, SharedSource
from workflows.api.signing import SIGNATURE_HEADER, sign, verify
from workflows.catalog.models import ServiceItem

log = logging.getLogger(__name__)

FOUND, NOT_FOUND, UNAVAILABLE = "found", "not_found", "unavailable"
MAX_PARALLEL = 8  # sources asked at once for one applicant

UNAVAILABLE_NOTE = _("%(source)s暂时无法查询（%(reason)s），请申请人提交纸质材料。")
NOT_FOUND_NOTE = _("%(source)s中没有查到该证照，请申请人提交纸质材料。")
FOUND_NOTE = _("已从%(source)s获取（证照编号 %(number)s），申请人无需提交纸质材料。")


@dataclass(frozen=True)
class Lookup:
    """What a source said about one material of one applicant."""

    material_id: int
    position: int
    name: str
    source: SharedSource
    outcome: str
    licence_number: str = ""
    record: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    reason: str = ""

    @property
    def note(self) -> str:
        if self.outcome == FOUND:
            return str(FOUND_NOTE % {"source": self.source.name, "number": self.licence_number})
        if self.outcome == NOT_FOUND:
            return str(NOT_FOUND_NOTE % {"source": self.source.name})
        return str(UNAVAILABLE_NOTE % {"source": self.source.name, "reason": self.reason})


def ask(
    source: SharedSource, *, licence_type: str, id_number: str
) -> tuple[str, dict[str, Any], str]:
    """One signed query: (outcome, record, reason). Never raises, never waits past the timeout."""
    body = json.dumps(
        {
            "request_id": str(uuid.uuid4()),
            "licence_type": licence_type,
            "id_number": id_number,
            "requested_at": timezone.now().isoformat(),
        },
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is configured by an administrator)
        source.url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(source.secret, body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=source.timeout_seconds) as response:  # noqa: S310
            raw = response.read(1_000_000)
            signature = response.headers.get(SIGNATURE_HEADER)
    except urllib.error.HTTPError as exc:
        return UNAVAILABLE, {}, f"HTTP {exc.code}"
    except TimeoutError:
        return UNAVAILABLE, {}, str(_("超时"))
    except (urllib.error.URLError, OSError) as exc:
        log.warning("shared source %s unreachable: %s", source.code, exc)
        return UNAVAILABLE, {}, str(_("无法连接"))
    if not verify(source.secret, raw, signature):
        return UNAVAILABLE, {}, str(_("签名无效"))
    try:
        data = json.loads(raw)
    except ValueError:
        return UNAVAILABLE, {}, str(_("应答格式错误"))
    if not isinstance(data, dict):
        return UNAVAILABLE, {}, str(_("应答格式错误"))
    if not data.get("found"):
        return NOT_FOUND, {}, ""
    if not str(data.get("licence_number") or "").strip():
        return UNAVAILABLE, {}, str(_("应答格式错误"))
    return FOUND, data, ""


def lookup_materials(item: ServiceItem, id_number: str) -> list[Lookup]:
    """Ask each configured source for the item's shareable materials of this applicant."""
    results: list[Lookup] = []
    rules = list(
        ShareableMaterial.objects.filter(material__item=item, source__is_active=True)
        .select_related("material", "source")
        .order_by("material__position")
    )
    if not rules:
        return results
    # The sources are asked at once (no database work in the threads), so the
    # wait is the longest single timeout, never their sum.
    language = translation.get_language()

    def one(rule: ShareableMaterial) -> tuple[str, dict[str, Any], str]:
        with translation.override(language):  # the reasons in the caller's language
            return ask(rule.source, licence_type=rule.licence_type, id_number=id_number)

    with ThreadPoolExecutor(max_workers=min(len(rules), MAX_PARALLEL)) as pool:
        answers = list(pool.map(one, rules))
    for rule, (outcome, record, reason) in zip(rules, answers, strict=True):
        canonical = json.dumps(record, ensure_ascii=False, sort_keys=True).encode()
        results.append(
            Lookup(
                material_id=rule.material_id,
                position=rule.material.position,
                name=rule.material.name,
                source=rule.source,
                outcome=outcome,
                licence_number=str(record.get("licence_number", "")) if record else "",
                record=record,
                sha256=hashlib.sha256(canonical).hexdigest() if record else "",
                reason=reason,
            )
        )
    return results


def shareable_materials(item: ServiceItem) -> dict[int, ShareableMaterial]:
    """The item's checklist positions that an active source can supply (one query)."""
    rules = ShareableMaterial.objects.filter(
        material__item=item, source__is_active=True
    ).select_related("material", "source")
    return {rule.material.position: rule for rule in rules}


def found_entry(lookup: Lookup) -> dict[str, Any]:
    """A found record as plain JSON (kept between the window's lookup and its submit)."""
    return {
        "position": lookup.position,
        "source_id": lookup.source.pk,
        "source": lookup.source.name,
        "licence_number": lookup.licence_number,
        "sha256": lookup.sha256,
        "record": lookup.record,
        "fetched_at": timezone.now().isoformat(),
    }


def attach_found(case: Any, entries: list[dict[str, Any]]) -> int:
    """Attach found records to ``case`` as SharedMaterial rows, once (a replay adds none)."""
    from datetime import datetime

    from workflows.api.models import SharedMaterial

    if not entries or SharedMaterial.objects.filter(case=case).exists():
        return 0
    lines = {m.position: m for m in case.materials.all()}
    rows = SharedMaterial.objects.bulk_create(
        SharedMaterial(
            case=case,
            material=lines.get(e["position"]),
            position=e["position"],
            source_id=e["source_id"],
            licence_number=e["licence_number"],
            fetched_at=datetime.fromisoformat(e["fetched_at"]),
            sha256=e["sha256"],
            record=e["record"],
        )
        for e in entries
    )
    return len(rows)
