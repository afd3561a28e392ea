"""Benchmark: the 数字城管 and 三率 indicators per micro-grid per month, against pandas and scans.

The input is *n* closed cases (``--cases``, default 1,000,000; ≈ 8.4 events each) drawn by
a seeded generator (``benchmarks/_metrics_cases.py``) at the places of the fair kit's city
(``benchmarks/fair/city.py`` through ``_fairbench``; the 200k-household city: 2,000
micro-grids), reported over six months, built through gridgov's public API (``Issue`` →
``CaseOpened`` … ``Case``).  The build is timed on its own and compared with nothing.

Every contender computes, for every (micro-grid of the place, CST month the case counts
in, indicator) the numerator and the denominator of every indicator of the 数字城管 set and
the 三率 set (:data:`INDICATORS`), and all must agree on every count before anything is
timed (exit 1 otherwise, also under ``--smoke``):

* ``gridgov``: ``facts_of(cases, calendar=, dispatch_limit=)`` (one :class:`CaseFacts` per
  case, streamed) → one tally of the preset indicators per micro-grid and month → values,
  in one pass;
* ``pandas``: the same events turned into a flat event table (one row per event: case,
  event kind, moment, satisfaction given) and a case table (micro-grid, the month moment,
  the deadlines in force read from each case's record — the accept and resolve deadlines
  with paused time given back, and the dispatch deadline from the first acceptance, all on
  gridgov's ``WorkCalendar``: working time is not something a frame computes); then the
  indicators with vectorised groupbys (first/last moment and count per case and kind,
  per-case flags, one groupby-sum per micro-grid and month).  Building the two frames from
  the events is part of its timed work; the groupby part alone (frames prepared) is shown
  for information;
* ``separate scans``: the naive way, each indicator computed by its own pass over every
  case's events (each pass finds the moments and counts its numerator and denominator need,
  reads the same deadlines of the case record, and counts per micro-grid and month).

Timing: contenders in turns, the same rounds (``--rounds``, default 3), CPU time of the
process, gc on, a collection before each call, results kept until the round ends
(``_fairbench.rounds``).  Per-case costs are the medians over the rounds; ratios are taken
within each round (median and range).

Targets (full run): gridgov ≤ 3× pandas' time (frames built from the events included) and
≥ 10× faster than the separate scans.

Usage::

    python benchmarks/metrics.py                  # 1,000,000 cases (several GB; minutes)
    python benchmarks/metrics.py --cases 100000   # a smaller run
    python benchmarks/metrics.py --smoke          # 300 cases on the kit's tiny city (CI)
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

import _fairbench as F
import _metrics_cases as M
import _metrics_peers as P

FASTER_THAN_SCANS = 10.0
WITHIN_PANDAS = 3.0
SEED = 20261202

# --------------------------------------------------------------------------- the indicators
#
# Until gridgov's presets are merged, the peers check each other on these specs, written
# from DOMAIN.md's definitions in the vocabulary of gridgov.metrics' predicates.

S = P.Spec
Counts = P.Counts
PROVISIONAL: list[P.Spec] = [
    S("closing_rate", "due", (("closed", 1),), (("due", 1), ("deferred", -1)), (), ()),
    S(
        "on_time_closing_rate",
        "due",
        (("closed_on_time", 1),),
        (("due", 1), ("deferred", -1)),
        (),
        (),
    ),
    S("rework_rate", "due", (("reworked", 1),), (("due", 1),), (), ()),
    S("extension_rate", "due", (("extended", 1),), (("due", 1),), (), ()),
    S("overdue", "due", (("overdue", 1),), (), (), ()),
    S(
        "timely_acceptance_rate",
        "opened",
        (("accepted_on_time", 1),),
        (("accept_timed", 1),),
        ("accepted",),
        (),
    ),
    S(
        "timely_dispatch_rate",
        "opened",
        (("dispatched_on_time", 1),),
        (("dispatch_timed", 1),),
        ("dispatched",),
        (),
    ),
    S(
        "timely_disposal_rate",
        "resolved",
        (("resolved_on_time", 1),),
        (("resolve_timed", 1),),
        (),
        (),
    ),
    S("response_rate", "opened", (("responded", 1),), (("received", 1),), (), ()),
    S("solving_rate", "opened", (("resolved", 1),), (("received", 1),), (), ()),
    S("satisfaction_rate", "evaluated", (("satisfied", 1),), (("evaluated", 1),), (), ()),
]

# --------------------------------------------------------------------------- the run


def compare(name: str, theirs: Counts, mine: Counts) -> None:
    """Stop the run (exit 1) unless *theirs* gives the same counts as *mine*."""
    if theirs == mine:
        return
    keys = sorted(set(theirs) | set(mine))
    diff = [k for k in keys if theirs.get(k) != mine.get(k)]
    k = diff[0]
    sys.exit(
        f"metrics: {name} disagrees on {len(diff):,} of {len(keys):,} (micro-grid, month, "
        f"indicator) counts, e.g. {k}: {theirs.get(k)} vs {mine.get(k)}"
    )


def per_case(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:8.2f} µs/case"


def run(n_cases: int, households: int | None, n_rounds: int, smoke: bool) -> dict[str, bool]:
    preset = F.SMOKE if households is None else F.SIZES[households]
    city = F.generate(preset)
    grid = F.grid_of(city)
    places = list(grid.places)
    print(F.describe(city))
    start = time.process_time()
    cases = M.build_cases(grid, places, n_cases, SEED)
    built = time.process_time() - start
    n_events = sum(len(c.events) for c in cases)
    print(
        f"{n_cases:,} closed cases, {n_events:,} events ({n_events / n_cases:.2f} a case), "
        f"{len(set(grid.places.values())):,} "
        f"micro-grids; built in {built:.1f} s CPU ({built / n_cases * 1e6:.0f} µs/case, not timed "
        "against anything)"
    )

    specs = PROVISIONAL
    # answers first
    ev, cs = P.build_frames(cases)
    reference = P.pandas_counts(P.pandas_indicators(ev, cs, specs))
    compare("separate scans", P.scans(cases, specs), reference)
    print(f"answers: pandas and the separate scans agree on {len(reference):,} counts")

    contenders: list[tuple[str, Callable[[], Any]]] = [
        ("pandas (frames built)", lambda: P.pandas_indicators(*P.build_frames(cases), specs)),
        ("pandas groupby only", lambda: P.pandas_indicators(ev, cs, specs)),
        ("separate scans", lambda: P.scans(cases, specs)),
    ]
    times = F.rounds_by_name(contenders, n_rounds)
    for name, ts in times.items():
        print(f"  {name:24} {per_case(F.median(ts), n_cases)}  ({F.median(ts):.2f} s a round)")
    lo, mid, hi = F.ratio_range(times["separate scans"], times["pandas (frames built)"])
    print(f"  scans ÷ pandas: {F.show_range(lo, mid, hi)}")
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="300 cases, tiny city (CI; exits 0)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=200_000, choices=sorted(F.SIZES))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    n_cases = 300 if args.smoke else args.cases
    n_rounds = 1 if args.smoke else args.rounds
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}; gc enabled: "
        f"{gc.isenabled()}; {n_rounds} rounds; CPU time (time.process_time)"
    )
    met = run(n_cases, None if args.smoke else args.households, n_rounds, args.smoke)
    if args.smoke:
        print("(smoke size: figures are not representative)")
        return 0
    missed = [k for k, ok in met.items() if not ok]
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
