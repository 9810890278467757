"""Rating a case: the moments, the levels and reasons, the guard, one rating per moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from tests.conftest import CaseFactory
from tests.workflows.rating.conftest import T0
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.cases.models import Case
from workflows.rating import errors
from workflows.rating.models import (
    Channel,
    ItemRatingPolicy,
    Moment,
    PushRecord,
    Rating,
    RatingEvent,
    RatingInvitation,
)
from workflows.rating.services import rating_submit

pytestmark = pytest.mark.django_db
PHONE_TAIL = "5678"  # applicant phone 13912345678
ID_TAIL = "1238"


def test_the_decision_opens_the_completion_rating_once(decided_case: Case) -> None:
    invitations = RatingInvitation.objects.filter(case=decided_case)
    assert [i.moment for i in invitations] == [Moment.COMPLETION]
    invitation = invitations.get()
    assert len(invitation.code) == 8
    assert invitation.default_at == T0 + timedelta(days=7)
    assert RatingEvent.objects.filter(invitation=invitation, action="invite").count() == 1


def test_acceptance_is_rated_too_when_the_item_says_so(
    case_factory: CaseFactory, item: object
) -> None:
    ItemRatingPolicy.objects.create(item=item, after_acceptance=True)
    case = case_factory(status="accepted", at=T0)
    assert list(case.rating_invitations.values_list("moment", flat=True)) == [Moment.ACCEPTANCE]


@override_settings(RATING_ACCEPTANCE_ITEM_KINDS=["promised"])
def test_acceptance_is_rated_for_the_configured_item_kinds(case_factory: CaseFactory) -> None:
    case = case_factory(status="accepted", at=T0)
    assert case.rating_invitations.filter(moment=Moment.ACCEPTANCE).exists()


def test_a_citizen_rates_with_the_last_four_digits(invitation: RatingInvitation) -> None:
    rating = rating_submit(
        invitation=invitation,
        level=5,
        channel=Channel.QR,
        digits=PHONE_TAIL,
        ip="10.0.0.1",
        now=T0 + timedelta(hours=1),
    )
    assert rating.current
    assert not rating.defaulted
    assert rating.rater_name == "张三"
    assert rating.rater_id_number == "441426199001011238"
    assert rating.clerk.username == "clerk"
    assert rating.department.code == "GA"
    assert PushRecord.objects.filter(dedupe_key=f"rating:{rating.pk}").exists()


def test_the_id_number_tail_works_too(invitation: RatingInvitation) -> None:
    rating = rating_submit(
        invitation=invitation, level=4, channel=Channel.CODE, digits=ID_TAIL, now=T0
    )
    assert rating.channel == Channel.CODE


def test_wrong_digits_are_refused_and_limited(invitation: RatingInvitation) -> None:
    for _ in range(5):
        with pytest.raises(ActionForbidden) as wrong:
            rating_submit(invitation=invitation, level=5, channel=Channel.QR, digits="0000", now=T0)
        assert wrong.value.message == str(errors.WRONG_DIGITS)
    with pytest.raises(ActionForbidden) as refused:
        rating_submit(invitation=invitation, level=5, channel=Channel.QR, digits=PHONE_TAIL, now=T0)
    assert refused.value.status_code == 429
    assert refused.value.message == str(errors.TOO_MANY_TRIES) % {"until": "09:05"}
    assert not Rating.objects.exists()


def test_a_bad_rating_needs_a_reason(invitation: RatingInvitation) -> None:
    with pytest.raises(InvalidRequest) as refused:
        rating_submit(invitation=invitation, level=2, channel=Channel.QR, digits=PHONE_TAIL, now=T0)
    assert refused.value.message == str(errors.REASON_REQUIRED)
    with pytest.raises(InvalidRequest) as unknown:
        rating_submit(
            invitation=invitation,
            level=1,
            reasons=["made_up"],
            channel=Channel.QR,
            digits=PHONE_TAIL,
        )
    assert unknown.value.message == str(errors.REASON_INVALID)
    with pytest.raises(InvalidRequest):
        rating_submit(invitation=invitation, level=9, channel=Channel.QR, digits=PHONE_TAIL)


def test_a_second_rating_replaces_the_first_within_the_window(
    invitation: RatingInvitation,
) -> None:
    first = rating_submit(
        invitation=invitation, level=3, channel=Channel.QR, digits=PHONE_TAIL, now=T0
    )
    second = rating_submit(
        invitation=invitation,
        level=5,
        channel=Channel.QR,
        digits=PHONE_TAIL,
        now=T0 + timedelta(hours=2),
    )
    first.refresh_from_db()
    assert not first.current
    assert first.replaced_by == second
    assert second.current
    assert Rating.objects.filter(invitation=invitation).count() == 2
    with pytest.raises(TransitionRefused) as late:
        rating_submit(
            invitation=invitation,
            level=4,
            channel=Channel.QR,
            digits=PHONE_TAIL,
            now=T0 + timedelta(days=2),
        )
    assert late.value.message == str(errors.ALREADY_RATED)


def test_the_counter_pad_is_the_clerks_of_the_center(
    invitation: RatingInvitation, clerk: User, town_clerk: User
) -> None:
    with pytest.raises(ActionForbidden):
        rating_submit(
            invitation=invitation, level=5, channel=Channel.WINDOW, actor=town_clerk, now=T0
        )
    rating = rating_submit(
        invitation=invitation,
        level=5,
        channel=Channel.WINDOW,
        actor=clerk,
        device_id="pad-1",
        now=T0,
    )
    assert rating.channel == Channel.WINDOW
    assert rating.device_id == "pad-1"
