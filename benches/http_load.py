"""Benchmark: the request path over real HTTP (issues 17 and 18); not named http.py, which would
shadow the standard library's http package for every script in benches/.

Starts gunicorn (``gunicorn.conf.py``, production settings) on the database
in ``DATABASE_URL`` (``make bench`` migrates it and loads the reference data
and demo users), logs in real users and drives each path for a fixed time at
each concurrency level:

- ``accept_one_center``: the clerk's intake + 受理 POST, every request a fresh
  idempotency key, all clerks at one center (the accepts are counted in the
  database afterwards, not trusted from the responses);
- ``accept_two_centers``: the same with the clerks spread over two centers
  (issue 18: one center must equal two);
- ``home``: the cheapest logged-in page (the menu with its badges, kept for
  ``ONEWINDOW_NAV_BADGE_SECONDS`` as in production); ``home_badges_counted``:
  the same with the badges counted on every request (a server started with
  the setting at 0), what a person's first page costs;
- ``status_one_address`` / ``status_many_addresses``: citizens' lookups all
  from one address (as behind a proxy) and from many;
- ``claim_complete``: an officer's claim + complete of a review step;
- ``overdue``: the supervisor's overdue list;
- ``accept_prepared_statements``: ``accept_one_center`` again on a server with
  ``DB_PREPARE_THRESHOLD=5`` (psycopg's prepared statements, docs/operations.md).

The server uses production's shared cache (``CACHE_URL``, Redis database 3,
``BENCH_CACHE_URL`` to change it) when Redis answers. Each point reports
requests/s, p50/p95/p99 ms, errors and the server's CPU share (gunicorn's
processes, from /proc). The raw-ORM anchor is the minimal accept transaction
(1 case + 3 materials + 1 receipt key) written plainly with the ORM in this
process, and every path's ratio to it is given.

``BENCH_QUICK=1`` (``make bench QUICK=1``) runs 3 s points at concurrency
1 and 4 only, for development on a shared machine; the full run is 15 s
points at 1, 2, 4, 8, 16.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

_ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8199"))
PASSWORD = os.environ.get("DEMO_PASSWORD", "onewindow-demo")
ITEM = "GA-JZZ"  # 居住证申领: public_security.review, a promised item with materials
APPLICANT_ID = "441426199001011238"


def quick() -> bool:
    return os.environ.get("BENCH_QUICK", "") not in {"", "0", "false"}


def plan() -> tuple[list[int], float]:
    """(concurrency levels, seconds per point)."""
    if quick():
        return [1, 4], 3.0
    return [1, 2, 4, 8, 16], 15.0


# ---------------------------------------------------------------- HTTP client


class _Form(HTMLParser):
    """Every field of the page's forms with its default value."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                self.fields.setdefault(name, "")
                return
            self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or not self.fields.get(self._select))
        ):
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


class Session:
    """One browser: a keep-alive connection and its cookies (sent even when Secure)."""

    def __init__(self, ip: str = "127.0.0.1") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.cookies: dict[str, str] = {}
        self.ip = ip

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Host": "127.0.0.1", "X-Real-IP": self.ip}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": self.csrf()})

    def csrf(self) -> str:
        if "csrftoken" not in self.cookies:
            self.get("/status/")
        return self.cookies.get("csrftoken", "")

    def login(self, username: str) -> Session:
        self.get("/accounts/login/")
        status, _, _ = self.post(
            "/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"}
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed (HTTP {status})")
        return self


# ---------------------------------------------------------------- the server


