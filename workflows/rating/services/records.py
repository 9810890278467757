"""The records for the provincial 好差评 platform: ``PushRecord`` rows in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from workflows.cases.models import Case
from workflows.rating.models import (
    Level,
    Moment,
    PushRecord,
    Rating,
    Reason,
    Rectification,
)


def _staff(user: Any) -> dict[str, str]:
    from workflows.catalog.roles import display_name

    return {"name": display_name(user), "id": user.get_username()} if user else {}


def rating_record(rating: Rating) -> dict[str, Any]:
    """The JSON record of a rating for the provincial platform."""
    case = Case.objects.select_related("item", "handler", "received_by").get(pk=rating.case_id)
    staff = case.handler or case.received_by
    service_at = case.decided_at if rating.moment == Moment.COMPLETION else case.accepted_at
    return {
        "record_type": "rating",
        "case_number": case.number,
        "bundle_number": case.parent.number if case.parent_id and case.parent else None,
        "item_code": case.item.code,
        "item_name": case.item.name,
        "applicant_name": rating.rater_name,
        "id_type": rating.rater_id_type,
        "id_number": rating.rater_id_number,
        "phone": rating.rater_phone,
        "staff_name": _staff(staff).get("name", ""),
        "staff_id": _staff(staff).get("id", ""),
        "level": rating.level,
        "level_name": str(Level(rating.level).label),
        "reasons": [str(Reason(r).label) for r in rating.reasons],
        "comment": rating.comment,
        "moment": rating.moment,
        "service_time": service_at.isoformat() if service_at else None,
        "rating_time": rating.rated_at.isoformat(),
        "channel": rating.channel,
        "defaulted": rating.defaulted,
        "case_status": case.status,
        "device_id": rating.device_id,
    }


def _push(rating: Rating, at: datetime) -> None:
    with timezone.override("Asia/Shanghai"):
        payload = rating_record(rating)
    key = f"rating:{rating.pk}"
    payload["dedupe_key"] = key
    PushRecord.objects.create(
        kind=PushRecord.Kind.RATING,
        dedupe_key=key,
        payload=payload,
        created_at=at,
        next_attempt_at=at,
    )


def _push_rectification(r: Rectification, at: datetime) -> None:
    key = f"rectification:{r.pk}"
    payload = {
        "record_type": "rectification",
        "dedupe_key": key,
        "rating_key": f"rating:{r.rating_id}",
        "case_number": r.case.number,
        "called_back_at": r.called_back_at.isoformat() if r.called_back_at else None,
        "finding": r.finding,
        "resolution": r.resolution,
        "resolution_text": r.resolution_text,
        "fed_back_at": r.fed_back_at.isoformat() if r.fed_back_at else None,
        "feedback": r.feedback_text,
        "on_time": bool(r.resolved_at and r.resolved_at <= r.rectify_due_at),
    }
    PushRecord.objects.create(
        kind=PushRecord.Kind.RECTIFICATION,
        dedupe_key=key,
        payload=payload,
        created_at=at,
        next_attempt_at=at,
    )
