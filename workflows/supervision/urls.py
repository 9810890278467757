"""URLs of workflows.supervision (namespace ``supervision``), mounted at /supervision/."""

from django.urls import path

from workflows.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("overdue/", views.overdue, name="overdue"),
    path("due-soon/", views.due_soon, name="due_soon"),
    path("statistics/", views.statistics, name="statistics"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path(
        "escalations/<int:pk>/follow-up/",
        views.escalation_follow_up,
        name="escalation_follow_up",
    ),
    path("escalations/<int:pk>/respond/", views.escalation_respond, name="escalation_respond"),
    path("cases/<str:number>/trail/", views.case_trail, name="case_trail"),
]
