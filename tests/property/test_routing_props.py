"""Property tests for routing over generated grids, matrices, rule sets and issues."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    Channel,
    GridGraph,
    Issue,
    PartnerKind,
    Reporter,
    Severity,
    TimeLimit,
    WorkCalendar,
)
from gridgov.routing import Match, Responsibility, ResponsibilityMatrix, Router, RoutingRule, RuleSet
from gridgov.testing.strategies import grids

CODES = sorted(DEFAULT_CATALOGUE.codes)
TOP_CODES = sorted(c.code for c in DEFAULT_CATALOGUE if c.parent is None)


@st.composite
def matrices(draw: st.DrawFn, grid: GridGraph) -> ResponsibilityMatrix:
    """Random tier lines (the top tier a catch-all) and a few unit overrides below the top."""
    lines: list[Responsibility] = []
    for tier in grid.scheme.names[1:]:
        for code in draw(st.lists(st.sampled_from(CODES), unique=True, max_size=len(CODES))):
            lines.append(Responsibility(tier=tier, category=code,
                                        max_severity=draw(st.integers(0, 4))))
    lines += [Responsibility(tier=grid.scheme.top.name, category=c) for c in TOP_CODES]
    below_top = [u.id for u in grid.units if u.parent is not None]
    if below_top:
        for uid in draw(st.lists(st.sampled_from(below_top), unique=True, max_size=3)):
            lines.append(Responsibility(unit=uid, category=draw(st.sampled_from(CODES)),
                                        max_severity=draw(st.integers(0, 4))))
    return ResponsibilityMatrix(name="generated", entries=lines)


def time_limits() -> st.SearchStrategy[TimeLimit | None]:
    return st.none() | st.builds(
        TimeLimit,
        amount=st.integers(1, 30),
        unit=st.sampled_from(["hours", "days"]),
        basis=st.sampled_from(["working", "natural"]),
    )


@st.composite
def rule_sets(draw: st.DrawFn, grid: GridGraph) -> RuleSet:
    tiers = st.none() | st.sampled_from(grid.scheme.names)
    rules: list[RoutingRule] = []
    for n in range(draw(st.integers(0, 6))):
        lo = draw(st.integers(1, 4))
        match = Match(
            categories=draw(st.frozensets(st.sampled_from(CODES), max_size=3)),
            min_severity=lo,
            max_severity=draw(st.integers(lo, 4)),
            channels=draw(st.frozensets(st.sampled_from(list(Channel)), max_size=2)),
        )
        assume(not match.is_unconditional)
        rules.append(RoutingRule(
            id=f"R{n}", name=f"rule {n}", match=match, start_tier=draw(tiers),
            link=draw(st.frozensets(st.sampled_from(list(PartnerKind)), max_size=2)),
            accept_within=draw(time_limits()), resolve_within=draw(time_limits()),
        ))
    rules.append(RoutingRule(id="default", name="default", start_tier=draw(tiers),
                             accept_within=draw(time_limits()),
                             resolve_within=draw(time_limits())))
    return RuleSet(name="generated", rules=rules)


@st.composite
def issues_for(draw: st.DrawFn, grid: GridGraph, n: int = 1) -> list[Issue]:
    places = sorted(grid.places)
    out = []
    for i in range(n):
        at = datetime(2026, 1, 1, tzinfo=CST) + timedelta(
            minutes=draw(st.integers(0, 60 * 24 * 365)))
        if places and draw(st.booleans()):
            where = {"place": draw(st.sampled_from(places))}
        else:
            where = {"unit": draw(st.sampled_from([u.id for u in grid.units]))}
        out.append(Issue(
            id=f"i{i}", category=draw(st.sampled_from(CODES)),
            severity=draw(st.sampled_from(list(Severity))),
            channel=draw(st.sampled_from(list(Channel))),
            reporter=Reporter.resident("r"), reported_at=at, **where,
        ))
    return out


@st.composite
def routed_worlds(draw: st.DrawFn, n: int = 1) -> tuple[Router, list[Issue]]:
    grid = draw(grids(min_units=1, max_units=15))
    router = Router(grid=grid, rules=draw(rule_sets(grid)), matrix=draw(matrices(grid)),
                    calendar=WorkCalendar())
    return router, draw(issues_for(grid, n))


def _chain(router: Router, issue: Issue) -> list[str]:
    g = router.grid
    units = g.place_chain(issue.place) if issue.place is not None else g.chain(issue.unit or "")
    return [u.id for u in units]


def _limit(router: Router, unit_id: str, category: str) -> int:
    unit = router.grid.unit(unit_id)
    return router.matrix.limit(tier=unit.tier, unit=unit.id, category=category)


@given(routed_worlds(n=5))
def test_every_issue_gets_one_unit_on_the_chain_that_may_handle_it(
    world: tuple[Router, list[Issue]],
) -> None:
    router, issues = world
    for issue in issues:
        a = router.route(issue)
        chain = _chain(router, issue)
        assert a.unit in chain and a.start_unit in chain
        # only upward from the start, never sideways or down
        assert chain.index(a.unit) >= chain.index(a.start_unit)
        # the matrix is respected, and no unit between the start and the owner could have
        assert _limit(router, a.unit, issue.category) >= issue.severity
        for skipped in chain[chain.index(a.start_unit):chain.index(a.unit)]:
            assert _limit(router, skipped, issue.category) < issue.severity
        assert a.moved_by_matrix == (a.unit != a.start_unit)
        assert a.grid_version == router.grid.version


@given(routed_worlds(n=6), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_issues(
    world: tuple[Router, list[Issue]], rnd: random.Random
) -> None:
    router, issues = world
    shuffled = list(issues)
    rnd.shuffle(shuffled)
    forward = {r.issue: r for r in router.route_many(issues)}
    backward = {r.issue: r for r in router.route_many(shuffled)}
    assert forward == backward
    full = {i.id: router.route(i) for i in shuffled}
    assert {k: (v.unit, v.rule, v.moved_by_matrix) for k, v in full.items()} == {
        k: (v.unit, v.rule, v.moved_by_matrix) for k, v in forward.items()
    }


@given(routed_worlds(n=4))
def test_the_first_matching_rule_fires(world: tuple[Router, list[Issue]]) -> None:
    router, issues = world
    ancestors = {c.code: {c.code} | ({c.parent} if c.parent else set()) for c in DEFAULT_CATALOGUE}
    for issue in issues:
        expected = next(
            r for r in router.rules.rules
            if (not r.match.categories or r.match.categories & ancestors[issue.category])
            and r.match.min_severity <= issue.severity <= r.match.max_severity
            and (not r.match.channels or issue.channel in r.match.channels)
        )
        assert router.route(issue).rule == expected.id


@given(routed_worlds(n=4))
def test_deadlines_never_precede_the_report_and_fall_in_working_time(
    world: tuple[Router, list[Issue]],
) -> None:
    router, issues = world
    rules = {r.id: r for r in router.rules.rules}
    for issue in issues:
        a = router.route(issue)
        rule = rules[a.rule]
        for limit, deadline in ((rule.accept_within, a.accept_by),
                                (rule.resolve_within, a.resolve_by)):
            assert (limit is None) == (deadline is None)
            if limit is None or deadline is None:
                continue
            assert deadline >= issue.reported_at
            if limit.basis == "working":
                assert router.calendar.is_working_time(deadline)
