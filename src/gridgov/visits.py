"""Visits (走访, 入户): who must be visited, when, and by whom.

Grid workers look after vulnerable residents by visiting them.  How often is a *policy*,
kept here as plain data:

* a :class:`Frequency` says how often (daily, every *n* days, weekly — optionally on given
  weekdays —, every *n* weeks, monthly, quarterly, or an explicit dateutil ``rrule``);
* a :class:`VisitRule` says to whom it applies, read off the resident's personal file on a
  given day (age on that day, conditions in force on that day, tags), with a colour
  (红/黄/绿) and a reason;
* a :class:`VisitPolicy` is an ordered list of rules; :data:`DEFAULT_POLICY` is built from
  the Ministry of Civil Affairs' norms and the seed story, as a starting point, not law.

From a policy and the :class:`VisitRecord` s, :func:`due_visits` sweeps a whole city for
one day, :func:`next_due` answers for one resident, :func:`missed_visit_escalations` sends
missed visits one tier up, :func:`plan_visits` staffs the visits of a date range with the
members of each micro-grid, and :func:`coverage` reports the monthly visit rate per unit.

**What "due" means.**  On day *D* every rule that matches the resident on *D* sets a
deadline; the resident is *due* on *D* when the earliest deadline is on or before *D*:

* a rule's deadline is ``max(next(v), start)`` where *v* is the last visit on or before *D*
  that the rule counts (its ``modes``), ``next`` the frequency's step from it, and *start*
  the first day of the rule's current stretch: the day since which the rule has matched
  without a break (the day a condition began, the birthday that brought the resident into
  the age band, or the day the file was opened);
* a resident never visited is due from *start*;
* a "major change" (:class:`MajorChange`) on day *C* ≤ *D* not yet followed by a visit sets
  a deadline of *C*, with a window ending ``policy.major_change_days`` later (24 hours).

So a temporary condition raises the frequency from the day it begins (not retroactively)
and stops mattering the day it ends, and adding or tightening a rule can only bring a
deadline forward.  The deadline's window is ``earliest ≤ due ≤ latest``: *earliest* is the
first day a visit counts toward it (the day after the last counted visit, the start of the
stretch, or — for calendar frequencies — the day after the previous occurrence), *latest*
is ``due + grace_days``; a resident still due after *latest* has *missed* the visit.

**Strictness.**  Frequencies are ordered by :attr:`Frequency.nominal_days` (a month is
365.2425 / 12 days), ties by policy order.  :meth:`VisitPolicy.requirement` names the
strictest matching rule as the one that governs; a :class:`DueVisit` names the rule whose
deadline is earliest (the same rule, except when a laxer rule's deadline had already
passed when a stricter one began).

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord, next_due
    >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
    >>> DEFAULT_POLICY.requirement(lu, on=date(2026, 11, 26)).rule.id
    'discharged_alone'
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 20, 9, tzinfo=CST))]
    >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2026, 11, 26))
    >>> item.due, item.rule.id, item.days_overdue, item.missed
    (datetime.date(2026, 11, 25), 'discharged_alone', 1, True)
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule as RRule
from dateutil.rrule import rruleset as RRuleSet
from dateutil.rrule import rrulestr

from gridgov._fast import trusted_constructor
from gridgov._labels import LabelledEnum
from gridgov._validators import (
    aware,
    identifier,
    instances_of,
    is_a,
    members_of,
    non_empty_str,
    optional,
    plain_date,
)
from gridgov.errors import InvalidValueError, PolicyError, UnknownResidentError
from gridgov.grid import GridGraph, GridUnit
from gridgov.people import CONDITION_KINDS, Condition, Member, Resident
from gridgov.serialize import register

__all__ = [
    "DEFAULT_POLICY",
    "DueVisit",
    "Frequency",
    "FrequencyUnit",
    "MajorChange",
    "MissedVisitEscalation",
    "PlannedVisit",
    "VisitColour",
    "VisitCoverage",
    "VisitLog",
    "VisitMode",
    "VisitPlan",
    "VisitPolicy",
    "VisitRecord",
    "VisitRequirement",
    "VisitRule",
    "VisitShortfall",
    "VisitWindow",
    "check_records",
    "coverage",
    "due_visits",
    "missed_visit_escalations",
    "next_due",
    "plan_visits",
]

_DAYS_PER_MONTH = 365.2425 / 12
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_EMPTY: frozenset[str] = frozenset()
_FAR = date.max.toordinal() + 1  # "no end" for condition windows, as a day number


def _frozenset(value: Iterable[Any] | None) -> frozenset[Any]:
    return frozenset(() if value is None else value)


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(() if value is None else value)


def _check_int(what: str, owner: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(f"'{what}' of {owner} must be an integer (got {value!r}).")
    if value < minimum:
        raise InvalidValueError(f"'{what}' of {owner} must be at least {minimum} (got {value!r}).")


def _check_day(what: str, value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValueError(f"'{what}' must be a date (got {value!r}).")


# --------------------------------------------------------------------------- enumerations


class VisitMode(LabelledEnum):
    """How a visit was made.

    Example:
        >>> VisitMode.IN_PERSON.zh, VisitMode.PHONE.label
        ('入户', 'phone')
    """

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"

    __zh__: ClassVar[Mapping[str, str]] = {
        "in_person": "入户",
        "phone": "电话",
        "video": "视频",
    }


_ALL_MODES = frozenset(VisitMode)
_MODE_SLOT = {VisitMode.IN_PERSON: 2, VisitMode.PHONE: 3, VisitMode.VIDEO: 4}


class VisitColour(LabelledEnum):
    """The colour a local practice gives a visit tier (红 red, 黄 yellow, 绿 green).

    Example:
        >>> VisitColour.RED.zh, VisitColour.GREEN.label
        ('红', 'green')
    """

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    __zh__: ClassVar[Mapping[str, str]] = {
        "red": "红",
        "yellow": "黄",
        "green": "绿",
    }

    @property
    def rank(self) -> int:
        """0 for red, 1 for yellow, 2 for green: the order in which plans staff visits."""
        return {"red": 0, "yellow": 1, "green": 2}[self.value]


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


# --------------------------------------------------------------------------- frequencies


def _add_months(day: int, months: int) -> int:
    """*day* (an ordinal) plus *months*, clamped to the month's end like relativedelta."""
    d = date.fromordinal(day)
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    last = _month_length(y, m + 1)
    return date(y, m + 1, d.day if d.day <= last else last).toordinal()


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# tzids for rrulestr: look every TZID up in this empty mapping, so no tz database is read
# and every time is floating.
_NO_TZ: Mapping[str, tzinfo] = MappingProxyType({})


_DTSTART = re.compile(r"(^|\n)\s*DTSTART[;:]", re.IGNORECASE)


def _parse_rrule(text: str) -> RRule | RRuleSet:
    if not _DTSTART.search(text):
        raise InvalidValueError(
            f"'rrule' of Frequency must include a DTSTART given by the caller; gridgov never "
            f"lets dateutil default it to now() (got {text!r})."
        )
    try:
        parsed = rrulestr(text, ignoretz=True, tzids=_NO_TZ, cache=True)
    except (ValueError, TypeError) as exc:
        raise InvalidValueError(
            f"'rrule' of Frequency must be an RFC 5545 recurrence (got {text!r}): {exc}"
        ) from None
    assert isinstance(parsed, RRule | RRuleSet)
    return parsed


