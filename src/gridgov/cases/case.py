"""The case (案件): an issue's way through the closed loop, rebuilt from its events.

A :class:`Case` is its events and the :class:`~gridgov.cases.CaseState` they leave it
in.  :func:`apply_event` gives the case after one more event (O(1) amortised: the events are
kept in a sequence that grows by sharing, so applying *n* events one by one costs O(n)),
:func:`replay` rebuilds a case from stored events, and :meth:`Case.timeline` tells the story
one event at a time.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.cases import Accepted, CaseOpened, Closed
    >>> from gridgov.demo import sample_grid
    >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
    >>> issue = Issue(id="i-7", category="facility_repair", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
    >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="i-7", issue=issue,
    ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
    >>> case = case.apply(Accepted(at=t.replace(minute=30), actor="m-li"))
    >>> case.status.zh, case.owner, case.position
    ('已立案', 'mg31', 0)
    >>> case.apply(Closed(at=t.replace(hour=10), actor="m-li"))
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidTransitionError: case 'i-7' is accepted (已立案): event Closed (结案) is not allowed; it is allowed only when the case is verified.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple

import attrs

import gridgov._validators as v
from gridgov._seq import AppendOnly
from gridgov.calendar import Deadline
from gridgov.cases.detours import Escalated
from gridgov.cases.events import CaseEvent, Satisfaction, Trigger
from gridgov.cases.lifecycle import transition
from gridgov.cases.state import CaseState, CaseStatus, Clocks, CoHandler, Report
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.grid import GridUnit
from gridgov.issues import CategoryCatalogue, Issue, Severity
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = ["MAX_EVENTS", "Case", "TimelineEntry", "apply_event", "replay"]

MAX_EVENTS = 100_000
"""The most events a case may hold (its opening included); more are refused."""


def _to_events(value: object) -> object:
    if isinstance(value, AppendOnly):
        return value
    return AppendOnly(value) if v.is_collection(value) else value  # type: ignore[arg-type]


def _check_events(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, AppendOnly):
        raise v.refuse("events", "Case", "a collection of CaseEvent values", value)
    if len(value) > MAX_EVENTS:
        raise InvalidValueError(
            f"'events' of Case must hold at most {MAX_EVENTS:,} events (got {len(value):,})."
        )
    for event in value:
        if not isinstance(event, CaseEvent):
            raise v.refuse("events", "Case", "a collection of CaseEvent values", event)


@register
@attrs.frozen(kw_only=True, repr=False)
class Case:
    """A case: an issue's way through the closed loop, rebuilt from its events.

    ``Case(events=...)`` replays the events — the first must be a
    :class:`~gridgov.cases.CaseOpened` — and refuses, with
    :class:`~gridgov.errors.InvalidTransitionError`, a sequence the lifecycle forbids.  Two
    cases are equal when their events are; a case serialises as its events.  Everything but
    ``events`` is read from its :attr:`state`.

    Attributes:
        events: the timeline, oldest first (append-only; compares equal to a tuple of the
            same events), at most :data:`MAX_EVENTS`.
        state: where the events leave the case (see
            :class:`~gridgov.cases.CaseState` for every field; the case offers each
            as a property of the same name).
        clocks: what the escalation sweep reads (advanced): the state's
            :class:`~gridgov.cases.Clocks`, held by the case itself so that a sweep
            over many cases reads one object per case.
        report: the case's own report as repeated reports count it (advanced; the state's
            :class:`~gridgov.cases.Report`).
        counted: the reports of the located duplicates merged in (advanced).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Accepted, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.HOTLINE,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> opened = CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...                     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")
        >>> case = Case(events=[opened, Accepted(at=t.replace(hour=10), actor="m-li")])
        >>> case
        Case(id='c-1', status='accepted', owner='mg31', events=2)
        >>> case.events == (opened, Accepted(at=t.replace(hour=10), actor="m-li"))
        True
        >>> Case(events=[Accepted(at=t, actor="m-li")])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: 'events' of Case: a case's first event must be CaseOpened (got Accepted).
    """

    events: Sequence[CaseEvent] = attrs.field(converter=_to_events, validator=_check_events)
    state: CaseState = attrs.field(init=False, eq=False, hash=False, repr=False)
    clocks: Clocks | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    report: Report | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    counted: Sequence[Report] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        events = self.events
        first = type(events[0]).__name__ if events else "none"
        if first != "CaseOpened":
            raise InvalidTransitionError(
                f"'events' of Case: a case's first event must be CaseOpened (got {first})."
            )
        state = CaseState.opened(events[0])
        for event in events[1:]:
            state = transition(state, event)
        _hold(self, state)

    def __repr__(self) -> str:
        s = self.state
        return (
            f"Case(id={s.id!r}, status={s.status.value!r}, owner={s.owner!r}, "
            f"events={len(self.events)})"
        )

    def apply(self, event: CaseEvent) -> Case:
        """The case after *event*: the same as :func:`apply_event(self, event) <apply_event>`.

        Example:
            >>> from gridgov.cases import Rejected
            >>> from gridgov.demo import sample_case
            >>> case = sample_case()
            >>> case.apply(Rejected(at=case.updated_at, actor="m-g3", reason="重复")).status.zh
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidTransitionError: case 'yx-2026-1126-01' is accepted (已立案): event Rejected (不予立案) is not allowed; it is allowed only when the case is reported.
        """
        return apply_event(self, event)

    # ----------------------------------------------------------------------- reading

    @property
    def id(self) -> str:
        """The case's id."""
        return self.state.id

    @property
    def issue(self) -> Issue:
        """The issue as filed."""
        return self.state.issue

    @property
    def status(self) -> CaseStatus:
        """The current :class:`~gridgov.cases.CaseStatus`."""
        return self.state.status

    @property
    def owner(self) -> str:
        """The owning unit's id, or the external body's id once :attr:`beyond`."""
        return self.state.owner

    @property
    def owner_name(self) -> str:
        """The owner's display name."""
        return self.state.owner_name

    @property
    def beyond(self) -> bool:
        """Whether the case has been escalated beyond the grid (吹哨报到)."""
        return self.state.beyond

    @property
    def chain(self) -> tuple[GridUnit, ...]:
        """The units the case was routed (or re-routed) along — the unit it is located in,
        then every unit above it, as the grid was drawn then."""
        return self.state.chain

    @property
    def position(self) -> int:
        """The owner's index in :attr:`chain` (``len(chain)`` once beyond)."""
        return self.state.position

    @property
    def located(self) -> bool:
        """Whether the issue has a known place or unit (``False``: 待定位)."""
        return self.state.located

    @property
    def accountable(self) -> str:
        """The first receiving unit (首接负责制), the unit that first owned the case.

        Example:
            >>> from gridgov.demo import sample_case
            >>> case = sample_case()
            >>> case.owner, case.accountable
            ('g3', 'mg31')
        """
        return self.state.filed_unit

    @property
    def grid_version(self) -> str:
        """The version of the grid the case was filed (or re-routed) under."""
        return self.state.grid_version

    @property
    def rule(self) -> str | None:
        """The routing rule that placed it, if any."""
        return self.state.rule

    @property
    def severity(self) -> Severity:
        """The current severity."""
        return self.state.severity

    @property
    def owner_severity(self) -> Severity:
        """The severity when the current owner took the case."""
        return self.state.owner_severity

    @property
    def accept_by(self) -> Deadline | None:
        """The accept deadline (its clock runs while the case is reported)."""
        return self.state.accept_by

    @property
    def resolve_by(self) -> Deadline | None:
        """The resolve deadline (its clock runs while the case is active)."""
        return self.state.resolve_by

    @property
    def opened_at(self) -> datetime:
        """When the case was opened."""
        return self.state.opened_at

    @property
    def updated_at(self) -> datetime:
        """When its last event happened."""
        return self.state.updated_at

    @property
    def paused_since(self) -> datetime | None:
        """When its clocks stopped, while suspended or awaiting verification."""
        return self.state.paused_since

    @property
    def suspended_from(self) -> CaseStatus | None:
        """The status it was suspended from, while suspended."""
        return self.state.suspended_from

    @property
    def extension_requested(self) -> datetime | None:
        """The date of a pending extension request, if any."""
        return self.state.extension_requested

    @property
    def handler(self) -> str | None:
        """Whom it was last dispatched to, if anyone."""
        return self.state.handler

    @property
    def co_handlers(self) -> tuple[CoHandler, ...]:
        """The co-handlers linked in (联动)."""
        return self.state.co_handlers

    @property
    def duplicates(self) -> Sequence[str]:
        """Ids of the cases merged into this one."""
        return self.state.duplicates

    @property
    def reports(self) -> Sequence[Issue]:
        """The issue and the issues of the merged duplicates, in merge order."""
        return self.state.reports

    @property
    def merged_into(self) -> str | None:
        """The case this one was merged into, if any."""
        return self.state.merged_into

    @property
    def escalation_triggers(self) -> Sequence[Trigger]:
        """The trigger of every escalation, in order."""
        return self.state.escalation_triggers

    def escalations(self) -> tuple[Escalated, ...]:
        """The case's escalations (上报), oldest first: where it went, from where, and why.

        Example:
            >>> from gridgov.demo import sample_case
            >>> [(e.from_unit, e.to, e.trigger.zh) for e in sample_case().escalations()]
            [('mg31', 'g3', '主动上报')]
        """
        return tuple(e for e in self.events if type(e) is Escalated)

    @property
    def dissatisfied(self) -> int:
        """How often the resident was dissatisfied."""
        return self.state.dissatisfied

    @property
    def owner_dissatisfied(self) -> int:
        """How often the resident was dissatisfied since the current owner took the case."""
        return self.state.owner_dissatisfied

    @property
    def rework(self) -> int:
        """How often the case was reopened for rework (返工)."""
        return self.state.rework

    @property
    def satisfaction(self) -> Satisfaction | None:
        """The resident's latest view, if given."""
        return self.state.satisfaction

    @property
    def is_open(self) -> bool:
        """Whether the loop has not ended (the status is not
        :attr:`~gridgov.cases.CaseStatus.is_terminal`).

        Example:
            >>> from gridgov.demo import sample_case
            >>> sample_case().is_open
            True
        """
        return not self.state.status.is_terminal

    # ----------------------------------------------------------------------- the story

    def timeline(self) -> tuple[TimelineEntry, ...]:
        """Every event with the status and owner it left the case in, oldest first.

        Example:
            >>> from gridgov.demo import sample_case
            >>> [(step.status.value, step.owner_name) for step in sample_case().timeline()]
            [('reported', '美好人家1号楼'), ('reported', '第三网格'), ('accepted', '第三网格'), ('accepted', '第三网格')]
        """
        out: list[TimelineEntry] = []
        state: CaseState | None = None
        for event in self.events:
            state = CaseState.opened(event) if state is None else transition(state, event)
            out.append(
                TimelineEntry(event, state.status, state.owner, state.owner_name, state.beyond)
            )
        return tuple(out)

    def describe(
        self,
        *,
        lang: Literal["zh", "en"] = "zh",
        catalogue: CategoryCatalogue | None = None,
    ) -> str:
        """The timeline as text in one language, one line per event (see
        :meth:`TimelineEntry.describe`).

        Args:
            lang: ``"zh"`` (Chinese, the default) or ``"en"`` (English).
            catalogue: the catalogue in use, to name categories by their labels.

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> from gridgov.demo import sample_case
            >>> print(sample_case().describe(lang="en", catalogue=DEFAULT_CATALOGUE))
            2026-11-26 10:15 opened — m-li: elder care → 美好人家1号楼 [reported · 美好人家1号楼]
            2026-11-26 10:40 escalated — m-li: 美好人家1号楼 → 第三网格 (manual) [reported · 第三网格]
            2026-11-26 15:15 accepted — m-g3 [accepted · 第三网格]
            2026-11-26 15:30 co-handler linked — m-g3: 美好人家物业 [accepted · 第三网格]
        """
        if lang not in ("zh", "en"):
            raise v.refuse("lang", None, "'zh' or 'en'", lang)
        if catalogue is not None:
            v.check_instance("catalogue", catalogue, CategoryCatalogue)
        lines = (step.describe(catalogue) for step in self.timeline())
        return "\n".join(r.zh if lang == "zh" else r.en for r in lines)


