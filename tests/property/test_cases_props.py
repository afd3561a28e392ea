"""Property tests for gridgov.cases and gridgov.escalation on generated grids, policies and
event sequences.

The strategies ``time_limits``, ``escalation_policies``, ``event_sequences`` and
``event_attempts`` live here for now; they are meant to move to
``gridgov.testing.strategies``.  ``event_sequences`` simulates a case: from a case opened on
a drawn unit of a drawn grid it draws event kinds one at a time (with the payloads they need,
valid or not), applies each at a non-decreasing time, and keeps those the case accepts, so
every sequence it returns replays.  ``event_attempts`` returns every attempt with its outcome,
refused ones included.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import (
    CST,
    Channel,
    GridGraph,
    InvalidTransitionError,
    Issue,
    Reporter,
    ReporterKind,
    Severity,
    TierScheme,
    TimeLimit,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    TRANSITIONS,
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Deadline,
    Dispatched,
    DuplicateMerged,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    SeverityRaised,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
    replay,
)
from gridgov.escalation import (
    DEFAULT_TRIGGERS,
    EscalationPolicy,
    ExternalBody,
    Sla,
    due_escalations,
    escalate,
)
from gridgov.testing.strategies import grids

BASE = datetime(2026, 1, 5, 0, 0, tzinfo=CST)  # a Monday
CATEGORIES = ("dispute", "environment", "elder_care", "policy_enquiry", "complaint")
HANDLERS = ("p-wuye", "p-police", "u-2")
CALENDARS = (
    WorkCalendar(),
    WorkCalendar(
        holidays={date(2026, 1, d) for d in range(7, 10)}
        | {date(2026, 2, d) for d in range(16, 23)},
        workdays={date(2026, 1, 10), date(2026, 2, 14)},
    ),
)


# --------------------------------------------------------------------------- strategies


def moments(*, max_days: int = 200) -> SearchStrategy[datetime]:
    """Aware moments in China Standard Time, to the minute, from early January 2026."""
    return st.integers(0, max_days * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))


def time_limits() -> SearchStrategy[TimeLimit]:
    """Time limits of every kind: natural and working, hours and days, to the end of a day."""
    return st.one_of(
        st.integers(1, 72).map(TimeLimit.natural_hours),
        st.integers(1, 5).map(TimeLimit.natural_days),
        st.integers(1, 30).map(TimeLimit.working_hours),
        st.integers(1, 10).map(TimeLimit.working_days),
        st.just(TimeLimit.same_day()),
        st.just(TimeLimit.end_of_working_day()),
    )


@functools.cache
def _slas(tiers: tuple[str | None, ...]) -> SearchStrategy[Sla]:
    return st.builds(
        Sla,
        name=st.sampled_from(["", "a", "b"]),
        tier=st.sampled_from(tiers),
        categories=st.frozensets(st.sampled_from(CATEGORIES), max_size=2),
        min_severity=st.just(Severity.ROUTINE),
        max_severity=st.sampled_from(list(Severity)),
        accept_within=st.none() | _TIME_LIMITS,
        resolve_within=st.none() | _TIME_LIMITS,
    )


_TIME_LIMITS = time_limits()
_TRIGGER_SETS = st.frozensets(st.sampled_from(sorted(DEFAULT_TRIGGERS, key=lambda t: t.value)))


@st.composite
def escalation_policies(
    draw: st.DrawFn,
    scheme: TierScheme | None = None,
    *,
    triggers: SearchStrategy[frozenset[Trigger]] | None = None,
    max_slas: int = 5,
) -> EscalationPolicy:
    """Escalation policies whose SLAs name tiers of *scheme* (or every tier)."""
    tiers: tuple[str | None, ...] = (None,) if scheme is None else (None, *scheme.names)
    drawn_triggers = draw(_TRIGGER_SETS if triggers is None else triggers)
    return EscalationPolicy(
        name=draw(st.sampled_from(["p", "12345", "网格时限"])),
        beyond=ExternalBody(
            id="beyond",
            name=draw(st.sampled_from(["淮河路街道", "城管局"])),
            sla=draw(st.none() | _slas((None,))),
        ),
        slas=draw(st.lists(_slas(tiers), max_size=max_slas)),
        calendar=draw(st.sampled_from(CALENDARS)),
        triggers=drawn_triggers,
        repeat_count=draw(st.integers(2, 4)),
        repeat_window=timedelta(days=draw(st.integers(1, 60))),
        dissatisfied_count=draw(st.integers(1, 3)),
    )


class Attempt(NamedTuple):
    """One event tried on a case, and what came of it."""

    before: Case
    event: CaseEvent
    after: Case | None  # None: refused with InvalidTransitionError


def _deadline(draw: st.DrawFn, at: datetime) -> Deadline | None:
    if not draw(st.booleans()):
        return None
    return Deadline(start=at, due=at + timedelta(hours=draw(st.integers(0, 96))))


def _opening(draw: st.DrawFn, grid: GridGraph, policy: EscalationPolicy, case_id: str) -> Case:
    unit = draw(st.sampled_from(grid.units))
    start = draw(moments(max_days=60))
    category = draw(st.sampled_from(CATEGORIES))
    severity = draw(st.sampled_from(list(Severity)))
    issue = Issue(
        id=f"i-{case_id}",
        category=category,
        severity=severity,
        channel=Channel.APP,
        unit=unit.id,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        reported_at=start,
    )
    accept_by, resolve_by = policy.deadlines(
        tier=unit.tier, category=category, severity=severity, start=start
    )
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="opener",
                case=case_id,
                issue=issue,
                chain=grid.chain(unit.id),
                grid_version=grid.version,
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        ]
    )


def _attempt(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> Attempt:
    """Draw one event kind with a payload (valid or not) and try it on *case*.

    Mostly a kind the case's status allows (and, most of those times, not one that ends the
    loop early), sometimes any kind at all, so that refusals are tried too.
    """
    mode = draw(st.integers(0, 9))
    allowed = [k for k in _KINDS if case.status in TRANSITIONS[_CLASS[k]].sources]
    if mode == 0 or not allowed:
        kind = draw(st.sampled_from(_KINDS))
    else:
        lasting = [k for k in allowed if k not in _ENDINGS]
        kind = draw(st.sampled_from(lasting if mode > 1 and lasting else allowed))
    if kind == "escalate":  # the policy's own escalation, most often valid
        try:
            after = escalate(case, policy, at=at, actor="system", trigger=Trigger.MANUAL)
        except InvalidTransitionError:
            event: CaseEvent = Escalated(
                at=at,
                actor="system",
                trigger=Trigger.MANUAL,
                from_unit=case.owner,
                to="beyond",
                beyond=True,
                reason="x",
            )
            return Attempt(case, event, None)
        return Attempt(case, after.events[-1], after)
    event = _BUILD[kind](draw, case, grid, at)
    try:
        return Attempt(case, event, apply_event(case, event))
    except InvalidTransitionError:
        return Attempt(case, event, None)


def _co_handler(draw: st.DrawFn, case: Case) -> str:
    open_ids = [h.id for h in case.co_handlers if h.is_open]
    return (
        draw(st.sampled_from(open_ids))
        if open_ids and draw(st.booleans())
        else draw(st.sampled_from(HANDLERS))
    )


def _random_escalation(draw: st.DrawFn, case: Case, grid: GridGraph, at: datetime) -> CaseEvent:
    to = draw(st.sampled_from([u.id for u in grid.units] + ["beyond"]))
    return Escalated(
        at=at,
        actor="x",
        trigger=draw(st.sampled_from(list(Trigger))),
        from_unit=case.owner if draw(st.integers(0, 4)) else "elsewhere",
        to=to,
        beyond=not draw(st.integers(0, 2)),
        reason="random",
        accept_by=_deadline(draw, at),
        resolve_by=_deadline(draw, at),
    )


def _returned(draw: st.DrawFn, case: Case, grid: GridGraph, at: datetime) -> CaseEvent:
    unit = draw(st.sampled_from(grid.units))
    return Returned(
        at=at,
        actor="x",
        reason="错派",
        chain=grid.chain(unit.id),
        grid_version=grid.version,
        accept_by=_deadline(draw, at),
        resolve_by=_deadline(draw, at),
    )


def _hours(draw: st.DrawFn, at: datetime, most: int = 200) -> datetime:
    return at + timedelta(hours=draw(st.integers(0, most)))


_BUILD: dict[str, Callable[[st.DrawFn, Case, GridGraph, datetime], CaseEvent]] = {
    "accept": lambda d, c, g, t: Accepted(at=t, actor="a"),
    "reject": lambda d, c, g, t: Rejected(at=t, actor="a", reason="不予立案"),
    "dispatch": lambda d, c, g, t: Dispatched(at=t, actor="a", handler="h"),
    "start": lambda d, c, g, t: HandlingStarted(at=t, actor="h"),
    "resolve": lambda d, c, g, t: Resolved(at=t, actor="h"),
    "verify": lambda d, c, g, t: Verified(at=t, actor="v"),
    "fail": lambda d, c, g, t: VerificationFailed(
        at=t, actor="v", reason="x", resolve_by=_deadline(d, t)
    ),
    "satisfied": lambda d, c, g, t: ResidentSatisfied(at=t, actor="r"),
    "dissatisfied": lambda d, c, g, t: ResidentDissatisfied(
        at=t, actor="r", resolve_by=_deadline(d, t)
    ),
    "close": lambda d, c, g, t: Closed(at=t, actor="a"),
    "evaluate": lambda d, c, g, t: Evaluated(
        at=t, actor="r", satisfaction=d(st.sampled_from(list(Satisfaction)))
    ),
    "suspend": lambda d, c, g, t: Suspended(at=t, actor="a", reason="x"),
    "resume": lambda d, c, g, t: Resumed(at=t, actor="a"),
    "ask": lambda d, c, g, t: ExtensionRequested(at=t, actor="a", until=_hours(d, t), reason="x"),
    "grant": lambda d, c, g, t: ExtensionGranted(
        at=t, actor="s", until=d(st.none() | st.just(_hours(d, t)))
    ),
    "refuse": lambda d, c, g, t: ExtensionRefused(at=t, actor="s", reason="x"),
    "escalate_random": _random_escalation,
    "return": _returned,
    "raise": lambda d, c, g, t: SeverityRaised(
        at=t,
        actor="a",
        severity=d(st.sampled_from([s for s in Severity if s > c.severity] or list(Severity))),
        reason="x",
    ),
    "link": lambda d, c, g, t: CoHandlerLinked(
        at=t,
        actor="a",
        handler=d(st.sampled_from(HANDLERS)),
        kind=d(st.sampled_from(["partner", "unit"])),
        required=d(st.booleans()),
        due=d(st.none() | st.just(_hours(d, t))),
    ),
    "complete": lambda d, c, g, t: CoHandlerCompleted(at=t, actor="p", handler=_co_handler(d, c)),
    "release": lambda d, c, g, t: CoHandlerReleased(
        at=t, actor="a", handler=_co_handler(d, c), reason="x"
    ),
    "merge_into": lambda d, c, g, t: MergedInto(
        at=t, actor="a", into=d(st.sampled_from(["c-0", c.id]))
    ),
    "merge_dup": lambda d, c, g, t: DuplicateMerged(
        at=t,
        actor="a",
        duplicate=d(st.sampled_from(["dup-1", "dup-2", c.id])),
        issue=Issue(
            id="dup",
            category=c.issue.category,
            severity=1,
            channel=Channel.APP,
            unit=c.chain[0].id,
            reporter=Reporter(kind=ReporterKind.ANONYMOUS),
            reported_at=c.issue.reported_at,
        ),
    ),
}
_KINDS = ("escalate", *_BUILD)
_CLASS = {
    "escalate": "Escalated",
    "accept": "Accepted",
    "reject": "Rejected",
    "dispatch": "Dispatched",
    "start": "HandlingStarted",
    "resolve": "Resolved",
    "verify": "Verified",
    "fail": "VerificationFailed",
    "satisfied": "ResidentSatisfied",
    "dissatisfied": "ResidentDissatisfied",
    "close": "Closed",
    "evaluate": "Evaluated",
    "suspend": "Suspended",
    "resume": "Resumed",
    "ask": "ExtensionRequested",
    "grant": "ExtensionGranted",
    "refuse": "ExtensionRefused",
    "escalate_random": "Escalated",
    "return": "Returned",
    "raise": "SeverityRaised",
    "link": "CoHandlerLinked",
    "complete": "CoHandlerCompleted",
    "release": "CoHandlerReleased",
    "merge_into": "MergedInto",
    "merge_dup": "DuplicateMerged",
}
assert set(_CLASS) == set(_KINDS)
_ENDINGS = frozenset({"reject", "merge_into"})


@st.composite
def event_attempts(
    draw: st.DrawFn,
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
    max_gap_hours: int = 30,
) -> tuple[Case, tuple[Attempt, ...]]:
    """A case opened on a unit of *grid* and every event tried on it, refused ones included."""
    case = _opening(draw, grid, policy, case_id)
    attempts: list[Attempt] = []
    at = case.opened_at
    wanted = draw(st.integers(0, max_events))  # events taken; tries stop at three times that
    for _ in range(3 * wanted):
        if len(case.events) > wanted:
            break
        at = at + timedelta(minutes=draw(st.integers(0, max_gap_hours * 60)))
        attempt = _attempt(draw, case, grid, policy, at)
        attempts.append(attempt)
        if attempt.after is not None:
            case = attempt.after
    return case, tuple(attempts)


def event_sequences(
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
) -> SearchStrategy[tuple[CaseEvent, ...]]:
    """Event sequences that replay into a case: a CaseOpened and the events the case took."""
    return event_attempts(grid, policy, case_id=case_id, max_events=max_events).map(
        lambda pair: pair[0].events
    )


def grids_and_policies(**kw: Any) -> SearchStrategy[tuple[GridGraph, EscalationPolicy]]:
    small = grids(max_units=8, places=False, members=False, partners=False)
    return small.flatmap(lambda g: st.tuples(st.just(g), escalation_policies(g.scheme, **kw)))


@st.composite
def worlds(
    draw: st.DrawFn, **kw: Any
) -> tuple[GridGraph, EscalationPolicy, Case, tuple[Attempt, ...]]:
    grid, policy = draw(grids_and_policies(**kw))
    case, attempts = draw(event_attempts(grid, policy))
    return grid, policy, case, attempts


# --------------------------------------------------------------------------- properties


@given(worlds())
def test_replaying_a_cases_events_rebuilds_an_equal_case(world: Any) -> None:
    _, _, case, _ = world
    again = replay(case.events)
    assert again == case
    assert again._state() == case._state()


@given(worlds())
def test_no_sequence_of_events_reaches_a_status_the_table_forbids(world: Any) -> None:
    _, _, _, attempts = world
    for before, event, after in attempts:
        sources, target = TRANSITIONS[type(event).__name__]
        if before.status not in sources:
            assert after is None, (before.status, event)
        if after is None:
            assert after is None
            assert len(before.events) >= 1
            continue
        assert after.events == (*before.events, event)  # append-only
        if target == "same":
            assert after.status is before.status
        elif target == "previous":
            assert after.status is before.suspended_from
        else:
            assert after.status is target
        assert after.updated_at == event.at >= before.updated_at


@given(worlds())
def test_one_owner_at_every_point_moving_only_up_the_chain(world: Any) -> None:
    grid, policy, case, _ = world
    chain: tuple[Any, ...] = ()
    level = 0
    climbed = 0
    beyond = False
    body = ""
    for step in case.timeline():
        event = step.event
        if isinstance(event, CaseOpened | Returned):
            chain, level, climbed = event.chain, 0, 0
            assert chain == grid.chain(chain[0].id)
        elif isinstance(event, Escalated):
            assert not beyond, "no escalation after beyond"
            climbed += 1
            level += 1
            if level < len(chain):
                assert event.to == chain[level].id
                assert not event.beyond
            else:
                assert level == len(chain)
                assert event.beyond
                assert event.to not in {u.id for u in chain}
                beyond, body = True, event.to
            # beyond is reached in at most depth + 1 escalations
            assert climbed <= grid.depth(chain[0].id) + 1
        # Exactly one owner: the unit at the current level, or the external body.
        assert step.owner == (body if beyond else chain[level].id)
    assert case.beyond == beyond
    if case.beyond:
        assert list(due_escalations([case], policy, case.updated_at + timedelta(days=999))) == []


@given(grids_and_policies(), st.data())
def test_escalating_reaches_beyond_in_depth_plus_one_steps_after_which_none(
    pair: tuple[GridGraph, EscalationPolicy], data: st.DataObject
) -> None:
    grid, policy = pair
    case = _opening(data.draw, grid, policy, "c-1")
    depth = grid.depth(case.filed_unit)
    at = case.opened_at
    owners = [case.owner]
    while not case.beyond:
        at += timedelta(hours=1)
        case = escalate(case, policy, at=at, actor="system")
        owners.append(case.owner)
    assert owners == [u.id for u in grid.chain(case.filed_unit)] + [policy.beyond.id]
    assert len(owners) - 1 == depth + 1
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalate(case, policy, at=at, actor="system")


def _expected_due(case: Case, policy: EscalationPolicy, now: datetime) -> Trigger | None:
    """The deadline trigger due at *now*, computed from the case's status and deadlines."""
    if not case.status.is_active or case.beyond:
        return None
    cal = policy.calendar
    if (
        case.status is CaseStatus.REPORTED
        and case.accept_by is not None
        and case.accept_by.effective(cal) < now
    ):
        return Trigger.ACCEPT_OVERDUE
    if case.resolve_by is not None and case.resolve_by.effective(cal) < now:
        return Trigger.RESOLVE_OVERDUE
    return None


