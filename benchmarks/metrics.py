"""Benchmark: the 数字城管 and 三率 indicators per micro-grid per month, against pandas and scans.

The input is *n* closed cases (``--cases``, default 1,000,000; ≈ 8.4 events each) drawn by
a seeded generator (``benchmarks/_metrics_cases.py``) at the places of the fair kit's city
(``benchmarks/fair/city.py`` through ``_fairbench``; the 200k-household city: 2,000
micro-grids), reported over six months, built through gridgov's public API (``Issue`` →
``CaseOpened`` … ``Case``).  The build is timed on its own and compared with nothing.

Every contender computes, for every unit of the place (the micro-grid, and each unit above
it in the chain the case was filed along) and CST month the case counts in, the numerator
and the denominator of every indicator of gridgov's presets (:data:`COLUMNS`: the 数字城管
set, 立案数, the 三率), and all must agree on every count before anything is timed (exit 1
otherwise, also under ``--smoke``):

* ``gridgov``: ``tally_cases(cases, COLUMNS, calendar=, dispatch_limit=, ...)`` (the facts
  of each case streamed into ``tally`` of the presets by place and month; none of them
  reads 按期结案(不计延期), so the facts skip that replay) → ``evaluate`` (values and the two
  composites as a ``Table``), in one pass;
* ``pandas``: the same events turned into a flat event table (one row per event: case,
  event kind, moment, the resident's view if given) and a case table (the filed chain, the
  report moment, the deadlines in force read from each case's record — the accept and
  resolve deadlines with paused time given back, and the dispatch deadline from the first
  acceptance, all on gridgov's ``WorkCalendar``: working time is not something a frame
  computes — and the severity); then the indicators with vectorised groupbys (first/last
  moment and count per case and kind, per-case flags for each vocabulary predicate, one
  groupby-sum per counting moment over chain and month, rolled up the chain).  Building
  the two frames from the events is part of its timed work; the groupby part alone (frames
  prepared) is shown for information;
* ``separate scans``: the naive way, each indicator computed by its own pass over every
  case's events (each pass finds the moment, the filters and the terms its indicator
  needs, each by a walk over the events, reads the same deadlines of the case record, and
  counts per unit of the chain and month).

The peers' code is in ``benchmarks/_metrics_peers.py``; they read each indicator as a spec
of vocabulary names (:func:`_metrics_peers.spec_of`) and compute every predicate and moment
themselves.

Timing: contenders in turns, the same rounds (``--rounds``, default 3), CPU time of the
process, gc on, a collection before each call, results kept until the round ends
(``_fairbench.rounds``).  Per-case costs are the medians over the rounds; ratios are taken
within each round (median and range).

Targets (full run): gridgov ≤ 3× pandas' time (frames built from the events included) and
≥ 10× faster than the separate scans.

Usage::

    python benchmarks/metrics.py                  # 1,000,000 cases (several GB; minutes)
    python benchmarks/metrics.py --cases 100000   # a smaller run
    python benchmarks/metrics.py --no-scans       # without the separate scans (shorter)
    python benchmarks/metrics.py --smoke          # 300 cases on the kit's tiny city (CI)
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

import _fairbench as F
import _metrics_cases as M
import _metrics_peers as P
from gridgov.cases import Case
from gridgov.metrics import (
    ACCEPTED_COUNT,
    DIGITAL_CITY,
    HOTLINE_12345,
    Attribution,
    CaseFacts,
    Composite,
    Grain,
    Indicator,
    Table,
    digital_city_score,
    evaluate,
    facts_of,
    hotline_score,
    tally,
    tally_cases,
)

FASTER_THAN_SCANS = 10.0
WITHIN_PANDAS = 3.0
SEED = 20261202

# --------------------------------------------------------------------------- the indicators

#: What every contender computes: the 数字城管 set, 立案数 and the 综合指标值, and the 三率
#: with their weighted score: gridgov's presets as they are.
COLUMNS: tuple[Indicator | Composite, ...] = (
    *DIGITAL_CITY,
    ACCEPTED_COUNT,
    digital_city_score(),
    *HOTLINE_12345,
    hotline_score(),
)


def indicators(columns: Sequence[Indicator | Composite]) -> list[Indicator]:
    """The indicators *columns* read (a composite's parts and band count), each name once."""
    out: dict[str, Indicator] = {}
    for item in columns:
        for ind in item.indicators() if isinstance(item, Composite) else (item,):
            out.setdefault(ind.name, ind)
    return list(out.values())


SPECS: list[P.Spec] = [P.spec_of(i) for i in indicators(COLUMNS)]

Counts = P.Counts


# --------------------------------------------------------------------------- gridgov


def with_gridgov(cases: Sequence[Case]) -> Table:
    """facts → one tally per micro-grid (and the units above it) and month → values
    (``tally_cases``: the facts streamed, computed as far as the columns read them)."""
    counted = tally_cases(cases, COLUMNS, calendar=M.CALENDAR, dispatch_limit=M.DISPATCH,
                          by=Grain.MONTH, attribute=Attribution.PLACE)
    return evaluate(counted, COLUMNS)


def gridgov_counts(table: Table) -> Counts:
    """gridgov's table as :data:`Counts` (for the answer check, not timed)."""
    counts: Counts = {}
    for line in table.lines:
        if line.category is not None:
            continue
        for value in line.values:
            if value.numerator is None:  # a composite
                continue
            n, d = value.numerator, value.denominator or 0
            if n or d:
                counts[(line.unit, line.period.label, value.name)] = (n, d)
    return counts


# --------------------------------------------------------------------------- the run


def compare(name: str, theirs: Counts, mine: Counts) -> None:
    """Stop the run (exit 1) unless *theirs* gives the same counts as *mine*."""
    if theirs == mine:
        return
    keys = sorted(set(theirs) | set(mine))
    diff = [k for k in keys if theirs.get(k) != mine.get(k)]
    k = diff[0]
    sys.exit(
        f"metrics: {name} disagrees with gridgov on {len(diff):,} of {len(keys):,} (unit, "
        f"month, indicator) counts, e.g. {k}: {theirs.get(k)} vs gridgov's {mine.get(k)}"
    )


def per_case(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:7.2f} µs/case"


def run(
    n_cases: int, households: int | None, n_rounds: int, with_scans: bool = True
) -> dict[str, bool]:
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
        f"{n_cases:,} closed cases, {n_events:,} events ({n_events / n_cases:.2f} a case) at "
        f"{len(set(grid.places.values())):,} micro-grids over {M.MONTHS} months; built in "
        f"{built:.1f} s CPU ({built / n_cases * 1e6:.0f} µs/case, not timed against anything)"
    )
    print(f"indicators: {', '.join(s.name for s in SPECS)} (+ 2 composites)")

    # answers first: every count of every indicator, at every unit and month
    mine = gridgov_counts(with_gridgov(cases))
    ev, cs = P.build_frames(cases)
    compare("pandas", P.pandas_counts(P.pandas_indicators(ev, cs, SPECS)), mine)
    if with_scans:
        compare("separate scans", P.scans(cases, SPECS), mine)
    print(
        f"answers: pandas{' and the separate scans' if with_scans else ''} agree with gridgov "
        f"on all {len(mine):,} counts"
    )

    contenders: list[tuple[str, Callable[[], Any]]] = [
        ("gridgov", lambda: with_gridgov(cases)),
        ("pandas (frames built)", lambda: P.pandas_indicators(*P.build_frames(cases), SPECS)),
        ("pandas groupby only", lambda: P.pandas_indicators(ev, cs, SPECS)),
    ]
    cells = 0
    if with_scans:
        # With the scans, for the 10x target: gridgov's steps apart and a bare walk over the
        # events (information on where the time goes and on the floor of any pass in
        # Python; the facts are listed, so not at the 1M size, which runs --no-scans).
        # the facts as tally_cases computes them for these columns (no 不计延期 replay)
        def lean() -> list[CaseFacts]:
            return list(facts_of(cases, calendar=M.CALENDAR, dispatch_limit=M.DISPATCH,
                                 unextended=False))

        facts = lean()
        counted = tally(facts, COLUMNS, by=Grain.MONTH, attribute=Attribution.PLACE)
        cells = len(counted.cells)
        contenders += [
            ("separate scans", lambda: P.scans(cases, SPECS)),
            ("gridgov: facts_of", lean),
            ("gridgov: tally", lambda: tally(
                facts, COLUMNS, by=Grain.MONTH, attribute=Attribution.PLACE)),
            ("gridgov: evaluate", lambda: evaluate(counted, COLUMNS)),
            ("a bare walk (floor)", lambda: P.walk(cases)),
        ]
    times = F.rounds_by_name(contenders, n_rounds)
    print(f"CPU per case (median of {n_rounds} rounds):")
    for name, ts in times.items():
        print(f"  {name:22} {per_case(F.median(ts), n_cases)}  ({F.median(ts):.2f} s a round)")
    if with_scans:
        steps = sum(F.median(times[f"gridgov: {s}"]) for s in ("facts_of", "tally", "evaluate"))
        print(f"  (gridgov's steps apart add up to {per_case(steps, n_cases).strip()}; evaluate "
              f"is a fixed cost of {cells:,} cells, "
              f"{F.median(times['gridgov: evaluate']) / max(cells, 1) * 1e6:.1f} µs a cell)")
    g = times["gridgov"]
    within = F.ratio_range(g, times["pandas (frames built)"])
    groupby = F.ratio_range(g, times["pandas groupby only"])
    print(
        f"  gridgov ÷ pandas (frames built): {F.show_range(*within, fmt='.2f')}  "
        f"(target ≤ {WITHIN_PANDAS:g}x)"
    )
    print(f"  gridgov ÷ pandas groupby only:   {F.show_range(*groupby, fmt='.2f')}  (information)")
    met = {
        f"gridgov within {WITHIN_PANDAS:g}x pandas (got {within[1]:.2f}x)": within[1]
        <= WITHIN_PANDAS
    }
    if not with_scans:
        print("  separate scans: not run (--no-scans), so the 10x target is not checked")
        return met
    faster = F.ratio_range(times["separate scans"], g)
    print(
        f"  separate scans ÷ gridgov:        {F.show_range(*faster, fmt='.2f')}  "
        f"(target ≥ {FASTER_THAN_SCANS:g}x)"
    )
    floor = F.ratio_range(times["separate scans"], times["a bare walk (floor)"])
    one = F.median(times["separate scans"]) / len(SPECS)
    print(
        f"  separate scans ÷ a bare walk:    {F.show_range(*floor, fmt='.1f')}  (information: "
        f"one scan costs {per_case(one, n_cases).strip()}; 10x needs gridgov under "
        f"{per_case(F.median(times['separate scans']) / FASTER_THAN_SCANS, n_cases).strip()})"
    )
    met[f"gridgov {FASTER_THAN_SCANS:g}x faster than separate scans (got {faster[1]:.2f}x)"] = (
        faster[1] >= FASTER_THAN_SCANS
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="300 cases, tiny city (CI; exits 0)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=200_000, choices=sorted(F.SIZES))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-scans", action="store_true", help="leave the separate scans out (a shorter run)"
    )
    args = parser.parse_args(argv)
    n_cases = 300 if args.smoke else args.cases
    n_rounds = 1 if args.smoke else args.rounds
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}; gc enabled: "
        f"{gc.isenabled()}; {n_rounds} rounds; CPU time (time.process_time)"
    )
    met = run(n_cases, None if args.smoke else args.households, n_rounds, not args.no_scans)
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
