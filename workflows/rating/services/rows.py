"""Unsaved invitation, rating and 整改 rows carrying the case's facts (services and seeding)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from workflows.cases.models import Case
from workflows.rating.models import (
    Rating,
    RatingInvitation,
    Rectification,
)
from workflows.rating.services._base import _due, setting


def invitation_row(*, case: Case, moment: str, code: str, at: datetime) -> RatingInvitation:
    """An unsaved invitation to rate ``case`` at ``moment``, made at ``at``, with its default."""
    return RatingInvitation(
        case=case,
        moment=moment,
        code=code,
        created_at=at,
        default_at=at + timedelta(days=int(setting("RATING_DEFAULT_DAYS", 7))),
    )


def rating_row(*, invitation: RatingInvitation, case: Case, **fields: Any) -> Rating:
    """An unsaved rating of ``invitation``, carrying the case's facts (who, where, which item).

    The one place that copies them, for a citizen's rating, a defaulted one and the seeding.
    """
    return Rating(
        invitation=invitation,
        case=case,
        moment=invitation.moment,
        bundle_id=case.parent_id,
        item_id=case.item_id,
        center_id=case.center_id,
        department_id=case.department_id,
        clerk_id=case.received_by_id,
        first_responder_id=case.first_responder_id,
        handler_id=case.handler_id,
        rater_name=case.applicant_name,
        rater_id_type=case.applicant_id_type,
        rater_id_number=case.applicant_id_number,
        rater_phone=case.applicant_phone,
        **fields,
    )


def rectification_row(*, rating: Rating, at: datetime) -> Rectification:
    """An unsaved 整改 of a bad ``rating`` opened at ``at``, with its call-back and due dates."""
    return Rectification(
        rating=rating,
        case_id=rating.case_id,
        center_id=rating.center_id,
        department_id=rating.department_id,
        first_responder_id=rating.first_responder_id,
        opened_at=at,
        call_back_due_at=_due(at, int(setting("RATING_CALL_BACK_WORKING_DAYS", 1))),
        rectify_due_at=_due(at, int(setting("RATING_RECTIFY_WORKING_DAYS", 5))),
    )
