"""Properties of :func:`gridgov.community.match_needs`.

* every placement goes to someone holding the skills (at the levels asked), willing on the
  day (in force, offering the kind of service, serving in the need's unit), and no one is
  booked beyond the hours they have left or twice on one need;
* every place of every need is either filled or reported unfilled, with a reason;
* the total cost is what the placements cost, and it equals the optimum found by brute force
  over every assignment of the (tiny) instance — the rules re-implemented here, independently.
"""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from gridgov import DEFAULT_CATALOGUE, GridGraph, GridUnit
from gridgov.community import (
    MatchPolicy,
    Need,
    SkillLevel,
    Span,
    Talent,
    TalentKind,
    TalentLibrary,
    Willingness,
    match_needs,
)

ON = date(2026, 11, 30)
GRID = GridGraph(
    version="p",
    units=[
        GridUnit(id="c", name="社区", tier="community"),
        GridUnit(id="g1", name="一网格", tier="grid", parent="c"),
        GridUnit(id="g2", name="二网格", tier="grid", parent="c"),
        GridUnit(id="m11", name="一号院", tier="micro_grid", parent="g1"),
        GridUnit(id="m12", name="二号院", tier="micro_grid", parent="g1"),
        GridUnit(id="m21", name="三号院", tier="micro_grid", parent="g2"),
    ],
)
UNITS = ["c", "g1", "g2", "m11", "m12", "m21"]
HOMES = ["g1", "m11", "m11", "m12", "m21"]
SKILLS = ["appliance_repair", "health_care", "haircut"]  # the first two have levels
CATEGORIES = [None, "housekeeping", "dispute"]


@st.composite
def willingness(draw: st.DrawFn) -> Willingness:
    start = draw(st.sampled_from([None, None, None, date(2026, 1, 1), date(2026, 12, 1)]))
    return Willingness(
        hours=draw(st.integers(0, 9)),
        per=draw(st.sampled_from([Span.WEEK, Span.WEEK, Span.MONTH])),
        kinds=draw(st.sampled_from([set(), set(), {"volunteer_service"}, {"dispute"}])),
        units=draw(st.sampled_from([set(), set(), {"g1"}, {"m21"}, {"g2", "m11"}])),
        start=start,
    )


@st.composite
def talents(draw: st.DrawFn, i: int) -> Talent:
    skills = draw(st.frozensets(st.sampled_from(SKILLS), min_size=1, max_size=3))
    levels = [
        SkillLevel(skill=s, level=draw(st.integers(1, 3)))
        for s in sorted(skills)
        if s != "haircut" and draw(st.booleans())
    ]
    return Talent(
        id=f"p{i}",
        name=f"人{i}",
        kind=TalentKind.RESIDENT,
        home=draw(st.sampled_from(HOMES)),
        skills=skills,
        levels=levels,
        willingness=draw(willingness()),
    )


@st.composite
def needs(draw: st.DrawFn, i: int) -> Need:
    skills = draw(st.sampled_from([frozenset(), {"haircut"}, {"haircut"}, {"health_care"}]))
    levels = [
        SkillLevel(skill=s, level=2)
        for s in sorted(skills)
        if s != "haircut" and draw(st.booleans())
    ]
    return Need(
        id=f"n{i}",
        name=f"需求{i}",
        unit=draw(st.sampled_from(UNITS)),
        skills=skills,
        levels=levels,
        hours=draw(st.integers(1, 3)),
        people=draw(st.integers(1, 2)),
        category=draw(st.sampled_from(CATEGORIES)),
        priority=draw(st.integers(1, 2)),
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Need], TalentLibrary, MatchPolicy, Span]:
    people = [draw(talents(i)) for i in range(draw(st.integers(1, 3)))]
    wanted = [draw(needs(i)) for i in range(draw(st.integers(1, 3)))]
    steps = draw(st.lists(st.integers(0, 9), min_size=1, max_size=4))
    proximity = tuple(itertools.accumulate(steps))
    policy = MatchPolicy(
        proximity=proximity,
        fairness=draw(st.integers(0, 7)),
        unmatched=proximity[-1] + draw(st.integers(1, 30)),
    )
    return wanted, TalentLibrary(talents=people), policy, draw(st.sampled_from(list(Span)))


# --------------------------------------------------------------------------- the rules, again


def left_of(t: Talent, span: Span) -> int:
    w = t.willingness
    if w.per is span:
        return w.hours
    return w.hours * 52 // 12 if span is Span.MONTH else w.hours * 12 // 52