def _rrule_days(rule: RRule | RRuleSet, *, until: int | None = None, count: int = 0) -> list[int]:
    """Distinct occurrence days (ordinals), up to *until* plus two more, or *count* days."""
    out: list[int] = []
    beyond = 0
    for dt in rule:
        o = dt.toordinal()
        if out and o == out[-1]:
            continue
        out.append(o)
        if count and len(out) >= count:
            break
        if until is not None and o > until:
            beyond += 1
            if beyond >= 2:
                break
    return out


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

    An explicit rrule is kept as its RFC 5545 text and **must carry a DTSTART given by the
    caller** (``rrule(..., dtstart=...)``): dateutil silently uses ``now()`` otherwise,
    which would make a policy depend on the clock.  Times and time zones in it are ignored:
    only the days of its occurrences matter (and no time-zone database is read).

    Attributes:
        unit: what ``every`` counts.
        every: how many units between visits (at least 1).
        weekdays: for weekly frequencies, the weekdays (0 = Monday … 6 = Sunday) visits fall
            on; empty means "seven days after the last visit".
        rrule: for ``unit=RRULE``, the recurrence as RFC 5545 text with a DTSTART.
        grace_days: days after the due date before the visit counts as missed (the window's
            latest day is ``due + grace_days``).

    Raises:
        InvalidValueError: for a frequency of zero, a negative grace, weekdays out of range
            or on a non-weekly frequency, an rrule without DTSTART.

    Example:
        >>> from datetime import date
        >>> Frequency.monthly().next_after(date(2026, 1, 31))
        datetime.date(2026, 2, 28)
        >>> Frequency.every_days(0)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'every' of Frequency must be at least 1 (got 0).
    """

    unit: FrequencyUnit = attrs.field(validator=is_a(FrequencyUnit))
    every: int = 1
    weekdays: frozenset[int] = attrs.field(default=frozenset(), converter=_frozenset)
    rrule: str | None = None
    grace_days: int = 0

    _nominal: float = attrs.field(init=False, eq=False, hash=False, repr=False)
    _rule: RRule | RRuleSet | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _check_int("every", "Frequency", self.every, minimum=1)
        _check_int("grace_days", "Frequency", self.grace_days, minimum=0)
        for wd in sorted(self.weekdays, key=repr):
            if isinstance(wd, bool) or not isinstance(wd, int) or not 0 <= wd <= 6:
                raise InvalidValueError(
                    f"'weekdays' of Frequency must hold weekday numbers 0 (Monday) to 6 "
                    f"(Sunday) (got {wd!r})."
                )
        if self.weekdays and (self.unit is not FrequencyUnit.WEEK or self.every != 1):
            raise InvalidValueError(
                f"'weekdays' of Frequency apply to a weekly frequency only (got unit "
                f"{self.unit.value!r}, every {self.every}); use an explicit rrule for more."
            )
        rule: RRule | RRuleSet | None = None
        if self.unit is FrequencyUnit.RRULE:
            if not isinstance(self.rrule, str):
                raise InvalidValueError(
                    f"'rrule' of Frequency must be RFC 5545 text when unit is 'rrule' "
                    f"(got {self.rrule!r})."
                )
            if self.every != 1:
                raise InvalidValueError(
                    f"'every' of Frequency must be 1 with an explicit rrule (got {self.every}); "
                    "put INTERVAL in the rrule."
                )
            rule = _parse_rrule(self.rrule)
            days = _rrule_days(rule, count=11)
            gaps = len(days) - 1
            nominal = (days[-1] - days[0]) / gaps if gaps else float("inf")
        else:
            if self.rrule is not None:
                raise InvalidValueError(
                    f"'rrule' of Frequency is only for unit 'rrule' (got unit "
                    f"{self.unit.value!r} with rrule {self.rrule!r})."
                )
            if self.unit is FrequencyUnit.DAY:
                nominal = float(self.every)
            elif self.unit is FrequencyUnit.WEEK:
                nominal = 7.0 * self.every if not self.weekdays else 7.0 / len(self.weekdays)
            else:
                nominal = _DAYS_PER_MONTH * self.every
        object.__setattr__(self, "_nominal", nominal)
        object.__setattr__(self, "_rule", rule)

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
        text = rule if isinstance(rule, str) else str(rule)
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

    def _step(self, day: date) -> date:
        if self.unit is FrequencyUnit.DAY:
            return day + timedelta(days=self.every)
        if self.unit is FrequencyUnit.WEEK:
            return day + timedelta(weeks=self.every)
        return day + relativedelta(months=self.every)

    def occurrence_on_or_after(self, day: date) -> date | None:
        """For a calendar frequency, the first occurrence on or after *day* (``None`` when
        a finite rrule has ended).  An interval frequency has no fixed occurrences.

        Raises:
            InvalidValueError: for an interval frequency.

        Example:
            >>> from datetime import date
            >>> Frequency.weekly([0]).occurrence_on_or_after(date(2026, 11, 26))
            datetime.date(2026, 11, 30)
        """
        if self.weekdays:
            wd = day.weekday()
            ahead = min((w - wd) % 7 for w in self.weekdays)
            return day + timedelta(days=ahead)
        if self._rule is not None:
            found = self._rule.after(datetime.combine(day, time.min), inc=True)
            return None if found is None else found.date()
        raise InvalidValueError(
            f"an interval frequency ({self.label}) has no fixed occurrences; use next_after()."
        )

    def next_after(self, day: date) -> date | None:
        """The due date after a visit on *day*.

        Interval frequencies add their interval (months clamp at the month's end); calendar
        frequencies return the occurrence after the one closing *day*'s period.  ``None``
        when a finite rrule has no such occurrence.

        Example:
            >>> from datetime import date
            >>> Frequency.quarterly().next_after(date(2026, 11, 30))
            datetime.date(2027, 2, 28)
            >>> Frequency.weekly([0]).next_after(date(2026, 11, 26))  # a Thursday
            datetime.date(2026, 12, 7)
        """
        _check_day("day", day)
        if not self.is_calendar:
            return self._step(day)
        closing = self.occurrence_on_or_after(day)
        if closing is None:
            return None
        return self.occurrence_on_or_after(closing + timedelta(days=1))

    def dates(self, start: date, until: date) -> tuple[date, ...]:
        """The nominal due dates of a schedule anchored at *start*, after it and up to
        *until* inclusive.

        Interval frequencies count every date from *start* (``start + k·interval``, months by
        relativedelta from *start*), so a monthly schedule from the 31st gives the last day
        of every short month and never skips or drifts; calendar frequencies give their
        occurrences after *start*.

        Example:
            >>> from datetime import date
            >>> [d.isoformat() for d in Frequency.monthly().dates(date(2024, 1, 31),
            ...                                                  date(2024, 5, 1))]
            ['2024-02-29', '2024-03-31', '2024-04-30']
        """
        _check_day("start", start)
        _check_day("until", until)
        out: list[date] = []
        if self.is_calendar:
            d = self.occurrence_on_or_after(start + timedelta(days=1))
            while d is not None and d <= until:
                out.append(d)
                d = self.occurrence_on_or_after(d + timedelta(days=1))
            return tuple(out)
        k = 1
        while True:
            if self.unit is FrequencyUnit.MONTH:
                d = start + relativedelta(months=k * self.every)
            elif self.unit is FrequencyUnit.WEEK:
                d = start + timedelta(weeks=k * self.every)
            else:
                d = start + timedelta(days=k * self.every)
            if d > until:
                return tuple(out)
            out.append(d)
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


@register
@attrs.frozen(kw_only=True)
class VisitWindow:
    """The window of one visit: a visit before ``earliest`` does not count for it, it is due
    on ``due``, and missed after ``latest``.

    Raises:
        InvalidValueError: if the days are not in order.

    Example:
        >>> from datetime import date
        >>> VisitWindow(earliest=date(2026, 12, 1), due=date(2026, 12, 1),
        ...             latest=date(2026, 11, 30))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'latest' of VisitWindow must not be before its due day 2026-12-01 (got 2026-11-30).
    """

    earliest: date = attrs.field(validator=plain_date)
    due: date = attrs.field(validator=plain_date)
    latest: date = attrs.field(validator=plain_date)

    def __attrs_post_init__(self) -> None:
        if self.due < self.earliest:
            raise InvalidValueError(
                f"'due' of VisitWindow must not be before its earliest day "
                f"{self.earliest.isoformat()} (got {self.due.isoformat()})."
            )
        if self.latest < self.due:
            raise InvalidValueError(
                f"'latest' of VisitWindow must not be before its due day "
                f"{self.due.isoformat()} (got {self.latest.isoformat()})."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.earliest <= day <= self.latest


# --------------------------------------------------------------------------- rules


def _birthday(birth: date, years: int) -> date:
    """The day a person born on *birth* turns *years* (29 February counts on 1 March)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


@register
@attrs.frozen(kw_only=True)
class VisitRule:
    """Who must be visited how often: a match on the personal file on a given day.

    A rule matches a resident on day *D* when the file is open on *D* and every given
    criterion holds on *D*: ``min_age ≤ age ≤ max_age``, every condition of
    ``conditions_all`` and at least one of ``conditions_any`` (if any are given) in force,
    every tag of ``tags_all`` and one of ``tags_any`` present.

    Attributes:
        id: a lower-case code, unique in its policy.
        frequency: how often.
        colour: the tier's colour (红/黄/绿).
        reason: why, in Chinese, as a grid worker reads it.
        reason_en: the same in English.
        modes: which visit modes count for this rule (default: all).

    Raises:
        InvalidValueError: for an inverted age band, bad codes, an empty reason.

    Example:
        >>> from datetime import date
        >>> from gridgov import Condition, Resident
        >>> rule = VisitRule(id="key", frequency=Frequency.monthly(), colour=VisitColour.YELLOW,
        ...                  reason="重点老人每月一访", min_age=60, conditions_any={"dementia"})
        >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 5, 1),
        ...              conditions=[Condition(kind="dementia", start=date(2026, 1, 1))])
        >>> rule.matches(r, date(2025, 12, 31)), rule.matches(r, date(2026, 1, 1))
        (False, True)
    """

    id: str = attrs.field(validator=identifier)
    frequency: Frequency = attrs.field(validator=is_a(Frequency))
    colour: VisitColour = attrs.field(validator=is_a(VisitColour))
    reason: str = attrs.field(validator=non_empty_str)
    reason_en: str = ""
    min_age: int | None = None
    max_age: int | None = None
    conditions_all: frozenset[str] = attrs.field(
        default=frozenset(), converter=_frozenset, validator=members_of(identifier)
    )
    conditions_any: frozenset[str] = attrs.field(
        default=frozenset(), converter=_frozenset, validator=members_of(identifier)
    )
    tags_all: frozenset[str] = attrs.field(
        default=frozenset(), converter=_frozenset, validator=members_of(identifier)
    )
    tags_any: frozenset[str] = attrs.field(
        default=frozenset(), converter=_frozenset, validator=members_of(identifier)
    )
    modes: frozenset[VisitMode] = attrs.field(
        default=_ALL_MODES, converter=_frozenset, validator=instances_of(VisitMode)
    )

    def __attrs_post_init__(self) -> None:
        owner = f"VisitRule {self.id!r}"
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None:
                _check_int(name, owner, value, minimum=0)
                if value > 150:
                    raise InvalidValueError(
                        f"'{name}' of {owner} must be at most 150 (got {value})."
                    )
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise InvalidValueError(
                f"'max_age' of {owner} must be at least its min_age {self.min_age} "
                f"(got {self.max_age})."
            )
        if not self.modes:
            raise InvalidValueError(f"'modes' of {owner} must name at least one visit mode.")

    def matches(self, resident: Resident, day: date) -> bool:
        """Whether the rule applies to *resident*'s file on *day*.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> rule = DEFAULT_POLICY.rule("discharged_alone")
            >>> [rule.matches(lu, date(2026, 11, d)) for d in (24, 25)]
            [False, True]
        """
        if resident.birth_date > day:
            return False
        if resident.file_opened is not None and resident.file_opened > day:
            return False
        if self.min_age is not None or self.max_age is not None:
            age = resident.age_on(day)
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age > self.max_age:
                return False
        if self.conditions_all or self.conditions_any:
            kinds = resident.conditions_on(day)
            if not self.conditions_all <= kinds:
                return False
            if self.conditions_any and self.conditions_any.isdisjoint(kinds):
                return False
        if not self.tags_all <= resident.tags:
            return False
        return not (self.tags_any and self.tags_any.isdisjoint(resident.tags))

    def criteria(self) -> str:
        """The rule's match criteria, as a grid worker reads them.

        Example:
            >>> DEFAULT_POLICY.rule("key").criteria()
            'age ≥ 60; any of 残疾 disability, 失能 loss of self-care, 失智 dementia, 特困 extreme poverty support'
        """
        parts: list[str] = []
        if self.min_age is not None and self.max_age is not None:
            parts.append(f"age {self.min_age}–{self.max_age}")
        elif self.min_age is not None:
            parts.append(f"age ≥ {self.min_age}")
        elif self.max_age is not None:
            parts.append(f"age ≤ {self.max_age}")
        if self.conditions_all:
            parts.append("all of " + ", ".join(_kind_labels(self.conditions_all)))
        if self.conditions_any:
            parts.append("any of " + ", ".join(_kind_labels(self.conditions_any)))
        if self.tags_all:
            parts.append("tags " + ", ".join(sorted(self.tags_all)))
        if self.tags_any:
            parts.append("any tag of " + ", ".join(sorted(self.tags_any)))
        return "; ".join(parts) if parts else "every resident with an open file"


_KIND_ORDER = {code: i for i, code in enumerate(CONDITION_KINDS)}


def _kind_labels(kinds: Iterable[str]) -> list[str]:
    ordered = sorted(kinds, key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))
    return [Condition(kind=k).describe() for k in ordered]


