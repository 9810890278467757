from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialInsuranceConfig(AppConfig):
    name = "workflows.social_insurance"
    label = "social_insurance"
    verbose_name = _("人社")
