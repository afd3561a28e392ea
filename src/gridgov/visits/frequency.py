"""Visit frequencies (走访频次): how often a resident must be visited, and the grace before a
visit counts as missed.

A :class:`Frequency` is daily, every *n* days, weekly (optionally on given weekdays), every
*n* weeks, monthly, quarterly, or an explicit dateutil ``rrule``.  *Interval* frequencies
count from the last visit; *calendar* frequencies (weekdays, an rrule) have fixed
occurrences, each closing the period that began the day after the one before.

Example:
    >>> from datetime import date
    >>> Frequency.monthly().next_after(date(2026, 1, 31))
    datetime.date(2026, 2, 28)
    >>> Frequency.weekly([0]).next_after(date(2026, 11, 26))  # a Thursday
    datetime.date(2026, 12, 7)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule as RRule
from dateutil.rrule import rruleset as RRuleSet

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.serialize import register
from gridgov.visits._schedule import MAX_COUNT, Schedule

__all__ = ["MAX_RRULE_COUNT", "MAX_VISIT_DAYS", "Frequency", "FrequencyUnit"]

MAX_VISIT_DAYS = 3_650
"""The longest interval of a frequency and the longest grace, in days (ten years) — at most
3,650 days, 521 weeks or 120 months between visits.  An rrule's INTERVAL may span at most
ten years too."""
MAX_RRULE_COUNT = MAX_COUNT
"""The largest COUNT an rrule frequency may give."""

_DAYS_PER_MONTH = 365.2425 / 12
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class FrequencyUnit(enum.Enum):
    """The unit a :class:`Frequency` counts in.

    Example:
        >>> FrequencyUnit("month")
        <FrequencyUnit.MONTH: 'month'>
    """

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    RRULE = "rrule"


_MAX_EVERY = {
    FrequencyUnit.DAY: MAX_VISIT_DAYS,
    FrequencyUnit.WEEK: MAX_VISIT_DAYS // 7,
    FrequencyUnit.MONTH: 120,
    FrequencyUnit.RRULE: 1,
}


def _weekday(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise InvalidValueError(
            f"'weekdays' of Frequency must hold weekday numbers 0 (Monday) to 6 (Sunday) "
            f"(got {v.show(value)})."
        )


def _rrule_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        v.check_text("rrule", value, instance)


@register
@attrs.frozen(kw_only=True)
class Frequency:
    """How often a resident must be visited, and the grace before a visit counts as missed.

    Build one with the class methods: :meth:`daily`, :meth:`every_days`, :meth:`weekly`,
    :meth:`every_weeks`, :meth:`monthly`, :meth:`quarterly`, :meth:`from_rrule`.

    *Interval* frequencies (days, weeks, months) count from the last visit: monthly after a
    visit on 31 January is due on 28 (or 29) February — months are added with
    :class:`dateutil.relativedelta.relativedelta`, which clamps to the month's end, never
    with ``rrule(MONTHLY)``, which skips short months.  *Calendar* frequencies (weekly on
    given weekdays, an explicit rrule) have fixed occurrences; each occurrence closes a
    period that began the day after the previous one, and a visit counts for the period it
    falls in.

    An explicit rrule is kept as its RFC 5545 text: **one RRULE with a DTSTART given by the
    caller** (``rrule(..., dtstart=...)``; dateutil silently uses ``now()`` otherwise, which
    would make a policy depend on the clock), repeating **daily or less often**.  Times and
    time zones in it are ignored: only the days of its occurrences matter (and no time-zone
    database is read).  Every question — the next occurrence, the next due date, the dates
    of a range, a sweep's day — looks at the occurrences from the day asked about, never
    from DTSTART, so it costs the same however far back DTSTART is.

    Limits (the doors): ``every`` and ``grace_days`` span at most :data:`MAX_VISIT_DAYS`
    days (ten years); an rrule's INTERVAL spans at most ten years, its COUNT is at most
    :data:`MAX_RRULE_COUNT`, its DTSTART is in the years 1800 to 2200, and occurrences after
    2210 are not considered.

    Attributes:
        unit: what ``every`` counts.
        every: how many units between visits (at least 1).
        weekdays: for weekly frequencies, the weekdays (0 = Monday … 6 = Sunday) visits fall
            on; empty means "seven days after the last visit".
        rrule: for ``unit=RRULE``, the recurrence as RFC 5545 text with a DTSTART.
        grace_days: days after the due date before the visit counts as missed (the window's
            latest day is ``due + grace_days``).

    Raises:
        InvalidValueError: for a frequency of zero or beyond ten years, a negative grace,
            weekdays out of range or on a non-weekly frequency, an rrule without DTSTART,
            finer than daily, with RDATE/EXDATE/EXRULE, or without any occurrence.

    Example:
        >>> from datetime import date
        >>> Frequency.monthly().next_after(date(2026, 1, 31))
        datetime.date(2026, 2, 28)
        >>> Frequency.every_days(0)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'every' of Frequency must be an integer from 1 to 3,650 (got 0).
        >>> Frequency.from_rrule("DTSTART:20260101T090000\\nRRULE:FREQ=HOURLY")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'rrule' of Frequency must be a rule repeating daily or less often (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY; got FREQ=HOURLY) (got 'DTSTART:20260101T090000\\nRRULE:FREQ=HOURLY').
    """

    unit: FrequencyUnit = attrs.field(validator=v.is_a(FrequencyUnit))
    every: int = attrs.field(default=1, validator=v.integer(1, MAX_VISIT_DAYS))
    weekdays: frozenset[int] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(_weekday)
    )
    rrule: str | None = attrs.field(default=None, validator=_rrule_text)
    grace_days: int = attrs.field(default=0, validator=v.integer(0, MAX_VISIT_DAYS))

    _nominal: float = attrs.field(init=False, eq=False, hash=False, repr=False)
    _schedule: Schedule | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        most = _MAX_EVERY[self.unit]
        if self.every > most:
            if self.unit is FrequencyUnit.RRULE:
                raise InvalidValueError(
                    f"'every' of Frequency must be 1 with an explicit rrule (got {self.every}); "
                    "put INTERVAL in the rrule."
                )
            raise InvalidValueError(
                f"'every' of Frequency must be an integer from 1 to {most:,} for unit "
                f"{self.unit.value!r} (ten years) (got {self.every:,})."
            )
        if self.weekdays and (self.unit is not FrequencyUnit.WEEK or self.every != 1):
            raise InvalidValueError(
                f"'weekdays' of Frequency apply to a weekly frequency only (got unit "
                f"{self.unit.value!r}, every {self.every}); use an explicit rrule for more."
            )
        schedule: Schedule | None = None
        if self.unit is FrequencyUnit.RRULE:
            if self.rrule is None:
                raise InvalidValueError(
                    "'rrule' of Frequency must be RFC 5545 text when unit is 'rrule' (got None)."
                )
            schedule = Schedule.parse(self.rrule)
            start = schedule.first(0)
            assert start is not None  # a schedule without occurrences is refused
            days = list(islice(schedule.days(start), 11))
            gaps = len(days) - 1
            nominal = (days[-1] - days[0]) / gaps if gaps else float("inf")
        else:
            if self.rrule is not None:
                raise InvalidValueError(
                    f"'rrule' of Frequency is only for unit 'rrule' (got unit "
                    f"{self.unit.value!r} with rrule {v.show(self.rrule)})."
                )
            if self.unit is FrequencyUnit.DAY:
                nominal = float(self.every)
            elif self.unit is FrequencyUnit.WEEK:
                nominal = 7.0 * self.every if not self.weekdays else 7.0 / len(self.weekdays)
            else:
                nominal = _DAYS_PER_MONTH * self.every
        object.__setattr__(self, "_nominal", nominal)
        object.__setattr__(self, "_schedule", schedule)

    # ----------------------------------------------------------------------- constructors

    @classmethod
    def daily(cls, *, grace_days: int = 0) -> Frequency:
        """A visit every day (每日一访).

        Example:
            >>> Frequency.daily().zh
            '每日一访'
        """
        return cls(unit=FrequencyUnit.DAY, grace_days=grace_days)

    @classmethod
    def every_days(cls, n: int, *, grace_days: int = 0) -> Frequency:
        """A visit every *n* days.

        Example:
            >>> Frequency.every_days(3).label
            'every 3 days'
        """
        return cls(unit=FrequencyUnit.DAY, every=n, grace_days=grace_days)

    @classmethod
    def weekly(cls, weekdays: Iterable[int] = (), *, grace_days: int = 0) -> Frequency:
        """A visit every week: seven days after the last one, or on the given weekdays.

        Example:
            >>> Frequency.weekly().label, Frequency.weekly([0, 3]).label
            ('weekly', 'weekly on Mon, Thu')
        """
        return cls(unit=FrequencyUnit.WEEK, weekdays=weekdays, grace_days=grace_days)

    @classmethod
    def every_weeks(cls, n: int, *, grace_days: int = 0) -> Frequency:
        """A visit every *n* weeks.

        Example:
            >>> Frequency.every_weeks(2).zh
            '每2周一访'
        """
        return cls(unit=FrequencyUnit.WEEK, every=n, grace_days=grace_days)

    @classmethod
    def monthly(cls, n: int = 1, *, grace_days: int = 0) -> Frequency:
        """A visit every month (or every *n* months), clamped at month ends.

        Example:
            >>> from datetime import date
            >>> Frequency.monthly().next_after(date(2024, 1, 31))
            datetime.date(2024, 2, 29)
        """
        return cls(unit=FrequencyUnit.MONTH, every=n, grace_days=grace_days)

    @classmethod
    def quarterly(cls, *, grace_days: int = 0) -> Frequency:
        """A visit every three months (每季度一访).

        Example:
            >>> Frequency.quarterly().label
            'quarterly'
        """
        return cls(unit=FrequencyUnit.MONTH, every=3, grace_days=grace_days)

    @classmethod
    def from_rrule(cls, rule: RRule | RRuleSet | str, *, grace_days: int = 0) -> Frequency:
        """A calendar frequency from a dateutil rrule (or its RFC 5545 text).

        The rrule must have been built with an explicit ``dtstart``; see the class notes.

        Example:
            >>> from datetime import date, datetime
            >>> from dateutil.rrule import rrule, WEEKLY, TU
            >>> f = Frequency.from_rrule(rrule(WEEKLY, byweekday=TU, dtstart=datetime(2026, 1, 6)))
            >>> f.rrule
            'DTSTART:20260106T000000\\nRRULE:FREQ=WEEKLY;BYDAY=TU'
            >>> f.next_after(date(2026, 1, 8))
            datetime.date(2026, 1, 20)
        """
        if isinstance(rule, RRule | RRuleSet):
            text = str(rule)
        elif isinstance(rule, str):
            text = rule
        else:
            raise v.refuse("rule", None, "a dateutil rrule or its RFC 5545 text", rule)
        return cls(unit=FrequencyUnit.RRULE, rrule=text, grace_days=grace_days)

    # ----------------------------------------------------------------------- queries

    @property
    def nominal_days(self) -> float:
        """The nominal interval in days, which orders frequencies by strictness (smaller is
        stricter): *n* for days, 7n for weeks (7 / number of weekdays when weekdays are
        given), 30.436875·n for months, the mean gap of the first occurrences for an rrule.

        Example:
            >>> Frequency.daily().nominal_days < Frequency.weekly().nominal_days
            True
        """
        return self._nominal

    def stricter_than(self, other: Frequency) -> bool:
        """Whether this frequency is strictly stricter than *other* (by nominal days).

        Example:
            >>> Frequency.monthly().stricter_than(Frequency.quarterly())
            True
        """
        v.check_instance("other", other, Frequency)
        return self._nominal < other._nominal

    @property
    def is_calendar(self) -> bool:
        """Whether occurrences are fixed in the calendar (weekdays or an rrule) rather than
        counted from the last visit.

        Example:
            >>> Frequency.weekly().is_calendar, Frequency.weekly([2]).is_calendar
            (False, True)
        """
        return bool(self.weekdays) or self.unit is FrequencyUnit.RRULE

    def occurrence_on_or_after(self, day: date) -> date | None:
        """For a calendar frequency, the first occurrence on or after *day* (``None`` when
        an rrule has ended).  An interval frequency has no fixed occurrences.

        Raises:
            InvalidValueError: for an interval frequency, or a *day* that is not a date.

        Example:
            >>> from datetime import date
            >>> Frequency.weekly([0]).occurrence_on_or_after(date(2026, 11, 26))
            datetime.date(2026, 11, 30)
        """
        v.check_date("day", day)
        found = self.occurrence_day(day.toordinal())
        return None if found is None else date.fromordinal(found)

    def occurrence_day(self, day: int) -> int | None:
        """:meth:`occurrence_on_or_after` in day numbers (``date.toordinal``), unchecked, for
        batch engines (advanced).

        Example:
            >>> from datetime import date
            >>> d = Frequency.weekly([0]).occurrence_day(date(2026, 11, 26).toordinal())
            >>> date.fromordinal(d)
            datetime.date(2026, 11, 30)
        """
        if self.weekdays:
            wd = (day - 1) % 7  # the weekday of a day number
            return day + min((w - wd) % 7 for w in self.weekdays)
        if self._schedule is not None:
            return self._schedule.first(day)
        raise InvalidValueError(
            f"an interval frequency ({self.label}) has no fixed occurrences; use next_after()."
        )

    def next_after(self, day: date) -> date | None:
        """The due date after a visit on *day*.

        Interval frequencies add their interval (months clamp at the month's end); calendar
        frequencies return the occurrence after the one closing *day*'s period.  ``None``
        when an rrule has no such occurrence.

        Example:
            >>> from datetime import date
            >>> Frequency.quarterly().next_after(date(2026, 11, 30))
            datetime.date(2027, 2, 28)
            >>> Frequency.weekly([0]).next_after(date(2026, 11, 26))  # a Thursday
            datetime.date(2026, 12, 7)
        """
        v.check_date("day", day)
        if not self.is_calendar:
            if self.unit is FrequencyUnit.DAY:
                return day + timedelta(days=self.every)
            if self.unit is FrequencyUnit.WEEK:
                return day + timedelta(weeks=self.every)
            return day + relativedelta(months=self.every)
        closing = self.occurrence_day(day.toordinal())
        if closing is None:
            return None
        found = self.occurrence_day(closing + 1)
        return None if found is None else date.fromordinal(found)

    def dates(self, start: date, until: date) -> tuple[date, ...]:
        """The nominal due dates of a schedule anchored at *start*, after it and up to
        *until* inclusive.

        Interval frequencies count every date from *start* (``start + k·interval``, months by
        relativedelta from *start*), so a monthly schedule from the 31st gives the last day
        of every short month and never skips or drifts; calendar frequencies give their
        occurrences after *start*.  The cost is linear in the dates given.

        Example:
            >>> from datetime import date
            >>> [d.isoformat() for d in Frequency.monthly().dates(date(2024, 1, 31),
            ...                                                  date(2024, 5, 1))]
            ['2024-02-29', '2024-03-31', '2024-04-30']
        """
        v.check_date("start", start)
        v.check_date("until", until)
        first, last = start.toordinal() + 1, until.toordinal()
        if self._schedule is not None:
            return tuple(date.fromordinal(d) for d in self._schedule.days(first, last))
        out: list[date] = []
        if self.weekdays:
            d: int | None = self.occurrence_day(first)
            while d is not None and d <= last:
                out.append(date.fromordinal(d))
                d = self.occurrence_day(d + 1)
            return tuple(out)
        k = 1
        while True:
            if self.unit is FrequencyUnit.MONTH:
                nxt = start + relativedelta(months=k * self.every)
            elif self.unit is FrequencyUnit.WEEK:
                nxt = start + timedelta(weeks=k * self.every)
            else:
                nxt = start + timedelta(days=k * self.every)
            if nxt > until:
                return tuple(out)
            out.append(nxt)
            k += 1

    @property
    def label(self) -> str:
        """The frequency in English.

        Example:
            >>> Frequency.monthly(2).label
            'every 2 months'
        """
        n = self.every
        if self.unit is FrequencyUnit.DAY:
            return "daily" if n == 1 else f"every {n} days"
        if self.unit is FrequencyUnit.WEEK:
            if self.weekdays:
                return "weekly on " + ", ".join(_WEEKDAY_EN[w] for w in sorted(self.weekdays))
            return "weekly" if n == 1 else f"every {n} weeks"
        if self.unit is FrequencyUnit.MONTH:
            return {1: "monthly", 3: "quarterly", 12: "yearly"}.get(n, f"every {n} months")
        return "on an rrule schedule"

    @property
    def zh(self) -> str:
        """The frequency in Chinese.

        Example:
            >>> Frequency.quarterly().zh, Frequency.weekly([0, 3]).zh
            ('每季度一访', '每周一访（周一、周四）')
        """
        n = self.every
        if self.unit is FrequencyUnit.DAY:
            return "每日一访" if n == 1 else f"每{n}日一访"
        if self.unit is FrequencyUnit.WEEK:
            if self.weekdays:
                days = "、".join(_WEEKDAY_ZH[w] for w in sorted(self.weekdays))
                return f"每周一访（{days}）"
            return "每周一访" if n == 1 else f"每{n}周一访"
        if self.unit is FrequencyUnit.MONTH:
            return {1: "每月一访", 3: "每季度一访", 12: "每年一访"}.get(n, f"每{n}个月一访")
        return "按日程探访"

    def describe(self) -> str:
        """The frequency as a grid worker reads it: Chinese, then English.

        Example:
            >>> Frequency.daily().describe()
            '每日一访 daily'
        """
        return f"{self.zh} {self.label}"
