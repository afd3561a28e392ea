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
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

import _fairbench as F
import _metrics_cases as M
from gridgov import CST
from gridgov.cases import (
    Accepted,
    Case,
    CaseOpened,
    Closed,
    Dispatched,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    Suspended,
    VerificationFailed,
    Verified,
)

FASTER_THAN_SCANS = 10.0
WITHIN_PANDAS = 3.0
SEED = 20261202

# --------------------------------------------------------------------------- the indicators
#
# Each indicator: (name, zh, numerator, denominator); numerator and denominator are
# conjunctions of the per-case predicates below ("!" negates).

PREDICATES: dict[str, str] = {
    "opened": "every case (受理)",
    "accepted": "accepted (立案)",
    "dispatched": "dispatched (派遣)",
    "resolved": "resolved, the resolution standing (处置)",
    "closed": "closed (结案)",
    "evaluated": "evaluated (评价)",
    "accepted_on_time": "accepted by the accept deadline in force",
    "dispatched_on_time": "dispatched by the dispatch deadline (from the first acceptance)",
    "resolved_on_time": "resolved by the resolve deadline in force (extensions counted)",
    "extended": "an extension granted (延期)",
    "reworked": "reworked at least once (返工)",
    "suspended": "suspended at the end (缓办)",
    "rated": "the resident's view given",
    "satisfied": "the resident's last view satisfied or basically satisfied",
}

INDICATORS: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("closure_rate", "结案率", ("closed",), ("accepted", "!suspended")),
    (
        "on_time_closure_rate",
        "按期结案率",
        ("closed", "resolved_on_time"),
        ("accepted", "!suspended"),
    ),
    ("rework_rate", "返工率", ("reworked",), ("accepted",)),
    ("extension_rate", "延期率", ("extended",), ("accepted",)),
    ("timely_acceptance_rate", "及时受理率", ("accepted_on_time",), ("accepted",)),
    ("timely_dispatch_rate", "及时派遣率", ("dispatched_on_time",), ("dispatched",)),
    ("timely_disposal_rate", "及时处置率", ("resolved_on_time",), ("resolved",)),
    ("response_rate", "响应率", ("accepted_on_time",), ("opened",)),
    ("resolution_rate", "解决率", ("resolved",), ("opened",)),
    ("satisfaction_rate", "满意率", ("satisfied",), ("rated",)),
]

Counts = dict[tuple[str, str, str], tuple[int, int]]
"""(micro-grid, month "YYYY-MM", indicator) → (numerator, denominator)."""


def month_label(moment: datetime) -> str:
    local = moment.astimezone(CST)
    return f"{local.year:04d}-{local.month:02d}"


# --------------------------------------------------------------------------- pandas

# event kind codes of the flat table
KIND: dict[type, int] = {
    cls: i
    for i, cls in enumerate(
        (
            CaseOpened,
            Accepted,
            Rejected,
            Dispatched,
            HandlingStarted,
            Resolved,
            Verified,
            VerificationFailed,
            ResidentSatisfied,
            ResidentDissatisfied,
            Closed,
            Evaluated,
            Suspended,
            Resumed,
            ExtensionRequested,
            ExtensionGranted,
            ExtensionRefused,
            Escalated,
            Returned,
        )
    )
}
K = {cls.__name__: code for cls, code in KIND.items()}
SAT_CODE = {s: i for i, s in enumerate(Satisfaction)}
SATISFIED_CODES = [SAT_CODE[s] for s in Satisfaction if s.satisfied]


def _sat_of(event: Any) -> int:
    cls = type(event)
    if cls is Evaluated or cls is ResidentSatisfied:
        return SAT_CODE[event.satisfaction]
    if cls is ResidentDissatisfied:
        return SAT_CODE[Satisfaction.DISSATISFIED]
    return -1


