"""Settings shared by every environment; everything secret comes from the environment.

It stays one module (about 450 lines): Django reads one settings module per
environment, and every ``config.settings.*`` environment imports this one whole.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.database import VAR_DIR, database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _generated_secret_key() -> str:
    """A development secret, generated once and kept in var/ (never in the repo)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _generated_signing_key() -> str:
    """A development Ed25519 key for documents' QR codes, generated once into var/."""
    path = VAR_DIR / "signing_key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"signing_key.{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        try:  # link, not rename: two processes starting at once keep the same key
            path.hardlink_to(tmp)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text()


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None) or _generated_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "pgtrigger",
    "viewflow",
    "viewflow.workflow",
    "workflows.catalog",
    "workflows.calendar",
    "workflows.cases",
    "workflows.notifications",
    "workflows.public_security",
    "workflows.social_insurance",
    "workflows.medical_insurance",
    "workflows.civil_affairs",
    "workflows.health",
    "workflows.tax",
    "workflows.combined",
    "workflows.tasks",
    "workflows.window",
    "workflows.supervision",
    "workflows.firstquestion",
    "documents",
    "workflows.web",
    "workflows.dashboard",
    "workflows.rating",
    "workflows.hall",
    "workflows.privacy",
]
# Platform (#16): the public guide, the REST API and data sharing.
INSTALLED_APPS += ["django.contrib.postgres", "workflows.guide"]
INSTALLED_APPS += [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "workflows.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "workflows.web.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workflows.web.middleware.ConflictMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.web.context_processors.workbench",
            ],
        },
    }
]

