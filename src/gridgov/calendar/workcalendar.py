"""The working calendar (工作日历): working days and hours, holidays and make-up workdays.

A :class:`WorkCalendar` says which days are worked and at which hours: working weekdays
(Monday to Friday by default), working periods in a day (08:30–12:00 and 14:00–18:00 by
default), holidays, and make-up workdays (调休: a Saturday or Sunday that is worked).  It adds
and measures working time; a :class:`~gridgov.calendar.TimeLimit` turns "3 working days",
"24 hours" or "same day" into a deadline on it.

Conventions, used by every method:

* **Aware datetimes only.**  A naive datetime raises
  :class:`~gridgov.errors.InvalidValueError`.  Moments are read, and results returned, in the
  calendar's fixed UTC offset (:attr:`WorkCalendar.tz`, UTC+8 by default).
* **Working periods are closed.**  A moment exactly at the start or the end of a period
  (08:30, 12:00, 14:00, 18:00) is working time, so a deadline "at close of business" is in
  working time.  A single instant has no duration, so this does not change any measure.
* **Adding working time gives the earliest working moment** at which that much working time
  has elapsed: one working hour from 11:00 is 12:00 (not 14:00), and one working hour from
  Saturday is Monday 09:30.
* **A working day is a duration**: the working hours of one day (7.5 hours by default).
  ``add_working_days(m, n)`` is the same working-clock position *n* working days later and
  equals ``add_working_hours(m, n * working_day_length)``; from before opening or on a day off
  it ends at the close of the *n*-th working day.  ``working_days_between`` counts whole working
  days of working time, so measuring back what was added gives *n* again.

Holiday data is an input: the library reads no files (see the "Working calendar" page for how
to feed it from the ``chinese-calendar`` package).

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> cal = WorkCalendar(holidays={date(2025, 10, 1)})
    >>> found = datetime(2025, 9, 30, 16, 0, tzinfo=CST)   # a Tuesday afternoon
    >>> print(cal.add_working_hours(found, 4))             # Wednesday is National Day
    2025-10-02 10:30:00+08:00
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone

import attrs
from dateutil.rrule import DAILY, rrule, rruleset

import gridgov._validators as v
from gridgov._time import CST
from gridgov.calendar._fields import (
    check_hours,
    check_offset,
    check_weekdays,
    hhmm,
    periods,
    weekday_set,
)
from gridgov.calendar._working import WorkingTime
from gridgov.errors import InvalidValueError
from gridgov.serialize import register

__all__ = ["MAX_HOLIDAYS", "WorkCalendar"]

MAX_HOLIDAYS = 10_000
"""The most holidays and make-up workdays, together, a calendar may hold."""

_ONE_US = timedelta(microseconds=1)
_CST_MINUTES = 480
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The default working periods: 08:30-12:00 and 14:00-18:00.
_DEFAULT_HOURS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(12, 0)),
    (time(14, 0), time(18, 0)),
)


# --------------------------------------------------------------------------- the calendar


@register
@attrs.frozen(kw_only=True)
class WorkCalendar:
    """Working days and hours, holidays and make-up workdays (调休), in one fixed UTC offset.

    A date is a working day if it is a make-up workday, or if its weekday is a working
    weekday and it is not a holiday.  Working time is the union of the working periods
    (closed: both ends count) of the working days.

    Attributes:
        weekdays: the working weekdays, 0 (Monday) to 6 (Sunday); dateutil's ``MO`` … ``SU``
            are accepted too.  Monday to Friday by default.
        hours: the working periods of a working day as ``(start, end)`` pairs of
            :class:`datetime.time` (or ``"08:30"`` strings, or ``"08:30-12:00"`` strings), in
            order, each starting before it ends, neither overlapping nor touching.  A period
            lies within one day; for round-the-clock limits use natural time.
        holidays: dates that are not worked although their weekday is.
        workdays: make-up workdays (调休) worked although their weekday is not.
        utc_offset_minutes: the calendar's fixed UTC offset in minutes (480, China Standard
            Time, by default).  Moments are read and returned in it.

    Raises:
        InvalidValueError: for a bad weekday, period or date, or a date that is both a holiday
            and a make-up workday (the message names the date).

    Example:
        >>> from datetime import date, time
        >>> cal = WorkCalendar(hours=["09:00-12:00", "13:30-17:30"],
        ...                    holidays={date(2025, 10, 1)}, workdays={date(2025, 9, 28)})
        >>> cal.is_working_day(date(2025, 9, 28)), cal.is_working_day(date(2025, 10, 1))
        (True, False)
        >>> cal.working_day_length
        datetime.timedelta(seconds=25200)
        >>> WorkCalendar(holidays={date(2025, 9, 28)}, workdays={date(2025, 9, 28)})
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 2025-09-28 is both in 'holidays' and in 'workdays' of WorkCalendar; a date is either a holiday or a make-up workday.
    """

    weekdays: frozenset[int] = attrs.field(
        default=frozenset(range(5)), converter=weekday_set, validator=check_weekdays
    )
    # Each period is a (start, end) pair, annotated tuple[time, ...]: gridgov.serialize
    # decodes variable-length tuple annotations only.
    hours: tuple[tuple[time, ...], ...] = attrs.field(
        default=_DEFAULT_HOURS, converter=periods, validator=check_hours
    )
    holidays: frozenset[date] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.plain_date)
    )
    workdays: frozenset[date] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.plain_date)
    )
    utc_offset_minutes: int = attrs.field(default=_CST_MINUTES, validator=check_offset)

    _time: WorkingTime = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if len(self.holidays) + len(self.workdays) > MAX_HOLIDAYS:
            raise InvalidValueError(
                f"'holidays' and 'workdays' of WorkCalendar must hold at most {MAX_HOLIDAYS:,} "
                f"dates together (got {len(self.holidays) + len(self.workdays):,})."
            )
        both = self.holidays & self.workdays
        if both:
            first = min(both)
            raise InvalidValueError(
                f"{first.isoformat()} is both in 'holidays' and in 'workdays' of WorkCalendar; "
                "a date is either a holiday or a make-up workday."
            )
        if self.utc_offset_minutes == _CST_MINUTES:
            tz = CST
        else:
            tz = timezone(timedelta(minutes=self.utc_offset_minutes))
        engine = WorkingTime(
            tz=tz,
            weekdays=self.weekdays,
            hours=self.hours,
            holidays=self.holidays,
            workdays=self.workdays,
        )
        object.__setattr__(self, "_time", engine)

    # ----------------------------------------------------------------------- properties

    @property
    def tz(self) -> timezone:
        """The calendar's timezone, a fixed UTC offset (``gridgov.CST`` by default).

        Example:
            >>> WorkCalendar().tz
            datetime.timezone(datetime.timedelta(seconds=28800), 'CST')
            >>> WorkCalendar(utc_offset_minutes=0).tz
            datetime.timezone.utc
        """
        return self._time.tz

    @property
    def working_day_length(self) -> timedelta:
        """The working time of one working day, the total length of :attr:`hours`.

        Example:
            >>> WorkCalendar().working_day_length
            datetime.timedelta(seconds=27000)
        """
        return timedelta(microseconds=self._time.day)

    @property
    def working_time(self) -> WorkingTime:
        """The calendar compiled for arithmetic (advanced; what deadline planners build on).

        Example:
            >>> WorkCalendar().working_time.day  # working microseconds in a day
            27000000000
        """
        return self._time

    # ----------------------------------------------------------------------- days

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether *day* is worked: a make-up workday, or a working weekday that is no holiday.

        Args:
            day: a date, or an aware datetime (its date in the calendar's timezone counts).

        Example:
            >>> from datetime import date, datetime, timezone
            >>> cal = WorkCalendar(holidays={date(2025, 10, 1)}, workdays={date(2025, 9, 28)})
            >>> [cal.is_working_day(date(2025, 9, d)) for d in (26, 27, 28, 29)]  # Fri to Mon
            [True, False, True, True]
            >>> cal.is_working_day(datetime(2025, 9, 30, 17, tzinfo=timezone.utc))  # Oct 1 in CST
            False
        """
        return self._time.working(self._time.ordinal("day", day))

    def count_working_dates(self, start: date | datetime, end: date | datetime) -> int:
        """The number of working days among the dates in ``[start, end)``.

        Counted by arithmetic over weeks, holidays and make-up workdays, without a loop over
        the days.  Negative (``-count_working_dates(end, start)``) if *end* is before *start*.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar(holidays={date(2025, 10, d) for d in range(1, 9)},
            ...                    workdays={date(2025, 9, 28), date(2025, 10, 11)})
            >>> cal.count_working_dates(date(2025, 9, 27), date(2025, 10, 13))
            6
        """
        first, stop = self._time.ordinal("start", start), self._time.ordinal("end", end)
        return self._time.count(first, stop) if stop >= first else -self._time.count(stop, first)

    def working_dates(self, start: date | datetime, end: date | datetime) -> Iterator[date]:
        """The working days among the dates in ``[start, end)``, in order.

        Built on a dateutil ``rruleset``: the working weekdays as a daily rule, make-up
        workdays as ``rdate`` s and holidays as ``exdate`` s.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar(holidays={date(2025, 10, d) for d in range(1, 9)},
            ...                    workdays={date(2025, 9, 28), date(2025, 10, 11)})
            >>> [d.day for d in cal.working_dates(date(2025, 9, 26), date(2025, 10, 13))]
            [26, 28, 29, 30, 9, 10, 11]
        """
        first, stop = self._time.ordinal("start", start), self._time.ordinal("end", end)
        if stop <= first:
            return iter(())
        begin = datetime.combine(date.fromordinal(first), time.min)
        last = datetime.combine(date.fromordinal(stop - 1), time.min)
        rules = rruleset()
        rules.rrule(rrule(DAILY, dtstart=begin, until=last, byweekday=sorted(self.weekdays)))
        for day in self.workdays:
            if first <= day.toordinal() < stop:
                rules.rdate(datetime.combine(day, time.min))
        for day in self.holidays:
            if first <= day.toordinal() < stop:
                rules.exdate(datetime.combine(day, time.min))
        return (moment.date() for moment in rules)

    # ----------------------------------------------------------------------- moments

    def is_working_time(self, moment: datetime) -> bool:
        """Whether *moment* falls in a working period (both ends included) of a working day.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> [cal.is_working_time(datetime(2026, 11, 30, h, m, tzinfo=CST))
            ...  for h, m in [(8, 0), (8, 30), (12, 0), (13, 0), (18, 0), (18, 1)]]
            [False, True, True, False, True, False]
            >>> cal.is_working_time(datetime(2026, 11, 30, 9))
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidValueError: 'moment' must be a timezone-aware datetime (got naive 2026-11-30T09:00:00); pass tzinfo=gridgov.CST or another timezone.
        """
        t = self._time
        _, ordinal, us = t.split("moment", moment)
        if not t.working(ordinal):
            return False
        i = bisect_left(t.ends, us)
        return i < len(t.ends) and t.starts[i] <= us

    def next_working_moment(self, moment: datetime) -> datetime:
        """*moment* itself if it is working time, else the start of the next working period.

        The result is in the calendar's timezone (equal to *moment* as an instant when
        *moment* is working time).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> print(cal.next_working_moment(datetime(2026, 11, 30, 12, 30, tzinfo=CST)))
            2026-11-30 14:00:00+08:00
            >>> print(cal.next_working_moment(datetime(2026, 11, 27, 18, 30, tzinfo=CST)))
            2026-11-30 08:30:00+08:00
        """
        local, ordinal, us = self._time.split("moment", moment)
        return self._time.next_working(local, ordinal, us)

    def end_of_working_day(self, moment: datetime) -> datetime:
        """The close of the working day at or after *moment* (下班时间).

        That is the end of the last working period of *moment*'s date if it is a working day
        and that period has not ended yet; otherwise the close of the next working day.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> print(cal.end_of_working_day(datetime(2026, 11, 27, 9, 0, tzinfo=CST)))
            2026-11-27 18:00:00+08:00
            >>> print(cal.end_of_working_day(datetime(2026, 11, 27, 19, 0, tzinfo=CST)))
            2026-11-30 18:00:00+08:00
        """
        _, ordinal, us = self._time.split("moment", moment)
        return self._time.end_of_day(ordinal, us)

    def add_working_hours(self, moment: datetime, hours: float | timedelta) -> datetime:
        """The earliest working moment by which *hours* of working time have passed.

        Lunch breaks, evenings, weekends and holidays do not count.  If the time runs out
        exactly at the end of a working period, that end is the result (it is working time).
        Adding zero gives :meth:`next_working_moment`.

        Args:
            moment: the aware start.
            hours: a non-negative number of hours, or a :class:`~datetime.timedelta`.

        Raises:
            InvalidValueError: for a naive *moment* or negative *hours*.

        Example:
            >>> from datetime import datetime, timedelta
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
            >>> print(cal.add_working_hours(friday, 2))
            2026-11-27 18:00:00+08:00
            >>> print(cal.add_working_hours(friday, timedelta(hours=5.5)))  # ends at lunch
            2026-11-30 12:00:00+08:00
            >>> cal.add_working_hours(friday, -1)
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidValueError: 'hours' must not be negative (got -1).
        """
        need = _microseconds("hours", hours)
        local, ordinal, us = self._time.split("moment", moment)
        return self._time.add(local, ordinal, us, need)

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The same working-clock position *days* working days later.

        Equal to ``add_working_hours(moment, days * working_day_length)``: from Wednesday
        10:00, three working days is the next Monday 10:00 (with Thursday and Friday worked).
        From a day off or before opening the clock starts at the next opening, so the result
        is the close of the *days*-th working day; from the lunch break it is the start of the
        lunch break, *days* working days later.

        Raises:
            InvalidValueError: for a naive *moment*, or *days* not a non-negative integer.

        Example:
            >>> from datetime import date, datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar(holidays={date(2025, 10, d) for d in range(1, 9)},
            ...                    workdays={date(2025, 9, 28), date(2025, 10, 11)})
            >>> print(cal.add_working_days(datetime(2025, 9, 26, 10, 0, tzinfo=CST), 3))
            2025-09-30 10:00:00+08:00
            >>> print(cal.add_working_days(datetime(2025, 10, 4, 10, 0, tzinfo=CST), 1))
            2025-10-09 18:00:00+08:00
        """
        if type(days) is not int and (
            isinstance(days, bool) or not isinstance(days, numbers.Integral)
        ):
            raise InvalidValueError(f"'days' must be a non-negative integer (got {v.show(days)}).")
        if days < 0:
            raise InvalidValueError(f"'days' must be a non-negative integer (got {v.show(days)}).")
        local, ordinal, us = self._time.split("moment", moment)
        return self._time.add(local, ordinal, us, int(days) * self._time.day)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The working time in ``[start, end)``; negative if *end* is before *start*.

        The sign makes it antisymmetric, so ``working_time_between(deadline, now)`` is how
        late a case is in working time (negative: how much is left).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> friday = datetime(2026, 11, 27, 11, 0, tzinfo=CST)
            >>> monday = datetime(2026, 11, 30, 9, 0, tzinfo=CST)
            >>> cal.working_time_between(friday, monday)   # 1 + 4 hours on Friday, 0.5 on Monday
            datetime.timedelta(seconds=19800)
            >>> cal.working_time_between(monday, friday)
            datetime.timedelta(days=-1, seconds=66600)
        """
        return timedelta(microseconds=self._time.signed_between(start, end))

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """The whole working days of working time in ``[start, end)``, truncated toward zero.

        ``working_time_between(start, end)`` divided by :attr:`working_day_length`, so that
        ``working_days_between(m, add_working_days(m, n)) == n``.  Negative if *end* is before
        *start*.  (To count dates instead, use :meth:`count_working_dates`.)

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=CST)
            >>> cal.working_days_between(wednesday, datetime(2026, 11, 30, 10, 0, tzinfo=CST))
            3
            >>> cal.working_days_between(wednesday, datetime(2026, 11, 30, 9, 59, tzinfo=CST))
            2
        """
        us = self._time.signed_between(start, end)
        whole = abs(us) // self._time.day
        return whole if us >= 0 else -whole

    # ----------------------------------------------------------------------- changes

    def with_holidays(
        self, holidays: Iterable[date], workdays: Iterable[date] = ()
    ) -> WorkCalendar:
        """A copy of the calendar with more holidays and make-up workdays added.

        Use this to feed a year's official arrangement (放假调休安排) into a calendar; to
        replace the dates instead, use ``attrs.evolve(calendar, holidays=..., workdays=...)``.

        Raises:
            InvalidValueError: if a date would be both a holiday and a make-up workday.

        Example:
            >>> from datetime import date
            >>> cal = WorkCalendar().with_holidays(
            ...     {date(2025, 10, d) for d in range(1, 9)},
            ...     workdays={date(2025, 9, 28), date(2025, 10, 11)})
            >>> len(cal.holidays), sorted(d.isoformat() for d in cal.workdays)
            (8, ['2025-09-28', '2025-10-11'])
        """
        return attrs.evolve(
            self, holidays=self.holidays.union(holidays), workdays=self.workdays.union(workdays)
        )

    def describe(self) -> str:
        """The working week as a grid worker reads it, in Chinese then English.

        Example:
            >>> WorkCalendar().describe()
            '周一至周五 08:30-12:00, 14:00-18:00 Mon-Fri (UTC+08:00)'
            >>> from datetime import date
            >>> WorkCalendar(weekdays=[0, 2, 5], hours=["09:00-17:00"],
            ...              holidays={date(2026, 1, 1)}).describe()
            '周一、周三、周六 09:00-17:00 Mon, Wed, Sat (UTC+08:00); 1 holiday, 0 make-up workdays'
        """
        days = sorted(self.weekdays)
        runs: list[list[int]] = []
        for d in days:
            if runs and runs[-1][-1] == d - 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        zh = "、".join(
            _WEEKDAY_ZH[r[0]] + ("" if len(r) == 1 else f"至{_WEEKDAY_ZH[r[-1]]}") for r in runs
        )
        en = ", ".join(
            _WEEKDAY_EN[r[0]] + ("" if len(r) == 1 else f"-{_WEEKDAY_EN[r[-1]]}") for r in runs
        )
        periods = ", ".join(f"{hhmm(s)}-{hhmm(e)}" for s, e in self.hours)
        sign = "+" if self.utc_offset_minutes >= 0 else "-"
        hh, mm = divmod(abs(self.utc_offset_minutes), 60)
        text = f"{zh} {periods} {en} (UTC{sign}{hh:02d}:{mm:02d})"
        if self.holidays or self.workdays:
            h, w = len(self.holidays), len(self.workdays)
            text += (
                f"; {h} holiday{'' if h == 1 else 's'}, {w} make-up workday{'' if w == 1 else 's'}"
            )
        return text


_MOST_HOURS = 24 * 366 * (v.MAX_YEAR - v.MIN_YEAR)  # no span of working time is longer


def _microseconds(what: str, amount: object) -> int:
    hours: float
    if isinstance(amount, timedelta):
        hours = amount / timedelta(hours=1)
    elif (
        isinstance(amount, int | float | numbers.Real)
        and not isinstance(amount, bool)
        and (type(amount) is int or math.isfinite(float(amount)))
    ):
        hours = amount  # type: ignore[assignment]
    else:
        raise InvalidValueError(
            f"'{what}' must be a number of hours or a timedelta (got {v.show(amount)})."
        )
    if hours < 0:
        raise InvalidValueError(f"'{what}' must not be negative (got {v.show(amount)}).")
    if hours > _MOST_HOURS:
        raise InvalidValueError(
            f"'{what}' must be at most {_MOST_HOURS:,} hours (got {v.show(amount)})."
        )
    if isinstance(amount, timedelta):
        return amount // _ONE_US
    return timedelta(hours=float(hours)) // _ONE_US


