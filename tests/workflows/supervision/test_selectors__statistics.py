"""On-time statistics in working days: open overdue cases count as late; reasons reported."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import CaseFactory
from tests.factories import ServiceItemFactory
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.catalog.models import Department
from workflows.supervision import selectors

ACCEPTED = at(2026, 3, 2, 10)  # Mon; promised due Mon 03-09
NOW = at(2026, 3, 20, 12)


@pytest.fixture
def march(
    case_factory: CaseFactory,
    officer: User,
    head: User,
    clerk: User,
    other_officer: User,
    other_department: Department,
) -> None:
    def running(officer_: User = officer, **kwargs: object) -> object:
        return case_factory(at=ACCEPTED, status="in_progress", officer=officer_, **kwargs)

    a = running()  # decided Thu 03-05: 3 working days, on time
    case_services.case_decide(case=a, actor=officer, decision="approved", now=at(2026, 3, 5, 9))
    b = running()  # decided Thu 03-12: 8 working days, late; delivered with a reason
    case_services.case_decide(case=b, actor=officer, decision="approved", now=at(2026, 3, 12, 9))
    case_services.case_close(
        case=b,
        actor=clerk,
        delivery_method="window",
        overdue_reason="other_department",
        overdue_reason_text="需户籍地公安回函",
        now=at(2026, 3, 12, 15),
    )
    running()  # still open, promised 03-09 passed: open overdue
    d = running()  # +3 days extension, decided Wed 03-11 (due Thu 03-12): 7 days, on time
    case_services.case_request_extension(
        case=d, actor=officer, days=3, reason="需现场核查", now=at(2026, 3, 4, 9)
    )
    case_services.case_decide_extension(case=d, actor=head, approve=True, now=at(2026, 3, 4, 10))
    case_services.case_decide(case=d, actor=officer, decision="approved", now=at(2026, 3, 11, 9))
    e = running()  # testing 03-03 → 03-05 excluded; decided Fri 03-06: 2 days, on time
    case_services.case_suspend(
        case=e, actor=officer, procedure="testing", expected_days=2, now=at(2026, 3, 3, 9)
    )
    case_services.case_resume(case=e, actor=officer, now=at(2026, 3, 5, 17))
    case_services.case_decide(case=e, actor=officer, decision="approved", now=at(2026, 3, 6, 9))
    mz_item = ServiceItemFactory(code="MZ-TEST", name="低保申请", department=other_department)
    f = running(other_officer, service_item=mz_item)  # another department, on time
    case_services.case_decide(
        case=f, actor=other_officer, decision="approved", now=at(2026, 3, 3, 9)
    )


def stats(user: User, group: str, start: date, end: date) -> list[selectors.StatRow]:
    scope = selectors.desk_scope(user)
    assert scope is not None
    return selectors.on_time_statistics(
        scope=scope,
        filters=selectors.CaseFilters(),
        group=group,
        period=selectors.Period(start, end),
        now=NOW,
    )


@pytest.mark.django_db
def test_per_department_in_working_days(march: None, supervisor: User) -> None:
    rows = {
        r.label: r for r in stats(supervisor, "department", date(2026, 3, 1), date(2026, 3, 31))
    }
    ga = rows["公安"]
    assert (ga.decided, ga.on_time, ga.late, ga.open_overdue) == (4, 3, 1, 1)
    assert ga.rate == pytest.approx(3 / 5)
    assert ga.avg_days == pytest.approx((3 + 8 + 7 + 2) / 4)
    assert ga.p90_days == pytest.approx(7.7)  # PostgreSQL percentile_cont over 2, 3, 7, 8
    assert (ga.extensions, ga.suspensions) == (1, 1)
    assert ga.reasons == {"other_department": 1}
    assert ga.late_without_reason == 0
    mz = rows["民政"]
    assert (mz.decided, mz.on_time, mz.open_overdue, mz.rate) == (1, 1, 0, 1.0)
    total = selectors.statistics_totals(list(rows.values()))
    assert (total.decided, total.on_time, total.open_overdue) == (5, 4, 1)


@pytest.mark.django_db
def test_per_officer(march: None, supervisor: User, officer: User, other_officer: User) -> None:
    rows = {r.key: r for r in stats(supervisor, "officer", date(2026, 3, 1), date(2026, 3, 31))}
    assert set(rows) == {officer.pk, other_officer.pk}
    assert (rows[officer.pk].decided, rows[officer.pk].open_overdue) == (4, 1)
    assert (rows[other_officer.pk].decided, rows[other_officer.pk].open_overdue) == (1, 0)
    assert rows[officer.pk].label == f"{officer.last_name}{officer.first_name}"


@pytest.mark.django_db
def test_a_period_counts_only_what_was_decided_or_fell_due_in_it(
    march: None, supervisor: User
) -> None:
    assert stats(supervisor, "department", date(2026, 4, 1), date(2026, 4, 30)) == []
    early = {r.label: r for r in stats(supervisor, "item", date(2026, 3, 1), date(2026, 3, 6))}
    # By 03-06: a, e (GA) and f (MZ) decided; nothing fell due yet.
    assert sorted((r.decided, r.open_overdue) for r in early.values()) == [(1, 0), (2, 0)]


@pytest.mark.django_db
def test_the_statistics_page_reports_reasons(march: None, supervisor: User) -> None:
    client = Client()
    client.force_login(supervisor)
    with_reason = client.get(
        "/supervision/statistics/?group=department&period_from=2026-03-01&period_to=2026-03-31"
    )
    assert with_reason.status_code == 200
    header = with_reason.context["header"]
    ga = next(r for r in with_reason.context["rows"] if r[0] == "公安")
    assert ga[header.index("需其他部门协助，回复不及时")] == 1
    assert ga[header.index("超期未填原因")] == 0
    bad = client.get("/supervision/statistics/?period_from=2026-03-31&period_to=2026-03-01")
    assert bad.status_code == 200
    assert "起始日期不能晚于截止日期" in bad.content.decode()
