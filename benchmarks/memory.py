"""Benchmark: memory while routing a million issues whose timestamps span fifty years.

Routing keeps no memo inside any value: a router's compiled tables are built once, and the
only cache — the caller's :class:`~gridgov.DeadlinePlanner` — is bounded (``size`` results of
each of its three kinds).  This script routes ``--issues`` issues (default 1,000,000; smoke
20,000) reported at random moments over fifty years, with one planner, keeping no results,
and prints the planner's size after every tenth of the run and the growth of the process's
resident memory.  It fails (exit 1) if the planner ever holds more than its bound or the
resident memory grows by more than ``--max-growth-mb`` (default 64 MB) after the first tenth.

The city is the fair kit's (``benchmarks/fair/city.py`` through ``_fairbench``), 20,000
households by default (``--households 200000`` or ``2000000`` for the larger ones; the size
that matters here is the number of issues, and the planner's bound does not depend on the
city).  This benchmark has no peer to race: it measures a bound, over a warm steady state on
purpose (one planner for the whole run, as an app keeps one).  Before the run it checks that
routing with the planner gives the same assignments as routing without one (cold, no
planner) for the first ``--check`` issues (default 2,000); if not, it stops with exit 1.
gc is enabled as a user has it (never frozen).

Run ``python benchmarks/memory.py`` or ``--smoke`` (CI; exits 0 unless the bound is broken).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import _fairbench as F
from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Channel,
    DeadlinePlanner,
    GridGraph,
    Issue,
    Reporter,
    Router,
)


def rss_mb() -> float:
    """The resident set size of this process, in MB (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
    except OSError:  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def issues(grid: GridGraph, n: int, years: int, seed: int = 0) -> Iterator[Issue]:
    rnd = random.Random(seed)
    places = list(grid.places)
    codes = sorted(DEFAULT_CATALOGUE.codes)
    channels = list(Channel)
    start = datetime(2000, 1, 1, tzinfo=CST)
    minutes = years * 365 * 24 * 60
    reporter = Reporter.resident("r")
    for i in range(n):
        yield Issue(
            id=f"i{i}",
            category=rnd.choice(codes),
            severity=rnd.choice((1, 1, 1, 2, 2, 3, 4)),
            channel=rnd.choice(channels),
            place=rnd.choice(places),
            reporter=reporter,
            reported_at=start + timedelta(minutes=rnd.randrange(minutes)),
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a small run for CI")
    parser.add_argument("--issues", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--years", type=int, default=50)
    parser.add_argument("--size", type=int, default=65_536, help="the planner's bound")
    parser.add_argument("--max-growth-mb", type=float, default=64.0)
    parser.add_argument(
        "--households",
        type=int,
        default=20_000,
        choices=sorted(F.SIZES),
        help="the fair city's size (default 20,000)",
    )
    parser.add_argument(
        "--check", type=int, default=2_000, help="issues checked against routing without a planner"
    )
    args = parser.parse_args(argv)
    n = args.issues or (20_000 if args.smoke else 1_000_000)

    city = F.generate(F.SMOKE if args.smoke else F.SIZES[args.households])
    grid = F.grid_of(city, version="memory")
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    planner = DeadlinePlanner(router.calendar, size=args.size)
    bound = 3 * args.size

    print(f"gridgov memory benchmark: Python {sys.version.split()[0]}")
    print(F.describe(city))
    del city
    checked = list(issues(grid, min(args.check, n), args.years))
    with_planner = [router.route(issue, planner=planner) for issue in checked]
    without = [router.route(issue) for issue in checked]
    if with_planner != without:
        bad = next(i for i, (a, b) in enumerate(zip(with_planner, without, strict=True)) if a != b)
        print(f"MISMATCH: issue {checked[bad].id} routes differently with the planner")
        return 1
    print(f"{len(checked):,} issues route the same with the planner as without one (cold)")
    planner = DeadlinePlanner(router.calendar, size=args.size)  # a fresh one for the run
    del checked, with_planner, without
    print(
        f"routing {n:,} issues over {args.years} years on {len(grid.places):,} households; "
        f"one DeadlinePlanner of size {args.size:,} (bound {bound:,} results), results dropped"
    )
    print()
    print(f"{'issues routed':>14}  {'planner results':>16}  {'RSS MB':>8}")
    start_rss = rss_mb()
    after_first: float | None = None
    worst = 0
    step = max(1, n // 10)
    cpu = time.process_time()
    ok = True
    for k, issue in enumerate(issues(grid, n, args.years), start=1):
        router.route(issue, planner=planner)
        if k % step == 0 or k == n:
            held = len(planner)
            worst = max(worst, held)
            rss = rss_mb()
            if after_first is None:
                after_first = rss
            print(f"{k:>14,}  {held:>16,}  {rss:>8.1f}")
            if held > bound:
                ok = False
    cpu = time.process_time() - cpu
    end_rss = rss_mb()
    growth = end_rss - (after_first if after_first is not None else start_rss)
    print()
    print(
        f"CPU time {cpu:.1f} s, {cpu / n * 1e6:.1f} µs per issue routed (with the warm planner, "
        "issues generated on the way included)"
    )
    print(
        f"RSS at start {start_rss:.1f} MB, after the first tenth {after_first:.1f} MB, "
        f"at the end {end_rss:.1f} MB: growth after the first tenth {growth:+.1f} MB"
    )
    print(
        f"{'PASS' if worst <= bound else 'FAIL'}  planner within its bound: {worst:,} ≤ {bound:,}"
    )
    grew = growth <= args.max_growth_mb
    print(f"{'PASS' if grew else 'FAIL'}  RSS growth ≤ {args.max_growth_mb:g} MB: {growth:+.1f} MB")
    return 0 if ok and (grew or args.smoke) else 1


if __name__ == "__main__":
    sys.exit(main())
