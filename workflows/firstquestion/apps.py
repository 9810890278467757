"""首问负责: consultations, referrals, 我的首问 and the citizens' status page."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _attention_badge(request: HttpRequest) -> tuple[QuerySet[Any], ...]:
    """Things I am accountable for that turned yellow/red or came back since I looked."""
    from workflows.firstquestion.selectors.mine import attention_rows

    return attention_rows(request.user)


def _referral_badge(request: HttpRequest) -> QuerySet[Any] | None:
    """Referrals waiting for my (my department's, my window's) acknowledgement."""
    from workflows.firstquestion.selectors.visibility import pending_referrals

    return pending_referrals(request.user)


class FirstQuestionConfig(AppConfig):
    name = "workflows.firstquestion"
    label = "firstquestion"
    verbose_name = _("首问负责")

    def ready(self) -> None:
        """Connect the decision receiver; put 我的首问, 咨询登记 and 转办 in everyone's menu."""
        from workflows.firstquestion import checks, receivers  # noqa: F401  (registers them)
        from workflows.web.nav import NavEntry, register

        register(
            NavEntry(
                label=_("我的首问"),
                url_name="firstquestion:mine",
                roles=(),
                everyone=True,
                order=20,
                accesskey="f",
                badge=_attention_badge,
            )
        )
        register(
            NavEntry(
                label=_("咨询登记"),
                url_name="firstquestion:log",
                roles=(),
                everyone=True,
                order=21,
                accesskey="c",
            )
        )
        register(
            NavEntry(
                label=_("转办"),
                url_name="firstquestion:referrals",
                roles=(),
                everyone=True,
                order=22,
                accesskey="r",
                badge=_referral_badge,
            )
        )
