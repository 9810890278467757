"""Settings for pytest."""

from config.settings.base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
MEDIA_ROOT = VAR_DIR / "test-media"
# Parallel sessions (or helpers) can keep their own test database apart.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_onewindow")}
