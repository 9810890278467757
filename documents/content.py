"""The content record of a document: every variable fact it prints, nothing else.

It stays one module (about 450 lines): every helper and body here is part of one
versioned record format, so a change to any of them is a ``CONTENT_VERSION`` bump
reviewed in one place; who issues and numbers a document is ``documents.organs``.

The record is built once, inside the issuing transaction, from the case as
it stands after the step that needs the document. It is stored with the
document, its SHA-256 is signed into the QR token, and both layouts (A4 and
the 80 mm ticket) are rendered from it alone, so a document can be
re-rendered identically years later and checked against its hash. Legal
boilerplate (remedies, the special-procedure note) lives in the versioned
templates. Personal data is stored here as printed (see ``masking``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone, translation

from documents.masking import mask_phone, printed_id_number
from documents.models import DocumentKind
from documents.organs import Organ
from workflows.calendar.api import get_calendar
from workflows.cases.clock import local_date
from workflows.cases.models import (
    ApplicantKind,
    Case,
    CaseEvent,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    Extension,
    IdType,
    Status,
    Suspension,
)
from workflows.catalog.models import ServiceItem
from workflows.catalog.roles import display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

CONTENT_VERSION = 1


# ---------------------------------------------------------------- helpers


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, str):
        return value.replace("\x00", "")  # jsonb cannot hold NUL
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


def canonical_bytes(content: Mapping[str, Any]) -> bytes:
    """The bytes the content hash is taken over: sorted-key compact UTF-8 JSON."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _local_minute(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else None


def _local_day(moment: datetime | None) -> str | None:
    return local_date(moment).isoformat() if moment else None


def person(user: AbstractBaseUser | None) -> dict[str, str] | None:
    """A staff member as printed: name, title and official phone."""
    if user is None:
        return None
    profile = getattr(user, "staff", None)
    return {
        "name": display_name(user),
        "title": getattr(profile, "title", "") or "",
        "phone": getattr(profile, "phone", "") or "",
    }


def _labels(values: list[str], choices: type[DeliveryMethod]) -> list[str]:
    mapping = dict(choices.choices)
    return [str(mapping.get(v, v)) for v in values]


def _applicant(case: Case) -> dict[str, Any]:
    return {
        "kind": case.applicant_kind,
        "kind_label": str(ApplicantKind(case.applicant_kind).label)
        if case.applicant_kind in ApplicantKind.values
        else case.applicant_kind,
        "name": case.applicant_name,
        "id_type": str(dict(IdType.choices).get(case.applicant_id_type, case.applicant_id_type)),
        "id_number": printed_id_number(
            id_number=case.applicant_id_number,
            id_type=case.applicant_id_type,
            applicant_kind=case.applicant_kind,
        ),
        "phone": mask_phone(case.applicant_phone),
        "address": case.applicant_address,
        "legal_representative": case.applicant_legal_representative,
    }


def _agent(case: Case) -> dict[str, Any] | None:
    if not case.agent_name:
        return None
    return {
        "name": case.agent_name,
        "id_type": str(dict(IdType.choices).get(case.agent_id_type, case.agent_id_type)),
        "id_number": printed_id_number(
            id_number=case.agent_id_number, id_type=case.agent_id_type, applicant_kind="person"
        ),
        "phone": mask_phone(case.agent_phone),
        "authorisation": case.agent_authorisation,
    }


def _parent_number(case: Case) -> str | None:
    """The 一件事 parent's number (document_issue reads it with the case as parent_number)."""
    if "parent_number" in vars(case):
        return cast(str | None, vars(case)["parent_number"])
    return case.parent.number if case.parent_id and case.parent else None


def _materials(case: Case) -> list[dict[str, Any]]:
    forms = dict(CaseMaterial.Form.choices)
    states = dict(CaseMaterial.State.choices)
    return [
        {
            "position": m.position,
            "name": m.name,
            "form": str(forms.get(m.form, m.form)),
            "copies": m.copies,
            "pages": m.pages,
            "required": m.required,
            "state": m.state,
            "state_label": str(states.get(m.state, m.state)),
            "problem": m.problem,
        }
        for m in case.materials.order_by("position")
    ]


def _dates(case: Case) -> dict[str, Any]:
    item: ServiceItem = case.item
    accepted = case.accepted_at is not None
    return {
        "received_at": _local_minute(case.received_at),
        "accepted_at": _local_minute(case.accepted_at),
        "deemed_accepted": case.deemed_accepted,
        "promised_days": case.promised_limit_days if accepted else item.promised_limit_days,
        "statutory_days": case.statutory_limit_days if accepted else item.statutory_limit_days,
        "extension_days": case.extension_days,
        "promised_due": _local_day(case.promised_due_at) if accepted else None,
        "statutory_due": _local_day(case.statutory_due_at) if accepted else None,
        "provisional": bool(case.due_provisional) if accepted else False,
        # Each date on its own: a promised date in a published year is firm.
        "promised_provisional": case.promised_due_provisional if accepted else False,
        "statutory_provisional": case.statutory_due_provisional if accepted else False,
        "deemed_acceptance_on": _local_day(case.deemed_acceptance_at),
        "paused": case.status == Status.SUSPENDED,
    }