def _env() -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    from django.conf import settings

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        # Production requires the audit keys; the bench's own process (which seeds and
        # counts) signs with its settings' keys, so the server uses the same ones.
        "ONEWINDOW_AUDIT_KEYS": os.environ.get("ONEWINDOW_AUDIT_KEYS")
        or str(settings.ONEWINDOW_AUDIT_KEYS),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ONEWINDOW_SIGNING_KEY": key,
        "ONEWINDOW_PUBLIC_URL": f"http://127.0.0.1:{PORT}",
        "SECURE_SSL_REDIRECT": "false",
        "FIRSTQUESTION_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "AXES_FAILURE_LIMIT": "1000",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": os.environ.get("BENCH_GUNICORN_WORKERS", "4"),
        "GUNICORN_THREADS": os.environ.get("BENCH_GUNICORN_THREADS", "1"),
        "GUNICORN_LOGLEVEL": "warning",
        # Production's shared cache (sessions, menu badges) when Redis answers here.
        **({"CACHE_URL": url} if (url := shared_cache_url()) else {}),
    }


def shared_cache_url() -> str:
    """The Redis cache the server shares between its processes ("" when none answers)."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
    except OSError:
        return ""
    return url


def start_server(**extra_env: str) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", str(_ROOT / "gunicorn.conf.py"), "config.wsgi"],
        cwd=_ROOT,
        env={**_env(), **extra_env},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start (see its log above)")
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """utime + stime of gunicorn's master and workers (clock ticks → seconds).

    The master's cutime + cstime count too: a worker recycled by
    ``max_requests`` is reaped by the master and its CPU moves there, so
    without them a point with a recycled worker showed a negative share.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if pid == server.pid:  # children already reaped by the master
            total += int(fields[13]) + int(fields[14])
    return total / ticks


# ---------------------------------------------------------------- load


