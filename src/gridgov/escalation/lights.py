"""Traffic lights (红黄绿灯预警): how close a case is to missing a deadline.

Example:
    >>> from datetime import timedelta
    >>> from gridgov.demo import sample_case, sample_policy
    >>> case = sample_case()
    >>> warning(case, at=case.updated_at, calendar=sample_policy().calendar).zh
    '绿灯 正常'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.calendar import Deadline, WorkCalendar
from gridgov.cases import Case, CaseStatus

__all__ = ["WarningLevel", "warning"]


class WarningLevel(LabelledEnum):
    """A case's traffic light (红黄绿灯预警).

    Example:
        >>> WarningLevel.YELLOW.zh
        '黄灯 临期'
    """

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    __zh__: ClassVar[Mapping[str, str]] = {
        "green": "绿灯 正常",
        "yellow": "黄灯 临期",
        "red": "红灯 超期",
    }


def _measure(deadline: Deadline, start: datetime, end: datetime, calendar: WorkCalendar) -> float:
    if deadline.basis == "working":
        return calendar.working_time_between(start, end).total_seconds()
    return (end - start).total_seconds()


def warning(
    case: Case, *, at: datetime, calendar: WorkCalendar, share: float = 0.2
) -> WarningLevel:
    """The case's traffic light at *at*: red once a running deadline has passed, yellow when
    no more than *share* of a running deadline's time is left, green otherwise.

    Time is measured in each deadline's basis, working time on *calendar* (the calendar the
    case's clocks run on: the policy's and the router's).  A suspended case is judged as it
    stood when it was suspended (its clocks are stopped); a case whose clocks are not
    running (resolved, closed …) is green.

    Raises:
        InvalidValueError: for an argument of the wrong type, a naive *at* or a *share*
            outside ``[0, 1]``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Deadline, Issue, Reporter, WorkCalendar
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 8, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11",
        ...     resolve_by=Deadline(start=t, due=t.replace(hour=18)))])
        >>> [warning(case, at=t.replace(hour=h), calendar=WorkCalendar()).value
        ...  for h in (9, 17, 19)]
        ['green', 'yellow', 'red']
    """
    v.check_instance("case", case, Case)
    v.check_aware("at", at)
    v.check_instance("calendar", calendar, WorkCalendar)
    v.check_number("share", share, 0, 1)
    status = case.status
    if status is CaseStatus.SUSPENDED:
        moment, running = case.paused_since, case.suspended_from
        assert moment is not None
        assert running is not None
    elif status.is_active:
        moment, running = at, status
    else:
        return WarningLevel.GREEN
    deadlines = [case.resolve_by]
    if running is CaseStatus.REPORTED:
        deadlines.append(case.accept_by)
    level = WarningLevel.GREEN
    for deadline in deadlines:
        if deadline is None:
            continue
        due = deadline.effective(calendar)
        if moment > due:
            return WarningLevel.RED
        total = _measure(deadline, deadline.start, deadline.due, calendar)
        if _measure(deadline, moment, due, calendar) <= share * total:
            level = WarningLevel.YELLOW
    return level
