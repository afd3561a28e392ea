"""Deliberation meetings (议事会): who sat, what was on the agenda, the votes and the decisions,
as past-tense events a meeting is rebuilt from.

A :class:`Deliberation` *is* its events, as a case is: :class:`MeetingConvened` (the date,
the unit, the attendees with their posts, the agenda and the :class:`~gridgov.community.rules.DecisionRule`),
then :class:`VoteCast` per member and item, :class:`VotingClosed` (the rule decides the item
from the votes), :class:`ItemDeferred` (put off without a vote) and :class:`MeetingClosed`.
:meth:`Deliberation.apply` gives the meeting after one more event and refuses, with
:class:`~gridgov.errors.InvalidTransitionError`, what a meeting cannot do (a vote from
someone absent, a second vote, a decision twice, closing with an item undecided);
``Deliberation(events=...)`` replays stored events to the same state.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Post, Role
    >>> from gridgov.community import AgendaItem, DecisionRule, Vote
    >>> t = datetime(2026, 9, 15, 19, 0, tzinfo=CST)
    >>> m = Deliberation(events=[MeetingConvened(
    ...     at=t, actor="m-g1", meeting="ysh-1", name="39号院议事会", unit="mg39",
    ...     attendees=[Attendee(member="m-g1", name="周慧", post=Post(role=Role.GRID_LEADER, unit="g1")),
    ...                Attendee(member="m-h1", name="高建国", post=Post(role=Role.COURTYARD_HEAD, unit="mg39"))],
    ...     agenda=[AgendaItem(id="a1", title="健身点", unit="mg39", proposal="健身房焕新方案")],
    ...     rule=DecisionRule(id="r", name="议事规则"))])
    >>> for who in ("m-g1", "m-h1"):
    ...     m = m.apply(VoteCast(at=t, actor="m-g1", item="a1", voter=who, vote=Vote.FOR))
    >>> m = m.apply(VotingClosed(at=t, actor="m-g1", item="a1"))
    >>> d = m.decision("a1")
    >>> d.outcome.zh, d.plan
    ('通过', '健身房焕新方案')
    >>> Deliberation(events=m.events) == m
    True
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar

import attrs

import gridgov._validators as v
import gridgov.community._meeting as _meeting
from gridgov.community.rules import Decision, DecisionRule, Outcome, Vote
from gridgov.community.wishes import AgendaItem
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.people import Post
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = [
    "MAX_MEETING_EVENTS",
    "Attendee",
    "Deliberation",
    "ItemDeferred",
    "MeetingClosed",
    "MeetingConvened",
    "MeetingEvent",
    "VoteCast",
    "VotingClosed",
    "replay_deliberation",
]

MAX_MEETING_EVENTS = 20_000
"""The most events one meeting may hold."""


def _unique(what: str, ids: list[str], owner: str) -> None:
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise InvalidValueError(f"'{what}' of {owner} must name each once (got {dup!r} twice).")


@register
@attrs.frozen(kw_only=True)
class Attendee:
    """Someone sitting on a meeting, in the capacity of a post (a grid-team
    :class:`~gridgov.people.Post`), or with none as a residents' representative (居民代表).

    Attributes:
        member: the person's id (a member's or a resident's).
        name: their name, as the minutes show it.
        post: the post they sit in, or ``None`` for a residents' representative.
        voting: whether they hold a vote (a seat).
        present: whether they came (an absent seat still counts for the quorum).

    Example:
        >>> from gridgov import Post, Role
        >>> a = Attendee(member="m-h1", name="高建国", post=Post(role=Role.COURTYARD_HEAD, unit="mg39"))
        >>> a.capacity
        '楼院长'
        >>> Attendee(member="r-1", name="王阿姨").capacity
        '居民代表'
    """

    member: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.personal_name, repr=False)
    post: Post | None = attrs.field(default=None, validator=v.optional(v.is_a(Post)))
    voting: bool = attrs.field(default=True, validator=v.boolean)
    present: bool = attrs.field(default=True, validator=v.boolean)

    @property
    def capacity(self) -> str:
        """The capacity they sit in, in Chinese (their post's role, or 居民代表).

        Example:
            >>> Attendee(member="r-1", name="n", voting=False).capacity
            '居民代表'
        """
        return self.post.role.zh if self.post is not None else "居民代表"


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class MeetingEvent:
    """The base of the events of a meeting: something that happened at it, when, by whom.

    Attributes:
        at: when (aware).
        actor: who recorded it (the chair or the secretary: a member's id).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> e = MeetingClosed(at=datetime(2026, 9, 15, 21, 0, tzinfo=CST), actor="m-g1")
        >>> isinstance(e, MeetingEvent), e.zh
        (True, '散会')
    """

    zh: ClassVar[str] = "会议事件"
    label: ClassVar[str] = "meeting event"

    at: datetime = attrs.field(validator=v.aware)
    actor: str = attrs.field(validator=v.ident)

    def _detail(self) -> tuple[str, str]:
        return "", ""

    def _step(self, state: _meeting.State) -> _meeting.State:
        _meeting.refuse(state, f"{type(self).__name__} is not an event a meeting knows.")
        return state  # pragma: no cover - refuse raised

    def describe(self) -> Reason:
        """The event as one line of the minutes, in Chinese and in English.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> print(ItemDeferred(at=datetime(2026, 9, 15, 20, 0, tzinfo=CST), actor="m-g1",
            ...                    item="a2", reason="待测算预算").describe())
            2026-09-15 20:00 暂缓 — m-g1：a2：待测算预算
            2026-09-15 20:00 deferred — m-g1: a2: 待测算预算
        """
        zh, en = self._detail()
        when = f"{self.at:%Y-%m-%d %H:%M}"
        head_zh, head_en = f"{when} {self.zh} — {self.actor}", f"{when} {self.label} — {self.actor}"
        return Reason(
            zh=f"{head_zh}：{zh}" if zh else head_zh, en=f"{head_en}: {en}" if en else head_en
        )


@register
@attrs.frozen(kw_only=True)
class MeetingConvened(MeetingEvent):
    """开会: the meeting was convened — always the first event, and only there.

    Attributes:
        meeting: the meeting's id.
        name: its name (``"淮河东路39号院议事会"``).
        unit: the unit whose meeting it is.
        attendees: who sat (each once), with their posts; at least one voting seat.
        agenda: the items (each id once).
        rule: the rule it decides by.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.community import DecisionRule
        >>> MeetingConvened(at=datetime(2026, 9, 15, 19, 0, tzinfo=CST), actor="m-g1",
        ...                 meeting="ysh-1", name="议事会", unit="mg39",
        ...                 attendees=[Attendee(member="r-1", name="n", voting=False)],
        ...                 agenda=[], rule=DecisionRule(id="r", name="议事规则"))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'attendees' of MeetingConvened must be people with at least one voting seat (got 0).
    """

    zh: ClassVar[str] = "开会"
    label: ClassVar[str] = "convened"

    meeting: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    attendees: tuple[Attendee, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(Attendee))
    )
    agenda: tuple[AgendaItem, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(AgendaItem))
    )
    rule: DecisionRule = attrs.field(validator=v.is_a(DecisionRule))

    def __attrs_post_init__(self) -> None:
        _unique("attendees", [a.member for a in self.attendees], "MeetingConvened")
        _unique("agenda", [i.id for i in self.agenda], "MeetingConvened")
        seats = sum(a.voting for a in self.attendees)
        if seats == 0:
            raise v.refuse("attendees", self, "people with at least one voting seat", seats)
        if len(self.attendees) > MAX_MEETING_EVENTS or len(self.agenda) > MAX_MEETING_EVENTS:
            raise v.refuse(
                "attendees", self, f"at most {MAX_MEETING_EVENTS:,} people and items",
                max(len(self.attendees), len(self.agenda)),
            )

    def _detail(self) -> tuple[str, str]:
        present = sum(a.present for a in self.attendees)
        return (
            f"{self.name}，实到{present}人，议题{len(self.agenda)}项",
            f"{self.name}, {present} present, {len(self.agenda)} items",
        )

    def _step(self, state: _meeting.State) -> _meeting.State:
        _meeting.refuse(state, "it was convened already; MeetingConvened comes first only.")
        return state  # pragma: no cover - refuse raised


@register
@attrs.frozen(kw_only=True)
class VoteCast(MeetingEvent):
    """表决: a member present with a seat voted on an item (once per item).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.community import Vote
        >>> VoteCast(at=datetime(2026, 9, 15, 19, 30, tzinfo=CST), actor="m-g1", item="a1",
        ...          voter="m-h1", vote=Vote.AGAINST).describe().en[17:]
        'voted — m-g1: a1: m-h1 against'
    """

    zh: ClassVar[str] = "表决"
    label: ClassVar[str] = "voted"

    item: str = attrs.field(validator=v.ident)
    voter: str = attrs.field(validator=v.ident)
    vote: Vote = attrs.field(validator=v.is_a(Vote))

    def _detail(self) -> tuple[str, str]:
        return f"{self.item}：{self.voter} {self.vote.zh}", f"{self.item}: {self.voter} {self.vote.label}"

    def _step(self, state: _meeting.State) -> _meeting.State:
        _meeting.open_item(state, self.item)
        seat = next((a for a in state.convened.attendees if a.member == self.voter), None)
        if seat is None or not seat.voting or not seat.present:
            why = "does not sit" if seat is None else "holds no vote" if not seat.voting else "is absent"
            _meeting.refuse(state, f"{self.voter!r} {why}, so cannot vote.")
        if (self.item, self.voter) in state.voted:
            _meeting.refuse(state, f"{self.voter!r} voted on item {self.item!r} already.")
        return state._replace(
            votes=(*state.votes, self), voted=state.voted | {(self.item, self.voter)}
        )


@register
@attrs.frozen(kw_only=True)
class VotingClosed(MeetingEvent):
    """计票: voting on an item closed; the meeting's rule decides it from the votes cast.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> VotingClosed(at=datetime(2026, 9, 15, 19, 40, tzinfo=CST), actor="m-g1", item="a1").zh
        '计票'
    """

    zh: ClassVar[str] = "计票"
    label: ClassVar[str] = "voting closed"

    item: str = attrs.field(validator=v.ident)

    def _detail(self) -> tuple[str, str]:
        return self.item, self.item

    def _step(self, state: _meeting.State) -> _meeting.State:
        return _meeting.decided(state, _meeting.open_item(state, self.item), self.at)


@register
@attrs.frozen(kw_only=True)
class ItemDeferred(MeetingEvent):
    """暂缓: an item was put off without a vote, with a reason.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ItemDeferred(at=datetime(2026, 9, 15, 19, 40, tzinfo=CST), actor="m-g1", item="a2",
        ...              reason="").item
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'reason' of ItemDeferred must be a non-blank text (got a str of 0 characters (not shown: personal data)).
    """

    zh: ClassVar[str] = "暂缓"
    label: ClassVar[str] = "deferred"

    item: str = attrs.field(validator=v.ident)
    reason: str = attrs.field(validator=v.required_text, repr=False)

    def _detail(self) -> tuple[str, str]:
        return f"{self.item}：{self.reason}", f"{self.item}: {self.reason}"

    def _step(self, state: _meeting.State) -> _meeting.State:
        item = _meeting.open_item(state, self.item)
        why = Reason(zh=f"未表决，暂缓：{self.reason}", en=f"not put to the vote, deferred: {self.reason}")
        return _meeting.record(state, item, Outcome.DEFERRED, self.at, why, None)


@register
@attrs.frozen(kw_only=True)
class MeetingClosed(MeetingEvent):
    """散会: the meeting closed, every item decided; nothing can follow.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> MeetingClosed(at=datetime(2026, 9, 15, 21, 0, tzinfo=CST), actor="m-g1",
        ...               minutes="会议纪要").minutes
        '会议纪要'
    """

    zh: ClassVar[str] = "散会"
    label: ClassVar[str] = "closed"

    minutes: str = attrs.field(default="", validator=v.text)

    def _step(self, state: _meeting.State) -> _meeting.State:
        open_items = [i.id for i in state.convened.agenda if i.id not in state.decided]
        if open_items:
            _meeting.refuse(
                state,
                f"items {open_items[:5]} are undecided; vote on or defer each before closing.",
            )
        return state._replace(closed=True)


# --------------------------------------------------------------------------- the meeting


def _to_events(value: object) -> object:
    return tuple(value) if v.is_collection(value) else value  # type: ignore[arg-type]


def _check_events(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise v.refuse("events", "Deliberation", "a collection of MeetingEvent values", value)
    if len(value) > MAX_MEETING_EVENTS:
        raise v.refuse(
            "events", "Deliberation", f"at most {MAX_MEETING_EVENTS:,} events", len(value)
        )
    for event in value:
        if not isinstance(event, MeetingEvent):
            raise v.refuse("events", "Deliberation", "a collection of MeetingEvent values", event)


@register
@attrs.frozen(kw_only=True, repr=False)
class Deliberation:
    """A deliberation meeting (议事会), rebuilt from its events.

    The first event must be :class:`MeetingConvened`.  Two meetings with the same events
    are equal.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> Deliberation(events=[])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: 'events' of Deliberation: a meeting's first event must be MeetingConvened (got none).
    """

    events: tuple[MeetingEvent, ...] = attrs.field(converter=_to_events, validator=_check_events)
    _state: _meeting.State = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        events = self.events
        first = events[0] if events else None
        if not isinstance(first, MeetingConvened):
            name = type(first).__name__ if first is not None else "none"
            raise InvalidTransitionError(
                f"'events' of Deliberation: a meeting's first event must be MeetingConvened "
                f"(got {name})."
            )
        state = _meeting.convened(first)
        for event in events[1:]:
            state = _meeting.step(state, event)
        object.__setattr__(self, "_state", state)

    def __repr__(self) -> str:
        return f"Deliberation(id={self.id!r}, events={len(self.events)})"

    def apply(self, event: MeetingEvent) -> Deliberation:
        """The meeting after *event* (the events so far are not replayed).

        Raises:
            InvalidTransitionError: for what the meeting cannot do now (see the module).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.community import DecisionRule
            >>> t = datetime(2026, 9, 15, 19, 0, tzinfo=CST)
            >>> m = Deliberation(events=[MeetingConvened(at=t, actor="m-g1", meeting="y1",
            ...     name="议事会", unit="mg39", attendees=[Attendee(member="m-g1", name="周慧")],
            ...     agenda=[], rule=DecisionRule(id="r", name="规则"))])
            >>> m.apply(VotingClosed(at=t, actor="m-g1", item="a9"))
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidTransitionError: meeting 'y1': item 'a9' is not on the agenda.
        """
        if not isinstance(event, MeetingEvent):
            raise v.refuse("event", None, "a MeetingEvent", event)
        if len(self.events) >= MAX_MEETING_EVENTS:
            raise v.refuse("events", self, f"at most {MAX_MEETING_EVENTS:,} events", len(self.events) + 1)
        state = _meeting.step(self._state, event)
        made: Deliberation = object.__new__(Deliberation)
        object.__setattr__(made, "events", (*self.events, event))
        object.__setattr__(made, "_state", state)
        return made

    @property
    def convened(self) -> MeetingConvened:
        """The meeting as convened (its first event)."""
        return self._state.convened

    @property
    def id(self) -> str:
        """The meeting's id."""
        return self._state.convened.meeting

    @property
    def unit(self) -> str:
        """The unit whose meeting it is."""
        return self._state.convened.unit

    @property
    def on(self) -> date:
        """The day it was held (the day it was convened, in its own time zone)."""
        return self._state.convened.at.date()

    @property
    def attendees(self) -> tuple[Attendee, ...]:
        """Who sat, with their posts."""
        return self._state.convened.attendees

    @property
    def agenda(self) -> tuple[AgendaItem, ...]:
        """The items on the agenda."""
        return self._state.convened.agenda

    @property
    def rule(self) -> DecisionRule:
        """The rule it decides by."""
        return self._state.convened.rule

    @property
    def votes(self) -> tuple[VoteCast, ...]:
        """Every vote recorded, in order."""
        return typing.cast("tuple[VoteCast, ...]", self._state.votes)

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The decisions taken so far, in order."""
        return self._state.decisions

    @property
    def closed(self) -> bool:
        """Whether the meeting has closed."""
        return self._state.closed

    def item(self, item_id: str) -> AgendaItem:
        """The agenda item *item_id*.

        Raises:
            InvalidValueError: if it is not on the agenda.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.community import AgendaItem, DecisionRule
            >>> m = Deliberation(events=[MeetingConvened(
            ...     at=datetime(2026, 9, 15, 19, 0, tzinfo=CST), actor="m-g1", meeting="y1",
            ...     name="议事会", unit="mg39", attendees=[Attendee(member="m-g1", name="周慧")],
            ...     agenda=[AgendaItem(id="a1", title="健身点", unit="mg39")],
            ...     rule=DecisionRule(id="r", name="规则"))])
            >>> m.item("a1").title, m.decision("a1") is None
            ('健身点', True)
        """
        for item in self.agenda:
            if item.id == item_id:
                return item
        raise v.refuse("item_id", None, f"an item on the agenda of meeting {self.id!r}", item_id)

    def decision(self, item_id: str) -> Decision | None:
        """The decision on *item_id*, or ``None`` if it is not decided yet (see :meth:`item`).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.community import AgendaItem, DecisionRule
            >>> t = datetime(2026, 9, 15, 19, 0, tzinfo=CST)
            >>> m = Deliberation(events=[MeetingConvened(at=t, actor="m-g1", meeting="y1",
            ...     name="议事会", unit="mg39", attendees=[Attendee(member="m-g1", name="周慧")],
            ...     agenda=[AgendaItem(id="a1", title="健身点", unit="mg39")],
            ...     rule=DecisionRule(id="r", name="规则"))])
            >>> m.apply(ItemDeferred(at=t, actor="m-g1", item="a1", reason="待测算")
            ...         ).decision("a1").outcome.zh
            '暂缓'
        """
        self.item(item_id)
        return next((d for d in self.decisions if d.item == item_id), None)

    def minutes(self) -> tuple[Reason, ...]:
        """The meeting, one line per event, then each decision's reason.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.community import DecisionRule
            >>> t = datetime(2026, 9, 15, 19, 0, tzinfo=CST)
            >>> m = Deliberation(events=[MeetingConvened(at=t, actor="m-g1", meeting="y1",
            ...     name="39号院议事会", unit="mg39", attendees=[Attendee(member="m-g1", name="周慧")],
            ...     agenda=[], rule=DecisionRule(id="r", name="规则"))])
            >>> print(m.minutes()[0].zh)
            2026-09-15 19:00 开会 — m-g1：39号院议事会，实到1人，议题0项
        """
        return (
            *(e.describe() for e in self.events),
            *(d.reason for d in self.decisions),
        )


def replay_deliberation(events: Iterable[MeetingEvent]) -> Deliberation:
    """The meeting of stored *events*: the same as ``Deliberation(events=events)``.

    Example:
        >>> replay_deliberation([])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: 'events' of Deliberation: a meeting's first event must be MeetingConvened (got none).
    """
    return Deliberation(events=v.check_items("events", events))

