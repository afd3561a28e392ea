"""Every value a worker needs pickles as what it was built from, and compactly: a grid, a
router, policies, calendars, logs, rosters and the engines' indices are rebuilt when loaded —
equal, and behaving the same — and carry none of what they compiled or cached."""

from __future__ import annotations

import pickle
import random
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from tests.fuzz._examples import examples
from tests.property.test_round_trip_inventory import NOT_VALUES, public_types

import gridgov as g
from gridgov.calendar import DeadlinePlan, DeadlinePlanner
from gridgov.criteria import Criteria, CriteriaIndex
from gridgov.demo import sample_grid, sample_policy, sample_residents
from gridgov.grid.parts import GridPartition
from gridgov.serialize import registered
from gridgov.visits import RosterLog, VisitLog, VisitRecord, VisitRoster, due_ids

DAY = date(2026, 11, 26)
BY_FIELDS = g.GridUnit.__reduce__
"""How every registered attrs class without a reduction of its own pickles."""
T = datetime(2026, 11, 26, 9, 30, tzinfo=g.CST)


def _back(value: object) -> Any:
    return pickle.loads(pickle.dumps(value))


def _issues(grid: g.GridGraph, n: int, seed: int) -> list[g.Issue]:
    rng = random.Random(seed)
    places, codes = sorted(grid.places), sorted(g.DEFAULT_CATALOGUE.codes)
    return [
        g.Issue(id=f"i-{k}", category=rng.choice(codes), severity=rng.randint(1, 4),
                channel=rng.choice(list(g.Channel)), place=rng.choice(places),
                reporter=g.Reporter.resident(f"r-{k}"), reported_at=T + timedelta(minutes=k))
        for k in range(n)
    ]


def _router() -> g.Router:
    return g.Router(grid=sample_grid(), rules=g.DEFAULT_RULES, matrix=g.DEFAULT_MATRIX)


def _log() -> VisitLog:
    files = sample_residents()
    return VisitLog(records=[
        VisitRecord(id=f"v-{k}", resident=r.id, member="m-li", at=T - timedelta(days=3 * k))
        for k, r in enumerate(files[::3])
    ])


ENGINES: dict[type, Any] = {
    g.Router: _router,
    DeadlinePlanner: lambda: DeadlinePlanner(g.WorkCalendar(), size=500),
    DeadlinePlan: lambda: DeadlinePlan([g.TimeLimit.working_days(3), None], g.WorkCalendar(),
                                       source="rule:x"),
    CriteriaIndex: lambda: CriteriaIndex([Criteria(min_age=80), Criteria(min_age=60)], on=DAY),
    g.ResidentFiles: lambda: g.ResidentFiles(sample_residents()),
    VisitRoster: lambda: VisitRoster(residents=sample_residents(), policy=g.DEFAULT_POLICY),
    RosterLog: lambda: VisitRoster(residents=sample_residents(),
                                   policy=g.DEFAULT_POLICY).join(_log()),
    GridPartition: lambda: GridPartition.of(sample_grid(), tier="grid"),
}
"""The public classes that are not registered values but that a worker may be given."""

NOT_SHIPPED = {cls: why for cls, why in NOT_VALUES.items() if cls not in ENGINES}
"""Base classes, protocols, named-tuple views and test helpers: nothing of theirs to ship
beyond what the values above already are (named tuples pickle as tuples)."""


# --------------------------------------------------------------------------- the values


