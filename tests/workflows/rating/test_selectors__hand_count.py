"""The desk's statistics agree with a hand count over a seeded set of ratings."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.factories import staff
from workflows.catalog import roles
from workflows.catalog.models import Center
from workflows.rating.models import BAD_LEVELS, GOOD_LEVELS, Rating, Reason
from workflows.rating.selectors import reasons_ranked, statistics, totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> User:
    out = io.StringIO()
    call_command("setup_reference", verbosity=0, stdout=out)
    call_command("seed_cases", count=400, ratings=True, seed=7, stdout=out)
    assert "条评价" in out.getvalue()
    return staff("admin_desk", roles.SUPERVISOR, center=Center.objects.get(code="PY"))


def test_counts_and_rates_per_center_match_a_hand_count(seeded: User) -> None:
    ratings = list(Rating.objects.filter(current=True, excluded=False).select_related("center"))
    assert len(ratings) > 50
    hand: dict[str, Counter[str]] = {}
    for r in ratings:
        tally = hand.setdefault(r.center.name, Counter())
        tally["total"] += 1
        tally["good"] += r.level in GOOD_LEVELS
        tally["bad"] += r.level in BAD_LEVELS
        tally["defaulted"] += r.defaulted
    rows = statistics(seeded, by="center")
    assert {row.label: (row.total, row.good, row.bad, row.defaulted) for row in rows} == {
        name: (t["total"], t["good"], t["bad"], t["defaulted"]) for name, t in hand.items()
    }
    total = totals(rows)
    assert total.total == len(ratings)
    good = sum(1 for r in ratings if r.level in GOOD_LEVELS)
    assert total.good_rate == f"{good * 100 / len(ratings):.1f}%"


def test_months_and_reasons_match_a_hand_count(seeded: User) -> None:
    ratings = list(Rating.objects.filter(current=True, excluded=False))
    assert sum(row.total for row in statistics(seeded, by="month")) == len(ratings)
    assert sum(row.total for row in statistics(seeded, by="clerk")) == len(ratings)
    reasons = Counter(reason for r in ratings if r.level in BAD_LEVELS for reason in r.reasons)
    assert dict(reasons_ranked(seeded)) == {str(Reason(k).label): n for k, n in reasons.items()}
