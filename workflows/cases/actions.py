"""What each case-event action is called in a trail: one list for every page that shows one.

Every ``CaseEvent.action`` the code records has a label here
(tests/workflows/cases/test_actions__labels.py reads the recording calls and checks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACTION_LABELS: dict[str, StrOrPromise] = {
    "receive": gettext_lazy("收件"),
    "accept": gettext_lazy("受理"),
    "deem_accept": gettext_lazy("视为受理"),
    "request_correction": gettext_lazy("一次性告知补正"),
    "supplement": gettext_lazy("补正材料"),
    "reject": gettext_lazy("不予受理"),
    "withdraw": gettext_lazy("撤回"),
    "start": gettext_lazy("开始办理"),
    "suspend": gettext_lazy("进入特别程序"),
    "resume": gettext_lazy("特别程序结束"),
    "decide": gettext_lazy("作出决定"),
    "close": gettext_lazy("出件送达"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "refuse_extension": gettext_lazy("不批准延期"),
    "reassign_first_responder": gettext_lazy("改派首问责任人"),
    "recompute_clock": gettext_lazy("重新计算期限"),
    "reveal_personal_data": gettext_lazy("查看完整个人信息"),
    "alert": gettext_lazy("预警亮灯"),
    "print": gettext_lazy("打印文书"),
    "reprint": gettext_lazy("补打文书"),
}


def action_label(action: str) -> str:
    """The words for ``action``; an unknown code is shown as it is, never as a blank."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
