"""Property tests for routing over generated catalogues, grids, matrices, rule sets, residents
and issues.

The values come from :mod:`gridgov.testing.strategies` and the invariants from
:func:`gridgov.testing.checks.check_routing`, the same tools users get (one source of truth).
Catalogues are drawn two levels deep, on their own or added to the default catalogue, so
that rules, matrix lines and partners name broad categories and issues arrive in their
refinements.
"""

from __future__ import annotations

import json
import pickle
import random

import attrs
from hypothesis import given
from hypothesis import strategies as st

from gridgov import (
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    FOUR_TIER,
    THREE_TIER,
    Assignment,
    CategoryCatalogue,
    DeadlinePlanner,
    GridGraph,
    Issue,
    Partner,
    ResidentFiles,
    Router,
    from_dict,
    to_dict,
)
from gridgov.testing.checks import check_routing
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    categories,
    conditions,
    grids,
    issues,
    resident_files,
    residents,
    responsibility_matrices,
    rule_sets,
)

# A few condition kinds, shared by the rules' criteria and the residents' files, so that
# rules reading the files fire often.
KINDS = st.sampled_from(["living_alone", "injured", "disabled"])


def _issue_id(issue: Issue) -> str:
    return issue.id


@attrs.frozen
class World:
    router: Router
    files: ResidentFiles
    issues: list[Issue]


@st.composite
def worlds(draw: st.DrawFn, n: int = 1, *, defaults: bool = False) -> World:
    """A router over a drawn catalogue (grid, rules, matrix, calendar), personal files and *n*
    issues for it.  With *defaults*, the shipped rules and matrix over the default catalogue
    with drawn refinements."""
    if defaults:
        catalogue: CategoryCatalogue = draw(catalogues(base=DEFAULT_CATALOGUE, min_size=0))
    else:
        catalogue = draw(
            st.one_of(catalogues(), catalogues(base=DEFAULT_CATALOGUE, min_size=0, max_size=6))
        )
    grid: GridGraph = draw(
        grids(
            scheme=st.sampled_from([THREE_TIER, FOUR_TIER]) if defaults else None,
            min_units=1,
            max_units=15,
            categories=categories(catalogue=catalogue),
        )
    )
    files = ResidentFiles()
    if grid.places:
        files = draw(
            resident_files(
                residents=residents(grid=grid, conditions=conditions(kinds=KINDS)), max_size=4
            )
        )
    if defaults:
        rules, matrix = DEFAULT_RULES, DEFAULT_MATRIX
    else:
        rules = draw(rule_sets(scheme=grid.scheme, catalogue=catalogue, condition_kinds=KINDS))
        matrix = draw(responsibility_matrices(grid, catalogue=catalogue))
    # Partners of kinds the rules link, covering a top unit and serving a broad category
    # (or none: then any), so that links through the hierarchy are common.
    linked = sorted({k for r in rules.rules for k in r.link}, key=str)
    if linked and grid.roots:
        broad = [c.code for c in catalogue if c.parent is None]
        extra = draw(
            st.lists(
                st.builds(
                    Partner,
                    id=st.just("x"),
                    name=st.just("联动单位"),
                    kind=st.sampled_from(linked),
                    categories=st.frozensets(st.sampled_from(broad), max_size=1),
                    units=st.sets(st.sampled_from([u.id for u in grid.roots]), min_size=1),
                ),
                max_size=2,
            )
        )
        extra = [attrs.evolve(p, id=f"x{n}") for n, p in enumerate(extra)]
        grid = grid.with_team(version=grid.version, partners=[*grid.partners, *extra])
    router = Router(
        grid=grid,
        rules=rules,
        matrix=matrix,
        calendar=draw(calendars()),
        catalogue=catalogue,
    )
    found = draw(
        st.lists(
            issues(grid, catalogue=catalogue, residents=files),
            min_size=n,
            max_size=n,
            unique_by=_issue_id,
        )
    )
    return World(router, files, found)


def _check(world: World, issue: Issue) -> None:
    router = world.router
    a = check_routing(
        router.rules,
        router.grid,
        issue,
        matrix=router.matrix,
        calendar=router.calendar,
        catalogue=router.catalogue,
        residents=world.files,
    )
    assert a is not None


@given(worlds(n=5))
def test_routing_invariants_hold_over_drawn_catalogues(world: World) -> None:
    """Every issue gets exactly one owner, on the chain above it (or above the top unit when
    unlocated) and never below the rule's start; the matrix is respected through the
    catalogue's hierarchy and no unit between the start and the owner could have handled it;
    the first matching rule fires (criteria on the file included); deadlines are the rule's
    limits from the report, with their basis and source; partners serving a broad category
    are linked for its refinements; ``route_many`` agrees."""
    for issue in world.issues:
        _check(world, issue)


@given(worlds(n=3, defaults=True))
def test_the_shipped_rules_and_matrix_hold_over_a_users_refinements(world: World) -> None:
    for issue in world.issues:
        _check(world, issue)


