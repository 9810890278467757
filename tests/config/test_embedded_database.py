"""Without DATABASE_URL the project runs on an embedded PostgreSQL it starts itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.database import stop_embedded

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_manage_py_starts_the_embedded_server_and_migrates(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ONEWINDOW_VAR_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        # Running it again is safe: the server is found, not started twice.
        check = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.db import connection; c = connection.cursor();"
                " c.execute('select version()'); print(c.fetchone()[0]);"
                " print(connection.settings_dict['HOST'])",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        assert "PostgreSQL" in check.stdout
        assert (tmp_path / "pgdata" / "PG_VERSION").exists()
    finally:
        stop_embedded(tmp_path / "pgdata")
