"""PostgreSQL restarted under load: nothing lost, nothing done twice, the next run finishes.

The test starts a PostgreSQL server of its own (``initdb`` into a temporary
directory, on a free loopback port; as the ``postgres`` system user when run
as root, since initdb refuses root), migrates a database there and runs the
application against it in a separate process (tests/hardening/pg_restart_driver.py):
two window threads receiving and accepting cases, a renderer and a sweeper.
In the middle the server is stopped in ``immediate`` mode (a crash: every
connection cut, the in-flight transactions lost, recovery from the WAL at the
next start) and started again. The machine's shared server is never touched.

Afterwards: every case whose intake committed is there; case numbers and
receipt numbers are unique and gapless; the next ``render_documents`` renders
every receipt once; every escalation exists once and the next sweeps add none.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BINDIRS = [Path("/usr/lib/postgresql/15/bin")]


def bindir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` are: ``pg_config --bindir``, else Debian's path."""
    candidates = list(BINDIRS)
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.insert(0, Path(found.stdout.strip()))
    for path in candidates:
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    pytest.fail("PostgreSQL's server binaries are not installed: run scripts/system-deps.sh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A throwaway PostgreSQL cluster in a temporary directory."""

    home: Path
    port: int
    bin: Path = field(default_factory=bindir)

    @property
    def data(self) -> Path:
        return self.home / "data"

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.home, timeout=120)

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.home}'\nmax_connections = 40\n"
                "shared_buffers = 32MB\nfsync = on\n"
            )

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.home / "log"), "-w", "start")

    def stop(self, mode: str) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def server() -> Iterator[Server]:
    home = Path(tempfile.mkdtemp(prefix="ow-pg-restart-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    pg = Server(home, free_port())
    pg.init()
    pg.start()
    try:
        yield pg
    finally:
        if (pg.data / "postmaster.pid").exists():
            pg.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


def manage(url: str, *args: str, module: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    command = ["-m", module, *args] if module else [str(ROOT / "manage.py"), *args]
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


class Load:
    """The driver process under load, its output collected line by line."""

    def __init__(self, url: str, stop: Path) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
        self.stop = stop
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hardening.pg_restart_driver", "load", str(stop)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def committed(self) -> list[str]:
        return [line.split()[1] for line in list(self.lines) if line.startswith("ok ")]

    def wait_for(self, count: int) -> None:
        """Until ``count`` intakes committed (bounded: a stuck driver fails, it doesn't hang)."""
        for _ in range(1800):
            if len(self.committed()) >= count or self.process.poll() is not None:
                break
            time.sleep(0.1)
        assert len(self.committed()) >= count, "\n".join(self.lines[-40:])

    def finish(self) -> None:
        self.stop.touch()
        self.process.wait(120)
        self.reader.join(10)
        assert self.process.returncode == 0, "\n".join(self.lines[-40:])


SERIAL = re.compile(r"-(\d+)$")


def test_a_postgresql_restart_under_load_loses_nothing_and_the_next_run_finishes(
    server: Server,
) -> None:
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE onewindow_restart")
    url = server.url("onewindow_restart")
    manage(url, "migrate", "--noinput")
    manage(url, "world", module="tests.hardening.pg_restart_driver")

    load = Load(url, stop=server.home / "stop-load")
    load.wait_for(6)
    server.stop("immediate")  # a crash: connections cut, in-flight transactions gone
    time.sleep(1)
    server.start()  # crash recovery from the WAL
    before_restart = len(load.committed())
    load.wait_for(before_restart + 6)  # the windows work again, without a restart of theirs
    load.finish()
    committed = load.committed()
    assert any(line.startswith("fail") for line in load.lines), "the restart cut nothing"
    assert len(committed) > before_restart, "no intake committed after the restart"
    assert len(committed) == len(set(committed))

    # The next runs: the renderer renders what is left, the sweeps have nothing to add.
    manage(url, "render_documents")
    for _ in range(2):
        manage(url, "sweep_deadlines", "--now", "2026-04-01T09:00:00+08:00")

    with psycopg.connect(url) as conn:
        numbers = [row[0] for row in conn.execute("SELECT number FROM cases_case")]
        # Nothing that got a success is lost; nothing is numbered twice; no gap.
        assert set(committed) <= set(numbers)
        assert len(numbers) == len(set(numbers))
        serials = sorted(int(SERIAL.search(n).group(1)) for n in numbers)  # type: ignore[union-attr]
        assert serials == list(range(1, len(serials) + 1))
        accepted = conn.execute(
            "SELECT count(*) FROM cases_case WHERE number = ANY(%s) AND accepted_at IS NOT NULL",
            [committed],
        ).fetchone()
        assert accepted == (len(committed),)

        documents = conn.execute(
            "SELECT organ_key, kind, year, serial FROM documents_document ORDER BY 1, 2, 3, 4"
        ).fetchall()
        by_series: dict[tuple[object, ...], list[int]] = {}
        for organ, kind, year, serial in documents:
            by_series.setdefault((organ, kind, year), []).append(serial)
        for serials in by_series.values():
            assert serials == list(range(1, len(serials) + 1))

        # Every receipt rendered, once; no job left behind.
        states = dict(
            conn.execute("SELECT state, count(*) FROM documents_renderjob GROUP BY state")
        )
        assert states == {"done": len(documents)}
        once = conn.execute(
            "SELECT count(*), count(DISTINCT (document_id, variant)) FROM documents_documentfile"
        ).fetchone()
        assert once is not None
        assert once[0] == once[1] >= len(documents)

        # 4 cases past every deadline: yellow, red and statutory red each exactly once.
        escalations = conn.execute(
            "SELECT count(*), count(DISTINCT (case_id, level)) FROM supervision_escalation"
        ).fetchone()
        assert escalations == (4 * 3, 4 * 3)
