"""Create the demo staff: one account per role and place, all with the same password.

Safe to run any number of times: users are keyed by username and brought
back to the state below (names, groups, profile, password).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, Department, StaffProfile
from workflows.catalog.roles import ADMIN, CLERK, HEAD, OFFICER, ROLE_LABELS, SUPERVISOR

DEFAULT_PASSWORD = "onewindow-demo"  # noqa: S105 - a published demo password, not a secret
PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - the name of the variable

REFERENCE_MISSING = _("找不到%(what)s %(code)s：请先运行 python manage.py setup_reference。")
WHAT_CENTER = _("服务中心")
WHAT_DEPARTMENT = _("部门")
TABLE_TITLE = _("演示账号（%(count)d 个）：")
TABLE_HEADER = (_("角色"), _("用户名"), _("密码"), _("中心 / 部门"))
PASSWORD_NOTE = _("密码取自环境变量 DEMO_PASSWORD，未设置时为 %(default)s。")


@dataclass(frozen=True)
class DemoUser:
    """One demo account: who, which role, where."""

    username: str
    role: str
    last_name: str  # 姓
    first_name: str  # 名
    center: str
    department: str | None
    title: str
    rank: int
    phone: str


# Ranks: clerk 1 < officer 2 < supervisor 3 < head 4 < admin 5 (the higher rank
# is the 首问责任人 when several staff are asked together). Names and phone
# numbers are made up.
OFFICER_TITLE = "业务经办人"
HEAD_TITLE = "部门负责人"
CLERK_TITLE = "综合窗口受理员"
SUPERVISOR_TITLE = "效能督查员"

# fmt: off
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk", CLERK, "陈", "晓梅", "PY", None, CLERK_TITLE, 1, "13800000001"),
    DemoUser("clerk_dz", CLERK, "温", "秀兰", "PY-DZ", None, CLERK_TITLE, 1, "13800000002"),
    DemoUser("ga_officer", OFFICER, "林", "志强", "PY", "GA", OFFICER_TITLE, 2, "13800000101"),
    DemoUser("ga_head", HEAD, "黄", "建国", "PY", "GA", HEAD_TITLE, 4, "13800000102"),
    DemoUser("rs_officer", OFFICER, "张", "丽华", "PY", "RS", OFFICER_TITLE, 2, "13800000111"),
    DemoUser("rs_head", HEAD, "刘", "伟明", "PY", "RS", HEAD_TITLE, 4, "13800000112"),
    DemoUser("yb_officer", OFFICER, "李", "秀英", "PY", "YB", OFFICER_TITLE, 2, "13800000121"),
    DemoUser("yb_head", HEAD, "王", "海涛", "PY", "YB", HEAD_TITLE, 4, "13800000122"),
    DemoUser("mz_officer", OFFICER, "钟", "美玲", "PY", "MZ", OFFICER_TITLE, 2, "13800000131"),
    DemoUser("mz_head", HEAD, "曾", "国平", "PY", "MZ", HEAD_TITLE, 4, "13800000132"),
    DemoUser("wj_officer", OFFICER, "罗", "晓燕", "PY", "WJ", OFFICER_TITLE, 2, "13800000141"),
    DemoUser("wj_head", HEAD, "谢", "文华", "PY", "WJ", HEAD_TITLE, 4, "13800000142"),
    DemoUser(
        "supervisor", SUPERVISOR, "杨", "振华", "PY", None, SUPERVISOR_TITLE, 3, "13800000201"
    ),
    DemoUser(
        "supervisor_dz", SUPERVISOR, "邱", "少明", "PY-DZ", None, SUPERVISOR_TITLE, 3,
        "13800000202",
    ),
    DemoUser("admin", ADMIN, "何", "志明", "PY", None, "系统管理员", 5, "13800000301"),
)
# fmt: on


def demo_password() -> str:
    """The demo password: ``DEMO_PASSWORD`` from the environment, or the published default."""
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def ensure_demo_user(spec: DemoUser, *, password: str) -> Any:
    """Create or reset one demo account with its group and staff profile."""
    try:
        center = Center.objects.get(code=spec.center)
    except Center.DoesNotExist:
        raise CommandError(REFERENCE_MISSING % {"what": WHAT_CENTER, "code": spec.center}) from None
    department = None
    if spec.department:
        try:
            department = Department.objects.get(code=spec.department)
        except Department.DoesNotExist:
            raise CommandError(
                REFERENCE_MISSING % {"what": WHAT_DEPARTMENT, "code": spec.department}
            ) from None

    is_admin = spec.role == ADMIN
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=spec.username)
    user.first_name = spec.first_name
    user.last_name = spec.last_name
    user.email = f"{spec.username}@example.invalid"
    user.is_active = True
    user.is_staff = is_admin
    user.is_superuser = is_admin
    user.set_password(password)
    user.save()
    group, _created = Group.objects.get_or_create(name=spec.role)
    user.groups.set([group])
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "center": center,
            "department": department,
            "title": spec.title,
            "rank": spec.rank,
            "phone": spec.phone,
        },
    )
    return user


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned plain-text columns (CJK-aware)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "创建演示账号（窗口受理员、部门经办人和负责人、督查员、管理员）及其工作人员档案。"
        "可重复运行。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        with transaction.atomic():
            for spec in DEMO_USERS:
                ensure_demo_user(spec, password=password)

        centers = dict(Center.objects.values_list("code", "name"))
        departments = dict(Department.objects.values_list("code", "name"))
        rows: list[tuple[str, ...]] = [tuple(str(h) for h in TABLE_HEADER)]
        for spec in DEMO_USERS:
            place = centers[spec.center]
            if spec.department:
                place += " / " + departments[spec.department]
            rows.append((str(ROLE_LABELS[spec.role]), spec.username, password, place))
        self.stdout.write(str(TABLE_TITLE % {"count": len(DEMO_USERS)}))
        self.stdout.write(format_table(rows))
        self.stdout.write(str(PASSWORD_NOTE % {"default": DEFAULT_PASSWORD}))