@pytest.mark.parametrize("cls", sorted(registered(), key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_every_registered_value_pickles_as_its_constructors_arguments(cls: type) -> None:
    for value in examples()[cls]:
        back = _back(value)
        assert type(back) is cls
        assert back == value
        if attrs.has(cls) and cls.__reduce__ is BY_FIELDS:
            _, (made, kwargs) = value.__reduce__()
            assert made is cls
            assert set(kwargs) == {a.alias or a.name for a in attrs.fields(cls) if a.init}


def test_every_public_class_is_a_registered_value_an_engine_or_not_shipped() -> None:
    public = public_types()
    assert set(ENGINES) <= public
    unaccounted = public - set(registered()) - set(ENGINES) - set(NOT_SHIPPED)
    assert not unaccounted, sorted(c.__name__ for c in unaccounted)


@pytest.mark.parametrize("cls", list(ENGINES), ids=lambda c: c.__name__)
def test_every_engine_pickles_and_loads_equal_or_working(cls: type) -> None:
    value = ENGINES[cls]()
    back = _back(value)
    assert type(back) is cls
    if cls not in (DeadlinePlanner, DeadlinePlan, CriteriaIndex):  # engines without __eq__
        assert back == value


def test_the_read_only_cells_of_a_tally_pickle() -> None:
    tallies = examples()[g.Tally]
    assert tallies
    for t in tallies:
        back = _back(t)
        assert back == t
        assert back.cells == t.cells
        with pytest.raises(TypeError):
            back.cells[next(iter(back.cells))] = (0,)  # type: ignore[index]


# --------------------------------------------------------------------------- same behaviour


def test_an_unpickled_router_routes_the_same() -> None:
    router = _router()
    back = _back(router)
    issues = _issues(router.grid, 300, seed=19)
    files = g.ResidentFiles(sample_residents())
    assert list(back.route_many(issues, residents=files)) == list(
        router.route_many(issues, residents=files)
    )
    for issue in issues[:20]:
        assert back.route(issue, residents=files) == router.route(issue, residents=files)


def test_a_router_ships_what_it_was_built_from_and_nothing_compiled() -> None:
    router = _router()
    parts = (router.grid, router.rules, router.matrix, router.calendar, router.catalogue)
    data = pickle.dumps(router)
    assert len(data) <= len(pickle.dumps(parts)) + 200  # the class, the field names
    _, (made, kwargs) = router.__reduce__()
    assert made is g.Router
    assert set(kwargs) == {a.name for a in attrs.fields(g.Router) if a.init}


def test_a_grid_pickles_its_places_grouped_by_unit_and_rebuilds_its_indices() -> None:
    grid = sample_grid()
    data = pickle.dumps(grid)
    assert len(data) < len(pickle.dumps(grid.places.ids()))  # each unit id once
    back = pickle.loads(data)
    assert back == grid
    assert back.places == grid.places
    assert all(back.place_chain(p) == grid.place_chain(p) for p in grid.places)


def test_a_used_planner_ships_no_results() -> None:
    planner = DeadlinePlanner(g.WorkCalendar(), size=500)
    fresh = len(pickle.dumps(planner))
    plan = DeadlinePlan([g.TimeLimit.working_days(3)], g.WorkCalendar())
    starts = [T + timedelta(hours=h) for h in range(100)]
    expected = [plan.deadlines(s, planner) for s in starts]
    assert len(planner) > 0
    assert len(pickle.dumps(planner)) == fresh
    back, plan_back = _back(planner), _back(plan)
    assert len(back) == 0
    assert back.calendar == planner.calendar
    assert [plan_back.deadlines(s, back) for s in starts] == expected
    assert plan_back.limits == plan.limits


def test_a_used_criteria_index_ships_no_answers_and_answers_the_same() -> None:
    index = CriteriaIndex([Criteria(min_age=80), Criteria(min_age=60),
                           Criteria(conditions_any={"living_alone"})], on=DAY)
    fresh = len(pickle.dumps(index))
    answers = [index.matching(r) for r in sample_residents()]
    assert len(pickle.dumps(index)) == fresh
    back = _back(index)
    assert back.on == index.on and back.cut_off == index.cut_off
    assert [back.matching(r) for r in sample_residents()] == answers


def test_a_partition_ships_its_grid_and_tier_and_cuts_the_same_parts() -> None:
    partition = GridPartition.of(sample_grid(), tier="grid")
    back = _back(partition)
    assert back.parts == partition.parts
    assert len(pickle.dumps(partition)) < len(pickle.dumps(sample_grid())) + 200


def test_an_unpickled_roster_and_joined_log_sweep_the_same() -> None:
    roster = VisitRoster(residents=sample_residents(), policy=g.DEFAULT_POLICY)
    joined = roster.join(_log())
    want = list(due_ids(roster, joined, g.DEFAULT_POLICY, on=DAY))
    assert want  # the demo's files have someone due
    r2, j2 = _back(roster), _back(joined)
    assert list(due_ids(r2, j2, g.DEFAULT_POLICY, on=DAY)) == want
    assert list(due_ids(r2, _back(joined.log), _back(g.DEFAULT_POLICY), on=DAY)) == want


def test_unpickled_policies_and_calendars_decide_the_same() -> None:
    policy, esc = _back(g.DEFAULT_POLICY), _back(sample_policy())
    assert policy == g.DEFAULT_POLICY and esc == sample_policy()
    for r in sample_residents():
        assert policy.requirement(r, on=DAY) == g.DEFAULT_POLICY.requirement(r, on=DAY)
    cal = g.WorkCalendar(holidays=[date(2026, 12, 1)])
    back = _back(cal)
    assert back == cal
    assert back.add_working_days(T, 3) == cal.add_working_days(T, 3)