DATABASES = {"default": env.db_url_config(database_url())}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Connection handling (issue 17, docs/operations.md "Connections"). DB_POOL=true: Django's
# psycopg pool per process (DB_POOL_MIN_SIZE / DB_POOL_MAX_SIZE connections, a request
# waits at most DB_POOL_TIMEOUT seconds for one); a pooled connection is returned at the
# end of each request, so CONN_MAX_AGE is 0. DB_PREPARE_THRESHOLD=N: server-side binding
# and psycopg's prepared statements after N runs of a statement on a connection (unset:
# neither, Django's default, which PgBouncer in transaction mode needs unless it is 1.21+
# with max_prepared_statements). Every lock the code takes is transaction-scoped
# (SET LOCAL lock_timeout, pg_advisory_xact_lock), so both are safe under a pool and
# under PgBouncer's transaction mode (tests/workflows/web/test_settings__pooled_connections.py).
DB_POOL = env.bool("DB_POOL", default=False)
DB_PREPARE_THRESHOLD = env.int("DB_PREPARE_THRESHOLD", default=None)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
if DB_POOL:
    _db_options["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=4),
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DB_PREPARE_THRESHOLD is not None:
    _db_options["server_side_binding"] = True
    _db_options["prepare_threshold"] = DB_PREPARE_THRESHOLD
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the staff profile and roles read with the user (issue 17).
    "workflows.catalog.backends.StaffBackend",
]
# 等保 2.0 登录失败处理: lock an account after 5 failed logins for 15 minutes
# (assessors expect ≤ 5 attempts and 10–30 minutes); a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# By account, as 等保 asks: a center's clerks share one NAT address, so locking by
# IP would lock a whole center out after one person's typos (hence axes.W006 off).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# 等保 practice: idle sessions end after 30 minutes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Renewed at most once a minute by SlidingSessionMiddleware (issue 18), not on
# every request (a second transaction per POST).
SESSION_SAVE_EVERY_REQUEST = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
# Background work goes to Celery only when explicitly switched on; otherwise
# the management commands (sweep_deadlines, render_documents) do it.
ONEWINDOW_USE_CELERY = env.bool("ONEWINDOW_USE_CELERY", default=False)
# Channels besides in-app notifications for escalations and referrals: "email", "sms".
ONEWINDOW_NOTIFY_CHANNELS = env.list("ONEWINDOW_NOTIFY_CHANNELS", default=[])
# Celery beat (scaled setup): the deadline sweep every minute, the same code as
# `manage.py sweep_deadlines`; overlapping runs queue on its advisory lock.
CELERY_BEAT_SCHEDULE = {
    "supervision-sweep-deadlines": {
        "task": "supervision.sweep_deadlines",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The dashboard's figures for every scope; the 23:55 run records each day's close.
    "dashboard-refresh": {
        "task": "dashboard.refresh",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "dashboard-close-of-day": {
        "task": "dashboard.refresh",
        "schedule": crontab(hour=23, minute=55),
    },
}
# Documents: the Ed25519 keyring that signs every document's QR code, the audit
# checkpoints and the rating pushes (documents/keyring.py, docs/operations.md):
# ONEWINDOW_SIGNING_KEYS is a JSON list of {"private"|"public", "valid_from",
# "revoked_at", "reason"} entries; ONEWINDOW_SIGNING_KEY (PEM or base64 of the raw 32
# bytes) is the pre-rotation key, valid since always. With neither, a development key is
# generated into var/. A warning (documents.W002) when the current key is older than
# ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS (0: never). Also the public address in the QR code.
ONEWINDOW_SIGNING_KEYS = env("ONEWINDOW_SIGNING_KEYS", default="")
ONEWINDOW_SIGNING_KEY = env("ONEWINDOW_SIGNING_KEY", default=None) or (
    "" if ONEWINDOW_SIGNING_KEYS else _generated_signing_key()
)
ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS = env.int("ONEWINDOW_SIGNING_KEY_MAX_AGE_DAYS", default=730)
ONEWINDOW_PUBLIC_URL = env("ONEWINDOW_PUBLIC_URL", default="http://127.0.0.1:8000")

VIEWFLOW = {"AUTOREGISTER": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "weasyprint": {"handlers": ["console"], "level": "WARNING"},
        "fontTools": {"level": "ERROR"},
        "workflows": {"handlers": ["console"], "level": "INFO"},
        "documents": {"handlers": ["console"], "level": "INFO"},
    },
}

# 首问负责制 (docs/first-question.md): how long a referral may wait for its
# acknowledgement (working minutes inside office hours).
FIRSTQUESTION_ACK_MINUTES = env.int("FIRSTQUESTION_ACK_MINUTES", default=60)
# The public look-ups' one limiter (workflows.web.limits, docs/limits.md): the status page,
# the rating page's digits and the booking look-up. Per target (case number, booking
# reference): this many wrong guesses within the memory lock it for LOCK seconds after the
# last one, doubling with every further round, up to LOCK_MAX. Per address: this many wrong
# guesses within the window slow it down until the oldest leaves the window.
LOOKUP_WRONG_PER_TARGET = env.int("LOOKUP_WRONG_PER_TARGET", default=5)
LOOKUP_TARGET_LOCK_SECONDS = env.int("LOOKUP_TARGET_LOCK_SECONDS", default=300)
LOOKUP_TARGET_LOCK_MAX_SECONDS = env.int("LOOKUP_TARGET_LOCK_MAX_SECONDS", default=3600)
LOOKUP_TARGET_MEMORY_HOURS = env.int("LOOKUP_TARGET_MEMORY_HOURS", default=24)
LOOKUP_WRONG_PER_ADDRESS = env.int("LOOKUP_WRONG_PER_ADDRESS", default=20)
LOOKUP_ADDRESS_WINDOW_SECONDS = env.int("LOOKUP_ADDRESS_WINDOW_SECONDS", default=60)
# Behind a trusted reverse proxy, the header holding the client's address (e.g.
# HTTP_X_REAL_IP); empty means REMOTE_ADDR.
FIRSTQUESTION_CLIENT_IP_HEADER = env("FIRSTQUESTION_CLIENT_IP_HEADER", default="")

# Dashboard: the on-time rate the county aims at, drawn as the target line ([示例]: set it
# to the county's own figure).
ONEWINDOW_ON_TIME_TARGET = env.float("ONEWINDOW_ON_TIME_TARGET", default=0.95)
# Where the compact document faces live; unset: the machine's shared cache
# (~/.cache/onewindow/fonts/v<version>, see documents/fonts.py).
ONEWINDOW_FONT_DIR = env("ONEWINDOW_FONT_DIR", default=None)
# Audit trail (issue #13). The keyed hash chain's HMAC keys: "id:secret" pairs, comma
# separated, the FIRST one signs new events, the others are retired keys that only verify.
# The database never holds them. Development derives one key from SECRET_KEY; production
# must set ONEWINDOW_AUDIT_KEYS. Signed checkpoints of every case's chain head are written
# outside the database, to ONEWINDOW_AUDIT_CHECKPOINT_DIR (docs/operations.md).
ONEWINDOW_AUDIT_KEYS = env("ONEWINDOW_AUDIT_KEYS", default=None) or (
    "dev1:" + hashlib.sha256(("audit:" + SECRET_KEY).encode()).hexdigest()
)
ONEWINDOW_AUDIT_CHECKPOINT_DIR = env(
    "ONEWINDOW_AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit-checkpoints")
)
# 好差评 (workflows/rating, docs/rating.md): configurable per deployment (province).
RATING_DEFAULT_DAYS = env.int("RATING_DEFAULT_DAYS", default=7)  # natural days, then 基本满意
RATING_DEFAULT_LEVEL = env.int("RATING_DEFAULT_LEVEL", default=3)  # 3 = 基本满意 (Guangdong)
RATING_REVISE_HOURS = env.int("RATING_REVISE_HOURS", default=24)  # a new rating replaces the old
RATING_CALL_BACK_WORKING_DAYS = env.int("RATING_CALL_BACK_WORKING_DAYS", default=1)
RATING_RECTIFY_WORKING_DAYS = env.int("RATING_RECTIFY_WORKING_DAYS", default=5)
RATING_RERATE_DAYS = env.int("RATING_RERATE_DAYS", default=7)  # after the feedback
# Item kinds also rated after acceptance (Guangxi: every 承诺件), unless set per item.
RATING_ACCEPTANCE_ITEM_KINDS = env.list("RATING_ACCEPTANCE_ITEM_KINDS", default=[])
ONEWINDOW_RATING_PUSH_URL = env("ONEWINDOW_RATING_PUSH_URL", default="")
RATING_PUSH_TIMEOUT_SECONDS = env.float("RATING_PUSH_TIMEOUT_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE["rating-push"] = {
    "task": "rating.push",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# 预约办理 / 排队叫号 (workflows.hall, docs/hall.md)
HALL_BOOKING_DAYS_AHEAD = env.int("HALL_BOOKING_DAYS_AHEAD", default=5)
HALL_BOOKING_CUTOFF_MINUTES = env.int("HALL_BOOKING_CUTOFF_MINUTES", default=10)
HALL_NO_SHOW_MINUTES = env.int("HALL_NO_SHOW_MINUTES", default=30)
HALL_MAX_LIVE_BOOKINGS_PER_PHONE = env.int("HALL_MAX_LIVE_BOOKINGS_PER_PHONE", default=3)
HALL_MAX_BOOKINGS_PER_IP_PER_DAY = env.int("HALL_MAX_BOOKINGS_PER_IP_PER_DAY", default=10)
# Public look-ups (issue 18): in production the client's address must be known: set
# FIRSTQUESTION_CLIENT_IP_HEADER behind a proxy, or FIRSTQUESTION_DIRECT_CLIENTS=true
# without one (check firstquestion.E001).
FIRSTQUESTION_DIRECT_CLIENTS = env.bool("FIRSTQUESTION_DIRECT_CLIENTS", default=False)

# The menu's badge counts are kept this many seconds per person (issue 17;
# workflows/web/nav.py): a person's own changes show at once (NavBadgeMiddleware
# renews the cookie they are keyed by), other people's within these seconds.
# 0: counted on every page. The cache is each process's own memory unless
# CACHE_URL names a shared one (redis://…).
ONEWINDOW_NAV_BADGE_SECONDS = env.int("ONEWINDOW_NAV_BADGE_SECONDS", default=15)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://onewindow")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 10_000}
else:
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # Django's, keeping one redis client per pool (a new one per call costs ~0.4 ms).
        CACHES["default"]["BACKEND"] = "workflows.web.cache.SharedRedisCache"
    # A cache every process shares (CACHE_URL=redis://…): sessions are read from it
    # and written through to the database, one statement less on every page. Never
    # with the per-process memory: a sign-out there would not reach the other processes.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "workflows.web.middleware.NavBadgeMiddleware",
)

