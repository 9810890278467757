"""The one home of the light and lateness (workflows.cases.alerts), without a database."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

from workflows.cases.alerts import (
    LIGHT_LABELS,
    Light,
    decided_on_time,
    due_level,
    late_on_promise,
    light_of,
    past_statutory,
)
from workflows.cases.models import Case, Status

TZ = ZoneInfo("Asia/Shanghai")
WARN = datetime(2026, 3, 5, tzinfo=TZ)
PROMISED = datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=TZ)
STATUTORY = datetime(2026, 3, 16, 23, 59, 59, 999999, tzinfo=TZ)
TICK = timedelta(microseconds=1)


def _case(status: str = Status.IN_PROGRESS, **kw: object) -> Case:
    values: dict[str, object] = {
        "status": status,
        "warn_at": WARN,
        "promised_due_at": PROMISED,
        "statutory_due_at": STATUTORY,
    }
    values.update(kw)
    return Case(**values)


def test_each_threshold_at_its_exact_instant() -> None:
    case = _case()
    assert due_level(case, WARN - TICK) == Light.GREEN
    assert due_level(case, WARN) == Light.YELLOW
    assert due_level(case, PROMISED) == Light.YELLOW
    assert due_level(case, PROMISED + TICK) == Light.RED
    assert due_level(case, STATUTORY) == Light.RED
    assert due_level(case, STATUTORY + TICK) == Light.STATUTORY_RED


def test_lateness_is_strictly_after_the_end_of_the_due_day() -> None:
    case = _case()
    assert not late_on_promise(case, PROMISED)
    assert late_on_promise(case, PROMISED + TICK)
    assert not past_statutory(case, STATUTORY)
    assert past_statutory(case, STATUTORY + TICK)


def test_no_due_dates_means_never_late() -> None:
    case = _case(warn_at=None, promised_due_at=None, statutory_due_at=None)
    moment = STATUTORY + timedelta(days=100)
    assert not late_on_promise(case, moment)
    assert not past_statutory(case, moment)
    assert due_level(case, moment) == Light.GREEN


def test_only_a_running_case_shows_a_light() -> None:
    late = STATUTORY + TICK
    assert light_of(_case(Status.ACCEPTED), late) == Light.STATUTORY_RED
    assert light_of(_case(Status.IN_PROGRESS), late) == Light.STATUTORY_RED
    for status in (Status.SUSPENDED, Status.DECIDED, Status.CLOSED, Status.RECEIVED):
        assert light_of(_case(status), late) == Light.GREEN, status


def test_a_decision_on_the_last_instant_is_on_time() -> None:
    assert decided_on_time(_case(Status.DECIDED, decided_at=PROMISED))
    assert not decided_on_time(_case(Status.DECIDED, decided_at=PROMISED + TICK))
    assert not decided_on_time(_case(Status.DECIDED, decided_at=None))


def test_labels_and_css() -> None:
    assert [light.css for light in Light] == ["green", "yellow", "red", "statutory_red"]
    assert Light.RED.label == "红灯超期"
    assert [int(light) for light in Light] == [0, 1, 2, 3]


def test_each_light_has_its_label_in_chinese_and_in_english() -> None:
    with translation.override("zh-hans"):
        assert [light.label for light in Light] == ["绿灯", "黄灯预警", "红灯超期", "超法定时限"]
    with translation.override("en"):
        assert [light.label for light in Light] == [
            "Green",
            "Yellow warning",
            "Red: overdue",
            "Past statutory time limit",
        ]
    assert set(LIGHT_LABELS) == set(Light)


def test_yellow_needs_a_warning_day() -> None:
    # Due dates without a warning day: green up to the promise, then red.
    case = _case(warn_at=None)
    assert due_level(case, WARN) == Light.GREEN
    assert due_level(case, PROMISED) == Light.GREEN
    assert due_level(case, PROMISED + TICK) == Light.RED
