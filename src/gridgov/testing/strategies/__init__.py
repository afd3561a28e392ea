"""Hypothesis strategies for gridgov values, for testing code built on gridgov.

Every value is built through gridgov's public constructors, so it is valid by construction:
a test that draws a grid never has to filter out broken ones.  The strategies follow
hypothesis' own API style: plural names, keyword-only arguments, customisation points that
take strategies, and :class:`hypothesis.errors.InvalidArgument` raised as soon as a strategy
is defined with arguments it cannot satisfy.

Usage in a test module (not run here)::

    from hypothesis import given
    from gridgov.testing.strategies import grids

    @given(grids(max_units=10))
    def test_every_chain_ends_at_a_root(grid):
        for unit in grid:
            assert grid.chain(unit.id)[-1].parent is None

Routing worlds are drawn step by step, each value for the ones drawn before it — over a
category catalogue drawn two levels deep, or your own — and checked with
:func:`gridgov.testing.checks.check_routing`::

    from hypothesis import given, strategies as st
    from gridgov.testing.checks import check_routing
    from gridgov.testing.strategies import (
        catalogues, categories, grids, issues, resident_files, responsibility_matrices,
        rule_sets)

    @given(catalogues(), st.data())
    def test_generated_rules_route_soundly(catalogue, data):
        grid = data.draw(grids(min_units=1, categories=categories(catalogue=catalogue)))
        rules = data.draw(rule_sets(scheme=grid.scheme, catalogue=catalogue))
        matrix = data.draw(responsibility_matrices(grid, catalogue=catalogue))
        files = data.draw(resident_files(grid=grid)) if grid.places else None
        issue = data.draw(issues(grid, catalogue=catalogue, residents=files))
        check_routing(rules, grid, issue, matrix=matrix, catalogue=catalogue, residents=files)

Example:
    >>> from hypothesis.strategies import SearchStrategy
    >>> from gridgov.testing.strategies import grids, tier_schemes
    >>> isinstance(grids(max_units=5), SearchStrategy)
    True
    >>> tier_schemes(min_depth=0)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: min_depth=0 must be at least 1.
"""

from __future__ import annotations

# The strategies live in private modules, one per part of gridgov they draw values of, over a
# module of shared argument checks and drawing helpers (_common):
#   _grid     tiers, tier schemes, grids, places, members, partners
#   _people   conditions, residents, resident files, criteria
#   _time     moments, calendars, time limits
#   _issues   category catalogues, categories, issues
#   _routing  responsibility matrices, routing rules, rule sets
#   _cases    escalation policies, opened cases, event attempts and sequences
#   _visits   frequencies, visit rules, visit policies, visit records
#   _community  talent libraries, needs, match policies, wishes, decision rules,
#             deliberations, contributions, match rules, activities, participations
# A new strategy goes in the module of the part it draws values of, is imported here and is
# listed in __all__.  Names the private modules share among themselves are public inside
# them (no module reads another's _private name) but are not part of this package's API.
from gridgov.testing.strategies._cases import (
    Attempt,
    escalation_policies,
    event_attempts,
    event_sequences,
    opened_cases,
)
from gridgov.testing.strategies._community import (
    activities,
    contributions,
    decision_rules,
    deliberations,
    match_policies,
    match_rules,
    needs,
    participations,
    talent_libraries,
    wishes,
)
from gridgov.testing.strategies._grid import grids, members, partners, places, tier_schemes, tiers
from gridgov.testing.strategies._issues import catalogues, categories, issues
from gridgov.testing.strategies._people import conditions, criteria, resident_files, residents
from gridgov.testing.strategies._routing import responsibility_matrices, routing_rules, rule_sets
from gridgov.testing.strategies._time import calendars, moments, time_limits
from gridgov.testing.strategies._visits import (
    frequencies,
    visit_policies,
    visit_records,
    visit_rules,
)

__all__ = [
    "Attempt",
    "activities",
    "calendars",
    "catalogues",
    "categories",
    "conditions",
    "contributions",
    "criteria",
    "decision_rules",
    "deliberations",
    "escalation_policies",
    "event_attempts",
    "event_sequences",
    "frequencies",
    "grids",
    "issues",
    "match_policies",
    "match_rules",
    "members",
    "moments",
    "needs",
    "opened_cases",
    "participations",
    "partners",
    "places",
    "resident_files",
    "residents",
    "responsibility_matrices",
    "routing_rules",
    "rule_sets",
    "talent_libraries",
    "tier_schemes",
    "tiers",
    "time_limits",
    "visit_policies",
    "visit_records",
    "visit_rules",
    "wishes",
]
