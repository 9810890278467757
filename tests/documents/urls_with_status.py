"""A URLconf whose status page takes the case number in its path."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def status(request: HttpRequest, number: str) -> HttpResponse:
    return HttpResponse(number)


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("documents.urls")),
    path("", include("workflows.web.urls")),
    path("status/<str:number>", status, name="status"),
]
