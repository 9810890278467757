"""URL configuration: one prefix per app, each app owns its urls.py."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch works for everyone, logged in or not (citizens use it too).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("window/", include("workflows.window.urls")),
    path("tasks/", include("workflows.tasks.urls")),
    path("combined/", include("workflows.combined.urls")),
    path("supervision/", include("workflows.supervision.urls")),
    path("first-question/", include("workflows.firstquestion.urls")),
    path("dashboard/", include("workflows.dashboard.urls")),
    path("notifications/", include("workflows.notifications.urls")),
    path("status/", include("workflows.firstquestion.public_urls")),  # citizens, no login
    path("rating/", include("workflows.rating.urls")),
    path("rate/", include("workflows.rating.public_urls")),  # citizens, no login
    path("hall/", include("workflows.hall.urls")),  # booking, kiosk, display: no login
    path("guide/", include("workflows.guide.urls")),  # 办事指南, public, no login
    path("api/v1/", include("workflows.api.urls")),  # REST API for other systems
    path("", include("documents.urls")),  # /verify/<token>, /documents/...
    path("", include("workflows.web.urls")),  # home, login, public status page
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Watched in production (issue 17): liveness, readiness and Prometheus metrics.
from workflows.web import observability  # noqa: E402

urlpatterns += [
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("metrics", observability.metrics, name="prometheus-metrics"),
]
# 400: our own message for refused input, never an exception's text (workflows/web/bad_request.py).
handler400 = "workflows.web.bad_request.bad_request"
