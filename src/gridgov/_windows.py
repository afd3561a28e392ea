"""Condition windows as day numbers (private): worked out once per file for batch engines
(:meth:`gridgov.Criteria.stretch_start`, :class:`gridgov.visits.VisitRoster`)."""

from __future__ import annotations

from datetime import date

from gridgov.people import Resident

FAR = date.max.toordinal() + 1  # "no end" for condition windows, as a day number

Windows = tuple[tuple[str, int, int], ...]
"""A file's condition windows as ``(kind, first day, end day)`` day numbers (0: no start; the
day after ``date.max``: no end): see :func:`condition_windows`."""


def condition_windows(resident: Resident) -> Windows:
    """*resident*'s conditions as windows of day numbers, worked out once so that batch
    engines need not re-derive them per day (advanced: see :meth:`Criteria.stretch_start`).

    Example:
        >>> from datetime import date
        >>> from gridgov import Condition, Resident
        >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 1, 1),
        ...              conditions=[Condition(kind="injured", start=date(2026, 1, 1),
        ...                                    end=date(2026, 2, 1))])
        >>> [(k, date.fromordinal(s), date.fromordinal(e)) for k, s, e in condition_windows(r)]
        [('injured', datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))]
    """
    return tuple(
        (
            c.kind,
            0 if c.start is None else c.start.toordinal(),
            FAR if c.end is None else c.end.toordinal(),
        )
        for c in resident.conditions
    )


def run_start(windows: Windows, kinds: frozenset[str], day: int) -> int:
    """The first day of the run of days around *day* covered by windows of *kinds*."""
    mine = [(s, e) for k, s, e in windows if k in kinds]
    start = min((s for s, e in mine if s <= day < e), default=day)
    moved = True
    while moved and start > 0:
        moved = False
        for s, e in mine:
            if s < start <= e:
                start = s
                moved = True
    return start