# Sliding 30-minute sessions without a write per request (issue 18).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "workflows.web.middleware.SlidingSessionMiddleware",
)

# Prometheus metrics (issue 17, workflows/web/observability.py): request and
# response metrics by django-prometheus, around every other middleware (axes
# stays last); /metrics answers only these addresses (the monitoring hosts).
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)
ONEWINDOW_METRICS_ALLOWED_IPS = env.list(
    "ONEWINDOW_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"]
)

# Logs (issue 17, workflows/web/logs.py): one JSON object per line with the
# request id when ONEWINDOW_LOG_FORMAT=json (production's default), readable
# lines otherwise; the request id comes from X-Request-ID or is made here.
LOGGING["formatters"] = {
    "default": {
        "()": "workflows.web.logs.make_formatter",
        "kind": env("ONEWINDOW_LOG_FORMAT", default="plain"),
    }
}
LOGGING["handlers"]["console"]["formatter"] = "default"  # type: ignore[index]
MIDDLEWARE.insert(1, "workflows.web.logs.RequestIdMiddleware")
# ---------------------------------------------------------------- REST API (#16)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["workflows.api.auth.SystemAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["workflows.api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["workflows.api.auth.ClientRateThrottle"],
    "EXCEPTION_HANDLER": "workflows.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OneWindow API",
    "DESCRIPTION": "一窗通对接接口 / OneWindow REST API v1 — see docs/api.md",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workflows.api.schema.add_problem_responses",
    ],
}
# OAuth2 client credentials for systems (django-oauth-toolkit): tokens live one hour.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "catalog:read": "catalogue",
        "applications:write": "online applications",
        "cases:read": "cases and documents",
        "webhooks": "webhook subscriptions",
        "ratings:read": "ratings and rectifications",
        "bookings:read": "bookings and free slots",
        "bookings:write": "bookings for citizens",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("ONEWINDOW_API_TOKEN_SECONDS", default=3600),
}
# Requests per system per period (DRF rate syntax), and the largest uploaded material.
ONEWINDOW_API_RATE = env("ONEWINDOW_API_RATE", default="600/min")
ONEWINDOW_API_MAX_UPLOAD_BYTES = env.int("ONEWINDOW_API_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"] = "workflows.api.oauth.ScopedValidator"
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# One set of zh-Hans error pages (#10): CSRF failures get the site's 403 page too.
CSRF_FAILURE_VIEW = "workflows.web.views.csrf_failure"
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "workflows.web.middleware.ErrorPageMiddleware",
)

