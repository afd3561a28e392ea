"""The working calendar (工作日历) and time limits (时限).

A :class:`WorkCalendar` says which days are worked and at which hours: working weekdays
(Monday to Friday by default), working periods in a day (08:30–12:00 and 14:00–18:00 by
default), holidays, and make-up workdays (调休: a Saturday or Sunday that is worked).  It adds
and measures working time, and a :class:`TimeLimit` turns "3 working days", "24 hours" or
"same day" into a deadline.

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
    >>> from gridgov.calendar import TimeLimit, WorkCalendar
    >>> cal = WorkCalendar(holidays={date(2025, 10, 1)})
    >>> found = datetime(2025, 9, 30, 16, 0, tzinfo=CST)   # a Tuesday afternoon
    >>> cal.add_working_hours(found, 4)                    # Wednesday is National Day
    datetime.datetime(2025, 10, 2, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'CST'))
    >>> print(TimeLimit.working_days(3).deadline(found, cal))
    2025-10-06 16:00:00+08:00
    >>> print(TimeLimit.same_day().deadline(found, cal))
    2025-10-01 00:00:00+08:00
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

import attrs
from dateutil.rrule import DAILY, rrule, rruleset
from dateutil.rrule import weekday as _RRuleWeekday

from gridgov import _validators as v
from gridgov._fast import trusted_constructor
from gridgov._seq import AppendOnly
from gridgov._time import CST
from gridgov._validators import check_aware, members_of, plain_date
from gridgov.errors import InvalidValueError
from gridgov.serialize import register

__all__ = ["MAX_HOLIDAYS", "MAX_LIMIT_DAYS", "Deadline", "TimeLimit", "WorkCalendar"]

MAX_HOLIDAYS = 10_000
"""The most holidays and make-up workdays, together, a calendar may hold."""
MAX_LIMIT_DAYS = 3653
"""The longest time limit, in days (ten years); hours are counted against 24 × this."""

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR
_ONE_US = timedelta(microseconds=1)
_CST_MINUTES = 480
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The default working periods: 08:30-12:00 and 14:00-18:00.
_DEFAULT_HOURS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(12, 0)),
    (time(14, 0), time(18, 0)),
)


# --------------------------------------------------------------------------- converters


def _weekday_set(value: Iterable[Any]) -> frozenset[Any]:
    out: set[Any] = set()
    for item in value:
        if isinstance(item, _RRuleWeekday):  # dateutil's MO, TU, ... (without an ordinal)
            if item.n:
                raise InvalidValueError(
                    f"'weekdays' of WorkCalendar must hold plain weekdays, not {item!r}."
                )
            out.add(item.weekday)
        else:
            out.add(item)
    return frozenset(out)


def _to_time(item: object) -> time:
    if isinstance(item, time):
        return item
    if isinstance(item, str):
        try:
            return time.fromisoformat(item.strip())
        except ValueError:
            pass
    raise InvalidValueError(
        f"'hours' of WorkCalendar must hold times such as time(8, 30) or '08:30' (got {item!r})."
    )


def _periods(value: Iterable[Any]) -> tuple[tuple[time, ...], ...]:
    out = []
    for period in value:
        pair = period.split("-") if isinstance(period, str) else period
        try:
            start, end = pair
        except (TypeError, ValueError):
            raise InvalidValueError(
                "'hours' of WorkCalendar must hold (start, end) pairs or '08:30-12:00' strings "
                f"(got {period!r})."
            ) from None
        out.append((_to_time(start), _to_time(end)))
    return tuple(out)


def _date_set(value: Iterable[Any] | None) -> frozenset[Any]:
    return frozenset(() if value is None else value)


def _hhmm(t: time) -> str:
    return t.isoformat("minutes" if not (t.second or t.microsecond) else "auto")


def _us_of_day(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


# --------------------------------------------------------------------------- validators


def _check_weekdays(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for day in value:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise InvalidValueError(
                "'weekdays' of WorkCalendar must hold weekday numbers 0 (Monday) to 6 (Sunday) "
                f"(got {day!r})."
            )
    if not value:
        raise InvalidValueError(
            "'weekdays' of WorkCalendar must hold at least one working weekday (got none)."
        )


def _check_hours(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
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
                f"(got {_hhmm(start)}-{_hhmm(end)})."
            )
        if previous is not None and start <= previous:
            raise InvalidValueError(
                "'hours' of WorkCalendar must hold periods in order that neither overlap nor "
                f"touch (got {_hhmm(start)}-{_hhmm(end)} after a period ending at "
                f"{_hhmm(previous)}); merge touching periods into one."
            )
        previous = end


def _check_offset(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not -1439 <= value <= 1439:
        raise InvalidValueError(
            "'utc_offset_minutes' of WorkCalendar must be a whole number of minutes between "
            f"-1439 and 1439 (got {value!r})."
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
        default=frozenset(range(5)), converter=_weekday_set, validator=_check_weekdays
    )
    # Each period is a (start, end) pair, annotated tuple[time, ...]: gridgov.serialize
    # decodes variable-length tuple annotations only.
    hours: tuple[tuple[time, ...], ...] = attrs.field(
        default=_DEFAULT_HOURS, converter=_periods, validator=_check_hours
    )
    holidays: frozenset[date] = attrs.field(
        default=frozenset(), converter=_date_set, validator=members_of(plain_date)
    )
    workdays: frozenset[date] = attrs.field(
        default=frozenset(), converter=_date_set, validator=members_of(plain_date)
    )
    utc_offset_minutes: int = attrs.field(default=_CST_MINUTES, validator=_check_offset)

    # Precomputed in __attrs_post_init__; times of day are microseconds after midnight and
    # dates are proleptic ordinals.
    _tz: timezone = attrs.field(init=False, repr=False, eq=False, hash=False)
    _mask: tuple[bool, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _per_week: int = attrs.field(init=False, repr=False, eq=False, hash=False)
    _partial: tuple[tuple[int, ...], ...] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _flip: frozenset[int] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _off: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _extra: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _ends: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _before: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _upto: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _day: int = attrs.field(init=False, repr=False, eq=False, hash=False)
    # A memo of _nth_after (a pure function of the calendar): deadlines of many cases start on
    # the same few hundred days.  Invisible from outside: equality, hashing and repr ignore it.
    _nth_memo: dict[tuple[int, int], int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    # Memos of _add's results, which take few distinct values (see _add); building a
    # timedelta or a datetime costs more than the rest of the arithmetic.
    _delta_memo: dict[int, timedelta] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _moment_memo: dict[tuple[int, int, tuple[int, ...]], tuple[datetime, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

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
        setattr_ = object.__setattr__
        if self.utc_offset_minutes == _CST_MINUTES:
            tz = CST
        else:
            tz = timezone(timedelta(minutes=self.utc_offset_minutes))
        setattr_(self, "_tz", tz)
        mask = tuple(d in self.weekdays for d in range(7))
        setattr_(self, "_mask", mask)
        setattr_(self, "_per_week", sum(mask))
        # _partial[w][r]: working weekdays among r consecutive days starting on weekday w.
        setattr_(
            self,
            "_partial",
            tuple(
                tuple(sum(mask[(w + i) % 7] for i in range(r)) for r in range(8)) for w in range(7)
            ),
        )
        off = sorted(d.toordinal() for d in self.holidays if mask[d.weekday()])
        extra = sorted(d.toordinal() for d in self.workdays if not mask[d.weekday()])
        setattr_(self, "_off", tuple(off))
        setattr_(self, "_extra", tuple(extra))
        setattr_(self, "_flip", frozenset(off) | frozenset(extra))
        setattr_(self, "_nth_memo", {})
        setattr_(self, "_delta_memo", {})
        setattr_(self, "_moment_memo", {})
        starts = tuple(_us_of_day(s) for s, _ in self.hours)
        ends = tuple(_us_of_day(e) for _, e in self.hours)
        before, upto, total = [], [], 0
        for s, e in zip(starts, ends, strict=True):
            before.append(total)
            total += e - s
            upto.append(total)
        setattr_(self, "_starts", starts)
        setattr_(self, "_ends", ends)
        setattr_(self, "_before", tuple(before))
        setattr_(self, "_upto", tuple(upto))
        setattr_(self, "_day", total)

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
        return self._tz

    @property
    def working_day_length(self) -> timedelta:
        """The working time of one working day: the total length of :attr:`hours`.

        Example:
            >>> WorkCalendar().working_day_length
            datetime.timedelta(seconds=27000)
        """
        return timedelta(microseconds=self._day)

    # ----------------------------------------------------------------------- private helpers

    def _split(self, what: str, moment: datetime) -> tuple[datetime, int, int]:
        """(moment in the calendar's zone, its date ordinal, its microseconds of day)."""
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            check_aware(what, moment)  # raises the error that says what is wrong
        local = moment.astimezone(self._tz)
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
        return local, local.toordinal(), us + local.microsecond

    def _ordinal(self, what: str, day: object) -> int:
        if isinstance(day, datetime):
            return self._split(what, day)[1]
        if isinstance(day, date):
            return day.toordinal()
        raise InvalidValueError(f"'{what}' must be a date or an aware datetime (got {day!r}).")

    def _working(self, ordinal: int) -> bool:
        return self._mask[(ordinal + 6) % 7] ^ (ordinal in self._flip)

    def _at(self, ordinal: int, us: int) -> datetime:
        day = date.fromordinal(ordinal)
        seconds, micro = divmod(us, 1_000_000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return datetime(day.year, day.month, day.day, hour, minute, second, micro, self._tz)

    def _worked(self, us: int) -> int:
        """Working microseconds of a working day before the time of day *us*."""
        i = bisect_right(self._starts, us) - 1
        if i < 0:
            return 0
        end = self._ends[i]
        return self._before[i] + (us if us < end else end) - self._starts[i]

    def _position(self, worked: int) -> int:
        """The earliest working time of day with *worked* microseconds worked before it."""
        i = bisect_left(self._upto, worked)
        return self._starts[i] + worked - self._before[i]

    def _count(self, first: int, stop: int) -> int:
        """The number of working dates with ordinals in ``[first, stop)``."""
        if stop <= first:
            return 0
        weeks, rest = divmod(stop - first, 7)
        n = weeks * self._per_week + self._partial[(first + 6) % 7][rest]
        off, extra = self._off, self._extra
        if off:
            n -= bisect_left(off, stop) - bisect_left(off, first)
        if extra:
            n += bisect_left(extra, stop) - bisect_left(extra, first)
        return n

    def _nth_after(self, ordinal: int, n: int) -> int:
        """The ordinal of the *n*-th working date after *ordinal* (``n >= 1``), memoised."""
        found = self._nth_memo.get((ordinal, n))
        if found is None:
            found = self._nth_memo[(ordinal, n)] = self._find_nth_after(ordinal, n)
        return found

    def _find_nth_after(self, ordinal: int, n: int) -> int:
        per_week = self._per_week
        if n > per_week:
            # Jump whole weeks that hold fewer than n working dates (holidays and make-up
            # days are counted exactly by _count), then step the last days one by one.
            days = ((n - 1) // per_week) * 7
            found = self._count(ordinal + 1, ordinal + days + 1)
            if found < n:
                ordinal += days
                n -= found
        mask, flip = self._mask, self._flip
        while True:
            ordinal += 1
            if mask[(ordinal + 6) % 7] ^ (ordinal in flip):
                n -= 1
                if n == 0:
                    return ordinal

    def _next_working(self, local: datetime, ordinal: int, us: int) -> datetime:
        if self._working(ordinal):
            i = bisect_left(self._ends, us)
            if i < len(self._ends):
                return local if self._starts[i] <= us else self._at(ordinal, self._starts[i])
        return self._at(self._nth_after(ordinal, 1), self._starts[0])

    def _add(self, local: datetime, ordinal: int, us: int, need: int) -> datetime:
        """*need* working microseconds after (local, ordinal, us)."""
        if need == 0:
            return self._next_working(local, ordinal, us)
        return self._add_all(local, ordinal, us, (need,))[0]

    def _add_all(
        self, local: datetime, ordinal: int, us: int, needs: tuple[int, ...]
    ) -> tuple[datetime, ...]:
        """Each of *needs* (positive) working microseconds after (local, ordinal, us): the
        deadline arithmetic, for one start and all the limits a rule sets from it.

        Building a timedelta or a datetime costs more than the arithmetic, so the two kinds
        of result that occur are memoised:

        * a start strictly inside a working period keeps its offset into that period, so
          each result is ``local`` plus an offset that depends only on the need, the periods
          the start and the end fall in and the number of days between them: few distinct
          values, memoised as timedeltas;
        * any other start (a rest day, before or after hours, a break, a period's first
          instant) counts from a period boundary, so the results depend only on the date,
          that boundary and *needs*: memoised as the moments themselves.
        """
        if self._mask[(ordinal + 6) % 7] ^ (ordinal in self._flip):  # a working day
            starts = self._starts
            i = bisect_right(starts, us) - 1
            if i < 0:
                slot = -1  # before the first period
            else:
                start, end = starts[i], self._ends[i]
                if start < us <= end:
                    done = self._before[i] + us - start
                    memo = self._delta_memo
                    out = []
                    for need in needs:
                        days, position = self._target(ordinal, done, need)
                        offset = days * _US_PER_DAY + position - us
                        delta = memo.get(offset)
                        if delta is None:
                            delta = memo[offset] = timedelta(microseconds=offset)
                        out.append(local + delta)
                    return tuple(out)
                slot = 2 * i + (us > end)  # at the start of period i, or after its end
        else:
            slot = -2
        key = (ordinal, slot, needs)
        moments = self._moment_memo.get(key)
        if moments is None:
            if slot == -2:
                done = self._day  # a rest day counts as a working day that is over
            elif slot == -1:
                done = 0
            else:
                done = self._upto[slot // 2] if slot % 2 else self._before[slot // 2]
            targets = [self._target(ordinal, done, need) for need in needs]
            moments = self._moment_memo[key] = tuple(
                self._at(ordinal + days, position) for days, position in targets
            )
        return moments

    def _target(self, ordinal: int, done: int, need: int) -> tuple[int, int]:
        """(days after *ordinal*, time of day) of the moment *need* working microseconds
        after *done* of them on working day *ordinal* (``need > 0``)."""
        day = self._day
        worked = done + need
        if worked <= day:
            return 0, self._position(worked)
        full, rest = divmod(worked - day - 1, day)  # the rest = full * day + (rest + 1)
        return self._nth_after(ordinal, full + 1) - ordinal, self._position(rest + 1)

    def _between(self, a: int, ua: int, b: int, ub: int) -> int:
        """Working microseconds from (a, ua) to (b, ub), which is not earlier."""
        working, worked = self._working, self._worked
        if a == b:
            return worked(ub) - worked(ua) if working(a) else 0
        total = self._count(a + 1, b) * self._day
        if working(a):
            total += self._day - worked(ua)
        if working(b):
            total += worked(ub)
        return total

    def _signed_between(self, start: datetime, end: datetime) -> int:
        _, a, ua = self._split("start", start)
        _, b, ub = self._split("end", end)
        if (b, ub) < (a, ua):
            return -self._between(b, ub, a, ua)
        return self._between(a, ua, b, ub)

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
        return self._working(self._ordinal("day", day))

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
        first, stop = self._ordinal("start", start), self._ordinal("end", end)
        return self._count(first, stop) if stop >= first else -self._count(stop, first)

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
        first, stop = self._ordinal("start", start), self._ordinal("end", end)
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
        _, ordinal, us = self._split("moment", moment)
        if not self._working(ordinal):
            return False
        i = bisect_left(self._ends, us)
        return i < len(self._ends) and self._starts[i] <= us

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
        local, ordinal, us = self._split("moment", moment)
        return self._next_working(local, ordinal, us)

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
        _, ordinal, us = self._split("moment", moment)
        if not (self._working(ordinal) and us <= self._ends[-1]):
            ordinal = self._nth_after(ordinal, 1)
        return self._at(ordinal, self._ends[-1])

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
        local, ordinal, us = self._split("moment", moment)
        return self._add(local, ordinal, us, need)

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
            raise InvalidValueError(f"'days' must be a non-negative integer (got {days!r}).")
        if days < 0:
            raise InvalidValueError(f"'days' must be a non-negative integer (got {days!r}).")
        local, ordinal, us = self._split("moment", moment)
        return self._add(local, ordinal, us, int(days) * self._day)

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
        return timedelta(microseconds=self._signed_between(start, end))

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
        us = self._signed_between(start, end)
        whole = abs(us) // self._day
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
        periods = ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in self.hours)
        sign = "+" if self.utc_offset_minutes >= 0 else "-"
        hh, mm = divmod(abs(self.utc_offset_minutes), 60)
        text = f"{zh} {periods} {en} (UTC{sign}{hh:02d}:{mm:02d})"
        if self.holidays or self.workdays:
            h, w = len(self.holidays), len(self.workdays)
            text += (
                f"; {h} holiday{'' if h == 1 else 's'}, {w} make-up workday{'' if w == 1 else 's'}"
            )
        return text


def _microseconds(what: str, amount: object) -> int:
    if isinstance(amount, timedelta):
        span = amount
    elif type(amount) is int or type(amount) is float:
        if not math.isfinite(amount):
            raise InvalidValueError(
                f"'{what}' must be a number of hours or a timedelta (got {amount!r})."
            )
        span = timedelta(hours=amount)
    elif (
        isinstance(amount, numbers.Real)
        and not isinstance(amount, bool)
        and math.isfinite(float(amount))
    ):
        span = timedelta(hours=float(amount))
    else:
        raise InvalidValueError(
            f"'{what}' must be a number of hours or a timedelta (got {amount!r})."
        )
    if span < timedelta(0):
        raise InvalidValueError(f"'{what}' must not be negative (got {amount!r}).")
    return span // _ONE_US


# --------------------------------------------------------------------------- time limits


def _amount(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(amount: float) -> str:
    return str(amount) if not isinstance(amount, float) else f"{amount:g}"


@register
@attrs.frozen(kw_only=True)
class TimeLimit:
    """A time limit (时限) such as "3 working days", "24 hours" or "same day", as data.

    Attributes:
        amount: how much time; positive (zero only with ``to_end_of_day``).  Fractions are
            allowed (``0.5`` working days is half a working day).
        unit: ``"hours"`` or ``"days"``.
        basis: ``"working"`` (counted on a :class:`WorkCalendar`; a working day is the
            calendar's :attr:`~WorkCalendar.working_day_length`) or ``"natural"``
            (wall-clock time: 24 hours, 3 days).
        to_end_of_day: extend the deadline to the end of the day it falls on: for natural
            time the next midnight (00:00 of the following day), for working time the close
            of that working day.  With ``amount=0`` this gives "same day"
            (:meth:`same_day`) and "by the end of the working day"
            (:meth:`end_of_working_day`).

    Example:
        >>> TimeLimit(amount=3, unit="days", basis="working").describe()
        '3个工作日 3 working days'
        >>> TimeLimit(amount=0, unit="hours", basis="natural")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'amount' of TimeLimit must be positive (got 0); use to_end_of_day=True for a same-day limit.
    """

    amount: float = attrs.field(converter=_amount)
    unit: Literal["hours", "days"]
    basis: Literal["working", "natural"]
    to_end_of_day: bool = False

    def __attrs_post_init__(self) -> None:
        amount = self.amount
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int | float)
            or not math.isfinite(amount)
        ):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be a finite number (got {amount!r})."
            )
        if amount > (MAX_LIMIT_DAYS if self.unit == "days" else 24 * MAX_LIMIT_DAYS):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be at most {MAX_LIMIT_DAYS:,} days "
                f"({24 * MAX_LIMIT_DAYS:,} hours) (got {v.show(amount)} {v.show(self.unit)})."
            )
        if amount < 0 or (amount == 0 and not self.to_end_of_day):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be positive (got {amount!r}); "
                "use to_end_of_day=True for a same-day limit."
            )
        if self.unit not in ("hours", "days"):
            raise InvalidValueError(
                f"'unit' of TimeLimit must be 'hours' or 'days' (got {self.unit!r})."
            )
        if self.basis not in ("working", "natural"):
            raise InvalidValueError(
                f"'basis' of TimeLimit must be 'working' or 'natural' (got {self.basis!r})."
            )
        if not isinstance(self.to_end_of_day, bool):
            raise InvalidValueError(
                f"'to_end_of_day' of TimeLimit must be true or false (got {self.to_end_of_day!r})."
            )

    # ----------------------------------------------------------------------- constructors

    @classmethod
    def working_hours(cls, amount: float) -> TimeLimit:
        """*amount* working hours.

        Example:
            >>> TimeLimit.working_hours(2).describe()
            '2个工作小时 2 working hours'
        """
        return cls(amount=amount, unit="hours", basis="working")

    @classmethod
    def working_days(cls, amount: float) -> TimeLimit:
        """*amount* working days.

        Example:
            >>> TimeLimit.working_days(13).describe()
            '13个工作日 13 working days'
        """
        return cls(amount=amount, unit="days", basis="working")

    @classmethod
    def natural_hours(cls, amount: float) -> TimeLimit:
        """*amount* hours of wall-clock time.

        Example:
            >>> TimeLimit.natural_hours(24).describe()
            '24小时 24 hours'
        """
        return cls(amount=amount, unit="hours", basis="natural")

    @classmethod
    def natural_days(cls, amount: float) -> TimeLimit:
        """*amount* days of wall-clock time (24 hours each).

        Example:
            >>> TimeLimit.natural_days(7).describe()
            '7个自然日 7 days'
        """
        return cls(amount=amount, unit="days", basis="natural")

    @classmethod
    def same_day(cls) -> TimeLimit:
        """By the end of the natural day of the start: the next midnight (当天).

        Example:
            >>> TimeLimit.same_day()
            TimeLimit(amount=0, unit='days', basis='natural', to_end_of_day=True)
            >>> TimeLimit.same_day().describe()
            '当天 same day'
        """
        return cls(amount=0, unit="days", basis="natural", to_end_of_day=True)

    @classmethod
    def end_of_working_day(cls) -> TimeLimit:
        """By the close of the working day at or after the start (当日下班前).

        Example:
            >>> TimeLimit.end_of_working_day().describe()
            '当个工作日下班前 by the end of the working day'
        """
        return cls(amount=0, unit="days", basis="working", to_end_of_day=True)

    # ----------------------------------------------------------------------- use

    def deadline(self, start: datetime, calendar: WorkCalendar) -> datetime:
        """The deadline of this limit for something that starts at *start*.

        Natural limits add wall-clock time; working limits use
        :meth:`WorkCalendar.add_working_hours` (a working day being the calendar's
        :attr:`~WorkCalendar.working_day_length`), so their deadline is working time — possibly
        exactly the end of a working period, which counts as working time.  The deadline is
        never before *start*, and is returned in the calendar's timezone.  Something done at or
        before the deadline is on time.

        Raises:
            InvalidValueError: for a naive *start* or a *calendar* that is not a WorkCalendar.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> friday = datetime(2026, 11, 27, 17, 0, tzinfo=CST)
            >>> for limit in (TimeLimit.natural_hours(24), TimeLimit.working_hours(2),
            ...               TimeLimit.working_days(1), TimeLimit.same_day(),
            ...               TimeLimit.end_of_working_day()):
            ...     print(limit.deadline(friday, cal), limit.describe())
            2026-11-28 17:00:00+08:00 24小时 24 hours
            2026-11-30 09:30:00+08:00 2个工作小时 2 working hours
            2026-11-30 17:00:00+08:00 1个工作日 1 working day
            2026-11-28 00:00:00+08:00 当天 same day
            2026-11-27 18:00:00+08:00 当个工作日下班前 by the end of the working day
        """
        check_aware("start", start)
        if not isinstance(calendar, WorkCalendar):
            raise InvalidValueError(
                f"'calendar' must be a WorkCalendar (got {type(calendar).__name__})."
            )
        return self._deadline(calendar._split("start", start), calendar)

    def _planner(
        self, calendar: WorkCalendar
    ) -> timedelta | int | Callable[[datetime, int, int], datetime]:
        """How batch callers that have validated and split the start already compute this
        limit's deadline (private): a timedelta to add to the local start (natural time), the
        positive working microseconds to pass to ``calendar._add_all`` (working time), or
        else a function (local start, its date ordinal, its microseconds of day) → deadline."""
        if self.basis == "natural" and not self.to_end_of_day:
            if self.unit == "hours":
                return timedelta(hours=self.amount)
            return timedelta(days=self.amount)
        if self.basis == "working" and not self.to_end_of_day:
            unit_us = _US_PER_HOUR if self.unit == "hours" else calendar._day
            need = self.amount * unit_us
            need = need if type(need) is int else round(need)
            if need > 0:
                return need
        return lambda local, ordinal, us: self._deadline((local, ordinal, us), calendar)

    def _deadline(self, split: tuple[datetime, int, int], calendar: WorkCalendar) -> datetime:
        """The deadline from an already split, validated start (shared by batch callers)."""
        local, ordinal, us = split
        if self.basis == "working":
            unit_us = _US_PER_HOUR if self.unit == "hours" else calendar._day
            need = self.amount * unit_us
            due = calendar._add(local, ordinal, us, need if type(need) is int else round(need))
            return calendar.end_of_working_day(due) if self.to_end_of_day else due
        span = timedelta(hours=self.amount) if self.unit == "hours" else timedelta(days=self.amount)
        due = local + span
        if self.to_end_of_day:
            due = datetime.combine(due.date() + timedelta(days=1), time.min, calendar.tz)
        return due

    def describe(self) -> str:
        """The limit as a grid worker reads it, in Chinese then English.

        Example:
            >>> TimeLimit.natural_hours(24).describe()
            '24小时 24 hours'
            >>> TimeLimit(amount=1, unit="days", basis="working", to_end_of_day=True).describe()
            '1个工作日，至当日下班 1 working day, to the end of that working day'
        """
        if self.amount == 0:  # only with to_end_of_day
            if self.basis == "natural":
                return "当天 same day"
            return "当个工作日下班前 by the end of the working day"
        n = _number(self.amount)
        s = "" if self.amount == 1 else "s"
        if self.basis == "working":
            if self.unit == "days":
                zh, en = f"{n}个工作日", f"{n} working day{s}"
            else:
                zh, en = f"{n}个工作小时", f"{n} working hour{s}"
        elif self.unit == "days":
            zh, en = f"{n}个自然日", f"{n} day{s}"
        else:
            zh, en = f"{n}小时", f"{n} hour{s}"
        if self.to_end_of_day:
            if self.basis == "working":
                zh, en = f"{zh}，至当日下班", f"{en}, to the end of that working day"
            else:
                zh, en = f"{zh}，至当日24时", f"{en}, to the end of that day"
        return f"{zh} {en}"


