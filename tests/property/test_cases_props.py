"""Property tests for gridgov.cases and gridgov.escalation on generated grids, policies and
event sequences.

The strategies (``escalation_policies``, ``opened_cases``, ``event_attempts``,
``event_sequences``, ``time_limits``) come from gridgov.testing.strategies, and the escalation
invariants are also checked with gridgov.testing.checks.check_escalation; the helpers here
are test-only.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import (
    CST,
    Channel,
    Deadline,
    GridGraph,
    InvalidTransitionError,
    Issue,
    Reporter,
    TimeLimit,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    TRANSITIONS,
    Accepted,
    Case,
    CaseOpened,
    CaseStatus,
    Escalated,
    Resumed,
    Returned,
    Suspended,
    Trigger,
    apply_event,
    replay,
)
from gridgov.demo import sample_grid
from gridgov.escalation import (
    EscalationPolicy,
    Sla,
    due_escalations,
    escalate,
    escalation_for,
)
from gridgov.testing.checks import check_escalation
from gridgov.testing.strategies import (
    Attempt,
    escalation_policies,
    event_attempts,
    event_sequences,
    grids,
    opened_cases,
    time_limits,
)

BASE = datetime(2026, 1, 5, 0, 0, tzinfo=CST)  # a Monday
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


def grids_and_policies(**kw: Any) -> SearchStrategy[tuple[GridGraph, EscalationPolicy]]:
    small = grids(max_units=8, places=False, members=False, partners=False)
    return small.flatmap(
        lambda g: st.tuples(st.just(g), escalation_policies(scheme=g.scheme, **kw))
    )


@st.composite
def worlds(
    draw: st.DrawFn, **kw: Any
) -> tuple[GridGraph, EscalationPolicy, Case, tuple[Attempt, ...]]:
    grid, policy = draw(grids_and_policies(**kw))
    case, attempts = draw(event_attempts(grid, policy))
    return grid, policy, case, attempts


# --------------------------------------------------------------------------- properties


@given(grids_and_policies(), st.data())
def test_drawn_histories_replay_and_keep_every_escalation_invariant(
    pair: tuple[GridGraph, EscalationPolicy], data: st.DataObject
) -> None:
    grid, policy = pair
    events = data.draw(event_sequences(grid, policy))
    assert isinstance(events[0], CaseOpened)
    case = check_escalation(
        policy, grid, Case(events=events[:1]), events[1:], keep_resolve_by=False
    )
    assert case == replay(events)


@given(worlds())
def test_replaying_a_cases_events_rebuilds_an_equal_case(world: Any) -> None:
    _, _, case, _ = world
    again = replay(case.events)
    assert again == case
    assert again.state == case.state  # the rebuilt state, not only the events


@given(worlds())
def test_no_sequence_of_events_reaches_a_status_the_table_forbids(world: Any) -> None:
    _, _, _, attempts = world
    for before, event, after in attempts:
        sources, target = TRANSITIONS[type(event)]
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
    position = 0
    climbed = 0
    beyond = False
    body = ""
    for step in case.timeline():
        event = step.event
        if isinstance(event, CaseOpened | Returned):
            chain, position, climbed = event.chain, event.position, 0
            assert chain == grid.chain(chain[0].id)
        elif isinstance(event, Escalated):
            assert not beyond, "no escalation after beyond"
            climbed += 1
            position += 1
            if position < len(chain):
                assert event.to == chain[position].id
                assert not event.beyond
            else:
                assert position == len(chain)
                assert event.beyond
                assert event.to not in {u.id for u in chain}
                beyond, body = True, event.to
            # beyond is reached in at most depth + 1 escalations
            assert climbed <= grid.depth(chain[0].id) + 1
        # Exactly one owner: the unit at the current position, or the external body.
        assert step.owner == (body if beyond else chain[position].id)
    assert case.beyond == beyond
    if case.beyond:
        later = case.updated_at + timedelta(days=999)
        assert list(due_escalations([case], policy, at=later)) == []


@given(grids_and_policies(), st.data())
def test_escalating_reaches_beyond_in_depth_plus_one_steps_after_which_none(
    pair: tuple[GridGraph, EscalationPolicy], data: st.DataObject
) -> None:
    grid, policy = pair
    case = data.draw(opened_cases(grid, policy))
    depth = grid.depth(case.accountable)
    at = case.opened_at
    owners = [case.owner]
    while not case.beyond:
        at += timedelta(hours=1)
        case = escalate(case, escalation_for(case, policy, at=at), policy, actor="system")
        owners.append(case.owner)
    assert owners == [u.id for u in grid.chain(case.accountable)] + [policy.beyond.id]
    assert len(owners) - 1 == depth + 1
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalation_for(case, policy, at=at)


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
    got = [(e.case, e.trigger) for e in due_escalations(cases, policy, at=now)]
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
    case = data.draw(opened_cases(grid, policy))
    assert case.accept_by is not None
    nominal = case.accept_by.due
    room = int((nominal - case.opened_at).total_seconds() // 60)
    s = case.opened_at + timedelta(minutes=data.draw(st.integers(0, max(room - 1, 0))))
    r = s + timedelta(minutes=data.draw(st.integers(0, 5 * 24 * 60)))
    case = apply_event(case, Suspended(at=s, actor="a", reason="x"))
    while_paused = s + timedelta(minutes=data.draw(st.integers(0, 10 * 24 * 60)))
    assert list(due_escalations([case], policy, at=while_paused)) == []
    case = apply_event(case, Resumed(at=r, actor="a"))
    t = r + timedelta(minutes=data.draw(st.integers(0, 20 * 24 * 60)))
    due = list(due_escalations([case], policy, at=t))
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
    assert from_dict(to_dict(case), Case).state == case.state


GRID = sample_grid()


@st.composite
def suspended_cases(
    draw: st.DrawFn,
) -> tuple[Case, Deadline, datetime, datetime, WorkCalendar]:
    """A case with a working-time resolve deadline, accepted, suspended and resumed."""
    cal = draw(st.sampled_from(CALENDARS))
    start = draw(moments(max_days=60))
    limit = draw(time_limits(basis="working"))
    deadline = Deadline.of(limit, start=start, calendar=cal, source="sla:x")
    issue = Issue(
        id="i",
        category="dispute",
        severity=1,
        channel=Channel.APP,
        place="h-1001",
        reporter=Reporter.resident("r"),
        reported_at=start,
    )
    case = Case(
        events=[
            CaseOpened(
                at=start,
                actor="m",
                case="c",
                issue=issue,
                chain=GRID.place_chain("h-1001"),
                grid_version=GRID.version,
                resolve_by=deadline,
            )
        ]
    )
    # The suspension begins before the deadline falls due (at the due moment the deadline
    # is reached and a pause gives nothing back): a deadline due at its start has no room.
    room = int((deadline.due - start).total_seconds() // 60)
    assume(room >= 1)
    suspended = start + timedelta(minutes=draw(st.integers(0, room - 1)))
    resumed = suspended + timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
    case = replay(
        [
            *case.events,
            Accepted(at=start, actor="m"),
            Suspended(at=suspended, actor="m", reason="等待"),
            Resumed(at=resumed, actor="m"),
        ]
    )
    return case, deadline, suspended, resumed, cal


@given(suspended_cases())
def test_a_suspension_refunds_working_time_on_a_working_time_deadline(
    world: tuple[Case, Deadline, datetime, datetime, WorkCalendar],
) -> None:
    case, before, suspended, resumed, cal = world
    after = case.resolve_by
    assert after is not None
    assert (after.basis, after.limit, after.source) == ("working", before.limit, "sla:x")
    effective = after.effective(cal)
    # The working time of the suspension is given back, no more and no less: from the
    # deadline's start to its effective moment, less the suspension, is the limit's own
    # working time (from the start to the nominal due moment).
    refunded = cal.working_time_between(suspended, resumed)
    budget = cal.working_time_between(before.start, before.due)
    assert cal.working_time_between(before.start, effective) - refunded == budget
    assert effective >= before.due
    if refunded > timedelta(0):
        assert effective > before.due
    else:
        assert effective == before.due or cal.working_time_between(before.due, effective) == (
            timedelta(0)
        )
    # Not wall-clock time: a suspension over a weekend or a holiday gives back only the
    # working hours in it.
    assert (
        effective <= before.due + (resumed - suspended)
        or refunded == timedelta(0)
        or (cal.working_time_between(before.due, effective) == refunded)
    )


def test_a_pause_that_begins_as_the_deadline_falls_due_gives_nothing_back() -> None:
    """The boundary the property above leaves out (found by hypothesis: a working deadline
    due at its own start, 18:00 on a make-up workday): at the due moment the deadline is
    reached, so a pause beginning then gives no time back — late stays late."""
    cal = WorkCalendar(workdays=[date(2026, 1, 10)])
    at = datetime(2026, 1, 10, 18, 0, tzinfo=CST)
    due = Deadline.of(TimeLimit.end_of_working_day(), start=at, calendar=cal, source="sla:x")
    assert due.due == at
    paused = due.paused(at, datetime(2026, 1, 12, 8, 31, tzinfo=CST))
    assert paused.effective(cal) == at
