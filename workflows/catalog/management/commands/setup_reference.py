"""Load the reference data: catalogue fixtures, role groups and their permissions, calendars.

Safe to run any number of times: fixtures are keyed by primary key, groups by
name, and each group's permissions are set to exactly what fixtures/roles.yaml
lists. Edits made in the admin to fixture rows are overwritten.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem
from workflows.catalog.roles import ROLE_LABELS

# The catalogue, then the public guide (#16): aliases, conditions, hours.
CATALOG_FIXTURES = ("catalog_departments", "catalog_centers", "catalog_items", "bundles", "guide")
ROLES_FILE = Path(settings.BASE_DIR) / "fixtures" / "roles.yaml"

ROLES_FILE_MISSING = _("找不到角色权限文件 %(path)s。")
ROLES_FILE_MALFORMED = _("角色权限文件 %(path)s 格式错误：应为“角色: [权限, ...]”的映射。")
WARN_UNKNOWN_ROLE = _(
    "警告：roles.yaml 中的角色 %(role)s 不在 workflows/catalog/roles.py 中，已忽略。"
)
WARN_BAD_ENTRY = _("警告：角色 %(role)s 的权限 %(entry)s 格式应为 app_label.codename，已跳过。")
WARN_NO_PERMISSION = _("警告：角色 %(role)s 的权限 %(entry)s 尚不存在，已跳过。")
WARN_NO_MATCH = _("警告：角色 %(role)s 的权限模式 %(entry)s 没有匹配到任何权限，已跳过。")
CALENDAR_SEEDED = _("工作日历：已运行 calendar seed。")
CALENDAR_SKIPPED = _("工作日历：按 --skip-calendar 跳过。")
SUMMARY = _(
    "参考数据已就绪：服务中心 %(centers)d 个，部门 %(departments)d 个，"
    "服务事项 %(items)d 项（申请材料 %(materials)d 条）。"
)
ROLE_LINE = _("角色 %(label)s（%(role)s）：%(count)d 项权限。")
WARNING_COUNT = _("共 %(count)d 条警告。")


@dataclass
class RoleReport:
    """What applying roles.yaml did: permissions per role and warning lines."""

    permissions: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_role_spec(path: Path | None = None) -> dict[str, list[str]]:
    """roles.yaml as ``{role: [entry, ...]}``; a missing list reads as empty."""
    path = path or ROLES_FILE
    if not path.exists():
        raise CommandError(ROLES_FILE_MISSING % {"path": path})
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CommandError(ROLES_FILE_MALFORMED % {"path": path})
    spec: dict[str, list[str]] = {}
    for role, entries in data.items():
        if entries is None:
            entries = []
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise CommandError(ROLES_FILE_MALFORMED % {"path": path})
        spec[str(role)] = entries
    return spec


def resolve_permissions(role: str, entries: list[str]) -> tuple[set[Permission], list[str]]:
    """The permissions named by ``entries`` and a warning line for each entry that names none."""
    found: set[Permission] = set()
    warnings: list[str] = []
    for entry in entries:
        app_label, dot, pattern = entry.strip().partition(".")
        if not dot or not app_label or not pattern:
            warnings.append(str(WARN_BAD_ENTRY % {"role": role, "entry": entry}))
            continue
        candidates = Permission.objects.filter(content_type__app_label=app_label)
        if any(c in pattern for c in "*?["):
            matched = [p for p in candidates if fnmatch.fnmatchcase(p.codename, pattern)]
            message = WARN_NO_MATCH
        else:
            matched = list(candidates.filter(codename=pattern))
            message = WARN_NO_PERMISSION
        if not matched:
            warnings.append(str(message % {"role": role, "entry": entry}))
        found.update(matched)
    return found, warnings


def apply_roles(spec: dict[str, list[str]]) -> RoleReport:
    """Create the five role groups and set each one's permissions to ``spec``."""
    report = RoleReport()
    for role in spec:
        if role not in ROLE_LABELS:
            report.warnings.append(str(WARN_UNKNOWN_ROLE % {"role": role}))
    for role in ROLE_LABELS:
        group, _created = Group.objects.get_or_create(name=role)
        permissions, warnings = resolve_permissions(role, spec.get(role, []))
        group.permissions.set(permissions)
        report.permissions[role] = len(permissions)
        report.warnings.extend(warnings)
    return report


def seed_calendar(**options: Any) -> None:
    """Run ``calendar seed`` (the calendar app's own command)."""
    call_command("calendar", "seed", **options)


class Command(BaseCommand):
    help = (
        "载入参考数据（服务中心、部门、服务事项及材料）、创建角色组并分配权限、"
        "初始化工作日历。可重复运行。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--skip-calendar", action="store_true", help="不运行 calendar seed（工作日历）。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        spec = read_role_spec()
        with transaction.atomic():
            call_command("loaddata", *CATALOG_FIXTURES, verbosity=0)
            report = apply_roles(spec)

        for line in report.warnings:
            self.stdout.write(self.style.WARNING(line))

        if options["skip_calendar"]:
            calendar_line = CALENDAR_SKIPPED
        else:
            seed_calendar(verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
            calendar_line = CALENDAR_SEEDED

        self.stdout.write(
            str(
                SUMMARY
                % {
                    "centers": Center.objects.count(),
                    "departments": Department.objects.count(),
                    "items": ServiceItem.objects.count(),
                    "materials": ItemMaterial.objects.count(),
                }
            )
        )
        for role, label in ROLE_LABELS.items():
            count = report.permissions[role]
            self.stdout.write(str(ROLE_LINE % {"label": label, "role": role, "count": count}))
        self.stdout.write(str(calendar_line))
        if report.warnings:
            self.stdout.write(str(WARNING_COUNT % {"count": len(report.warnings)}))
