from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "workflows.web"
    label = "web"
    verbose_name = _("工作台")

    def ready(self) -> None:
        """Connect the metrics and logs to Django and Celery, and name the admin for staff."""
        from workflows.web import receivers  # noqa: F401  (connects the receivers)
        from workflows.web.logs import connect_celery
        from workflows.web.observability import register_collectors

        register_collectors()
        connect_celery()

        # The admin is the staff's too: its header names the product, and the
        # login-lockout section (django-axes, which has no zh-Hans) is in words
        # an administrator reads. Axes' own strings are in locale/zh_Hans.
        from django.contrib import admin

        admin.site.site_header = _("一窗通 管理")
        admin.site.site_title = _("一窗通 管理")
        admin.site.index_title = _("系统管理")
        if apps.is_installed("oauth2_provider"):
            apps.get_app_config("oauth2_provider").verbose_name = _("接入系统凭证（OAuth2）")
        if apps.is_installed("axes"):
            apps.get_app_config("axes").verbose_name = _("登录失败锁定")
