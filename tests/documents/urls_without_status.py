"""A URLconf without the citizens' status page (the verify page must not break)."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("documents.urls")),
    path("", include("workflows.web.urls")),
]
