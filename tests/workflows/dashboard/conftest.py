"""Fixtures of the dashboard tests: a town supervisor (and the desk's helpers)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.factories import staff
from workflows.catalog import roles
from workflows.catalog.models import Center


@pytest.fixture
def town_supervisor(town: Center) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=3)
