"""Periods (统计周期): the days, weeks, months, quarters, years or custom ranges that
indicators count in, always on China Standard Time.

A moment belongs to the period holding its date **in CST** (UTC+8): a case closed at
23:30 UTC on 30 November is closed on 1 December in Beijing and counts in December.  A
:class:`Period` is a half-open range of dates ``[start, end)`` with a label; a
:class:`Grain` cuts time into calendar periods (ISO weeks start on Monday); a
:class:`Periods` value lists custom ranges (a reporting month that runs from the 26th to the
25th, a campaign).  :func:`period_of` is the one place a moment is put into a period.

Example:
    >>> from datetime import date, datetime, timezone
    >>> late = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)
    >>> period_of(late, Grain.MONTH).label, period_of(late, Grain.MONTH).zh
    ('2026-12', '2026年12月')
    >>> period_of(date(2026, 11, 26), Grain.WEEK).label, period_of(date(2026, 11, 26), Grain.QUARTER).zh
    ('2026-W48', '2026年第4季度')
    >>> custom = Periods(ranges=[Period.between(date(2026, 10, 26), date(2026, 11, 26), label="11月考核")])
    >>> period_of(date(2026, 11, 25), custom).label, period_of(date(2026, 11, 26), custom)
    ('11月考核', None)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov._time import CST
from gridgov.errors import InvalidValueError
from gridgov.serialize import register

__all__ = ["MAX_PERIODS", "Grain", "Period", "Periods", "period_of", "periods_between"]

MAX_PERIODS = 100_000
"""The most periods a :class:`Periods` value or :func:`periods_between` may hold."""


class Grain(LabelledEnum):
    """A calendar cut of time into periods, on CST dates.

    Example:
        >>> Grain.QUARTER.zh, Grain.WEEK.label
        ('季度', 'week')
    """

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    __zh__: ClassVar[dict[str, str]] = {
        "day": "日",
        "week": "周",
        "month": "月",
        "quarter": "季度",
        "year": "年",
    }


def _label(start: date, grain: Grain) -> tuple[str, str]:
    if grain is Grain.DAY:
        return start.isoformat(), f"{start.year}年{start.month}月{start.day}日"
    if grain is Grain.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", f"{year}年第{week}周"
    if grain is Grain.MONTH:
        return f"{start.year}-{start.month:02d}", f"{start.year}年{start.month}月"
    if grain is Grain.QUARTER:
        q = (start.month - 1) // 3 + 1
        return f"{start.year}-Q{q}", f"{start.year}年第{q}季度"
    return str(start.year), f"{start.year}年"


def _cst_date(moment: object, what: str = "moment") -> date:
    if isinstance(moment, datetime):
        return v.check_aware(what, moment).astimezone(CST).date()
    return v.check_date(what, moment)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _bounds(day: date, grain: Grain) -> tuple[date, date]:
    if grain is Grain.DAY:
        start, end = day, day + timedelta(days=1)
    elif grain is Grain.WEEK:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=7)
    elif grain is Grain.MONTH:
        start = day.replace(day=1)
        end = _add_months(start, 1)
    elif grain is Grain.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        end = _add_months(start, 3)
    else:
        start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    return start, end


@register
@attrs.frozen(kw_only=True)
class Period:
    """A range of CST dates ``[start, end)`` that indicators count in.

    Attributes:
        start: the first day.
        end: the day after the last (``end > start``).
        label: how it is shown in tables (``"2026-11"``, ``"2026-Q4"``, ``"11月考核"``).
        zh: its Chinese name (``"2026年11月"``); the label if not given.
        grain: the calendar cut it is a period of, or ``None`` for a custom range.

    Example:
        >>> from datetime import date
        >>> p = Period.of(date(2026, 11, 26), Grain.MONTH)
        >>> p.start, p.end, p.days, date(2026, 11, 30) in p, p.next().label, p.previous().zh
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), 30, True, '2026-12', '2026年10月')
        >>> Period(start=date(2026, 11, 2), end=date(2026, 11, 1), label="x")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'end' of Period must be after its start 2026-11-02 (got 2026-11-01).
    """

    start: date = attrs.field(validator=v.plain_date)
    end: date = attrs.field(validator=v.plain_date)
    label: str = attrs.field(validator=v.name)
    zh: str = attrs.field(default="", validator=v.text)
    grain: Grain | None = attrs.field(default=None, validator=v.optional(v.is_a(Grain)))

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidValueError(
                f"'end' of Period must be after its start {self.start.isoformat()} "
                f"(got {self.end.isoformat()})."
            )
        if not self.zh:
            object.__setattr__(self, "zh", self.label)
        if self.grain is not None and _bounds(self.start, self.grain) != (self.start, self.end):
            raise InvalidValueError(
                f"'start' and 'end' of Period must be one {self.grain.label} when grain is "
                f"{self.grain.value!r} (got {self.start.isoformat()} to {self.end.isoformat()})."
            )

    @classmethod
    def of(cls, moment: date | datetime, grain: Grain) -> Period:
        """The calendar period of *grain* holding *moment* (its CST date).

        Example:
            >>> from datetime import date
            >>> Period.of(date(2026, 12, 31), Grain.WEEK).label  # ISO week 53 of 2026
            '2026-W53'
        """
        day = _cst_date(moment)
        start, end = _bounds(day, v.check_instance("grain", grain, Grain))
        label, zh = _label(start, grain)
        return cls(start=start, end=end, label=label, zh=zh, grain=grain)

    @classmethod
    def between(cls, start: date, end: date, *, label: str = "", zh: str = "") -> Period:
        """A custom range ``[start, end)``; labelled ``"start/end"`` (ISO) unless given.

        Example:
            >>> from datetime import date
            >>> Period.between(date(2026, 10, 26), date(2026, 11, 26)).label
            '2026-10-26/2026-11-26'
        """
        v.check_date("start", start)
        v.check_date("end", end)
        return cls(start=start, end=end, label=label or f"{start}/{end}", zh=zh)

    @property
    def days(self) -> int:
        """The number of days it covers."""
        return (self.end - self.start).days

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, date):
            return False
        day = _cst_date(moment)
        return self.start <= day < self.end

    def next(self) -> Period:
        """The period of the same grain just after it (a custom range: the same length).

        Example:
            >>> from datetime import date
            >>> Period.of(date(2026, 12, 5), Grain.QUARTER).next().label
            '2027-Q1'
        """
        if self.grain is not None:
            return Period.of(self.end, self.grain)
        return Period.between(self.end, self.end + (self.end - self.start))

    def previous(self) -> Period:
        """The period of the same grain just before it (a custom range: the same length).

        Example:
            >>> from datetime import date
            >>> Period.of(date(2026, 1, 5), Grain.MONTH).previous().label
            '2025-12'
        """
        if self.grain is not None:
            return Period.of(self.start - timedelta(days=1), self.grain)
        return Period.between(self.start - (self.end - self.start), self.start)


@register
@attrs.frozen(kw_only=True)
class Periods:
    """Custom ranges to count in, sorted and not overlapping (gaps allowed: a moment in a gap
    is in no period and is not counted).

    Attributes:
        ranges: the periods, sorted by start, at most :data:`MAX_PERIODS`.

    Example:
        >>> from datetime import date
        >>> Periods(ranges=[Period.between(date(2026, 1, 1), date(2026, 3, 1)),
        ...                 Period.between(date(2026, 2, 1), date(2026, 4, 1))])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'ranges' of Periods must be sorted and not overlap (2026-02-01/2026-04-01 starts before 2026-01-01/2026-03-01 ends).
    """

    ranges: tuple[Period, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(Period))
    )
    _starts: tuple[date, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.ranges:
            raise InvalidValueError("'ranges' of Periods must hold at least one period (got none).")
        if len(self.ranges) > MAX_PERIODS:
            raise InvalidValueError(
                f"'ranges' of Periods must hold at most {MAX_PERIODS:,} periods "
                f"(got {len(self.ranges):,})."
            )
        for before, after in zip(self.ranges, self.ranges[1:], strict=False):
            if after.start < before.end:
                raise InvalidValueError(
                    f"'ranges' of Periods must be sorted and not overlap ({after.label} starts "
                    f"before {before.label} ends)."
                )
        object.__setattr__(self, "_starts", tuple(p.start for p in self.ranges))

    def of(self, moment: date | datetime) -> Period | None:
        """The range holding *moment* (its CST date), or ``None`` if it falls in none.

        Example:
            >>> from datetime import date
            >>> ps = Periods(ranges=[Period.between(date(2026, 1, 1), date(2026, 2, 1), label="一月")])
            >>> ps.of(date(2026, 1, 31)).label, ps.of(date(2026, 2, 1))
            ('一月', None)
        """
        day = _cst_date(moment)
        at = bisect.bisect_right(self._starts, day) - 1
        if at >= 0 and day < self.ranges[at].end:
            return self.ranges[at]
        return None

    def previous(self, period: Period) -> Period | None:
        """The range just before *period* among these (by start), or ``None`` for the first.

        Example:
            >>> from datetime import date
            >>> ps = Periods(ranges=[Period.between(date(2026, 1, 1), date(2026, 2, 1), label="一月"),
            ...                      Period.between(date(2026, 3, 1), date(2026, 4, 1), label="三月")])
            >>> ps.previous(ps.ranges[1]).label, ps.previous(ps.ranges[0])
            ('一月', None)
        """
        at = bisect.bisect_left(self._starts, period.start)
        return self.ranges[at - 1] if at > 0 else None

    def __iter__(self) -> Iterator[Period]:
        return iter(self.ranges)

    def __len__(self) -> int:
        return len(self.ranges)


def period_of(moment: date | datetime, by: Grain | Periods) -> Period | None:
    """The period *moment* counts in: a calendar period of a :class:`Grain`, or one of custom
    :class:`Periods` (``None`` if it falls in none).  Datetimes count by their CST date.

    Raises:
        InvalidValueError: if *moment* is not an aware datetime or a date, or *by* is neither.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> period_of(datetime(2026, 11, 26, 10, tzinfo=CST), Grain.DAY).zh
        '2026年11月26日'
    """
    if isinstance(by, Grain):
        return Period.of(moment, by)
    if isinstance(by, Periods):
        return by.of(moment)
    raise v.refuse("by", None, "a Grain or a Periods value", by)


def periods_between(start: date, end: date, grain: Grain) -> tuple[Period, ...]:
    """The calendar periods of *grain* from the one holding *start* to the one holding the day
    before *end* (``end`` exclusive), in order.

    Example:
        >>> from datetime import date
        >>> [p.label for p in periods_between(date(2026, 10, 15), date(2027, 1, 1), Grain.MONTH)]
        ['2026-10', '2026-11', '2026-12']
    """
    v.check_date("start", start)
    v.check_date("end", end)
    if end <= start:
        raise InvalidValueError(
            f"'end' must be after 'start' {start.isoformat()} (got {end.isoformat()})."
        )
    found: list[Period] = [Period.of(start, grain)]
    while found[-1].end < end:
        if len(found) >= MAX_PERIODS:
            raise InvalidValueError(
                f"'start' to 'end' must span at most {MAX_PERIODS:,} periods of a {grain.label}."
            )
        found.append(found[-1].next())
    return tuple(found)
