"""Export everything held about one ID number as one ZIP (个人信息保护法 第四十五条).

The ZIP holds ``data.json`` (cases where the person is the applicant or the
agent, their events, documents' metadata, ratings, bookings, tickets,
consultations linked to those cases, and the public look-ups of those case
numbers and booking references) and every stored PDF of those documents under
``documents/``. Each export is a ``SubjectExport`` row: who, when, the ID
number's keyed hash (never the number itself), why.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import unicodedata
import zipfile
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers import serialize
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document, DocumentFile
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case, CaseEvent
from workflows.firstquestion.models import Consultation
from workflows.hall.models import Booking, Ticket
from workflows.privacy.models import SubjectExport
from workflows.rating.models import Rating
from workflows.web.models import LookupAttempt, LookupScope

REASON_REQUIRED = _("请填写导出事由（例如：申请人依个人信息保护法第四十五条申请查阅、复制）。")
ID_REQUIRED = _("请填写要导出的证件号码。")


def id_number_hash(id_number: str) -> str:
    """The keyed hash that names the person in the export log (the number is not kept)."""
    key = hashlib.sha256(("subject-export:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()


def _rows(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(serialize("json", queryset))
    return data


def subject_querysets(id_number: str) -> dict[str, QuerySet[Any]]:
    """Everything held about ``id_number``, by kind (one queryset each)."""
    cases = Case.objects.filter(Q(applicant_id_number=id_number) | Q(agent_id_number=id_number))
    numbers = list(cases.values_list("number", flat=True))
    bookings = Booking.objects.filter(id_number=id_number)
    references = list(bookings.values_list("reference", flat=True))
    return {
        "cases": cases.order_by("pk"),
        "case_events": CaseEvent.objects.filter(case__in=cases).order_by("pk"),
        "documents": Document.objects.filter(case__in=cases).order_by("pk"),
        "ratings": Rating.objects.filter(Q(case__in=cases) | Q(rater_id_number=id_number))
        .distinct()
        .order_by("pk"),
        "bookings": bookings.order_by("pk"),
        "tickets": Ticket.objects.filter(Q(id_number=id_number) | Q(case__in=cases))
        .distinct()
        .order_by("pk"),
        "consultations": Consultation.objects.filter(case__in=cases).order_by("pk"),
        "lookups": LookupAttempt.objects.filter(
            Q(scope=LookupScope.STATUS, target__in=numbers)
            | Q(scope=LookupScope.BOOKING, target__in=references)
        ).order_by("pk"),
    }


def _normalized(id_number: str) -> str:
    """The ID number in its stored spelling (NFKC, no spaces, upper case)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", id_number or "")).upper()


@transaction.atomic
def subject_export(
    *, id_number: str, actor: User, reason: str, now: datetime | None = None
) -> tuple[bytes, SubjectExport]:
    """The ZIP of everything held about ``id_number``, and the log row of this export."""
    number = _normalized(id_number)
    reason = (reason or "").strip()
    if not number:
        raise InvalidRequest(ID_REQUIRED)
    if not reason:
        raise InvalidRequest(REASON_REQUIRED)
    moment = now or timezone.now()
    sets = subject_querysets(number)
    data = {name: _rows(qs) for name, qs in sets.items()}
    files = DocumentFile.objects.filter(document__in=sets["documents"]).select_related("document")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        pdfs = []
        for file in files.order_by("pk"):
            name = f"documents/{file.document.number}-{file.variant}.pdf"
            archive.writestr(name, bytes(file.pdf))
            pdfs.append(name)
        data["pdfs"] = pdfs  # type: ignore[assignment]
        header = {"exported_at": moment.isoformat(), "reason": reason}
        archive.writestr(
            "data.json",
            json.dumps(
                {"export": header, **data}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1
            ),
        )
    content = buffer.getvalue()
    log = SubjectExport.objects.create(
        actor=actor,
        at=moment,
        id_number_hash=id_number_hash(number),
        reason=reason[:500],
        counts={name: len(rows) for name, rows in data.items()},
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return content, log
