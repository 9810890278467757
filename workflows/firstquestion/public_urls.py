"""The citizens' public status page (no login), mounted at /status/ without a namespace.

Its name is ``status``: the receipts' verify page links to ``reverse("status")``
with ``?number=<case number>``, which prefills the form.
"""

from django.urls import path

from workflows.firstquestion import public_views

urlpatterns = [
    path("", public_views.status, name="status"),
]