# --------------------------------------------------------------------------- deadlines


def _pause_pairs(value: object) -> AppendOnly[tuple[datetime, datetime]]:
    if isinstance(value, AppendOnly):
        return value
    if not v._is_collection(value):
        raise v.refuse("pauses", "Deadline", "a collection of (start, end) pairs", value)
    pairs: list[tuple[datetime, datetime]] = []
    for pair in value:  # type: ignore[attr-defined]
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise v.refuse("pauses", "Deadline", "(start, end) pairs of datetimes", pair)
        pairs.append((pair[0], pair[1]))
    return AppendOnly(pairs)


@register
@attrs.frozen(kw_only=True)
class Deadline:
    """A deadline on a clock: when it falls due, what set it, and the time given back.

    The clock started at ``start`` and falls due at ``due``; ``pauses`` are the stretches of
    time, since then, during which the clock was stopped (a suspension, or a resolution
    awaiting verification).  :meth:`effective` gives the due moment with that time given
    back, in the deadline's ``basis``: wall-clock time for ``"natural"``, working time on a
    :class:`WorkCalendar` for ``"working"``.  A pause that began after the deadline had
    already passed gives nothing back: late stays late.  Pauses are kept in a sequence that
    grows by sharing, so a clock paused *n* times costs O(n) in all, not O(n²).

    Attributes:
        start: when the clock started (the case was filed, escalated, re-routed …).
        due: the deadline before any pause is given back.
        basis: ``"working"`` or ``"natural"``: how paused time is measured.
        limit: the time limit that set the deadline, if known.
        source: what set it: ``"rule:<id>"`` (a routing rule), ``"sla:<name>"`` (an
            escalation policy's SLA), ``"body:<id>"`` (an external body's SLA),
            ``"extension"`` (a granted extension), or ``""`` when not known.
        pauses: ``(start, end)`` pairs, in order, each within the life of the clock.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> cal = WorkCalendar()
        >>> friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
        >>> d = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=cal,
        ...                 source="rule:default")
        >>> print(d.due, d.source)
        2026-11-30 10:30:00+08:00 rule:default
        >>> # suspended from 17:00 on Friday to 09:00 on Monday: the 1.5 working hours
        >>> # in between are given back
        >>> paused = d.paused(datetime(2026, 11, 27, 17, 0, tzinfo=CST),
        ...                   datetime(2026, 11, 30, 9, 0, tzinfo=CST))
        >>> print(paused.effective(cal))
        2026-11-30 12:00:00+08:00
    """

    start: datetime = attrs.field(validator=v.aware)
    due: datetime = attrs.field(validator=v.aware)
    basis: Literal["working", "natural"] = "natural"
    limit: TimeLimit | None = attrs.field(default=None, validator=v.optional(v.is_a(TimeLimit)))
    source: str = attrs.field(default="", validator=v.text)
    pauses: Sequence[tuple[datetime, datetime]] = attrs.field(
        default=(), converter=_pause_pairs
    )

    def __attrs_post_init__(self) -> None:
        if self.basis not in ("working", "natural"):
            raise InvalidValueError(
                f"'basis' of Deadline must be 'working' or 'natural' (got {v.show(self.basis)})."
            )
        if len(self.source) > v.MAX_NAME:
            raise InvalidValueError(
                f"'source' of Deadline must be at most {v.MAX_NAME} characters "
                f"(got {len(self.source):,})."
            )
        if self.due < self.start:
            raise InvalidValueError(
                f"'due' of Deadline must not be before its start {self.start.isoformat()} "
                f"(got {self.due.isoformat()})."
            )
        previous = self.start
        for start, end in self.pauses:
            v.check_aware("pauses", start, "Deadline")
            v.check_aware("pauses", end, "Deadline")
            if start < previous or end < start:
                raise InvalidValueError(
                    "'pauses' of Deadline must be in order, after the clock's start, each "
                    f"ending after it starts (got {start.isoformat()} to {end.isoformat()} after "
                    f"{previous.isoformat()})."
                )
            previous = end

    @classmethod
    def of(
        cls, limit: TimeLimit, *, start: datetime, calendar: WorkCalendar, source: str = ""
    ) -> Deadline:
        """The deadline *limit* sets for a clock started at *start*, on *calendar*.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> d = Deadline.of(TimeLimit.working_days(3),
            ...                 start=datetime(2026, 11, 25, 10, 0, tzinfo=CST),
            ...                 calendar=WorkCalendar())
            >>> print(d.due, d.basis)
            2026-11-30 10:00:00+08:00 working
        """
        v.check_instance("limit", limit, TimeLimit)
        return cls(
            start=start,
            due=limit.deadline(start, calendar),
            basis=limit.basis,
            limit=limit,
            source=source,
        )

    def paused(self, start: datetime, end: datetime) -> Deadline:
        """A copy with the clock stopped from *start* to *end* (O(1): the pauses are shared).

        Time before the clock started, or already given back by an earlier pause, is not
        given back twice: the pause is clipped to begin at the later of *start*, the clock's
        start and the end of the last pause (and ignored if nothing is left of it).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> d = Deadline(start=t, due=t.replace(hour=18))
            >>> len(d.paused(t.replace(hour=10), t.replace(hour=11)).pauses)
            1
        """
        v.check_aware("start", start)
        v.check_aware("end", end)
        if end < start:
            raise InvalidValueError(
                f"'end' of a pause must not be before its start {start.isoformat()} "
                f"(got {end.isoformat()})."
            )
        floor = self.pauses[-1][1] if self.pauses else self.start
        if start < floor:
            start = floor
        if end <= start:
            return self
        pauses = self.pauses
        assert isinstance(pauses, AppendOnly)  # the converter makes one
        return _new_deadline(
            self.start, self.due, self.basis, self.limit, self.source, pauses.plus((start, end))
        )

    def effective(self, calendar: WorkCalendar | None = None) -> datetime:
        """The due moment with the paused time given back.

        Args:
            calendar: the working calendar; needed only for a ``"working"`` deadline that
                has pauses.

        Raises:
            InvalidValueError: if a calendar is needed and none is given.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> d = Deadline(start=t, due=t.replace(hour=18), basis="natural")
            >>> print(d.paused(t.replace(hour=10), t.replace(hour=12)).effective())
            2026-11-26 20:00:00+08:00
        """
        due = self.due
        if not self.pauses:
            return due
        if self.basis == "working" and not isinstance(calendar, WorkCalendar):
            raise InvalidValueError(
                "'calendar' must be a WorkCalendar to give back paused working time "
                f"(got {v.show(calendar)})."
            )
        for start, end in self.pauses:
            if start >= due:
                break  # already late when the clock stopped: nothing to give back
            if self.basis == "natural":
                due = due + (end - start)
            else:
                assert calendar is not None
                left = calendar.working_time_between(start, due)
                moved = calendar.add_working_hours(end, left)
                due = moved if moved > due else due
        return due


_new_deadline = trusted_constructor(Deadline)
