"""Benchmark: routing a city's issues, beside the fair peers, at three sizes.

The city is the shared kit's seeded synthetic city (``benchmarks/fair/city.py``), drawn in
gridgov: a five-tier scheme (district → subdistrict → community → grid → micro-grid), one
place per household in its micro-grid, the kit's 8 categories and its ten routing rules
(first match wins, most senior first, as the peers read them; then a rule that reads the
resident's file, and the default).  Each unit's capability set becomes the responsibility
matrix: a line per tier for what every unit of the tier handles, and per-unit override lines
for the rest (~12,700 lines at 2 M households); the district is the catch-all (兜底).  The
city also has a leader per unit, partners (物业 and health centres per community, a police
station per subdistrict) and residents' files for the residents elder-care issues concern.

Contenders, each checked to give the same responsible unit as gridgov on every timed issue
before anything is timed (the benchmark stops with an error otherwise):

* ``route_many`` — gridgov's batch router (compact ``Routed`` results);
* ``route`` — gridgov's full ``Assignment`` with the residents' files, as a user gets it: the
  decision stored, the reason, deadlines, partners and leader derived when read (nothing
  memoised: **cold** whatever the round);
* ``route + in_full`` — the same, then ``Assignment.in_full()``: every derived field (reason,
  both deadlines on the working calendar, partners, leader) derived once and stored — the
  whole explanation, for information;
* ``route (planner, cold)`` / ``route (planner, warm)`` — with a ``DeadlinePlanner`` (the batch
  form: the deadlines computed at routing through the planner's memo), fresh each round /
  kept across rounds (a steady state);
* the lookup-table floor (``peers.r_floor_route_table``): everything precomputed,
  ``route[mg][cat][sev]`` — no rules, no explanation, only the unit;
* the tuples floor (``peers.r_floor_tuples``): ancestor tuples, a capability dict and a
  (category, severity) start table;
* networkx (``peers.r_nx_pred_walk``): a predecessor walk on the unit tree per issue;
* rule-engine (``peers.r_rule_engine_first``): the same ten rules as ``rule_engine.Rule`` s,
  first match, then the floor's chain walk.

Every contender runs over the same issues, the same number of interleaved rounds, keeps its
results in a list, and runs with the cyclic GC on (no ``gc.freeze()``); CPU time
(``time.process_time``).  The build of the city in gridgov (``GridGraph``, matrix,
``Router``) is timed at each size too, with its per-item cost.

Targets at 2 M households: ``route_many`` ≥ 20× rule-engine and ≤ 2× the lookup-table
floor's time; ``route`` ≤ 4× that floor; ``Router`` build ≤ 3 s, and its per-unit
cost flat (within 2×) from 20k to 2 M households.

Run ``python benchmarks/routing.py`` (all three sizes; exits 1 on a missed target),
``--sizes 2M`` for one, or ``--smoke`` (the tiny city, a few seconds; exits 0).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent / "fair"))

import city as kit
import peers

from _fairbench import ratio_range
from _fairbench import rounds_by_name as rounds
from gridgov import (
    CST,
    Category,
    CategoryCatalogue,
    Channel,
    Condition,
    Criteria,
    DeadlinePlanner,
    GridGraph,
    GridUnit,
    Issue,
    Match,
    Member,
    Partner,
    PartnerKind,
    Post,
    Reporter,
    Resident,
    ResidentFiles,
    Responsibility,
    ResponsibilityMatrix,
    Role,
    Router,
    RoutingRule,
    RuleSet,
    Tier,
    TierScheme,
    TimeLimit,
)

SIZES: dict[str, str | dict[str, int]] = {
    "20k": {"C": 2, "G": 10, "M": 10, "H": 100, "communities_per_subdistrict": 10},
    "200k": "medium",
    "2M": "large",
}
ISSUES = 200_000
ROUNDS = 5

MANY_VS_ENGINE = 20.0  # route_many at least this many times faster than rule-engine
MANY_VS_FLOOR = 2.0  # route_many's time at most this many times the lookup-table floor's
ROUTE_VS_FLOOR = 4.0  # route()'s time at most this many times the floor's
BUILD_SECONDS = 3.0  # Router build at 2 M households
BUILD_FLAT = 2.0  # per-unit build cost, largest over smallest size

TIERS = ("district", "subdistrict", "community", "grid", "micro_grid")
SCHEME = TierScheme(
    name="city5",
    tiers=[
        Tier(name=n, label=n.replace("_", "-").capitalize(), zh=zh)
        for n, zh in zip(TIERS, ("区", "街道", "社区", "网格", "微网格"), strict=True)
    ],
)
LEADS = (Role.SUBDISTRICT_HEAD, Role.SUBDISTRICT_HEAD, Role.SECRETARY, Role.GRID_LEADER,
         Role.MICRO_GRID_LEADER)
CATALOGUE = CategoryCatalogue(
    name="kit",
    categories=[
        Category(code=c, label=c.replace("_", " "), zh=zh)
        for c, zh in zip(
            kit.CATEGORIES,
            ("环境卫生", "噪音扰民", "设施维修", "养老照护", "矛盾纠纷", "安全隐患", "医疗求助",
             "火灾隐患"),
            strict=True,
        )
    ],
)
# What the rules link (联动) and the deadlines they set: the enrichment route() does.
LINKS: dict[str | None, frozenset[PartnerKind]] = {
    "fire_hazard": frozenset({PartnerKind.POLICE_STATION, PartnerKind.PROPERTY_MANAGEMENT}),
    "medical": frozenset({PartnerKind.HEALTH_CENTRE}),
    "safety": frozenset({PartnerKind.POLICE_STATION}),
    None: frozenset({PartnerKind.POLICE_STATION, PartnerKind.PROPERTY_MANAGEMENT}),
    "repair": frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
    "sanitation": frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
}


def ten_rules() -> RuleSet:
    """The kit's ten rules as gridgov rules (in the kit's order: most senior first, so the
    first match is the peers' answer), a rule reading the resident's file, the default."""
    rules = []
    for n, (cat, sev, tier) in enumerate(kit.ROUTING_RULES):
        urgent = tier <= kit.T_COMMUNITY
        rules.append(
            RoutingRule(
                id=f"k{n + 1}",
                name=f"{cat or 'any'} from severity {sev} at the {TIERS[tier]}",
                match=Match(categories={cat} if cat else (), min_severity=sev),
                start_tier=TIERS[tier],
                link=LINKS.get(cat, frozenset()),
                accept_within=TimeLimit.natural_hours(1 if urgent else 2),
                resolve_within=(
                    TimeLimit.natural_hours(24) if urgent else TimeLimit.working_days(3)
                ),
            )
        )
    # Elder care for a resident living alone: where the default would send it (so the peers'
    # answer holds), but linking the health centre with a same-day deadline.
    rules.append(
        RoutingRule(
            id="alone",
            name="elder care for residents living alone",
            zh="独居老人照护当日响应",
            match=Match(categories={"elderly_care"}, who=Criteria(conditions_any={"living_alone"})),
            link=frozenset({PartnerKind.HEALTH_CENTRE}),
            accept_within=TimeLimit.natural_hours(2),
            resolve_within=TimeLimit.working_days(1),
        )
    )
    rules.append(
        RoutingRule(
            id="default",
            name="everything else, where it is located",
            accept_within=TimeLimit.working_days(1),
            resolve_within=TimeLimit.working_days(13),
        )
    )
    return RuleSet(name="kit", rules=rules)


RULES = ten_rules()


class Drawn:
    """The kit's city drawn in gridgov, and how long each build took (seconds)."""

    grid: GridGraph
    matrix: ResponsibilityMatrix
    router: Router
    unit_ids: list[str]
    build: dict[str, float]


