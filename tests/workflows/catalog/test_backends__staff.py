"""The signed-in staff member is read with profile, places and roles in one statement."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from workflows.catalog import roles
from workflows.catalog.backends import StaffBackend
from workflows.catalog.roles import has_role, profile_of, roles_of

pytestmark = pytest.mark.django_db


def test_one_read_brings_the_profile_the_places_and_the_roles(clerk: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        user = StaffBackend().get_user(clerk.pk)
        profile = profile_of(user)
        assert profile is not None
        place = (str(profile.center), str(profile.department))
        assert roles_of(user) == {roles.CLERK}
    assert len(queries) == 1
    assert place[0] == str(clerk.staff.center)


def test_someone_without_a_profile_or_roles_is_still_read() -> None:
    plain = UserFactory(username="plain")
    user = StaffBackend().get_user(plain.pk)
    assert user is not None
    assert profile_of(user) is None
    assert roles_of(user) == frozenset()
    assert StaffBackend().get_user(10**9) is None


def test_a_deactivated_account_is_signed_out() -> None:
    gone = UserFactory(username="gone", is_active=False)
    assert StaffBackend().get_user(gone.pk) is None


def test_a_role_taken_away_counts_from_the_next_page(clerk: User) -> None:
    client = Client()
    client.force_login(clerk, backend="workflows.catalog.backends.StaffBackend")
    assert client.get("/window/").status_code == 200
    clerk.groups.remove(Group.objects.get(name=roles.CLERK))
    assert client.get("/window/").status_code == 403
    assert not has_role(StaffBackend().get_user(clerk.pk), roles.CLERK)


def fields(instance: Any) -> dict[str, object] | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_read_brings_every_field_as_the_orm_reads_it(officer: User) -> None:
    user = StaffBackend().get_user(officer.pk)
    stored = User.objects.select_related("staff__center", "staff__department").get(pk=officer.pk)

    assert fields(user) == fields(stored)
    assert fields(user.staff) == fields(stored.staff)
    assert fields(user.staff.center) == fields(stored.staff.center)  # None: not at a window
    assert stored.staff.department is not None
    assert fields(user.staff.department) == fields(stored.staff.department)
    assert user.staff.user is user
    assert not user._state.adding
