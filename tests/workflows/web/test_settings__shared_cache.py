"""CACHE_URL names a cache every process shares: sessions and badges are read from it.

Without it the cache is each process's own memory, and sessions stay in the
database only (a sign-out must reach every process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/9"


def _session_engine(cache_url: str | None) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_sessions_come_from_the_cache_only_when_every_process_shares_it() -> None:
    assert _session_engine(None) == "django.contrib.sessions.backends.db"
    assert _session_engine(REDIS) == "django.contrib.sessions.backends.cached_db"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    },
    SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
)
def test_with_redis_a_page_skips_the_session_read_and_a_sign_out_holds(clerk: User) -> None:
    caches["default"].clear()
    browser = Client()
    signed_in = browser.post("/accounts/login/", {"username": "clerk", "password": "pw"})
    assert signed_in.status_code == 302
    browser.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]

    copied = Client()  # the same session cookie in another browser (another process)
    name = settings.SESSION_COOKIE_NAME
    copied.cookies[name] = browser.cookies[name].value
    assert copied.get("/").status_code == 200
    browser.post("/accounts/logout/")
    assert copied.get("/").status_code == 302  # signed out everywhere
