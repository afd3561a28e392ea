"""The working-time arithmetic behind :class:`~gridgov.calendar.WorkCalendar` (private to the
calendar package).

:class:`WorkingTime` holds a calendar compiled into plain numbers — dates as proleptic
ordinals, times of day as microseconds after midnight — and does every computation on them
without loops over days.  It keeps no state: a :class:`Memo` passed in by the caller (the
:class:`~gridgov.calendar.DeadlinePlanner` owns one) remembers results that repeat, up to a
bound.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta, timezone

import gridgov._validators as v
from gridgov.errors import InvalidValueError

US_PER_HOUR = 3_600_000_000
LAST_DAY = date(v.MAX_YEAR, 12, 31).toordinal()
"""The last day a moment gridgov computes may fall on: working time never runs past it."""
US_PER_DAY = 24 * US_PER_HOUR

Split = tuple[datetime, int, int]
"""A moment as (the moment in the calendar's zone, its date ordinal, its microseconds of day)."""


def us_of_day(t: time) -> int:
    """Microseconds after midnight of a time of day."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _beyond() -> InvalidValueError:
    return InvalidValueError(
        f"working time added here would end after {v.MAX_YEAR}, the last year gridgov accepts; "
        "check the amount and the calendar's working hours."
    )


class Memo:
    """Results of the working-time arithmetic that repeat, kept up to *size* entries each
    (the oldest forgotten first).

    Deadlines of many cases start on the same few hundred days and end on the same few
    offsets, and building ``timedelta`` and ``datetime`` objects costs more than the
    arithmetic, so a planner that sets many deadlines remembers them.
    """

    __slots__ = ("deltas", "moments", "nth", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.nth: dict[tuple[int, int], int] = {}
        self.deltas: dict[int, timedelta] = {}
        self.moments: dict[tuple[int, int, tuple[int, ...]], tuple[datetime, ...]] = {}

    def __len__(self) -> int:
        return len(self.nth) + len(self.deltas) + len(self.moments)


def _keep(table: dict[object, object], size: int) -> None:
    """Forget the oldest entry of *table* when it is full (insertion order is age)."""
    if len(table) >= size:
        del table[next(iter(table))]


class WorkingTime:
    """A calendar compiled for arithmetic: immutable, and answering without loops over days."""

    __slots__ = (
        "before",
        "day",
        "ends",
        "extra",
        "flip",
        "mask",
        "off",
        "partial",
        "per_week",
        "starts",
        "tz",
        "upto",
    )

    tz: timezone
    mask: tuple[bool, ...]
    per_week: int
    partial: tuple[tuple[int, ...], ...]
    off: tuple[int, ...]
    extra: tuple[int, ...]
    flip: frozenset[int]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    before: tuple[int, ...]
    upto: tuple[int, ...]
    day: int

    def __init__(
        self,
        *,
        tz: timezone,
        weekdays: frozenset[int],
        hours: tuple[tuple[time, ...], ...],
        holidays: frozenset[date],
        workdays: frozenset[date],
    ) -> None:
        set_ = object.__setattr__
        mask = tuple(d in weekdays for d in range(7))
        set_(self, "tz", tz)
        set_(self, "mask", mask)
        set_(self, "per_week", sum(mask))
        # partial[w][r]: working weekdays among r consecutive days starting on weekday w.
        set_(
            self,
            "partial",
            tuple(
                tuple(sum(mask[(w + i) % 7] for i in range(r)) for r in range(8)) for w in range(7)
            ),
        )
        off = tuple(sorted(d.toordinal() for d in holidays if mask[d.weekday()]))
        extra = tuple(sorted(d.toordinal() for d in workdays if not mask[d.weekday()]))
        set_(self, "off", off)
        set_(self, "extra", extra)
        set_(self, "flip", frozenset(off) | frozenset(extra))
        starts = tuple(us_of_day(s) for s, _ in hours)
        ends = tuple(us_of_day(e) for _, e in hours)
        before, upto, total = [], [], 0
        for s, e in zip(starts, ends, strict=True):
            before.append(total)
            total += e - s
            upto.append(total)
        set_(self, "starts", starts)
        set_(self, "ends", ends)
        set_(self, "before", tuple(before))
        set_(self, "upto", tuple(upto))
        set_(self, "day", total)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("WorkingTime is immutable")

    # ----------------------------------------------------------------------- moments

    def split(self, what: str, moment: object) -> Split:
        """(moment in the calendar's zone, its date ordinal, its microseconds of day)."""
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            v.check_aware(what, moment)  # raises the error that says what is wrong
        assert isinstance(moment, datetime)
        if not v.MIN_YEAR <= moment.year <= v.MAX_YEAR:
            v.check_aware(what, moment)
        local = moment.astimezone(self.tz)
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
        return local, local.toordinal(), us + local.microsecond

    def ordinal(self, what: str, day: object) -> int:
        if isinstance(day, datetime):
            return self.split(what, day)[1]
        if isinstance(day, date):
            return v.check_date(what, day).toordinal()
        raise InvalidValueError(f"'{what}' must be a date or an aware datetime (got {v.show(day)}).")

    def working(self, ordinal: int) -> bool:
        return self.mask[(ordinal + 6) % 7] ^ (ordinal in self.flip)

    def at(self, ordinal: int, us: int) -> datetime:
        if ordinal > LAST_DAY:
            raise _beyond()
        day = date.fromordinal(ordinal)
        seconds, micro = divmod(us, 1_000_000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return datetime(day.year, day.month, day.day, hour, minute, second, micro, self.tz)

    def worked(self, us: int) -> int:
        """Working microseconds of a working day before the time of day *us*."""
        i = bisect_right(self.starts, us) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.before[i] + (us if us < end else end) - self.starts[i]

    def position(self, worked: int) -> int:
        """The earliest working time of day with *worked* microseconds worked before it."""
        i = bisect_left(self.upto, worked)
        return self.starts[i] + worked - self.before[i]

    # ----------------------------------------------------------------------- days

    def count(self, first: int, stop: int) -> int:
        """The number of working dates with ordinals in ``[first, stop)``."""
        if stop <= first:
            return 0
        weeks, rest = divmod(stop - first, 7)
        n = weeks * self.per_week + self.partial[(first + 6) % 7][rest]
        off, extra = self.off, self.extra
        if off:
            n -= bisect_left(off, stop) - bisect_left(off, first)
        if extra:
            n += bisect_left(extra, stop) - bisect_left(extra, first)
        return n

    def nth_after(self, ordinal: int, n: int, memo: Memo | None = None) -> int:
        """The ordinal of the *n*-th working date after *ordinal* (``n >= 1``)."""
        if memo is None:
            return self._find_nth_after(ordinal, n)
        found = memo.nth.get((ordinal, n))
        if found is None:
            _keep(memo.nth, memo.size)  # type: ignore[arg-type]
            found = memo.nth[(ordinal, n)] = self._find_nth_after(ordinal, n)
        return found

    def _find_nth_after(self, ordinal: int, n: int) -> int:
        per_week = self.per_week
        if n > per_week:
            # Jump whole weeks that hold fewer than n working dates (holidays and make-up
            # days are counted exactly by count), then step the last days one by one.
            days = ((n - 1) // per_week) * 7
            found = self.count(ordinal + 1, ordinal + days + 1)
            if found < n:
                ordinal += days
                n -= found
        mask, flip = self.mask, self.flip
        while True:
            ordinal += 1
            if ordinal > LAST_DAY:
                raise _beyond()
            if mask[(ordinal + 6) % 7] ^ (ordinal in flip):
                n -= 1
                if n == 0:
                    return ordinal

    # ----------------------------------------------------------------------- adding time

    def next_working(self, local: datetime, ordinal: int, us: int) -> datetime:
        if self.working(ordinal):
            i = bisect_left(self.ends, us)
            if i < len(self.ends):
                return local if self.starts[i] <= us else self.at(ordinal, self.starts[i])
        return self.at(self.nth_after(ordinal, 1), self.starts[0])

    def add(self, local: datetime, ordinal: int, us: int, need: int) -> datetime:
        """*need* working microseconds after (local, ordinal, us)."""
        if need == 0:
            return self.next_working(local, ordinal, us)
        return self.add_all(local, ordinal, us, (need,))[0]

    def add_all(
        self,
        local: datetime,
        ordinal: int,
        us: int,
        needs: tuple[int, ...],
        memo: Memo | None = None,
    ) -> tuple[datetime, ...]:
        """Each of *needs* (positive) working microseconds after (local, ordinal, us): the
        deadline arithmetic, for one start and all the limits set from it.

        With a *memo*, the two kinds of result that repeat are remembered:

        * a start strictly inside a working period keeps its offset into that period, so
          each result is ``local`` plus an offset that depends only on the need, the periods
          the start and the end fall in and the number of days between them: few distinct
          values, remembered as timedeltas;
        * any other start (a rest day, before or after hours, a break, a period's first
          instant) counts from a period boundary, so the results depend only on the date,
          that boundary and *needs*: remembered as the moments themselves.
        """
        if self.mask[(ordinal + 6) % 7] ^ (ordinal in self.flip):  # a working day
            starts = self.starts
            i = bisect_right(starts, us) - 1
            if i < 0:
                slot = -1  # before the first period
            else:
                start, end = starts[i], self.ends[i]
                if start < us <= end:
                    done = self.before[i] + us - start
                    out = []
                    for need in needs:
                        days, position = self.target(ordinal, done, need, memo)
                        offset = days * US_PER_DAY + position - us
                        if memo is None:
                            delta = timedelta(microseconds=offset)
                        else:
                            deltas = memo.deltas
                            found = deltas.get(offset)
                            if found is None:
                                _keep(deltas, memo.size)  # type: ignore[arg-type]
                                found = deltas[offset] = timedelta(microseconds=offset)
                            delta = found
                        out.append(local + delta)
                    return tuple(out)
                slot = 2 * i + (us > end)  # at the start of period i, or after its end
        else:
            slot = -2
        key = (ordinal, slot, needs)
        if memo is not None:
            moments = memo.moments.get(key)
            if moments is not None:
                return moments
        if slot == -2:
            done = self.day  # a rest day counts as a working day that is over
        elif slot == -1:
            done = 0
        else:
            done = self.upto[slot // 2] if slot % 2 else self.before[slot // 2]
        targets = [self.target(ordinal, done, need, memo) for need in needs]
        moments = tuple(self.at(ordinal + days, position) for days, position in targets)
        if memo is not None:
            _keep(memo.moments, memo.size)  # type: ignore[arg-type]
            memo.moments[key] = moments
        return moments

    def target(self, ordinal: int, done: int, need: int, memo: Memo | None) -> tuple[int, int]:
        """(days after *ordinal*, time of day) of the moment *need* working microseconds
        after *done* of them on working day *ordinal* (``need > 0``)."""
        day = self.day
        worked = done + need
        if worked <= day:
            return 0, self.position(worked)
        full, rest = divmod(worked - day - 1, day)  # the rest = full * day + (rest + 1)
        if full > LAST_DAY - ordinal:  # more working days than there are days left
            raise _beyond()
        return self.nth_after(ordinal, full + 1, memo) - ordinal, self.position(rest + 1)

    # ----------------------------------------------------------------------- measuring

    def between(self, a: int, ua: int, b: int, ub: int) -> int:
        """Working microseconds from (a, ua) to (b, ub), which is not earlier."""
        working, worked = self.working, self.worked
        if a == b:
            return worked(ub) - worked(ua) if working(a) else 0
        total = self.count(a + 1, b) * self.day
        if working(a):
            total += self.day - worked(ua)
        if working(b):
            total += worked(ub)
        return total

    def signed_between(self, start: datetime, end: datetime) -> int:
        _, a, ua = self.split("start", start)
        _, b, ub = self.split("end", end)
        if (b, ub) < (a, ua):
            return -self.between(b, ub, a, ua)
        return self.between(a, ua, b, ub)

    def end_of_day(self, ordinal: int, us: int) -> datetime:
        """The close of the working day at or after (ordinal, us)."""
        if not (self.working(ordinal) and us <= self.ends[-1]):
            ordinal = self.nth_after(ordinal, 1)
        return self.at(ordinal, self.ends[-1])
