"""A 差评 is put right: call back → verify and rectify → feed back → the applicant rates again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import override_settings

from tests.workflows.rating.conftest import T0
from workflows.cases.errors import ActionForbidden, InvalidRequest, TransitionRefused
from workflows.notifications.models import Notification, OutboxMessage
from workflows.rating import errors, services
from workflows.rating.models import (
    Appeal,
    Channel,
    PushRecord,
    Rating,
    RatingInvitation,
    Rectification,
)
from workflows.rating.selectors import statistics

pytestmark = pytest.mark.django_db


def local(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


def bad(invitation: RatingInvitation, at: datetime = T0) -> Rating:
    return services.rating_submit(
        invitation=invitation,
        level=1,
        reasons=["attitude", "many_trips"],
        comment="跑了三次",
        channel=Channel.QR,
        digits="5678",
        now=at,
    )


def test_a_bad_rating_opens_a_rectification_on_the_working_day_clock(
    invitation: RatingInvitation, head: User, clerk: User
) -> None:
    rating = bad(invitation)
    r = rating.rectification
    assert r.state == Rectification.State.CALL_BACK
    # Tue 2026-03-03: call back by the end of Wed, rectify within 5 working days (Tue 03-10).
    assert r.call_back_due_at == local("2026-03-04T23:59:59.999999")
    assert r.rectify_due_at == local("2026-03-10T23:59:59.999999")
    told = set(
        Notification.objects.filter(kind="rating").values_list("recipient__username", flat=True)
    )
    assert told == {"head", "clerk"}  # the department's head and the first responder


def test_the_clock_skips_the_holiday(case_factory: object, officer: User, head: User) -> None:
    from workflows.cases import services as case_services

    # Decided and rated on Thu 2026-04-30: 5月1日–5日 is the Labour Day holiday.
    at = local("2026-04-30T10:00:00")
    case = case_factory(status="in_progress", officer=officer, at=at)  # type: ignore[operator]
    case_services.case_decide(case=case, actor=officer, decision="approved", now=at)
    rating = bad(RatingInvitation.objects.get(case=case), at)
    assert rating.rectification.call_back_due_at.date() == local("2026-05-06T12:00:00").date()


def test_call_back_rectify_feed_back_and_rate_again(
    invitation: RatingInvitation, head: User, clerk: User
) -> None:
    r = bad(invitation).rectification
    with pytest.raises(TransitionRefused):
        services.rectification_feed_back(rectification=r, actor=head, text="x", now=T0)
    with pytest.raises(InvalidRequest) as empty:
        services.rectification_call_back(rectification=r, actor=head, note=" ", now=T0)
    assert empty.value.message == str(errors.TEXT_REQUIRED % {"what": "回访记录"})
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        r = services.rectification_call_back(rectification=r, actor=clerk, note="已电话联系申请人")
        assert r.called_back_by == clerk
        r = services.rectification_resolve(
            rectification=r,
            actor=head,
            finding="窗口一次性告知不到位",
            resolution=Rectification.Resolution.RECTIFIED,
            text="已对窗口人员培训，材料清单已更新",
        )
    with (
        time_machine.travel(T0 + timedelta(days=2), tick=False),
        override_settings(ONEWINDOW_NOTIFY_CHANNELS=["sms"]),
    ):
        r = services.rectification_feed_back(rectification=r, actor=head, text="已告知整改结果")
    assert r.state == Rectification.State.CLOSED
    text = OutboxMessage.objects.get(dedupe_key=f"rating-feedback:{r.pk}")
    assert text.address == "13912345678"
    assert f"/rate/s/{invitation.code}" in text.body
    assert PushRecord.objects.filter(dedupe_key=f"rectification:{r.pk}").exists()
    # The applicant may rate again after the feedback, though the revision window is over.
    again = services.rating_submit(
        invitation=invitation,
        level=4,
        channel=Channel.SMS,
        digits="5678",
        now=T0 + timedelta(days=3),
    )
    assert again.current
    assert list(Rating.objects.filter(current=False).values_list("level", flat=True)) == [1]
    actions = list(invitation.events.values_list("action", flat=True))
    assert actions == [
        "invite",
        "rate",
        "open_rectification",
        "call_back",
        "resolve",
        "feed_back",
        "rate",
    ]


def test_only_the_assignees_may_act(
    invitation: RatingInvitation, other_officer: User, officer: User
) -> None:
    r = bad(invitation).rectification
    for user in (other_officer, officer):
        with pytest.raises(ActionForbidden):
            services.rectification_call_back(rectification=r, actor=user, note="x", now=T0)


def test_an_upheld_appeal_takes_the_rating_out_of_the_statistics(
    invitation: RatingInvitation, head: User, supervisor: User, officer: User
) -> None:
    r = bad(invitation).rectification
    assert statistics(supervisor, by="center")[0].bad == 1
    with pytest.raises(ActionForbidden):
        services.appeal_file(rectification=r, actor=officer, grounds="x", evidence="y", now=T0)
    appeal = services.appeal_file(
        rectification=r, actor=head, grounds="恶意差评", evidence="录像显示当日办结", now=T0
    )
    with pytest.raises(TransitionRefused):
        services.appeal_file(rectification=r, actor=head, grounds="x", evidence="y", now=T0)
    with pytest.raises(ActionForbidden):
        services.appeal_decide(appeal=appeal, actor=head, upheld=True, reason="x", now=T0)
    appeal = services.appeal_decide(
        appeal=appeal, actor=supervisor, upheld=True, reason="录像属实", now=T0
    )
    assert appeal.state == Appeal.State.UPHELD
    rating = Rating.objects.get()
    assert rating.excluded  # kept, never deleted
    assert statistics(supervisor, by="center") == []
    with pytest.raises(TransitionRefused):
        services.appeal_decide(appeal=appeal, actor=supervisor, upheld=False, reason="x")


def test_a_refused_appeal_leaves_the_rating_counted(
    invitation: RatingInvitation, head: User, supervisor: User
) -> None:
    r = bad(invitation).rectification
    appeal = services.appeal_file(
        rectification=r, actor=head, grounds="误评", evidence="无", now=T0
    )
    appeal = services.appeal_decide(
        appeal=appeal, actor=supervisor, upheld=False, reason="证据不足", now=T0
    )
    assert appeal.state == Appeal.State.REFUSED
    assert appeal.decision_reason == "证据不足"
    assert not Rating.objects.get().excluded
    assert statistics(supervisor, by="center")[0].bad == 1


def test_the_sms_goes_through_the_outbox_once(invitation: RatingInvitation, clerk: User) -> None:
    services.rating_send_sms(invitation=invitation, actor=clerk, now=T0)
    services.rating_send_sms(invitation=invitation, actor=clerk, now=T0)
    message = OutboxMessage.objects.get()
    assert message.address == "13912345678"
    assert f"/rate/s/{invitation.code}" in message.body


def test_nobody_else_sends_the_sms(invitation: RatingInvitation, town_clerk: User) -> None:
    with pytest.raises(ActionForbidden):
        services.rating_send_sms(invitation=invitation, actor=town_clerk, now=T0)