def build_frames(cases: Sequence[Case]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The flat event table and the case table, from the cases' events and records."""
    cal, dispatch = M.CALENDAR, M.DISPATCH
    events = [e for c in cases for e in c.events]
    n = len(events)
    kind_of = KIND
    ev = pd.DataFrame(
        {
            "case": np.repeat(
                np.arange(len(cases), dtype=np.int64),
                np.fromiter((len(c.events) for c in cases), np.int64, len(cases)),
            ),
            "kind": np.fromiter((kind_of[type(e)] for e in events), np.int8, n),
            "at": np.fromiter((e.at.timestamp() for e in events), np.float64, n),
            "sat": np.fromiter((_sat_of(e) for e in events), np.int8, n),
        }
    )
    del events
    mg: list[str] = []
    month_at: list[float] = []
    accept_due: list[float] = []
    resolve_due: list[float] = []
    dispatch_due: list[float] = []
    nan = float("nan")
    for c in cases:
        opened = c.events[0]
        state = c.state
        mg.append(opened.chain[0].id)  # type: ignore[attr-defined]
        month_at.append(opened.issue.reported_at.timestamp())  # type: ignore[attr-defined]
        a = state.accept_by
        accept_due.append(nan if a is None else a.effective(cal).timestamp())
        r = state.resolve_by
        resolve_due.append(nan if r is None else r.effective(cal).timestamp())
        first = next((e.at for e in c.events if type(e) is Accepted), None)
        dispatch_due.append(nan if first is None else dispatch.deadline(first, cal).timestamp())
    cs = pd.DataFrame(
        {
            "mg": pd.Categorical(mg),
            "month_at": month_at,
            "accept_due": accept_due,
            "resolve_due": resolve_due,
            "dispatch_due": dispatch_due,
        }
    )
    return ev, cs


def pandas_indicators(ev: pd.DataFrame, cs: pd.DataFrame) -> pd.DataFrame:
    """Numerator and denominator of every indicator per micro-grid and month (vectorised)."""
    g = ev.groupby(["case", "kind"], sort=False)["at"]
    first = g.min().unstack()
    last = g.max().unstack()
    count = g.size().unstack(fill_value=0)
    n = len(cs)

    def col(frame: pd.DataFrame, name: str, fill: float) -> np.ndarray:
        code = K[name]
        if code not in frame.columns:
            return np.full(n, fill)
        return frame[code].reindex(range(n), fill_value=fill).to_numpy()

    nan = np.nan
    f_accept = col(first, "Accepted", nan)
    f_dispatch = col(first, "Dispatched", nan)
    l_resolve = col(last, "Resolved", nan)
    l_rework = np.fmax(col(last, "VerificationFailed", nan), col(last, "ResidentDissatisfied", nan))
    resolved = ~np.isnan(l_resolve) & ~(l_rework > l_resolve)
    rated = ev[ev["sat"] >= 0]
    last_sat = rated.groupby("case", sort=False)["sat"].last().reindex(range(n), fill_value=-1)
    flags = {
        "opened": np.ones(n, dtype=bool),
        "accepted": ~np.isnan(f_accept),
        "dispatched": ~np.isnan(f_dispatch),
        "resolved": resolved,
        "closed": col(count, "Closed", 0) > 0,
        "evaluated": col(count, "Evaluated", 0) > 0,
        "accepted_on_time": f_accept <= cs["accept_due"].to_numpy(),
        "dispatched_on_time": f_dispatch <= cs["dispatch_due"].to_numpy(),
        "resolved_on_time": resolved & (l_resolve <= cs["resolve_due"].to_numpy()),
        "extended": col(count, "ExtensionGranted", 0) > 0,
        "reworked": (col(count, "VerificationFailed", 0) + col(count, "ResidentDissatisfied", 0))
        > 0,
        "suspended": col(count, "Suspended", 0) > col(count, "Resumed", 0),
        "rated": last_sat.to_numpy() >= 0,
        "satisfied": last_sat.isin(SATISFIED_CODES).to_numpy(),
    }
    local = pd.to_datetime(cs["month_at"].to_numpy() * 1e9 + 8 * 3600e9)
    out = pd.DataFrame({"mg": cs["mg"], "month": local.strftime("%Y-%m")})
    for name, _zh, num, den in INDICATORS:
        out[name + ".n"] = _conj(flags, num)
        out[name + ".d"] = _conj(flags, den)
    return out.groupby(["mg", "month"], observed=True, sort=False).sum()


def _conj(flags: dict[str, np.ndarray], preds: Sequence[str]) -> np.ndarray:
    result = np.ones(len(next(iter(flags.values()))), dtype=bool)
    for p in preds:
        result = result & (~flags[p[1:]] if p.startswith("!") else flags[p])
    return result


def pandas_counts(table: pd.DataFrame) -> Counts:
    counts: Counts = {}
    for (mg, month), row in zip(table.index, table.to_numpy(), strict=True):
        for i, (name, *_rest) in enumerate(INDICATORS):
            n, d = int(row[2 * i]), int(row[2 * i + 1])
            if d:
                counts[(str(mg), month, name)] = (n, d)
    return counts


# --------------------------------------------------------------------------- separate scans
#
# The naive way: one pass over every case's events per indicator; each predicate walks the
# events it needs.


def _first(case: Case, cls: type) -> datetime | None:
    for e in case.events:
        if type(e) is cls:
            return e.at
    return None


def _any(case: Case, *classes: type) -> bool:
    return any(type(e) in classes for e in case.events)


def _count(case: Case, cls: type) -> int:
    return sum(1 for e in case.events if type(e) is cls)


def _resolved_at(case: Case) -> datetime | None:
    resolved = None
    for e in case.events:
        cls = type(e)
        if cls is Resolved:
            resolved = e.at
        elif cls is VerificationFailed or cls is ResidentDissatisfied:
            resolved = None
    return resolved


def _last_view(case: Case) -> Satisfaction | None:
    view = None
    for e in case.events:
        cls = type(e)
        if cls is Evaluated or cls is ResidentSatisfied:
            view = e.satisfaction  # type: ignore[attr-defined]
        elif cls is ResidentDissatisfied:
            view = Satisfaction.DISSATISFIED
    return view


def _accepted_on_time(case: Case) -> bool:
    at = _first(case, Accepted)
    deadline = case.state.accept_by
    return at is not None and deadline is not None and at <= deadline.effective(M.CALENDAR)


def _dispatched_on_time(case: Case) -> bool:
    accepted, at = _first(case, Accepted), _first(case, Dispatched)
    if accepted is None or at is None:
        return False
    return at <= M.DISPATCH.deadline(accepted, M.CALENDAR)


def _resolved_on_time(case: Case) -> bool:
    at = _resolved_at(case)
    deadline = case.state.resolve_by
    return at is not None and deadline is not None and at <= deadline.effective(M.CALENDAR)


SCAN_PREDICATES: dict[str, Callable[[Case], bool]] = {
    "opened": lambda c: True,
    "accepted": lambda c: _any(c, Accepted),
    "dispatched": lambda c: _any(c, Dispatched),
    "resolved": lambda c: _resolved_at(c) is not None,
    "closed": lambda c: _any(c, Closed),
    "evaluated": lambda c: _any(c, Evaluated),
    "accepted_on_time": _accepted_on_time,
    "dispatched_on_time": _dispatched_on_time,
    "resolved_on_time": _resolved_on_time,
    "extended": lambda c: _any(c, ExtensionGranted),
    "reworked": lambda c: _any(c, VerificationFailed, ResidentDissatisfied),
    "suspended": lambda c: _count(c, Suspended) > _count(c, Resumed),
    "rated": lambda c: _last_view(c) is not None,
    "satisfied": lambda c: (s := _last_view(c)) is not None and s.satisfied,
}


def _holds(case: Case, preds: Sequence[str]) -> bool:
    for p in preds:
        value = SCAN_PREDICATES[p.lstrip("!")](case)
        if value == p.startswith("!"):
            return False
    return True


def scan_one(cases: Sequence[Case], name: str, num: Sequence[str], den: Sequence[str]) -> Counts:
    """One indicator by its own pass over every case's events."""
    tally: dict[tuple[str, str, str], list[int]] = {}
    for case in cases:
        opened = case.events[0]
        key = (opened.chain[0].id, month_label(opened.issue.reported_at), name)  # type: ignore[attr-defined]
        slot = tally.get(key)
        if slot is None:
            slot = tally[key] = [0, 0]
        if _holds(case, den):
            slot[1] += 1
        if _holds(case, num):
            slot[0] += 1
    return {k: (n, d) for k, (n, d) in tally.items() if d}


def scans(cases: Sequence[Case]) -> Counts:
    counts: Counts = {}
    for name, _zh, num, den in INDICATORS:
        counts.update(scan_one(cases, name, num, den))
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

    # answers first
    ev, cs = build_frames(cases)
    reference = pandas_counts(pandas_indicators(ev, cs))
    compare("separate scans", scans(cases), reference)
    print(f"answers: pandas and the separate scans agree on {len(reference):,} counts")

    contenders: list[tuple[str, Callable[[], Any]]] = [
        ("pandas (frames built)", lambda: pandas_indicators(*build_frames(cases))),
        ("pandas groupby only", lambda: pandas_indicators(ev, cs)),
        ("separate scans", lambda: scans(cases)),
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
