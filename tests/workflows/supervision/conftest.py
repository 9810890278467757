"""Fixtures of the supervision tests: supervisors of a town and of another town, a second head."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.factories import CenterFactory, staff
from workflows.catalog import roles
from workflows.catalog.models import Center, Department

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    """A Shanghai wall-clock moment."""
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


@pytest.fixture
def village(town: Center) -> Center:
    return CenterFactory(
        code="PY-DZ-HS", name="黄沙村党群服务站", level=Center.Level.VILLAGE, parent=town
    )


@pytest.fixture
def town_supervisor(town: Center) -> User:
    return staff("supervisor_dz", roles.SUPERVISOR, center=town, rank=3)


@pytest.fixture
def other_town_supervisor(other_town: Center) -> User:
    return staff("supervisor_rj", roles.SUPERVISOR, center=other_town, rank=3)


@pytest.fixture
def second_head(department: Department) -> User:
    return staff("head2", roles.HEAD, department=department, rank=4)


@pytest.fixture
def other_head(other_department: Department) -> User:
    return staff("mz_head", roles.HEAD, department=other_department, rank=4)
