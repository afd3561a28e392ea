"""Benchmark: a case's lifecycle costs O(1) per event, however long its history.

A case is its events, and every version of a case is a value of its own.  Copying the events
(and the duplicates, and a deadline's pauses) to add one would make *n* events cost O(n²); the
lifecycle keeps them in sequences that grow by sharing, so applying an event, and replaying a
stored timeline, cost the same per event at any length.  This script measures, in one run:

* **apply**: a case takes *n* events one by one with ``apply_event`` — a rotating mix of
  dispatches, handling, suspensions and resumptions (each pause given back to the resolve
  deadline), extensions requested and granted, and duplicates merged in;
* **replay**: ``replay`` rebuilds a case from a stored timeline of suspend/resume pairs
  (every pause kept on the resolve deadline);
* **merge**: 5,000 duplicates merged one by one into one case with ``merge_duplicate``
  (issue 13 measured 24 s for this before);
* **naive**: for contrast, rebuilding the case from all its events for each new event (what
  an app storing only events, without the case value, would do), at small sizes.

Each figure is the per-event CPU time, best of ``--repeat`` rounds.  The target: the per-event
cost at 100,000 events at most 2x the cost at 1,000, for apply and for replay.

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


def best(repeat: int, fn: Callable[[], object]) -> float:
    out = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        out = min(out, time.process_time() - start)
    return out


def apply_all(events: list[CaseEvent]) -> Case:
    case = opened()
    for event in events:
        case = apply_event(case, event)
    return case


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
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (best is kept)")
    parser.add_argument("--merges", type=int, default=None, help="default 5,000 (smoke 200)")
    args = parser.parse_args(argv)
    small = args.smoke
    sizes = (100, 1_000) if small else (1_000, 10_000, 100_000)
    n_merges = (200 if small else 5_000) if args.merges is None else args.merges
    if min(args.repeat, n_merges) < 1:
        parser.error("every size must be at least 1")
    print(
        f"gridgov cases benchmark{' (smoke size)' if small else ''}: "
        f"Python {platform.python_version()}"
    )
    print()
    print(f"{'events':>9} {'apply µs/event':>15} {'replay µs/event':>16}")
    apply_cost: dict[int, float] = {}
    replay_cost: dict[int, float] = {}
    for n in sizes:
        mixed = mixed_events(n - 1)  # the opening is the first of the n events
        stored = pairs(n)
        last = apply_all(mixed)
        assert len(last.events) == n
        assert len(replay(stored).events) == n
        apply_cost[n] = best(args.repeat, lambda m=mixed: apply_all(m)) / n  # type: ignore[misc]
        replay_cost[n] = best(args.repeat, lambda s=stored: replay(s)) / n  # type: ignore[misc]
        print(f"{n:>9,} {apply_cost[n] * 1e6:>15.2f} {replay_cost[n] * 1e6:>16.2f}")
    print()
    small_n = 500 if small else 2_000
    naive_cost = best(1, lambda: naive(mixed_events(small_n - 1))) / small_n
    print(
        f"naive (replay everything for each new event), {small_n:,} events: "
        f"{naive_cost * 1e6:,.1f} µs/event ({naive_cost / apply_cost[sizes[0]]:,.0f}x apply_event, "
        "growing with the length)"
    )
    t_merge = best(1, lambda: merges(n_merges))
    print(f"merge_duplicate, {n_merges:,} merges one by one into one case: {t_merge:.2f} s")
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
