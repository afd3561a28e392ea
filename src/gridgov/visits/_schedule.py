"""Explicit rrule schedules: every question answered from the day asked about (private).

dateutil walks an rrule from its DTSTART: asking for the next occurrence after a day decades
after DTSTART walks every occurrence in between, and a rule that matches no day at all walks
to the year 9999.  A :class:`Schedule` answers the same questions with the same answers at a
cost that does not depend on how far back DTSTART is:

* the rule is **normalised** once: the parts dateutil derives from DTSTART when they are not
  given (the month day of a monthly rule, the weekday of a weekly one, the time of day) are
  made explicit, so that the rule may be restarted at another DTSTART;
* each question restarts it at the start of the period (day, week, month or year, counted
  in its INTERVAL from DTSTART) that holds the day asked about, so only the occurrences of
  that period and the next are looked at;
* the restarted rule runs 7,600 years later (19 cycles of the Gregorian calendar, in which
  weekdays, leap days and week numbers repeat exactly), so that a rule that matches no day
  for a long stretch stops at dateutil's year 9999 within a few centuries instead of walking
  the millennia;
* COUNT is turned into the day of its last occurrence when the schedule is built, and no
  occurrence after :data:`END` (ten years past the last year gridgov accepts) is considered.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import Any

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr
from dateutil.rrule import rrule as RRule

import gridgov._validators as v
from gridgov.errors import GridGovError, InvalidValueError

END = datetime(v.MAX_YEAR + 10, 12, 31, 23, 59, 59)
"""No occurrence after this moment is considered."""
MAX_COUNT = 3_660
"""The largest COUNT an rrule may give."""

_SHIFT_YEARS = 7_600  # 19 × 400 years: the Gregorian calendar repeats exactly
_SHIFT_DAYS = 19 * 146_097
_FREQS = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
_MAX_INTERVAL = {DAILY: 3_660, WEEKLY: 522, MONTHLY: 120, YEARLY: 10}  # ten years
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DTSTART = re.compile(r"(^|\n)\s*DTSTART[;:]", re.IGNORECASE)
_STAMP = "%Y%m%dT%H%M%S"
# tzids for rrulestr: look every TZID up in this empty mapping, so no tz database is read
# and every time is floating.
_NO_TZ: Mapping[str, tzinfo] = MappingProxyType({})


def _refuse(expected: str, text: str) -> GridGovError:
    return v.refuse("rrule", "Frequency", expected, text)


class Schedule:
    """An rrule's occurrence days, asked from any day in bounded time (private).

    Build it with :meth:`parse`; it never changes afterwards.
    """

    __slots__ = ("_base", "_d0", "_freq", "_interval", "_until", "_wkst")

    _base: RRule
    _d0: datetime
    _freq: int
    _interval: int
    _until: datetime
    _wkst: int

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """The schedule of the RFC 5545 *text*, checked.

        Raises:
            InvalidValueError: for text that is not one RRULE with a DTSTART given by the
                caller, a frequency finer than daily, an INTERVAL spanning more than ten
                years, a COUNT over :data:`MAX_COUNT`, BYEASTER, a DTSTART outside the
                accepted years, or a rule with no occurrence.
        """
        if not _DTSTART.search(text):
            raise InvalidValueError(
                f"'rrule' of Frequency must include a DTSTART given by the caller; gridgov never "
                f"lets dateutil default it to now() (got {v.show(text)})."
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                parsed = rrulestr(text, ignoretz=True, tzids=_NO_TZ, cache=False)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, Warning) as exc:
            raise InvalidValueError(
                f"'rrule' of Frequency must be an RFC 5545 recurrence (got {v.show(text)}): "
                f"{v.show(str(exc))[1:-1]}"
            ) from None
        if not isinstance(parsed, RRule):
            raise _refuse("one RRULE with its DTSTART (no RDATE, EXDATE or EXRULE)", text)
        lines = str(parsed).split("\n")
        try:  # dateutil writes years before 1000 with fewer digits: none is accepted
            d0 = datetime.strptime(lines[0].removeprefix("DTSTART:"), _STAMP)
        except ValueError:
            d0 = datetime.min
        parts = dict(p.split("=", 1) for p in lines[1].removeprefix("RRULE:").split(";"))
        freq = _FREQS.get(parts["FREQ"])
        if freq is None:
            raise _refuse(
                f"a rule repeating daily or less often (FREQ=DAILY, WEEKLY, MONTHLY or "
                f"YEARLY; got FREQ={parts['FREQ']})",
                text,
            )
        if "BYEASTER" in parts:
            raise _refuse("an RFC 5545 rule (BYEASTER is not supported)", text)
        if not v.MIN_YEAR <= d0.year <= v.MAX_YEAR:
            raise _refuse(f"a rule whose DTSTART is in the years {v.MIN_YEAR} to {v.MAX_YEAR}", text)
        interval = int(parts.get("INTERVAL", "1"))
        if interval < 1:
            raise _refuse(f"a rule with an INTERVAL of at least 1 (got INTERVAL={interval})", text)
        if interval > _MAX_INTERVAL[freq]:
            raise _refuse(
                f"a rule whose INTERVAL spans at most ten years (INTERVAL={_MAX_INTERVAL[freq]:,} "
                f"or less with FREQ={parts['FREQ']}; got INTERVAL={interval:,})",
                text,
            )
        count = int(parts["COUNT"]) if "COUNT" in parts else None
        if count is not None and not 0 <= count <= MAX_COUNT:
            raise _refuse(f"a rule with a COUNT from 0 to {MAX_COUNT:,} (got COUNT={count})", text)
        for day in parts.get("BYDAY", "").split(","):
            n = day[:-2]
            if n not in ("", "+", "-") and not 1 <= abs(int(n)) <= 53:
                raise _refuse(f"a rule whose BYDAY ordinals are 1 to 53 or -53 to -1 (got {day})", text)
        try:
            until = datetime.strptime(parts["UNTIL"], _STAMP) if "UNTIL" in parts else END
        except ValueError:  # before the year 1000: before any DTSTART accepted
            until = d0 - timedelta(seconds=1)
        # Make explicit what dateutil derives from DTSTART, so the rule can be restarted.
        extra: dict[str, Any] = {}
        if not {"BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"} & parts.keys():
            if freq == YEARLY:
                if "BYMONTH" not in parts:
                    extra["bymonth"] = d0.month
                extra["bymonthday"] = d0.day
            elif freq == MONTHLY:
                extra["bymonthday"] = d0.day
            elif freq == WEEKLY:
                extra["byweekday"] = d0.weekday()
        for key, value in (("byhour", d0.hour), ("byminute", d0.minute), ("bysecond", d0.second)):
            if key.upper() not in parts:
                extra[key] = value
        try:
            return cls._build(parsed, d0, freq, interval, parts, extra, until, count, text)
        except GridGovError:
            raise
        except (ValueError, IndexError, OverflowError) as exc:  # what dateutil cannot do
            raise InvalidValueError(
                f"'rrule' of Frequency must be an RFC 5545 recurrence (got {v.show(text)}): "
                f"{v.show(str(exc))[1:-1]}"
            ) from None

    @classmethod
    def _build(
        cls,
        parsed: RRule,
        d0: datetime,
        freq: int,
        interval: int,
        parts: dict[str, str],
        extra: dict[str, Any],
        until: datetime,
        count: int | None,
        text: str,
    ) -> Schedule:
        self = cls()
        self._base = parsed.replace(count=None, until=None, **extra)
        self._d0 = d0
        self._freq = freq
        self._interval = interval
        self._wkst = _WEEKDAYS.index(parts["WKST"]) if "WKST" in parts else 0
        self._until = min(until, END)
        if count == 0:
            self._until = d0 - timedelta(seconds=1)
        elif count is not None:  # the COUNT-th occurrence ends the schedule
            last = None
            for n, occ in enumerate(self._occurrences(d0.toordinal(), self._until), start=1):
                last = occ.replace(year=occ.year - _SHIFT_YEARS)
                if n == count:
                    break
            if last is not None:
                self._until = last
        if self.first(d0.toordinal()) is None:
            raise _refuse("a rule with at least one occurrence", text)
        return self

    # ----------------------------------------------------------------------- questions

    def first(self, day: int) -> int | None:
        """The first occurrence day (an ordinal) on or after *day*, or ``None``."""
        return next(self.days(day), None)

    def days(self, day: int, last: int | None = None) -> Iterator[int]:
        """The distinct occurrence days (ordinals) from *day* on, up to *last* if given."""
        until = self._until
        if last is not None:
            end = datetime.combine(date.fromordinal(last), time.max)
            if end < until:
                until = end
        seen = 0
        for occ in self._occurrences(day, until):
            o = occ.toordinal()
            if o != seen:
                seen = o
                yield o - _SHIFT_DAYS

    def _occurrences(self, day: int, until: datetime) -> Iterator[datetime]:
        """The occurrences on or after *day* up to *until*, as moments 7,600 years on."""
        if day > until.toordinal():
            return
        start = self._period_start(day)
        rule = self._base.replace(
            dtstart=start.replace(year=start.year + _SHIFT_YEARS),
            until=until.replace(year=until.year + _SHIFT_YEARS),
        )
        lo = datetime.fromordinal(day + _SHIFT_DAYS)
        for occ in rule:
            if occ >= lo:
                yield occ

    def _period_start(self, day: int) -> datetime:
        """The start of the period (counted in INTERVAL from DTSTART) that holds *day*:
        DTSTART itself for its own period, else midnight of the period's first day."""
        d0 = self._d0
        o0 = d0.toordinal()
        n = self._interval
        if day <= o0:
            return d0
        freq = self._freq
        if freq == DAILY:
            k = (day - o0) // n
            return d0 if k == 0 else datetime.fromordinal(o0 + k * n)
        if freq == WEEKLY:
            w0 = o0 - (d0.weekday() - self._wkst) % 7
            k = (day - w0) // (7 * n)
            return d0 if k == 0 else datetime.fromordinal(w0 + 7 * n * k)
        x = date.fromordinal(day)
        if freq == MONTHLY:
            m0 = d0.year * 12 + d0.month - 1
            k = (x.year * 12 + x.month - 1 - m0) // n
            if k == 0:
                return d0
            y, m = divmod(m0 + k * n, 12)
            return datetime(y, m + 1, 1)
        k = (x.year - d0.year) // n
        return d0 if k == 0 else datetime(d0.year + k * n, 1, 1)


assert date(2026, 1, 1).toordinal() + _SHIFT_DAYS == date(2026 + _SHIFT_YEARS, 1, 1).toordinal()
