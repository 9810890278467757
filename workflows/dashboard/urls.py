"""URLs of workflows.dashboard (namespace ``dashboard``), mounted at /dashboard/."""

from django.urls import path

from workflows.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("wall/", views.wall, name="wall"),
]
