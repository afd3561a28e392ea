"""Property tests of the policy simulator (issue 19, must-show 1), over generated grids,
rules, matrices, escalation policies, visit policies, residents, staffing and loads:

* a run is pure: the same seed gives an equal result;
* different seeds give different results (on a load with enough issues, and staff to work
  on them, that equality by chance is out of the question);
* with unlimited staff and generous limits (100 working days for every tier, on runs far
  shorter) no case is escalated by ACCEPT_OVERDUE or RESOLVE_OVERDUE;
* whatever the setup, a run's figures add up (every case opened is open or closed at the
  end, in the queue of exactly one owner; the escalations per tier and per trigger agree).

The grids, rules, matrices, policies, visit policies and residents come from
:mod:`gridgov.testing.strategies`; the simulator's own models are drawn here (the kit has no
strategies for them).
"""

from __future__ import annotations

import random
from datetime import date

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import (
    DEFAULT_CATALOGUE,
    EscalationPolicy,
    ExternalBody,
    Router,
    Sla,
    TimeLimit,
    Trigger,
)
from gridgov.simulation import (
    Distribution,
    Exponential,
    Fixed,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    Staffing,
    StaffLine,
    Uniform,
    simulate,
)
from gridgov.testing.strategies import (
    escalation_policies,
    grids,
    residents,
    responsibility_matrices,
    rule_sets,
    visit_policies,
)

CODES = [c.code for c in DEFAULT_CATALOGUE]
START = date(2026, 3, 2)  # a Monday

distributions: SearchStrategy[Distribution] = st.one_of(
    st.builds(Fixed, hours=st.floats(0, 6)),
    st.builds(Uniform, low=st.floats(0, 2), high=st.floats(2, 8)),
    st.builds(Exponential, mean=st.floats(0.1, 6)),
    st.builds(LogNormal, median=st.floats(0.1, 6), sigma=st.floats(0, 1.5)),
)


@st.composite
def staffings(draw: st.DrawFn, tiers: tuple[str, ...], *, min_workers: int = 0) -> Staffing:
    lines = [StaffLine(tier=t, workers=draw(st.integers(min_workers, 3)),
                       hours=draw(st.floats(1, 8))) for t in tiers]
    handling = draw(st.lists(st.builds(Handling, category=st.sampled_from(CODES),
                                       time=distributions),
                             max_size=3, unique_by=lambda h: h.category))
    return Staffing(lines=lines, handling=handling, default=draw(distributions),
                    visit_hours=draw(st.floats(0.1, 2)), off_days=draw(st.sampled_from([0, 0.5])))


@st.composite
def loads(draw: st.DrawFn, *, min_rate: float = 0.0) -> LoadModel:
    lines = draw(st.lists(
        st.builds(LoadLine, category=st.sampled_from(CODES), severity=st.integers(1, 4),
                  rate=st.floats(min_rate, 1)),
        min_size=1, max_size=4))
    return LoadModel(
        lines=lines,
        weekdays=draw(st.lists(st.floats(0.5, 2), min_size=7, max_size=7)),
        holiday=draw(st.floats(0, 1)),
        located=draw(st.floats(0, 1)),
        residents=draw(st.floats(0, 1)),
        dissatisfied=draw(st.floats(0, 0.5)),
    )


def generous_policy(router: Router) -> EscalationPolicy:
    limit = TimeLimit.working_days(100)
    return EscalationPolicy(
        name="generous",
        beyond=ExternalBody(id="body", name="区职能部门", via="吹哨报到"),
        slas=[Sla(name=t, tier=t, accept_within=limit, resolve_within=limit)
              for t in router.grid.scheme.names],
        calendar=router.calendar,
    )


@st.composite
def setups(draw: st.DrawFn, *, generous: bool = False, busy: bool = False) -> Setup:
    """A setup on a generated grid with places; *busy*: staff in every tier and at least
    half an issue per place a day; *generous*: unlimited staff and 100-working-day limits."""
    grid = draw(grids(min_units=2, max_units=8, max_places=12, max_partners=1))
    assume(len(grid.places) >= 3)
    router = Router(grid=grid, rules=draw(rule_sets(scheme=grid.scheme)),
                    matrix=draw(responsibility_matrices(grid, top_catch_all=True)),
                    unlocated_at=grid.roots[0].id)
    if generous:
        policy = generous_policy(router)
    else:
        policy = attrs.evolve(draw(escalation_policies(scheme=grid.scheme)),
                              calendar=router.calendar)
    files = draw(st.lists(residents(grid=grid), max_size=6, unique_by=lambda r: r.id))
    staffing = draw(staffings(grid.scheme.names, min_workers=1 if busy else 0))
    if generous:
        staffing = attrs.evolve(staffing, unlimited=True)
    return Setup(
        name="generated",
        router=router,
        escalation=policy,
        visits=draw(st.none() | visit_policies()),
        residents=files,
        staffing=staffing,
        load=draw(loads(min_rate=0.5 if busy else 0.0)),
    )


@given(setups(), st.integers(1, 12), st.integers(0, 2**32))
@settings(max_examples=25)
def test_the_same_seed_gives_an_equal_result(setup: Setup, days: int, seed: int) -> None:
    a = simulate(setup, start=START, days=days, rng=random.Random(seed))
    b = simulate(setup, start=START, days=days, rng=random.Random(seed))
    assert a == b


@given(setups(busy=True), st.integers(5, 12), st.integers(0, 2**32), st.integers(1, 2**32))
@settings(max_examples=20)
def test_different_seeds_give_different_results(setup: Setup, days: int, seed: int,
                                                step: int) -> None:
    a = simulate(setup, start=START, days=days, rng=random.Random(seed))
    b = simulate(setup, start=START, days=days, rng=random.Random(seed + step))
    assert a.cases > 0 and b.cases > 0
    assert a != b


@given(setups(generous=True), st.integers(1, 20), st.integers(0, 2**32))
@settings(max_examples=25)
def test_unlimited_staff_and_generous_limits_never_run_late(setup: Setup, days: int,
                                                            seed: int) -> None:
    r = simulate(setup, start=START, days=days, rng=random.Random(seed))
    assert r.escalations_by_trigger[Trigger.ACCEPT_OVERDUE.value] == 0
    assert r.escalations_by_trigger[Trigger.RESOLVE_OVERDUE.value] == 0
    assert r.missed_visits == 0 or any(not d.working for d in r.daily)


@given(setups(), st.integers(1, 12), st.integers(0, 2**32))
@settings(max_examples=25)
def test_the_figures_add_up(setup: Setup, days: int, seed: int) -> None:
    r = simulate(setup, start=START, days=days, rng=random.Random(seed))
    assert r.cases == sum(d.new_issues for d in r.daily)
    assert sum(r.queues.values()) == sum(r.daily[-1].backlog.values())
    assert sum(r.queues.values()) + sum(d.closed for d in r.daily) == r.cases
    assert sum(r.escalations_by_tier.values()) == sum(r.escalations_by_trigger.values())
    for d in r.daily:
        assert d.visits_made + d.visits_missed <= d.visits_due
        assert d.hours_used <= d.hours_available + 1e-6
