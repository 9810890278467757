"""Benchmark: 叫号 (call next) in a busy day of Pingyuan's county hall (target: p90 < 50 ms).

The day: 500 bookings (made through ``booking_create``) and 2,000 tickets
(the 500 bookings checked in at the kiosk plus 1,500 walk-in and priority
tickets) for the county center ``PY``, on four counters (综合窗口 and three
department windows) served by 16 clerks. Time runs through the day: each
ticket is issued at its moment, and once a morning backlog of 200 people has
built up, every new ticket is followed by one clerk pressing 叫下一位; the
queue is drained at the end. So 2,000 calls are measured, each with a real
queue of waiting tickets behind it: every other one through the page, the
others straight through ``services.ticket_call_next`` (to show the page's share).

Each call is measured as **server time**: Django's test client POSTs to
``/hall/window/call/`` in-process (session, authentication, CSRF-exempt
client, middleware, the view, the service's one ``SKIP LOCKED`` statement,
the redirect) with the clock moved to the call's moment; no network
(``call_*``). The desk page the redirect leads to (``GET /hall/window/``) is
timed after it (``page_*``), and the two together (``call_and_page_*``): the
whole server time of one press of 叫下一位 as the clerk sees it. The other
half of the calls go straight through the service (``service_*``). Each is
reported as p50 and p90, with the 1-minute load average (the machine may be
shared: compare runs at similar load). ``call_python_cpu_*`` is the CPU time
the POST took in this process (Django's side, without PostgreSQL's): it
moves much less with the load than the wall-clock figures.

Data: a dedicated database ``onewindow_bench_hall`` on the server of
``DATABASE_URL`` (or ``BENCH_HALL_DATABASE_URL``), migrated and reseeded on
each run (about half a minute). Run it as ``python benches/hall.py`` (prints
JSON), or through ``benches/run.py hall``.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: python benches/<name>.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benches import _db

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "onewindow_bench_hall"
BOOKINGS = 500
TICKETS = 2_000
CLERKS = 16
BACKLOG = 200
TARGET_P90_MS = 50.0
COUNTERS = [  # code, name, prefix, department code of its items ("" = all the rest)
    ("ZH", "综合窗口", "A", ""),
    ("GA", "公安窗口", "B", "GA"),
    ("RS", "人社窗口", "C", "RS"),
    ("YB", "医保窗口", "D", "YB"),
]


def bench_database_url() -> str:
    """The URL of this benchmark's own database (created if missing)."""
    return _db.bench_database_url(BENCH_DB, override="BENCH_HALL_DATABASE_URL")


def _setup_django(url: str) -> None:
    _db.setup_django(url)


def _resident_id(n: int) -> str:
    from forms.validators import resident_id_check_digit

    first17 = f"441426{1950 + n // 1000}0101{n % 1000:03d}"  # unique for n < 70,000
    return first17 + resident_id_check_digit(first17)


def _seed(day: date) -> dict[str, Any]:
    """Reference data, four counters, 16 clerks and 500 bookings for ``day``."""
    import io

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.utils import timezone

    from workflows.catalog import roles
    from workflows.catalog.models import Center, ServiceItem, StaffProfile
    from workflows.hall import errors, schedule, services
    from workflows.hall.models import Booking, Counter, SmsMessage, Ticket, TicketSequence

    out = io.StringIO()
    call_command("setup_reference", verbosity=0, stdout=out)
    call_command("hall_setup", stdout=out)
    Ticket.objects.all().delete()
    TicketSequence.objects.all().delete()
    Booking.objects.all().delete()
    SmsMessage.objects.all().delete()
    center = Center.objects.get(code="PY")
    items = list(ServiceItem.objects.filter(is_active=True).select_related("department"))
    counters = []
    for position, (code, name, prefix, department) in enumerate(COUNTERS, start=1):
        counter, _ = Counter.objects.update_or_create(
            center=center,
            code=code,
            defaults={
                "name": name,
                "prefix": prefix,
                "windows": 4,
                "slot_minutes": 30,
                "service_minutes": 10,
                "position": position,
            },
        )
        taken = {d for _, _, _, d in COUNTERS if d}
        counter.items.set(
            [i for i in items if i.department.code == department]
            if department
            else [i for i in items if i.department.code not in taken]
        )
        counters.append(counter)
    group, _ = Group.objects.get_or_create(name=roles.CLERK)
    clerks = []
    for n in range(CLERKS):
        user, _ = User.objects.get_or_create(username=f"bench_clerk_{n}")
        user.groups.add(group)
        StaffProfile.objects.update_or_create(user=user, defaults={"center": center})
        clerks.append(user)

    rng = random.Random(15)
    booked_at = timezone.make_aware(datetime.combine(day - timedelta(days=1), datetime.min.time()))
    slots = {c.pk: schedule.slots_for(c, day) for c in counters}
    made = 0
    attempt = 0
    started = time.perf_counter()
    while made < BOOKINGS:
        attempt += 1
        counter = counters[made % len(counters)]
        slot = rng.choice(slots[counter.pk])
        item = rng.choice(list(counter.items.all()))
        try:
            services.booking_create(
                counter=counter,
                item=item,
                starts_at=slot.starts_at,
                name=f"市民{made}",
                id_number=_resident_id(made),
                phone=f"139{made:08d}",
                needs_help=made % 20 == 0,
                now=booked_at,
            )
        except errors.HallError:
            continue
        made += 1
    return {
        "center": center,
        "counters": counters,
        "clerks": clerks,
        "booking_seconds": time.perf_counter() - started,
        "booking_attempts": attempt,
    }


