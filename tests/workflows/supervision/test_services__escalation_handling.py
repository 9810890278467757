"""Handling a 督办: the supervisor follows up, the department head answers with reason and
remedy; unanswered breaches stay listed and counted in the menu badge."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.workflows.supervision.conftest import at
from workflows.cases.errors import ActionForbidden, InvalidRequest
from workflows.cases.models import Case
from workflows.notifications.models import Notification
from workflows.supervision import errors, selectors
from workflows.supervision.models import Escalation, EscalationNote
from workflows.supervision.services import (
    escalation_follow_up,
    escalation_respond,
    sweep_deadlines,
)

LATE = at(2026, 3, 11, 9)


@pytest.fixture
def red(case_factory: CaseFactory, officer: User) -> Escalation:
    case = case_factory(at=at(2026, 3, 2, 10), status="in_progress", officer=officer)
    sweep_deadlines(now=LATE)
    return Escalation.objects.get(case=case, level=2)


@pytest.mark.django_db
def test_the_head_answers_with_reason_and_remedy(
    red: Escalation, head: User, supervisor: User
) -> None:
    assert red.needs_response
    note = escalation_respond(
        escalation=red,
        actor=head,
        reason="户籍地核查回函未到",
        remedy="已电话催办，3月13日前办结",
        now=at(2026, 3, 11, 15),
    )
    red.refresh_from_db()
    assert red.responded_at == at(2026, 3, 11, 15)
    assert red.responded_by == head
    assert not red.needs_response
    assert (note.kind, note.reason, note.remedy) == (
        EscalationNote.Kind.RESPONSE,
        "户籍地核查回函未到",
        "已电话催办，3月13日前办结",
    )
    told = Notification.objects.get(kind="escalation_response")
    assert told.recipient == supervisor
    assert selectors.unanswered(Escalation.objects.all()).count() == 0


@pytest.mark.django_db
def test_only_a_head_of_that_department_may_answer(
    red: Escalation, officer: User, other_head: User, supervisor: User
) -> None:
    for actor in (officer, other_head, supervisor):
        with pytest.raises(ActionForbidden):
            escalation_respond(escalation=red, actor=actor, reason="r", remedy="m")
    assert EscalationNote.objects.count() == 0


@pytest.mark.django_db
def test_an_answer_needs_both_reason_and_remedy(red: Escalation, head: User) -> None:
    with pytest.raises(InvalidRequest) as no_reason:
        escalation_respond(escalation=red, actor=head, reason=" ", remedy="m")
    assert no_reason.value.message == str(errors.RESPONSE_REASON_REQUIRED)
    with pytest.raises(InvalidRequest) as no_remedy:
        escalation_respond(escalation=red, actor=head, reason="r", remedy="")
    assert no_remedy.value.message == str(errors.RESPONSE_REMEDY_REQUIRED)


@pytest.mark.django_db
def test_a_yellow_warning_needs_no_answer(red: Escalation, head: User) -> None:
    yellow = Escalation.objects.get(case=red.case, level=1)
    assert not yellow.needs_response
    assert not yellow.needs_order
    with pytest.raises(InvalidRequest):
        escalation_respond(escalation=yellow, actor=head, reason="r", remedy="m")


@pytest.mark.django_db
def test_the_supervisor_follows_up_and_the_heads_hear_of_it(
    red: Escalation, supervisor: User, head: User, town_supervisor: User
) -> None:
    escalation_follow_up(escalation=red, actor=supervisor, text="已电话督促，要求本周办结")
    assert Notification.objects.get(kind="escalation_follow_up").recipient == head
    # A town supervisor does not supervise a county case.
    with pytest.raises(ActionForbidden):
        escalation_follow_up(escalation=red, actor=town_supervisor, text="x")
    with pytest.raises(InvalidRequest):
        escalation_follow_up(escalation=red, actor=supervisor, text="  ")
    assert red.needs_response  # a follow-up is not the department's answer


@pytest.mark.django_db
def test_unanswered_breaches_stay_listed_and_badged(
    red: Escalation, head: User, supervisor: User, officer: User
) -> None:
    assert selectors.unanswered_badge(head) == 1
    assert selectors.unanswered_badge(supervisor) == 1
    assert selectors.unanswered_badge(officer) is None
    client = Client()
    client.force_login(head)
    home = client.get("/supervision/escalations/")
    assert red.case.number in home.content.decode()
    assert '督办事项 <span class="badge">1</span>' in home.content.decode()

    response = client.post(
        f"/supervision/escalations/{red.pk}/respond/", {"reason": "原因", "remedy": "措施"}
    )
    assert response.status_code == 302
    assert selectors.unanswered_badge(head) is None
    listed = client.get("/supervision/escalations/").content.decode()
    assert red.case.number not in listed
    assert (
        red.case.number in client.get("/supervision/escalations/?state=answered").content.decode()
    )


@pytest.mark.django_db
def test_a_bad_answer_is_shown_on_the_form_not_a_500(red: Escalation, head: User) -> None:
    client = Client()
    client.force_login(head)
    response = client.post(f"/supervision/escalations/{red.pk}/respond/", {"reason": "原因"})
    assert response.status_code == 400
    assert str(errors.RESPONSE_REMEDY_REQUIRED) in response.content.decode()


@pytest.mark.django_db
def test_the_supervisor_records_a_follow_up_over_http(red: Escalation, supervisor: User) -> None:
    client = Client()
    client.force_login(supervisor)
    page = client.get(f"/supervision/escalations/{red.pk}/").content.decode()
    assert "登记督办跟进" in page
    assert "提交回复" not in page  # the answer is the department head's
    response = client.post(f"/supervision/escalations/{red.pk}/follow-up/", {"text": "已约谈"})
    assert response.status_code == 302
    assert "已约谈" in client.get(f"/supervision/escalations/{red.pk}/").content.decode()


@pytest.mark.django_db
def test_an_officer_cannot_post_an_answer(red: Escalation, officer: User) -> None:
    client = Client()
    client.force_login(officer)
    response = client.post(
        f"/supervision/escalations/{red.pk}/respond/", {"reason": "r", "remedy": "m"}
    )
    assert response.status_code == 403
    assert EscalationNote.objects.count() == 0
    assert Case.objects.count() == 1
