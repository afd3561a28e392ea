"""Builders shared by the calendar unit tests (not a test module): the 2025 National Day
arrangement and :func:`at`, a moment in China Standard Time.  The ``cal`` and ``holiday_cal``
fixtures built from them are in ``conftest.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from gridgov import CST

# The 2025 National Day arrangement: 1-8 October off; Sunday 28 September and Saturday
# 11 October are make-up workdays (调休).
NATIONAL_DAY = frozenset(date(2025, 10, d) for d in range(1, 9))
MAKE_UP = frozenset({date(2025, 9, 28), date(2025, 10, 11)})


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=CST)
