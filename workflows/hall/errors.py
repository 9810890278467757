"""The hall's refusals: each says what is wrong and what to do (zh-Hans, translated)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class HallError(ValueError):
    """A refused booking or queue action; ``str()`` is the message for the person."""

    status_code = 400

    def __init__(self, message: Any, **params: Any) -> None:
        self.message = str(message) % params if params else str(message)
        super().__init__(self.message)


def invalid(exc: ValidationError) -> HallError:
    """A form validator's refusal (an ID number, a mobile number) as the hall's."""
    return HallError(" ".join(str(m) for m in exc.messages))


class HallConflict(HallError):
    status_code = 409


ITEM_NOT_AT_COUNTER = _("该事项不在所选窗口办理，请重新选择事项。")
SLOT_UNAVAILABLE = _("所选时段不可预约（不在开放时间、已截止或超出可预约范围），请另选一个时段。")
SLOT_FULL = _("所选时段已约满，请另选一个时段。")
ONE_LIVE_BOOKING = _(
    "该身份证号已有一个该事项的有效预约（预约号尾号 %(tail)s）；"
    "如需改期，请用预约号改约或取消后重新预约。"
)
PHONE_LIMIT = _("该手机号已有 %(count)d 个有效预约，达到上限；请先办理或取消已有预约。")
IP_LIMIT = _("本网络今天的预约次数已达上限，请明天再试或到大厅现场取号。")
BOOKING_NOT_FOUND = _("没有找到该预约：请核对预约号和手机号（或身份证号）后四位。")
BOOKING_NOT_LIVE = _("该预约当前状态为“%(status)s”，不能再取消或改约。")
BOOKING_STARTED = _("该预约的时段已开始，不能再取消或改约；请按时到大厅取号。")
CHECK_IN_NOT_FOUND = _("没有找到今天在本中心的有效预约：请核对预约号或身份证号，或现场取号。")
CHECK_IN_TOO_EARLY = _("预约时段 %(start)s 开始，最早可在开始前 %(minutes)d 分钟取号，请稍候。")
CHECK_IN_TOO_LATE = _(
    "预约已超过签到时间（时段开始后 %(minutes)d 分钟），已按爽约处理；请现场取号。"
)
CLOSED_NOW = _("本中心现在不在开放时间，不能取号；开放时间见大厅公告或预约页面。")
ONE_LIVE_TICKET = _("该身份证号今天已有一个等候中的号码（%(number)s），请等候叫号。")
NAME_REQUIRED = _("帮办代办取号请填写姓名和身份证号，以便窗口优先办理。")
NOT_CALLED = _("号码 %(number)s 当前状态为“%(status)s”，不能进行此操作。")
NOT_YOUR_TICKET = _("号码 %(number)s 由其他窗口叫号，只能由叫号的窗口办理。")
NOT_YOUR_CENTER = _("只能叫本中心（%(center)s）的号。")
SAME_COUNTER = _("号码已在该窗口组排队，请选择另一个窗口组。")
ALREADY_LINKED = _("号码 %(number)s 已关联办件 %(case)s。")
WINDOW_REQUIRED = _("请先填写本窗口的名称（例如 3号窗口），叫号时会显示在大厅屏幕上。")
COUNTER_REQUIRED = _("请至少选择一个本窗口办理的窗口组。")
CLOSES_BEFORE_OPENS = _("结束时间必须晚于开始时间。")
ROTA_ON_WORKING_DAY = _("%(day)s 是工作日，按办公时间开放；节假日轮岗只能设在休息日。")
DAY_TAKEN = _("%(day)s 已有一条记录，请先删除原记录。")
HOURS_ROW_UNKNOWN = _("没有找到要删除的办公时间、轮岗或闭厅记录，请刷新页面后重试。")
