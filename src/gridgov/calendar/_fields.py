"""The fields of a :class:`~gridgov.calendar.WorkCalendar`: converters and validators
(private to the calendar package)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

import attrs
from dateutil.rrule import weekday as _RRuleWeekday

import gridgov._validators as v
from gridgov.errors import InvalidValueError


def weekday_set(value: Iterable[Any]) -> frozenset[Any]:
    out: set[Any] = set()
    for item in v.check_items("weekdays", value, "WorkCalendar"):
        if isinstance(item, _RRuleWeekday):  # dateutil's MO, TU, ... (without an ordinal)
            if item.n:
                raise InvalidValueError(
                    f"'weekdays' of WorkCalendar must hold plain weekdays, not {v.show(item)}."
                )
            out.add(item.weekday)
        elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 6:
            out.add(item)
        else:
            raise InvalidValueError(
                "'weekdays' of WorkCalendar must hold weekday numbers 0 (Monday) to 6 (Sunday) "
                f"(got {v.show(item)})."
            )
    return frozenset(out)


def to_time(item: object) -> time:
    if isinstance(item, time):
        return item
    if isinstance(item, str):
        try:
            return time.fromisoformat(item.strip())
        except ValueError:
            pass
    raise InvalidValueError(
        f"'hours' of WorkCalendar must hold times such as time(8, 30) or '08:30' (got {v.show(item)})."
    )


def periods(value: Iterable[Any]) -> tuple[tuple[time, ...], ...]:
    out = []
    for period in v.check_items("hours", value, "WorkCalendar"):
        pair = period.split("-") if isinstance(period, str) else period
        try:
            start, end = pair
        except (TypeError, ValueError):
            raise InvalidValueError(
                "'hours' of WorkCalendar must hold (start, end) pairs or '08:30-12:00' strings "
                f"(got {v.show(period)})."
            ) from None
        out.append((to_time(start), to_time(end)))
    return tuple(out)


def hhmm(t: time) -> str:
    return t.isoformat("minutes" if not (t.second or t.microsecond) else "auto")


def check_weekdays(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for day in value:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise InvalidValueError(
                "'weekdays' of WorkCalendar must hold weekday numbers 0 (Monday) to 6 (Sunday) "
                f"(got {v.show(day)})."
            )
    if not value:
        raise InvalidValueError(
            "'weekdays' of WorkCalendar must hold at least one working weekday (got none)."
        )


def check_hours(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        raise InvalidValueError(
            "'hours' of WorkCalendar must hold at least one working period (got none)."
        )
    previous: time | None = None
    for start, end in value:
        for t in (start, end):
            if t.tzinfo is not None:
                raise InvalidValueError(
                    "'hours' of WorkCalendar must hold times of day without a timezone "
                    f"(got {t.isoformat()}); the calendar's utc_offset_minutes applies."
                )
        if not start < end:
            raise InvalidValueError(
                "'hours' of WorkCalendar must hold periods that start before they end "
                f"(got {hhmm(start)}-{hhmm(end)})."
            )
        if previous is not None and start <= previous:
            raise InvalidValueError(
                "'hours' of WorkCalendar must hold periods in order that neither overlap nor "
                f"touch (got {hhmm(start)}-{hhmm(end)} after a period ending at "
                f"{hhmm(previous)}); merge touching periods into one."
            )
        previous = end


def check_offset(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not -1439 <= value <= 1439:
        raise InvalidValueError(
            "'utc_offset_minutes' of WorkCalendar must be a whole number of minutes between "
            f"-1439 and 1439 (got {v.show(value)})."
        )