def _hold(case: Case, state: CaseState) -> None:
    set_ = object.__setattr__
    set_(case, "state", state)
    set_(case, "clocks", state.clocks)
    set_(case, "report", state.report)
    set_(case, "counted", state.counted)


def _case(events: AppendOnly[CaseEvent], state: CaseState) -> Case:
    """The case of *events*, whose last event took it to *state* (computed already)."""
    case: Case = object.__new__(Case)
    object.__setattr__(case, "events", events)
    _hold(case, state)
    return case


class TimelineEntry(NamedTuple):
    """One step of a case's timeline: an event and where it left the case.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.cases import Accepted, CaseStatus
        >>> step = TimelineEntry(Accepted(at=datetime(2026, 11, 26, 15, tzinfo=CST),
        ...                               actor="m-g3"), CaseStatus.ACCEPTED, "g3", "第三网格")
        >>> step.status.zh, step.owner
        ('已立案', 'g3')
    """

    event: CaseEvent
    """The event."""
    status: CaseStatus
    """The case's status after it."""
    owner: str
    """The case's owner after it (a unit id, or the external body's id)."""
    owner_name: str
    """The owner's name."""
    beyond: bool = False
    """Whether the owner is the external body beyond the grid."""

    def describe(self, catalogue: CategoryCatalogue | None = None) -> Reason:
        """The step as a grid worker reads it, in Chinese and in English; the owner named by
        name (its id in ``refs``).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.cases import Accepted, CaseStatus
            >>> print(TimelineEntry(Accepted(at=datetime(2026, 11, 26, 15, tzinfo=CST),
            ...     actor="m-g3"), CaseStatus.ACCEPTED, "g3", "第三网格").describe())
            2026-11-26 15:00 立案 — m-g3 [已立案 · 第三网格]
            2026-11-26 15:00 accepted — m-g3 [accepted · 第三网格]
        """
        line = self.event.describe(catalogue)
        owner = Ref(kind="body" if self.beyond else "unit", id=self.owner, name=self.owner_name)
        return Reason(
            zh=f"{line.zh} [{self.status.zh} · {self.owner_name}]",
            en=f"{line.en} [{self.status.label} · {self.owner_name}]",
            refs=(*line.refs, owner),
        )


