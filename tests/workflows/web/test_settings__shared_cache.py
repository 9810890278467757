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

from workflows.web.cache import SharedRedisCache

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/9"


def _setting(cache_url: str | None, expression: str = "settings.SESSION_ENGINE") -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    done = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expression})"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_sessions_come_from_the_cache_only_when_every_process_shares_it() -> None:
    assert _setting(None) == "django.contrib.sessions.backends.db"
    assert _setting(REDIS) == "django.contrib.sessions.backends.cached_db"


def test_a_redis_cache_keeps_one_client_for_all_its_calls() -> None:
    backend = 'settings.CACHES["default"]["BACKEND"]'
    assert _setting(REDIS, backend) == "workflows.web.cache.SharedRedisCache"
    cache = SharedRedisCache(REDIS, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})

    cache.set("seen", {"badge": 3})

    assert cache.get("seen") == {"badge": 3}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("seen")


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "workflows.web.cache.SharedRedisCache",
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
