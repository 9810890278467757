"""Late call-backs and rectifications go yellow, then red, and escalate exactly once."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import User

from tests.concurrency import run_together
from tests.workflows.rating.conftest import T0
from workflows.notifications.models import Notification
from workflows.rating import services
from workflows.rating.models import Channel, RatingEscalation, RatingInvitation, Rectification
from workflows.supervision.services import sweep_deadlines


def local(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


def bad_rating(invitation: RatingInvitation) -> Rectification:
    rating = services.rating_submit(
        invitation=invitation,
        level=2,
        reasons=["overdue"],
        channel=Channel.QR,
        digits="5678",
        now=T0,
    )
    return rating.rectification


@pytest.mark.django_db
def test_yellow_on_the_due_day_red_after_it(
    invitation: RatingInvitation, head: User, supervisor: User
) -> None:
    r = bad_rating(invitation)
    # Call-back due by the end of Wed 03-04.
    assert (
        sweep_deadlines(now=local("2026-03-03T18:00:00"), issue_orders=False).ratings_escalated == 0
    )
    assert (
        sweep_deadlines(now=local("2026-03-04T08:00:00"), issue_orders=False).ratings_escalated == 1
    )
    report = sweep_deadlines(now=local("2026-03-05T08:00:00"), issue_orders=False)
    assert report.ratings_escalated == 1
    r.refresh_from_db()
    assert r.call_back_light == 2
    assert list(RatingEscalation.objects.values_list("stage", "level").order_by("level")) == [
        ("call_back", 1),
        ("call_back", 2),
    ]
    red = Notification.objects.filter(kind="rating_escalation", title__contains="超期督办")
    assert set(red.values_list("recipient__username", flat=True)) == {
        "head",
        "clerk",
        "supervisor",
    }
    # Called back late: the call-back clock stops; the rectification clock goes on.
    services.rectification_call_back(
        rectification=r, actor=head, note="已回访", now=local("2026-03-05T09:00:00")
    )
    report = sweep_deadlines(now=local("2026-03-11T08:00:00"), issue_orders=False)
    assert report.ratings_escalated == 2  # rectify: yellow and red at once
    assert RatingEscalation.objects.filter(stage="rectify").count() == 2


@pytest.mark.django_db(transaction=True)
def test_several_concurrent_sweeps_escalate_once(
    decided_case: object, head: User, supervisor: User
) -> None:
    invitation = RatingInvitation.objects.get()
    bad_rating(invitation)
    later = local("2026-03-12T08:00:00")
    results = run_together(4, lambda i: sweep_deadlines(now=later, issue_orders=False))
    assert not [r for r in results if isinstance(r, Exception)]
    assert RatingEscalation.objects.count() == 4  # two clocks × yellow and red
    assert sum(r.ratings_escalated for r in results) == 4  # type: ignore[union-attr]
    keys = list(
        Notification.objects.filter(kind="rating_escalation").values_list("dedupe_key", "recipient")
    )
    assert len(keys) == len(set(keys))
