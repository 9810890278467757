"""The workbench home: what each role does first; the CSRF failure page."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login."""
    return render(request, "web/home.html")


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the site's 403 page with what to do, not Django's English page."""
    message = _(
        "页面已过期或无法确认表单来自本站，操作没有完成。请返回上一页，刷新后重新提交；"
        "如仍不行，请确认浏览器允许本站的 Cookie。"
    )
    return render(request, "403.html", {"message": message}, status=403)
