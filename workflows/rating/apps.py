"""好差评: citizens rate every service; every bad review is put right on a clock."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _open_badge(request: HttpRequest) -> QuerySet[Any]:
    """Open rectifications assigned to me (as head or first responder)."""
    from workflows.rating.selectors import open_rectifications_for

    return open_rectifications_for(request.user)


class RatingConfig(AppConfig):
    name = "workflows.rating"
    label = "rating"
    verbose_name = _("好差评")

    def ready(self) -> None:
        """Connect the receivers, print the invitation on the completion notice, add the menu."""
        from documents.content import register_contributor
        from documents.models import DocumentKind
        from workflows.catalog.roles import HEAD, SUPERVISOR
        from workflows.rating import receivers
        from workflows.web.nav import NavEntry, register

        register_contributor(
            DocumentKind.COMPLETION, "rating", receivers.completion_notice_invitation
        )
        register(
            NavEntry(
                label=_("好差评"),
                url_name="rating:rectifications",
                roles=(),
                everyone=True,
                order=40,
                badge=_open_badge,
            )
        )
        register(
            NavEntry(
                label=_("好差评统计"),
                url_name="rating:statistics",
                roles=(SUPERVISOR, HEAD),
                order=41,
            )
        )
