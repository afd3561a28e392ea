"""Property tests for routing over generated grids, matrices, rule sets, residents and issues.

The values come from :mod:`gridgov.testing.strategies` and the invariants from
:func:`gridgov.testing.checks.check_routing`, the same tools users get (one source of truth).
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from gridgov import GridGraph, Issue, Resident, Router
from gridgov.testing.checks import check_routing
from gridgov.testing.strategies import (
    calendars,
    grids,
    issues,
    residents,
    responsibility_matrices,
    rule_sets,
)


def _issue_id(issue: Issue) -> str:
    return issue.id


def _resident_id(resident: Resident) -> str:
    return resident.id


@st.composite
def routed_worlds(draw: st.DrawFn, n: int = 1) -> tuple[Router, list[Issue]]:
    """A router (grid, rules, matrix, calendar, personal files) and *n* issues located in it."""
    grid: GridGraph = draw(grids(min_units=1, max_units=15))
    files: list[Resident] = []
    if grid.places:
        files = draw(st.lists(residents(grid=grid), max_size=4, unique_by=_resident_id))
    router = Router(
        grid=grid,
        rules=draw(rule_sets(scheme=grid.scheme)),
        matrix=draw(responsibility_matrices(grid)),
        calendar=draw(calendars()),
        residents={r.id: r for r in files},
    )
    found = draw(
        st.lists(issues(grid, residents=files), min_size=n, max_size=n, unique_by=_issue_id)
    )
    return router, found


@given(routed_worlds(n=5))
def test_routing_invariants_hold(world: tuple[Router, list[Issue]]) -> None:
    """Every located issue gets exactly one owner, on the chain above it and never below the
    rule's start; the matrix is respected and no unit between the start and the owner could
    have handled it; the first matching rule fires (conditions included); deadlines are the
    rule's limits, never before the report, in working time when asked; ``route_many`` agrees.
    """
    router, found = world
    for issue in found:
        a = check_routing(
            router.rules,
            router.grid,
            issue,
            matrix=router.matrix,
            calendar=router.calendar,
            residents=router.residents,
        )
        assert a is not None


@given(routed_worlds(n=6), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_issues(
    world: tuple[Router, list[Issue]], rnd: random.Random
) -> None:
    router, found = world
    shuffled = list(found)
    rnd.shuffle(shuffled)
    forward = {r.issue: r for r in router.route_many(found)}
    backward = {r.issue: r for r in router.route_many(shuffled)}
    assert forward == backward
    full = {i.id: router.route(i) for i in shuffled}
    assert {k: (v.unit, v.rule, v.moved_by_matrix) for k, v in full.items()} == {
        k: (v.unit, v.rule, v.moved_by_matrix) for k, v in forward.items()
    }