# --------------------------------------------------------------------------- functions


def apply_event(case: Case, event: CaseEvent) -> Case:
    """The case after *event*; *case* itself is unchanged.  O(1) amortised.

    Raises:
        InvalidTransitionError: naming the case's status and the event, if the lifecycle
            (:data:`~gridgov.cases.TRANSITIONS`) forbids the event in that status, if
            the event is earlier than the case's last event, if it does not fit the case (an
            escalation that is not one step up, a second escalation beyond the grid, a
            resolution while a required co-handler is open, …), or if the case already holds
            :data:`MAX_EVENTS` events.
        InvalidValueError: if *case* is not a :class:`Case` or *event* not a case event.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Accepted, CaseOpened, Verified
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
        >>> accepted = apply_event(case, Accepted(at=t.replace(hour=10), actor="m-li"))
        >>> case.status.value, accepted.status.value
        ('reported', 'accepted')
        >>> apply_event(accepted, Verified(at=t.replace(hour=9, minute=30), actor="m-sec"))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: case 'c-1' refuses Verified at 2026-11-26T09:30:00+08:00: it is earlier than the case's last event at 2026-11-26T10:00:00+08:00; events must be applied in time order.
    """
    if not isinstance(case, Case):
        raise v.refuse("case", None, "a Case", case)
    if not isinstance(event, CaseEvent):
        raise v.refuse("event", None, "a CaseEvent", event)
    events = case.events
    if len(events) >= MAX_EVENTS:
        raise InvalidTransitionError(
            f"case {case.state.id!r} already holds {len(events):,} events, the most a case "
            f"may hold (MAX_EVENTS); open a new case for what follows."
        )
    state = transition(case.state, event)
    assert isinstance(events, AppendOnly)  # the converter makes one
    return _case(events.plus(event), state)


def replay(events: Iterable[CaseEvent]) -> Case:
    """Rebuild a case from its events (the same as ``Case(events=events)``).

    Example:
        >>> from gridgov.demo import sample_case
        >>> case = sample_case()
        >>> again = replay(list(case.events))
        >>> again == case, again.state == case.state
        (True, True)
    """
    if not v.is_collection(events):
        raise v.refuse("events", None, "a collection of CaseEvent values", events)
    return Case(events=tuple(events))
