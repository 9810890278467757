"""Staff URLs of 好差评 (namespace ``rating``), under /rating/."""

from django.urls import path

from workflows.rating import views

app_name = "rating"

urlpatterns = [
    path("cases/<str:number>/", views.case_panel, name="case"),
    path("invitations/<int:pk>/counter/", views.counter, name="counter"),
    path("invitations/<int:pk>/sms/", views.send_sms, name="sms"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("statistics/", views.statistics, name="statistics"),
]
