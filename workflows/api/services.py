"""The API's writes: online applications and subscriptions. Case rules stay in cases.services.

An online application is received by ``cases.services.case_receive`` with the
system's service account as the receiving clerk of its center: the same
checks, numbering, deemed-acceptance clock and audit event as at the window.
It then waits at that center's window for 受理 / 一次性告知 / 不予受理.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.api.models import (
    ApiClient,
    ApplicationFile,
    IdempotentRequest,
    OnlineApplication,
    SharedMaterial,
)
from workflows.api.problems import ApiProblem
from workflows.api.sharing import FOUND, Lookup, lookup_materials
from workflows.cases import services as case_services
from workflows.cases.models import Case, CaseMaterial
from workflows.catalog.models import Center, ItemMaterial, ServiceItem

# What an uploaded material may be: its first bytes decide, not its name.
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "ONEWINDOW_API_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The content type ``head`` starts with, if it is one we accept."""
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def cases_in_scope(client: ApiClient) -> QuerySet[Case]:
    """The cases a system may see: its center's and those of the centers below it."""
    return Case.objects.filter(center__path__startswith=client.center.path)


def centers_in_scope(client: ApiClient) -> QuerySet[Center]:
    """The centers a system may see: its own and those below it."""
    return Center.objects.filter(path__startswith=client.center.path)


def etag(case: Case) -> str:
    """A strong validator of the case's state: changes whenever the case is saved."""
    digest = hashlib.sha256(f"{case.pk}:{case.status}:{case.updated_at.isoformat()}".encode())
    return '"' + digest.hexdigest()[:32] + '"'


# ---------------------------------------------------------------- idempotency


@dataclass(frozen=True)
class Stored:
    status: int
    body: Any
    headers: dict[str, str]
    replayed: bool


def fingerprint(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(
    *,
    client: ApiClient,
    key: str,
    print_: str,
    run: Callable[[], tuple[int, Any, dict[str, str]]],
) -> Stored:
    """Run ``run`` once per (client, key); a repeat returns the first answer unchanged.

    The answer is stored in the same transaction as what ``run`` wrote, so a
    crash leaves neither. The same key with a different request is refused (422).
    """

    def replay() -> Stored | None:
        done = IdempotentRequest.objects.filter(client=client, key=key).first()
        if done is None:
            return None
        if done.fingerprint != print_:
            raise ApiProblem(422, _("该 Idempotency-Key 已用于另一个不同的请求，请换一个新的键。"))
        return Stored(done.status, done.body, dict(done.headers), True)

    if (previous := replay()) is not None:
        return previous
    try:
        with transaction.atomic():
            status, body, headers = run()
            IdempotentRequest.objects.create(
                client=client,
                key=key,
                fingerprint=print_,
                status=status,
                body=body,
                headers=headers,
            )
    except IntegrityError:
        if (previous := replay()) is not None:
            return previous
        raise
    return Stored(status, body, headers, False)


# ---------------------------------------------------------------- applications


@dataclass(frozen=True)
class Upload:
    position: int
    file: UploadedFile


def _check_uploads(item: ServiceItem, uploads: Sequence[Upload]) -> dict[int, ItemMaterial]:
    """Each upload answers one checklist line, once, and is a PDF/PNG/JPEG within the limit."""
    lines = {m.position: m for m in item.materials.all()}
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    limit = max_upload_bytes()
    for upload in uploads:
        label = f"material_{upload.position}"
        if upload.position not in lines:
            errors.setdefault(label, []).append(
                _("事项 %(item)s 的材料清单中没有序号 %(position)s。")
                % {"item": item.code, "position": upload.position}
            )
            continue
        if upload.position in seen:
            errors.setdefault(label, []).append(_("同一项材料只能上传一个文件。"))
        seen.add(upload.position)
        if upload.file.size is None or upload.file.size == 0:
            errors.setdefault(label, []).append(_("文件是空的。"))
            continue
        if upload.file.size > limit:
            errors.setdefault(label, []).append(
                _("文件过大（%(size)s 字节），单个文件不得超过 %(limit)s 字节。")
                % {"size": upload.file.size, "limit": limit}
            )
            continue
        upload.file.seek(0)
        head = upload.file.read(16)
        upload.file.seek(0)
        if sniff(head) is None:
            errors.setdefault(label, []).append(_("只接受 PDF、PNG 或 JPEG 文件。"))
    if errors:
        from rest_framework.exceptions import ValidationError

        raise ValidationError(errors)
    return lines


def application_create(
    *,
    client: ApiClient,
    item: ServiceItem,
    applicant: case_services.Party,
    uploads: Sequence[Upload],
    external_ref: str = "",
    idempotency_key: str,
) -> tuple[Case, list[Lookup]]:
    """网上申请: receive the case at the system's center with its uploaded and shared materials."""
    lines = _check_uploads(item, uploads)
    uploaded = {u.position for u in uploads}
    lookups = [
        lk for lk in lookup_materials(item, applicant.id_number) if lk.position not in uploaded
    ]
    found = {lk.position: lk for lk in lookups if lk.outcome == FOUND}
    material_lines = [
        case_services.MaterialLine(
            material_id=lines[position].pk,
            form=ItemMaterial.Form.ELECTRONIC,
            copies=1,
            state=CaseMaterial.State.RECEIVED,
        )
        for position in sorted(uploaded | set(found))
    ]
    with transaction.atomic():
        case = case_services.case_receive(
            center=client.center,
            item=item,
            actor=client.user,
            applicant=applicant,
            materials=material_lines,
            idempotency_key=f"api:{client.pk}:{idempotency_key}",
        )
        application, created = OnlineApplication.objects.get_or_create(
            case=case, defaults={"client": client, "external_ref": external_ref}
        )
        if created:
            rows = {m.position: m for m in case.materials.all()}
            for upload in uploads:
                upload.file.seek(0)
                data = upload.file.read()
                saved = ApplicationFile(
                    application=application,
                    material=rows.get(upload.position),
                    position=upload.position,
                    original_name=(upload.file.name or "")[:200],
                    content_type=sniff(data[:16]) or "",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
                upload.file.seek(0)
                saved.file.save(saved.sha256, upload.file, save=False)
                saved.save()
            SharedMaterial.objects.bulk_create(
                SharedMaterial(
                    case=case,
                    material=rows.get(lk.position),
                    position=lk.position,
                    source=lk.source,
                    licence_number=lk.licence_number,
                    fetched_at=timezone.now(),
                    sha256=lk.sha256,
                    record=lk.record,
                )
                for lk in found.values()
            )
    return case, lookups
