"""No rating within the period: 基本满意 by default, recorded as defaulted, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.workflows.rating.conftest import T0
from workflows.cases.errors import TransitionRefused
from workflows.rating import errors
from workflows.rating.models import Channel, Level, Rating, RatingInvitation
from workflows.rating.services import rating_submit
from workflows.supervision.services import sweep_deadlines

pytestmark = pytest.mark.django_db


def test_seven_days_without_a_rating_count_as_basic(invitation: RatingInvitation) -> None:
    sweep_deadlines(now=T0 + timedelta(days=6, hours=23), issue_orders=False)
    assert not Rating.objects.exists()
    report = sweep_deadlines(now=T0 + timedelta(days=7, minutes=1), issue_orders=False)
    assert report.ratings_defaulted == 1
    rating = Rating.objects.get()
    assert rating.level == Level.BASIC
    assert rating.defaulted
    assert rating.channel == Channel.DEFAULT
    again = sweep_deadlines(now=T0 + timedelta(days=8), issue_orders=False)
    assert again.ratings_defaulted == 0
    with pytest.raises(TransitionRefused) as late:
        rating_submit(
            invitation=invitation,
            level=5,
            channel=Channel.QR,
            digits="5678",
            now=T0 + timedelta(days=8),
        )
    assert late.value.message == str(errors.PERIOD_OVER)


def test_a_rated_case_gets_no_default(invitation: RatingInvitation) -> None:
    rating_submit(invitation=invitation, level=4, channel=Channel.QR, digits="5678", now=T0)
    sweep_deadlines(now=T0 + timedelta(days=8), issue_orders=False)
    assert list(Rating.objects.values_list("level", "defaulted")) == [(4, False)]