# ---------------------------------------------------------------- bodies


def _body_acceptance(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    return {
        "deemed": case.deemed_accepted,
        "delivery_options": _labels(list(case.item.delivery_options or []), DeliveryMethod),
        "fee": str(case.item.fee),
        "fee_basis": case.item.fee_basis,
        # A 一件事 receipt lists every sub-case: each has its own number and department.
        "sub_cases": [
            {
                "number": child["number"],
                "item": child["item__name"],
                "department": child["department__full_name"] or child["department__name"],
                "promised_due": _local_day(child["promised_due_at"]),
            }
            # The four facts printed, not every column of the sub-case, item and department.
            for child in case.children.order_by("pk").values(
                "number",
                "item__name",
                "department__full_name",
                "department__name",
                "promised_due_at",
            )
        ],
    }


def _body_correction(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    states = dict(CaseMaterial.State.choices)
    lines = (event.payload.get("items") if event is not None else None) or [
        {"position": m.position, "name": m.name, "problem": m.problem, "state": m.state}
        for m in case.materials.exclude(state=CaseMaterial.State.RECEIVED).order_by("position")
    ]
    forms = dict(case.materials.values_list("position", "form"))
    form_labels = dict(CaseMaterial.Form.choices)
    body: dict[str, Any] = {
        "items": [
            {
                "position": line["position"],
                "name": line["name"],
                "problem": line.get("problem", ""),
                "state_label": str(states.get(line.get("state", ""), "")),
                "form": str(form_labels.get(forms.get(line["position"], ""), "")),
            }
            for line in lines
        ],
        "legal_basis": case.item.legal_basis,
        # A repeat notice may only restate items of the first (一次性告知).
        "first_notice": not case.documents.filter(kind=DocumentKind.CORRECTION).exists(),
    }
    if sections := _bundle_sections(case, lines):
        body["sections"] = sections
    return body


def _bundle_sections(case: Case, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A 一件事's one notice, by item: the main form's lines, then each sub-case's notice."""
    children = case.children.filter(status=Status.AWAITING_CORRECTION).select_related(
        "item", "department"
    )
    if not children:
        return []
    states = dict(CaseMaterial.State.choices)
    own = set(case.materials.filter(material__isnull=False).values_list("position", flat=True))

    def section(of: Case, entries: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "number": of.number,
            "item": of.item.name,
            "department": of.department.full_name or of.department.name,
            "items": [
                {
                    "name": e["name"],
                    "problem": e.get("problem", ""),
                    "state_label": str(states.get(e.get("state", ""), "")),
                }
                for e in entries
            ],
        }

    sections = []
    if main := [line for line in lines if line["position"] in own]:
        sections.append(section(case, main))
    for child in children.order_by("pk"):
        notice = child.events.filter(action="request_correction").order_by("-pk").first()
        entries = (notice.payload.get("items") if notice else None) or child.correction_items
        sections.append(section(child, entries))
    return sections


def _body_rejection(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    return {"reason": case.rejection_reason, "competent_organ": case.competent_organ}


def _body_extension(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    ext_id = event.payload.get("extension") if event is not None else None
    ext = (
        Extension.objects.select_related("decided_by", "requested_by").filter(pk=ext_id).first()
        if ext_id
        else case.extensions.filter(state=Extension.State.APPROVED)
        .select_related("decided_by", "requested_by")
        .first()
    )
    old = (event.payload.get("old_clock") if event is not None else None) or {}
    return {
        "days": ext.days if ext else case.extension_days,
        "reason": ext.reason if ext else "",
        "approver": person(ext.decided_by) if ext else None,
        "approved_at": _local_minute(ext.decided_at) if ext else None,
        "note": ext.decision_note if ext else "",
        "old_promised_due": old.get("promised_due"),
        "old_statutory_due": old.get("statutory_due"),
    }


def _body_special(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    suspension = case.suspensions.order_by("-started_at").first()
    if suspension is None:
        return {}
    start = local_date(suspension.started_at)
    try:
        expected_end: date | None = get_calendar().add_working_days(start, suspension.expected_days)
    except Exception:  # beyond the calendar's range: print no end date, never block the step
        expected_end = None
    return {
        "procedure": str(Suspension.Procedure(suspension.procedure).label)
        if suspension.procedure in Suspension.Procedure.values
        else suspension.procedure,
        "expected_days": suspension.expected_days,
        "started_on": start.isoformat(),
        "expected_end": expected_end.isoformat() if expected_end else None,
        "reason": suspension.reason,
    }


def _body_completion(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    on_time = (
        case.decided_at is not None
        and case.promised_due_at is not None
        and case.decided_at <= case.promised_due_at
    )
    return {
        "decision": case.decision,
        "decision_label": str(Decision(case.decision).label)
        if case.decision in Decision.values
        else "",
        "reason": case.decision_reason,
        "decided_at": _local_minute(case.decided_at),
        "decided_by": person(case.decided_by),
        "on_time": on_time,
        "delivery_options": _labels(list(case.item.delivery_options or []), DeliveryMethod),
        # The notice already says 到窗口领取; these are the other ways the item offers.
        "other_delivery": _labels(
            [o for o in case.item.delivery_options or [] if o != DeliveryMethod.WINDOW],
            DeliveryMethod,
        ),
    }


def _body_supervision(
    case: Case, event: CaseEvent | None, extra: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    today = local_date(at)
    overdue = 0
    if case.promised_due_at is not None and local_date(case.promised_due_at) < today:
        try:
            overdue = get_calendar().working_days_between(local_date(case.promised_due_at), today)
        except Exception:  # a date beyond the calendar's range: print no count
            overdue = 0
    return {
        "status": str(Status(case.status).label) if case.status in Status.values else case.status,
        "overdue_working_days": overdue,
        "level": str(extra.get("level", "")),
        "reason": str(extra.get("reason", "")),
        "instructions": str(extra.get("instructions", "")),
        "reply_by": _json_safe(extra.get("reply_by")),
    }


# Facts other apps add to a kind's record (e.g. the rating invitation on the
# completion notice): kind → [(key, fn(case) → JSON-safe value or None)].
# Registered in an AppConfig.ready(); a None value adds nothing.
Contributor = Callable[[Case], Any]
CONTRIBUTORS: dict[str, list[tuple[str, Contributor]]] = {}


def register_contributor(kind: str, key: str, contributor: Contributor) -> None:
    """Let another app print ``contributor(case)`` under ``key`` in ``kind`` documents."""
    entries = CONTRIBUTORS.setdefault(DocumentKind(kind).value, [])
    if all(existing != key for existing, _fn in entries):
        entries.append((key, contributor))


BODIES = {
    DocumentKind.ACCEPTANCE: _body_acceptance,
    DocumentKind.CORRECTION: _body_correction,
    DocumentKind.REJECTION: _body_rejection,
    DocumentKind.EXTENSION: _body_extension,
    DocumentKind.SPECIAL: _body_special,
    DocumentKind.COMPLETION: _body_completion,
    DocumentKind.SUPERVISION: _body_supervision,
}


def build_content(
    *,
    case: Case,
    kind: str,
    number: str,
    organ: Organ,
    issued_at: datetime,
    actor: AbstractBaseUser | None,
    event: CaseEvent | None,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Everything a ``kind`` document of ``case`` prints, as JSON-safe data."""
    extra = extra or {}
    with translation.override("zh-hans"):
        kind_enum = DocumentKind(kind)
        content: dict[str, Any] = {
            "v": CONTENT_VERSION,
            "kind": kind_enum.value,
            "title": str(kind_enum.label),
            "number": number,
            "issued_at": issued_at.astimezone(UTC).isoformat(timespec="seconds"),
            "issued_on": local_date(issued_at).isoformat(),
            "issued_by": person(actor),
            "organ": {"name": organ.name, "address": organ.address, "phone": organ.phone},
            "seal": {"id": organ.seal.pk, "sha256": organ.seal.image_sha256}
            if organ.seal is not None and organ.seal.has_image
            else None,
            "center": {
                "name": case.center.name,
                "address": case.center.address,
                "phone": case.center.phone,
            },
            "supervision_phone": case.center.supervision_phone,
            "case": {
                "number": case.number,
                "parent": _parent_number(case),
            },
            "item": {
                "code": case.item.code,
                "name": case.item.name,
                "department": case.department.full_name or case.department.name,
                "kind": str(ServiceItem.Kind(case.item.kind).label)
                if case.item.kind in ServiceItem.Kind.values
                else case.item.kind,
                "legal_basis": case.item.legal_basis,
            },
            "applicant": _applicant(case),
            "agent": _agent(case),
            "materials": _materials(case),
            "dates": _dates(case),
            "staff": {
                "first_responder": person(case.first_responder),
                "handler": person(case.handler),
                "received_by": person(case.received_by),
            },
            "body": BODIES[kind_enum](case, event, extra, issued_at),
        }
        if extra:
            content["extra"] = _json_safe(dict(extra))
        for key, contributor in CONTRIBUTORS.get(kind_enum.value, []):
            value = contributor(case)
            if value is not None:
                content[key] = value
    safe: dict[str, Any] = _json_safe(content)
    return safe
