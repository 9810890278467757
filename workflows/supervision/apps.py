"""效能督查: the deadline sweep, escalations (督办) and the supervisor's desk."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "workflows.supervision"
    label = "supervision"
    verbose_name = _("效能督查")

    def ready(self) -> None:
        from workflows.catalog.roles import HEAD, SUPERVISOR
        from workflows.supervision.selectors.escalations import unanswered_badge_rows
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("督查台"),
                url_name="supervision:overdue",
                roles=(SUPERVISOR, HEAD),
                order=60,
                accesskey="s",
            )
        )
        register(
            NavEntry(
                label=_("督办事项"),
                url_name="supervision:escalations",
                roles=(SUPERVISOR, HEAD),
                order=61,
                accesskey="d",
                badge=lambda request: unanswered_badge_rows(request.user),
            )
        )
