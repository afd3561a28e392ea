"""Working time: the working calendar (工作日历), time limits (时限) and deadlines.

* :class:`WorkCalendar` — working days and hours, holidays and make-up workdays (调休);
  adds and measures working time.
* :class:`TimeLimit` — "3 working days", "24 hours", "same day", as data.
* :class:`Deadline` — when a clock falls due, what set it, and the suspended time given back.
* :class:`DeadlinePlan` and :class:`DeadlinePlanner` (advanced) — limits compiled on a
  calendar, and a bounded cache the caller owns, for setting many deadlines fast.

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> from gridgov.calendar import TimeLimit, WorkCalendar
    >>> cal = WorkCalendar(holidays={date(2025, 10, 1)})
    >>> found = datetime(2025, 9, 30, 16, 0, tzinfo=CST)   # a Tuesday afternoon
    >>> print(cal.add_working_hours(found, 4))             # Wednesday is National Day
    2025-10-02 10:30:00+08:00
    >>> print(TimeLimit.working_days(3).deadline(found, cal))
    2025-10-06 16:00:00+08:00
"""

from __future__ import annotations

from gridgov.calendar.deadlines import Deadline, DeadlinePlan, DeadlinePlanner
from gridgov.calendar.limits import MAX_LIMIT_DAYS, TimeLimit
from gridgov.calendar.workcalendar import MAX_HOLIDAYS, WorkCalendar

__all__ = [
    "MAX_HOLIDAYS",
    "MAX_LIMIT_DAYS",
    "Deadline",
    "DeadlinePlan",
    "DeadlinePlanner",
    "TimeLimit",
    "WorkCalendar",
]
