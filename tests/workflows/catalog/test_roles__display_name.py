"""Staff names are shown the Chinese way: family name first."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from tests.factories import UserFactory
from workflows.catalog.models import StaffProfile
from workflows.catalog.roles import display_name

pytestmark = pytest.mark.django_db


def test_family_name_comes_first() -> None:
    user = UserFactory(username="cxm", first_name="晓梅", last_name="陈")
    assert display_name(user) == "陈晓梅"
    assert str(StaffProfile(user=user)) == "陈晓梅"
    rendered = Template("{% load staff %}{{ user|staff_name }}").render(Context({"user": user}))
    assert rendered == "陈晓梅"


def test_without_a_name_the_username_is_shown() -> None:
    user = UserFactory(username="clerk9", first_name="", last_name="")
    assert display_name(user) == "clerk9"
