"""Benchmark: the escalation sweep over many open cases at one moment, against a naive baseline.

Builds the synthetic city of ``benchmarks/_city.py`` (default 100 communities → 1,000 grids →
10,000 micro-grids) and 100,000 open cases filed over the past weeks under an escalation
policy in the 12345 style (per-tier SLAs, category SLAs in working days, a same-day limit for
emergencies, an external body beyond the top).  The cases are in every active state: waiting
to be accepted, accepted, dispatched, escalated once or twice, suspended, resumed after a
suspension, with a raised severity, reworked after a dissatisfied resident, with duplicates
merged in.  Then, in the same run and on the same cases, it times

* ``gridgov.escalation.due_escalations(cases, policy, at=now)``: every escalation due at
  ``now`` (accept or resolve deadline passed, severity raised, dissatisfied, repeated), each
  an :class:`~gridgov.escalation.Escalation` proposal with its trigger, from/to units, the
  deadline missed and its reason (built on access);
* a naive sweep that, per case, recomputes its deadlines — the SLA looked up for the owner's
  tier, read off a networkx graph with tier attributes, each ``TimeLimit.deadline`` recomputed
  from the clock's start on the working calendar, suspended time given back — and finds the
  owner's parent with ``G.predecessors`` on ``grid.graph`` (the graph of
  ``grid.to_networkx()``, which adds the tier attribute).  It applies the same triggers and
  must produce the same escalations (checked).

Both are timed with all of the policy's triggers and with the deadline triggers only (the
``repeated`` trigger has to count every report in its window, which both sides pay for),
best of ``--repeat`` interleaved rounds; the very first sweep is also shown on its own.  A
last row times the sweep with the router given (``router=``): the ``severity_raised``
trigger then asks the router whether the owner may handle the raised severity
(:meth:`~gridgov.routing.Router.limit`) instead of escalating every raise; it has no naive
counterpart.  The
open queue's ages are exponential (``--backlog``, mean 2 days), so about a tenth of the cases
are due.

Usage::

    python benchmarks/escalation.py            # 100,000 cases
    python benchmarks/escalation.py --smoke    # 2,000 cases, a few seconds (CI); exits 0

Target (full size): the sweep at least 10x the naive baseline.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs
import networkx as nx

from _city import make_city
from _timing import interleaved
from gridgov import (
    CST,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Channel,
    Deadline,
    GridGraph,
    Issue,
    Reporter,
    Router,
    Severity,
    TimeLimit,
)
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Dispatched,
    DuplicateMerged,
    ResidentDissatisfied,
    Resolved,
    Resumed,
    SeverityRaised,
    Suspended,
    Trigger,
    apply_event,
)
from gridgov.escalation import (
    EscalationPolicy,
    ExternalBody,
    Sla,
    due_escalations,
    escalate,
    escalation_for,
)

SPEEDUP_TARGET = 10.0
NOW = datetime(2026, 12, 15, 10, 0, tzinfo=CST)  # a Tuesday
CATEGORIES = (
    "dispute",
    "facility_repair",
    "environment",
    "elder_care",
    "policy_enquiry",
    "complaint",
    "safety_hazard",
)

POLICY = EscalationPolicy(
    name="bench-12345",
    beyond=ExternalBody(
        id="sd", name="街道", via="吹哨报到", sla=Sla(accept_within=TimeLimit.working_hours(2))
    ),
    slas=[
        Sla(
            name="emergency",
            min_severity=Severity.EMERGENCY,
            accept_within=TimeLimit.natural_hours(1),
            resolve_within=TimeLimit.same_day(),
        ),
        Sla(
            name="enquiry",
            categories={"policy_enquiry"},
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(3),
        ),
        Sla(
            name="complaint",
            categories={"complaint"},
            accept_within=TimeLimit.working_days(1),
            resolve_within=TimeLimit.working_days(13),
        ),
        Sla(
            name="micro",
            tier="micro_grid",
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(5),
        ),
        Sla(
            name="grid",
            tier="grid",
            accept_within=TimeLimit.end_of_working_day(),
            resolve_within=TimeLimit.working_days(5),
        ),
        Sla(
            name="community",
            tier="community",
            accept_within=TimeLimit.working_hours(2),
            resolve_within=TimeLimit.working_days(5),
        ),
    ],
    triggers={
        Trigger.ACCEPT_OVERDUE,
        Trigger.RESOLVE_OVERDUE,
        Trigger.SEVERITY_RAISED,
        Trigger.DISSATISFIED,
        Trigger.REPEATED,
    },
    repeat_count=3,
    repeat_window=timedelta(days=14),
    dissatisfied_count=2,
)


# --------------------------------------------------------------------------- the cases


def build_cases(
    grid: GridGraph, places: Sequence[str], n: int, seed: int, backlog_days: float
) -> list[Case]:
    """*n* open cases in every active state, reported before ``NOW``.

    Ages are exponential with mean *backlog_days* (capped at 40 days), so most cases are
    recent and a tail is overdue, as in a hotline's open queue.
    """
    rng = random.Random(seed)
    cases: list[Case] = []
    mean_age = backlog_days * 24 * 60  # minutes
    for i in range(n):
        place = rng.choice(places)
        chain = grid.place_chain(place)
        age = 1 + min(int(rng.expovariate(1 / mean_age)), 40 * 1440)
        reported = NOW - timedelta(minutes=age)
        category = rng.choice(CATEGORIES)
        severity = Severity(rng.choices((1, 2, 3, 4), weights=(60, 25, 12, 3))[0])
        issue = Issue(
            id=f"i{i:07d}",
            category=category,
            severity=severity,
            channel=Channel.APP,
            place=place,
            reporter=Reporter.resident(f"r{i:07d}"),
            reported_at=reported,
        )
        accept_by, resolve_by = POLICY.deadlines(
            tier=chain[0].tier, category=category, severity=severity, start=reported
        )
        case = Case(
            events=[
                CaseOpened(
                    at=reported,
                    actor="hotline",
                    case=f"c{i:07d}",
                    issue=issue,
                    chain=chain,
                    grid_version=grid.version,
                    accept_by=accept_by,
                    resolve_by=resolve_by,
                )
            ]
        )

        def later(share: float, since: datetime) -> datetime:
            return since + (NOW - since) * share

        t = reported
        roll = rng.random()
        if roll < 0.065:  # escalated once, or twice
            for k in range(1 if roll < 0.05 else 2):
                t = later(0.1 + 0.2 * k, reported)
                case = escalate(case, escalation_for(case, POLICY, at=t), POLICY, actor="m")
        if rng.random() < 0.96:  # accepted by its owner, soon
            t = later(0.05 * rng.random(), t)
            case = apply_event(case, Accepted(at=t, actor="m"))
            extra: list[CaseEvent] = []
            r = rng.random()
            if r < 0.25:
                extra.append(Dispatched(at=t, actor="m", handler="w"))
            elif r < 0.30:  # suspended; resumed three times in five
                extra.append(Suspended(at=t, actor="m", reason="待核实"))
                if rng.random() < 0.6:
                    t = later(0.3 * rng.random(), t)
                    extra.append(Resumed(at=t, actor="m"))
            elif r < 0.31 and severity < Severity.EMERGENCY:
                extra.append(SeverityRaised(at=t, actor="m", severity=4, reason="加重"))
            elif r < 0.33:  # reworked after a dissatisfied resident, once or twice
                for _ in range(1 if rng.random() < 0.6 else 2):
                    extra.append(Resolved(at=t, actor="m"))
                    t = later(0.1 * rng.random(), t)
                    extra.append(ResidentDissatisfied(at=t, actor="r"))
            elif r < 0.36:
                dup = Issue(
                    id=f"d{i:07d}",
                    category=category,
                    severity=severity,
                    channel=Channel.APP,
                    place=place,
                    reporter=Reporter.resident("r"),
                    reported_at=t,
                )
                extra.append(DuplicateMerged(at=t, actor="m", duplicate=f"x{i:07d}", issue=dup))
            for event in extra:
                case = apply_event(case, event)
        assert case.status.is_active or case.status is CaseStatus.SUSPENDED
        cases.append(case)
    return cases


# --------------------------------------------------------------------------- the naive sweep


def naive_sweep(
    cases: Sequence[Case], policy: EscalationPolicy, now: datetime, graph: nx.DiGraph[str]
) -> list[tuple[str, Trigger, str, datetime | None]]:
    """Per case: look the SLA up again, recompute every deadline, walk networkx for the parent."""
    cal = policy.calendar
    triggers = policy.triggers
    out: list[tuple[str, Trigger, str, datetime | None]] = []

    def recompute(
        deadline: Deadline | None, which: str, tier: str | None, case: Case
    ) -> datetime | None:
        if deadline is None:
            return None
        sla = policy.sla_for(tier=tier, category=case.issue.category, severity=case.owner_severity)
        limit: TimeLimit | None = None if sla is None else getattr(sla, which)
        if limit is None:  # pragma: no cover - every case here has both limits
            return deadline.due
        due = limit.deadline(deadline.start, cal)
        for start, end in deadline.pauses:
            if start >= due:
                break
            if limit.basis == "natural":
                due = due + (end - start)
            else:
                moved = cal.add_working_hours(end, cal.working_time_between(start, due))
                due = moved if moved > due else due
        return due

    counts: dict[tuple[str, str], set[str]] = {}
    begin = now - policy.repeat_window
    for case in cases:
        for issue in case.reports:
            if begin < issue.reported_at <= now:
                key = (issue.place or "", issue.category)
                counts.setdefault(key, set()).add(issue.id)

    for case in cases:
        status = case.status
        if not status.is_active or case.beyond:
            continue
        owner = case.owner
        tier = graph.nodes[owner]["tier"]
        parents = list(graph.predecessors(owner))
        to = parents[0] if parents else policy.beyond.id
        found: tuple[Trigger, datetime | None] | None = None
        if Trigger.SEVERITY_RAISED in triggers and case.severity > case.owner_severity:
            found = (Trigger.SEVERITY_RAISED, None)
        elif (
            Trigger.ACCEPT_OVERDUE in triggers
            and status is CaseStatus.REPORTED
            and (due := recompute(case.accept_by, "accept_within", tier, case)) is not None
            and due < now
        ):
            found = (Trigger.ACCEPT_OVERDUE, due)
        elif (
            Trigger.RESOLVE_OVERDUE in triggers
            and (due := recompute(case.resolve_by, "resolve_within", tier, case)) is not None
            and due < now
        ):
            found = (Trigger.RESOLVE_OVERDUE, due)
        elif (
            Trigger.DISSATISFIED in triggers
            and case.owner_dissatisfied >= policy.dissatisfied_count
        ):
            found = (Trigger.DISSATISFIED, None)
        elif (
            Trigger.REPEATED in triggers
            and Trigger.REPEATED not in case.escalation_triggers
            and len(counts.get((case.issue.place or "", case.issue.category), ()))
            >= policy.repeat_count
        ):
            found = (Trigger.REPEATED, None)
        if found is not None:
            out.append((case.id, found[0], to, found[1]))
    return out


# --------------------------------------------------------------------------- measuring


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark the escalation sweep against a naive per-case recomputation."
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny size (2,000 cases); always exits 0"
    )
    parser.add_argument("--cases", type=int, default=None, help="default 100,000 (smoke 2,000)")
    parser.add_argument(
        "--communities", type=int, default=None, help="default 100 (smoke 4); 10x10 below each"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best is kept)")
    parser.add_argument(
        "--backlog",
        type=float,
        default=2.0,
        help="mean age of the open cases in days (default 2; larger: more of them overdue)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    small = args.smoke
    n = (2_000 if small else 100_000) if args.cases is None else args.cases
    communities = (4 if small else 100) if args.communities is None else args.communities
    if min(n, communities, args.repeat) < 1:
        parser.error("every size must be at least 1")

    print(
        f"gridgov escalation benchmark{' (smoke size)' if small else ''}: "
        f"Python {platform.python_version()}, networkx {nx.__version__}"
    )
    units, place_index = make_city(communities, 10, 10, max(n, 1000))
    grid = GridGraph(version="bench", units=units, places=place_index)
    places = sorted(place_index)
    print(
        f"city: {communities:,} communities → {communities * 10:,} grids → "
        f"{communities * 100:,} micro-grids; policy {POLICY.name!r} with {len(POLICY.slas)} SLAs"
    )
    start = time.perf_counter()
    cases = build_cases(grid, places, n, args.seed, args.backlog)
    built = time.perf_counter() - start
    states: dict[str, int] = {}
    for case in cases:
        key = "escalated" if case.escalation_triggers else case.status.value
        states[key] = states.get(key, 0) + 1
    print(
        f"cases: {n:,} open cases built in {built:.1f} s ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(states.items()))
        + ")"
    )
    graph = grid.to_networkx()  # grid.graph with a 'tier' attribute on every node

    # Both sides must agree before they are timed.
    # The first sweep is timed on its own too (cold caches).
    gc.collect()
    start = time.process_time()
    first = list(due_escalations(cases, POLICY, at=NOW))
    t_cold = time.process_time() - start
    ours = [(e.case, e.trigger, e.to, e.due) for e in first]
    naive = naive_sweep(cases, POLICY, NOW, graph)
    if ours != naive:  # pragma: no cover - a bug in one of them
        diff = next(i for i, (a, b) in enumerate(zip(ours, naive, strict=False)) if a != b)
        print(f"MISMATCH at {diff}: {ours[diff]} vs {naive[diff]}")
        return 1
    by_trigger: dict[str, int] = {}
    for _, trigger, _, _ in ours:
        by_trigger[trigger.value] = by_trigger.get(trigger.value, 0) + 1

    deadlines_only = attrs.evolve(
        POLICY, triggers={Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE}
    )
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    t_ours, t_naive, t_reasons, t_ours_d, t_naive_d, t_router = interleaved(
        args.repeat,
        lambda: list(due_escalations(cases, POLICY, at=NOW)),
        lambda: naive_sweep(cases, POLICY, NOW, graph),
        lambda: [e.reason for e in due_escalations(cases, POLICY, at=NOW)],
        lambda: list(due_escalations(cases, deadlines_only, at=NOW)),
        lambda: naive_sweep(cases, deadlines_only, NOW, graph),
        lambda: list(due_escalations(cases, POLICY, at=NOW, router=router)),
    )
    ratio = t_naive / t_ours

    print(
        f"due at {NOW:%Y-%m-%d %H:%M}: {len(ours):,} escalations ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(by_trigger.items()))
        + "); both sweeps agree"
    )
    print()
    rows = [
        ("due_escalations, first sweep (cold)", t_cold),
        ("due_escalations, the policy's triggers", t_ours),
        ("  … with every reason text built", t_reasons),
        ("naive: recompute deadlines + networkx", t_naive),
        ("due_escalations, deadline triggers only", t_ours_d),
        ("naive, deadline triggers only", t_naive_d),
        ("due_escalations with the router (router=)", t_router),
    ]
    print(f"{'':42} {'seconds':>9} {'cases/s':>13}")
    for label, seconds in rows:
        print(f"{label:42} {seconds:>9.3f} {n / seconds:>13,.0f}")
    print()
    print(
        f"ratio: due_escalations is {ratio:.1f}x the naive baseline with all of the policy's "
        f"triggers, {t_naive_d / t_ours_d:.1f}x with the deadline triggers only "
        f"(best of {args.repeat}, interleaved); the first, cold sweep: {t_naive / t_cold:.1f}x."
    )
    ok = ratio >= SPEEDUP_TARGET
    print(
        f"{'PASS' if ok else 'FAIL'}  sweep ≥ {SPEEDUP_TARGET:g}x the naive baseline: {ratio:.1f}x"
    )
    if not ok and small:
        print("(smoke size: the target is set for the full size; exiting 0)")
        return 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
