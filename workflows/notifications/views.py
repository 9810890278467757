"""My notifications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workflows.notifications.selectors import notifications_for
from workflows.notifications.services import notification_mark_read


def inbox(request: HttpRequest) -> HttpResponse:
    """The current user's notifications, newest first."""
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one or all of my notifications as read."""
    ids = request.POST.getlist("id")
    if request.user.pk is None:  # the login middleware lets no anonymous POST through
        raise PermissionDenied
    notification_mark_read(
        user_id=request.user.pk, ids=[int(i) for i in ids if i.isascii() and i.isdigit()] or None
    )
    return redirect("notifications:inbox")
