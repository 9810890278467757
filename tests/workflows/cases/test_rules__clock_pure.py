"""The legal clock as pure functions over a calendar built in memory (no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from workflows.calendar.engine import DayKind, WorkingCalendar
from workflows.cases.clock import (
    DEEMED_ACCEPTANCE_DAYS,
    LEGAL_TZ,
    NATURAL,
    WORKING,
    ClockInput,
    Pause,
    compute_clock,
    deemed_acceptance_deadline,
    due_is_provisional,
    end_of_day,
    next_working_day_from,
    start_of_day,
    warning_threshold,
    working_days_used,
)

# March 2026 with Mon 03-09 a holiday and Sat 03-14 a make-up day, all years published.
CAL = WorkingCalendar(
    {date(2026, 3, 9): DayKind.HOLIDAY, date(2026, 3, 14): DayKind.MAKEUP}, range(2000, 2100)
)


def _input(**kw: object) -> ClockInput:
    values: dict[str, object] = {
        "accepted_on": date(2026, 3, 2),
        "acceptance_day_counts": False,
        "promised_days": 5,
        "statutory_days": 10,
        "extension_days": 0,
        "warning_days": 2,
    }
    values.update(kw)
    return ClockInput(**values)  # type: ignore[arg-type]


def test_days_count_from_the_day_after_acceptance() -> None:
    clock = compute_clock(_input(), CAL)
    # 3-03..3-06 (4), 3-09 off, 3-10 → 5th.
    assert clock.promised_due == date(2026, 3, 10)
    # 3-11, 3-12, 3-13, Sat 3-14 (make-up), 3-16 → 10th.
    assert clock.statutory_due == date(2026, 3, 16)
    assert clock.provisional is False
    assert clock.paused is False


def test_the_acceptance_day_counts_when_the_item_says_so() -> None:
    assert compute_clock(_input(acceptance_day_counts=True), CAL).promised_due == date(2026, 3, 6)


def test_yellow_starts_at_the_larger_of_the_item_days_and_a_fifth() -> None:
    assert warning_threshold(5, 2) == 2
    assert warning_threshold(20, 2) == 4
    assert warning_threshold(11, 2) == 3  # ceil(2.2)
    assert warning_threshold(0, 0) == 0
    clock = compute_clock(_input(), CAL)
    assert clock.warn_on == date(2026, 3, 5)  # 2 working days before 3-10 (3-09 off)


def test_yellow_never_before_acceptance_nor_after_the_due_day() -> None:
    clock = compute_clock(_input(promised_days=1, warning_days=5), CAL)
    assert clock.warn_on == date(2026, 3, 2)
    zero = compute_clock(_input(promised_days=0, statutory_days=0, warning_days=0), CAL)
    assert zero.warn_on == zero.promised_due == date(2026, 3, 2)


def test_a_finished_pause_moves_the_due_dates() -> None:
    pause = Pause(start=date(2026, 3, 4), end=date(2026, 3, 6), expected_days=5)
    clock = compute_clock(_input(pauses=[pause]), CAL)
    # Ran 3-03, 3-04 (2); paused 3-05, 3-06; then 3-10, 3-11, 3-12 → 5th.
    assert clock.promised_due == date(2026, 3, 12)
    assert clock.paused is False


def test_a_running_pause_counts_its_expected_days() -> None:
    pause = Pause(start=date(2026, 3, 4), end=None, expected_days=2)
    clock = compute_clock(_input(pauses=[pause]), CAL)
    assert clock.promised_due == date(2026, 3, 12)
    assert clock.paused is True


def test_a_pause_after_the_due_date_changes_nothing() -> None:
    pause = Pause(start=date(2026, 3, 20), end=date(2026, 3, 25), expected_days=1)
    assert compute_clock(_input(pauses=[pause]), CAL).promised_due == date(2026, 3, 10)


def test_a_pause_before_acceptance_is_ignored_for_counting() -> None:
    pause = Pause(start=date(2026, 2, 20), end=date(2026, 2, 25), expected_days=1)
    assert compute_clock(_input(pauses=[pause]), CAL).promised_due == date(2026, 3, 10)


def test_an_extension_moves_both_dates_unless_the_promise_was_broken() -> None:
    both = compute_clock(_input(extension_days=3), CAL)
    assert (both.promised_due, both.statutory_due) == (date(2026, 3, 13), date(2026, 3, 19))
    kept = compute_clock(_input(extension_days=3, extends_promise=False), CAL)
    assert (kept.promised_due, kept.statutory_due) == (date(2026, 3, 10), date(2026, 3, 19))


def test_natural_days_roll_over_a_rest_day() -> None:
    assert next_working_day_from(CAL, date(2026, 3, 9)) == date(2026, 3, 10)
    assert next_working_day_from(CAL, date(2026, 3, 14)) == date(2026, 3, 14)
    assert next_working_day_from(CAL, date(2026, 3, 15)) == date(2026, 3, 16)
    clock = compute_clock(_input(statutory_days=7, statutory_unit=NATURAL), CAL)
    assert clock.statutory_due == date(2026, 3, 10)  # 3-09 is off
    clock = compute_clock(_input(promised_days=12, promised_unit=NATURAL), CAL)
    assert clock.promised_due == date(2026, 3, 14)  # Sat 3-14 is a make-up working day
    clock = compute_clock(_input(promised_days=13, promised_unit=NATURAL), CAL)
    assert clock.promised_due == date(2026, 3, 16)  # Sun 3-15 → Mon 3-16


def test_provisional_when_the_span_reaches_an_unpublished_year() -> None:
    partial = WorkingCalendar({}, [2026])
    clock = compute_clock(_input(accepted_on=date(2026, 12, 28)), partial)
    assert clock.provisional is True
    assert compute_clock(_input(), partial).provisional is False


def test_working_days_used_excludes_pauses() -> None:
    pause = Pause(start=date(2026, 3, 4), end=date(2026, 3, 6), expected_days=5)
    inp = _input(pauses=[pause])
    assert working_days_used(inp, date(2026, 3, 10), CAL) == 3
    assert working_days_used(_input(), date(2026, 3, 10), CAL) == 5
    assert working_days_used(_input(), date(2026, 3, 1), CAL) == 0
    running = _input(pauses=[Pause(start=date(2026, 3, 4), end=None, expected_days=5)])
    assert working_days_used(running, date(2026, 3, 6), CAL) == 2


def test_days_end_at_beijing_midnight() -> None:
    assert start_of_day(date(2026, 3, 2)) == datetime(2026, 3, 2, tzinfo=LEGAL_TZ)
    assert end_of_day(date(2026, 3, 2)) == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=LEGAL_TZ)


def test_deemed_acceptance_after_five_working_days() -> None:
    assert DEEMED_ACCEPTANCE_DAYS == 5
    assert deemed_acceptance_deadline(date(2026, 3, 2), CAL) == end_of_day(date(2026, 3, 10))


@pytest.mark.parametrize("days", [1, 5, 20, 60])
def test_due_is_never_before_acceptance(days: int) -> None:
    clock = compute_clock(_input(promised_days=days, statutory_days=days), CAL)
    assert clock.promised_due > date(2026, 3, 2)


def test_the_legal_zone_is_beijing_itself() -> None:
    from zoneinfo import ZoneInfo

    assert ZoneInfo("Asia/Shanghai") == LEGAL_TZ
    assert end_of_day(date(2026, 3, 2)).utcoffset() == timedelta(hours=8)


def test_clock_inputs_and_results_are_immutable() -> None:
    import dataclasses

    clock = compute_clock(_input(), CAL)
    for value in (_input(), clock, Pause(start=date(2026, 3, 4), end=None, expected_days=1)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.__setattr__("start" if isinstance(value, Pause) else "extends_promise", 1)
    assert clock.as_dict() == {
        "promised_due": "2026-03-10",
        "statutory_due": "2026-03-16",
        "warn_on": "2026-03-05",
        "provisional": False,
        "paused": False,
    }


def test_units_default_to_working_days() -> None:
    inp = _input()
    assert (inp.promised_unit, inp.statutory_unit) == (WORKING, WORKING) == ("working",) * 2
    assert NATURAL == "natural"
    assert inp.extends_promise is True
    assert inp.pauses == ()


# ---------------------------------------------------------------- pinned by mutation testing


def test_legal_today_is_the_beijing_day_of_the_moment_given() -> None:
    from datetime import UTC

    from workflows.cases.clock import legal_today

    # 20:00 UTC on 03-01 is already 04:00 on 03-02 in Beijing.
    assert legal_today(datetime(2026, 3, 1, 20, tzinfo=UTC)) == date(2026, 3, 2)
    assert legal_today(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_pauses_count_in_date_order_whatever_order_they_come_in() -> None:
    first = Pause(start=date(2026, 3, 3), end=date(2026, 3, 4), expected_days=1)
    second = Pause(start=date(2026, 3, 11), end=date(2026, 3, 13), expected_days=2)
    in_order = compute_clock(_input(pauses=[first, second]), CAL)
    reversed_ = compute_clock(_input(pauses=[second, first]), CAL)
    assert in_order == reversed_
    # 03-03 (1); paused 03-04; 03-05, 03-06, 03-10 (4), 03-11 (5)
    assert in_order.promised_due == date(2026, 3, 11)


def test_a_limit_ending_on_the_day_a_pause_starts_ends_that_day() -> None:
    # 3 working days after Mon 03-02 end on Thu 03-05; a procedure starting that
    # day (work was done on it) does not carry the deadline past its end.
    pause = Pause(start=date(2026, 3, 5), end=date(2026, 3, 12), expected_days=5)
    working = compute_clock(_input(promised_days=3, pauses=[pause]), CAL)
    assert working.promised_due == date(2026, 3, 5)
    natural = compute_clock(_input(promised_days=3, promised_unit=NATURAL, pauses=[pause]), CAL)
    assert natural.promised_due == date(2026, 3, 5)


def test_a_same_day_limit_ends_that_day_even_if_a_procedure_starts_then() -> None:
    # The same rule at the acceptance day itself: a 0-day limit (decided on the day)
    # ends on it, though a special procedure starts that day.
    pause = Pause(start=date(2026, 3, 2), end=date(2026, 3, 12), expected_days=5)
    for unit in (WORKING, NATURAL):
        clock = compute_clock(_input(promised_days=0, promised_unit=unit, pauses=[pause]), CAL)
        assert clock.promised_due == date(2026, 3, 2)


def test_natural_days_stop_while_a_procedure_runs() -> None:
    # 10 natural days from Mon 03-02: 03-03, 03-04 run (2); paused 03-04..03-06;
    # 8 more from 03-06 end on Sat 03-14, a make-up working day.
    finished = Pause(start=date(2026, 3, 4), end=date(2026, 3, 6), expected_days=5)
    clock = compute_clock(_input(promised_days=10, promised_unit=NATURAL, pauses=[finished]), CAL)
    assert clock.promised_due == date(2026, 3, 14)
    # A procedure still running counts its expected working days (03-05, 03-06).
    running = Pause(start=date(2026, 3, 4), end=None, expected_days=2)
    clock = compute_clock(_input(promised_days=10, promised_unit=NATURAL, pauses=[running]), CAL)
    assert clock.promised_due == date(2026, 3, 14)


def test_natural_days_count_pauses_in_date_order_whatever_order_they_come_in() -> None:
    first = Pause(start=date(2026, 3, 3), end=date(2026, 3, 4), expected_days=1)
    second = Pause(start=date(2026, 3, 10), end=date(2026, 3, 12), expected_days=2)
    # 03-03 (1); paused to 03-04; 03-05..03-10 (7); paused to 03-12; 03-13..03-15 (10):
    # Sun 03-15 rolls to Mon 03-16.
    for pauses in ([first, second], [second, first]):
        clock = compute_clock(_input(promised_days=10, promised_unit=NATURAL, pauses=pauses), CAL)
        assert clock.promised_due == date(2026, 3, 16)


def test_the_acceptance_day_counts_midweek_too() -> None:
    # Accepted Wed 03-04, the day itself counting: 03-04, 05, 06, (09 off) 10, 11.
    inp = _input(accepted_on=date(2026, 3, 4), acceptance_day_counts=True)
    assert compute_clock(inp, CAL).promised_due == date(2026, 3, 11)
    assert working_days_used(inp, date(2026, 3, 6), CAL) == 3


def test_yellow_counts_the_extension_that_moves_the_promise() -> None:
    # 10 + 10 working days from Mon 03-02 end on Mon 03-30; a fifth of 20 is 4 days.
    clock = compute_clock(_input(promised_days=10, extension_days=10, warning_days=2), CAL)
    assert clock.promised_due == date(2026, 3, 30)
    assert clock.warn_on == date(2026, 3, 24)


def test_a_due_date_is_provisional_only_when_it_rests_on_an_unpublished_year() -> None:
    # 2026 published, 2027 not: a 一件事 accepted in December whose promised date
    # stays in 2026 is firm, its statutory date in 2027 is 暂定.
    partial = WorkingCalendar({}, [2026])
    accepted = start_of_day(date(2026, 12, 21))
    assert due_is_provisional(accepted, end_of_day(date(2026, 12, 31)), partial) is False
    assert due_is_provisional(accepted, end_of_day(date(2027, 1, 4)), partial) is True
    # The same day on both ends: firm in a published year, 暂定 in another.
    assert due_is_provisional(accepted, accepted, partial) is False
    assert due_is_provisional(accepted, accepted, WorkingCalendar({}, [])) is True


def test_a_due_date_is_provisional_by_its_beijing_day() -> None:
    from datetime import UTC

    partial = WorkingCalendar({}, [2026])
    accepted = start_of_day(date(2026, 12, 21))
    # 16:00 UTC on 12-31 is already 2027-01-01 in Beijing; a minute before is not.
    assert due_is_provisional(accepted, datetime(2026, 12, 31, 16, tzinfo=UTC), partial) is True
    assert (
        due_is_provisional(accepted, datetime(2026, 12, 31, 15, 59, tzinfo=UTC), partial) is False
    )


def test_a_case_without_an_acceptance_or_a_due_date_is_not_provisional() -> None:
    unpublished = WorkingCalendar({}, [])
    moment = start_of_day(date(2027, 3, 1))
    assert due_is_provisional(None, moment, unpublished) is False
    assert due_is_provisional(moment, None, unpublished) is False
    assert due_is_provisional(None, None, unpublished) is False


def test_a_due_date_beyond_the_calendar_is_provisional() -> None:
    accepted = start_of_day(date(2026, 3, 2))
    assert due_is_provisional(accepted, end_of_day(date(2100, 1, 4)), CAL) is True
    assert due_is_provisional(start_of_day(date(1999, 12, 30)), accepted, CAL) is True


def test_a_pause_of_no_working_days_takes_none_off_the_count() -> None:
    # A procedure started and ended on the same day, and one over a weekend:
    # neither takes a working day off the days used.
    same_day = Pause(start=date(2026, 3, 4), end=date(2026, 3, 4), expected_days=1)
    weekend = Pause(start=date(2026, 3, 6), end=date(2026, 3, 8), expected_days=1)
    inp = _input(pauses=[same_day, weekend])
    assert working_days_used(inp, date(2026, 3, 10), CAL) == 5
