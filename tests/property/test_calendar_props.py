"""Property tests for gridgov.calendar, checked against a brute-force reference.

Calendars, moments and time limits come from :mod:`gridgov.testing.strategies`, whose default
window puts holidays and make-up workdays densely around the drawn moments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gridgov import InvalidValueError, PolicyError, from_dict, to_dict
from gridgov.calendar import Deadline, DeadlinePlan, DeadlinePlanner, TimeLimit, WorkCalendar
from gridgov.testing.strategies import calendars, moments, time_limits

# Holidays and make-up workdays fall in calendars()' default window, 2025-09-01 to
# 2026-08-31; moments are drawn from its first half.
DATE_MIN, DATE_MAX = date(2025, 9, 1), date(2026, 8, 31)
MOMENT_MIN, MOMENT_MAX = datetime(2025, 9, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
T = TypeVar("T")


def window() -> st.SearchStrategy[datetime]:
    return moments(min_value=MOMENT_MIN, max_value=MOMENT_MAX)


working_day_counts = st.one_of(st.integers(0, 45), st.integers(46, 400))
durations = st.integers(0, 60 * 3_600_000_000).map(lambda us: timedelta(microseconds=us))


def in_years(call: Callable[[], T]) -> T:
    """*call*'s answer; a draw whose answer falls past the accepted years (a calendar working
    a second a day needs centuries for a few working hours) is skipped, not failed: the doors
    refuse such moments (what the calendar does at the edge of the years is
    tests/unit/test_calendar.py's business)."""
    try:
        found = call()
    except InvalidValueError as exc:
        assume("in the years" not in str(exc))
        raise
    moments = found if isinstance(found, list) else [found]
    assume(all(not isinstance(m, datetime) or m.year <= 2200 for m in moments))
    return found


# --------------------------------------------------------------------------- reference


def ref_is_working_day(cal: WorkCalendar, day: date) -> bool:
    if day in cal.workdays:
        return True
    return day.weekday() in cal.weekdays and day not in cal.holidays


def ref_between(cal: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time in [a, b) for a <= b, period by period, day by day."""
    a, b = a.astimezone(cal.tz), b.astimezone(cal.tz)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        if ref_is_working_day(cal, day):
            for start, end in cal.hours:
                lo = max(datetime.combine(day, start, cal.tz), a)
                hi = min(datetime.combine(day, end, cal.tz), b)
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total


# --------------------------------------------------------------------------- properties


@given(calendars(), window(), working_day_counts)
def test_adding_n_working_days_then_measuring_back_gives_n(
    cal: WorkCalendar, start: datetime, n: int
) -> None:
    due = cal.add_working_days(start, n)
    assert due >= start
    assert cal.working_days_between(start, due) == n
    assert cal.working_days_between(due, start) == -n
    assert due == cal.add_working_hours(start, cal.working_day_length * n)


@given(calendars(), window(), durations)
def test_add_working_hours_then_measuring_back_gives_the_hours(
    cal: WorkCalendar, start: datetime, hours: timedelta
) -> None:
    due = in_years(lambda: cal.add_working_hours(start, hours))
    assert due >= start
    assert cal.is_working_time(due)
    assert cal.working_time_between(start, due) == hours
    assert due.utcoffset() == cal.tz.utcoffset(None)
    if hours:  # the earliest such moment: a microsecond earlier, not enough has passed
        assert cal.working_time_between(start, due - ONE_US) < hours


@given(calendars(), window(), st.floats(0, 100, allow_nan=False))
def test_float_hours_match_timedelta_hours(
    cal: WorkCalendar, start: datetime, hours: float
) -> None:
    assert in_years(lambda: cal.add_working_hours(start, hours)) == cal.add_working_hours(
        start, timedelta(hours=hours)
    )


@given(calendars(), st.dates(DATE_MIN, DATE_MAX))
def test_make_up_workdays_count_and_holidays_do_not(cal: WorkCalendar, day: date) -> None:
    for workday in cal.workdays:
        assert cal.is_working_day(workday)
    for holiday in cal.holidays:
        assert not cal.is_working_day(holiday)
    assert cal.is_working_day(day) == ref_is_working_day(cal, day)
    noon = datetime.combine(day, cal.hours[0][0], cal.tz)
    assert cal.is_working_time(noon) == ref_is_working_day(cal, day)


@given(calendars(), st.dates(DATE_MIN, DATE_MAX), st.dates(DATE_MIN, DATE_MAX))
def test_counting_dates_agrees_with_the_rruleset_and_brute_force(
    cal: WorkCalendar, a: date, b: date
) -> None:
    a, b = min(a, b), max(a, b)
    listed = list(cal.working_dates(a, b))
    brute = [
        a + timedelta(days=i)
        for i in range((b - a).days)
        if ref_is_working_day(cal, a + timedelta(days=i))
    ]
    assert listed == brute
    assert cal.count_working_dates(a, b) == len(brute)
    assert cal.count_working_dates(b, a) == -cal.count_working_dates(a, b)


@given(calendars(), window(), window())
def test_working_time_between_matches_the_reference(
    cal: WorkCalendar, a: datetime, b: datetime
) -> None:
    if b < a:
        a, b = b, a
    expected = ref_between(cal, a, b)
    assert cal.working_time_between(a, b) == expected
    assert cal.working_time_between(b, a) == -expected
    assert cal.working_days_between(a, b) == expected // cal.working_day_length


@given(calendars(), window(), window(), window())
def test_working_time_is_additive(cal: WorkCalendar, a: datetime, b: datetime, c: datetime) -> None:
    between = cal.working_time_between
    assert between(a, b) + between(b, c) == between(a, c)


@given(calendars(), window())
def test_next_working_moment_is_idempotent_and_working_time(
    cal: WorkCalendar, moment: datetime
) -> None:
    nxt = cal.next_working_moment(moment)
    assert nxt >= moment
    assert cal.is_working_time(nxt)
    assert cal.next_working_moment(nxt) == nxt
    assert cal.working_time_between(moment, nxt) == timedelta()
    assert (nxt == moment) == cal.is_working_time(moment)


@given(calendars(), window())
def test_end_of_working_day_is_the_close_of_a_working_day(
    cal: WorkCalendar, moment: datetime
) -> None:
    end = cal.end_of_working_day(moment)
    assert end >= cal.next_working_moment(moment)
    assert cal.is_working_time(end)
    assert end.timetz().replace(tzinfo=None) == cal.hours[-1][1]
    assert cal.is_working_day(end.date())


@given(calendars(), window(), time_limits())
def test_deadlines_never_before_start_and_in_working_time_when_asked(
    cal: WorkCalendar, start: datetime, limit: TimeLimit
) -> None:
    due = in_years(lambda: limit.deadline(start, cal))
    assert due >= start
    assert due.utcoffset() == cal.tz.utcoffset(None)
    if limit.basis == "working":
        assert cal.is_working_time(due)
        if limit.unit == "days" and isinstance(limit.amount, int) and not limit.to_end_of_day:
            assert due == cal.add_working_days(start, limit.amount)
    elif limit.to_end_of_day:
        local = due.astimezone(cal.tz)
        assert local.time() == time(0)
        assert due > start
    else:
        assert due > start


@given(calendars(), time_limits())
def test_round_trip(cal: WorkCalendar, limit: TimeLimit) -> None:
    assert from_dict(to_dict(cal)) == cal
    assert from_dict(to_dict(limit)) == limit


@st.composite
def boundary_moments(draw: st.DrawFn, cal: WorkCalendar) -> datetime:
    """A moment at (or a microsecond either side of) a period boundary or midnight."""
    day = draw(st.dates(DATE_MIN, date(2026, 3, 1)))
    edges = [time(0), *(t for period in cal.hours for t in period)]
    at = datetime.combine(day, draw(st.sampled_from(edges)), cal.tz)
    return at + draw(st.sampled_from([-ONE_US, timedelta(), ONE_US]))


@given(st.data(), calendars())
def test_answers_do_not_depend_on_what_was_asked_before(
    data: st.DataObject, cal: WorkCalendar
) -> None:
    """A calendar is a value: asking in another order, or asking an equal calendar built
    afresh, gives the same answers."""
    starts = data.draw(st.lists(st.one_of(window(), boundary_moments(cal)), min_size=1))
    spans = data.draw(st.lists(durations, min_size=1, max_size=4))
    asked = [(start, span) for start in starts for span in spans]
    answers = in_years(lambda: [cal.add_working_hours(start, span) for start, span in asked])
    again = [cal.add_working_hours(start, span) for start, span in reversed(asked)]
    assert again[::-1] == answers
    fresh = from_dict(to_dict(cal))
    for (start, span), due in zip(asked, answers, strict=True):
        assert fresh.add_working_hours(start, span) == due
        assert cal.working_time_between(start, due) == span
        if span:
            assert cal.working_time_between(start, due - ONE_US) < span


# --------------------------------------------------------------------------- deadline plans


limit_lists = st.lists(st.one_of(st.none(), time_limits()), min_size=1, max_size=4)


@given(st.data(), calendars(), limit_lists, st.integers(1, 16))
def test_a_planner_never_changes_an_answer(
    data: st.DataObject, cal: WorkCalendar, limits: list[TimeLimit | None], size: int
) -> None:
    """DeadlinePlan.deadlines gives, with a planner or without, exactly the deadlines
    Deadline.of sets for each limit — however often a start repeats and whatever a small
    planner has forgotten in between."""
    plan = DeadlinePlan(limits, cal, source="rule:x")
    planner = DeadlinePlanner(cal, size=size)
    starts = data.draw(st.lists(st.one_of(window(), boundary_moments(cal)), min_size=1))
    for start in [*starts, *reversed(starts)]:
        try:
            expected = tuple(
                None
                if limit is None
                else Deadline.of(limit, start=start, calendar=cal, source="rule:x")
                for limit in limits
            )
        except InvalidValueError:
            # A calendar of a few seconds a week can push a deadline past the accepted
            # years; the edges of the years are tests/unit/test_calendar.py's business.
            continue
        assert plan.deadlines(start) == expected
        assert plan.deadlines(start, planner) == expected
        assert len(planner) <= 3 * size


FIFTY_YEARS = moments(
    min_value=datetime(1990, 1, 1, tzinfo=UTC), max_value=datetime(2040, 1, 1, tzinfo=UTC)
)


@given(
    calendars(),
    st.lists(time_limits(basis="working", max_amount=400), min_size=1, max_size=3),
    st.lists(FIFTY_YEARS, min_size=10, max_size=80),
    st.integers(1, 8),
)
def test_a_planner_stays_within_its_size_bound_over_fifty_years(
    cal: WorkCalendar, limits: list[TimeLimit | None], starts: list[datetime], size: int
) -> None:
    """Moments spread over fifty years share no results, so a planner keeps forgetting: it
    never holds more than its bound of each of its three kinds of result, and its answers
    stay right."""
    plan = DeadlinePlan(limits, cal)
    planner = DeadlinePlanner(cal, size=size)
    for start in starts:
        try:
            plain = plan.deadlines(start)
        except InvalidValueError:  # past the accepted years on a calendar of few hours
            with pytest.raises(InvalidValueError):
                plan.deadlines(start, planner)
            continue
        assert plan.deadlines(start, planner) == plain
        assert len(planner) <= 3 * size
        assert len(planner.memo.nth) <= size
        assert len(planner.memo.deltas) <= size
        assert len(planner.memo.moments) <= size


@given(calendars(), calendars(), limit_lists, window())
def test_a_planner_on_another_calendar_is_refused(
    cal: WorkCalendar, other: WorkCalendar, limits: list[TimeLimit | None], start: datetime
) -> None:
    plan = DeadlinePlan(limits, cal)
    if other == cal or all(limit is None for limit in limits):
        assert plan.deadlines(start, DeadlinePlanner(other)) == plan.deadlines(start)
        return
    with pytest.raises(PolicyError, match="'planner' must be on the plan's calendar"):
        plan.deadlines(start, DeadlinePlanner(other))


@given(calendars(), window(), time_limits(), st.lists(st.tuples(window(), durations), max_size=4))
def test_pauses_give_back_exactly_the_time_paused_before_the_due_moment(
    cal: WorkCalendar,
    start: datetime,
    limit: TimeLimit,
    pauses: list[tuple[datetime, timedelta]],
) -> None:
    """A pause before the (effective) due moment moves it by the time paused in the
    deadline's basis: wall-clock time, or working time on the calendar; a pause that starts
    after it moves nothing (late stays late)."""
    try:
        d = Deadline.of(limit, start=start, calendar=cal)
    except InvalidValueError:  # past the accepted years, on a calendar of a few seconds a week
        assume(False)
    for at, length in sorted(pauses):
        before = d.effective(cal)
        paused = d.paused(at, at + length)
        try:
            after = paused.effective(cal)
        except InvalidValueError:
            assume(False)
        assert after >= before
        if not paused.pauses or paused.pauses == d.pauses:
            assert after == before
            continue
        begun, ended = paused.pauses[-1]
        if begun >= before:
            assert after == before
        elif limit.basis == "natural":
            assert after == before + (ended - begun)
        else:
            left = cal.working_time_between(begun, before)
            assert after == max(before, cal.add_working_hours(ended, left))
        d = paused
