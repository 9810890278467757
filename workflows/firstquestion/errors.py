"""Messages of the first-question services (zh-Hans, translatable).

The services raise the case errors (``workflows.cases.errors``: InvalidRequest
400, TransitionRefused 409, ActionForbidden 403) with these messages, so every
view that already shows ``exc.message`` on its form shows them too.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NOT_STAFF = _("只有登记了所在中心或部门的工作人员可以登记咨询；请联系系统管理员完善您的账号。")
NAME_REQUIRED = _("请填写咨询人的姓名（可写“王先生”等称呼）。")
PHONE_REQUIRED = _("请填写咨询人的联系电话，以便转办后回复结果。")
MATTER_REQUIRED = _("请简要写明咨询事项。")
CHANNEL_INVALID = _("请选择咨询方式：来访、来电或网上咨询。")
OUTCOME_INVALID = _("请选择处理结果：当场解答、转办或转为申请。")
ANSWER_REQUIRED = _("当场解答的，请写明解答内容（一两句即可）。")
TARGET_REQUIRED = _("转办须选择转办对象：部门、窗口（中心）或具体同事。")
TARGET_INACTIVE = _("所选同事的账号已停用，不能接收转办；请另选同事。")
TARGET_SELF = _("不能转办给自己；如属本人职责，请当场解答或转为申请。")
PRESENT_INACTIVE = _("在场工作人员中有已停用的账号（%(name)s），请核对。")
APPLICATION_NEEDS_CLERK = _(
    "您不是窗口受理员，不能直接收件：请选择“转办”给综合窗口（中心），由窗口人员收件。"
)
ITEM_INACTIVE = _("所选事项已停用，请重新选择。")

CONSULTATION_CLOSED = _("该咨询当前状态为“%(status)s”，不能再%(action)s。")
OPEN_REFERRAL = _("该咨询已有未办结的转办（%(target)s），请等待对方答复或退回。")
ONLY_FIRST_RESPONDER = _("只有首问责任人（%(name)s）可以办理此操作。")
ALREADY_CASE = _("该咨询已转为办件 %(number)s，不能再关联其他办件。")
CASE_HAS_CONSULTATION = _("办件 %(number)s 已关联其他咨询登记。")

NOT_RECEIVER = _("只有被转办的部门、窗口或同事可以办理此转办。")
REFERRAL_CLOSED = _("该转办当前状态为“%(state)s”，不能再%(action)s。")
DECLINE_REASON_REQUIRED = _("退回须写明理由，以便首问责任人另行处理。")
REFERRAL_ANSWER_REQUIRED = _("请写明答复内容。")

REASSIGN_NEW_REQUIRED = _("请选择新的首问责任人。")
REASSIGN_INACTIVE = _("新的首问责任人的账号已停用，请另选。")

ACTION_REFER = _("转办")
ACTION_ANSWER = _("解答")
ACTION_APPLY = _("转为申请")
ACTION_ACKNOWLEDGE = _("签收")
ACTION_DECLINE = _("退回")
ACTION_CASE = _("转为办件")

STATUS_FORMAT = _("请填写办件编号（例如 PY-2026-000123）和申请人手机号码或证件号码的后 4 位。")
STATUS_NOT_FOUND = _("没有查到相符的办件：请核对办件编号，以及申请人手机号码或证件号码的后 4 位。")
STATUS_SLOW_DOWN = _(
    "您所在网络的查询错误次数过多，请在 %(until)s 之后再试。"
    "如多次出现，请携带受理通知书到受理窗口或拨打咨询电话查询。"
)
STATUS_TOO_MANY = _(
    "此办件编号的查询错误次数过多，为保护申请人信息，查询已暂停，请在 %(until)s 之后再试。"
    "持有受理通知书的申请人可随时扫描通知书上的二维码查看办理进度，"
    "或到受理窗口、拨打咨询电话查询。"
)
