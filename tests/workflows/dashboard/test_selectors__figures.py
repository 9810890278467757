"""The dashboard's figures agree with a hand count and with the desk's own lists and statistics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from tests.conftest import CaseFactory
from tests.factories import ServiceItemFactory
from tests.workflows.supervision.conftest import at
from workflows.cases import services as case_services
from workflows.cases.models import Case
from workflows.catalog.models import Center, Department
from workflows.dashboard import selectors
from workflows.dashboard.models import Snapshot
from workflows.supervision import selectors as desk
from workflows.supervision.services import sweep_deadlines

ACCEPTED = at(2026, 3, 2, 10)  # Mon; promised due Mon 03-09 (5 working days)
NOW = at(2026, 3, 20, 12)  # Fri of the week of Mon 03-16


@pytest.fixture
def march(
    case_factory: CaseFactory,
    officer: User,
    other_officer: User,
    other_department: Department,
    town: Center,
    town_clerk: User,
) -> dict[str, Case]:
    """Five cases across two weeks, two departments and two centers."""

    def running(**kwargs: object) -> Case:
        return case_factory(at=ACCEPTED, status="in_progress", officer=officer, **kwargs)

    a = running()
    case_services.case_decide(case=a, actor=officer, decision="approved", now=at(2026, 3, 5, 9))
    b = running()  # decided late, in the week of 03-09
    case_services.case_decide(case=b, actor=officer, decision="approved", now=at(2026, 3, 12, 9))
    c = running()  # still open: overdue since 03-09
    t = running(center=town, actor=town_clerk)
    case_services.case_decide(case=t, actor=officer, decision="approved", now=at(2026, 3, 4, 9))
    mz_item = ServiceItemFactory(
        code="MZ-TEST",
        name="低保申请",
        department=other_department,
        statutory_limit_days=20,
        promised_limit_days=10,
    )
    f = case_factory(at=ACCEPTED, status="in_progress", officer=other_officer, service_item=mz_item)
    case_services.case_decide(
        case=f, actor=other_officer, decision="approved", now=at(2026, 3, 3, 9)
    )
    return {"a": a, "b": b, "c": c, "t": t, "f": f}


def scope_of(user: User) -> desk.DeskScope:
    scope = desk.desk_scope(user)
    assert scope is not None
    return scope


def series(figures: dict[str, object], name: str) -> dict[str, list[object]]:
    found = [s for s in figures["series"] if s["name"] == name]  # type: ignore[attr-defined]
    assert len(found) == 1, figures
    return found[0]  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_weekly_on_time_rate_matches_a_hand_count(
    march: dict[str, Case], supervisor: User, department: Department, other_department: Department
) -> None:
    figures = selectors.on_time_by_week(scope_of(supervisor), NOW)
    assert figures["weeks"][-3:] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    ga = series(figures, department.name)
    # Week of 03-02: a (county) and t (town) decided on time. Week of 03-09: b decided
    # late and c still open past its promised date: 0 of 2. Week of 03-16: nothing.
    assert ga["decided"][-3:] == [2, 1, 0]
    assert ga["on_time"][-3:] == [2, 0, 0]
    assert ga["open_overdue"][-3:] == [0, 1, 0]
    assert ga["rate"][-3:] == [1.0, 0.0, None]
    assert series(figures, other_department.name)["rate"][-3:] == [1.0, None, None]


@pytest.mark.django_db
def test_weekly_rate_is_the_statistics_pages_rate_for_each_week(
    march: dict[str, Case], supervisor: User
) -> None:
    scope = scope_of(supervisor)
    figures = selectors.on_time_by_week(scope, NOW)
    for index, monday in enumerate(figures["weeks"]):
        start = date.fromisoformat(monday)
        rows = desk.on_time_statistics(
            scope=scope,
            filters=desk.CaseFilters(),
            group="department",
            period=desk.Period(start, start + timedelta(days=6)),
            now=NOW,
        )
        expected = {r.label: r.rate for r in rows}
        drawn = {
            s["name"]: s["rate"][index] for s in figures["series"] if s["rate"][index] is not None
        }
        assert drawn == {k: round(v, 4) for k, v in expected.items() if v is not None}, monday


@pytest.mark.django_db
def test_moving_a_week_on_moves_the_weeks(march: dict[str, Case], supervisor: User) -> None:
    later = selectors.on_time_by_week(scope_of(supervisor), NOW + timedelta(weeks=1))
    assert later["weeks"][-4:-1] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    assert later["weeks"][-1] == "2026-03-23"
    # c is still open; its promised date stays in the week of 03-09.
    assert later["series"][0]["open_overdue"][-3] == 1


@pytest.mark.django_db
def test_a_town_supervisor_counts_only_the_town(
    march: dict[str, Case], town_supervisor: User, department: Department
) -> None:
    scope = scope_of(town_supervisor)
    figures = selectors.on_time_by_week(scope, NOW)
    assert [s["name"] for s in figures["series"]] == [department.name]
    assert figures["series"][0]["decided"][-3:] == [1, 0, 0]
    assert selectors.overdue_by_place(scope, NOW)["rows"] == []


@pytest.mark.django_db
def test_overdue_by_place_is_the_overdue_list_cut_by_center_and_department(
    march: dict[str, Case], supervisor: User, county: Center, department: Department
) -> None:
    scope = scope_of(supervisor)
    figures = selectors.overdue_by_place(scope, NOW)
    assert [r["name"] for r in figures["rows"]] == [county.name]
    assert [d["name"] for d in figures["departments"]] == [department.name]
    row = figures["rows"][0]
    assert row["overdue"] == 1
    listed = desk.desk_cases(
        scope=scope,
        filters=desk.CaseFilters(
            center_id=county.pk, department_id=department.pk, center_only=True
        ),
        mode=desk.OVERDUE,
        now=NOW,
    )
    assert list(listed.values_list("number", flat=True)) == [march["c"].number]
    assert row["cells"][0]["overdue_url"] == (
        f"/supervision/overdue/?center={county.pk}&center_only=1&department={department.pk}"
    )


@pytest.mark.django_db
def test_today_counts_flows_since_midnight_and_yesterday(
    case_factory: CaseFactory, supervisor: User, officer: User
) -> None:
    case_factory(at=at(2026, 3, 19, 16), status="accepted")
    case_factory(at=at(2026, 3, 20, 9), status="accepted")
    case_factory(at=at(2026, 3, 20, 10), status="accepted")
    decided = case_factory(at=at(2026, 3, 19, 9), status="in_progress", officer=officer)
    case_services.case_decide(
        case=decided, actor=officer, decision="approved", now=at(2026, 3, 20, 11)
    )
    figures = selectors.today_figures(scope_of(supervisor), NOW)
    assert figures["yesterday"] == {"accepted": 2, "decided": 0, "delivered": 0}
    assert figures["today"]["accepted"] == 2
    assert figures["today"]["decided"] == 1
    assert figures["today"]["open"] == 3


@pytest.mark.django_db
def test_overdue_and_escalations_are_the_desks_own_counts(
    march: dict[str, Case], supervisor: User
) -> None:
    sweep_deadlines(now=NOW)
    scope = scope_of(supervisor)
    today = selectors.today_figures(scope, NOW)["today"]
    assert today["overdue"] == 1
    assert today["overdue_statutory"] == 1  # 10 working days from 03-02 ended 03-16
    assert today["due_soon"] == 0
    assert today["escalations"] == desk.unanswered_badge(supervisor) > 0


@pytest.mark.django_db
def test_decision_days_give_quartiles_per_item_and_the_promised_limit(
    march: dict[str, Case], supervisor: User, item: object
) -> None:
    figures = selectors.decision_days(scope_of(supervisor), NOW)
    by_name = {i["name"]: i for i in figures["items"]}
    ga = by_name["户口迁移"]
    days = sorted(
        Case.objects.filter(item=item, decided_at__isnull=False).values_list(
            "decision_working_days", flat=True
        )
    )
    assert ga["n"] == len(days) == 3
    assert [ga["box"][0], ga["box"][2], ga["box"][4]] == days
    assert ga["promised"] == 5


@pytest.mark.django_db
def test_figures_are_cached_up_to_max_age_and_say_when(
    march: dict[str, Case], supervisor: User, case_factory: CaseFactory
) -> None:
    scope = scope_of(supervisor)
    first, computed = selectors.figures("today", scope, NOW)
    assert computed == NOW
    case_factory(at=NOW, status="accepted")
    cached, when = selectors.figures("today", scope, NOW + selectors.MAX_AGE - timedelta(minutes=1))
    assert (cached, when) == (first, NOW)
    later = NOW + selectors.MAX_AGE + timedelta(minutes=1)
    fresh, when = selectors.figures("today", scope, later)
    assert when == later
    assert fresh["today"]["accepted"] == first["today"]["accepted"] + 1


@pytest.mark.django_db
def test_change_since_yesterday_compares_with_yesterdays_last_record(
    march: dict[str, Case], supervisor: User, case_factory: CaseFactory
) -> None:
    scope = scope_of(supervisor)
    yesterday = NOW - timedelta(days=1)
    data, _when = selectors.figures("today", scope, yesterday)
    first = selectors.headline(data, selectors.yesterday_stocks(scope, yesterday))
    assert {f["name"]: f["change"] for f in first}["open"] is None  # nobody looked the day before
    case_factory(at=NOW - timedelta(hours=1), status="accepted")
    today, _when = selectors.figures("today", scope, NOW)
    changes = {
        f["name"]: f["change"]
        for f in selectors.headline(today, selectors.yesterday_stocks(scope, NOW))
    }
    assert changes["open"] == 1
    assert changes["accepted"] == 1 - data["today"]["accepted"]
    assert Snapshot.objects.filter(kind="today").count() == 2


@pytest.mark.django_db
def test_refresh_all_computes_every_scope_once(march: dict[str, Case]) -> None:
    with time_machine.travel(NOW, tick=False):
        done = selectors.refresh_all()
    scopes = Snapshot.objects.values("scope_key").distinct().count()
    assert done == scopes * len(selectors.CHARTS)
    assert scopes >= 3  # the county, its centers' subtrees and the departments


@pytest.mark.django_db
def test_the_whole_dashboard_reads_the_same_figures_as_each_chart(
    march: dict[str, Case], supervisor: User
) -> None:
    scope = scope_of(supervisor)
    selectors.figures("today", scope, NOW - timedelta(days=1))
    board = selectors.dashboard(scope, NOW)
    for kind in selectors.CHARTS:
        assert board["charts"][kind] == selectors.figures(kind, scope, NOW)[0]
    assert board["yesterday_stocks"] == selectors.yesterday_stocks(scope, NOW)
    assert board["yesterday_stocks"] is not None
