"""Time limits (时限): "3 working days", "24 hours", "same day", as data.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> from gridgov.calendar import TimeLimit, WorkCalendar
    >>> found = datetime(2025, 9, 30, 16, 0, tzinfo=CST)
    >>> print(TimeLimit.working_days(3).deadline(found, WorkCalendar()))
    2025-10-03 16:00:00+08:00
    >>> print(TimeLimit.same_day().deadline(found, WorkCalendar()))
    2025-10-01 00:00:00+08:00
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from typing import Any, Literal

import attrs

import gridgov._validators as v
from gridgov.calendar._working import US_PER_HOUR, Split
from gridgov.calendar.workcalendar import WorkCalendar
from gridgov.errors import InvalidValueError
from gridgov.serialize import register

__all__ = ["MAX_LIMIT_DAYS", "TimeLimit"]

MAX_LIMIT_DAYS = 3653
"""The longest time limit, in days (ten years); hours are counted against 24 × this."""


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
            or (isinstance(amount, float) and not math.isfinite(amount))
        ):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be a finite number (got {v.show(amount)})."
            )
        if self.unit not in ("hours", "days"):
            raise InvalidValueError(
                f"'unit' of TimeLimit must be 'hours' or 'days' (got {v.show(self.unit)})."
            )
        if amount > (MAX_LIMIT_DAYS if self.unit == "days" else 24 * MAX_LIMIT_DAYS):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be at most {MAX_LIMIT_DAYS:,} days "
                f"({24 * MAX_LIMIT_DAYS:,} hours) (got {v.show(amount)} {self.unit})."
            )
        if amount < 0 or (amount == 0 and not self.to_end_of_day):
            raise InvalidValueError(
                f"'amount' of TimeLimit must be positive (got {v.show(amount)}); "
                "use to_end_of_day=True for a same-day limit."
            )
        if self.unit not in ("hours", "days"):
            raise InvalidValueError(
                f"'unit' of TimeLimit must be 'hours' or 'days' (got {v.show(self.unit)})."
            )
        if self.basis not in ("working", "natural"):
            raise InvalidValueError(
                f"'basis' of TimeLimit must be 'working' or 'natural' (got {v.show(self.basis)})."
            )
        if not isinstance(self.to_end_of_day, bool):
            raise InvalidValueError(
                f"'to_end_of_day' of TimeLimit must be true or false (got {v.show(self.to_end_of_day)})."
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
        v.check_instance("calendar", calendar, WorkCalendar)
        return self.deadline_from(calendar.working_time.split("start", start), calendar)

    def natural_span(self) -> timedelta | None:
        """For a natural-time limit not extended to the end of the day: the wall-clock span
        to add to the start; ``None`` otherwise (advanced: for deadline planners).

        Example:
            >>> TimeLimit.natural_hours(24).natural_span()
            datetime.timedelta(days=1)
        """
        if self.basis != "natural" or self.to_end_of_day:
            return None
        return timedelta(hours=self.amount) if self.unit == "hours" else timedelta(days=self.amount)

    def working_need(self, calendar: WorkCalendar) -> int | None:
        """For a working-time limit not extended to the end of the day: the working
        microseconds it adds on *calendar*; ``None`` otherwise (advanced: for deadline
        planners).

        Example:
            >>> TimeLimit.working_hours(2).working_need(WorkCalendar())
            7200000000
        """
        if self.basis != "working" or self.to_end_of_day:
            return None
        unit_us = US_PER_HOUR if self.unit == "hours" else calendar.working_time.day
        need = self.amount * unit_us
        need = need if type(need) is int else round(need)
        return need if need > 0 else None

    def deadline_from(self, split: Split, calendar: WorkCalendar) -> datetime:
        """The deadline from a start already split by ``calendar.working_time.split``
        (advanced: for deadline planners that split one start for several limits).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> cal = WorkCalendar()
            >>> split = cal.working_time.split("start", datetime(2026, 11, 27, 16, tzinfo=CST))
            >>> print(TimeLimit.working_hours(4).deadline_from(split, cal))
            2026-11-30 10:30:00+08:00
        """
        local, ordinal, us = split
        engine = calendar.working_time
        if self.basis == "working":
            unit_us = US_PER_HOUR if self.unit == "hours" else engine.day
            need = self.amount * unit_us
            due = engine.add(local, ordinal, us, need if type(need) is int else round(need))
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


