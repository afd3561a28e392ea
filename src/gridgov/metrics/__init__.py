"""Metrics (考核指标): case facts, the indicators grid offices are judged by, roll-ups per
unit and period, and the opinion library (意见库).

* :mod:`gridgov.metrics.periods` — :class:`Period`, :class:`Grain`, :class:`Periods`: the
  CST days, weeks, months, quarters or custom ranges indicators count in.
* :mod:`gridgov.metrics.facts` — :class:`CaseFacts`, :func:`case_facts` and its batch form
  :func:`facts_of`: one flat record per case, read from its events.
* :mod:`gridgov.metrics.opinions` — :class:`OpinionLibrary` and :func:`opinion_library`: the
  opinion library (意见库), demands by category × unit × period;
  :mod:`gridgov.metrics.hotspots` — :func:`hotspots`: repeated, rising and dense demand,
  each explained; :mod:`gridgov.metrics.visit_rate` — :func:`visit_rate`: 月探访率.

Example:
    >>> from datetime import date
    >>> Period.of(date(2026, 11, 26), Grain.MONTH).zh
    '2026年11月'
"""

from __future__ import annotations

from gridgov.metrics.facts import CaseFacts, case_facts, facts_of
from gridgov.metrics.hotspots import Hotspot, HotspotKind, Hotspots, hotspots
from gridgov.metrics.opinions import OpinionCell, OpinionLibrary, OpinionReport, opinion_library
from gridgov.metrics.periods import MAX_PERIODS, Grain, Period, Periods, period_of, periods_between
from gridgov.metrics.visit_rate import VisitRate, visit_rate

__all__ = [
    "MAX_PERIODS",
    "CaseFacts",
    "Grain",
    "Hotspot",
    "HotspotKind",
    "Hotspots",
    "OpinionCell",
    "OpinionLibrary",
    "OpinionReport",
    "Period",
    "Periods",
    "VisitRate",
    "case_facts",
    "facts_of",
    "hotspots",
    "opinion_library",
    "period_of",
    "periods_between",
    "visit_rate",
]
