"""Regression test for a bug found while checking the street-office scenario's property "no
case is escalated as incapable where the matrix allows it" (issue 11, must-show 2).

:meth:`Router.limit <gridgov.Router.limit>` judges a :class:`~gridgov.GridUnit` that is not
equal to the router's grid's unit of that id "by its tier's lines" (src/gridgov/routing/
router.py, ``Router.limit``: ``self.grid.unit(uid) == unit`` else ``matrix.limit(...,
unit=None, ...)``), so the unit's own lines in the matrix are dropped as soon as the grid is
drawn again with any change to that unit — here only its display name.  The sweep asks the
router about the case's unit as it was filed, so an open case that the matrix lets its unit
handle (by the unit's own line) is escalated as incapable the first time it is swept with
the router of the new grid, and the same router answers 3 for the unit's id and 2 for the
case's unit.  Fails on the merge of "One road" (2986abc); left failing for the fix.
"""

from __future__ import annotations

import attrs

from builders import T0, make_issue
from gridgov import DEFAULT_MATRIX, DEFAULT_RULES, GridGraph, Responsibility, Router
from gridgov.demo import sample_grid
from gridgov.escalation import EscalationPolicy, ExternalBody, due_escalations
from gridgov.workflow import open_case

MATRIX = DEFAULT_MATRIX.with_entries(
    [Responsibility(unit="mg31", category="dispute", max_severity=3)], name="mg31 mediates"
)
POLICY = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"))


def test_a_unit_renamed_in_a_new_drawing_of_the_grid_keeps_its_own_matrix_lines() -> None:
    grid = sample_grid()
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=MATRIX)
    issue = make_issue(category="dispute", severity=3)  # at h-1001, in mg31
    case = open_case(issue, router.route(issue), router=router, actor="m-li")
    assert case.owner == "mg31"  # mg31 may handle an urgent dispute, by its own line
    renamed = GridGraph(
        version="2026-12",
        scheme=grid.scheme,
        units=[attrs.evolve(u, name="美好人家1号院") if u.id == "mg31" else u for u in grid.units],
        places=grid.places,
        members=grid.members,
        partners=grid.partners,
    )
    later = Router(grid=renamed, rules=DEFAULT_RULES, matrix=MATRIX)
    assert later.limit(case.chain[0], "dispute") == later.limit("mg31", "dispute") == 3
    assert list(due_escalations([case], POLICY, at=T0, router=later)) == []
