"""大厅统计: no-shows counted and repeated ones visible, 延时/轮岗 use, per hour, the export."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.workflows.hall.conftest import at, resident_id
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import selectors, services
from workflows.hall.models import Booking, Counter, RotaDay, Ticket

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 10, 15)  # the county hall's late evening (17:30–19:00)
NATIONAL_DAY = date(2026, 10, 3)  # a rest day


def _book(counter: Counter, item: ServiceItem, day: date, clock: str, n: int) -> Booking:
    return services.booking_create(
        counter=counter,
        item=item,
        starts_at=at(day, clock),
        name=f"市民{n}",
        id_number=resident_id(n),
        phone=f"1390000{n:04d}",
        now=at(day - timedelta(days=1), "08:00"),
    )


def test_no_shows_are_counted_and_repeated_ones_shown_masked(
    client: Client, supervisor: User, county: Center, counter: Counter, item: ServiceItem
) -> None:
    # The same person misses Monday's and Tuesday's bookings; another misses once.
    _book(counter, item, date(2026, 10, 12), "09:00", 1)
    services.booking_void_no_shows(now=at(date(2026, 10, 12), "09:31"))
    _book(counter, item, THURSDAY, "09:00", 1)
    _book(counter, item, THURSDAY, "09:30", 2)
    kept = _book(counter, item, THURSDAY, "10:00", 3)
    services.ticket_check_in(center=county, reference=kept.reference, now=at(THURSDAY, "09:55"))
    assert services.booking_void_no_shows(now=at(THURSDAY, "10:45")) == 2

    stats = selectors.day_stats(county, THURSDAY)
    assert stats.bookings == 3
    assert stats.no_shows == 2
    repeated = selectors.repeated_no_shows(county, since=THURSDAY - timedelta(days=90))
    assert repeated == [{"id_number": resident_id(1), "n": 2}]

    client.force_login(supervisor)
    page = client.get(reverse("hall:stats"), {"center": "PY", "day": THURSDAY.isoformat()})
    html = page.content.decode()
    assert "3 / 2" in html  # bookings / no-shows that day
    assert resident_id(1) not in html  # the ID number is masked
    assert resident_id(1)[:4] in html
    export = client.get(
        reverse("hall:stats_export"), {"center": "PY", "day": THURSDAY.isoformat()}
    ).content.decode("utf-8-sig")
    assert "汇总,当日预约,3" in export
    assert "汇总,爽约,2" in export
    assert resident_id(1) not in export
    assert ",2\r\n" in export.split("多次爽约")[1]


def test_extended_hours_and_rota_use_are_counted_per_hour(
    client: Client, supervisor: User, clerk: User, county: Center, counter: Counter
) -> None:
    services.ticket_issue(counter=counter, now=at(THURSDAY, "16:10"))
    services.ticket_issue(counter=counter, now=at(THURSDAY, "18:05"))  # 延时服务
    late = services.ticket_issue(counter=counter, now=at(THURSDAY, "18:20"))  # 延时服务
    services.ticket_call_next(
        counters=[counter], clerk=clerk, window="1号窗口", now=at(THURSDAY, "18:30")
    )
    thursday = selectors.day_stats(county, THURSDAY)
    assert thursday.by_period == {"regular": 1, "extended": 2}
    assert [(r.label, r.tickets) for r in thursday.by_hour] == [("16:00", 1), ("18:00", 2)]
    assert thursday.rota is False
    assert thursday.total.wait_p90 is not None
    assert Ticket.objects.get(pk=late.pk).status == Ticket.Status.WAITING  # 16:10 went first

    RotaDay.objects.create(center=county, date=NATIONAL_DAY, opens=time(9), closes=time(12))
    services.ticket_issue(counter=counter, now=at(NATIONAL_DAY, "09:15"))
    rota = selectors.day_stats(county, NATIONAL_DAY)
    assert rota.by_period == {"rota": 1}
    assert rota.rota is True

    client.force_login(supervisor)
    page = client.get(reverse("hall:stats"), {"center": "PY", "day": NATIONAL_DAY.isoformat()})
    assert "当日为轮岗日" in page.content.decode()
    export = client.get(
        reverse("hall:stats_export"), {"center": "PY", "day": THURSDAY.isoformat()}
    ).content.decode("utf-8-sig")
    assert "汇总,延时服务取号,2" in export
    assert "时段,18:00,2," in export


def test_the_ninetieth_percentile_interpolates_like_postgresql() -> None:
    assert selectors.percentile([], 0.9) is None
    assert selectors.percentile([4.0], 0.9) == 4.0
    assert selectors.percentile([float(m) for m in range(1, 11)], 0.9) == pytest.approx(9.1)
