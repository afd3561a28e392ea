"""Builders shared by the tests of gridgov.testing.checks (not a test module): the sample grid
and residents' files, a routine issue, :func:`check` with the sample's defaults, and the
patches that plant bugs in :meth:`Router.route`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import attrs
import pytest

from gridgov import (
    CST,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Assignment,
    Channel,
    Deadline,
    Issue,
    Reporter,
    Routed,
    Router,
    Severity,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.testing.checks import check_routing

GRID = sample_grid()
FILES = sample_residents()
THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
FRIDAY_EVENING = datetime(2026, 11, 27, 17, 0, tzinfo=CST)


def issue(**changes: Any) -> Issue:
    """A routine facility repair in 美好人家1号楼 (mg31, grid 3), reported on a Thursday."""
    fields: dict[str, Any] = {
        "id": "i-1",
        "category": "facility_repair",
        "severity": Severity.ROUTINE,
        "channel": Channel.GROUP_CHAT,
        "place": "h-1001",
        "reporter": Reporter.resident("r-9"),
        "reported_at": THURSDAY,
    }
    fields.update(changes)
    return Issue(**fields)


def check(found: Issue, **options: Any) -> Assignment | None:
    options.setdefault("matrix", DEFAULT_MATRIX)
    options.setdefault("residents", FILES)
    return check_routing(options.pop("rules", DEFAULT_RULES), options.pop("grid", GRID), found,
                         **options)


ORIGINAL_ROUTE = Router.route
ORIGINAL_ROUTE_MANY = Router.route_many


def patch_route(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Issue, Assignment], Assignment]
) -> None:
    """Make Router.route return ``change(issue, the correct assignment)``."""

    def route(self: Router, found: Issue, **options: Any) -> Assignment:
        return change(found, ORIGINAL_ROUTE(self, found, **options))

    monkeypatch.setattr(Router, "route", route)


def patch_route_many_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make route_many agree with the (patched) route, to isolate the planted bug."""

    def route_many(self: Router, found: Any, **options: Any) -> Iterator[Routed]:
        for i in found:
            a = self.route(i, **options)
            yield Routed(a.issue, a.unit, a.rule, a.moved_by_matrix)

    monkeypatch.setattr(Router, "route_many", route_many)


def owner(a: Assignment, unit_id: str, *, start: int | None = None) -> Assignment:
    """*a* with *unit_id* as the responsible unit: moved along its chain if the unit is on
    it, else on the chain of *unit_id* itself (an owner read off the wrong chain)."""
    ids = [u.id for u in a.chain]
    if unit_id in ids:
        chain, position = a.chain, ids.index(unit_id)
    else:
        chain, position = GRID.chain(unit_id), 0
    first = min(a.start if start is None else start, position)
    leader = GRID.leader(unit_id)
    return attrs.evolve(
        a,
        chain=chain,
        position=position,
        start=first,
        leader=None if leader is None else leader.id,
        leader_name=None if leader is None else leader.name,
    )


def deadline(due: datetime, *, start: datetime | None = None, **fields: Any) -> Deadline:
    return Deadline(start=due if start is None else start, due=due, **fields)
