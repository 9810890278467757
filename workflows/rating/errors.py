"""Refusals of the rating services: what is wrong and what to do (zh-Hans, translatable)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.cases.errors import ActionForbidden, CaseError, InvalidRequest, TransitionRefused

LEVEL_INVALID = _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。")
REASON_REQUIRED = _("选择“不满意”或“非常不满意”时，请至少选择一项差评原因。")
REASON_INVALID = _("差评原因不在可选范围内，请从列表中选择。")
COMMENT_TOO_LONG = _("评价内容不能超过 %(max)d 个字，请精简后再提交。")
WRONG_DIGITS = _("手机号码或证件号码后 4 位不正确，请核对申请时登记的号码后重试。")
TOO_MANY_TRIES = _("输错次数过多，请在 %(until)s 之后再试，或到窗口使用评价器评价。")
ALREADY_RATED = _("本次服务已经评价过，修改期已过，不能再次评价。")
PERIOD_OVER = _("评价期已过（已按“基本满意”默认评价）。如有意见，请拨打监督电话。")
NOT_YET = _("本次服务尚未到可以评价的环节。")
CODE_UNKNOWN = _("评价码不正确：请核对通知书上印的 8 位评价码（不区分大小写）。")
NOT_YOUR_CENTER = _("只有本中心（%(center)s）的窗口人员或本件首问责任人可以发起评价。")
NOT_ASSIGNED = _("只有%(department)s负责人或本件首问责任人可以办理差评整改。")
HEAD_ONLY = _("只有%(department)s负责人可以提出申诉。")
SUPERVISOR_ONLY = _("只有辖区内的效能督查人员可以审核申诉。")
WRONG_STEP = _("该差评整改当前为“%(state)s”，不能执行“%(action)s”。请刷新页面查看最新进度。")
TEXT_REQUIRED = _("请填写%(what)s。")
RESOLUTION_INVALID = _("请选择处理方式：立行立改或解释说明。")
APPEAL_PENDING = _("已有一项申诉正在审核，请等待督查人员的决定。")
APPEAL_DECIDED = _("该申诉已经审核，不能再次审核。")
NO_PHONE = _("申请人没有登记手机号码，无法发送评价短信；请使用窗口评价器。")

__all__ = [
    "ActionForbidden",
    "CaseError",
    "InvalidRequest",
    "TransitionRefused",
]


class TooManyTries(ActionForbidden):
    """The look-up limiter refused the digits check (docs/limits.md): try again later."""

    status_code = 429
