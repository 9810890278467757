"""Property tests: the O(1) index agrees with a plain day-by-day reference."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflows.calendar.engine import FIRST_DATE, LAST_DATE, DayKind, WorkingCalendar
from workflows.calendar.provisional import MAKEUP, provisional_days
from workflows.calendar.seed import seed_arrangements

# Keep away from the edges so that +-400 working days stay inside 2000–2099.
dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2097, 12, 31))
steps = st.integers(min_value=-400, max_value=400)


def examples(count: int) -> settings:
    # The package's autouse cache fixture is function-scoped but irrelevant here.
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


class Reference:
    """The rule of docs/design-notes/domain.md §8, one day at a time, with no precomputation."""

    def __init__(self) -> None:
        arrangements = seed_arrangements()
        self.published = {arrangement.year for arrangement in arrangements}
        self.exceptions = {
            spec.day: spec.kind for arrangement in arrangements for spec in arrangement.days
        }

    def is_working_day(self, d: date) -> bool:
        kind = self.exceptions.get(d)
        if kind is DayKind.MAKEUP:
            return True
        if kind is DayKind.HOLIDAY:
            return False
        if d.year not in self.published:
            guessed = provisional_days(d.year).get(d)
            if guessed is not None:
                return guessed == MAKEUP
        return d.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        step = timedelta(days=1 if n > 0 else -1)
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference()


def test_every_day_of_the_range_agrees_with_the_reference(
    reference_calendar: WorkingCalendar, reference: Reference
) -> None:
    day = FIRST_DATE
    while day <= LAST_DATE:
        assert reference_calendar.is_working_day(day) == reference.is_working_day(day), day
        day += timedelta(days=1)


@examples(300)
@given(start=dates, n=steps)
def test_add_agrees_with_the_reference(
    reference_calendar: WorkingCalendar, reference: Reference, start: date, n: int
) -> None:
    assert reference_calendar.add_working_days(start, n) == reference.add_working_days(start, n)


@examples(300)
@given(a=dates, span=st.integers(min_value=-700, max_value=700))
def test_between_agrees_with_the_reference(
    reference_calendar: WorkingCalendar, reference: Reference, a: date, span: int
) -> None:
    b = a + timedelta(days=span)
    assert reference_calendar.working_days_between(a, b) == reference.working_days_between(a, b)


@examples(1000)
@given(start=dates, n=st.integers(min_value=0, max_value=400))
def test_between_inverts_add(reference_calendar: WorkingCalendar, start: date, n: int) -> None:
    end = reference_calendar.add_working_days(start, n)
    assert reference_calendar.working_days_between(start, end) == n


@examples(1000)
@given(start=dates, n=st.integers(min_value=-400, max_value=-1))
def test_between_inverts_add_backwards(
    reference_calendar: WorkingCalendar, start: date, n: int
) -> None:
    end = reference_calendar.add_working_days(start, n)
    # From a rest day the backward count is one short: the start is not a working day.
    expected = n if reference_calendar.is_working_day(start) else n + 1
    assert reference_calendar.working_days_between(start, end) == expected


@examples(500)
@given(a=dates, span=st.integers(min_value=-700, max_value=700))
def test_between_is_antisymmetric(reference_calendar: WorkingCalendar, a: date, span: int) -> None:
    b = a + timedelta(days=span)
    between = reference_calendar.working_days_between
    assert between(b, a) == -between(a, b)


@examples(500)
@given(start=dates, n=st.integers(min_value=-400, max_value=399))
def test_add_is_strictly_monotonic_in_n(
    reference_calendar: WorkingCalendar, start: date, n: int
) -> None:
    assert reference_calendar.add_working_days(start, n) < reference_calendar.add_working_days(
        start, n + 1
    )


@examples(500)
@given(start=dates, n=steps.filter(bool))
def test_a_nonzero_result_is_a_working_day(
    reference_calendar: WorkingCalendar, start: date, n: int
) -> None:
    assert reference_calendar.is_working_day(reference_calendar.add_working_days(start, n))


@examples(300)
@given(a=dates, b=dates, c=dates)
def test_between_is_additive(
    reference_calendar: WorkingCalendar, a: date, b: date, c: date
) -> None:
    between = reference_calendar.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)
