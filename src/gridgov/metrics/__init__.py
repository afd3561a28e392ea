"""Metrics (考核指标): case facts, the indicators grid offices are judged by, roll-ups per
unit and period, and the opinion library (意见库).

* :mod:`gridgov.metrics.periods` — :class:`Period`, :class:`Grain`, :class:`Periods`: the
  CST days, weeks, months, quarters or custom ranges indicators count in.
* :mod:`gridgov.metrics.facts` — :class:`CaseFacts`, :func:`case_facts` and its batch form
  :func:`facts_of`: one flat record per case, read from its events.

Example:
    >>> from datetime import date
    >>> Period.of(date(2026, 11, 26), Grain.MONTH).zh
    '2026年11月'
"""

from __future__ import annotations

from gridgov.metrics.facts import CaseFacts, case_facts, facts_of
from gridgov.metrics.periods import MAX_PERIODS, Grain, Period, Periods, period_of, periods_between

__all__ = [
    "MAX_PERIODS",
    "CaseFacts",
    "Grain",
    "Period",
    "Periods",
    "case_facts",
    "facts_of",
    "period_of",
    "periods_between",
]
