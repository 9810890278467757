"""Synthetic ratings for the seeded cases (``seed_cases --ratings``): demos and hand counts.

Every decided or closed case without a completion rating gets its
invitation and one rating: a deterministic mix of levels (mostly good, a
few 差评 with reasons and an open rectification, some defaulted). Bulk
inserts, no notifications, no push records: this is demo data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from workflows.cases.models import Case, Status
from workflows.rating.models import (
    BAD_LEVELS,
    Channel,
    Moment,
    Rating,
    RatingInvitation,
    Reason,
    Rectification,
)
from workflows.rating.services.invitations import CODE_ALPHABET, CODE_LENGTH
from workflows.rating.services.rows import invitation_row, rating_row, rectification_row

LEVEL_WEIGHTS = {5: 60, 4: 22, 3: 8, 2: 6, 1: 4}
CHANNELS = [Channel.QR, Channel.CODE, Channel.SMS, Channel.WINDOW]
BAD_REASONS = [r for r in Reason.values if r != Reason.OTHER]


@dataclass
class RatingSeedReport:
    """How many ratings were made, per level."""

    ratings: int = 0
    defaulted: int = 0
    rectifications: int = 0
    by_level: dict[int, int] = field(default_factory=dict)


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in used:
            used.add(code)
            return code


@transaction.atomic
def seed_ratings(*, seed: int = 2026, batch: int = 5000) -> RatingSeedReport:
    """Rate every decided or closed case that has no completion rating yet."""
    rng = random.Random(seed)  # noqa: S311 (demo data)
    report = RatingSeedReport()
    used = set(RatingInvitation.objects.values_list("code", flat=True))
    cases = (
        Case.objects.filter(status__in=[Status.DECIDED, Status.CLOSED], decided_at__isnull=False)
        .exclude(rating_invitations__moment=Moment.COMPLETION)
        .order_by("pk")
    )
    levels, weights = zip(*LEVEL_WEIGHTS.items(), strict=True)
    while True:
        # Each pass rates a batch, which then leaves the query.
        chunk = list(cases[:batch])
        if not chunk:
            break
        invitations = RatingInvitation.objects.bulk_create(
            invitation_row(case=c, moment=Moment.COMPLETION, code=_code(rng, used), at=c.decided_at)
            for c in chunk
        )
        ratings = []
        for case, invitation in zip(chunk, invitations, strict=True):
            defaulted = rng.random() < 0.1
            level = 3 if defaulted else rng.choices(levels, weights)[0]
            at = (
                invitation.default_at
                if defaulted
                else case.decided_at + timedelta(hours=rng.randint(1, 100))
            )
            if defaulted:
                invitation.defaulted_at = at
            ratings.append(
                rating_row(
                    invitation=invitation,
                    case=case,
                    level=level,
                    reasons=rng.sample(BAD_REASONS, rng.randint(1, 2))
                    if level in BAD_LEVELS
                    else [],
                    channel=Channel.DEFAULT if defaulted else rng.choice(CHANNELS),
                    rated_at=at,
                    defaulted=defaulted,
                )
            )
            report.by_level[level] = report.by_level.get(level, 0) + 1
            report.defaulted += defaulted
        RatingInvitation.objects.bulk_update(
            [i for i in invitations if i.defaulted_at], ["defaulted_at"]
        )
        Rating.objects.bulk_create(ratings)
        bad = [r for r in ratings if r.level in BAD_LEVELS]
        Rectification.objects.bulk_create(rectification_row(rating=r, at=r.rated_at) for r in bad)
        report.ratings += len(ratings)
        report.rectifications += len(bad)
    return report
