"""gridgov.testing.strategies: arguments are honoured, impossible ones refused, examples shrink."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gridgov import FOUR_TIER, THREE_TIER, GridGraph, GridUnit, Resident, TierScheme
from gridgov.demo import sample_grid
from gridgov.testing import strategies
from gridgov.testing.strategies import (
    conditions,
    grids,
    members,
    partners,
    places,
    residents,
    tier_schemes,
    tiers,
)

ROOT_ONLY = GridGraph(version="v", units=[GridUnit(id="c", name="C", tier="community")])

INVALID: dict[str, Callable[[], object]] = {
    "tiers names not a strategy": lambda: tiers(names="grid"),  # type: ignore[arg-type]
    "tier_schemes min_depth 0": lambda: tier_schemes(min_depth=0),
    "tier_schemes max < min": lambda: tier_schemes(min_depth=3, max_depth=2),
    "tier_schemes depth float": lambda: tier_schemes(max_depth=2.5),  # type: ignore[arg-type]
    "tier_schemes depth bool": lambda: tier_schemes(min_depth=True),
    "tier_schemes defaults not bool": lambda: tier_schemes(defaults=1),  # type: ignore[arg-type]
    "grids max < min": lambda: grids(min_units=5, max_units=4),
    "grids negative min": lambda: grids(min_units=-1),
    "grids negative depth": lambda: grids(max_depth=-1),
    "grids negative places": lambda: grids(max_places=-1),
    "grids negative members": lambda: grids(max_members=-2),
    "grids negative partners": lambda: grids(max_partners=-3),
    "grids places not bool": lambda: grids(places=5),  # type: ignore[arg-type]
    "grids scheme name": lambda: grids(scheme="three_tier"),  # type: ignore[arg-type]
    "grids ids not a strategy": lambda: grids(ids=["a", "b"]),  # type: ignore[arg-type]
    "grids blank version": lambda: grids(version=" "),
    "places of a non-grid": lambda: places("grid"),  # type: ignore[arg-type]
    "places without bottom units": lambda: places(ROOT_ONLY),
    "members of a non-grid": lambda: members(None),  # type: ignore[arg-type]
    "members negative posts": lambda: members(ROOT_ONLY, max_posts=-1),
    "partners negative units": lambda: partners(ROOT_ONLY, max_units=-1),
    "partners categories not a strategy": lambda: partners(ROOT_ONLY, categories={"x"}),  # type: ignore[arg-type]
    "conditions empty window": lambda: conditions(
        min_date=date(2026, 1, 2), max_date=date(2026, 1, 1)
    ),
    "conditions one-day window": lambda: conditions(
        min_date=date(2026, 1, 1), max_date=date(2026, 1, 1)
    ),
    "conditions datetime bound": lambda: conditions(min_date="2026-01-01"),  # type: ignore[arg-type]
    "residents grid without places": lambda: residents(grid=ROOT_ONLY),
    "residents negative conditions": lambda: residents(max_conditions=-1),
    "residents birth bounds": lambda: residents(
        min_birth_date=date(2000, 1, 1), max_birth_date=date(1999, 12, 31)
    ),
    "residents conditions not a strategy": lambda: residents(conditions=[]),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("define", INVALID.values(), ids=INVALID.keys())
def test_impossible_arguments_are_refused_when_defined(define: Callable[[], object]) -> None:
    with pytest.raises(InvalidArgument):
        define()  # no example is drawn: the definition itself raises


def test_public_names() -> None:
    assert strategies.__all__ == sorted(strategies.__all__)
    for name in strategies.__all__:
        assert getattr(strategies, name).__doc__


def test_definitions_are_strategies() -> None:
    grid = sample_grid()
    for strategy in (
        tiers(),
        tier_schemes(),
        grids(),
        places(grid),
        members(grid),
        partners(grid),
        conditions(),
        residents(),
        residents(grid=grid),
    ):
        assert isinstance(strategy, st.SearchStrategy)


# --------------------------------------------------------------------------- arguments honoured


@given(tier_schemes(min_depth=2, max_depth=3, defaults=False))
def test_tier_schemes_depth_bounds(scheme: TierScheme) -> None:
    assert 2 <= len(scheme) <= 3
    assert scheme is not THREE_TIER


@given(tier_schemes(min_depth=4, max_depth=4))
def test_tier_schemes_only_offers_defaults_that_fit(scheme: TierScheme) -> None:
    assert len(scheme) == 4
    assert scheme is not THREE_TIER


@given(grids(min_units=3, max_units=7, max_depth=1))
def test_grids_size_and_depth_bounds(grid: GridGraph) -> None:
    assert 3 <= len(grid) <= 7
    assert all(grid.depth(u.id) <= 1 for u in grid)
    if len(grid.scheme) > 2:
        assert not grid.places  # no unit reaches the bottom tier


@given(grids(scheme=THREE_TIER, places=False, members=False, partners=False))
def test_grids_switches(grid: GridGraph) -> None:
    assert grid.scheme == THREE_TIER
    assert not grid.places
    assert grid.members == ()
    assert grid.partners == ()


@given(grids(scheme=st.sampled_from([FOUR_TIER]), max_units=10, max_places=2, max_members=1))
def test_grids_scheme_strategy_and_maxima(grid: GridGraph) -> None:
    assert grid.scheme == FOUR_TIER
    assert len(grid.places) <= 2
    assert len(grid.members) <= 1
    assert len(grid.partners) <= 3


@given(grids(ids=st.text("xyz", min_size=3, max_size=3), names=st.just("名"), version="2026-11"))
def test_grids_ids_names_and_version(grid: GridGraph) -> None:
    assert grid.version == "2026-11"
    drawn = [u.id for u in grid] + list(grid.places) + [m.id for m in grid.members]
    assert all(len(i) == 3 and set(i) <= set("xyz") for i in drawn)
    assert all(u.name == "名" for u in grid)


@given(grids(max_units=8), st.data())
def test_members_can_join_the_team(grid: GridGraph, data: st.DataObject) -> None:
    member = data.draw(members(grid, max_posts=4))
    assert member.id not in {m.id for m in grid.members}
    assert len(member.posts) <= 4
    for post in member.posts:
        assert post.unit in grid
        if post.role.leads:
            assert grid.leader(post.unit) is None


@given(grids(max_units=8), st.data())
def test_partners_cover_units_of_the_grid(grid: GridGraph, data: st.DataObject) -> None:
    partner = data.draw(partners(grid, max_units=2, categories=st.just("dispute")))
    assert partner.id not in {p.id for p in grid.partners}
    assert partner.units <= {u.id for u in grid}
    assert len(partner.units) <= 2
    assert partner.categories <= {"dispute"}


@given(grids(scheme=THREE_TIER), st.data())
def test_places_go_to_bottom_units(grid: GridGraph, data: st.DataObject) -> None:
    if not grid.units_of("micro_grid"):
        with pytest.raises(InvalidArgument):
            places(grid)
        return
    place = data.draw(places(grid, ids=st.just("fresh")))
    assert grid.unit(place.unit).tier == "micro_grid"
    assert place.id == "fresh" or place.id in grid.places


@given(conditions(kinds=st.just("injured"), min_date=date(2026, 1, 1), max_date=date(2026, 1, 3)))
def test_conditions_stay_in_their_window(condition: object) -> None:
    from gridgov import Condition

    assert isinstance(condition, Condition)
    assert condition.kind == "injured"
    for day in (condition.start, condition.end):
        assert day is None or date(2026, 1, 1) <= day <= date(2026, 1, 3)
    if condition.start is not None and condition.end is not None:
        assert condition.start < condition.end


@given(
    residents(grid=sample_grid(), min_birth_date=date(1940, 2, 29), max_birth_date=date(1960, 1, 1))
)
def test_residents_live_in_the_grid(resident: Resident) -> None:
    assert sample_grid().has_place(resident.household)
    assert date(1940, 2, 29) <= resident.birth_date <= date(1960, 1, 1)
    assert resident.file_opened is None or resident.file_opened >= resident.birth_date
    assert len(resident.conditions) <= 3


@given(residents(ids=st.just("r-1"), max_conditions=0))
def test_residents_customisation(resident: Resident) -> None:
    assert resident.id == "r-1"
    assert resident.conditions == ()
    assert resident.household.startswith("h-")


# --------------------------------------------------------------------------- reach and shrinking

SHRINK = settings(database=None, derandomize=True)
REACH = settings(database=None, max_examples=1000, phases=[Phase.generate])


def test_deep_grids_shrink_from_the_bottom_up_to_a_bare_chain() -> None:
    grid = find(
        grids(scheme=THREE_TIER, places=False, members=False, partners=False),
        lambda g: any(g.depth(u.id) == 2 for u in g),
        settings=SHRINK,
    )
    assert [(u.id, u.tier, u.parent) for u in grid] == [
        ("u0", "community", None),
        ("u1", "grid", "u0"),
        ("u2", "micro_grid", "u1"),
    ]


def test_places_shrink_to_one_place_in_a_bare_chain() -> None:
    grid = find(
        grids(scheme=THREE_TIER, members=False, partners=False),
        lambda g: bool(g.places),
        settings=SHRINK,
    )
    assert [(u.id, u.parent) for u in grid] == [("u0", None), ("u1", "u0"), ("u2", "u1")]
    assert dict(grid.places) == {"p0": "u2"}


def test_wide_grids_shrink_to_a_few_units() -> None:
    grid = find(
        grids(scheme=THREE_TIER, places=False, members=False, partners=False),
        lambda g: any(len(g.children(u.id)) >= 2 for u in g),
        settings=SHRINK,
    )
    # Three units are enough (a root with two grids).  The shrinker may stop at four (a chain
    # with a second micro-grid, or a spare root it cannot delete without moving a parent),
    # but nothing beyond what the condition needs is left.
    assert len(grid) <= 4
    assert max(len(grid.children(u.id)) for u in grid) == 2


@pytest.mark.parametrize(
    ("strategy", "condition"),
    [
        (grids(), lambda g: len(g.roots) >= 2),
        (grids(), lambda g: len(g.scheme) == 5 and any(g.depth(u.id) == 4 for u in g)),
        (grids(), lambda g: len(g) >= 20),
        (grids(), lambda g: any(len(g.children(u.id)) >= 5 for u in g)),
        (grids(), lambda g: any(g.leader(u.id) for u in g)),
        (grids(), lambda g: any(m.posts for m in g.members) and any(p.units for p in g.partners)),
        (grids(scheme=THREE_TIER), lambda g: len(g.places) >= 10),
        (tier_schemes(), lambda s: s == THREE_TIER),
        (tier_schemes(), lambda s: s == FOUR_TIER),
        (tier_schemes(), lambda s: len(s) == 1),
        (
            residents(min_birth_date=date(1960, 2, 1), max_birth_date=date(1960, 3, 31)),
            lambda r: r.birth_date == date(1960, 2, 29),
        ),
        (residents(), lambda r: any(c.start and c.end for c in r.conditions)),
    ],
)
def test_strategies_reach(
    strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]
) -> None:
    find(strategy, condition, settings=REACH)