def tier_lines(city: kit.City) -> dict[int, frozenset[str]]:
    """What every unit of each tier may handle (the rest are per-unit overrides)."""
    return {
        t: frozenset.intersection(*(city.caps[u] for u in city.tier_range[t]))
        for t in range(len(TIERS))
    }


def draw(city: kit.City) -> Drawn:
    """Build the city in gridgov, timing the GridGraph, the matrix and the Router."""
    ids = [f"u{u}" for u in range(city.n_units)]
    parent, tier = city.parent, city.tier
    units = [
        GridUnit(id=ids[u], name=f"{SCHEME.tiers[tier[u]].zh}{u}", tier=TIERS[tier[u]],
                 parent=None if parent[u] < 0 else ids[parent[u]])
        for u in range(city.n_units)
    ]
    places = dict(zip((f"h{h}" for h in range(city.n_households)),
                      map(ids.__getitem__, city.hh_mg), strict=True))
    members = [
        Member(id=f"m{u}", name=f"组长{u}", posts=[Post(role=LEADS[tier[u]], unit=ids[u])])
        for u in range(city.n_units)
    ]
    partners = []
    for c in city.tier_range[kit.T_COMMUNITY]:
        partners.append(Partner(id=f"p-wy{c}", name=f"物业{c}",
                                kind=PartnerKind.PROPERTY_MANAGEMENT,
                                categories={"sanitation", "repair", "fire_hazard"},
                                units={ids[c]}))
        partners.append(Partner(id=f"p-ws{c}", name=f"卫生服务站{c}",
                                kind=PartnerKind.HEALTH_CENTRE,
                                categories={"medical", "elderly_care"}, units={ids[c]}))
    for s in city.tier_range[kit.T_SUBDISTRICT]:
        partners.append(Partner(id=f"p-pcs{s}", name=f"派出所{s}",
                                kind=PartnerKind.POLICE_STATION,
                                categories={"safety", "dispute", "fire_hazard"}, units={ids[s]}))
    common = tier_lines(city)
    lines = [
        Responsibility(tier=TIERS[t], category=c, max_severity=4)
        for t in range(1, len(TIERS))
        for c in sorted(common[t])
    ]
    lines += [
        Responsibility(unit=ids[u], category=c, max_severity=4)
        for u in range(city.n_units)
        if tier[u] > 0
        for c in sorted(city.caps[u] - common[tier[u]])
    ]
    out = Drawn()
    out.unit_ids = ids
    out.build = {}
    for _ in range(3):  # best of three; the results of the last are kept
        gc.collect()
        t0 = time.process_time()
        out.grid = GridGraph(version="kit", scheme=SCHEME, units=units, places=places,
                             members=members, partners=partners)
        t1 = time.process_time()
        out.matrix = ResponsibilityMatrix(name="kit caps", entries=lines, top_catch_all=True)
        t2 = time.process_time()
        out.router = Router(grid=out.grid, rules=RULES, matrix=out.matrix, catalogue=CATALOGUE)
        t3 = time.process_time()
        for key, t in (("grid", t1 - t0), ("matrix", t2 - t1), ("router", t3 - t2)):
            out.build[key] = min(out.build.get(key, float("inf")), t)
    out.build["lines"] = len(lines)
    out.build["overrides"] = len(out.matrix.overridden_units)
    return out


