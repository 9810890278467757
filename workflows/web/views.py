"""The workbench home: what each role does first; the login and the CSRF failure page."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
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


class StaffLoginView(auth_views.LoginView):
    """The staff login; before the last attempt it warns that the account will lock."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        context = self.get_context_data(form=form)
        username = self.request.POST.get("username", "")
        if settings.AXES_ENABLED and username:
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            left = settings.AXES_FAILURE_LIMIT - failures
            if left == 1:
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                context["lock_warning"] = _(
                    "请注意：再输错一次，该账号将被锁定 %(minutes)d 分钟。"
                    "忘记密码请联系系统管理员重置。"
                ) % {"minutes": minutes}
        return self.render_to_response(context)
