"""Invariant checks for your own gridgov rules, to call inside your own (property) tests.

Each check runs gridgov on the values you give it and raises an :class:`AssertionError` that
explains the counterexample in a grid worker's terms — which issue, which units, which rule,
which line of the 权责清单 — when an invariant fails.  Call them from a hypothesis test fed by
:mod:`gridgov.testing.strategies`, or from a plain test over your own examples: this module
does not import hypothesis, so it works without it installed.

Usage in a test module (not run here)::

    from hypothesis import given, strategies as st
    from gridgov.testing.checks import check_routing
    from gridgov.testing.strategies import issues

    @given(issues(MY_GRID))
    def test_my_rules_route_soundly(issue):
        check_routing(MY_RULES, MY_GRID, issue, matrix=MY_MATRIX, calendar=MY_CALENDAR)

Example:
    >>> import gridgov.testing.checks
    >>> gridgov.testing.checks.__all__
    ['check_escalation', 'check_routing', 'check_visit_policy']
"""

from __future__ import annotations

# Each check lives in a private module of its own (_routing, _escalation, _visits), over the
# helpers they share (_report): how a unit is named and how a counterexample is reported.
from gridgov.testing.checks._escalation import check_escalation
from gridgov.testing.checks._routing import check_routing
from gridgov.testing.checks._visits import check_visit_policy

__all__ = ["check_escalation", "check_routing", "check_visit_policy"]