# ---------------------------------------------------------------- browser hardening (#13)
# Content-Security-Policy by django-csp 4: only the site's own scripts, styles,
# fonts and XHR; no inline code anywhere (every page's scripts and styles are
# static files, which tests/e2e/test_csp__pages.py checks in Chromium). Images
# may be data: URIs (the QR codes and the Swagger UI's icons). Pages that
# a third party renders with inline code get a per-view policy (workflows/api/urls.py).
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy on every response, Cache-Control: no-store on every
# response to a signed-in user and on /status/ and /verify/ (personal data).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "workflows.web.middleware.PrivacyHeadersMiddleware",
)

# Retention of the security logs (网络安全法 第二十一条, workflows.privacy, docs/operations.md):
# public look-ups and login attempts are kept this many days (at least 180: system check
# privacy.E001), then purged daily by `manage.py purge_retained` / Celery beat.
RETENTION_LOOKUP_DAYS = env.int("RETENTION_LOOKUP_DAYS", default=180)
RETENTION_LOGIN_DAYS = env.int("RETENTION_LOGIN_DAYS", default=180)
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login is kept in the log above
CELERY_BEAT_SCHEDULE["privacy-purge-retained"] = {
    "task": "privacy.purge_retained",
    "schedule": 24 * 60 * 60.0,
    "options": {"expires": 60 * 60},
}
