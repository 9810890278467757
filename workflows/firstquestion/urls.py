"""URLs of workflows.firstquestion (namespace ``firstquestion``), mounted at /first-question/."""

from django.urls import path

from workflows.firstquestion import views

app_name = "firstquestion"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("seen/", views.mark_seen, name="mark_seen"),
    path("new/", views.log, name="log"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/refer/", views.consultation_refer, name="refer"),
    path("consultations/<int:pk>/answer/", views.consultation_answer, name="answer"),
    path("consultations/<int:pk>/apply/", views.consultation_apply, name="apply"),
    path("referrals/", views.referrals, name="referrals"),
    path(
        "referrals/<int:pk>/acknowledge/",
        views.referral_acknowledge,
        name="referral_acknowledge",
    ),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("referrals/<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("cases/<str:number>/reassign/", views.reassign, name="reassign"),
]
