"""一件事's refusal messages (zh-Hans, translated in locale/en), raised by its services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NO_PARTS = _("请至少选择一个子项。")
PART_REQUIRED = _("“%(item)s”是本“一件事”的必办子项，不能取消。")
PART_UNKNOWN = _("所选子项不属于本“一件事”，请刷新页面后重试。")
MATERIALS_MISSING = _(
    "以下子项的必交材料未收齐，不能一并受理：%(missing)s。请收齐材料，或取消勾选可选子项。"
)
BUNDLE_INACTIVE = _("“%(name)s”已停用，不能受理。")
DECEASED_REQUIRED = _("“%(name)s”须登记逝者的姓名、身份证号码和死亡日期，各子项据此办理。")
NOTHING_MISSING = _("各子项的必交材料已收齐，无需补正，请选择一次受理。")
CASE_NOT_IN_BUNDLE = _("所列办件不属于本“一件事”，请刷新页面后重试。")
NOT_AWAITING_CORRECTION = _("本“一件事”当前为“%(status)s”，不在待补正状态，不能登记补正。")
NOTHING_BROUGHT = _("请勾选申请人补交的材料。")
NOT_ON_NOTICE = _("以下材料不在补正告知书中：%(names)s。请刷新页面后重试。")
NOT_RECEIVED = _("本“一件事”当前为“%(status)s”，不能受理。")
CHILD_NOT_READY = _("子项“%(item)s”当前为“%(status)s”，须补正齐全后才能一并受理。")
CHILD_REFUSED = _("子项“%(item)s”不能受理：%(reason)s")
