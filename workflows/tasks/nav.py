"""Menu entries of the workbench, with counts as badges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from workflows.catalog.roles import CLERK, HEAD, OFFICER, SUPERVISOR
from workflows.tasks import selectors
from workflows.web.nav import NavEntry, register


def _count(selector: Callable[[Any], QuerySet[Any]], request: HttpRequest) -> QuerySet[Any]:
    """The rows the badge counts (the menu counts every badge in one statement)."""
    return selector(request.user)


def register_entries() -> None:
    """Add 待领取 / 我的待办 / 已办 / 待出件 / 在办 / 延期审批 to the main menu."""
    register(
        NavEntry(
            label=_("待领取"),
            url_name="tasks:queue",
            roles=(OFFICER, HEAD),
            order=30,
            accesskey="q",
            badge=lambda r: _count(selectors.queue_for, r),
        )
    )
    register(
        NavEntry(
            label=_("我的待办"),
            url_name="tasks:inbox",
            roles=(OFFICER, HEAD),
            order=31,
            accesskey="i",
            badge=lambda r: _count(selectors.inbox_for, r),
        )
    )
    register(
        NavEntry(
            label=_("待出件"),
            url_name="tasks:delivery",
            roles=(CLERK,),
            order=32,
            accesskey="d",
            badge=lambda r: _count(selectors.delivery_for, r),
        )
    )
    register(
        NavEntry(
            label=_("已办"),
            url_name="tasks:archive",
            roles=(OFFICER, HEAD, CLERK),
            order=33,
            accesskey="a",
        )
    )
    register(
        NavEntry(
            label=_("在办任务"),
            url_name="tasks:open",
            roles=(HEAD, SUPERVISOR),
            order=34,
            accesskey="o",
        )
    )
    register(
        NavEntry(
            label=_("延期审批"),
            url_name="tasks:extensions",
            roles=(HEAD,),
            order=35,
            accesskey="e",
            badge=lambda r: _count(selectors.pending_extensions_for, r),
        )
    )
