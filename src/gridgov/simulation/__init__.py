"""An offline, seeded simulator of policies: what happens to escalations, backlogs, visits
and staff if a time limit, a rule or a team changes — before the policy is adopted.

A :class:`Setup` bundles a :class:`~gridgov.routing.Router` (grid, rules, matrix, calendar,
catalogue), an :class:`~gridgov.escalation.EscalationPolicy`, a visit policy and residents,
a :class:`Staffing` model (who works, capacity per day, handling times by category as
distributions) and a :class:`LoadModel` (issues per household per day by category and
severity, weekday and holiday factors).  :func:`simulate` runs it day by day through the
library's own road — ``Router.route`` → ``open_case`` → the case's events → the
``due_escalations`` sweep → ``escalate``, ``due_visits`` and the visit log, ``tally_cases``
and ``evaluate`` — with a seeded ``random.Random``; :func:`compare` runs two setups on the
same seeded load and lines up the differences, each with a reason in Chinese and English.

* :mod:`gridgov.simulation.models` — the distributions, staffing, load and the setup;
* :mod:`gridgov.simulation.results` — the day's figures, a run's result, a comparison;
* :mod:`gridgov.simulation.run` — :func:`simulate`, :func:`compare`, :func:`sample_setup`;
  over a private engine (``_engine``).

Example:
    >>> from datetime import date
    >>> import attrs
    >>> from gridgov import TimeLimit
    >>> from gridgov.simulation import compare, sample_setup
    >>> base = sample_setup()
    >>> slas = [attrs.evolve(s, resolve_within=TimeLimit.working_days(1)) if s.tier == "grid"
    ...         else s for s in base.escalation.slas]
    >>> tight = attrs.evolve(base, name="网格1日",
    ...                      escalation=attrs.evolve(base.escalation, slas=slas))
    >>> c = compare(base, tight, start=date(2026, 11, 2), days=30, seed=11)
    >>> c.line("escalations", "grid").change >= 0
    True
"""

from __future__ import annotations

from gridgov.simulation.models import (
    MAX_HANDLING_HOURS,
    Distribution,
    Exponential,
    Fixed,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    Staffing,
    StaffLine,
    Uniform,
)
from gridgov.simulation.results import (
    BEYOND,
    Comparison,
    ComparisonLine,
    DayFigures,
    SimulationResult,
)
from gridgov.simulation.run import compare, sample_setup, simulate

__all__ = [
    "BEYOND",
    "MAX_HANDLING_HOURS",
    "Comparison",
    "ComparisonLine",
    "DayFigures",
    "Distribution",
    "Exponential",
    "Fixed",
    "Handling",
    "LoadLine",
    "LoadModel",
    "LogNormal",
    "Setup",
    "SimulationResult",
    "StaffLine",
    "Staffing",
    "Uniform",
    "compare",
    "sample_setup",
    "simulate",
]
