"""The dashboard's 好差评 and hall figures are the rating desk's and the hall statistics' own."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.workflows.hall.conftest import at
from workflows.cases.clock import local_date
from workflows.cases.seeding import seed_cases
from workflows.catalog.models import Center, ServiceItem
from workflows.dashboard import selectors
from workflows.hall import services as hall
from workflows.hall.models import Counter, OpeningPeriod
from workflows.hall.selectors import day_stats
from workflows.rating import selectors as rating
from workflows.rating.seeding import seed_ratings
from workflows.supervision import selectors as desk

THURSDAY = date(2026, 3, 5)


def scope_of(user: User) -> desk.DeskScope:
    scope = desk.desk_scope(user)
    assert scope is not None
    return scope


@pytest.mark.django_db
def test_good_rate_per_center_is_the_rating_desks(
    county: Center, town: Center, item: ServiceItem, supervisor: User
) -> None:
    seed_cases(count=300, seed=7)
    report = seed_ratings(seed=7)
    assert report.ratings > 0
    today = local_date(timezone.now())
    figures = selectors.ratings_by_center(scope_of(supervisor), at(today, "23:59"))
    start = date.fromisoformat(figures["since"])
    desk_rows = {
        r.label: r for r in rating.statistics(supervisor, by="center", start=start, end=today)
    }
    drawn = {r["name"]: r for r in figures["rows"] if r["total"]}
    assert set(drawn) == set(desk_rows)
    for name, row in drawn.items():
        assert (row["total"], row["good"], row["bad"]) == (
            desk_rows[name].total,
            desk_rows[name].good,
            desk_rows[name].bad,
        )


@pytest.fixture
def two_halls(county: Center, town: Center, item: ServiceItem, clerk: User) -> list[Counter]:
    counters = []
    for center, code in ((county, "A"), (town, "B")):
        counter = Counter.objects.create(
            center=center, code=f"ZH{code}", name="综合窗口", prefix=code
        )
        counter.items.add(item)
        OpeningPeriod.objects.create(center=center, opens=time(8, 30), closes=time(17, 30))
        counters.append(counter)
    return counters


@pytest.mark.django_db
def test_hall_figures_are_the_day_stats_and_keep_the_scope(
    two_halls: list[Counter], clerk: User, supervisor: User, town_supervisor: User, town: Center
) -> None:
    county_counter, town_counter = two_halls
    for counter, n in ((county_counter, 3), (town_counter, 2)):
        for i in range(n):
            hall.ticket_issue(counter=counter, now=at(THURSDAY, f"09:{10 + i:02d}"))
    hall.ticket_call_next(
        counters=[county_counter], clerk=clerk, window="1号窗口", now=at(THURSDAY, "09:40")
    )
    noon = at(THURSDAY, "12:00")
    county = selectors.hall_today(scope_of(supervisor), noon)
    assert [r["tickets"] for r in county["rows"]] == [3, 2]
    stats = day_stats(county_counter.center, THURSDAY)
    first = county["rows"][0]
    assert first["wait_avg"] == round(stats.total.wait_avg or 0, 1) == 30.0
    assert county["hours"] == ["09:00"]
    town_only = selectors.hall_today(scope_of(town_supervisor), noon)
    assert [r["name"] for r in town_only["rows"]] == [town.name]
