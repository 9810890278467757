from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilAffairsConfig(AppConfig):
    name = "workflows.civil_affairs"
    label = "civil_affairs"
    verbose_name = _("民政")
