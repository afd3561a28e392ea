"""Benchmark: matching 5,000 needs to 20,000 people of one street, optimum against greedy.

The street is the subdistrict of the fair city at 20,000 households (``benchmarks/fair``,
via ``_fairbench``: 2 communities × 10 grids × 10 micro-grids); ``--smoke`` takes the first
subdistrict of the kit's tiny city.  On it, seeded (``random.Random(SEED)``):

* **people** — a talent library of residents at random micro-grids, one to three skills of
  :data:`gridgov.community.DEFAULT_SKILLS` (some at level 2 or 3), willingness of 2–8 hours
  a week or 8–24 a month, offering volunteer services or anything, travelling to their own
  grid, their community or the whole street; one in ten has a term that has not begun;
* **needs** — requests at random micro-grids, each needing one skill (a third at level 2),
  two hours, with the category of the skill where the catalogue has one, priority 1–2.

Contenders (each CPU-timed in turns over the rounds, results kept, gc on):

* ``gridgov``: :func:`gridgov.community.match_needs` — the exact optimum of the default
  :class:`~gridgov.community.MatchPolicy` (proximity 0/10/20/40/80, fairness 5 per extra
  assignment, 1,000 per unfilled place × priority), a min-cost flow over classes;
* ``greedy``: needs in order (priority, then id), each to the person it costs least to add
  right now (proximity + fairness × their load so far), under the same eligibility and the
  same capacity rule — what a hand-written dispatcher does.

Checked first, both ways: every placement eligible (skill and level, willingness in force
and offering the kind, the unit in reach), no one beyond their capacity, and each one's
total cost recomputed from its placements; then the optimum must cost no more than greedy
(exit 1 otherwise, also under ``--smoke``).  Printed: the time of each, their total costs,
places filled, and how much cheaper the optimum is.

Usage::

    python benchmarks/matching.py            # 5,000 needs × 20,000 people (about a minute)
    python benchmarks/matching.py --smoke    # 200 needs × 800 people; exits 0 unless wrong
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
from collections import defaultdict
from datetime import date

from _fairbench import SIZES, SMOKE, generate, grid_of, median, rounds
from gridgov import DEFAULT_CATALOGUE, GridGraph
from gridgov.community import (
    DEFAULT_MATCH_POLICY,
    DEFAULT_SKILLS,
    Matching,
    Need,
    SkillLevel,
    Span,
    Talent,
    TalentKind,
    TalentLibrary,
    Willingness,
    match_needs,
)

SEED = 20261202
ON = date(2026, 12, 2)
HOURS = 2


def street(smoke: bool) -> tuple[GridGraph, list[str]]:
    """The grid and the micro-grids of its first subdistrict."""
    grid = grid_of(generate(SMOKE if smoke else SIZES[20_000]))
    root = grid.roots[0].id
    micro = [u.id for u in grid.units_of("micro_grid") if grid.chain(u.id)[-1].id == root]
    return grid, micro


def instance(
    grid: GridGraph, micro: list[str], n_needs: int, n_people: int
) -> tuple[list[Need], TalentLibrary]:
    rng = random.Random(SEED)
    codes = sorted(DEFAULT_SKILLS.codes)
    talents = []
    for i in range(n_people):
        home = rng.choice(micro)
        skills = rng.sample(codes, rng.randint(1, 3))
        levels = [
            SkillLevel(skill=s, level=rng.randint(2, 3))
            for s in skills
            if DEFAULT_SKILLS[s].levels and rng.random() < 0.4
        ]
        chain = grid.chain(home)
        reach = rng.choice([{chain[1].id}, {chain[2].id}, set()])  # grid, community, street
        monthly = rng.random() < 0.3
        w = Willingness(
            hours=rng.randint(8, 24) if monthly else rng.randint(2, 8),
            per=Span.MONTH if monthly else Span.WEEK,
            kinds=rng.choice([{"volunteer_service"}, set()]),
            units=reach,
            start=date(2027, 1, 1) if rng.random() < 0.1 else None,
        )
        talents.append(
            Talent(
                id=f"r{i}",
                name=f"居民{i}",
                kind=TalentKind.RESIDENT,
                home=home,
                skills=skills,
                levels=levels,
                willingness=w,
            )
        )
    needs = []
    for i in range(n_needs):
        skill = rng.choice(codes)
        level = (
            [SkillLevel(skill=skill, level=2)]
            if DEFAULT_SKILLS[skill].levels and (rng.random() < 1 / 3)
            else []
        )
        needs.append(
            Need(
                id=f"n{i:05d}",
                name=f"需求{i}",
                unit=rng.choice(micro),
                hours=HOURS,
                skills={skill},
                levels=level,
                priority=rng.randint(1, 2),
                category=skill if skill in DEFAULT_CATALOGUE else None,
            )
        )
    return needs, TalentLibrary(talents=talents)


# --------------------------------------------------------------------------- the greedy peer


def eligible(t: Talent, n: Need, chain_ids: set[str], root: str) -> bool:
    w = t.willingness
    if not w.in_force(ON) or not w.offers(n.category, DEFAULT_CATALOGUE):
        return False
    if any(t.level(lv.skill) < lv.level for lv in n.levels) or not n.skills <= t.skills:
        return False
    return bool((w.units or {root}) & chain_ids)


def level(grid: GridGraph, unit: str, home: str) -> int:
    theirs = {u.id for u in grid.chain(home)}
    return next(
        (i for i, u in enumerate(grid.chain(unit)) if u.id in theirs), len(grid.chain(unit))
    )


def greedy(needs: list[Need], lib: TalentLibrary, grid: GridGraph) -> list[tuple[str, str]]:
    """Each need, most urgent first, to whoever costs least to add now."""
    policy = DEFAULT_MATCH_POLICY
    by_skill: dict[str, list[Talent]] = defaultdict(list)
    for t in lib.talents:
        for s in t.skills:
            by_skill[s].append(t)
    cap = {t.id: t.willingness.hours_per(Span.WEEK) // HOURS for t in lib.talents}
    load: dict[str, int] = defaultdict(int)
    out = []
    for n in sorted(needs, key=lambda n: (-n.priority, n.id)):
        chain = grid.chain(n.unit)
        chain_ids = {u.id for u in chain}
        best, best_cost = None, None
        for t in by_skill[min(n.skills)]:
            if load[t.id] >= cap[t.id] or not eligible(t, n, chain_ids, chain[-1].id):
                continue
            cost = policy.cost(level(grid, n.unit, t.home)) + policy.fairness * load[t.id]
            if best_cost is None or cost < best_cost:
                best, best_cost = t, cost
        if best is not None:
            load[best.id] += 1
            out.append((n.id, best.id))
    return out


# --------------------------------------------------------------------------- checks


def check(
    pairs: list[tuple[str, str]], needs: list[Need], lib: TalentLibrary, grid: GridGraph, who: str
) -> int:
    """Every placement eligible and within capacity; the total cost recomputed."""
    policy = DEFAULT_MATCH_POLICY
    by_id = {n.id: n for n in needs}
    load: dict[str, int] = defaultdict(int)
    filled: dict[str, int] = defaultdict(int)
    cost = 0
    for need, person in pairs:
        n, t = by_id[need], lib.talent(person)
        chain = grid.chain(n.unit)
        if not eligible(t, n, {u.id for u in chain}, chain[-1].id):
            sys.exit(f"MISMATCH: {who} placed {need} with {person}, who may not take it")
        load[person] += 1
        filled[need] += 1
        cost += policy.cost(level(grid, n.unit, t.home))
    for person, k in load.items():
        if k * HOURS > lib.talent(person).willingness.hours_per(Span.WEEK):
            sys.exit(f"MISMATCH: {who} booked {person} beyond their hours")
    cost += sum(policy.fairness * k * (k - 1) // 2 for k in load.values())
    cost += sum(policy.unmatched * n.priority * (n.people - filled[n.id]) for n in needs)
    return cost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Matching needs to people: optimum vs greedy.")
    parser.add_argument("--smoke", action="store_true", help="200 needs × 800 people")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    args = parser.parse_args(argv)
    n_needs, n_people = (200, 800) if args.smoke else (5_000, 20_000)
    grid, micro = street(args.smoke)
    needs, lib = instance(grid, micro, n_needs, n_people)
    print(
        f"gridgov matching benchmark{' (smoke size)' if args.smoke else ''}: Python "
        f"{platform.python_version()}; {n_needs:,} needs × {n_people:,} people in one street "
        f"({len(micro)} micro-grids); {args.repeat} rounds in turns, results kept, gc on"
    )

    def optimum() -> Matching:
        return match_needs(needs, lib, grid, on=ON, span=Span.WEEK)

    m = optimum()
    mine = [(a.need, a.person) for a in m.assignments]
    best = check(mine, needs, lib, grid, "gridgov")
    if best != m.total_cost:
        sys.exit(f"MISMATCH: gridgov says {m.total_cost:,}, its placements cost {best:,}")
    theirs = greedy(needs, lib, grid)
    worse = check(theirs, needs, lib, grid, "greedy")
    if best > worse:
        sys.exit(f"MISMATCH: the optimum costs {best:,}, more than greedy's {worse:,}")
    t_opt, t_greedy = rounds(args.repeat, optimum, lambda: greedy(needs, lib, grid))
    print(f"{'contender':<10} {'CPU s (median)':>15} {'total cost':>12} {'places filled':>14}")
    print(f"{'gridgov':<10} {median(t_opt):>15.2f} {best:>12,} {len(mine):>14,}")
    print(f"{'greedy':<10} {median(t_greedy):>15.2f} {worse:>12,} {len(theirs):>14,}")
    saved = worse - best
    print(
        f"the optimum costs {saved:,} less than greedy ({saved / worse:.1%} of greedy's cost), "
        f"fills {len(mine) - len(theirs):+,} places; time ÷ greedy "
        f"{median(t_opt) / median(t_greedy):.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