def make_issues(
    city: kit.City, raw: list[tuple[int, int, str, int]], seed: int
) -> tuple[list[Issue], ResidentFiles]:
    """gridgov issues for the kit's issue tuples (same household, category and severity),
    with seeded channels and report times; elder-care issues concern the household's first
    resident, whose file (age, living alone) is given."""
    rnd = random.Random(seed)
    channels = list(Channel)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=CST)
    first, ages, flags = city.hh_first_res, city.res_age, city.res_flags
    issues, files = [], {}
    for i, hh, cat, sev in raw:
        resident = None
        if cat == "elderly_care":
            rid = first[hh]
            resident = f"r{rid}"
            if resident not in files:
                born = date(city.ref_date.year - ages[rid] - 1, 1 + rid % 12, 1 + rid % 28)
                alone = [Condition(kind="living_alone")] if flags[rid] & kit.ALONE else []
                files[resident] = Resident(id=resident, name=f"居民{rid}", household=f"h{hh}",
                                           birth_date=born, conditions=alone)
        issues.append(
            Issue(
                id=f"i{i}",
                category=cat,
                severity=sev,
                channel=rnd.choice(channels),
                place=f"h{hh}",
                resident=resident,
                reporter=Reporter.resident(resident or f"r{first[hh]}"),
                reported_at=start + timedelta(minutes=rnd.randrange(60 * 24 * 365)),
            )
        )
    return issues, ResidentFiles(files.values())


