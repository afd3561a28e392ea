"""Benchmark: routing a city's issues, against three baselines measured in this run.

The synthetic city of ``benchmarks/_city.py`` (default 200 communities → 2,000 grids → 20,000
micro-grids, 400,000 households) routes ≥ 200,000 generated issues with a rule set of 11
rules (gridgov's default rules plus four more) and the default responsibility matrix.

* ``route_many`` (compact results, streaming) and ``route`` (full assignment: deadlines,
  partners, leader and the readable reason) are timed;
* (a) the floor: a hand-written router over precomputed ancestor tuples and a capability
  dict — a loop over the rules as plain tuples, then a walk up the precomputed chain;
* (b) the same hand-written router, but finding the chain with a networkx predecessor walk
  on the grid's graph;
* (c) the ``rule-engine`` package evaluating the same rules (one ``rule_engine.Rule`` per
  routing rule, first match wins), then the floor's chain walk.  It is measured on a sample
  and reported per issue.

Every baseline's (unit, rule) is checked against gridgov's on the sample.
Targets: ``route_many`` ≥ 0.5x the floor and ≥ 20x rule-engine; ``route`` within 4x of the floor.
Run ``python benchmarks/routing.py`` (exits 1 on a missed target) or ``--smoke`` (CI; exits 0).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from _city import make_city
from _timing import interleaved
from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Channel,
    DeadlinePlanner,
    GridGraph,
    Issue,
    Match,
    Reporter,
    Router,
    RoutingRule,
    RuleSet,
    Severity,
    TimeLimit,
)

ROUTE_MANY_FLOOR_TARGET = 0.5
ROUTE_MANY_RULE_ENGINE_TARGET = 20.0
ROUTE_FLOOR_TARGET = 4.0

EXTRA_RULES = [
    RoutingRule(
        id="x-wish",
        name="micro-wishes at the grid",
        zh="微心愿到网格",
        match=Match(categories={"micro_wish"}, channels={Channel.DELIBERATION}),
        start_tier="grid",
        resolve_within=TimeLimit(amount=10, unit="days", basis="working"),
    ),
    RoutingRule(
        id="x-12345",
        name="12345 hand-offs at the community",
        zh="12345转办到社区",
        match=Match(channels={Channel.HOTLINE_12345}, min_severity=Severity.ATTENTION),
        start_tier="community",
        accept_within=TimeLimit(amount=2, unit="hours", basis="working"),
    ),
    RoutingRule(
        id="x-welfare",
        name="welfare at the grid",
        zh="民生救助到网格",
        match=Match(categories={"welfare"}, min_severity=Severity.ATTENTION),
        start_tier="grid",
    ),
    RoutingRule(
        id="x-volunteer",
        name="volunteer services",
        zh="志愿服务",
        match=Match(categories={"volunteer_service"}, max_severity=Severity.ATTENTION),
    ),
]
RULES = RuleSet(name="bench", rules=[*EXTRA_RULES, *DEFAULT_RULES.rules])


def make_issues(grid: GridGraph, n: int, seed: int = 0) -> list[Issue]:
    rnd = random.Random(seed)
    places = list(grid.places)
    codes = sorted(DEFAULT_CATALOGUE.codes)
    channels = list(Channel)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=CST)
    return [
        Issue(
            id=f"i{i}",
            category=rnd.choice(codes),
            severity=rnd.choice((1, 1, 1, 2, 2, 3, 4)),
            channel=rnd.choice(channels),
            place=rnd.choice(places),
            reporter=Reporter.resident("r"),
            reported_at=start + timedelta(minutes=rnd.randrange(60 * 24 * 300)),
        )
        for i in range(n)
    ]


# --------------------------------------------------------------------------- baselines


def category_ancestors() -> dict[str, frozenset[str]]:
    out = {}
    for c in DEFAULT_CATALOGUE:
        codes, code = set(), c.code
        while code is not None:
            codes.add(code)
            code = DEFAULT_CATALOGUE[code].parent
        out[c.code] = frozenset(codes)
    return out


def rule_tuples(grid: GridGraph) -> list[tuple[Any, ...]]:
    levels = grid.scheme.names
    return [
        (
            r.id,
            r.match.categories,
            int(r.match.min_severity),
            int(r.match.max_severity),
            r.match.channels,
            r.match.who.kinds,
            None if r.start_tier is None else levels.index(r.start_tier),
        )
        for r in RULES.rules
    ]


def capability(grid: GridGraph) -> dict[tuple[str, str], int]:
    return {
        (t, c.code): DEFAULT_MATRIX.limit(
            tier=t, unit=None, category=c.code, catalogue=DEFAULT_CATALOGUE, scheme=grid.scheme
        )
        for t in grid.scheme.names
        for c in DEFAULT_CATALOGUE
    }


def make_floor(
    grid: GridGraph, chain_of: Callable[[str], tuple[tuple[str, str], ...]]
) -> Callable[[Issue], tuple[str, str]]:
    """A hand-written router; *chain_of* maps a place to ((unit id, tier), ...) upward."""
    rules, cap, anc = rule_tuples(grid), capability(grid), category_ancestors()

    def route(issue: Issue) -> tuple[str, str]:
        cat, sev, ch = issue.category, int(issue.severity), issue.channel
        for rid, cats, lo, hi, chans, conds, start_level in rules:  # noqa: B007
            if cats and cats.isdisjoint(anc[cat]):
                continue
            if not lo <= sev <= hi or (chans and ch not in chans):
                continue
            if conds and issue.resident is None:
                continue
            break
        chain = chain_of(issue.place or "")
        i = 0 if start_level is None else max(0, len(chain) - 1 - start_level)
        while cap[(chain[i][1], cat)] < sev:
            i += 1
        return chain[i][0], rid

    return route


def floor_chains(grid: GridGraph) -> Callable[[str], tuple[tuple[str, str], ...]]:
    by_unit = {u.id: tuple((a.id, a.tier) for a in grid.chain(u.id)) for u in grid.units}
    ancestors = {pid: by_unit[uid] for pid, uid in grid.places.items()}
    return ancestors.__getitem__


def networkx_chains(grid: GridGraph) -> Callable[[str], tuple[tuple[str, str], ...]]:
    g, places, tier = grid.graph, dict(grid.places), {u.id: u.tier for u in grid.units}

    def chain(place: str) -> tuple[tuple[str, str], ...]:
        node = places[place]
        out = [(node, tier[node])]
        above = list(g.predecessors(node))
        while above:
            node = above[0]
            out.append((node, tier[node]))
            above = list(g.predecessors(node))
        return tuple(out)

    return chain


def make_rule_engine(grid: GridGraph) -> Callable[[Issue], tuple[str, str]]:
    import rule_engine

    anc = category_ancestors()
    compiled = []
    for rid, cats, lo, hi, chans, conds, start_level in rule_tuples(grid):
        parts = [f"severity >= {lo}", f"severity <= {hi}"]
        if cats:
            parts.append("(" + " or ".join(f"'{c}' in categories" for c in sorted(cats)) + ")")
        if chans:
            parts.append("channel in [" + ", ".join(f"'{c.value}'" for c in chans) + "]")
        if conds:
            parts.append("has_resident")
        compiled.append((rid, rule_engine.Rule(" and ".join(parts)), start_level))
    cap, chains = capability(grid), floor_chains(grid)

    def route(issue: Issue) -> tuple[str, str]:
        thing = {
            "severity": int(issue.severity),
            "categories": list(anc[issue.category]),
            "channel": issue.channel.value,
            "has_resident": issue.resident is not None,
        }
        for rid, rule, start_level in compiled:  # noqa: B007
            if rule.matches(thing):
                break
        chain = chains(issue.place or "")
        i = 0 if start_level is None else max(0, len(chain) - 1 - start_level)
        while cap[(chain[i][1], issue.category)] < int(issue.severity):
            i += 1
        return chain[i][0], rid

    return route


# --------------------------------------------------------------------------- measuring


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny size for CI; exits 0")
    parser.add_argument("--issues", type=int, default=None, help="default 200,000 (smoke 5,000)")
    parser.add_argument(
        "--households", type=int, default=None, help="default 400,000 (smoke 20,000)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="issues for route() and rule-engine (default 20,000; smoke 1,000)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="do not gc.freeze() the long-lived city and issues before timing",
    )
    args = parser.parse_args(argv)
    smoke = args.smoke
    n_issues = args.issues or (5_000 if smoke else 200_000)
    households = args.households or (20_000 if smoke else 400_000)
    sample_n = min(n_issues, args.sample or (1_000 if smoke else 20_000))
    communities, grids_per, micro_per = (20, 10, 10) if smoke else (200, 10, 10)

    units, places = make_city(communities, grids_per, micro_per, households)
    grid = GridGraph(version="bench", units=units, places=places)
    router = Router(grid=grid, rules=RULES, matrix=DEFAULT_MATRIX)
    issues = make_issues(grid, n_issues)
    sample = issues[:sample_n]
    floor = make_floor(grid, floor_chains(grid))
    nx_router = make_floor(grid, networkx_chains(grid))
    engine = make_rule_engine(grid)

    # Same answers first.
    ours = [(r.unit, r.rule) for r in router.route_many(sample)]
    for name, fn in (("floor", floor), ("networkx", nx_router), ("rule-engine", engine)):
        theirs = [fn(i) for i in sample]
        if theirs != ours:
            bad = next(k for k, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b)
            print(f"MISMATCH with {name} on {sample[bad]!r}: {ours[bad]} vs {theirs[bad]}")
            return 1
    planner = DeadlinePlanner(router.calendar)  # the caller's bounded deadline cache
    full = [router.route(i, planner=planner) for i in sample]
    assert full == [router.route(i) for i in sample]  # the cache changes nothing
    assert [(a.unit, a.rule) for a in full] == ours
    del full
    if not args.no_freeze:
        # The city's grid and the issues live for the whole run: move them out of the cyclic
        # GC's way, as a long-running app holding a city's grid would (gc.freeze()).  Every
        # contender below runs under the same setting.
        gc.collect()
        gc.freeze()

    # Contenders over the same issues take turns (best of --repeat rounds each), so a slow
    # spell of the machine slows them alike and the ratios hold.
    r = args.repeat
    t_many, t_floor, t_nx = interleaved(
        r,
        lambda: sum(1 for _ in router.route_many(issues)),
        lambda: [floor(i) for i in issues],
        lambda: [nx_router(i) for i in issues],
    )
    many, floor_ps, nx_ps = n_issues / t_many, n_issues / t_floor, n_issues / t_nx
    t_route, t_cold, t_floor_sample = interleaved(
        r,
        lambda: [router.route(i, planner=planner) for i in sample],
        lambda: [router.route(i) for i in sample],
        lambda: [floor(i) for i in sample],
    )
    route_ps, floor_sample_ps = sample_n / t_route, sample_n / t_floor_sample
    cold_ps = sample_n / t_cold
    engine_n = min(sample_n, 5_000)
    (t_engine,) = interleaved(1, lambda: [engine(i) for i in sample[:engine_n]])
    engine_ps = engine_n / t_engine

    print(f"gridgov routing benchmark: Python {sys.version.split()[0]}")
    print(
        "long-lived data "
        + ("left to the cyclic GC (--no-freeze)" if args.no_freeze else "frozen with gc.freeze()")
    )
    print(
        f"city: {len(grid.units_of('community')):,} communities, "
        f"{len(grid.units_of('micro_grid')):,} micro-grids, {len(grid.places):,} households; "
        f"{n_issues:,} issues, {len(RULES.rules)} rules"
    )
    print()
    print(f"{'':44}{'issues/s':>12}  {'vs floor':>9}")
    print(f"{'gridgov route_many (compact)':44}{many:12,.0f}  {many / floor_ps:9.2f}")
    print(
        f"{'gridgov route (deadlines, partners, reason)':44}{route_ps:12,.0f}  "
        f"{route_ps / floor_sample_ps:9.2f}"
    )
    print(
        f"{'  … without a DeadlinePlanner':44}{cold_ps:12,.0f}  {cold_ps / floor_sample_ps:9.2f}"
    )
    print(f"{'(a) floor: ancestor tuples + capability dict':44}{floor_ps:12,.0f}  {1:9.2f}")
    print(f"{'(b) networkx predecessor walk':44}{nx_ps:12,.0f}  {nx_ps / floor_ps:9.2f}")
    print(
        f"{'(c) rule-engine (on ' + format(engine_n, ',') + ' issues)':44}{engine_ps:12,.0f}  "
        f"{engine_ps / floor_ps:9.2f}"
    )
    print()
    checks = [
        (
            f"route_many ≥ {ROUTE_MANY_FLOOR_TARGET}x the floor",
            many / floor_ps,
            many / floor_ps >= ROUTE_MANY_FLOOR_TARGET,
        ),
        (
            f"route_many ≥ {ROUTE_MANY_RULE_ENGINE_TARGET:.0f}x rule-engine",
            many / engine_ps,
            many / engine_ps >= ROUTE_MANY_RULE_ENGINE_TARGET,
        ),
        (
            f"route within {ROUTE_FLOOR_TARGET:.0f}x of the floor (floor ÷ route)",
            floor_sample_ps / route_ps,
            floor_sample_ps / route_ps <= ROUTE_FLOOR_TARGET,
        ),
        ("route_many vs networkx walk", many / nx_ps, True),
    ]
    for label, ratio, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {ratio:.2f}x")
    missed = not all(ok for _, _, ok in checks)
    return 0 if smoke or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
