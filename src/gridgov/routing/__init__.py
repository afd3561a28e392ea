"""Routing: getting each issue to the unit responsible for it.

* :mod:`gridgov.routing.matrix` — the responsibility matrix (权责清单): which tiers and units
  may handle which categories, up to which severity.
* :mod:`gridgov.routing.rules` — ordered, declarative routing rules: where an issue starts,
  which partners are linked (联动), which time limits are set.
* :mod:`gridgov.routing.router` — the :class:`Router` that compiles both against a grid and a
  catalogue, its explained :class:`Assignment` and compact results (named by :class:`Routed`).

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.demo import sample_grid
    >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    >>> a = router.route(Issue(id="i-1", category="facility_repair", severity=1,
    ...                        channel=Channel.GROUP_CHAT, place="h-1001",
    ...                        reporter=Reporter.resident("r-9"),
    ...                        reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST)))
    >>> a.unit, a.rule, a.partners
    ('mg31', 'facility', ('p-wuye',))
"""

from __future__ import annotations

from gridgov.routing.matrix import (
    DEFAULT_MATRIX,
    MAX_MATRIX_LINES,
    Responsibility,
    ResponsibilityMatrix,
)
from gridgov.routing.results import Assignment, Routed
from gridgov.routing.router import Router
from gridgov.routing.rules import DEFAULT_RULES, MAX_RULES, Match, RoutingRule, RuleSet

__all__ = [
    "DEFAULT_MATRIX",
    "DEFAULT_RULES",
    "MAX_MATRIX_LINES",
    "MAX_RULES",
    "Assignment",
    "Match",
    "Responsibility",
    "ResponsibilityMatrix",
    "Routed",
    "Router",
    "RoutingRule",
    "RuleSet",
]
