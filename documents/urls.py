"""URLs of documents (verification is public, printing is for staff)."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    # Before verify/<token>: "public-key" and "keys" would otherwise parse as tokens.
    path("verify/public-key", views.public_key, name="public_key"),
    path("verify/keys", views.keys, name="keys"),
    path("verify/<str:token>", views.verify, name="verify"),
    path("documents/<int:pk>/pdf", views.pdf, name="pdf"),
    path("documents/<int:pk>/print", views.print_document, name="print"),
]