def peer_structures(city: kit.City) -> Any:
    """What the peers route with, built by the kit's own functions (the unit tree for
    networkx: the predecessor walk never reaches a household node)."""
    if peers.rule_engine is None:
        raise SystemExit(f"rule-engine is needed (pip install rule-engine): {peers.RULE_ENGINE_ERR}")
    s = peers.S()
    s.hh2mg = peers.build_hh2mg(city)
    s.anc, s.caps, s.start = peers.build_floor(city)
    s.route = peers.build_route_table(city, s.anc, s.caps, s.start)
    s.G = peers.build_nx_tree(city)
    s.root = city.root
    s.re_rules = tuple(
        (peers.rule_engine.Rule(peers.rule_text(c, sv)), t) for c, sv, t in kit.ROUTING_RULES
    )
    return s


# --------------------------------------------------------------------------- measuring




def measure(size: str, preset: str | dict[str, int], n_issues: int, n_rounds: int) -> dict[str, Any]:
    city = kit.generate(preset)
    drawn = draw(city)
    router, ids = drawn.router, drawn.unit_ids
    raw = city.issues(n_issues)
    issues, files = make_issues(city, raw, seed=city.seed + 2)
    s = peer_structures(city)

    # Same answers first: every contender, every issue.
    ours = [unit for _, unit, _, _ in router.route_many(issues, residents=files)]
    full = [router.route(i, residents=files) for i in issues]
    if [a.unit for a in full] != ours:
        raise SystemExit("route() and route_many() disagree")
    for name, fn in (
        ("floor_route_table", peers.r_floor_route_table),
        ("floor_tuples", peers.r_floor_tuples),
        ("nx_pred_walk", peers.r_nx_pred_walk),
        ("rule_engine_first", peers.r_rule_engine_first),
    ):
        theirs = [ids[u] for u in fn(raw, s)]
        if theirs != ours:
            k = next(k for k, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b)
            raise SystemExit(f"MISMATCH: {name} says {theirs[k]} for {raw[k]}, gridgov {ours[k]}")
    stats = {
        "moved": sum(a.moved_by_matrix for a in full),
        "partners": sum(bool(a.partners) for a in full),
        "alone": sum(a.rule == "alone" for a in full),
    }
    del full

    warm = DeadlinePlanner(router.calendar)
    for i in issues:  # the warm planner has seen these issues once
        router.route(i, residents=files, planner=warm)
    cases: list[tuple[str, Callable[[], list[Any]]]] = [
        ("route_many", lambda: list(router.route_many(issues, residents=files))),
        ("floor_route_table", lambda: peers.r_floor_route_table(raw, s)),
        ("route", lambda: [router.route(i, residents=files) for i in issues]),
        ("floor_tuples", lambda: peers.r_floor_tuples(raw, s)),
        ("route + in_full", lambda: _route_and_read(router, issues, files)),
        ("nx_pred_walk", lambda: peers.r_nx_pred_walk(raw, s)),
        ("route (planner, cold)", lambda: _route_all(router, issues, files, None)),
        ("rule_engine_first", lambda: peers.r_rule_engine_first(raw, s)),
        ("route (planner, warm)", lambda: _route_all(router, issues, files, warm)),
    ]
    times = rounds(cases, n_rounds)
    return {
        "size": size,
        "households": city.n_households,
        "units": city.n_units,
        "issues": len(issues),
        "files": len(files),
        "stats": stats,
        "build": drawn.build,
        "times": times,
    }


def _route_and_read(router: Router, issues: list[Issue], files: ResidentFiles) -> list[Any]:
    """Route each issue and have every field the assignment derives derived and stored
    (``Assignment.in_full``, the way to read them all)."""
    return [router.route(i, residents=files).in_full() for i in issues]


def _route_all(
    router: Router, issues: list[Issue], files: ResidentFiles, planner: DeadlinePlanner | None
) -> list[Any]:
    route = router.route
    planner = DeadlinePlanner(router.calendar) if planner is None else planner  # cold: fresh
    return [route(i, residents=files, planner=planner) for i in issues]




