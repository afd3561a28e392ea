"""Strategies for time: moments, working calendars and time limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov._time import CST
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.testing.strategies._common import (
    check_aware,
    check_bool,
    check_choice,
    check_date,
    check_int,
    check_order,
    check_strategy,
)

# The default window of time: calendars put their holidays and make-up workdays in it, and
# moments and issues fall in it, so that days off are dense around the drawn moments.
# MOMENT_MIN, MOMENT_MAX, ZONES and moments_between() are shared with issues() (in _issues),
# OFFICE with the escalation worlds (in _cases).
_WINDOW_START = date(2025, 9, 1)
_WINDOW_END = date(2026, 8, 31)
MOMENT_MIN = datetime(2025, 9, 1, tzinfo=CST)
MOMENT_MAX = datetime(2026, 9, 1, tzinfo=CST)
# Fixed offsets only (no tz database is read): China, UTC, UTC-5 and Nepal's UTC+5:45.
ZONES: tuple[tzinfo, ...] = (
    CST,
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=45)),
)
_OFFSETS = (480, 0, -300, 345)
OFFICE = WorkCalendar()  # Monday to Friday, 08:30-12:00 and 14:00-18:00, UTC+8
_Basis = Literal["working", "natural"]
_Unit = Literal["hours", "days"]
_BASES: tuple[_Basis, ...] = ("working", "natural")
_UNITS: tuple[_Unit, ...] = ("hours", "days")


def moments(
    *,
    min_value: datetime = MOMENT_MIN,
    max_value: datetime = MOMENT_MAX,
    timezones: SearchStrategy[tzinfo] | None = None,
) -> SearchStrategy[datetime]:
    """Timezone-aware datetimes from ``min_value`` to ``max_value`` (both instants included).

    Args:
        min_value: the earliest instant (an aware datetime).
        max_value: the latest instant (an aware datetime, not before ``min_value``).
        timezones: a strategy for the zone a moment is expressed in (default: fixed offsets
            UTC+8 (:data:`~gridgov.CST`), UTC, UTC-5 and UTC+5:45; no tz database is read).

    The default window, 2025-09-01 to 2026-09-01 in China Standard Time, is the window in
    which :func:`calendars` puts holidays and make-up workdays.  Moments shrink towards
    ``min_value`` expressed in the first zone (CST by default); within the window they shrink
    as :func:`hypothesis.strategies.datetimes` does, field by field, so round times such as
    08:30:00 exactly are drawn often.

    Raises:
        hypothesis.errors.InvalidArgument: if a bound is not an aware datetime or
            ``max_value < min_value``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov.testing.strategies import moments
        >>> moments(min_value=datetime(2026, 1, 1))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_value=datetime.datetime(2026, 1, 1, 0, 0) must be a timezone-aware datetime.
    """
    check_aware("min_value", min_value)
    check_aware("max_value", max_value)
    check_order("min_value", min_value, "max_value", max_value)
    check_strategy("timezones", timezones)
    return moments_between(
        min_value, max_value, st.sampled_from(ZONES) if timezones is None else timezones
    )


def moments_between(
    min_value: datetime, max_value: datetime, zones: SearchStrategy[tzinfo]
) -> SearchStrategy[datetime]:
    """Moments as :func:`moments` draws them, from arguments already checked."""
    # Drawn as a naive UTC wall time, then expressed in the drawn zone: the bounds hold as
    # instants whatever the zone, and the draw keeps st.datetimes' field-wise shrinking.
    lo = min_value.astimezone(UTC).replace(tzinfo=None)
    hi = max_value.astimezone(UTC).replace(tzinfo=None)
    return st.tuples(st.datetimes(lo, hi), zones).map(_in_zone)


def _in_zone(pair: tuple[datetime, tzinfo]) -> datetime:
    utc, zone = pair
    return utc.replace(tzinfo=UTC, fold=0).astimezone(zone)


def calendars(
    *,
    min_date: date = _WINDOW_START,
    max_date: date = _WINDOW_END,
    max_periods: int = 3,
    max_holidays: int = 60,
    max_workdays: int = 20,
    utc_offsets: SearchStrategy[int] | None = None,
) -> SearchStrategy[WorkCalendar]:
    """Working calendars: working weekdays, periods, holidays and make-up workdays (调休).

    Half of the draws keep the office week (Monday to Friday) and the office hours
    (08:30-12:00, 14:00-18:00); the others draw any non-empty set of weekdays and one to
    ``max_periods`` periods at whole seconds of the day.  Holidays and make-up workdays are
    dates from ``min_date`` to ``max_date`` (a date is never both).

    Args:
        min_date: the earliest holiday or make-up workday.
        max_date: the latest holiday or make-up workday.
        max_periods: the most working periods in a day (at least 1); the office hours, with
            two periods, are drawn only if ``max_periods >= 2``.
        max_holidays: the most holidays.
        max_workdays: the most make-up workdays.
        utc_offsets: a strategy for the calendar's UTC offset in minutes (default: 480, 0,
            -300 or 345).

    Calendars shrink towards the default :class:`~gridgov.WorkCalendar`: the office week and
    hours, no holidays, no make-up workdays, UTC+8; holidays and make-up workdays shrink
    towards ``min_date``.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_date < min_date``, ``max_periods < 1``,
            or a maximum is negative.

    Example:
        >>> from hypothesis.strategies import SearchStrategy, just
        >>> from gridgov.testing.strategies import calendars
        >>> isinstance(calendars(max_holidays=0, utc_offsets=just(480)), SearchStrategy)
        True
        >>> calendars(max_periods=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_periods=0 must be at least 1.
    """
    check_date("min_date", min_date)
    check_date("max_date", max_date)
    check_order("min_date", min_date, "max_date", max_date)
    check_int("max_periods", max_periods, at_least=1)
    check_int("max_holidays", max_holidays, at_least=0)
    check_int("max_workdays", max_workdays, at_least=0)
    check_strategy("utc_offsets", utc_offsets)
    weekdays: SearchStrategy[frozenset[int]] = st.one_of(
        st.just(OFFICE.weekdays), st.frozensets(st.integers(0, 6), min_size=1)
    )
    hours: SearchStrategy[tuple[tuple[time, ...], ...]] = _periods(max_periods)
    if len(OFFICE.hours) <= max_periods:
        hours = st.one_of(st.just(OFFICE.hours), hours)
    days = st.dates(min_date, max_date)
    return _calendars(
        weekdays,
        hours,
        st.frozensets(days, max_size=max_holidays),
        st.frozensets(days, max_size=max_workdays),
        st.sampled_from(_OFFSETS) if utc_offsets is None else utc_offsets,
    )


@st.composite
def _periods(draw: st.DrawFn, max_periods: int) -> tuple[tuple[time, ...], ...]:
    """One to *max_periods* working periods that neither overlap nor touch, on whole minutes
    (a working day of a few seconds would stretch a week's limit over centuries)."""
    n = draw(st.integers(1, max_periods))
    points = sorted(draw(st.sets(st.integers(0, 1439), min_size=2 * n, max_size=2 * n)))
    as_time = [time(p // 60, p % 60) for p in points]
    return tuple(zip(as_time[::2], as_time[1::2], strict=True))


@st.composite
def _calendars(
    draw: st.DrawFn,
    weekdays: SearchStrategy[frozenset[int]],
    hours: SearchStrategy[tuple[tuple[time, ...], ...]],
    holidays: SearchStrategy[frozenset[date]],
    workdays: SearchStrategy[frozenset[date]],
    offsets: SearchStrategy[int],
) -> WorkCalendar:
    days_off = draw(holidays)
    return WorkCalendar(
        weekdays=draw(weekdays),
        hours=draw(hours),
        holidays=days_off,
        workdays=draw(workdays) - days_off,
        utc_offset_minutes=draw(offsets),
    )


def time_limits(
    *,
    basis: _Basis | None = None,
    unit: _Unit | None = None,
    max_amount: int = 30,
    fractions: bool = True,
    to_end_of_day: bool | None = None,
) -> SearchStrategy[TimeLimit]:
    """Time limits (时限) such as "3 working days", "24 hours", "same day".

    Args:
        basis: ``"working"`` or ``"natural"``; default either.
        unit: ``"hours"`` or ``"days"``; default either.
        max_amount: the largest amount (at least 1).  Amounts are whole numbers from 1 (0 too
            for limits to the end of the day, such as "same day") ...
        fractions: ... and, if true, quarters (``0.25``, ``1.5``, ...) up to ``max_amount``.
        to_end_of_day: whether the limit runs to the end of the day its deadline falls on;
            default either.

    Time limits shrink towards one working hour (``TimeLimit.working_hours(1)``): the amount
    towards 1 (0 when to the end of the day), hours before days, working before natural
    time, and not to the end of the day.

    Raises:
        hypothesis.errors.InvalidArgument: for an unknown basis or unit, or
            ``max_amount < 1``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.testing.strategies import time_limits
        >>> isinstance(time_limits(basis="working", to_end_of_day=False), SearchStrategy)
        True
        >>> time_limits(unit="weeks")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: unit='weeks' must be one of ['hours', 'days'] or None.
    """
    check_choice("basis", basis, _BASES)
    check_choice("unit", unit, _UNITS)
    check_int("max_amount", max_amount, at_least=1)
    check_bool("fractions", fractions)
    if to_end_of_day is not None:
        check_bool("to_end_of_day", to_end_of_day)
    whole: SearchStrategy[float] = st.integers(1, max_amount)
    or_none: SearchStrategy[float] = st.integers(0, max_amount)
    if fractions:
        quarters = st.integers(1, 4 * max_amount).map(_quarters)
        whole, or_none = st.one_of(whole, quarters), st.one_of(or_none, quarters)
    return _time_limits(
        st.sampled_from(_BASES) if basis is None else st.just(basis),
        st.sampled_from(_UNITS) if unit is None else st.just(unit),
        st.booleans() if to_end_of_day is None else st.just(to_end_of_day),
        whole,
        or_none,
    )


def _quarters(q: int) -> float:
    return q / 4


@st.composite
def _time_limits(
    draw: st.DrawFn,
    bases: SearchStrategy[_Basis],
    units: SearchStrategy[_Unit],
    ends: SearchStrategy[bool],
    amounts: SearchStrategy[float],
    amounts_to_end: SearchStrategy[float],
) -> TimeLimit:
    to_end = draw(ends)
    return TimeLimit(
        amount=draw(amounts_to_end if to_end else amounts),
        unit=draw(units),
        basis=draw(bases),
        to_end_of_day=to_end,
    )