def can_take(t: Talent, n: Need, span: Span) -> bool:
    w = t.willingness
    wanted = {lv.skill: lv.level for lv in n.levels}
    held = {lv.skill: lv.level for lv in t.levels}
    if any(s not in t.skills or held.get(s, 1) < wanted.get(s, 1) for s in n.skills):
        return False
    if w.start is not None and w.start > ON:
        return False
    if (
        w.kinds
        and n.category is not None
        and not (w.kinds & set(DEFAULT_CATALOGUE.lineage(n.category)))
    ):
        return False
    reach = w.units or {"c"}
    above = {u.id for u in GRID.chain(n.unit)}
    return bool(reach & above) and left_of(t, span) >= n.hours


def level(n: Need, t: Talent) -> int:
    theirs = {u.id for u in GRID.chain(t.home)}
    return next(i for i, u in enumerate(GRID.chain(n.unit)) if u.id in theirs)


def brute_force(wanted: list[Need], lib: TalentLibrary, policy: MatchPolicy, span: Span) -> int:
    people = list(lib.talents)
    cap = {}
    for t in people:
        fits = [n.hours for n in wanted if can_take(t, n, span)]
        cap[t.id] = left_of(t, span) // max(fits) if fits else 0
    slots = [n for n in wanted for _ in range(n.people)]
    options = [[None, *(t for t in people if can_take(t, n, span))] for n in slots]
    best = None
    for choice in itertools.product(*options):
        load: dict[str, int] = {}
        per_need: set[tuple[str, str]] = set()
        cost, ok = 0, True
        for n, t in zip(slots, choice, strict=True):
            if t is None:
                cost += policy.unmatched * n.priority
                continue
            if (n.id, t.id) in per_need:
                ok = False
                break
            per_need.add((n.id, t.id))
            load[t.id] = load.get(t.id, 0) + 1
            cost += policy.cost(level(n, t))
        if not ok or any(load[p] > cap[p] for p in load):
            continue
        cost += sum(policy.fairness * k * (k - 1) // 2 for k in load.values())
        best = cost if best is None else min(best, cost)
    assert best is not None  # leaving everything unfilled is always possible
    return best


# --------------------------------------------------------------------------- properties


@given(instances())
def test_placements_respect_skills_willingness_reach_and_hours(instance):
    wanted, lib, policy, span = instance
    m = match_needs(wanted, lib, GRID, on=ON, span=span, policy=policy)
    by_id = {n.id: n for n in wanted}
    pairs = [(a.need, a.person) for a in m.assignments]
    assert len(pairs) == len(set(pairs))  # one place of a need per person
    for a in m.assignments:
        n, t = by_id[a.need], lib.talent(a.person)
        assert can_take(t, n, span)
        assert a.level == level(n, t) and a.cost == policy.cost(a.level) and a.hours == n.hours
        assert t.name in a.reason.zh
    for t in lib.talents:
        assert m.hours(t.id) <= left_of(t, span)
    unfilled = {u.need: u.places for u in m.unfilled}
    for n in wanted:
        assert m.filled(n.id) + unfilled.get(n.id, 0) == n.people
    fairness = sum(policy.fairness * k * (k - 1) // 2 for k in (m.load(t.id) for t in lib.talents))
    assert m.total_cost == (
        sum(a.cost for a in m.assignments)
        + fairness
        + sum(policy.unmatched * by_id[u.need].priority * u.places for u in m.unfilled)
    )


def _barbers(
    homes: tuple[str, ...], units: tuple[str, ...], fairness: int
) -> tuple[list[Need], TalentLibrary, MatchPolicy, Span]:
    """People who cut hair at *homes* (8, 6, 4… hours) and a one-hour haircut at each of *units*."""
    lib = TalentLibrary(
        talents=[
            Talent(
                id=f"p{i}",
                name=f"人{i}",
                kind=TalentKind.RESIDENT,
                home=home,
                skills={"haircut"},
                willingness=Willingness(hours=8 - 2 * i),
            )
            for i, home in enumerate(homes)
        ]
    )
    wanted = [
        Need(id=f"n{i}", name="理发", unit=u, hours=1, skills={"haircut"})
        for i, u in enumerate(units)
    ]
    return wanted, lib, MatchPolicy(proximity=(0, 3, 9), fairness=fairness, unmatched=30), Span.WEEK


@given(instances())
@example(_barbers(("m11", "m11"), ("m11", "m11", "m11"), 5))
@example(_barbers(("m11", "m21"), ("m11", "m12", "m12"), 2))
@example(_barbers(("m11", "m21"), ("m21", "m11", "m11", "m21", "m11"), 0))
@example(_barbers(("m21", "m11", "g1"), ("m11", "m12", "m21", "m11"), 2))
def test_the_total_cost_is_the_brute_force_optimum(instance):
    wanted, lib, policy, span = instance
    m = match_needs(wanted, lib, GRID, on=ON, span=span, policy=policy)
    assert m.total_cost == brute_force(wanted, lib, policy, span)
