"""Settings for pytest."""

from config.settings.base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
MEDIA_ROOT = VAR_DIR / "test-media"
# Tests log in with client.login(), which passes no request to the backends;
# the lockout itself is tested with AXES_ENABLED switched back on.
AXES_ENABLED = False
# Parallel sessions (or helpers) can keep their own test database apart.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_onewindow")}
ONEWINDOW_AUDIT_CHECKPOINT_DIR = str(
    VAR_DIR / "test-audit-checkpoints" / env("TEST_DATABASE_NAME", default="test_onewindow")
)
# The test client talks to the application directly: no proxy in front.
FIRSTQUESTION_DIRECT_CLIENTS = True
# Badges counted on every page, so a test sees another person's change at once; the
# cache itself is tested with the setting switched back on (test_nav__badges.py).
ONEWINDOW_NAV_BADGE_SECONDS = 0
