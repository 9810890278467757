"""The public guide: /guide/, /guide/<code>/, /guide/<code>/checklist.pdf (no login)."""

from django.urls import path

from workflows.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/checklist.pdf", views.checklist, name="checklist"),
]