@given(worlds(n=6), st.randoms(use_true_random=False))
def test_route_many_agrees_with_route_whatever_the_order(world: World, rnd: random.Random) -> None:
    router, files = world.router, world.files
    shuffled = list(world.issues)
    rnd.shuffle(shuffled)
    forward = {r[0]: r for r in router.route_many(world.issues, residents=files)}
    backward = {r[0]: r for r in router.route_many(shuffled, residents=files)}
    assert forward == backward
    full = {i.id: router.route(i, residents=files) for i in shuffled}
    assert {k: (v.issue, v.unit, v.rule, v.moved_by_matrix) for k, v in full.items()} == {
        k: tuple(v) for k, v in forward.items()
    }
    # A plain mapping of the same files routes the same way.
    as_dict = {r.id: r for r in files.values()}
    assert list(router.route_many(world.issues, residents=as_dict)) == list(
        router.route_many(world.issues, residents=files)
    )


@given(worlds(n=5))
def test_the_owner_is_what_router_limit_allows(world: World) -> None:
    """The one answer to "may this unit handle this?": the owner may, every unit from the
    rule's start below it may not, and the router's compiled limits are the matrix's."""
    router = world.router
    grid, catalogue, matrix = router.grid, router.catalogue, router.matrix
    for issue in world.issues:
        a = router.route(issue, residents=world.files)
        severity = issue.severity
        assert router.limit(a.unit, issue.category) >= severity
        assert router.limit(a.chain[a.position], issue.category) >= severity
        for below in a.chain[a.start : a.position]:
            assert router.limit(below.id, issue.category) < severity
        for unit in a.chain:
            expected = matrix.limit(
                tier=unit.tier,
                unit=unit.id,
                category=issue.category,
                catalogue=catalogue,
                scheme=grid.scheme,
            )
            assert router.limit(unit.id, issue.category) == expected
        if a.position == len(a.chain) - 1 and a.chain[-1].parent is None:
            assert router.limit(a.chain[-1], issue.category) >= severity  # the catch-all


@given(worlds(n=4))
def test_deadlines_carry_the_rules_limit_basis_and_source(world: World) -> None:
    router = world.router
    rules = {r.id: r for r in router.rules.rules}
    for issue in world.issues:
        a = router.route(issue, residents=world.files)
        rule = rules[a.rule]
        for limit, deadline in (
            (rule.accept_within, a.accept_by),
            (rule.resolve_within, a.resolve_by),
        ):
            if limit is None:
                assert deadline is None
                continue
            assert deadline is not None
            assert deadline.limit == limit
            assert deadline.basis == limit.basis
            assert deadline.source == f"rule:{rule.id}"
            assert deadline.start == issue.reported_at
            assert deadline.due == limit.deadline(issue.reported_at, router.calendar)
            assert deadline.effective(router.calendar) == deadline.due  # no pauses yet


@given(worlds(n=8))
def test_a_planner_shared_by_a_batch_changes_no_assignment(world: World) -> None:
    router = world.router
    planner = DeadlinePlanner(router.calendar, size=4)  # small: it forgets as it goes
    planned = [router.route(i, residents=world.files, planner=planner) for i in world.issues]
    plain = [router.route(i, residents=world.files) for i in world.issues]
    assert planned == plain
    assert len(planner) <= 3 * 4


@given(worlds(n=4))
def test_unlocated_issues_are_marked_and_start_at_the_top_unit(world: World) -> None:
    router = world.router
    for issue in world.issues:
        a = router.route(issue, residents=world.files)
        assert a.located == issue.located
        if issue.located:
            continue
        (top,) = router.grid.roots
        assert a.chain == (top,)
        assert (a.start, a.position, a.unit) == (0, 0, top.id)
        assert "待定位" in a.reason.zh
        assert "unlocated" in a.reason.en


@given(worlds(n=6))
def test_a_routed_assignment_is_the_assignment_with_every_field_given(world: World) -> None:
    """route() stores the decision and derives the rest when read: it equals, hashes, prints,
    serialises and pickles as the assignment built with every field, and reading a field
    twice gives equal values (nothing derived differently the second time)."""
    router = world.router
    names = [a.name for a in attrs.fields(Assignment) if a.init]
    for issue in world.issues:
        routed = router.route(issue, residents=world.files)
        given_all = Assignment(**{name: getattr(routed, name) for name in names})
        assert routed == given_all
        assert hash(routed) == hash(given_all)
        assert repr(routed) == repr(given_all)
        assert to_dict(routed) == to_dict(given_all)
        assert from_dict(json.loads(json.dumps(to_dict(routed)))) == routed
        assert pickle.loads(pickle.dumps(routed)) == routed
        assert attrs.evolve(routed, leader=None, leader_name=None).reason == routed.reason
        for name in names:
            assert getattr(routed, name) == getattr(routed, name)
        full = routed.in_full()
        assert full == routed and full._router is None and full.in_full() is full
        planned = router.route(
            issue, residents=world.files, planner=DeadlinePlanner(router.calendar)
        )
        assert planned.in_full() == routed
