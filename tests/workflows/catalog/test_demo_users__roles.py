"""``manage.py demo_users``: one account per role and place, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from workflows.catalog import roles
from workflows.catalog.management.commands import demo_users
from workflows.catalog.models import StaffProfile

pytestmark = pytest.mark.django_db

EXPECTED = {
    "clerk": (roles.CLERK, "PY", None),
    "clerk_dz": (roles.CLERK, "PY-DZ", None),
    "ga_officer": (roles.OFFICER, "PY", "GA"),
    "ga_head": (roles.HEAD, "PY", "GA"),
    "rs_officer": (roles.OFFICER, "PY", "RS"),
    "rs_head": (roles.HEAD, "PY", "RS"),
    "yb_officer": (roles.OFFICER, "PY", "YB"),
    "yb_head": (roles.HEAD, "PY", "YB"),
    "mz_officer": (roles.OFFICER, "PY", "MZ"),
    "mz_head": (roles.HEAD, "PY", "MZ"),
    "wj_officer": (roles.OFFICER, "PY", "WJ"),
    "wj_head": (roles.HEAD, "PY", "WJ"),
    "supervisor": (roles.SUPERVISOR, "PY", None),
    "supervisor_dz": (roles.SUPERVISOR, "PY-DZ", None),
    "admin": (roles.ADMIN, "PY", None),
}


@pytest.fixture
def reference(db: None) -> None:
    call_command("setup_reference", "--skip-calendar", stdout=StringIO())


def run() -> str:
    out = StringIO()
    call_command("demo_users", stdout=out)
    return out.getvalue()


def placement() -> dict[str, tuple[str, str, str | None]]:
    return {
        p.user.username: (
            p.user.groups.get().name,
            p.center.code,
            p.department.code if p.department else None,
        )
        for p in StaffProfile.objects.select_related("user", "center", "department")
    }


def test_creates_every_role_at_its_place(reference: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    run()

    assert placement() == EXPECTED
    assert {u.groups.get().name for u in User.objects.all()} == set(roles.ROLE_LABELS)
    for username in EXPECTED:
        user = User.objects.get(username=username)
        assert user.check_password("onewindow-demo")
        assert user.first_name
        assert user.last_name
        assert user.staff.phone


def test_heads_outrank_officers(reference: None) -> None:
    run()

    for code in ("ga", "rs", "yb", "mz", "wj"):
        head = User.objects.get(username=f"{code}_head").staff
        officer = User.objects.get(username=f"{code}_officer").staff
        assert head.rank > officer.rank


def test_only_admin_is_superuser_and_staff(reference: None) -> None:
    run()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert not User.objects.exclude(username="admin").filter(is_superuser=True).exists()
    assert not User.objects.exclude(username="admin").filter(is_staff=True).exists()


def test_twice_gives_the_same_users(reference: None) -> None:
    run()
    first = sorted(User.objects.values_list("pk", "username", "first_name", "last_name"))
    profiles = sorted(StaffProfile.objects.values_list("pk", "user_id", "center_id", "rank"))

    run()

    assert sorted(User.objects.values_list("pk", "username", "first_name", "last_name")) == first
    assert (
        sorted(StaffProfile.objects.values_list("pk", "user_id", "center_id", "rank")) == profiles
    )
    assert User.objects.count() == len(EXPECTED)
    assert all(u.groups.count() == 1 for u in User.objects.all())


def test_password_from_environment(reference: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-9")

    output = run()

    assert User.objects.get(username="ga_head").check_password("another-secret-9")
    assert "another-secret-9" in output


def test_prints_a_login_table_in_zh_hans(reference: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    output = run()

    lines = output.splitlines()
    assert lines[0] == str(demo_users.TABLE_TITLE % {"count": len(EXPECTED)})
    assert lines[1].split() == ["角色", "用户名", "密码", "中心", "/", "部门"]
    ga_head = next(line for line in lines if " ga_head " in line)
    assert ga_head.split() == [
        "部门负责人",
        "ga_head",
        "onewindow-demo",
        "平远县党群服务中心",
        "/",
        "公安",
    ]
    assert any(line.split()[:2] == ["窗口受理员", "clerk_dz"] for line in lines[2:])


def test_without_reference_data_says_what_to_run() -> None:
    with pytest.raises(CommandError) as error:
        run()

    assert str(error.value) == str(
        demo_users.REFERENCE_MISSING % {"what": demo_users.WHAT_CENTER, "code": "PY"}
    )
    assert not User.objects.exists()