@st.composite
def case_books(draw: st.DrawFn) -> tuple[EscalationPolicy, list[Case], datetime]:
    grid, policy = draw(
        grids_and_policies(
            triggers=st.just(frozenset({Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE}))
        )
    )
    cases = []
    for n in range(draw(st.integers(0, 6))):
        case, _ = draw(event_attempts(grid, policy, case_id=f"c-{n}", max_events=12))
        cases.append(case)
    latest = max((c.updated_at for c in cases), default=BASE)
    now = latest + timedelta(minutes=draw(st.integers(0, 20 * 24 * 60)))
    return policy, cases, now


@given(case_books())
def test_the_sweep_returns_exactly_the_cases_whose_deadlines_passed_and_are_not_paused(
    book: tuple[EscalationPolicy, list[Case], datetime],
) -> None:
    policy, cases, now = book
    got = [(e.case, e.trigger) for e in due_escalations(cases, policy, now)]
    expected = [(c.id, t) for c in cases if (t := _expected_due(c, policy, now)) is not None]
    assert got == expected
    for c in cases:
        if c.status is CaseStatus.SUSPENDED:
            assert c.id not in {case_id for case_id, _ in got}


def _consumed(deadline: Deadline, until: datetime, cal: WorkCalendar) -> float:
    """Clock time used from the deadline's start to *until*, pauses not counted."""

    def measure(a: datetime, b: datetime) -> float:
        if deadline.basis == "working":
            return cal.working_time_between(a, b).total_seconds()
        return (b - a).total_seconds()

    used = measure(deadline.start, until)
    for start, end in deadline.pauses:
        if start < until:
            used -= measure(start, min(end, until))
    return used