@register
@attrs.frozen(kw_only=True)
class MajorChange:
    """A major change in a resident's life on a day (bereavement, a fall, a fire …): a resident
    under the policy must then be visited within 24 hours, whatever the regular schedule.

    Example:
        >>> from datetime import date
        >>> MajorChange(resident="r-lu", on=date(2026, 11, 25), what="出院 discharged").on
        datetime.date(2026, 11, 25)
    """

    resident: str = attrs.field(validator=non_empty_str)
    on: date = attrs.field(validator=plain_date)
    what: str = ""


@register
@attrs.frozen(kw_only=True)
class VisitPolicy:
    """An ordered list of visit rules; when several match, the strictest frequency wins.

    Attributes:
        rules: the rules, in order (the order breaks ties in strictness).
        name: a name for the policy.
        major_change_days: days after a major change by which a visit is missed (1: within
            24 hours, i.e. on the day of the change or the next).

    Raises:
        PolicyError: without rules, or with two rules of the same id.

    Example:
        >>> VisitPolicy(rules=[])
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'rules' of VisitPolicy must hold at least one VisitRule.
    """

    rules: tuple[VisitRule, ...] = attrs.field(converter=_tuple)
    name: str = ""
    major_change_days: int = 1

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            raise PolicyError("'rules' of VisitPolicy must hold at least one VisitRule.")
        seen: set[str] = set()
        for rule in self.rules:
            if not isinstance(rule, VisitRule):
                raise PolicyError(
                    f"'rules' of VisitPolicy must hold VisitRule values (got {rule!r:.60})."
                )
            if rule.id in seen:
                raise PolicyError(
                    f"rule id {rule.id!r} is used by more than one rule of VisitPolicy "
                    f"{self.name!r}; rule ids must be unique."
                )
            seen.add(rule.id)
        if isinstance(self.major_change_days, bool) or not isinstance(self.major_change_days, int):
            raise PolicyError(
                f"'major_change_days' of VisitPolicy must be an integer (got "
                f"{self.major_change_days!r})."
            )
        if self.major_change_days < 0:
            raise PolicyError(
                f"'major_change_days' of VisitPolicy must be at least 0 (got "
                f"{self.major_change_days})."
            )

    def rule(self, rule_id: str) -> VisitRule:
        """The rule with id *rule_id*.

        Raises:
            PolicyError: if there is none.

        Example:
            >>> DEFAULT_POLICY.rule("general").frequency.label
            'quarterly'
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise PolicyError(
            f"policy {self.name!r} has no rule {rule_id!r} (rules: "
            f"{', '.join(r.id for r in self.rules)})."
        )

    def by_strictness(self) -> tuple[VisitRule, ...]:
        """The rules from strictest to laxest (ties in policy order).

        Example:
            >>> [r.frequency.label for r in DEFAULT_POLICY.by_strictness()][:2]
            ['daily', 'weekly']
        """
        order = {id(r): i for i, r in enumerate(self.rules)}
        return tuple(sorted(self.rules, key=lambda r: (r.frequency.nominal_days, order[id(r)])))

    def matching(self, resident: Resident, *, on: date) -> tuple[VisitRule, ...]:
        """The rules that match *resident* on *on*, strictest first.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> [r.id for r in DEFAULT_POLICY.matching(lu, on=date(2026, 12, 1))]
            ['discharged_alone', 'injured_alone', 'general']
        """
        _check_day("on", on)
        return tuple(r for r in self.by_strictness() if r.matches(resident, on))

    def requirement(self, resident: Resident, *, on: date) -> VisitRequirement | None:
        """Which rule governs *resident* on *on*, the others that matched, and why; ``None``
        when no rule matches.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> req = DEFAULT_POLICY.requirement(lu, on=date(2026, 12, 20))
            >>> req.frequency.label, [r.id for r in req.also]
            ('daily', ['general'])
            >>> print(req.reason)
            每日一访（红）：刚出院的独居或孤寡老人，每日一访【discharged_alone】；依据：78岁，独居、刚出院（至2026-12-24）；同时符合：general（每季度一访）。
            daily (red): elder living alone or without family support just discharged from hospital: a visit every day [discharged_alone]; because: age 78, living alone, recently discharged (through 2026-12-24); also matched: general (quarterly).
        """
        matched = self.matching(resident, on=on)
        if not matched:
            return None
        rule = matched[0]
        kinds = rule.conditions_all | rule.conditions_any
        because = tuple(
            sorted(
                (c for c in resident.conditions if c.kind in kinds and c.in_force(on)),
                key=lambda c: (_KIND_ORDER.get(c.kind, len(_KIND_ORDER)), c.kind),
            )
        )
        age = resident.age_on(on) if rule.min_age is not None or rule.max_age is not None else None
        return VisitRequirement(
            resident=resident.id, on=on, rule=rule, also=matched[1:], because=because, age=age
        )


@register
@attrs.frozen(kw_only=True)
class VisitRequirement:
    """The frequency decision for one resident on one day: the strictest matching rule, the
    others that matched, and the facts on the file that made the winning rule match.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_residents
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> DEFAULT_POLICY.requirement(lu, on=date(2027, 1, 5)).colour
        <VisitColour.GREEN: 'green'>
    """

    resident: str
    on: date
    rule: VisitRule
    also: tuple[VisitRule, ...] = ()
    because: tuple[Condition, ...] = ()
    age: int | None = None

    @property
    def frequency(self) -> Frequency:
        """The winning rule's frequency."""
        return self.rule.frequency

    @property
    def colour(self) -> VisitColour:
        """The winning rule's colour."""
        return self.rule.colour

    @property
    def reason(self) -> str:
        """Why, in Chinese then English (two lines)."""
        rule = self.rule
        zh_facts: list[str] = []
        en_facts: list[str] = []
        if self.age is not None:
            zh_facts.append(f"{self.age}岁")
            en_facts.append(f"age {self.age}")
        zh_conds: list[str] = []
        for c in self.because:
            kind = CONDITION_KINDS.get(c.kind)
            zh = kind.zh if kind else c.kind
            en = kind.label if kind else c.kind
            if c.end is not None:
                last = (c.end - timedelta(days=1)).isoformat()
                zh += f"（至{last}）"
                en += f" (through {last})"
            zh_conds.append(zh)
            en_facts.append(en)
        if zh_conds:
            zh_facts.append("、".join(zh_conds))
        zh = f"{rule.frequency.zh}（{rule.colour.zh}）：{rule.reason}【{rule.id}】"
        en = f"{rule.frequency.label} ({rule.colour.label}): {rule.reason_en or rule.reason} [{rule.id}]"
        if zh_facts:
            zh += "；依据：" + "，".join(zh_facts)
            en += "; because: " + ", ".join(en_facts)
        if self.also:
            zh += "；同时符合：" + "、".join(f"{r.id}（{r.frequency.zh}）" for r in self.also)
            en += "; also matched: " + ", ".join(f"{r.id} ({r.frequency.label})" for r in self.also)
        return f"{zh}。\n{en}."


# --------------------------------------------------------------------------- the default policy

_ALONE = frozenset({"living_alone", "no_family_support"})

DEFAULT_POLICY = VisitPolicy(
    name="default",
    major_change_days=1,
    rules=(
        VisitRule(
            id="discharged_alone",
            frequency=Frequency.daily(),
            colour=VisitColour.RED,
            reason="刚出院的独居或孤寡老人，每日一访",
            reason_en=(
                "elder living alone or without family support just discharged from hospital: "
                "a visit every day"
            ),
            min_age=60,
            conditions_all={"recently_discharged"},
            conditions_any=_ALONE,
            modes={VisitMode.IN_PERSON},
        ),
        VisitRule(
            id="high_risk_alone",
            frequency=Frequency.weekly(grace_days=1),
            colour=VisitColour.RED,
            reason="高风险：80岁以上独居、孤寡、空巢或留守老人，每周至少探访一次",
            reason_en=(
                "high risk: elder aged 80+ living alone, without family support, empty-nest "
                "or left-behind: at least weekly"
            ),
            min_age=80,
            conditions_any=_ALONE | {"empty_nest", "left_behind"},
        ),
        VisitRule(
            id="high_risk_ill",
            frequency=Frequency.weekly(grace_days=1),
            colour=VisitColour.RED,
            reason="高风险：60岁以上重病老人，每周至少探访一次",
            reason_en="high risk: seriously ill elder aged 60+: at least weekly",
            min_age=60,
            conditions_all={"seriously_ill"},
        ),
        VisitRule(
            id="injured_alone",
            frequency=Frequency.weekly(grace_days=1),
            colour=VisitColour.RED,
            reason="高风险：受伤的独居或孤寡老人，每周至少探访一次",
            reason_en="high risk: injured elder living alone or without family support: at least weekly",
            min_age=60,
            conditions_all={"injured"},
            conditions_any=_ALONE,
        ),
        VisitRule(
            id="key",
            frequency=Frequency.monthly(grace_days=3),
            colour=VisitColour.YELLOW,
            reason="重点：60岁以上残疾、失能、失智或特困老人，每月至少探访一次",
            reason_en=(
                "key: elder aged 60+ with a disability, loss of self-care, dementia or in "
                "extreme poverty (特困): at least monthly"
            ),
            min_age=60,
            conditions_any={"disabled", "incapacitated", "dementia", "extreme_poverty"},
        ),
        VisitRule(
            id="general",
            frequency=Frequency.quarterly(grace_days=7),
            colour=VisitColour.GREEN,
            reason="一般：60岁以上老人，每季度至少探访一次",
            reason_en="general: elder aged 60+: at least quarterly",
            min_age=60,
        ),
    ),
)
"""The default visit policy, built from the Ministry of Civil Affairs' 2022 opinion on elder
visits (high risk at least weekly, key at least monthly, general at least quarterly; a visit
within 24 hours of a major change) and the seed story's 每日一访 after discharge.  A starting
point for an app's own policy, not law: copy it, change it, keep it as data."""


# --------------------------------------------------------------------------- records


