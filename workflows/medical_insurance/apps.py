from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicalInsuranceConfig(AppConfig):
    name = "workflows.medical_insurance"
    label = "medical_insurance"
    verbose_name = _("医保")
