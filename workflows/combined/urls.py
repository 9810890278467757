"""URLs of workflows.combined (namespace ``combined``)."""

from django.urls import path

from workflows.combined import views

app_name = "combined"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:code>/", views.intake, name="intake"),
    path("cases/<str:number>/", views.progress, name="progress"),
    path("cases/<str:number>/supplement/", views.supplement, name="supplement"),
    path("cases/<str:number>/accept/", views.accept, name="accept"),
]
