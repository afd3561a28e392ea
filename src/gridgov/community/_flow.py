"""The matching engine (private): needs to people as one min-cost flow, solved exactly.

The network is built over *classes* and *hubs*, so that a street's thousands of people and
needs make a graph of about one edge per person and a few per need, with no loss of
exactness:

* a **profile** is what makes people interchangeable for eligibility: their skills and levels,
  the kinds of service they offer, the units they will travel to and the hours they have left;
  a **person class** is a profile at one home unit.  Every person of a class can take the same
  needs at the same cost, and their convex fairness cost is met exactly by spreading the class's
  work round-robin (loads differ by at most one), so a class of *m* people with capacity *c*
  each is *c* tiers of *m* places, tier *j* costing ``fairness × j`` each.
* a **need group** is needs of one place each that are alike (unit, skills, category, hours,
  priority); a **requirement** is such a group without its unit.  A need of several places
  (a post) is a node of its own, joined straight to the classes it may draw from (at most one
  place per person), so that its places go to different people.
* a **hub tree** per requirement and reach depth: the units from each home up to the unit its
  people travel to (their reach, a unit above their home: their grid, their community…).  A
  need group enters the tree at each unit of its own chain no higher than that depth, at that
  level's proximity cost, and flows down to the homes below — to people whose reach covers the
  need's unit, and to no one else.  A person is reached through the unit where the two chains
  meet at its true cost, and through a higher unit at no less, so the optimum of the flow is
  the optimum of the assignment.  People whose reach is not one unit above their home (several
  units, or a unit elsewhere) are joined to the need groups they may take by direct edges.

Unfilled places flow to the sink at the unfilled cost.  The flow is decomposed back into
assignments (top-down through each tree, round-robin within each class) and every decision
is explained.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, cast

import networkx as nx

from gridgov.community._rules import levels_map
from gridgov.grid import GridGraph
from gridgov.issues import CategoryCatalogue
from gridgov.reasons import Reason, Ref

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.community.matching import MatchPolicy, Need
    from gridgov.community.talent import Span, Talent, TalentLibrary


class Result(NamedTuple):
    total: int
    assignments: list[tuple[str, str, str, int, int, int, Reason]]
    unfilled: list[tuple[str, int, Reason]]
    partners: list[tuple[str, str, str, Reason]]


class _Profile(NamedTuple):
    levels: frozenset[tuple[str, int]]
    kinds: frozenset[str]
    reach: frozenset[str]
    hours: int


def _need_key(n: Need) -> tuple[object, ...]:
    return (n.unit, n.skills, frozenset(n.levels), n.category, n.hours, n.priority)


def solve(
    needs: Sequence[Need],
    library: TalentLibrary,
    grid: GridGraph,
    *,
    on: date,
    span: Span,
    policy: MatchPolicy,
    used: dict[str, int],
    catalogue: CategoryCatalogue,
) -> Result:
    # ---- people: profiles and classes of those available on the day
    reach_of: dict[str, frozenset[str]] = {}
    left: dict[str, int] = {}
    classes: dict[tuple[int, str], list[Talent]] = defaultdict(list)
    profile_ids: dict[_Profile, int] = {}
    profiles: list[_Profile] = []
    for t in library.talents:
        chain = grid.chain(t.home)
        w = t.willingness
        reach = w.units or frozenset({chain[-1].id})
        for r in reach:
            grid.unit(r)
        reach_of[t.id] = reach
        hours = max(0, w.hours_per(span) - used.get(t.id, 0))
        left[t.id] = hours
        if not w.in_force(on) or hours == 0:
            continue
        prof = _Profile(frozenset((s, t.level(s)) for s in t.skills), w.kinds, reach, hours)
        pid = profile_ids.setdefault(prof, len(profiles))
        if pid == len(profiles):
            profiles.append(prof)
        classes[(pid, t.home)].append(t)
    by_skill: dict[str, list[int]] = defaultdict(list)
    for pid, prof in enumerate(profiles):
        for s, _ in prof.levels:
            by_skill[s].append(pid)
    homes_of: dict[int, list[str]] = defaultdict(list)
    for pid, home in classes:
        homes_of[pid].append(home)

    # ---- needs: groups of alike one-place needs, and needs of several places
    groups: dict[tuple[object, ...], list[Need]] = {}
    for n in needs:
        key = _need_key(n) if n.people == 1 else ("several", n.id)
        groups.setdefault(key, []).append(n)
    group_list = [sorted(g, key=lambda n: n.id) for g in groups.values()]

    def fits(pid: int, n: Need) -> bool:
        """Skills and levels, the kind of service, and the hours (not yet the reach)."""
        prof = profiles[pid]
        held = dict(prof.levels)
        wanted = levels_map(n.levels)
        if any(held.get(s, 0) < wanted.get(s, 1) for s in n.skills):
            return False
        if (
            prof.kinds
            and n.category is not None
            and prof.kinds.isdisjoint(catalogue.lineage(n.category))
        ):
            return False
        return prof.hours >= n.hours

    def candidates(n: Need) -> list[int]:
        pool = by_skill.get(min(n.skills), []) if n.skills else range(len(profiles))
        return [pid for pid in pool if fits(pid, n)]

    def reaches(pid: int, unit: str) -> bool:
        return not profiles[pid].reach.isdisjoint(chain_ids(unit))

    chain_cache: dict[str, frozenset[str]] = {}

    def chain_ids(unit: str) -> frozenset[str]:
        found = chain_cache.get(unit)
        if found is None:
            found = chain_cache[unit] = frozenset(u.id for u in grid.chain(unit))
        return found

    # A requirement is what a one-place need asks but its unit; the units with a need of it
    # below them (for "the longest need a person may take").
    req_ids: dict[tuple[object, ...], int] = {}
    req_of_group: list[int] = []
    req_first: list[Need] = []
    marked: list[set[str]] = []
    for g in group_list:
        first = g[0]
        if first.people > 1:
            req_of_group.append(-1)
            continue
        rkey = (first.skills, frozenset(first.levels), first.category, first.hours)
        qi = req_ids.setdefault(rkey, len(req_first))
        if qi == len(req_first):
            req_first.append(first)
            marked.append(set())
        req_of_group.append(qi)
        marked[qi].update(chain_ids(first.unit))
    takers = [candidates(n) for n in req_first]  # profiles fitting each requirement
    several = {gi: candidates(g[0]) for gi, g in enumerate(group_list) if g[0].people > 1}
    longest: dict[int, int] = defaultdict(int)
    fitting: dict[int, list[int]] = defaultdict(list)  # profile → requirements in reach
    for qi, pids in enumerate(takers):
        for pid in pids:
            if not profiles[pid].reach.isdisjoint(marked[qi]):
                fitting[pid].append(qi)
                longest[pid] = max(longest[pid], req_first[qi].hours)
    for gi, pids in several.items():
        unit = group_list[gi][0].unit
        for pid in pids:
            if reaches(pid, unit):
                longest[pid] = max(longest[pid], group_list[gi][0].hours)

    # ---- the network
    net: nx.DiGraph[object] = nx.DiGraph()
    total_places = sum(n.people for n in needs)
    net.add_node("T", demand=total_places)
    capacity: dict[tuple[int, str], int] = {}
    fallback: list[tuple[int, str]] = []  # classes reached by direct edges
    for (pid, home), people in classes.items():
        if pid not in longest:
            continue  # eligible for nothing
        cap = profiles[pid].hours // longest[pid]
        capacity[(pid, home)] = cap
        m = len(people)
        node = ("c", pid, home)
        if policy.fairness == 0:
            net.add_edge(node, "T", capacity=m * cap, weight=0)
        else:
            for j in range(cap):
                net.add_edge(node, ("k", pid, home, j), capacity=m, weight=policy.fairness * j)
                net.add_edge(("k", pid, home, j), "T", capacity=m, weight=0)
        chain = grid.chain(home)
        only = next(iter(profiles[pid].reach)) if len(profiles[pid].reach) == 1 else ""
        ids = [u.id for u in chain]
        if only not in ids:
            fallback.append((pid, home))
            continue
        top = len(chain) - 1 - ids.index(only)  # the depth of the unit they reach to
        for qi in fitting[pid]:
            below: tuple[object, ...] = ("h", qi, top, home)
            net.add_edge(below, node, weight=0)
            for up in chain[1 : ids.index(only) + 1]:
                above = ("h", qi, top, up.id)
                if net.has_edge(above, below):
                    break
                net.add_edge(above, below, weight=0)
                below = above
    depths: dict[int, set[int]] = defaultdict(set)
    for hub in net:
        if isinstance(hub, tuple) and hub[0] == "h":
            depths[cast(int, hub[1])].add(cast(int, hub[2]))
    for gi, g in enumerate(group_list):
        first = g[0]
        source = ("n", gi)
        places = sum(n.people for n in g)
        net.add_node(source, demand=-places)
        net.add_edge(source, "T", capacity=places, weight=policy.unmatched * first.priority)
        if first.people > 1:  # straight to each class, one place per person
            for pid in several[gi]:
                if not reaches(pid, first.unit):
                    continue
                for home in homes_of[pid]:
                    if (pid, home) in capacity:
                        m = len(classes[(pid, home)])
                        net.add_edge(
                            source,
                            ("c", pid, home),
                            capacity=min(first.people, m),
                            weight=policy.cost(_level(grid, first.unit, home)),
                        )
            continue
        qi = req_of_group[gi]
        chain = grid.chain(first.unit)
        for top in depths[qi]:
            for level, at in enumerate(chain):
                if len(chain) - 1 - level < top:
                    break
                entry = ("h", qi, top, at.id)
                if entry in net:
                    net.add_edge(source, entry, capacity=places, weight=policy.cost(level))
    for pid, home in fallback:
        for qi in fitting[pid]:
            for gi, g in enumerate(group_list):
                if req_of_group[gi] == qi and reaches(pid, g[0].unit):
                    net.add_edge(
                        ("n", gi),
                        ("c", pid, home),
                        capacity=len(g),
                        weight=policy.cost(_level(grid, g[0].unit, home)),
                    )
    _, flow = nx.network_simplex(net)

    # ---- back to assignments: down each tree, then round-robin within each class
    arrivals: dict[object, list[list[int]]] = defaultdict(list)  # node → [[group, amount]]
    for gi in range(len(group_list)):
        for target, amount in flow[("n", gi)].items():
            if amount and target != "T":
                arrivals[target].append([gi, amount])
    order = sorted(
        (n for n in net if isinstance(n, tuple) and n[0] == "h"),
        key=lambda n: (n[1], n[2], len(grid.chain(n[3])), n[3]),
    )
    for node in order:
        pool = arrivals.pop(node, [])
        for target, amount in sorted(flow[node].items(), key=lambda kv: str(kv[0])):
            while amount:
                gi, have = pool[-1]
                take = min(have, amount)
                arrivals[target].append([gi, take])
                amount -= take
                pool[-1][1] -= take
                if pool[-1][1] == 0:
                    pool.pop()
    next_need = [0] * len(group_list)
    load: dict[str, int] = defaultdict(int)
    made: list[tuple[Need, Talent, int]] = []
    ends = [cast(tuple[str, int, str], k) for k in arrivals if isinstance(k, tuple) and k[0] == "c"]
    for key in sorted(ends):
        people = sorted(classes[(key[1], key[2])], key=lambda t: t.id)
        turn = 0
        for gi, amount in sorted(arrivals[key], key=lambda a: a[0]):
            g = group_list[gi]
            for _ in range(amount):
                person = people[turn % len(people)]
                turn += 1
                if g[0].people > 1:
                    need = g[0]
                else:
                    need = g[next_need[gi]]
                    next_need[gi] += 1
                load[person.id] += 1
                made.append((need, person, _level(grid, need.unit, person.home)))

    # ---- explain
    names = {u.id: u.name for u in grid}
    total = sum(policy.cost(level) for _, _, level in made)
    total += sum(policy.fairness * k * (k - 1) // 2 for k in load.values())
    filled: dict[str, int] = defaultdict(int)
    assignments = []
    for need, person, level in sorted(made, key=lambda x: (x[0].id, x[1].id)):
        filled[need.id] += 1
        assignments.append(
            (
                need.id,
                person.id,
                person.name,
                need.hours,
                level,
                policy.cost(level),
                _match_reason(need, person, level, grid, library, left[person.id]),
            )
        )
    unfilled = []
    for g in group_list:
        found: tuple[str, int, list[Talent]] | None = None
        for n in g:
            missing = n.people - filled[n.id]
            if not missing:
                continue
            if found is None:
                chosen = {pid for pid in candidates(n) if reaches(pid, n.unit)}
                people = sorted(
                    (t for (pid, _), ts in classes.items() if pid in chosen for t in ts),
                    key=lambda t: t.id,
                )
                found = _diagnose(n, library, grid, on, left, reach_of, catalogue, people)
            total += policy.unmatched * n.priority * missing
            unfilled.append((n.id, missing, _unfilled_reason(n, found, library, names[n.unit], on)))
    unfilled.sort(key=lambda u: u[0])
    partners = []
    for n in sorted(needs, key=lambda n: n.id):
        if n.category is None:
            continue
        for p in grid.partners_for(n.unit, n.category, catalogue=catalogue):
            cat = catalogue[n.category]
            partners.append(
                (
                    n.id,
                    p.id,
                    p.name,
                    Reason(
                        zh=f"{p.name}（{p.kind.zh}）服务{cat.zh}，覆盖{names[n.unit]}：可联动承接{n.name}。",
                        en=f"{p.name} ({p.kind.label}) serves {cat.label} and covers {names[n.unit]}: "
                        f"can be linked in for {n.name}.",
                        refs=(
                            Ref(kind="partner", id=p.id, name=p.name),
                            Ref(kind="category", id=cat.code, name=cat.zh),
                            Ref(kind="unit", id=n.unit, name=names[n.unit]),
                        ),
                    ),
                )
            )
    return Result(total, assignments, unfilled, partners)


def _level(grid: GridGraph, unit: str, home: str) -> int:
    """How many units up *unit*'s chain it meets *home*'s (its length if never)."""
    mine = grid.chain(unit)
    theirs = {u.id for u in grid.chain(home)}
    for level, u in enumerate(mine):
        if u.id in theirs:
            return level
    return len(mine)


def _near(grid: GridGraph, unit: str, level: int) -> tuple[str, str]:
    chain = grid.chain(unit)
    if level >= len(chain):
        return "不在同一辖区", "from outside its area"
    name = chain[level].name
    return f"同在{name}", f"both in {name}"


def _match_reason(
    need: Need, person: Talent, level: int, grid: GridGraph, library: TalentLibrary, left: int
) -> Reason:
    near_zh, near_en = _near(grid, need.unit, level)
    w = person.willingness
    skills_zh = library.catalogue.zh(need.skills) if need.skills else "无特定技能要求"
    skills_en = library.catalogue.label(need.skills) if need.skills else "no particular skill"
    days_en = f" on weekdays {sorted(w.weekdays)}" if w.weekdays else ""
    return Reason(
        zh=f"{person.name}（{person.kind.zh}）承接{need.name}：具备{skills_zh}，{near_zh}，"
        f"{w.describe_zh()}，本期可用{left}小时。",
        en=f"{person.name} ({person.kind.label}) takes {need.name}: holds {skills_en}, "
        f"{near_en}, offers {w.hours} h per {w.per.value}{days_en}, {left} h available in the span.",
        refs=(
            Ref(kind=person.kind.ref_kind, id=person.id, name=person.name),
            Ref(kind="unit", id=need.unit, name=grid.unit(need.unit).name),
        ),
    )


def _diagnose(
    need: Need,
    library: TalentLibrary,
    grid: GridGraph,
    on: date,
    left: dict[str, int],
    reach_of: dict[str, frozenset[str]],
    catalogue: CategoryCatalogue,
    eligible: list[Talent] | None,
) -> tuple[str, int, list[Talent]]:
    """The first test no one passed for *need* — ``skills``, ``willing``, ``reach``,
    ``hours`` — with how many passed the one before; else ``busy`` and who was eligible."""
    if eligible:
        return "busy", len(eligible), eligible
    wanted = levels_map(need.levels)
    able = [t for t in library.talents if all(t.level(s) >= wanted.get(s, 1) for s in need.skills)]
    if not able:
        return "skills", 0, []
    willing = [
        t
        for t in able
        if t.willingness.in_force(on)
        and left[t.id] > 0
        and t.willingness.offers(need.category, catalogue)
    ]
    if not willing:
        return "willing", len(able), []
    chain_ids = {u.id for u in grid.chain(need.unit)}
    near = [t for t in willing if not reach_of[t.id].isdisjoint(chain_ids)]
    if not near:
        return "reach", len(willing), []
    return "hours", len(near), []


def _unfilled_reason(
    need: Need,
    found: tuple[str, int, list[Talent]],
    library: TalentLibrary,
    unit: str,
    on: date,
) -> Reason:
    stage, count, people = found
    refs = [Ref(kind="unit", id=need.unit, name=unit)]
    skills_zh = library.catalogue.zh(need.skills) if need.skills else "相应技能"
    skills_en = library.catalogue.label(need.skills) if need.skills else "the skills"
    if stage == "skills":
        return Reason(
            zh=f"{need.name}：人才信息库中无人具备{skills_zh}。",
            en=f"{need.name}: no one in the talent library holds {skills_en}.",
            refs=refs,
        )
    if stage == "willing":
        return Reason(
            zh=f"{need.name}：具备{skills_zh}的{count}人在{on.isoformat()}均无相应服务意愿"
            f"或本期已无剩余时间。",
            en=f"{need.name}: none of the {count} people holding {skills_en} is willing to "
            f"serve it on {on.isoformat()} or has hours left in the span.",
            refs=refs,
        )
    if stage == "reach":
        return Reason(
            zh=f"{need.name}：有服务意愿的{count}人都不前往{unit}服务。",
            en=f"{need.name}: none of the {count} willing people serves in {unit}.",
            refs=refs,
        )
    if stage == "hours":
        return Reason(
            zh=f"{need.name}：可前往{unit}的{count}人本期剩余时间都不足{need.hours}小时。",
            en=f"{need.name}: none of the {count} people who serve in {unit} has "
            f"{need.hours} h left in the span.",
            refs=refs,
        )
    shown = "、".join(t.name for t in people[:5]) + ("等" if count > 5 else "")
    return Reason(
        zh=f"{need.name}：符合条件的{count}人（{shown}）本期均已排满其他需求。",
        en=f"{need.name}: all {count} eligible people ({shown}) are booked to capacity "
        f"by other needs.",
        refs=[
            *refs,
            *(Ref(kind=t.kind.ref_kind, id=t.id, name=t.name) for t in people[:5]),
        ],
    )
