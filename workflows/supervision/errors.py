"""Refusals of the supervision services and pages (zh-Hans, translatable)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DESK_FORBIDDEN = _("督查台仅限效能督查人员和部门负责人使用。如需查看，请联系系统管理员分配角色。")
ESCALATIONS_FORBIDDEN = _("督办事项仅限效能督查人员和部门负责人查看。")
ESCALATION_NOT_IN_SCOPE = _("该督办不在您的督查或管理范围内。")
FOLLOW_UP_FORBIDDEN = _("只有辖区内的效能督查人员可以登记督办跟进情况。")
FOLLOW_UP_EMPTY = _("请填写跟进情况（例如已电话催办、约谈或现场核查的结果）。")
RESPONSE_FORBIDDEN = _("只有%(department)s负责人可以回复此督办。")
RESPONSE_REASON_REQUIRED = _("请填写超期原因。")
RESPONSE_REMEDY_REQUIRED = _("请填写整改措施（何时、由谁、如何办结）。")
RESPONSE_NOT_NEEDED = _("黄灯预警为提醒，无需部门回复；红灯及以上的督办才需回复。")
CASE_NOT_VISIBLE = _("办件 %(number)s 不存在或不在您的查看范围内。")
BAD_DATE = _("日期格式应为 YYYY-MM-DD，例如 2026-03-01。")
BAD_PERIOD = _("起始日期不能晚于截止日期。")
