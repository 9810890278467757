"""URLs of workflows.window (namespace ``window``), mounted at /window/."""

from django.urls import path

from workflows.window import views

app_name = "window"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.choose_item, name="choose_item"),
    path("new/<str:code>/", views.intake, name="intake"),
    path("cases/<str:number>/", views.case_detail, name="case_detail"),
    path("cases/<str:number>/outcome/", views.outcome, name="outcome"),
    path("cases/<str:number>/review/", views.review, name="review"),
    path("cases/<str:number>/supplement/", views.supplement, name="supplement"),
    path("cases/<str:number>/decide/", views.decide, name="decide"),
    path("cases/<str:number>/deliver/", views.deliver, name="deliver"),
    path("cases/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("cases/<str:number>/reveal/", views.reveal, name="reveal"),
]