def report(res: dict[str, Any]) -> list[tuple[str, float, bool]]:
    n, t, b = res["issues"], res["times"], res["build"]
    print(
        f"\n== {res['size']}: {res['households']:,} households, {res['units']:,} units, "
        f"{b['lines']:,} matrix lines ({b['overrides']:,} units with overrides); "
        f"{n:,} issues, {res['files']:,} residents' files; "
        f"{res['stats']['moved']:,} moved up by the matrix, {res['stats']['partners']:,} "
        f"with partners, {res['stats']['alone']:,} by the file rule"
    )
    print(
        f"build (best of 3): GridGraph {b['grid']:.3f} s "
        f"({b['grid'] / res['households'] * 1e6:.2f} µs/household), matrix {b['matrix']:.3f} s "
        f"({b['matrix'] / b['lines'] * 1e6:.2f} µs/line), Router {b['router']:.3f} s "
        f"({b['router'] / res['units'] * 1e6:.2f} µs/unit)"
    )
    floor = t["floor_route_table"]
    print(f"{'contender':24}{'µs/issue (median, min–max)':>30}{'÷ lookup-table floor':>26}")
    for name, ts in t.items():
        med = statistics.median(ts) / n * 1e6
        lo, mid, hi = ratio_range(ts, floor)
        print(
            f"{name:24}{med:12.3f} ({min(ts) / n * 1e6:.3f}–{max(ts) / n * 1e6:.3f})"
            f"{mid:14.2f} ({lo:.2f}–{hi:.2f})"
        )
    many = t["route_many"]
    engine = ratio_range(t["rule_engine_first"], many)
    vs_floor = ratio_range(many, floor)
    route = ratio_range(t["route"], floor)
    print(
        f"route_many is {engine[1]:.1f}× rule-engine ({engine[0]:.1f}–{engine[2]:.1f}), "
        f"{vs_floor[1]:.2f}× the floor's time; route {route[1]:.2f}× the floor's time"
    )
    if res["size"] != "2M":
        return []  # the targets are set at 2 M households; smaller sizes show the growth
    return [
        (f"{res['size']}: route_many ≥ {MANY_VS_ENGINE:.0f}× rule-engine", engine[1],
         engine[1] >= MANY_VS_ENGINE),
        (f"{res['size']}: route_many ≤ {MANY_VS_FLOOR:.0f}× the floor's time", vs_floor[1],
         vs_floor[1] <= MANY_VS_FLOOR),
        (f"{res['size']}: route ≤ {ROUTE_VS_FLOOR:.0f}× the floor's time", route[1],
         route[1] <= ROUTE_VS_FLOOR),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the tiny city, for CI; exits 0")
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help=f"comma-separated, of {', '.join(SIZES)} (default all)")
    parser.add_argument("--issues", type=int, default=None, help=f"default {ISSUES:,}")
    parser.add_argument("--rounds", type=int, default=None, help=f"default {ROUNDS}")
    args = parser.parse_args(argv)
    if args.smoke:
        plan: list[tuple[str, str | dict[str, int]]] = [("tiny", "tiny")]
    else:
        plan = [(k, SIZES[k]) for k in args.sizes.split(",")]
    n_issues = args.issues or (2_000 if args.smoke else ISSUES)
    n_rounds = args.rounds or (2 if args.smoke else ROUNDS)
    print(f"gridgov routing benchmark: Python {sys.version.split()[0]}; CPU time; gc on, "
          f"not frozen; results kept; {n_rounds} interleaved rounds")
    results = [measure(size, preset, n_issues, n_rounds) for size, preset in plan]
    checks = [c for res in results for c in report(res)]
    big = next((r for r in results if r["size"] == "2M"), None)
    if big is not None:
        secs = big["build"]["router"]
        checks.append((f"2M: Router build ≤ {BUILD_SECONDS:.0f} s", secs, secs <= BUILD_SECONDS))
    if len(results) > 1:
        per = [r["build"]["router"] / r["units"] for r in results]
        spread = max(per) / min(per)
        checks.append((f"Router build per unit flat within {BUILD_FLAT:.0f}× across sizes",
                       spread, spread <= BUILD_FLAT))
    print()
    for label, value, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {value:.2f}")
    missed = not all(ok for _, _, ok in checks)
    return 0 if args.smoke or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
