"""The clerk's 叫号 desk and intake link, and the supervisors' statistics."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import APPLICANT_ID
from tests.workflows.window.conftest import intake_data
from workflows.cases.models import Case
from workflows.catalog.models import ServiceItem
from workflows.hall import services
from workflows.hall.models import Counter, Ticket

pytestmark = pytest.mark.django_db

MONDAY_MORNING = "2026-10-12 10:00 +0800"


def desk(client: Client, counter: Counter) -> None:
    client.post(reverse("hall:window"), {"window": "3号窗口", "counters": [counter.pk]})


def test_only_clerks_use_the_desk(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.get(reverse("hall:window"))
    assert response.status_code == 403
    assert "只有窗口受理员可以叫号" in response.content.decode()


def test_call_next_then_skip_then_transfer(
    client: Client, clerk: User, counter: Counter, other_counter: Counter
) -> None:
    client.force_login(clerk)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        a = services.ticket_issue(counter=counter)
        response = client.post(reverse("hall:call_next"))
        assert response.status_code == 302
        assert "请先填写本窗口的名称" in client.get(reverse("hall:window")).content.decode()
        desk(client, counter)
        client.post(reverse("hall:call_next"))
        page = client.get(reverse("hall:window")).content.decode()
        assert "A001" in page
        client.post(
            reverse("hall:ticket_action", args=[a.pk, "transfer"]), {"counter": other_counter.pk}
        )
        a.refresh_from_db()
        assert a.counter == other_counter
        assert a.status == Ticket.Status.WAITING
        response = client.post(reverse("hall:ticket_action", args=[a.pk, "skip"]))
        assert "不能进行此操作" in client.get(reverse("hall:window")).content.decode()


@pytest.mark.parametrize("garbage", ["", ":", "٣", "²", "-1", "9" * 40, "1e3"])
def test_a_transfer_to_no_counter_is_a_404_and_the_ticket_stays(
    client: Client, clerk: User, counter: Counter, other_counter: Counter, garbage: str
) -> None:
    client.force_login(clerk)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        a = services.ticket_issue(counter=counter)
        desk(client, counter)
        client.post(reverse("hall:call_next"))
        response = client.post(
            reverse("hall:ticket_action", args=[a.pk, "transfer"]), {"counter": garbage}
        )
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.counter == counter
    assert a.status == Ticket.Status.CALLED


def test_the_intake_is_filled_in_and_the_case_carries_the_ticket(
    client: Client, clerk: User, counter: Counter, item: ServiceItem
) -> None:
    client.force_login(clerk)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        ticket = services.ticket_issue(
            counter=counter,
            kind=Ticket.Kind.PRIORITY,
            name="王奶奶",
            id_number=APPLICANT_ID,
            phone="13912345678",
        )
        desk(client, counter)
        client.post(reverse("hall:call_next"))
        start = client.get(reverse("hall:start_intake", args=[ticket.pk]), {"item": item.code})
        assert start.status_code == 302
        intake_url = start["Location"]
        page = client.get(intake_url).content.decode()
        assert "来自叫号 A001" in page
        assert 'value="王奶奶"' in page
        data = intake_data(item, **{"p-name": "王奶奶"})
        response = client.post(intake_url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        case = Case.objects.get()
        page = client.get(reverse("window:case_detail", args=[case.number])).content.decode()
    ticket.refresh_from_db()
    assert ticket.case == case
    assert 'id="case-ticket">A001' in page


def test_supervisor_sees_the_day_and_exports_it(
    client: Client, supervisor: User, clerk: User, counter: Counter
) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        services.ticket_issue(counter=counter)
    with time_machine.travel("2026-10-12 10:06 +0800", tick=False):
        services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口")
    with time_machine.travel("2026-10-12 10:16 +0800", tick=False):
        services.ticket_call_next(counters=[counter], clerk=clerk, window="1号窗口")
    client.force_login(supervisor)
    page = client.get(reverse("hall:stats"), {"center": "PY", "day": "2026-10-12"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "6.0" in html  # waited six minutes
    assert "10.0" in html  # served ten minutes
    export = client.get(reverse("hall:stats_export"), {"center": "PY", "day": "2026-10-12"})
    text = export.content.decode("utf-8-sig")
    assert "综合窗口,1,0,1,0,6.0,6.0,10.0,10.0" in text
    client.force_login(clerk)
    assert client.get(reverse("hall:stats")).status_code == 403


def test_a_supervisor_opens_a_rest_day_with_a_rota_and_closes_a_day(
    client: Client, supervisor: User, counter: Counter
) -> None:
    from datetime import date

    from workflows.hall import schedule

    client.force_login(supervisor)
    url = reverse("hall:hours")
    assert "办公时间与轮岗" in client.get(url).content.decode()
    refused = client.post(
        url,
        {
            "kind": "rota",
            "rota-date": "2026-10-12",
            "rota-opens": "09:00",
            "rota-closes": "12:00",
            "rota-windows": "1",
        },
    )
    assert refused.status_code == 400
    assert "是工作日" in refused.content.decode()
    client.post(
        url,
        {
            "kind": "rota",
            "rota-date": "2026-10-03",
            "rota-opens": "09:00",
            "rota-closes": "12:00",
            "rota-windows": "1",
            "rota-staff": [supervisor.pk],
        },
    )
    assert len(schedule.slots_for(counter, date(2026, 10, 3))) == 6
    client.post(url, {"kind": "closure", "closure-date": "2026-10-13", "closure-reason": "停电"})
    assert schedule.slots_for(counter, date(2026, 10, 13)) == []


def test_an_admin_edits_the_hours_of_any_center(client: Client, counter: Counter) -> None:
    from datetime import date

    from workflows.hall import schedule
    from workflows.hall.models import OpeningPeriod

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    url = f"{reverse('hall:hours')}?center=PY"
    response = client.post(
        url,
        {
            "kind": "period",
            "period-weekday": "0",
            "period-kind": "extended",
            "period-opens": "17:30",
            "period-closes": "19:00",
        },
    )
    assert response.status_code == 302
    added = OpeningPeriod.objects.get(weekday=0)
    monday = date(2026, 10, 12)
    assert schedule.slots_for(counter, monday)[-1].kind == "extended"
    client.post(url, {"kind": "period", "remove": added.pk})
    assert schedule.slots_for(counter, monday)[-1].kind == "regular"


def test_removing_hours_refuses_an_unknown_kind_or_row_and_keeps_the_rows(
    client: Client, counter: Counter
) -> None:
    from workflows.hall.models import OpeningPeriod

    client.force_login(User.objects.create_superuser("root", password="x"))
    url = f"{reverse('hall:hours')}?center=PY"
    rows = OpeningPeriod.objects.count()
    assert rows
    pk = str(OpeningPeriod.objects.values_list("pk", flat=True).first())
    for body in (
        {"kind": "", "remove": pk},  # no kind: was a KeyError (500)
        {"kind": "nonsense", "remove": pk},
        {"kind": "period", "remove": "ഈ"},  # not a digit: was a ValueError (500)
        {"kind": "period", "remove": "٣"},  # another script's digit
        {"kind": "period", "remove": "9" * 40},  # beyond bigint
    ):
        response = client.post(url, body)
        assert response.status_code == 400, body
        assert "没有找到要删除的办公时间" in response.content.decode()
    assert OpeningPeriod.objects.count() == rows