@register
@attrs.frozen(kw_only=True)
class VisitRecord:
    """A visit made: who visited whom, when, how, and what was found.

    The visit's day is the date of ``at`` in its own UTC offset.

    Attributes:
        id: the record's id.
        resident: the id of the resident visited.
        member: the id of the member who visited.
        at: when (timezone-aware).
        mode: in person (入户), phone (电话) or video (视频).
        findings: what was found, as written.
        issue_id: the id of the Issue a finding raised, if any.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                 at=datetime(2026, 11, 25, 9, 30, tzinfo=CST), mode=VisitMode.IN_PERSON,
        ...                 findings="腰部摔伤，刚出院", issue_id="i-0001")
        >>> v.day
        datetime.date(2026, 11, 25)
        >>> VisitRecord(id="v2", resident="r", member="m", at=datetime(2026, 1, 1),
        ...             mode=VisitMode.PHONE)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'at' must be a timezone-aware datetime (got naive 2026-01-01T00:00:00); pass tzinfo=gridgov.CST or another timezone.
    """

    id: str = attrs.field(validator=non_empty_str)
    resident: str = attrs.field(validator=non_empty_str)
    member: str = attrs.field(validator=non_empty_str)
    at: datetime = attrs.field(validator=aware)
    mode: VisitMode = attrs.field(default=VisitMode.IN_PERSON, validator=is_a(VisitMode))
    findings: str = ""
    issue_id: str | None = attrs.field(default=None, validator=optional(non_empty_str))

    # Precomputed for the sweep: the day as an ordinal, and the mode's slot.
    _day: int = attrs.field(init=False, eq=False, hash=False, repr=False)
    _slot: int = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_day", self.at.date().toordinal())
        object.__setattr__(self, "_slot", _MODE_SLOT[self.mode])

    @property
    def day(self) -> date:
        """The day of the visit (the date of ``at`` in its own offset)."""
        return date.fromordinal(self._day)


def _fold(
    records: Iterable[VisitRecord],
    first: dict[str, int],
    last: dict[str, int],
    modes: dict[int, dict[str, int]],
    day: int = _FAR,
) -> int:
    """Fold the records dated on or before *day* into day-number dicts: resident → earliest
    day (residents with two records or more), resident → last day, and mode slot → resident
    → last day for the slots in *modes*.  Returns the latest day folded in (0 for none)."""
    latest = 0
    first_get = first.get
    last_put = last.setdefault
    modes_get = modes.get
    for rec in records:
        d = rec._day
        if d > day:
            continue
        rid = rec.resident
        seen = last_put(rid, d)  # one dict operation for a resident's first record
        if seen != d:  # an earlier record on another day
            f = first_get(rid)
            if f is None:
                first[rid] = d if d < seen else seen
            elif d < f:
                first[rid] = d
            if d > seen:
                last[rid] = d
        one = modes_get(rec._slot)
        if one is not None and one.setdefault(rid, d) < d:
            one[rid] = d
        if d > latest:
            latest = d
    return latest