def _open_moments(center: Any, day: date, count: int, rng: random.Random) -> list[datetime]:
    from django.utils import timezone

    from workflows.hall import schedule

    periods = schedule.periods_on(center, day)
    minutes: list[int] = []
    for period in periods:
        start = period.opens.hour * 60 + period.opens.minute
        end = period.closes.hour * 60 + period.closes.minute
        minutes.extend(range(start, end - 1))
    picked = sorted(rng.choice(minutes) + rng.random() for _ in range(count))
    midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return [midnight + timedelta(minutes=m) for m in picked]


def _busy_day() -> date:
    """The next Thursday that is a working day (the county hall's late evening)."""
    from django.utils import timezone

    from workflows.calendar import api as calendar

    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 3 or not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def measure() -> dict[str, Any]:
    import io

    import time_machine
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from workflows.hall import services
    from workflows.hall.models import Booking, Ticket

    load_at_start = os.getloadavg()
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    day = _busy_day()
    seeded = _seed(day)
    center, counters, clerks = seeded["center"], seeded["counters"], seeded["clerks"]
    rng = random.Random(2026)
    bookings = list(Booking.objects.filter(center=center).order_by("starts_at"))
    walk_ins = _open_moments(center, day, TICKETS - len(bookings), rng)
    events: list[tuple[datetime, Any]] = [(m, None) for m in walk_ins]
    events += [(b.starts_at - timedelta(minutes=rng.randint(0, 20)), b) for b in bookings]
    events.sort(key=lambda e: e[0])

    clients = []
    # Sessions last 30 minutes (SESSION_COOKIE_AGE): the clerks log in when calling starts.
    with time_machine.travel(events[BACKLOG][0], tick=False):
        for _clerk in clerks:
            clients.append(Client(HTTP_HOST="127.0.0.1"))
    call_url = reverse("hall:call_next")
    window_url = reverse("hall:window")

    issue_ms: list[float] = []
    call_ms: list[float] = []
    page_ms: list[float] = []
    round_trip_ms: list[float] = []
    call_cpu_ms: list[float] = []
    service_ms: list[float] = []
    called = 0

    relogins = 0

    def login(client: Client, n: int) -> None:
        client.force_login(clerks[n])
        session = client.session
        session["hall_desk"] = {"window": f"{n + 1}号窗口", "counters": [counters[n % 4].pk]}
        session.save()

    def call(at: datetime, n: int) -> None:
        nonlocal called, relogins
        if n % 2:  # every other call straight through the service, to separate the view's share
            started = time.perf_counter()
            services.ticket_call_next(
                counters=[counters[n % CLERKS % 4]],
                clerk=clerks[n % CLERKS],
                window=f"{n % CLERKS + 1}号窗口",
                now=at,
            )
            service_ms.append((time.perf_counter() - started) * 1000)
            called += 1
            return
        client = clients[n % CLERKS]
        with time_machine.travel(at, tick=False):
            for _attempt in range(2):
                started = time.perf_counter()
                cpu_started = time.process_time()
                response = client.post(call_url)
                elapsed = (time.perf_counter() - started) * 1000
                cpu_elapsed = (time.process_time() - cpu_started) * 1000
                if response.status_code == 302 and response["Location"] == window_url:
                    break
                # The 30-minute session ran out (over lunch): log in again, not timed.
                relogins += 1
                login(client, n % CLERKS)
            else:
                raise RuntimeError(f"call next failed: {response.status_code}")
            # The desk page the redirect leads to: what the clerk then sees.
            started = time.perf_counter()
            page = client.get(window_url)
            page_elapsed = (time.perf_counter() - started) * 1000
            if page.status_code != 200:
                raise RuntimeError(f"desk page failed: {page.status_code}")
        call_ms.append(elapsed)
        call_cpu_ms.append(cpu_elapsed)
        page_ms.append(page_elapsed)
        round_trip_ms.append(elapsed + page_elapsed)
        called += 1

    for index, (moment, booking) in enumerate(events):
        started = time.perf_counter()
        if booking is not None:
            services.ticket_check_in(center=center, reference=booking.reference, now=moment)
        else:
            services.ticket_issue(
                counter=counters[index % 4],
                kind=Ticket.Kind.PRIORITY if index % 25 == 0 else Ticket.Kind.WALK_IN,
                name="王奶奶" if index % 25 == 0 else "",
                id_number=_resident_id(10_000 + index) if index % 25 == 0 else "",
                now=moment,
            )
        issue_ms.append((time.perf_counter() - started) * 1000)
        if index >= BACKLOG:
            call(moment, index)
    last = events[-1][0]
    n = 0
    while Ticket.objects.filter(center=center, day=day, status="waiting").exists():
        call(last + timedelta(seconds=n), n)
        n += 1
        if n > TICKETS * 2:
            break

    with connection.cursor() as cursor:
        cursor.execute("select version()")
        postgres = cursor.fetchone()[0].split(",")[0]
    call_ms.sort()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return round(ordered[max(0, int(len(ordered) * q) - 1)], 2)

    return {
        "name": "hall: POST /hall/window/call/ (叫下一位), in-process server time",
        "day": day.isoformat(),
        "bookings": Booking.objects.filter(center=center).count(),
        "tickets": Ticket.objects.filter(center=center, day=day).count(),
        "calls_measured": len(call_ms),
        "tickets_called": Ticket.objects.filter(center=center, day=day)
        .exclude(called_at=None)
        .count(),
        "clerks": CLERKS,
        "relogins_not_timed": relogins,
        "counters": len(counters),
        "call_p50_ms": round(statistics.median(call_ms), 2),
        "call_p90_ms": round(call_ms[int(len(call_ms) * 0.9) - 1], 2),
        "call_p99_ms": round(call_ms[int(len(call_ms) * 0.99) - 1], 2),
        "call_max_ms": round(call_ms[-1], 2),
        "call_python_cpu_p50_ms": pct(call_cpu_ms, 0.5),
        "call_python_cpu_p90_ms": pct(call_cpu_ms, 0.9),
        "page_p50_ms": pct(page_ms, 0.5),
        "page_p90_ms": pct(page_ms, 0.9),
        "call_and_page_p50_ms": pct(round_trip_ms, 0.5),
        "call_and_page_p90_ms": pct(round_trip_ms, 0.9),
        "service_calls_measured": len(service_ms),
        "service_p50_ms": round(statistics.median(service_ms), 2),
        "service_p90_ms": round(sorted(service_ms)[int(len(service_ms) * 0.9) - 1], 2),
        "issue_p50_ms": round(statistics.median(issue_ms), 2),
        "issue_p90_ms": round(sorted(issue_ms)[int(len(issue_ms) * 0.9) - 1], 2),
        "booking_create_mean_ms": round(seeded["booking_seconds"] * 1000 / BOOKINGS, 2),
        "target_call_p90_ms": TARGET_P90_MS,
        "meets_target": call_ms[int(len(call_ms) * 0.9) - 1] < TARGET_P90_MS,
        "load_average_1m_start": round(load_at_start[0], 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "postgres": postgres,
    }


def run() -> dict[str, Any]:
    """Measure on the bench database, in a subprocess (it migrates and reseeds that database)."""
    env = {**os.environ, "DATABASE_URL": bench_database_url()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    _setup_django(bench_database_url())
    print(json.dumps(measure(), ensure_ascii=False))
