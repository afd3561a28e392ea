"""Metrics (考核指标): case facts, the indicators grid offices are judged by, roll-ups per
unit and period, and the opinion library (意见库).

* :mod:`gridgov.metrics.periods` — :class:`Period`, :class:`Grain`, :class:`Periods`: the
  CST days, weeks, months, quarters or custom ranges indicators count in.
* :mod:`gridgov.metrics.facts` — :class:`CaseFacts`, :func:`case_facts` and its batch form
  :func:`facts_of`: one flat record per case, read from its events.
* :mod:`gridgov.metrics.indicators` — :class:`Indicator`, :class:`Predicate`, :class:`Count`,
  :class:`CountsIn`: indicators as data over the facts, from a small vocabulary.
* :mod:`gridgov.metrics.composite` — :class:`Composite`: weighted sums with band scores
  (综合指标值).
* :mod:`gridgov.metrics.presets` — :data:`DIGITAL_CITY` (数字城管), :data:`HOTLINE_12345`
  (三率) and their composites, with their sources.
* :mod:`gridgov.metrics.rollup` — :func:`tally` (mergeable counts per unit, period and
  category, rolled up the chain; :func:`tally_cases` straight from cases), :func:`evaluate` and the :class:`Table` of values.
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

from gridgov.metrics.composite import Band, Composite, Weighted, indicators_of
from gridgov.metrics.facts import CaseFacts, case_facts, facts_of
from gridgov.metrics.hotspots import Hotspot, HotspotKind, Hotspots, hotspots
from gridgov.metrics.indicators import (
    MAX_TERMS,
    VOCABULARY,
    Count,
    CountsIn,
    Indicator,
    Predicate,
    Term,
)
from gridgov.metrics.opinions import OpinionCell, OpinionLibrary, OpinionReport, opinion_library
from gridgov.metrics.periods import MAX_PERIODS, Grain, Period, Periods, period_of, periods_between
from gridgov.metrics.presets import (
    ACCEPTED_COUNT,
    CLOSING_RATE,
    DIGITAL_CITY,
    DIGITAL_CITY_SOURCE,
    EXAMPLE_BANDS,
    EXTENSION_RATE,
    HOTLINE_12345,
    HOTLINE_SOURCE,
    ON_TIME_CLOSING_RATE,
    RESPONSE_RATE,
    SATISFACTION_RATE,
    SOLVING_RATE,
    TIMELY_ACCEPT_RATE,
    TIMELY_DISPATCH_RATE,
    TIMELY_RESOLVE_RATE,
    digital_city,
    digital_city_score,
    hotline_score,
    rework_rate,
)
from gridgov.metrics.rollup import (
    Attribution,
    IndicatorValue,
    Line,
    Table,
    Tally,
    evaluate,
    tally,
    tally_cases,
)
from gridgov.metrics.visit_rate import VisitRate, visit_rate

__all__ = [
    "ACCEPTED_COUNT",
    "CLOSING_RATE",
    "DIGITAL_CITY",
    "DIGITAL_CITY_SOURCE",
    "EXAMPLE_BANDS",
    "EXTENSION_RATE",
    "HOTLINE_12345",
    "HOTLINE_SOURCE",
    "MAX_PERIODS",
    "MAX_TERMS",
    "ON_TIME_CLOSING_RATE",
    "RESPONSE_RATE",
    "SATISFACTION_RATE",
    "SOLVING_RATE",
    "TIMELY_ACCEPT_RATE",
    "TIMELY_DISPATCH_RATE",
    "TIMELY_RESOLVE_RATE",
    "VOCABULARY",
    "Attribution",
    "Band",
    "CaseFacts",
    "Composite",
    "Count",
    "CountsIn",
    "Grain",
    "Hotspot",
    "HotspotKind",
    "Hotspots",
    "Indicator",
    "IndicatorValue",
    "Line",
    "OpinionCell",
    "OpinionLibrary",
    "OpinionReport",
    "Period",
    "Periods",
    "Predicate",
    "Table",
    "Tally",
    "Term",
    "VisitRate",
    "Weighted",
    "case_facts",
    "digital_city",
    "digital_city_score",
    "evaluate",
    "facts_of",
    "hotline_score",
    "hotspots",
    "indicators_of",
    "opinion_library",
    "period_of",
    "periods_between",
    "rework_rate",
    "tally",
    "tally_cases",
    "visit_rate",
]
