"""Pages of the staff workbench."""

from django.contrib.auth import views as auth_views
from django.urls import path

from workflows.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        views.StaffLoginView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
