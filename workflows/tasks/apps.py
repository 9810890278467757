from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "workflows.tasks"
    label = "tasks"
    verbose_name = _("部门待办")

    def ready(self) -> None:
        from workflows.tasks import nav

        nav.register_entries()
