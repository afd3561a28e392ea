"""gridgov.testing.strategies: impossible arguments are refused when defined, every definition
is a strategy, and the tier, grid, member, partner, place, condition and resident strategies
honour their arguments.

Time, issues, routing, escalation, cases and visits are in ``test_strategies_issues.py``;
reach and shrinking in ``test_strategies_shrinking.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from strategy_builders import ROOT_ONLY, TWO_ROOTS

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    FOUR_TIER,
    THREE_TIER,
    CategoryCatalogue,
    GridGraph,
    Resident,
    TierScheme,
    TimeLimit,
)
from gridgov.demo import sample_grid
from gridgov.testing import strategies
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    categories,
    conditions,
    criteria,
    grids,
    issues,
    members,
    moments,
    partners,
    places,
    resident_files,
    residents,
    responsibility_matrices,
    routing_rules,
    rule_sets,
    tier_schemes,
    tiers,
    time_limits,
)

EMPTY_GRID = GridGraph(version="v")
EMPTY_CATALOGUE = CategoryCatalogue(name="empty", categories=[])
NOON = datetime(2026, 1, 1, 12, tzinfo=CST)

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
    "grids categories not a strategy": lambda: grids(categories=["dispute"]),  # type: ignore[arg-type]
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
    "resident_files max < min": lambda: resident_files(min_size=3, max_size=2),
    "resident_files negative min": lambda: resident_files(min_size=-1),
    "resident_files residents not a strategy": lambda: resident_files(residents=[]),  # type: ignore[arg-type]
    "resident_files grid without places": lambda: resident_files(grid=ROOT_ONLY),
    "criteria negative conditions": lambda: criteria(max_conditions=-1),
    "criteria negative tags": lambda: criteria(max_tags=-2),
    "criteria ages not bool": lambda: criteria(ages=1),  # type: ignore[arg-type]
    "criteria kinds not a strategy": lambda: criteria(kinds=["injured"]),  # type: ignore[arg-type]
    "criteria tags not a strategy": lambda: criteria(tags="youth"),  # type: ignore[arg-type]
    # time
    "moments naive bound": lambda: moments(min_value=datetime(2026, 1, 1)),
    "moments bound a date": lambda: moments(max_value=date(2026, 1, 1)),  # type: ignore[arg-type]
    "moments max < min": lambda: moments(min_value=NOON, max_value=NOON - timedelta(1)),
    "moments timezones not a strategy": lambda: moments(timezones=UTC),  # type: ignore[arg-type]
    "calendars max date < min date": lambda: calendars(
        min_date=date(2026, 1, 2), max_date=date(2026, 1, 1)
    ),
    "calendars datetime bound": lambda: calendars(min_date=NOON),
    "calendars no periods": lambda: calendars(max_periods=0),
    "calendars negative holidays": lambda: calendars(max_holidays=-1),
    "calendars negative workdays": lambda: calendars(max_workdays=-1),
    "calendars offsets not a strategy": lambda: calendars(utc_offsets=480),  # type: ignore[arg-type]
    "time_limits unknown basis": lambda: time_limits(basis="calendar"),  # type: ignore[arg-type]
    "time_limits unknown unit": lambda: time_limits(unit="weeks"),  # type: ignore[arg-type]
    "time_limits max amount 0": lambda: time_limits(max_amount=0),
    "time_limits float max amount": lambda: time_limits(max_amount=2.5),  # type: ignore[arg-type]
    "time_limits fractions not bool": lambda: time_limits(fractions=None),  # type: ignore[arg-type]
    "time_limits to_end_of_day not bool": lambda: time_limits(to_end_of_day=1),  # type: ignore[arg-type]
    # issues
    "catalogues max < min": lambda: catalogues(min_size=4, max_size=3),
    "catalogues empty without a base": lambda: catalogues(min_size=0),
    "catalogues negative max": lambda: catalogues(base=DEFAULT_CATALOGUE, min_size=0, max_size=-1),
    "catalogues depth 0": lambda: catalogues(max_depth=0),
    "catalogues depth bool": lambda: catalogues(max_depth=True),
    "catalogues base not a catalogue": lambda: catalogues(base="default"),  # type: ignore[arg-type]
    "catalogues codes not a strategy": lambda: catalogues(codes="a"),  # type: ignore[arg-type]
    "catalogues blank name": lambda: catalogues(name=""),
    "catalogues too big": lambda: catalogues(max_size=10_001),
    "categories of a non-catalogue": lambda: categories(catalogue="default"),  # type: ignore[arg-type]
    "categories of an empty catalogue": lambda: categories(catalogue=EMPTY_CATALOGUE),
    "issues of a non-grid": lambda: issues("grid"),  # type: ignore[arg-type]
    "issues of an empty grid": lambda: issues(EMPTY_GRID),
    "issues nowhere": lambda: issues(ROOT_ONLY, at_places=False, at_units=False, unlocated=False),
    "issues at places of a grid without": lambda: issues(
        ROOT_ONLY, at_units=False, unlocated=False
    ),
    "issues unlocated only, two top units": lambda: issues(
        TWO_ROOTS, at_places=False, at_units=False
    ),
    "issues unlocated not bool": lambda: issues(ROOT_ONLY, unlocated=None),  # type: ignore[arg-type]
    "issues naive report": lambda: issues(ROOT_ONLY, min_reported_at=datetime(2026, 1, 1)),
    "issues reports out of order": lambda: issues(
        ROOT_ONLY, min_reported_at=NOON, max_reported_at=NOON - timedelta(hours=1)
    ),
    "issues severities not a strategy": lambda: issues(ROOT_ONLY, severities=3),  # type: ignore[arg-type]
    "issues residents not files": lambda: issues(ROOT_ONLY, residents=["r-1"]),  # type: ignore[list-item]
    "issues residents a string": lambda: issues(ROOT_ONLY, residents="r-1"),  # type: ignore[arg-type]
    "issues at_units not bool": lambda: issues(ROOT_ONLY, at_units="yes"),  # type: ignore[arg-type]
    # routing
    "matrices of a scheme name": lambda: responsibility_matrices("three_tier"),  # type: ignore[arg-type]
    "matrices negative overrides": lambda: responsibility_matrices(ROOT_ONLY, max_overrides=-1),
    "matrices blank name": lambda: responsibility_matrices(THREE_TIER, name=" "),
    "matrices catch-all not bool": lambda: responsibility_matrices(THREE_TIER, top_catch_all=1),  # type: ignore[arg-type]
    "matrices empty catalogue": lambda: responsibility_matrices(
        THREE_TIER, catalogue=EMPTY_CATALOGUE
    ),
    "routing_rules of a grid": lambda: routing_rules(scheme=ROOT_ONLY),  # type: ignore[arg-type]
    "routing_rules negative categories": lambda: routing_rules(
        scheme=THREE_TIER, max_categories=-1
    ),
    "routing_rules negative conditions": lambda: routing_rules(
        scheme=THREE_TIER, max_conditions=-1
    ),
    "routing_rules unconditional not bool": lambda: routing_rules(
        scheme=THREE_TIER,
        unconditional=0,  # type: ignore[arg-type]
    ),
    "routing_rules deadlines not a strategy": lambda: routing_rules(
        scheme=THREE_TIER,
        deadlines=TimeLimit.same_day(),  # type: ignore[arg-type]
    ),
    "routing_rules kinds not a strategy": lambda: routing_rules(
        scheme=THREE_TIER,
        condition_kinds=["injured"],  # type: ignore[arg-type]
    ),
    "routing_rules negative tags": lambda: routing_rules(scheme=THREE_TIER, max_tags=-1),
    "routing_rules ages not bool": lambda: routing_rules(scheme=THREE_TIER, ages="yes"),  # type: ignore[arg-type]
    "rule_sets no rules": lambda: rule_sets(scheme=THREE_TIER, min_rules=0),
    "rule_sets max < min": lambda: rule_sets(scheme=THREE_TIER, min_rules=3, max_rules=2),
    "rule_sets blank name": lambda: rule_sets(scheme=THREE_TIER, name=""),
    "rule_sets scheme of a grid": lambda: rule_sets(scheme=ROOT_ONLY),  # type: ignore[arg-type]
    "rule_sets negative links via conditions": lambda: rule_sets(
        scheme=THREE_TIER, max_conditions=-1
    ),
    "rule_sets negative tags": lambda: rule_sets(scheme=THREE_TIER, max_tags=-1),
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
        criteria(),
        residents(),
        residents(grid=grid),
        resident_files(),
        resident_files(grid=grid, min_size=1),
        moments(),
        calendars(),
        time_limits(),
        catalogues(),
        catalogues(base=DEFAULT_CATALOGUE, min_size=0),
        categories(),
        issues(grid),
        responsibility_matrices(grid),
        responsibility_matrices(THREE_TIER),
        responsibility_matrices(FOUR_TIER, top_catch_all=False),
        routing_rules(scheme=THREE_TIER),
        rule_sets(scheme=THREE_TIER),
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
