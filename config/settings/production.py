"""Production settings: every secret and host from the environment, HTTPS only."""

from config.settings.base import *

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# Every receipt's QR code is signed with the keyring's current key; a generated
# development key would make documents unverifiable after a redeploy, so production
# sets ONEWINDOW_SIGNING_KEYS (the ring) or ONEWINDOW_SIGNING_KEY (one key), and
# refuses to start without a current key (check documents.E002).
ONEWINDOW_SIGNING_KEYS = env("ONEWINDOW_SIGNING_KEYS", default="")
ONEWINDOW_SIGNING_KEY = env("ONEWINDOW_SIGNING_KEY", default="")
ONEWINDOW_PUBLIC_URL = env("ONEWINDOW_PUBLIC_URL")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# Government intranet hosts are not submitted to browsers' HSTS preload list.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Persistent connections, unless the pool hands them out (DB_POOL, see base.py).
DATABASES["default"]["CONN_MAX_AGE"] = 0 if DB_POOL else env.int("DB_CONN_MAX_AGE", default=600)
# The audit chain's HMAC keys ("id:secret,..."; first signs): a derived development key
# would let anyone with SECRET_KEY's copy recompute the chain, so production sets them.
ONEWINDOW_AUDIT_KEYS = env("ONEWINDOW_AUDIT_KEYS")
# One JSON object per log line in production (ONEWINDOW_LOG_FORMAT=plain to read them by eye).
LOGGING["formatters"]["default"]["kind"] = env("ONEWINDOW_LOG_FORMAT", default="json")  # type: ignore[index]
