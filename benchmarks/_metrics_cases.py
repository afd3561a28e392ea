"""The closed cases of ``benchmarks/metrics.py``: a seeded generator over the fair kit's city.

Not a benchmark itself (imported as ``_metrics_cases``).  :func:`build_cases` draws *n*
closed cases with a ``random.Random(seed)``, each built through gridgov's public API
(``Issue`` → ``CaseOpened`` … ``Case``), reported over :data:`MONTHS` months from
:data:`START` at the places of the kit's city (so each case's micro-grid is the place's).

Every case goes round the closed loop — opened (受理), accepted (立案), dispatched (派遣),
handling started (处置), resolved (反馈), verified (核查), closed (结案) and, most of them,
evaluated (评价): 8 events — with detours drawn at these rates:

* escalated before acceptance once its accept deadline passed (受理超时上报), then accepted
  late by the unit above: 4 %;
* slow to accept: 8 % (≈ 2 % of all cases end up accepted after the accept deadline, the
  others still within the working hours counted from the report); slow to dispatch: 6 %
  (≈ 2 % after the dispatch limit);
* suspended (挂起) and resumed a day or more later: 5 %;
* an extension requested and granted (延期) before the resolve deadline: 6 %;
* resolved late (after the resolve deadline in force): ≈ 12 %;
* a failed verification (核查不通过) and a second resolution (返工): 7 %;
* a dissatisfied resident at the return visit after verification (回访不满意), reworked: 3 %;
* evaluated (评价): 90 %, of those 80 % satisfied, 12 % basically satisfied, 8 % dissatisfied.

About 8.6 events a case on average.  Deadlines are set on a :class:`gridgov.WorkCalendar`
(accept within :data:`ACCEPT` of the report, resolve within :data:`RESOLVE`; the unit above
gets fresh ones when a case is escalated), so suspensions and resolutions awaiting
verification give working time back as the lifecycle says.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from gridgov import (
    CST,
    Channel,
    Deadline,
    GridGraph,
    Issue,
    Reason,
    Reporter,
    TimeLimit,
    WorkCalendar,
)
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    Closed,
    Dispatched,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRequested,
    HandlingStarted,
    ResidentDissatisfied,
    Resolved,
    Resumed,
    Satisfaction,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
)

START = datetime(2026, 5, 1, tzinfo=CST)
MONTHS = 6
CALENDAR = WorkCalendar()
ACCEPT = TimeLimit.working_hours(4)
RESOLVE = TimeLimit.working_days(5)
DISPATCH = TimeLimit.working_hours(2)
CATEGORIES = (
    "dispute",
    "facility_repair",
    "environment",
    "elder_care",
    "policy_enquiry",
    "complaint",
    "safety_hazard",
)
CHANNELS = (Channel.APP, Channel.HOTLINE_12345, Channel.VISIT, Channel.GROUP_CHAT)
END = datetime(2026, 11, 1, tzinfo=CST)  # MONTHS months after START
_SPAN = (END - START).total_seconds()
_ESCALATION_REASON = Reason(zh="受理超时，上报上级", en="not accepted in time: escalated")


def _minutes(rng: random.Random, mean: float) -> timedelta:
    return timedelta(minutes=1 + rng.expovariate(1 / mean))


def _case(
    i: int, rng: random.Random, place: str, chain: Sequence[object], version: str,
    start: datetime = START, span: float = _SPAN, prefix: str = "",
) -> list[CaseEvent]:
    """The events of case *i*, oldest first (see the module's docstring), reported within
    *span* seconds from *start* (default: the :data:`MONTHS` months from :data:`START`)."""
    reported = start + timedelta(seconds=rng.random() * span)
    issue = Issue(
        id=f"i{prefix}{i:07d}",
        category=rng.choice(CATEGORIES),
        severity=rng.choices((1, 2, 3), weights=(70, 25, 5))[0],
        channel=rng.choice(CHANNELS),
        place=place,
        reporter=Reporter.resident(f"r{i:07d}"),
        reported_at=reported,
    )
    accept_by = Deadline.of(ACCEPT, start=reported, calendar=CALENDAR, source="sla:accept")
    resolve_by = Deadline.of(RESOLVE, start=reported, calendar=CALENDAR, source="sla:resolve")
    events: list[CaseEvent] = [
        CaseOpened(
            at=reported,
            actor="hotline",
            case=f"c{prefix}{i:07d}",
            issue=issue,
            chain=chain,  # type: ignore[arg-type]
            grid_version=version,
            accept_by=accept_by,
            resolve_by=resolve_by,
        )
    ]
    t = reported
    if rng.random() < 0.04:  # not accepted in time: up to the grid, which accepts it late
        t = accept_by.due + _minutes(rng, 60)
        low, high = chain[0], chain[1]
        accept_by = Deadline.of(ACCEPT, start=t, calendar=CALENDAR, source="sla:accept")
        resolve_by = Deadline.of(RESOLVE, start=t, calendar=CALENDAR, source="sla:resolve")
        events.append(
            Escalated(
                at=t,
                actor="system",
                trigger=Trigger.ACCEPT_OVERDUE,
                from_unit=low.id,  # type: ignore[attr-defined]
                from_name=low.name,  # type: ignore[attr-defined]
                to=high.id,  # type: ignore[attr-defined]
                to_name=high.name,  # type: ignore[attr-defined]
                reason=_ESCALATION_REASON,
                due=events[0].accept_by.due,  # type: ignore[attr-defined]
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        )
    late = rng.random() < 0.08
    t = t + (_minutes(rng, 600) if late else _minutes(rng, 40))
    events.append(Accepted(at=t, actor="m"))
    t = t + (_minutes(rng, 400) if rng.random() < 0.06 else _minutes(rng, 20))
    events.append(Dispatched(at=t, actor="m", handler="w"))
    if rng.random() < 0.05:
        t = t + _minutes(rng, 60)
        events.append(Suspended(at=t, actor="m", reason="待核实"))
        t = t + timedelta(days=1) + _minutes(rng, 1440)
        events.append(Resumed(at=t, actor="m"))
    t = t + _minutes(rng, 30)
    events.append(HandlingStarted(at=t, actor="w"))
    due = resolve_by.due
    if rng.random() < 0.06:  # an extension, asked for and granted before the deadline
        asked = t + _minutes(rng, 120)
        until = resolve_by.due + timedelta(days=3 + rng.randrange(5))
        if asked <= until:  # (a case already past the day it would ask for asks for none)
            t = asked
            events.append(ExtensionRequested(at=t, actor="w", until=until, reason="需协调物业"))
            t = t + _minutes(rng, 60)
            events.append(ExtensionGranted(at=t, actor="sec"))
            due = until
    # resolved: before the (nominal) deadline mostly, after it for about one in eight
    if rng.random() < 0.12:
        t = max(t, due) + _minutes(rng, 1440)
    else:
        t = t + (due - t) * rng.random() * 0.9 if due > t else t + _minutes(rng, 30)
    events.append(Resolved(at=t, actor="w"))
    if rng.random() < 0.07:  # 返工: the check fails, the handler resolves it again
        t = t + _minutes(rng, 240)
        events.append(VerificationFailed(at=t, actor="sec", reason="未整改到位"))
        t = t + _minutes(rng, 600)
        events.append(Resolved(at=t, actor="w"))
    t = t + _minutes(rng, 120)
    events.append(Verified(at=t, actor="sec"))
    if rng.random() < 0.03:  # 回访不满意: reopened, resolved and verified again
        t = t + _minutes(rng, 240)
        events.append(ResidentDissatisfied(at=t, actor="r"))
        t = t + _minutes(rng, 600)
        events.append(Resolved(at=t, actor="w"))
        t = t + _minutes(rng, 120)
        events.append(Verified(at=t, actor="sec"))
    t = t + _minutes(rng, 60)
    events.append(Closed(at=t, actor="sec"))
    if rng.random() < 0.9:
        t = t + _minutes(rng, 1440)
        r = rng.random()
        sat = (
            Satisfaction.SATISFIED
            if r < 0.8
            else Satisfaction.BASICALLY_SATISFIED
            if r < 0.92
            else Satisfaction.DISSATISFIED
        )
        events.append(Evaluated(at=t, actor="r", satisfaction=sat))
    return events


def iter_cases(
    grid: GridGraph, places: Sequence[str], n: int, seed: int, *,
    start: datetime = START, end: datetime = END, prefix: str = "",
) -> Iterator[Case]:
    """*n* closed cases at *places* of *grid*, drawn with ``random.Random(seed)``, reported
    from *start* to *end*; ids ``c<prefix><i>`` (a prefix keeps the ids of several draws apart)."""
    span = (end - start).total_seconds()
    rng = random.Random(seed)
    chains: dict[str, tuple[object, ...]] = {}
    micro = grid.places
    for i in range(n):
        place = places[rng.randrange(len(places))]
        mg = micro[place]
        chain = chains.get(mg)
        if chain is None:
            chain = chains[mg] = grid.place_chain(place)
        yield Case(events=_case(i, rng, place, chain, grid.version, start, span, prefix))


def build_cases(grid: GridGraph, places: Sequence[str], n: int, seed: int) -> list[Case]:
    """:func:`iter_cases` as a list."""
    return list(iter_cases(grid, places, n, seed))
