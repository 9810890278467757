"""What each case-event action is called in a trail: one vocabulary for every page that shows one.

Every ``CaseEvent.action`` the code records has a label here
(tests/workflows/cases/test_actions__labels.py reads the recording calls and checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CaseAction(models.TextChoices):
    """The vocabulary of ``CaseEvent.action``: each code and the words a trail shows for it."""

    RECEIVE = "receive", gettext_lazy("收件")
    ACCEPT = "accept", gettext_lazy("受理")
    DEEM_ACCEPT = "deem_accept", gettext_lazy("视为受理")
    REQUEST_CORRECTION = "request_correction", gettext_lazy("一次性告知补正")
    SUPPLEMENT = "supplement", gettext_lazy("补正材料")
    REJECT = "reject", gettext_lazy("不予受理")
    WITHDRAW = "withdraw", gettext_lazy("撤回")
    START = "start", gettext_lazy("开始办理")
    SUSPEND = "suspend", gettext_lazy("进入特别程序")
    RESUME = "resume", gettext_lazy("特别程序结束")
    DECIDE = "decide", gettext_lazy("作出决定")
    CLOSE = "close", gettext_lazy("出件送达")
    REQUEST_EXTENSION = "request_extension", gettext_lazy("申请延期")
    APPROVE_EXTENSION = "approve_extension", gettext_lazy("批准延期")
    REFUSE_EXTENSION = "refuse_extension", gettext_lazy("不批准延期")
    REASSIGN_FIRST_RESPONDER = "reassign_first_responder", gettext_lazy("改派首问责任人")
    RECOMPUTE_CLOCK = "recompute_clock", gettext_lazy("重新计算期限")
    REVEAL_PERSONAL_DATA = "reveal_personal_data", gettext_lazy("查看完整个人信息")
    ALERT = "alert", gettext_lazy("预警亮灯")
    PRINT = "print", gettext_lazy("打印文书")
    REPRINT = "reprint", gettext_lazy("补打文书")


# The one label table, derived from the vocabulary (no second copy anywhere).
ACTION_LABELS: dict[str, StrOrPromise] = {a.value: a.label for a in CaseAction}


def action_label(action: str) -> str:
    """The words for ``action``; an unknown code is shown as it is, never as a blank."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
