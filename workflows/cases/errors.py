"""Errors the case services raise, and their messages (zh-Hans, translatable).

Every refusal says what is wrong and what to do. Views turn CaseError
subclasses into clear responses (403 or 409), never a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

TRANSITION_NOT_ALLOWED = _(
    "办件当前状态为“%(status)s”，不能执行“%(action)s”。请刷新页面查看最新状态。"
)
NOT_YOUR_CENTER = _("只有本中心（%(center)s）的窗口人员可以办理此操作。")
NOT_YOUR_DEPARTMENT = _("只有%(department)s的工作人员可以办理此操作。")
HEAD_REQUIRED = _("此操作须由%(department)s负责人审批。")
SUPERVISOR_REQUIRED = _("只有辖区内的效能督查人员可以办理此操作。")
CONCURRENT_CHANGE = _("该办件刚被其他人员修改，请刷新后再试。")
LOCK_TIMEOUT = _("该办件正由其他人员处理，请稍后重试。")
MATERIALS_INCOMPLETE = _(
    "申请材料不齐全或不符合法定形式（%(missing)s），不能受理；请出具一次性告知书。"
)
CORRECTION_EMPTY = _("一次性告知书须列明需要补正的全部材料，当前未列出任何材料。")
CORRECTION_NOT_IN_FIRST_NOTICE = _(
    "一次性告知制：补正内容须在首次告知书中列明，不能追加新的要求（%(extra)s）。"
)
CORRECTION_TOO_LATE = _(
    "收到申请材料已超过 5 个工作日，依法视为受理（行政许可法第三十二条），不能再要求补正。"
)
REJECT_AFTER_DEEMED_ACCEPTANCE = _(
    "收到申请材料已超过 5 个工作日，依法视为受理（行政许可法第三十二条），不能再作出不予受理决定；"
    "如不符合条件，请由部门在审查后作出不予许可的决定。"
)
REASON_REQUIRED = _("请填写理由。")
IMMEDIATE_ONLY_AT_WINDOW = _("只有即办件可以由窗口当场办结。")
DECISION_INVALID = _("办理结果须为“准予”或“不予”。")
DENIAL_NEEDS_REASON = _("不予办理须说明理由。")
EXTENSION_ALREADY = _("每件办件只能延期一次，本件已申请过延期。")
EXTENSION_TOO_LONG = _("延长期限不得超过 %(max)s 个工作日。")
EXTENSION_AFTER_DEADLINE = _("已超过承诺办结期限（%(due)s），不能再申请延期，本件按超期办结处理。")
EXTENSION_AFTER_STATUTORY_DEADLINE = _(
    "已超过法定办结期限（%(due)s），不能再延期（行政许可法第四十二条：延期须在法定期限内决定）。"
)
FOUR_EYES = _("提出意见的人不能审批自己的意见：本件拟办意见由您提出，须由另一位负责人审批。")
FOUR_EYES_EXTENSION = _("申请延期的人不能审批自己的申请，须由另一位负责人审批。")
EXTENSION_NOT_PENDING = _("没有待审批的延期申请。")
EXTENSION_NOT_OPEN = _("只有正在办理中的办件可以申请延期。")
OVERDUE_REASON_REQUIRED = _("本件已超过承诺办结期限，办结时须选择超期原因。")
OVERDUE_REASON_TEXT_REQUIRED = _("选择“其他原因”的，请写明具体原因。")
DELIVERY_METHOD_REQUIRED = _("请选择结果送达方式（窗口领取、邮寄或电子送达），确认已送达申请人。")
SUSPENSION_PROCEDURE_INVALID = _("请选择特别程序的类型。")
SUSPENSION_DURATION_INVALID = _("请填写特别程序预计所需的工作日数（1–365）。")
NOT_CURRENT_OFFICER = _(
    "只有本件当前的经办人（持有本件待办任务的%(department)s工作人员）或部门负责人"
    "可以启动或结束特别程序。"
)
PUBLIC_NOTICE_NOT_OVER = _("公示期至 %(end)s 届满，届满前不能结束公示、恢复计时。")
SAME_FIRST_RESPONDER = _("新的首问责任人与原责任人相同。")
FIRST_RESPONDER_OUT_OF_SCOPE = _("只能改派给本辖区（%(center)s及其下级中心）的工作人员。")
ROLE_APPLICANT = _("申请人")
ROLE_AGENT = _("代办人")
PARTY_NAME_REQUIRED = _("请填写%(role)s的姓名或名称。")
PARTY_ID_REQUIRED = _("请填写%(role)s的证件号码。")
UNKNOWN_CASE = _("办件 %(number)s 不存在。")
TEXT_TOO_LONG = _("填写的内容过长：最多 %(max)d 个字，现为 %(length)d 个字。请精简后重新提交。")
REVEAL_FIELD_INVALID = _("只能查看申请人或代理人的完整证件号码或电话。")
REVEAL_PURPOSE_REQUIRED = _("查看完整个人信息须说明用途，例如“核对申请人身份”。")
REVEAL_PURPOSE_TOO_LONG = _("用途说明不能超过 %(max)d 个字。")
IDEMPOTENCY_KEY_REUSED = _(
    "这张收件单已经提交过另一份申请（办件 %(number)s），不能用来登记不同的申请。"
    "请刷新收件页面，重新填写后提交。"
)


class CaseError(Exception):
    """A refusal with a message fit for the person who asked."""

    status_code = 409

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = str(message)


class TransitionRefused(CaseError):
    """The case is not in a state where this action is allowed."""


class InvalidRequest(CaseError):
    """The request itself is incomplete or contradicts the rules."""

    status_code = 400


class CaseConflict(CaseError):
    """Someone else changed the case in the meantime."""


class CaseBusy(CaseError):
    """The case is locked by someone else's transaction."""


class ActionForbidden(CaseError, PermissionDenied):
    """The actor's role, center or department does not allow this action."""

    status_code = 403