@register
@attrs.frozen(kw_only=True)
class VisitLog:
    """Visit records grouped by resident once, and kept grouped as new records arrive.

    :func:`due_visits` over a plain iterable groups every record it is given, each time; a
    city sweeping every day over a year of visits would group the same records every day.
    A log groups them when it is built, and :meth:`with_records` folds in only the new ones
    (copying the index, not regrouping it), so a daily sweep over a log reads each resident's
    last visits with one look-up.  A sweep of a day before the log's latest record still
    ignores the later records (it groups the log's records for that day).

    A log is a value: equal when its records are; it iterates over its records, so it can be
    passed wherever records are expected, and it round-trips through ``to_dict``.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                                     at=datetime(2026, 11, 20, 9, tzinfo=CST))])
        >>> log = log.with_records([VisitRecord(id="v2", resident="r-lu", member="m-li",
        ...                                     at=datetime(2026, 11, 25, 9, tzinfo=CST))])
        >>> len(log), log.last_visit("r-lu"), log.last_visit("r-zhang")
        (2, datetime.date(2026, 11, 25), None)
    """

    records: tuple[VisitRecord, ...] = attrs.field(
        default=(), converter=_tuple, validator=instances_of(VisitRecord)
    )

    # The index: resident → earliest day (residents with two records or more), resident →
    # last day (any mode), mode slot → resident → last day in that mode; the latest day.
    _first: dict[str, int] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _last: dict[str, int] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _modes: dict[int, dict[str, int]] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _latest: int = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        modes: dict[int, dict[str, int]] = {s: {} for s in _MODE_SLOT.values()}
        latest = _fold(self.records, first, last, modes)
        setattr_ = object.__setattr__
        setattr_(self, "_first", first)
        setattr_(self, "_last", last)
        setattr_(self, "_modes", modes)
        setattr_(self, "_latest", latest)

    def __iter__(self) -> Iterator[VisitRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def with_records(self, records: Iterable[VisitRecord]) -> VisitLog:
        """A new log with *records* added, folding in only them.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...                 at=datetime(2026, 11, 20, 9, tzinfo=CST))
            >>> VisitLog().with_records([v]) == VisitLog(records=[v])
            True
        """
        new = tuple(records)
        for i, rec in enumerate(new):
            if not isinstance(rec, VisitRecord):
                raise InvalidValueError(
                    f"'records[{i}]' must be a VisitRecord (got {type(rec).__name__})."
                )
        log: VisitLog = object.__new__(VisitLog)
        first, last = dict(self._first), dict(self._last)
        modes = {s: dict(one) for s, one in self._modes.items()}
        latest = max(self._latest, _fold(new, first, last, modes))
        setattr_ = object.__setattr__
        setattr_(log, "records", self.records + new)
        setattr_(log, "_first", first)
        setattr_(log, "_last", last)
        setattr_(log, "_modes", modes)
        setattr_(log, "_latest", latest)
        return log

    @property
    def latest(self) -> date | None:
        """The day of the latest record, or ``None`` for an empty log.

        Example:
            >>> VisitLog().latest is None
            True
        """
        return date.fromordinal(self._latest) if self._latest else None

    def last_visit(self, resident: str, mode: VisitMode | None = None) -> date | None:
        """The day of *resident*'s last visit (in *mode*, if given), or ``None``.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...     at=datetime(2026, 11, 20, 9, tzinfo=CST), mode=VisitMode.PHONE)])
            >>> log.last_visit("r-lu", VisitMode.PHONE), log.last_visit("r-lu", VisitMode.VIDEO)
            (datetime.date(2026, 11, 20), None)
        """
        days = self._last if mode is None else self._modes[_MODE_SLOT[mode]]
        found = days.get(resident)
        return None if found is None else date.fromordinal(found)


def _record_before_file(
    resident: Resident, day: int, records: Iterable[VisitRecord]
) -> InvalidValueError:
    rec = next((r for r in records if r.resident == resident.id and r._day == day), None)
    what = f"VisitRecord {rec.id!r}" if rec is not None else "a VisitRecord"
    assert resident.file_opened is not None
    return InvalidValueError(
        f"'at' of {what} must not be before resident {resident.id!r}'s file was opened on "
        f"{resident.file_opened.isoformat()} (got {date.fromordinal(day).isoformat()})."
    )


def check_records(residents: Iterable[Resident], records: Iterable[VisitRecord]) -> None:
    """Check that every record names a resident of *residents* and is not dated before the
    resident's file was opened.

    :func:`due_visits` checks the records of each resident it evaluates as it goes (and all
    of them with ``check=True``); this checks everything up front.

    Raises:
        InvalidValueError: naming the record, the resident and the day.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> check_records(sample_residents(), [VisitRecord(id="v9", resident="r-nobody",
        ...     member="m-li", at=datetime(2026, 11, 25, 9, tzinfo=CST))])
        Traceback (most recent call last):
        ...
        gridgov.errors.UnknownResidentError: 'resident' of VisitRecord 'v9' must name a resident with a file (got 'r-nobody').
        >>> check_records(sample_residents(), [VisitRecord(id="v8", resident="r-lu",
        ...     member="m-li", at=datetime(2023, 4, 30, 9, tzinfo=CST))])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'at' of VisitRecord 'v8' must not be before resident 'r-lu''s file was opened on 2023-05-01 (got 2023-04-30).
    """
    files = {r.id: r for r in residents}
    for rec in records:
        resident = files.get(rec.resident)
        if resident is None:
            raise UnknownResidentError(
                f"'resident' of VisitRecord {rec.id!r} must name a resident with a file "
                f"(got {rec.resident!r})."
            )
        if resident.file_opened is not None and rec._day < resident.file_opened.toordinal():
            raise _record_before_file(resident, rec._day, [rec])


# --------------------------------------------------------------------------- due items


@register
@attrs.frozen(kw_only=True)
class DueVisit:
    """A visit a resident needs, as seen on day ``on``: its window, the rule (or major change)
    that set it, and the rules that matched.

    Built by :func:`due_visits` and :func:`next_due`; not validated (it is a result).

    Attributes:
        resident: the resident's id.
        household: the resident's household (a place of the grid).
        on: the day of the sweep.
        due: the due date (on or before ``on`` when the resident is due).
        earliest: the first day a visit counts toward it.
        latest: the last day before the visit is missed.
        last_visit: the last visit the rule counted, if any.
        rule: the rule whose deadline this is (``None`` for a major change).
        change: the major change that set it, if any.
        matched: the ids of every rule matching on ``on``, strictest first.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
        >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2026, 11, 27))
        >>> item.due, item.days_overdue, item.missed, item.window.latest
        (datetime.date(2026, 11, 26), 1, True, datetime.date(2026, 11, 26))
        >>> print(item.reason)
        应于2026-11-26探访（每日一访，红）：刚出院的独居或孤寡老人，每日一访【discharged_alone】；上次探访2026-11-25；逾期1天，已错过（最迟2026-11-26）。
        due 2026-11-26 (daily, red): elder living alone or without family support just discharged from hospital: a visit every day [discharged_alone]; last visit 2026-11-25; 1 day overdue, missed (latest 2026-11-26).
    """

    resident: str
    household: str
    on: date
    due: date
    earliest: date
    latest: date
    last_visit: date | None = None
    rule: VisitRule | None = None
    change: MajorChange | None = None
    matched: tuple[str, ...] = ()

    @property
    def is_due(self) -> bool:
        """Whether the due date is on or before ``on``."""
        return self.due <= self.on

    @property
    def days_overdue(self) -> int:
        """Days from the due date to ``on`` (0 on the due date or before it)."""
        n = (self.on - self.due).days
        return n if n > 0 else 0

    @property
    def missed(self) -> bool:
        """Whether ``on`` is past the window's latest day."""
        return self.on > self.latest

    @property
    def window(self) -> VisitWindow:
        """The visit's window."""
        return VisitWindow(earliest=self.earliest, due=self.due, latest=self.latest)

    @property
    def colour(self) -> VisitColour:
        """The rule's colour (red for a major change)."""
        return self.rule.colour if self.rule is not None else VisitColour.RED

    @property
    def frequency_label(self) -> tuple[str, str]:
        """The frequency behind the visit, in Chinese and English."""
        if self.rule is None:
            return ("24小时内探访", "within 24 hours")
        return (self.rule.frequency.zh, self.rule.frequency.label)

    @property
    def reason(self) -> str:
        """Why the visit is due, in Chinese then English (two lines)."""
        zh_freq, en_freq = self.frequency_label
        if self.change is not None:
            what = self.change.what or "重大变故"
            zh = (
                f"{self.change.on.isoformat()}发生重大变故（{what}），应在24小时内探访"
                f"（最迟{self.latest.isoformat()}）"
            )
            en = (
                f"major change on {self.change.on.isoformat()} ({self.change.what or 'major change'}): "
                f"a visit within 24 hours (by {self.latest.isoformat()})"
            )
        else:
            assert self.rule is not None
            zh = (
                f"应于{self.due.isoformat()}探访（{zh_freq}，{self.colour.zh}）："
                f"{self.rule.reason}【{self.rule.id}】"
            )
            en = (
                f"due {self.due.isoformat()} ({en_freq}, {self.colour.label}): "
                f"{self.rule.reason_en or self.rule.reason} [{self.rule.id}]"
            )
        if self.last_visit is not None:
            zh += f"；上次探访{self.last_visit.isoformat()}"
            en += f"; last visit {self.last_visit.isoformat()}"
        else:
            zh += "；尚未探访"
            en += "; not visited yet"
        if self.is_due:
            zh += f"；逾期{self.days_overdue}天"
            en += f"; {self.days_overdue} day{'s' if self.days_overdue != 1 else ''} overdue"
        if self.missed:
            zh += f"，已错过（最迟{self.latest.isoformat()}）"
            en += f", missed (latest {self.latest.isoformat()})"
        return f"{zh}。\n{en}."


# The sweep builds many DueVisits from values it has checked: set the slots directly.
_new_due_visit = trusted_constructor(DueVisit)


# --------------------------------------------------------------------------- the compiled policy


def _cut(on: date, years: int) -> date | None:
    """The latest birth date of someone at least *years* old on *on* (None: nobody is)."""
    y = on.year - years
    if y < 1:
        return None
    try:
        return on.replace(year=y)
    except ValueError:  # 29 February in a common year
        return date(y, 2, 28)


def _run_start(conditions: Sequence[Condition], kinds: frozenset[str], day: int) -> int:
    """The first day of the run of days around *day* covered by conditions of *kinds*."""
    windows = [
        (
            0 if c.start is None else c.start.toordinal(),
            _FAR if c.end is None else c.end.toordinal(),
        )
        for c in conditions
        if c.kind in kinds
    ]
    start = min((s for s, e in windows if s <= day < e), default=day)
    moved = True
    while moved and start > 0:
        moved = False
        for s, e in windows:
            if s < start <= e:
                start = s
                moved = True
    return start


class _Rule:
    """A rule compiled for one day: cut-off birth dates, steps as day counts (private)."""

    __slots__ = (
        "all_kinds",
        "any_kinds",
        "calendar",
        "cut_max",
        "cut_min",
        "freq",
        "grace",
        "index",
        "j_max",
        "j_min",
        "last_ok",
        "memo",
        "min_age",
        "months",
        "nominal",
        "occ",
        "occ_done",
        "rule",
        "slot",
        "slots",
        "step",
        "tags_all",
        "tags_any",
        "wd_ahead",
    )

    def __init__(self, rule: VisitRule, index: int, on: date) -> None:
        self.rule = rule
        self.index = index
        f = rule.frequency
        self.freq = f
        self.nominal = f.nominal_days
        self.grace = f.grace_days
        self.min_age = rule.min_age
        self.cut_min = None if rule.min_age is None else _cut(on, rule.min_age)
        self.cut_max = None if rule.max_age is None else _cut(on, rule.max_age + 1)
        self.j_min = self.j_max = 0
        self.all_kinds = rule.conditions_all
        self.any_kinds = rule.conditions_any
        self.tags_all = rule.tags_all
        self.tags_any = rule.tags_any
        slots = tuple(sorted(_MODE_SLOT[m] for m in rule.modes))
        self.slots = slots
        self.slot = 1 if len(slots) == 3 else slots[0] if len(slots) == 1 else -1
        self.calendar = f.is_calendar
        day = on.toordinal()
        self.step = 0
        self.months = 0
        self.last_ok: int | None = None
        self.wd_ahead: tuple[int, ...] | None = None
        self.occ: list[int] = []
        self.occ_done = True
        self.memo: dict[int, int] = {}  # visit day → due day, for month steps
        if f.unit is FrequencyUnit.RRULE:
            assert f._rule is not None
            self.occ = _rrule_days(f._rule, until=day + 1)
            self.occ_done = sum(1 for o in self.occ[-2:] if o > day + 1) < 2
        elif f.weekdays:
            self.wd_ahead = tuple(min((w - wd) % 7 for w in f.weekdays) for wd in range(7))
        elif f.unit is FrequencyUnit.MONTH:
            self.months = f.every
            # the last visit day v with v + months <= day (add_months is non-decreasing)
            v = (date.fromordinal(day) - relativedelta(months=f.every)).toordinal()
            while _add_months(v, f.every) > day:
                v -= 1
            while _add_months(v + 1, f.every) <= day:
                v += 1
            self.last_ok = v
        else:
            self.step = f.every * (7 if f.unit is FrequencyUnit.WEEK else 1)
            self.last_ok = day - self.step

    def occurrence(self, x: int) -> int | None:
        """The first occurrence on or after day *x* (calendar frequencies)."""
        if self.wd_ahead is not None:
            return x + self.wd_ahead[(x - 1) % 7]
        occ = self.occ
        i = bisect_left(occ, x)
        if i < len(occ):
            return occ[i]
        if self.occ_done:
            return None
        # Beyond the precomputed days (not reached by the sweep's own queries).
        found = self.freq.occurrence_on_or_after(date.fromordinal(x))  # pragma: no cover
        return None if found is None else found.toordinal()  # pragma: no cover

    def calendar_due(self, v: int, start: int) -> tuple[int, int] | None:
        """For a calendar frequency, (earliest, due) after the last counted visit *v* (0:
        none) in a stretch from *start*: the period after the one *v* fell in, or the one
        *start* falls in.  (Interval frequencies are computed inline in ``evaluate``.)"""
        if v:
            closing = self.occurrence(v)
            if closing is None:
                return None
            a = closing + 1 if closing + 1 > start else start
        else:
            a = start
        due = self.occurrence(a)
        return None if due is None else (a, due)


_Hit = tuple[tuple[_Rule, ...], tuple[str, ...], int | None]
"""Matching rules (strictest first), their ids, and the fast-path threshold (private)."""
_NO_HIT: _Hit = ((), (), None)


class _Compiled:
    """A policy compiled for one day: rules in strictness order, cut-off dates, a cache of
    which rules match each (age band, conditions in force, tags) combination (private)."""

    def __init__(self, policy: VisitPolicy, on: date) -> None:
        self.policy = policy
        self.on = on
        self.day = on.toordinal()
        rules = [_Rule(r, i, on) for i, r in enumerate(policy.rules)]
        # A rule whose minimum age nobody can have reached cannot match on this day.
        live = [c for c in rules if not (c.min_age is not None and c.cut_min is None)]
        self.rules = sorted(live, key=lambda c: (c.nominal, c.index))
        cuts = sorted({c for r in live for c in (r.cut_min, r.cut_max) if c is not None})
        self.cuts = cuts
        for r in live:
            if r.cut_min is not None:
                r.j_min = cuts.index(r.cut_min)
            if r.cut_max is not None:
                r.j_max = cuts.index(r.cut_max)
        self.cutoff: date | None = None
        if live and all(r.cut_min is not None for r in live):
            self.cutoff = max(r.cut_min for r in live if r.cut_min is not None)
        self.no_rules = not live
        self.uses_tags = any(r.tags_all or r.tags_any for r in live)
        self.needs_conditions = bool(live) and all(r.all_kinds or r.any_kinds for r in live)
        # Visit-mode slots some rule counts on their own (rules counting every mode use the
        # "any mode" day).
        self.slots = frozenset(s for r in live if r.slot != 1 for s in r.slots)
        # band (index of the birth date among the cut-off dates) → kinds in force (one code,
        # or a frozenset) → [tags →] the matching rules.  Nested dicts, so that a lookup
        # allocates nothing.
        self.by_band: list[dict[Any, Any]] = [{} for _ in range(len(cuts) + 1)]
        self.dates: dict[int, date] = {}

    def resolve(self, band: int, key: str | frozenset[str], tags: frozenset[str] | None) -> _Hit:
        kinds = frozenset((key,)) if isinstance(key, str) else key
        out = []
        for r in self.rules:
            if r.cut_min is not None and band > r.j_min:
                continue
            if r.cut_max is not None and band <= r.j_max:
                continue
            if r.all_kinds and not r.all_kinds <= kinds:
                continue
            if r.any_kinds and r.any_kinds.isdisjoint(kinds):
                continue
            if tags is not None:
                if r.tags_all and not r.tags_all <= tags:
                    continue
                if r.tags_any and r.tags_any.isdisjoint(tags):
                    continue
            out.append(r)
        # With only interval rules counting every mode, a resident is due iff the last visit
        # is on or before the latest of their last_ok days: one comparison.
        fast = None
        if out and all(r.last_ok is not None and r.slot == 1 for r in out):
            fast = max(r.last_ok for r in out if r.last_ok is not None)
        hit = (tuple(out), tuple(r.rule.id for r in out), fast)
        if tags is None:
            self.by_band[band][key] = hit
        else:
            self.by_band[band].setdefault(key, {})[tags] = hit
        return hit

    def matching(self, r: Resident) -> _Hit:
        on = self.on
        b = r.birth_date
        if b > on or self.no_rules:
            return _NO_HIT
        fo = r.file_opened
        if fo is not None and fo > on:
            return _NO_HIT
        key = r.standing_conditions  # precomputed unless some condition has a validity window
        if key is None:
            key = _kinds_key(r.conditions, on)
        band = bisect_left(self.cuts, b)
        hit = self.by_band[band].get(key)
        if self.uses_tags:
            hit = None if hit is None else hit.get(r.tags)
            if hit is None:
                return self.resolve(band, key, r.tags)
        elif hit is None:
            return self.resolve(band, key, None)
        assert isinstance(hit, tuple)
        return hit

    def stretch(self, cr: _Rule, r: Resident, floor: int) -> int:
        """The first day of the run of days up to the compiled day on which *cr* has matched
        *r* without a break (at least *floor*)."""
        s = floor
        m = cr.min_age
        if m is not None:
            b = r.birth_date
            try:
                x = date(b.year + m, b.month, b.day).toordinal()  # not replace(): slower
            except ValueError:  # born on 29 February: the birthday counts on 1 March
                x = date(b.year + m, 3, 1).toordinal()
            if x > s:
                s = x
        if cr.all_kinds or cr.any_kinds:
            day = self.day
            conds = r.conditions
            for k in cr.all_kinds:
                x = _run_start(conds, frozenset((k,)), day)
                if x > s:
                    s = x
            if cr.any_kinds:
                x = _run_start(conds, cr.any_kinds, day)
                if x > s:
                    s = x
        return s

    def evaluate(
        self,
        r: Resident,
        g: list[int] | None,
        changes: Sequence[tuple[int, MajorChange]] | None,
        matched: _Hit,
        due_only: bool,
        records: Callable[[], Iterable[VisitRecord]] | None = None,
    ) -> DueVisit | None:
        """The resident's earliest deadline among *matched* rules and *changes*, as a
        DueVisit (``None`` if there is none, or with *due_only* if it is after the day).

        *g* is ``[first record day, last visit of any mode, in person, phone, video]`` with
        0 for "none", or ``None`` without records.
        """
        fo = r.file_opened
        floor = (fo if fo is not None else r.birth_date).toordinal()
        if g is not None and fo is not None and g[0] < floor:
            raise _record_before_file(r, g[0], records() if records is not None else ())
        rules, ids, _ = matched
        best_due = best_latest = best_earliest = best_v = 0
        best_rank = 0
        chosen: _Rule | None = None
        found = False
        for rank, cr in enumerate(rules):
            if g is None:
                v = 0
            elif cr.slot >= 0:
                v = g[cr.slot]
            else:
                v = max([g[x] for x in cr.slots])
            if cr.all_kinds or cr.any_kinds:
                s = self.stretch(cr, r, floor)
            else:
                s = floor
                m = cr.min_age
                if m is not None:
                    b = r.birth_date
                    try:
                        x = date(b.year + m, b.month, b.day).toordinal()  # not replace(): slower
                    except ValueError:  # born on 29 February
                        x = date(b.year + m, 3, 1).toordinal()
                    if x > s:
                        s = x
            if not cr.calendar:
                if v:
                    if cr.months:
                        due = cr.memo.get(v, 0)
                        if not due:
                            due = cr.memo[v] = _add_months(v, cr.months)
                    else:
                        due = v + cr.step
                    if due < s:
                        due = s
                    earliest = v + 1 if v + 1 > s else s
                else:
                    due = earliest = s
            else:
                got = cr.calendar_due(v, s)
                if got is None:
                    continue
                earliest, due = got
            latest = due + cr.grace
            if not found or due < best_due or (due == best_due and latest < best_latest):
                found = True
                best_due, best_latest, best_rank = due, latest, rank
                best_earliest, best_v, chosen = earliest, v, cr
        change: MajorChange | None = None
        if changes:
            v_any = g[1] if g is not None else 0
            for cday, event in changes:
                if cday > v_any:
                    latest = cday + self.policy.major_change_days
                    if not found or (cday, latest, -1) < (best_due, best_latest, best_rank):
                        found = True
                        best_due = best_earliest = cday
                        best_latest, best_v, chosen, change = latest, v_any, None, event
                    break
        if not found or (due_only and best_due > self.day):
            return None
        # Due dates repeat across residents: share one date object per day.
        days = self.dates
        due_d = days.get(best_due)
        if due_d is None:
            due_d = days[best_due] = date.fromordinal(best_due)
        earliest_d = due_d if best_earliest == best_due else _date_of(days, best_earliest)
        latest_d = due_d if best_latest == best_due else _date_of(days, best_latest)
        last_d = _date_of(days, best_v) if best_v else None
        return _new_due_visit(
            r.id,
            r.household,
            self.on,
            due_d,
            earliest_d,
            latest_d,
            last_d,
            chosen.rule if chosen is not None else None,
            change,
            ids,
        )


def _date_of(days: dict[int, date], day: int) -> date:
    found = days.get(day)
    if found is None:
        found = days[day] = date.fromordinal(day)
    return found


def _kinds_key(conds: Sequence[Condition], on: date) -> str | frozenset[str]:
    """The kinds of the conditions in force on *on*: one code when there is one (no
    allocation), else a frozenset."""
    if not conds:
        return _EMPTY
    if len(conds) == 1:
        c = conds[0]
        if (c.start is None or c.start <= on) and (c.end is None or on < c.end):
            return c.kind
        return _EMPTY
    return frozenset(
        [
            c.kind
            for c in conds
            if (c.start is None or c.start <= on) and (c.end is None or on < c.end)
        ]
    )


class _Visits:
    """The records grouped by resident as day numbers, in dicts of ints (private).

    Only records on or before the sweep's day are kept: later ones do not count, and cannot
    predate a file opened on or before that day.

    ``last``: resident → the last such day, any mode; ``first``: resident → the earliest such
    day, for residents with two records or more (for one, it is ``last``); ``by_slot``: mode
    slot → resident → last day, for the slots some rule counts on its own; ``every``
    (only when asked): resident → the earliest day of *all* their records.
    """

    __slots__ = ("by_slot", "every", "first", "last")

    def __init__(
        self, records: Iterable[VisitRecord], day: int, slots: Iterable[int], *, every: bool = False
    ) -> None:
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        by_slot: dict[int, dict[str, int]] = {s: {} for s in slots}
        all_first: dict[str, int] | None = None
        if every:
            records = list(records)
            all_last: dict[str, int] = {}
            all_first = {}
            _fold(records, all_first, all_last, {})
            all_first = {**all_last, **all_first}  # the earliest day of each resident
        _fold(records, first, last, by_slot, day)
        self.first = first
        self.last = last
        self.by_slot = by_slot
        self.every = all_first

    @classmethod
    def of_log(cls, log: VisitLog, slots: Iterable[int], *, every: bool = False) -> _Visits:
        """The log's own index, shared (read only), for a day on or after its latest."""
        visits: _Visits = object.__new__(cls)
        visits.first = log._first
        visits.last = log._last
        visits.by_slot = {s: log._modes[s] for s in slots}
        # Every resident with a record → their earliest: the last day for a single record.
        visits.every = {**log._last, **log._first} if every else None
        return visits

    def group(self, rid: str) -> list[int] | None:
        """[first day, last any mode, last in person, phone, video] (0: none), or None."""
        last = self.last.get(rid)
        if last is None:
            return None
        g = [self.first.get(rid, last), last, 0, 0, 0]
        for s, one in self.by_slot.items():
            g[s] = one.get(rid, 0)
        return g


def _group_changes(
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None, day: int | None
) -> dict[str, list[tuple[int, MajorChange]]]:
    if major_changes is None:
        return {}
    items: Iterable[MajorChange]
    if isinstance(major_changes, Mapping):
        items = [MajorChange(resident=rid, on=d) for rid, d in major_changes.items()]
    else:
        items = major_changes
    out: dict[str, list[tuple[int, MajorChange]]] = {}
    for ch in items:
        if not isinstance(ch, MajorChange):
            raise InvalidValueError(
                f"'major_changes' must be MajorChange values or a mapping of resident id to "
                f"date (got {ch!r:.60})."
            )
        o = ch.on.toordinal()
        if day is None or o <= day:
            out.setdefault(ch.resident, []).append((o, ch))
    for lst in out.values():
        lst.sort(key=lambda x: x[0])
    return out


# --------------------------------------------------------------------------- the sweep


def due_visits(
    residents: Iterable[Resident],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    *,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
    check: bool = False,
) -> Iterator[DueVisit]:
    """Every resident due for a visit on *on*, streamed in the order of *residents*.

    A resident is due on *on* when the earliest deadline set by the rules matching them on
    *on* (and by any unvisited major change) is on or before *on*; see the module notes.
    Records dated after *on* are ignored, so a sweep of a past day is reproducible.

    The sweep compiles the policy for the day once (cut-off birth dates, steps as day
    counts, a cache of which rules match each combination of age band, conditions and tags),
    groups the records by resident in one pass into dicts of day numbers (or reads the index
    of a :class:`VisitLog`, which keeps them grouped: the fast road for daily sweeps), rejects residents
    too young for any rule with a single date comparison, and decides most residents who
    are not due with one integer comparison, allocating nothing for them.  Each item agrees
    with :func:`next_due` for its resident.

    Args:
        residents: the personal files, streamed.
        records: the visit records, read once before the first item; or a :class:`VisitLog`
            (its index is read as it is when *on* is not before its latest record).
        policy: the visit policy.
        on: the day of the sweep.
        major_changes: major changes, as :class:`MajorChange` values or a mapping of resident
            id to day; they apply to residents under the policy on *on*.
        check: also check that every record names a resident of *residents* (a dict lookup
            per resident; the error is raised after the last item).

    Raises:
        InvalidValueError: for a record dated before its resident's file was opened — of
            every resident the sweep finds possibly due (a resident not due is skipped on one
            comparison, unchecked), or of every resident with ``check=True`` — and with
            ``check=True`` for a record of an unknown resident.  :func:`check_records` checks
            everything up front.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> seen = [VisitRecord(id=f"v{i}", resident=r.id, member="m-li",
        ...                     at=datetime(2026, 11, 20, 10, tzinfo=CST))
        ...         for i, r in enumerate(sample_residents())]
        >>> due = list(due_visits(sample_residents(), seen, DEFAULT_POLICY, on=date(2026, 11, 26)))
        >>> [(d.resident, d.due.isoformat(), d.days_overdue, d.missed) for d in due]
        [('r-lu', '2026-11-25', 1, True)]
    """
    _check_day("on", on)
    if not isinstance(policy, VisitPolicy):
        raise InvalidValueError(f"'policy' must be a VisitPolicy (got {policy!r:.60}).")
    compiled = _Compiled(policy, on)
    day = compiled.day
    kept: list[VisitRecord] | None = None
    if isinstance(records, VisitLog) and day >= records._latest:
        if check:
            kept = list(records.records)
        visits = _Visits.of_log(records, compiled.slots, every=check)
    else:
        if check:
            kept = records = list(records)
        visits = _Visits(records, day, compiled.slots, every=check)
    changes = _group_changes(major_changes, day)
    return _sweep(compiled, residents, visits, changes, kept, check)


def _sweep(
    compiled: _Compiled,
    residents: Iterable[Resident],
    visits: _Visits,
    changes: dict[str, list[tuple[int, MajorChange]]],
    kept: list[VisitRecord] | None,
    check: bool,
) -> Iterator[DueVisit]:
    seen: set[str] = set()
    every = visits.every if visits.every is not None else {}
    if check:
        residents = _checking(residents, every, kept or [], seen)
    if compiled.no_rules:
        for _ in residents:
            pass
    else:
        yield from _sweep_rules(compiled, residents, visits, changes, kept)
    if check:
        for rid in every:
            if rid not in seen:
                rec = next((x for x in kept or () if x.resident == rid), None)
                name = f"VisitRecord {rec.id!r}" if rec is not None else "a VisitRecord"
                raise UnknownResidentError(
                    f"'resident' of {name} must name a resident with a file (got {rid!r})."
                )


def _checking(
    residents: Iterable[Resident],
    first: Mapping[str, int],
    kept: list[VisitRecord],
    seen: set[str],
) -> Iterator[Resident]:
    for r in residents:
        seen.add(r.id)
        f = first.get(r.id)
        if f is not None and r.file_opened is not None and f < r.file_opened.toordinal():
            raise _record_before_file(r, f, kept)
        yield r


def _any_due(
    rules: Sequence[_Rule],
    rid: str,
    last: int,
    slot_get: Mapping[int, Callable[[str, int], int]],
) -> bool:
    """Whether some rule may be due (the slow path of the sweep's fast check)."""
    for cr in rules:
        lo = cr.last_ok
        if lo is None:
            return True  # a calendar rule: evaluate it
        s = cr.slot
        if s == 1:
            v = last
        elif s > 0:
            v = slot_get[s](rid, 0)
        else:
            v = max(slot_get[x](rid, 0) for x in cr.slots)
        if v <= lo:
            return True
    return False


def _sweep_rules(
    compiled: _Compiled,
    residents: Iterable[Resident],
    visits: _Visits,
    changes: dict[str, list[tuple[int, MajorChange]]],
    kept: list[VisitRecord] | None,
) -> Iterator[DueVisit]:
    # The hot loop: locals only, and nothing allocated for a resident who is not due.
    on = compiled.on
    cutoff = compiled.cutoff
    needs_conditions = compiled.needs_conditions
    uses_tags = compiled.uses_tags
    cuts = compiled.cuts
    # Two cut-off dates (the default policy's 60 and 80) are compared inline.
    two = len(cuts) == 2
    cut0, cut1 = (cuts[0], cuts[1]) if two else (on, on)
    by_band = compiled.by_band
    resolve = compiled.resolve
    evaluate = compiled.evaluate
    first_get = visits.first.get
    last_get = visits.last.get
    slot_get = {s: d.get for s, d in visits.by_slot.items()}
    slot_items = tuple(slot_get.items())
    changes_get = changes.get

    def records() -> Iterable[VisitRecord]:
        return kept if kept is not None else ()

    for r in residents:
        b = r.birth_date
        if cutoff is not None:
            if b > cutoff:  # too young for every rule: the common case, one comparison
                continue
        elif b > on:
            continue
        key = r.standing_conditions  # precomputed unless some condition has a validity window
        if key is None:
            key = _kinds_key(r.conditions, on)
        elif needs_conditions and not key:
            continue
        band = (0 if b <= cut0 else 1 if b <= cut1 else 2) if two else bisect_left(cuts, b)
        hit = by_band[band].get(key)
        if uses_tags:
            if hit is not None:
                hit = hit.get(r.tags)
            if hit is None:
                hit = resolve(band, key, r.tags)
        elif hit is None:
            hit = resolve(band, key, None)
        rules = hit[0]
        if not rules:
            continue
        rid = r.id
        last = last_get(rid)
        chs = changes_get(rid) if changes else None
        if last is not None and chs is None:
            # Fast path: an interval rule is due iff its last counted visit is on or before
            # the rule's precomputed last_ok day; skip the resident when none is (whether
            # or not the file is open yet: either way nothing is due).
            fast = hit[2]
            if fast is not None:
                if last > fast:
                    continue
            elif not _any_due(rules, rid, last, slot_get):
                continue
        fo = r.file_opened
        if fo is not None and fo > on:  # the file is not open yet
            continue
        if last is None:
            g = None
        else:
            g = [first_get(rid, last), last, 0, 0, 0]
            for x, get in slot_items:
                g[x] = get(rid, 0)
        item = evaluate(r, g, chs, hit, True, records)
        if item is not None:
            yield item


def next_due(
    resident: Resident,
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    *,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
) -> DueVisit | None:
    """The next visit *resident* needs as seen on *on* — due already (``due <= on``) or
    later if nothing changes — or ``None`` when no rule matches on *on*.

    Only the records of *resident* among *records* are read; records after *on* are ignored.

    Raises:
        InvalidValueError: for a record of the resident dated before the file was opened.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                 at=datetime(2026, 11, 25, 9, tzinfo=CST))
        >>> item = next_due(lu, [v], DEFAULT_POLICY, on=date(2026, 11, 25))
        >>> item.due, item.rule.id, item.is_due
        (datetime.date(2026, 11, 26), 'discharged_alone', False)
    """
    _check_day("on", on)
    compiled = _Compiled(policy, on)
    mine = [rec for rec in records if rec.resident == resident.id]
    visits = _Visits(mine, compiled.day, compiled.slots)
    changes = _group_changes(major_changes, compiled.day)
    matched = compiled.matching(resident)
    if not matched[0]:
        return None
    return compiled.evaluate(
        resident,
        visits.group(resident.id),
        changes.get(resident.id),
        matched,
        False,
        lambda: mine,
    )


# --------------------------------------------------------------------------- escalation


@register
@attrs.frozen(kw_only=True)
class MissedVisitEscalation:
    """A missed visit sent up: to the unit above the micro-grid responsible for the
    resident's household, and that unit's leader.

    Attributes:
        resident: the resident's id.
        household: the household.
        on: the day of the sweep.
        due: the due date that was missed.
        latest: the window's last day.
        days_overdue: days from ``due`` to ``on``.
        rule: the id of the rule (``None`` for a major change).
        micro_grid: the responsible micro-grid.
        unit: the unit escalated to (the micro-grid's parent; the micro-grid itself when it
            is a root).
        leader: the id of that unit's leader, or ``None`` when the post is vacant.
        reason: why, in Chinese then English.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> item = next_due(lu, [], DEFAULT_POLICY, on=date(2026, 11, 27))  # never visited
        >>> esc = next(missed_visit_escalations([item], sample_grid()))
        >>> esc.micro_grid, esc.unit, esc.leader
        ('mg31', 'g3', 'm-g3')
    """

    resident: str
    household: str
    on: date
    due: date
    latest: date
    days_overdue: int
    rule: str | None
    micro_grid: str
    unit: str
    leader: str | None
    reason: str


def missed_visit_escalations(
    due: Iterable[DueVisit], grid: GridGraph
) -> Iterator[MissedVisitEscalation]:
    """An escalation for every missed visit among *due*, to the leader of the unit above the
    responsible micro-grid.

    Raises:
        UnknownPlaceError: if a household is not in the grid.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> seen = [VisitRecord(id=f"v{i}", resident=r.id, member="m-li",
        ...                     at=datetime(2026, 11, 20, 10, tzinfo=CST))
        ...         for i, r in enumerate(sample_residents())]
        >>> due = list(due_visits(sample_residents(), seen, DEFAULT_POLICY, on=date(2026, 11, 27)))
        >>> len(due), sum(d.missed for d in due)
        (12, 1)
        >>> escalations = list(missed_visit_escalations(due, sample_grid()))
        >>> [(e.resident, e.micro_grid, e.unit, e.leader) for e in escalations]
        [('r-lu', 'mg31', 'g3', 'm-g3')]
        >>> print(next(e for e in escalations if e.resident == "r-lu").reason)
        走访逾期：居民r-lu应于2026-11-25探访（每日一访），最迟2026-11-25，已逾期2天；责任微网格美好人家1号楼，上报第三网格（彭雪丽）。
        missed visit: resident r-lu was due 2026-11-25 (daily), latest 2026-11-25, 2 days overdue; responsible micro-grid 美好人家1号楼, escalated to 第三网格 (彭雪丽).
    """
    for item in due:
        if not item.missed:
            continue
        mg = grid.place_unit(item.household)
        parent = grid.parent(mg.id)
        target = parent if parent is not None else mg
        leader = grid.leader(target.id)
        zh_freq, en_freq = item.frequency_label
        who_zh = f"（{leader.name}）" if leader is not None else "（负责人空缺）"
        who_en = f" ({leader.name})" if leader is not None else " (no leader posted)"
        reason = (
            f"走访逾期：居民{item.resident}应于{item.due.isoformat()}探访（{zh_freq}），最迟"
            f"{item.latest.isoformat()}，已逾期{item.days_overdue}天；责任微网格{mg.name}，"
            f"上报{target.name}{who_zh}。\n"
            f"missed visit: resident {item.resident} was due {item.due.isoformat()} ({en_freq}), "
            f"latest {item.latest.isoformat()}, {item.days_overdue} "
            f"day{'s' if item.days_overdue != 1 else ''} overdue; responsible "
            f"micro-grid {mg.name}, escalated to {target.name}{who_en}."
        )
        yield MissedVisitEscalation(
            resident=item.resident,
            household=item.household,
            on=item.on,
            due=item.due,
            latest=item.latest,
            days_overdue=item.days_overdue,
            rule=item.rule.id if item.rule is not None else None,
            micro_grid=mg.id,
            unit=target.id,
            leader=leader.id if leader is not None else None,
            reason=reason,
        )


# --------------------------------------------------------------------------- plans


@register
@attrs.frozen(kw_only=True)
class PlannedVisit:
    """A due visit assigned to a member on a day.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 25), capacity_per_member=1)
        >>> plan.visits[0].member
        'm-li'
    """

    day: date
    resident: str
    member: str
    unit: str
    due: DueVisit


@register
@attrs.frozen(kw_only=True)
class VisitShortfall:
    """A due visit that could not be staffed on a day, and why.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 25), capacity_per_member=0)
        >>> plan.shortfalls[0].reason
        'every member posted in mg31 (1) is at capacity (0 visits) on 2026-11-25'
    """

    day: date
    resident: str
    unit: str
    reason: str
    due: DueVisit


@register
@attrs.frozen(kw_only=True)
class VisitPlan:
    """Visits assigned to members for each day of a date range, and the shortfalls.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 27), capacity_per_member=2)
        >>> [(v.day.day, v.member) for v in plan.visits], plan.shortfalls
        ([(25, 'm-li'), (26, 'm-li'), (27, 'm-li')], ())
    """

    start: date
    end: date
    capacity_per_member: int
    visits: tuple[PlannedVisit, ...] = ()
    shortfalls: tuple[VisitShortfall, ...] = ()

    def load(self, member: str, day: date | None = None) -> int:
        """The number of visits planned for *member* (on *day*, or over the whole range).

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
            >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(),
            ...                    start=date(2026, 11, 25), end=date(2026, 11, 27),
            ...                    capacity_per_member=2)
            >>> plan.load("m-li"), plan.load("m-li", date(2026, 11, 26))
            (3, 1)
        """
        return sum(1 for v in self.visits if v.member == member and (day is None or v.day == day))

    def on(self, day: date) -> tuple[PlannedVisit, ...]:
        """The visits planned on *day*.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
            >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(),
            ...                    start=date(2026, 11, 25), end=date(2026, 11, 27),
            ...                    capacity_per_member=2)
            >>> [v.resident for v in plan.on(date(2026, 11, 26))]
            ['r-lu']
        """
        return tuple(v for v in self.visits if v.day == day)


class _Book:
    """A resident's visit days per mode slot, sorted, for day-by-day planning (private)."""

    __slots__ = ("days", "first")

    def __init__(self) -> None:
        self.first = 0
        self.days: tuple[list[int], list[int], list[int]] = ([], [], [])

    def add(self, day: int, slot: int) -> None:
        if not self.first or day < self.first:
            self.first = day
        insort(self.days[slot - 2], day)

    def view(self, day: int) -> list[int]:
        g = [self.first, 0, 0, 0, 0]
        for i, lst in enumerate(self.days):
            k = bisect_right(lst, day)
            if k:
                g[i + 2] = lst[k - 1]
        g[1] = max(g[2], g[3], g[4])
        return g


def plan_visits(
    residents: Iterable[Resident],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    grid: GridGraph,
    *,
    start: date,
    end: date,
    capacity_per_member: int,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
) -> VisitPlan:
    """Assign the visits due on each day from *start* to *end* to the members posted in each
    resident's micro-grid, at most *capacity_per_member* visits per member per day.

    Day by day, the residents due (as :func:`due_visits` would find them, counting every
    visit planned on an earlier day as an in-person visit made) are taken most urgent first —
    red before yellow before green, then missed ones, then most days overdue, then by
    resident id — and each goes to the least-loaded member of its micro-grid with capacity left (fewest
    visits that day, then over the range, then by member id).  A visit that cannot be staffed
    is reported as a shortfall for that day, never dropped; the resident stays due and is
    tried again the next day.

    Raises:
        InvalidValueError: for *end* before *start* or a negative capacity.
        UnknownPlaceError: for a household not in the grid.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> plan = plan_visits(sample_residents(), [], DEFAULT_POLICY, sample_grid(),
        ...                    start=date(2026, 11, 25), end=date(2026, 11, 26),
        ...                    capacity_per_member=2)
        >>> len(plan.visits), len(plan.shortfalls)
        (61, 15)
        >>> plan.shortfalls[0].reason
        'every member posted in mg11 (1) is at capacity (2 visits) on 2026-11-25'
        >>> max(plan.load(m.id, v.day) for v in plan.visits for m in sample_grid().members)
        2
    """
    _check_day("start", start)
    _check_day("end", end)
    if end < start:
        raise InvalidValueError(
            f"'end' of a visit plan must not be before its start {start.isoformat()} "
            f"(got {end.isoformat()})."
        )
    _check_int("capacity_per_member", "a visit plan", capacity_per_member, minimum=0)
    files = list(residents)
    books: dict[str, _Book] = {}
    kept = list(records)
    for rec in kept:
        book = books.get(rec.resident)
        if book is None:
            book = books[rec.resident] = _Book()
        book.add(rec._day, rec._slot)
    changes = _group_changes(major_changes, None)
    members_of_unit: dict[str, tuple[Member, ...]] = {}
    total: dict[str, int] = {}
    planned: list[PlannedVisit] = []
    shortfalls: list[VisitShortfall] = []
    day = start
    while day <= end:
        compiled = _Compiled(policy, day)
        d = compiled.day
        items: list[DueVisit] = []
        for r in files:
            matched = compiled.matching(r)
            if not matched[0]:
                continue
            book = books.get(r.id)
            chs = [c for c in changes.get(r.id, ()) if c[0] <= d] or None
            item = compiled.evaluate(
                r,
                book.view(d) if book is not None else None,
                chs,
                matched,
                due_only=True,
                records=lambda: kept,
            )
            if item is not None:
                items.append(item)
        items.sort(key=lambda i: (i.colour.rank, not i.missed, -i.days_overdue, i.resident))
        load: dict[str, int] = {}
        for item in items:
            unit: GridUnit = grid.place_unit(item.household)
            team = members_of_unit.get(unit.id)
            if team is None:
                team = members_of_unit[unit.id] = grid.members_in(unit.id)
            free = [m for m in team if load.get(m.id, 0) < capacity_per_member]
            if not free:
                reason = (
                    f"no member is posted in {unit.id}"
                    if not team
                    else f"every member posted in {unit.id} ({len(team)}) is at capacity "
                    f"({capacity_per_member} visits) on {day.isoformat()}"
                )
                shortfalls.append(
                    VisitShortfall(
                        day=day, resident=item.resident, unit=unit.id, reason=reason, due=item
                    )
                )
                continue
            chosen = min(free, key=lambda m: (load.get(m.id, 0), total.get(m.id, 0), m.id))
            load[chosen.id] = load.get(chosen.id, 0) + 1
            total[chosen.id] = total.get(chosen.id, 0) + 1
            planned.append(
                PlannedVisit(
                    day=day, resident=item.resident, member=chosen.id, unit=unit.id, due=item
                )
            )
            book = books.get(item.resident)
            if book is None:
                book = books[item.resident] = _Book()
            book.add(d, _MODE_SLOT[VisitMode.IN_PERSON])
        day += timedelta(days=1)
    return VisitPlan(
        start=start,
        end=end,
        capacity_per_member=capacity_per_member,
        visits=tuple(planned),
        shortfalls=tuple(shortfalls),
    )


# --------------------------------------------------------------------------- coverage


@register
@attrs.frozen(kw_only=True)
class VisitCoverage:
    """The visit rate of one unit for one month: residents visited at least once in the month
    out of the residents under the policy during it (the unit's subtree).

    Example:
        >>> VisitCoverage(unit="g3", tier="grid", month="2026-11", required=8, visited=6).rate
        0.75
    """

    unit: str
    tier: str
    month: str
    required: int
    visited: int

    @property
    def rate(self) -> float | None:
        """``visited / required``, or ``None`` when nobody required a visit."""
        return self.visited / self.required if self.required else None


def _under_policy_during(policy: VisitPolicy, r: Resident, first: date, last: date) -> bool:
    """Whether some rule matches *r* on some day from *first* to *last*."""
    days = {first}
    if r.file_opened is not None:
        days.add(r.file_opened)
    for c in r.conditions:
        if c.start is not None:
            days.add(c.start)
        if c.end is not None:
            days.add(c.end)
    for rule in policy.rules:
        for years in (rule.min_age, None if rule.max_age is None else rule.max_age + 1):
            if years is not None and r.birth_date.year + years <= 9999:
                days.add(_birthday(r.birth_date, years))
    return any(
        rule.matches(r, d) for d in sorted(days) if first <= d <= last for rule in policy.rules
    )


def coverage(
    residents: Iterable[Resident],
    records: Iterable[VisitRecord],
    policy: VisitPolicy,
    grid: GridGraph,
    *,
    month: date | tuple[int, int],
) -> dict[str, VisitCoverage]:
    """The monthly visit rate per unit, rolled up the tree (micro-grid → grid → community).

    A resident *requires* a visit in the month when some rule of *policy* matches them on
    some day of it; they count as *visited* when a record of any mode is dated in the month.
    Each unit counts the residents of its whole subtree.

    Args:
        month: a ``(year, month)`` pair or any date in the month.

    Returns:
        unit id → :class:`VisitCoverage`, for every unit, in the grid's order (tier, then id).

    Raises:
        UnknownPlaceError: for a required resident whose household is not in the grid.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
        >>> report = coverage(sample_residents(), seen, DEFAULT_POLICY, sample_grid(),
        ...                   month=(2026, 11))
        >>> report["mg31"].visited, report["mg31"].required, report["yx"].required
        (1, 4, 61)
    """
    if isinstance(month, date):
        year, mon = month.year, month.month
    else:
        year, mon = month
        _check_int("month", "coverage()", mon, minimum=1)
        if mon > 12:
            raise InvalidValueError(f"'month' of coverage() must be at most 12 (got {mon}).")
    first = date(year, mon, 1)
    last = date(year, mon, _month_length(year, mon))
    lo, hi = first.toordinal(), last.toordinal()
    visited_ids = {rec.resident for rec in records if lo <= rec._day <= hi}
    counts = {u.id: [0, 0] for u in grid.units}
    for r in residents:
        if not _under_policy_during(policy, r, first, last):
            continue
        hit = r.id in visited_ids
        for u in grid.place_chain(r.household):
            c = counts[u.id]
            c[0] += 1
            c[1] += hit
    label = f"{year:04d}-{mon:02d}"
    return {
        u.id: VisitCoverage(
            unit=u.id, tier=u.tier, month=label, required=counts[u.id][0], visited=counts[u.id][1]
        )
        for u in grid.units
    }
