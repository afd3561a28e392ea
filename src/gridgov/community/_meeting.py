"""The engine of a deliberation meeting (private): its state, and one step per event.

The state is a frozen tuple; each event's ``_step`` (in :mod:`gridgov.community.deliberation`)
gives the next one after the checks every event shares here: nothing after the meeting
closed, nothing out of time order, one opening only.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from gridgov.community.rules import Decision, Outcome, Vote, VoteCount
from gridgov.errors import InvalidTransitionError
from gridgov.reasons import Reason

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.community.deliberation import MeetingConvened, MeetingEvent
    from gridgov.community.wishes import AgendaItem


class State(NamedTuple):
    """Where a meeting stands: as convened, the votes, who voted on what, the decisions."""

    convened: MeetingConvened
    votes: tuple[object, ...]
    voted: frozenset[tuple[str, str]]
    decisions: tuple[Decision, ...]
    decided: frozenset[str]
    closed: bool
    last: datetime


def convened(event: MeetingConvened) -> State:
    """The state of a meeting just convened by *event*."""
    return State(event, (), frozenset(), (), frozenset(), False, event.at)


def step(state: State, event: MeetingEvent) -> State:
    """The state after *event*, or the refusal."""
    if state.closed:
        refuse(state, f"it has closed; {type(event).__name__} cannot follow.")
    if event.at < state.last:
        refuse(
            state,
            f"{type(event).__name__} at {event.at.isoformat()} is before the last event at "
            f"{state.last.isoformat()}; events come in time order.",
        )
    made: State = event._step(state)
    return made._replace(last=event.at)


def refuse(state: State, why: str) -> None:
    raise InvalidTransitionError(f"meeting {state.convened.meeting!r}: {why}")


def open_item(state: State, item_id: str) -> AgendaItem:
    """The agenda item *item_id*, refused if it is not on the agenda or decided already."""
    for item in state.convened.agenda:
        if item.id == item_id:
            if item_id in state.decided:
                refuse(state, f"item {item_id!r} is decided already.")
            return item
    refuse(state, f"item {item_id!r} is not on the agenda.")
    raise AssertionError  # pragma: no cover - refuse raised


def count(state: State, item_id: str) -> VoteCount:
    """The count on *item_id*: the voting seats, those present, and the votes cast on it."""
    seats = [a for a in state.convened.attendees if a.voting]
    tally = {Vote.FOR: 0, Vote.AGAINST: 0, Vote.ABSTAIN: 0}
    for cast in state.votes:
        if cast.item == item_id:  # type: ignore[attr-defined]
            tally[cast.vote] += 1  # type: ignore[attr-defined]
    return VoteCount(
        seats=len(seats),
        present=sum(a.present for a in seats),
        yes=tally[Vote.FOR],
        no=tally[Vote.AGAINST],
        abstain=tally[Vote.ABSTAIN],
    )


def decided(state: State, item: AgendaItem, at: datetime) -> State:
    """The state once the rule has decided *item* from its votes, at *at*."""
    rule = state.convened.rule
    c = count(state, item.id)
    outcome, why = rule.decide(c)
    return record(state, item, outcome, at, why, c)


def record(
    state: State,
    item: AgendaItem,
    outcome: Outcome,
    at: datetime,
    why: Reason,
    c: VoteCount | None,
) -> State:
    """The state with the decision on *item* recorded."""
    name = state.convened.name
    adopted = outcome is Outcome.ADOPTED and bool(item.proposal)
    plan_zh = f"——{item.proposal}" if adopted else ""
    plan_en = f" — {item.proposal}" if adopted else ""
    decision = Decision(
        item=item.id,
        outcome=outcome,
        rule=state.convened.rule.id,
        at=at,
        plan=item.proposal if outcome is Outcome.ADOPTED else "",
        count=c,
        reason=Reason(
            zh=f"{name}「{item.title}」：{why.zh}{plan_zh}",
            en=f"{name} \u201c{item.title}\u201d: {why.en}{plan_en}",
            refs=why.refs,
        ),
    )
    return state._replace(
        decisions=(*state.decisions, decision), decided=state.decided | {item.id}
    )
