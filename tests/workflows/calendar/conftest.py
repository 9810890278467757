"""Fixtures of the calendar tests: the reference calendar, a made-up 2027 notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workflows.calendar import api
from workflows.calendar.engine import WorkingCalendar
from workflows.calendar.seed import seed_arrangements
from workflows.calendar.services import calendar_seed

# Made up for the tests: the real 2027 notice did not exist when this was written.
YAML_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用，虚构）
year: 2027
notice: 国办发明电〔2026〕99号（测试）
notice_date: 2026-11-10
festivals:
  - name: 元旦
    rest: 2027-01-01..2027-01-03
  - name: 春节
    rest: 2027-02-05..2027-02-12
    makeup: [2027-01-31, 2027-02-20]
  - name: 清明节
    rest: 2027-04-03..2027-04-05
  - name: 劳动节
    rest: 2027-05-01..2027-05-05
    makeup: [2027-04-25]
  - name: 端午节
    rest: 2027-06-09
  - name: 中秋节
    rest: 2027-09-15
  - name: 国庆节
    rest: 2027-10-01..2027-10-07
    makeup: [2027-09-26, 2027-10-09]
"""


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """Each test starts and ends without a cached calendar."""
    api.invalidate()
    yield
    api.invalidate()


@pytest.fixture(autouse=True)
def _seeded_calendar(request: pytest.FixtureRequest) -> None:
    """Database tests see 2004–2026, even after another suite's flush emptied the tables."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    calendar_seed()


@pytest.fixture(scope="session")
def reference_calendar() -> WorkingCalendar:
    """2004–2026 as seeded (official notices for 2025–2026), built without the database."""
    arrangements = seed_arrangements()
    days = {spec.day: spec.kind for arrangement in arrangements for spec in arrangement.days}
    return WorkingCalendar(days, [arrangement.year for arrangement in arrangements])


@pytest.fixture
def yaml_2027(tmp_path: Path) -> Path:
    """A made-up 2027 arrangement in the import format."""
    path = tmp_path / "2027.yaml"
    path.write_text(YAML_2027, encoding="utf-8")
    return path
