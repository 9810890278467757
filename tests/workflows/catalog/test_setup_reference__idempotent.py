"""``manage.py setup_reference``: fixtures, role groups, calendar; twice gives the same rows."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from workflows.calendar.models import CalendarChange, CalendarYear
from workflows.catalog import roles
from workflows.catalog.management.commands import setup_reference
from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("setup_reference", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, Any]:
    return {
        "centers": sorted(Center.objects.values_list("pk", "code", "path")),
        "departments": sorted(Department.objects.values_list("pk", "code")),
        "items": sorted(
            ServiceItem.objects.values_list(
                "pk", "code", "statutory_limit_days", "promised_limit_days"
            )
        ),
        "materials": sorted(ItemMaterial.objects.values_list("pk", "item_id", "position")),
        "groups": {
            g.name: sorted(g.permissions.values_list("content_type__app_label", "codename"))
            for g in Group.objects.prefetch_related("permissions")
        },
    }


def test_twice_gives_the_same_rows() -> None:
    run("--skip-calendar")
    first = snapshot()

    output = run("--skip-calendar")

    assert snapshot() == first
    assert len(first["centers"]) == Center.objects.count() >= 15
    assert set(first["groups"]) == set(roles.ROLE_LABELS)
    assert "参考数据已就绪" in output


def test_summary_is_in_zh_hans() -> None:
    output = run("--skip-calendar")

    assert (
        str(
            setup_reference.SUMMARY
            % {
                "centers": Center.objects.count(),
                "departments": 6,
                "items": ServiceItem.objects.count(),
                "materials": ItemMaterial.objects.count(),
            }
        )
        in output
    )
    assert str(setup_reference.CALENDAR_SKIPPED) in output


def test_groups_get_the_permissions_of_roles_yaml() -> None:
    run("--skip-calendar")

    clerk = set(Group.objects.get(name=roles.CLERK).permissions.values_list("codename", flat=True))
    admin = Group.objects.get(name=roles.ADMIN).permissions
    assert "view_serviceitem" in clerk
    assert "change_serviceitem" not in clerk
    assert admin.filter(content_type__app_label="catalog", codename="change_serviceitem").exists()
    assert admin.filter(content_type__app_label="catalog", codename="delete_center").exists()


def test_permissions_added_by_hand_are_reset() -> None:
    run("--skip-calendar")
    clerk = Group.objects.get(name=roles.CLERK)
    before = set(clerk.permissions.all())
    extra = Group.objects.get(name=roles.ADMIN).permissions.exclude(pk__in=[p.pk for p in before])[
        0
    ]
    clerk.permissions.add(extra)

    run("--skip-calendar")

    assert set(clerk.permissions.all()) == before


def test_unknown_permissions_and_roles_are_warnings_not_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roles_file = tmp_path / "roles.yaml"
    roles_file.write_text(
        "window_clerk:\n"
        "  - catalog.view_serviceitem\n"
        "  - nosuchapp.view_thing\n"
        "  - catalog.nosuch_*\n"
        "  - nodot\n"
        "supervisor:\n"
        "janitor:\n"
        "  - catalog.view_center\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(setup_reference, "ROLES_FILE", roles_file)

    output = run("--skip-calendar")

    expected = [
        setup_reference.WARN_UNKNOWN_ROLE % {"role": "janitor"},
        setup_reference.WARN_NO_PERMISSION
        % {"role": "window_clerk", "entry": "nosuchapp.view_thing"},
        setup_reference.WARN_NO_MATCH % {"role": "window_clerk", "entry": "catalog.nosuch_*"},
        setup_reference.WARN_BAD_ENTRY % {"role": "window_clerk", "entry": "nodot"},
    ]
    for line in expected:
        assert str(line) in output
    assert str(setup_reference.WARNING_COUNT % {"count": 4}) in output
    clerk = Group.objects.get(name=roles.CLERK)
    assert list(clerk.permissions.values_list("codename", flat=True)) == ["view_serviceitem"]
    assert not Group.objects.get(name=roles.SUPERVISOR).permissions.exists()
    assert not Group.objects.filter(name="janitor").exists()


def test_the_calendar_is_seeded_and_seeding_twice_changes_nothing() -> None:
    output = run()
    years = sorted(CalendarYear.objects.values_list("year", "status"))

    again = run()

    assert str(setup_reference.CALENDAR_SEEDED) in output
    assert str(setup_reference.CALENDAR_SEEDED) in again
    assert (2025, CalendarYear.Status.PUBLISHED) in years
    assert (2026, CalendarYear.Status.PUBLISHED) in years
    assert sorted(CalendarYear.objects.values_list("year", "status")) == years


def test_skip_calendar_option() -> None:
    years = sorted(CalendarYear.objects.values_list("year", "status", "updated_at"))
    changes = CalendarChange.objects.count()

    output = run("--skip-calendar")

    assert sorted(CalendarYear.objects.values_list("year", "status", "updated_at")) == years
    assert CalendarChange.objects.count() == changes
    assert str(setup_reference.CALENDAR_SKIPPED) in output
