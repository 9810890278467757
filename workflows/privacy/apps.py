from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "workflows.privacy"
    label = "privacy"
    verbose_name = _("个人信息与日志留存")

    def ready(self) -> None:
        """Register the retention check."""
        from workflows.privacy import checks  # noqa: F401  (registers the check)
