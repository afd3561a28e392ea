"""Benchmark: the inputs that used to stall gridgov, each timed and measured.

Issue 13 ("Doors") listed inputs that took seconds, minutes or gigabytes: rrule frequencies
with ``FREQ=SECONDLY`` or an impossible ``BYMONTHDAY``, a daily sweep whose rrule started
decades ago, ``Frequency.dates()`` over an rrule, a grid of 10,000 tiers, 5,000 duplicate
merges one by one, and values of a megabyte or huge integers at the doors.  Each now returns
or is refused; this script runs each and prints its CPU time and peak memory (tracemalloc),
and fails (exit 1) if one takes a second or more.  An rrule question is timed with DTSTART one
year and a hundred years before the day asked about: the cost must not depend on it.

This benchmark has no city and no peer: each row is a bound on one input (the sizes are in
the inputs themselves).  Each input is run ``--repeat`` times (default 3) and the median CPU
time and the range are printed; the verdict is on the median (on a shared 2-core machine
a single run can be slowed by a neighbour).  gc is enabled as a user
has it (never frozen), and no memo is warm: every input builds its own values.

Run ``python benchmarks/robustness.py`` (``--smoke`` runs the same, smaller where it can).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from gridgov import (
    CST,
    Channel,
    Criteria,
    Frequency,
    GridGovError,
    GridGraph,
    GridUnit,
    Issue,
    Reporter,
    Resident,
    Tier,
    TierScheme,
    TimeLimit,
    VisitColour,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    due_visits,
    from_dict,
    merge_duplicate,
    next_due,
)

LIMIT_S = 1.0


def measure(run: Callable[[], Any], repeat: int) -> tuple[list[float], float, str]:
    """(CPU seconds of each run, peak MB, outcome) of *run*: its result's type or the error.

    The times and the peak are taken in separate runs: tracing every allocation slows
    allocation-heavy code several times over, so a timed run is never a traced one.
    """
    elapsed = []
    outcome = ""
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        outcome = _outcome(run)
        elapsed.append(time.process_time() - start)
    tracemalloc.start()
    try:
        _outcome(run)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return elapsed, peak / 2**20, outcome


def _outcome(run: Callable[[], Any]) -> str:
    try:
        result = run()
    except GridGovError as exc:
        return f"refused: {type(exc).__name__}: {str(exc)[:70]}…"
    return f"returned {type(result).__name__}"


def rrule_policy(dtstart: date, freq: str = "DAILY;INTERVAL=2") -> VisitPolicy:
    text = f"DTSTART:{dtstart:%Y%m%d}T000000\nRRULE:FREQ={freq}"
    return VisitPolicy(
        name="rrule",
        rules=[
            VisitRule(
                id="r",
                frequency=Frequency.from_rrule(text),
                colour=VisitColour.RED,
                reason="按日程探访",
                who=Criteria(min_age=60),
            )
        ],
    )


def deep_grid(tiers: int) -> GridGraph:
    scheme = TierScheme(
        name="deep", tiers=[Tier(name=f"t{i}", label=f"T{i}", zh=f"层{i}") for i in range(tiers)]
    )
    units = [
        GridUnit(id=f"u{i}", name=f"U{i}", tier=f"t{i}", parent=None if i == 0 else f"u{i - 1}")
        for i in range(tiers)
    ]
    return GridGraph(version="deep", scheme=scheme, units=units)


def merges(n: int) -> Any:
    from gridgov import DEFAULT_MATRIX, DEFAULT_RULES, Router, open_case
    from gridgov.demo import sample_grid

    grid = sample_grid()
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)

    def filed(k: int) -> Any:
        issue = Issue(
            id=f"i-{k}",
            category="environment",
            severity=1,
            channel=Channel.GROUP_CHAT,
            place="h-1001",
            reporter=Reporter.resident(f"r-{k}"),
            reported_at=t,
        )
        return open_case(issue, router.route(issue), router=router, actor="m-li")

    kept = filed(0)
    for k in range(1, n + 1):
        _, kept = merge_duplicate(filed(k), kept, at=t, actor="m-li")
    return kept


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a smaller run for CI")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each input (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    n_merges = 500 if args.smoke else 5_000
    today = date(2026, 11, 26)
    elder = Resident(id="r", name="吕阿姨", household="h", birth_date=date(1948, 3, 2))
    seen = [VisitRecord(id="v", resident="r", member="m", at=datetime(2026, 11, 20, 9, tzinfo=CST))]
    far = "DTSTART:19260101T000000\nRRULE:FREQ=DAILY"

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("rrule FREQ=SECONDLY", lambda: Frequency.from_rrule(far.replace("DAILY", "SECONDLY"))),
        (
            "rrule with an impossible BYMONTHDAY (31 February)",
            lambda: Frequency.from_rrule(
                "DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"
            ),
        ),
        (
            "next_due, rrule DTSTART 1 year back",
            lambda: next_due(elder, seen, rrule_policy(today - timedelta(days=365)), on=today),
        ),
        (
            "next_due, rrule DTSTART 100 years back",
            lambda: next_due(elder, seen, rrule_policy(date(1926, 11, 26)), on=today),
        ),
        (
            "due_visits, rrule DTSTART 100 years back",
            lambda: list(due_visits([elder], seen, rrule_policy(date(1926, 11, 26)), on=today)),
        ),
        (
            "Frequency.dates() over an rrule, 3 years",
            lambda: Frequency.from_rrule(far).dates(date(2024, 1, 1), date(2026, 12, 31)),
        ),
        ("a grid of 10,000 tiers", lambda: deep_grid(10_000)),
        ("a grid of 16 tiers (the most)", lambda: deep_grid(16)),
        (f"{n_merges:,} duplicate merges one by one", lambda: merges(n_merges)),
        (
            "a 1 MB string where a number belongs (from_dict)",
            lambda: from_dict(
                {
                    "schema": 1,
                    "type": "TimeLimit",
                    "amount": "x" * 1_000_000,
                    "unit": "days",
                    "basis": "working",
                    "to_end_of_day": False,
                }
            ),
        ),
        ("a time limit of 10**400 days", lambda: TimeLimit.working_days(10**400)),
        (
            "JSON nested 500 deep",
            lambda: from_dict(_nested(500)),
        ),
    ]

    print(f"gridgov robustness benchmark: Python {sys.version.split()[0]}")
    print(
        f"every input must return or be refused in under {LIMIT_S:g} s (CPU time, median of "
        f"{args.repeat} runs)"
    )
    print()
    print(f"{'input':52}{'seconds, median (range)':>26}{'peak MB':>9}  outcome")
    slow = []
    results = {}
    for label, run in cases:
        elapsed, peak, outcome = measure(run, args.repeat)
        mid = statistics.median(elapsed)
        results[label] = mid
        spread = f"{mid:.3f} ({min(elapsed):.3f}–{max(elapsed):.3f})"
        print(f"{label:52}{spread:>26}{peak:9.1f}  {outcome}")
        if mid >= LIMIT_S:
            slow.append(label)
    near = results["next_due, rrule DTSTART 1 year back"]
    back = results["next_due, rrule DTSTART 100 years back"]
    print()
    print(
        f"an rrule question with DTSTART 100 years back costs {back * 1e3:.2f} ms, "
        f"1 year back {near * 1e3:.2f} ms"
    )
    for label in slow:
        print(f"FAIL  {label} took {LIMIT_S:g} s or more")
    if not slow:
        print(f"PASS  every input returned or was refused in under {LIMIT_S:g} s")
    return 1 if slow else 0


def _nested(depth: int) -> dict[str, Any]:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return {"schema": 1, "type": "RuleSet", "name": "deep", "rules": value}


if __name__ == "__main__":
    sys.exit(main())
