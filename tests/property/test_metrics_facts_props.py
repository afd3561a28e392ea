"""Property tests for gridgov.metrics.facts on generated grids, policies and case histories.

Cases come from ``gridgov.testing.strategies.event_attempts`` (a case simulated under a drawn
escalation policy, every event tried); the deadlines are counted on the policy's calendar.
The resolve deadline is recomputed here, independently of the facts engine, by walking the
events as the lifecycle documents them (:func:`model_resolve_by`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
from hypothesis import assume, event, given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import Deadline, GridGraph, TimeLimit, from_dict, to_dict
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Dispatched,
    Escalated,
    ExtensionGranted,
    ExtensionRequested,
    ResidentDissatisfied,
    Resolved,
    Resumed,
    Returned,
    Suspended,
    VerificationFailed,
    apply_event,
    replay,
)
from gridgov.escalation import EscalationPolicy
from gridgov.metrics import case_facts, facts_of
from gridgov.testing.strategies import escalation_policies, event_attempts, grids

WORKING = frozenset({CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS})


def grids_and_policies() -> SearchStrategy[tuple[GridGraph, EscalationPolicy]]:
    small = grids(max_units=8, places=False, members=False, partners=False)
    return small.flatmap(lambda g: st.tuples(st.just(g), escalation_policies(scheme=g.scheme)))


@st.composite
def worlds(draw: st.DrawFn, max_events: int = 30) -> tuple[EscalationPolicy, Case]:
    grid, policy = draw(grids_and_policies())
    case, _ = draw(event_attempts(grid, policy, max_events=max_events))
    return policy, case


def model_resolve_by(events: tuple[CaseEvent, ...]) -> Deadline | None:
    """The resolve deadline after *events*, as the lifecycle's documentation says each event
    sets it (a model written for this test, not the engine)."""
    opened = events[0]
    assert isinstance(opened, CaseOpened)
    deadline, paused_since, requested = opened.resolve_by, None, None
    for e in events[1:]:
        if isinstance(e, Escalated):
            deadline, requested = e.resolve_by, None
        elif isinstance(e, Returned):
            requested = None
            if e.resolve_by is not None:
                deadline = e.resolve_by
        elif isinstance(e, Suspended):
            paused_since = e.at
        elif isinstance(e, Resumed):
            if deadline is not None and paused_since is not None:
                deadline = deadline.paused(paused_since, e.at)
            paused_since = None
        elif isinstance(e, Resolved):
            paused_since, requested = e.at, None
        elif isinstance(e, VerificationFailed | ResidentDissatisfied):
            if e.resolve_by is not None:
                deadline = e.resolve_by
            elif deadline is not None and paused_since is not None:
                deadline = deadline.paused(paused_since, e.at)
            paused_since = None
        elif isinstance(e, ExtensionRequested):
            requested = e.until
        elif isinstance(e, ExtensionGranted):
            assert deadline is not None and requested is not None
            until = requested if e.until is None else e.until
            deadline = Deadline(start=e.at, due=until, basis=deadline.basis, source="extension")
            requested = None
    return deadline


# --------------------------------------------------------------------------- properties


@given(worlds())
def test_facts_of_a_replayed_case_equal_facts_of_the_live_one(world: Any) -> None:
    policy, live = world
    cal = policy.calendar
    again = replay(list(live.events))
    assert case_facts(again, calendar=cal) == case_facts(live, calendar=cal)


@given(worlds())
def test_facts_of_is_case_facts_of_each(world: Any) -> None:
    policy, case = world
    cal = policy.calendar
    prefixes = [replay(case.events[: n + 1]) for n in range(len(case.events))]
    limit = TimeLimit.working_hours(3)
    assert list(facts_of(prefixes, calendar=cal, dispatch_limit=limit)) == [
        case_facts(c, calendar=cal, dispatch_limit=limit) for c in prefixes
    ]


@given(worlds())
def test_acceptance_and_dispatch_are_timed_against_the_deadlines_then_in_force(
    world: Any
) -> None:
    policy, case = world
    cal = policy.calendar
    limit = TimeLimit.working_hours(2)
    f = case_facts(case, calendar=cal, dispatch_limit=limit)
    events = case.events
    first = next((i for i, e in enumerate(events) if isinstance(e, Accepted)), None)
    if first is None:
        assert (f.accepted_at, f.accepted_on_time, f.dispatch_due) == (None, None, None)
        end = case.accept_by
        assert f.accept_due == (None if end is None else end.effective(cal))
        return
    accepted = events[first].at
    then = replay(events[: first + 1]).accept_by  # the lifecycle's state at the acceptance
    due = None if then is None else then.effective(cal)
    assert (f.accepted_at, f.accept_due) == (accepted, due)
    assert f.accepted_on_time == (None if due is None else accepted <= due)
    dispatch_due = Deadline.of(limit, start=accepted, calendar=cal).due
    assert f.dispatch_due == dispatch_due
    dispatched = next((e.at for e in events if isinstance(e, Dispatched)), None)
    assert f.dispatched_at == dispatched
    assert f.dispatched_on_time == (None if dispatched is None else dispatched <= dispatch_due)


@given(worlds())
def test_a_case_counted_on_time_really_met_its_deadline(world: Any) -> None:
    policy, case = world
    cal = policy.calendar
    f = case_facts(case, calendar=cal)
    deadline = model_resolve_by(tuple(case.events))
    due = None if deadline is None else deadline.effective(cal)
    assert f.resolve_due == due
    last = max((i for i, e in enumerate(case.events) if isinstance(e, Resolved)), default=-1)
    reopened = any(
        isinstance(e, VerificationFailed | ResidentDissatisfied) for e in case.events[last + 1 :]
    )
    if last < 0 or reopened:
        assert (f.resolved_at, f.resolved_on_time) == (None, None)
        return
    resolved_at = case.events[last].at
    assert f.resolved_at == resolved_at
    # The deadline in force when it was resolved, read from the lifecycle's own state then.
    at_resolution = replay(case.events[: last + 1]).resolve_by
    assert (None if at_resolution is None else at_resolution.effective(cal)) == due
    if due is None:
        assert f.resolved_on_time is None
    else:
        assert f.resolved_on_time == (resolved_at <= due)
        if f.resolved_on_time:
            assert resolved_at <= due
    if f.extensions == 0:
        assert (f.resolve_due_unextended, f.resolved_on_time_unextended) == (
            f.resolve_due, f.resolved_on_time)


def _extendable(case: Case, cal: Any) -> datetime | None:
    """The effective resolve deadline of *case* if an extension may be asked, granted and the
    case resolved before that deadline passes, with no extension granted before; else None."""
    if case.status not in WORKING or case.resolve_by is None or case.extension_requested:
        return None
    if any(isinstance(e, ExtensionGranted) for e in case.events):
        return None
    if any(h.required and h.is_open for h in case.co_handlers):
        return None
    due = case.resolve_by.effective(cal)
    return due if case.updated_at < due else None


@given(worlds(), st.data())
def test_an_extension_granted_before_the_deadline_moves_the_on_time_line(
    world: Any, data: st.DataObject
) -> None:
    policy, drawn = world
    cal = policy.calendar
    # The longest stretch of the drawn history at which an extension can be granted in time,
    # else the opening accepted at once.
    fits = [c for c in (replay(drawn.events[: n + 1]) for n in range(len(drawn.events)))
            if _extendable(c, cal) is not None]
    event("drawn history" if fits else "opening accepted at once")
    if not fits:  # the opening with a natural resolve clock, accepted at once
        first = drawn.events[0]
        hours = timedelta(hours=data.draw(st.integers(1, 96)))
        opened = Case(events=[attrs.evolve(first, resolve_by=Deadline(start=first.at, due=first.at + hours))])
        fits = [apply_event(opened, Accepted(at=opened.opened_at, actor="m"))]
    case = fits[-1]
    due = _extendable(case, cal)
    assume(due is not None)
    assert due is not None
    grant = case.updated_at + (due - case.updated_at) * data.draw(st.floats(0, 0.99))
    until = due + timedelta(hours=data.draw(st.integers(1, 200)))
    case = apply_event(case, ExtensionRequested(at=grant, actor="m", until=until, reason="配件"))
    case = apply_event(case, ExtensionGranted(at=grant, actor="m-sec"))
    late: bool = data.draw(st.booleans())
    resolved: datetime = (
        due + (until - due) * data.draw(st.floats(0.01, 1)) if late else
        grant + (due - grant) * data.draw(st.floats(0, 1))
    )
    f = case_facts(apply_event(case, Resolved(at=resolved, actor="m")), calendar=cal)
    assert (f.resolve_due, f.resolve_due_unextended) == (until, due)
    assert f.resolved_on_time is True  # the extension moved the line to `until`
    assert f.resolved_on_time_unextended is (not late)  # the unextended line stayed at `due`
    assert f.extensions == 1


@given(worlds())
def test_facts_round_trip_through_dicts(world: Any) -> None:
    policy, case = world
    f = case_facts(case, calendar=policy.calendar)
    assert from_dict(to_dict(f)) == f