@st.composite
def paused_deadlines(draw: st.DrawFn) -> tuple[Deadline, WorkCalendar]:
    cal = draw(st.sampled_from(CALENDARS))
    start = draw(moments(max_days=60))
    deadline = Deadline.of(draw(time_limits()), start=start, calendar=cal)
    t = start
    for _ in range(draw(st.integers(0, 4))):
        # pauses begin before the nominal deadline (while the case was on time)
        room = int((deadline.due - t).total_seconds() // 60)
        if room <= 0:
            break
        pause_start = t + timedelta(minutes=draw(st.integers(0, room - 1)))
        pause_end = pause_start + timedelta(minutes=draw(st.integers(0, 4 * 24 * 60)))
        deadline = deadline.paused(pause_start, pause_end)
        t = pause_end
        if t >= deadline.due:
            break
    return deadline, cal


@given(paused_deadlines())
def test_suspension_time_never_counts_against_the_sla(pair: tuple[Deadline, WorkCalendar]) -> None:
    deadline, cal = pair
    effective = deadline.effective(cal)
    assert effective >= deadline.due
    budget = _consumed(attrs_evolve_no_pauses(deadline), deadline.due, cal)
    # By the effective deadline exactly the SLA's time has been used, pauses not counted ...
    assert _consumed(deadline, effective, cal) == budget
    # ... and a minute earlier, never more than it.
    assert _consumed(deadline, effective - timedelta(minutes=1), cal) <= budget
    if deadline.basis == "natural":
        paused = sum((e - s for s, e in deadline.pauses), timedelta(0))
        assert effective == deadline.due + paused


def attrs_evolve_no_pauses(deadline: Deadline) -> Deadline:
    return Deadline(start=deadline.start, due=deadline.due, basis=deadline.basis)


@given(grids_and_policies(), st.data())
def test_a_suspended_case_is_never_escalated_for_time_it_spent_suspended(
    pair: tuple[GridGraph, EscalationPolicy], data: st.DataObject
) -> None:
    grid, policy = pair
    policy = EscalationPolicy(
        name=policy.name,
        beyond=policy.beyond,
        slas=[Sla(accept_within=data.draw(time_limits()))],
        calendar=policy.calendar,
        triggers={Trigger.ACCEPT_OVERDUE},
    )
    case = _opening(data.draw, grid, policy, "c-1")
    assert case.accept_by is not None
    nominal = case.accept_by.due
    room = int((nominal - case.opened_at).total_seconds() // 60)
    s = case.opened_at + timedelta(minutes=data.draw(st.integers(0, max(room - 1, 0))))
    r = s + timedelta(minutes=data.draw(st.integers(0, 5 * 24 * 60)))
    case = apply_event(case, Suspended(at=s, actor="a", reason="x"))
    while_paused = s + timedelta(minutes=data.draw(st.integers(0, 10 * 24 * 60)))
    assert list(due_escalations([case], policy, while_paused)) == []
    case = apply_event(case, Resumed(at=r, actor="a"))
    t = r + timedelta(minutes=data.draw(st.integers(0, 20 * 24 * 60)))
    due = list(due_escalations([case], policy, t))
    assert bool(due) == (t > case.accept_by.effective(policy.calendar))
    # Measured independently of what the case recorded: the clock from the opening, less
    # the one suspension.
    clock = Deadline(start=case.opened_at, due=nominal, basis=case.accept_by.basis, pauses=[(s, r)])
    budget = _consumed(attrs_evolve_no_pauses(clock), nominal, policy.calendar)
    used = _consumed(clock, t, policy.calendar)
    if due:
        assert used >= budget  # escalated only once the SLA's own time is used up
    if used > budget:
        assert due  # and never let off


@given(worlds())
def test_policies_and_cases_round_trip_through_to_dict_and_json(world: Any) -> None:
    _, policy, case, _ = world
    for value in (policy, case):
        data = to_dict(value)
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        back = from_dict(json.loads(text), type(value))
        assert back == value
        assert to_dict(back) == data
    assert from_dict(to_dict(case))._state() == case._state()  # type: ignore[attr-defined]