def drive(
    sessions: list[Any],
    action: Callable[[Any, int], bool],
    seconds: float,
    server: subprocess.Popen[bytes],
) -> dict[str, Any]:
    """Run ``action(session, i)`` in one thread per session for ``seconds``.

    Each session first does one unmeasured request (warm-up: worker caches).
    """
    for k, session in enumerate(sessions):
        with contextlib.suppress(Exception):
            action(session, -1 - k)
    latencies: list[list[float]] = [[] for _ in sessions]
    errors = [0] * len(sessions)
    stop = time.monotonic() + seconds
    barrier = threading.Barrier(len(sessions) + 1)

    def worker(k: int) -> None:
        barrier.wait()
        i = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                ok = action(sessions[k], i)
            except Exception:
                ok = False
            latencies[k].append((time.perf_counter() - started) * 1000)
            errors[k] += 0 if ok else 1
            i += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(sessions))]
    for t in threads:
        t.start()
    cpu0, wall0 = _server_cpu_seconds(server), time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.monotonic() - wall0
    cpu = _server_cpu_seconds(server) - cpu0
    flat = sorted(x for lat in latencies for x in lat)
    if not flat:
        return {"requests": 0}

    def pct(p: float) -> float:
        return round(flat[min(len(flat) - 1, int(p * len(flat)))], 1)

    return {
        "concurrency": len(sessions),
        "requests": len(flat),
        "per_second": round(len(flat) / wall, 1),
        "p50_ms": round(statistics.median(flat), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": sum(errors),
        "server_cpu_cores": round(cpu / wall, 2),
    }


def _intake_form(session: Session) -> dict[str, str]:
    status, html, _ = session.get(f"/window/new/{ITEM}/")
    if status != 200:
        raise RuntimeError(f"intake form: HTTP {status}")
    fields = form_fields(html)
    fields.pop("csrfmiddlewaretoken", None)
    fields.update(
        {
            "c-applicant_kind": "person",
            "c-outcome": "accept",
            "p-name": "张三",
            "p-id_type": "resident_id",
            "p-id_number": APPLICANT_ID,
            "p-phone": "13912345678",
            "p-address": "平远县大柘镇黄沙村 1 号",
        }
    )
    for name in list(fields):
        if re.fullmatch(r"m\d+-state", name):
            fields[name] = "received"
        elif re.fullmatch(r"m\d+-pages", name):
            fields[name] = fields[name] or "1"
    return fields


def _accept(session: Session, _i: int) -> bool:
    data = {**session.intake, "c-key": uuid.uuid4().hex}  # type: ignore[attr-defined]
    status, _, headers = session.post(f"/window/new/{ITEM}/", data)
    return status == 302 and "/outcome" in headers.get("Location", "")


def _ensure_clerks(centers: list[str], per_center: int) -> list[str]:
    """Bench clerks (bench_clerk_<center>_<n>) at the given centers, with the demo password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workflows.catalog import roles
    from workflows.catalog.models import Center, StaffProfile

    group = Group.objects.get(name=roles.CLERK)
    made = []
    for code in centers:
        center = Center.objects.get(code=code)
        for n in range(per_center):
            name = f"bench_clerk_{code}_{n}".lower()
            user, created = get_user_model().objects.get_or_create(username=name)
            if created:
                user.first_name = f"窗口{n}"
                user.set_password(PASSWORD)
                user.save()
                user.groups.set([group])
            StaffProfile.objects.update_or_create(
                user=user, defaults={"center": center, "title": "窗口受理员"}
            )
            made.append(name)
    return made


def _accepted_count() -> int:
    from workflows.cases.models import Case

    return Case.objects.filter(accepted_at__isnull=False).count()


def raw_orm_anchor(seconds: float) -> dict[str, Any]:
    """The minimal accept transaction written plainly with the ORM (in this process)."""
    from django.db import transaction

    from workflows.cases.models import Case, CaseMaterial, IdempotentReceipt
    from workflows.catalog.models import Center, ServiceItem

    center = Center.objects.order_by("pk").first()
    item = ServiceItem.objects.get(code=ITEM)
    clerk = _bench_user()
    made: list[int] = []
    stop = time.monotonic() + seconds
    latencies = []
    while time.monotonic() < stop:
        started = time.perf_counter()
        with transaction.atomic():
            case = Case.objects.create(
                number=f"ANCHOR-{uuid.uuid4().hex[:30]}",
                center=center,
                item=item,
                department_id=item.department_id,
                applicant_name="张三",
                applicant_id_number=APPLICANT_ID,
                applicant_phone="13912345678",
                received_by=clerk,
                first_responder=clerk,
                received_at=_now(),
            )
            CaseMaterial.objects.bulk_create(
                [CaseMaterial(case=case, position=p, name=f"材料{p}") for p in (1, 2, 3)]
            )
            IdempotentReceipt.objects.create(key=f"anchor:{uuid.uuid4().hex}", case=case)
        latencies.append((time.perf_counter() - started) * 1000)
        made.append(case.pk)
    IdempotentReceipt.objects.filter(case_id__in=made).delete()
    CaseMaterial.objects.filter(case_id__in=made).delete()
    Case.objects.filter(pk__in=made).delete()
    return {
        "per_second_one_process": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2),
    }


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _bench_user() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="clerk")


def _status_target() -> tuple[str, str]:
    """An accepted case and its applicant's phone tail (made by the accept points)."""
    from workflows.cases.models import Case

    case = Case.objects.filter(accepted_at__isnull=False).order_by("-pk").first()
    if case is None:
        raise RuntimeError("no accepted case to look up")
    return case.number, case.applicant_phone[-4:]


def _claimable_task_ids(limit: int) -> list[int]:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    qs = Task.objects.filter(
        status=STATUS.NEW,
        flow_task_type="HUMAN",
        process__caseprocess__case__department__code="GA",
        owner__isnull=True,
    ).order_by("pk")
    return [t.pk for t in qs if t.flow_task.name == "review"][:limit]


def run() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    levels, seconds = plan()
    top = max(levels)
    from workflows.catalog.models import Center

    centers = list(Center.objects.order_by("pk").values_list("code", flat=True)[:2])
    clerks = _ensure_clerks(centers, top)
    by_center = {c: [u for u in clerks if f"_{c.lower()}_" in u] for c in centers}
    server = start_server()
    result: dict[str, Any] = {
        "quick": quick(),
        "seconds_per_point": seconds,
        "workers": _env()["GUNICORN_WORKERS"],
        "threads": _env()["GUNICORN_THREADS"],
        "cache": shared_cache_url() or "each process's own memory (no Redis answered)",
        "load_average_before": Path("/proc/loadavg").read_text().split()[:3],
    }
    try:
        points: dict[str, list[dict[str, Any]]] = {}

        def sessions_for(users: list[str]) -> list[Session]:
            made = []
            for user in users:
                s = Session().login(user)
                s.intake = _intake_form(s)  # type: ignore[attr-defined]
                made.append(s)
            return made

        for name, pick in (
            ("accept_one_center", lambda n: by_center[centers[0]][:n]),
            (
                "accept_two_centers",
                lambda n: by_center[centers[0]][: (n + 1) // 2] + by_center[centers[-1]][: n // 2],
            ),
        ):
            for n in levels:
                sessions = sessions_for(pick(n))
                before = _accepted_count()
                point = drive(sessions, _accept, seconds, server)
                # Counted in PostgreSQL; includes the one warm-up request per clerk.
                point["accepted_in_database_with_warmup"] = _accepted_count() - before
                points.setdefault(name, []).append(point)

        home = [Session().login("clerk") for _ in range(top)]
        points["home"] = [
            drive(home[:n], lambda s, i: s.get("/")[0] == 200, seconds, server) for n in levels
        ]

        number, digits = _status_target()

        def lookup(s: Session, _i: int) -> bool:
            return s.post("/status/", {"number": number, "digits": digits})[0] == 200

        for name, ip in (
            ("status_one_address", lambda k: "198.51.100.1"),
            ("status_many_addresses", lambda k: f"198.51.100.{k + 10}"),
        ):
            citizens = [Session(ip=ip(k)) for k in range(top)]
            points[name] = [drive(citizens[:n], lookup, seconds, server) for n in levels]

        officer = [Session().login("ga_officer") for _ in range(top)]
        tasks = _claimable_task_ids(100_000)
        lock = threading.Lock()

        from workflows.tasks.steps import APPROVE

        def claim_complete(s: Session, _i: int) -> bool:
            with lock:
                if not tasks:
                    return False
                task = tasks.pop()
            claimed = s.post(f"/tasks/{task}/claim/", {})[0] == 302
            done = s.post(f"/tasks/{task}/", {"step-outcome": APPROVE, "step-reason": "材料齐全"})
            return claimed and done[0] == 302

        points["claim_complete"] = [
            drive(officer[:n], claim_complete, seconds, server) for n in levels
        ]
        supervisor = [Session().login("supervisor") for _ in range(top)]
        points["overdue"] = [
            drive(
                supervisor[:n],
                lambda s, i: s.get("/supervision/overdue/")[0] == 200,
                seconds,
                server,
            )
            for n in levels
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    # The same home page with the menu's badges counted on every request (no cache):
    # what a person sees first, or after ONEWINDOW_NAV_BADGE_SECONDS.
    server = start_server(ONEWINDOW_NAV_BADGE_SECONDS="0")
    try:
        home = [Session().login("clerk") for _ in range(top)]
        points["home_badges_counted"] = [
            drive(home[:n], lambda s, i: s.get("/")[0] == 200, seconds, server) for n in levels
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    # Intake + accept again with psycopg's prepared statements (DB_PREPARE_THRESHOLD=5,
    # docs/operations.md): PostgreSQL then plans each statement once per connection.
    server = start_server(DB_PREPARE_THRESHOLD="5")
    try:
        for n in levels:
            sessions = sessions_for(by_center[centers[0]][:n])
            before = _accepted_count()
            point = drive(sessions, _accept, seconds, server)
            point["accepted_in_database_with_warmup"] = _accepted_count() - before
            points.setdefault("accept_prepared_statements", []).append(point)
        result["points"] = points
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    anchor = raw_orm_anchor(seconds)
    result["raw_orm_anchor"] = anchor
    result["ratio_to_anchor"] = {
        name: round(anchor["per_second_one_process"] / max(p[-1].get("per_second", 0.0), 0.01), 1)
        for name, p in result["points"].items()
    }
    result["load_average_after"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(_ROOT))
    print(json.dumps(run(), ensure_ascii=False, indent=2))
