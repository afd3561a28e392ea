"""Benchmark: a case's lifecycle costs O(1) per event, however long its history.

A case is its events, and every version of a case is a value of its own.  Copying the events
(and the duplicates, and a deadline's pauses) to add one would make *n* events cost O(n²); the
lifecycle keeps them in sequences that grow by sharing, so applying an event, and replaying a
stored timeline, cost the same per event at any length.  This benchmark has no city: its size
is the length of one case's history, 1,000, 10,000 and 100,000 events (the analogue of the
other benchmarks' 20k, 200k and 2M households).  It measures, in one run:

* **apply** (gridgov): a case takes *n* events one by one with ``apply_event`` — a rotating
  mix of dispatches, handling, suspensions and resumptions (each pause given back to the
  resolve deadline), extensions requested and granted, and duplicates merged in — every
  intermediate case a valid, immutable value;
* **replay** (gridgov): ``replay`` rebuilds a case from a stored timeline of suspend/resume
  pairs (every pause kept on the resolve deadline);
* **merge** (gridgov): 5,000 duplicates merged one by one into one case with
  ``merge_duplicate``;
* peers, at each size, timed in turns with **apply** over the same events:

  - **the floor**: a mutable list the events are appended to, and nothing else — no state,
    no validation, no deadline.  It is the least any program that keeps a case's history
    pays per event; it is no alternative to a case value.  Checked: its list equals the
    case's events;
  - **rebuild** (only at 1,000 events, 100 in smoke: it is quadratic): what an app that stores only
    events, without the case value, does when it folds the whole history again for each new
    event (``Case(events=(*case.events, event))``).  Checked: its last case equals
    ``apply``'s.  This is a contrast, not a fair peer.

Every figure is the per-event CPU time, median over ``--repeat`` rounds (default 3) in which
the contenders take turns, results kept, gc enabled as a user has it (never frozen).  No
memo is involved.  The target: the per-event cost of apply and of replay at 100,000 events at
most 2x the cost at 1,000 — a growth target, against no peer, so it stands.

Usage::

    python benchmarks/cases.py            # 1k, 10k, 100k events
    python benchmarks/cases.py --smoke    # 100 and 1,000 events, a second (CI); exits 0
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from _fairbench import median as F_median
from _fairbench import ratio_range as F_ratio
from _fairbench import rounds
from gridgov import CST, Channel, Deadline, Issue, Reporter, TimeLimit, WorkCalendar
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    Dispatched,
    DuplicateMerged,
    ExtensionGranted,
    ExtensionRequested,
    HandlingStarted,
    Resumed,
    Suspended,
    apply_event,
    replay,
)
from gridgov.demo import sample_grid
from gridgov.workflow import merge_duplicate

GROWTH_TARGET = 2.0
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=CST)
GRID = sample_grid()
CHAIN = GRID.place_chain("h-1001")


def _issue(n: int, at: datetime) -> Issue:
    return Issue(
        id=f"i-{n}",
        category="facility_repair",
        severity=1,
        channel=Channel.APP,
        place="h-1001",
        reporter=Reporter.resident(f"r-{n}"),
        reported_at=at,
    )


def opened(case_id: str = "c-0", at: datetime = T0) -> Case:
    """A case just opened, with a working-time resolve deadline (pauses cost working time)."""
    resolve = Deadline.of(TimeLimit.working_days(5), start=at, calendar=WorkCalendar())
    return Case(
        events=[
            CaseOpened(
                at=at,
                actor="m-li",
                case=case_id,
                issue=_issue(0, at),
                chain=CHAIN,
                grid_version=GRID.version,
                resolve_by=resolve,
            )
        ]
    )


def mixed_events(n: int) -> list[CaseEvent]:
    """*n* events after the opening that a case takes one after another, indefinitely."""
    out: list[CaseEvent] = [Accepted(at=T0, actor="m-li")]
    minute = timedelta(minutes=1)
    at = T0
    k = 0
    while len(out) < n:
        at += minute
        step = k % 8
        if step == 0:
            out.append(Dispatched(at=at, actor="m-li", handler="m-w3"))
        elif step == 1:
            out.append(HandlingStarted(at=at, actor="m-w3"))
        elif step == 2:
            out.append(Suspended(at=at, actor="m-w3", reason="等待配件"))
        elif step == 3:
            out.append(Resumed(at=at, actor="m-w3"))
        elif step == 4:
            until = at + timedelta(days=3650)
            out.append(ExtensionRequested(at=at, actor="m-w3", until=until, reason="需采购"))
        elif step == 5:
            out.append(ExtensionGranted(at=at, actor="m-sec"))
        else:
            out.append(
                DuplicateMerged(at=at, actor="m-li", duplicate=f"d-{k}", issue=_issue(k, at))
            )
        k += 1
    return out[:n]


def pairs(n: int) -> list[CaseEvent]:
    """The opening, an acceptance, then suspend/resume pairs: *n* events in all."""
    events: list[CaseEvent] = [*opened().events, Accepted(at=T0, actor="m-li")]
    at = T0
    while len(events) < n:
        at += timedelta(minutes=10)
        events.append(Suspended(at=at, actor="m-li", reason="等待回复"))
        at += timedelta(minutes=10)
        events.append(Resumed(at=at, actor="m-li"))
    return events[:n]


def times(repeat: int, fn: Callable[[], object]) -> list[float]:
    """CPU seconds of *fn* in each of *repeat* runs (gc enabled, collected before each)."""
    out = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        out.append(time.process_time() - start)
    return out


def apply_all(events: list[CaseEvent]) -> Case:
    case = opened()
    for event in events:
        case = apply_event(case, event)
    return case


def floor(events: list[CaseEvent]) -> list[CaseEvent]:
    history = list(opened().events)
    for event in events:
        history.append(event)
    return history


def naive(events: list[CaseEvent]) -> Case:
    case = opened()
    for event in events:
        case = Case(events=(*case.events, event))
    return case


def merges(n: int) -> Case:
    kept = opened("c-0")
    for k in range(1, n + 1):
        _, kept = merge_duplicate(opened(f"c-{k}"), kept, at=T0, actor="m-li")
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Per-event cost of the case lifecycle.")
    parser.add_argument("--smoke", action="store_true", help="small sizes; always exits 0")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--merges", type=int, default=None, help="default 5,000 (smoke 200)")
    args = parser.parse_args(argv)
    small = args.smoke
    sizes = (100, 1_000) if small else (1_000, 10_000, 100_000)
    rebuild_max = 100 if small else 1_000
    n_merges = (200 if small else 5_000) if args.merges is None else args.merges
    if min(args.repeat, n_merges) < 1:
        parser.error("every size must be at least 1")
    print(
        f"gridgov cases benchmark{' (smoke size)' if small else ''}: "
        f"Python {platform.python_version()}; {args.repeat} rounds in turns, results kept, "
        "gc on"
    )
    print()
    print(
        f"{'events':>9} {'apply µs/event':>20} {'replay µs/event':>20} "
        f"{'floor µs/event':>20} {'rebuild µs/event':>20}"
    )
    apply_cost: dict[int, float] = {}
    replay_cost: dict[int, float] = {}

    def cell(ts: list[float], n: int) -> str:
        return f"{F_median(ts) / n * 1e6:.2f} ({min(ts) / n * 1e6:.2f}–{max(ts) / n * 1e6:.2f})"

    ratios: list[str] = []
    for n in sizes:
        mixed = mixed_events(n - 1)  # the opening is the first of the n events
        stored = pairs(n)
        last = apply_all(mixed)
        if len(last.events) != n or len(replay(stored).events) != n:
            print(f"MISMATCH: a case of {n:,} events does not hold {n:,} events")
            return 1
        if floor(mixed) != list(last.events):
            print(f"MISMATCH: the floor's history differs from the case's at {n:,} events")
            return 1
        fns: list[Callable[[], object]] = [
            lambda m=mixed: apply_all(m),  # type: ignore[misc]
            lambda s=stored: replay(s),  # type: ignore[misc]
            lambda m=mixed: floor(m),  # type: ignore[misc]
        ]
        if n <= rebuild_max:
            if naive(mixed) != last:
                print(f"MISMATCH: rebuilding gives another case at {n:,} events")
                return 1
            fns.append(lambda m=mixed: naive(m))  # type: ignore[misc]
        got = rounds(args.repeat, *fns)
        apply_cost[n] = F_median(got[0]) / n
        replay_cost[n] = F_median(got[1]) / n
        rebuild = cell(got[3], n) if len(got) > 3 else "(not run)"
        print(
            f"{n:>9,} {cell(got[0], n):>20} {cell(got[1], n):>20} {cell(got[2], n):>20} "
            f"{rebuild:>20}"
        )
        floor_r = F_ratio(got[0], got[2])
        line = (
            f"{n:>9,} events: apply ÷ floor {floor_r[1]:.0f}x ({floor_r[0]:.0f}–{floor_r[2]:.0f})"
        )
        if len(got) > 3:
            re_r = F_ratio(got[3], got[0])
            line += f"; rebuild ÷ apply {re_r[1]:.1f}x ({re_r[0]:.1f}–{re_r[2]:.1f})"
        ratios.append(line)
    print()
    print("ratios (medians of the per-round ratios, range in brackets):")
    for line in ratios:
        print(line)
    print("(the floor only appends to a list; rebuild folds the whole history per event)")
    t_merge = times(args.repeat, lambda: merges(n_merges))
    print(
        f"merge_duplicate, {n_merges:,} merges one by one into one case: "
        f"{F_median(t_merge):.2f} s ({min(t_merge):.2f}–{max(t_merge):.2f}), "
        f"{F_median(t_merge) / n_merges * 1e6:.0f} µs per merge"
    )
    print()
    lo, hi = sizes[0], sizes[-1]
    ok = True
    for label, cost in (("apply", apply_cost), ("replay", replay_cost)):
        growth = cost[hi] / cost[lo]
        passed = growth <= GROWTH_TARGET
        ok = ok and passed
        print(
            f"{'PASS' if passed else 'FAIL'}  {label}: per-event cost at {hi:,} events is "
            f"{growth:.2f}x the cost at {lo:,} (target ≤ {GROWTH_TARGET:g}x)"
        )
    if small:
        return 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
