from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "workflows.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from workflows.notifications.selectors import unread
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("消息"),
                url_name="notifications:inbox",
                roles=(),
                everyone=True,
                order=90,
                badge=lambda request: unread(request.user.pk) if request.user.pk else None,
            )
        )
