"""The citizens' rating pages, mounted at /rate/ without a namespace (no login)."""

from django.urls import path

from workflows.rating import public_views

urlpatterns = [
    path("", public_views.enter, name="rating_enter"),
    path("c/<str:code>", public_views.by_code, name="rating_code"),
    path("s/<str:code>", public_views.by_sms, name="rating_sms"),
    path("t/<str:token>", public_views.by_token, name="rating_token"),
]
