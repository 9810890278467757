from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSecurityConfig(AppConfig):
    name = "workflows.public_security"
    label = "public_security"
    verbose_name = _("公安")
