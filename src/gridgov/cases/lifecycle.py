"""The case lifecycle: :data:`TRANSITIONS` as data, and one ``transition`` per event class.

:data:`TRANSITIONS` is the lifecycle as data: for each event class, the statuses it may happen
in and the status it leads to.  :func:`transition` applies one event to a
:class:`~gridgov.cases.CaseState`: it checks the event's class against the table, the
event's moment against the case's last one, and then calls the handler for that class (one
handler per event class, dispatched by the class itself), which checks what the event carries
against the case and returns the changes.  Nothing is changed in place: a state is a frozen
value, and a refused event raises :class:`~gridgov.errors.InvalidTransitionError` and leaves
it as it was.

Applying an event costs O(1) amortised, whatever the case's history: the lists that only
grow (duplicates, reports, escalation triggers) are append-only sequences shared between
versions, deadlines share their pauses, and what the escalation sweep reads is computed once
per state (:class:`~gridgov.cases.Clocks`).

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.cases import Accepted, CaseOpened, CaseState
    >>> from gridgov.demo import sample_grid
    >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
    >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
    >>> state = CaseState.opened(CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
    ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11"))
    >>> after = transition(state, Accepted(at=t.replace(hour=10), actor="m-li"))
    >>> state.status.value, after.status.value, TRANSITIONS[Accepted].sources
    ('reported', 'accepted', frozenset({<CaseStatus.REPORTED: 'reported'>}))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import attrs

import gridgov._validators as v
from gridgov._seq import AppendOnly, IdLog
from gridgov.calendar import Deadline
from gridgov.cases.detours import (
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    DuplicateMerged,
    Escalated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    MergedInto,
    Resumed,
    Returned,
    SeverityRaised,
    Suspended,
)
from gridgov.cases.events import (
    Accepted,
    CaseEvent,
    CaseOpened,
    Closed,
    Dispatched,
    Evaluated,
    HandlingStarted,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Satisfaction,
    VerificationFailed,
    Verified,
)
from gridgov.cases.state import MAX_CO_HANDLERS, CaseState, CaseStatus, Clocks, CoHandler, Report
from gridgov.errors import GridGovError, InvalidTransitionError

__all__ = ["TRANSITIONS", "Transition", "transition"]

_S = CaseStatus
_REPORTED = CaseStatus.REPORTED
_ACTIVE = frozenset(s for s in CaseStatus if s.is_active)
_WORKING = _ACTIVE - {_REPORTED}
_OPEN = frozenset(s for s in CaseStatus if not s.is_terminal)


# --------------------------------------------------------------------------- evolving


_FIELDS = tuple(f.name for f in attrs.fields(CaseState))
_CLOCK_FIELDS = frozenset(
    {"status", "beyond", "accept_by", "resolve_by", "severity", "owner_severity",
     "owner_dissatisfied", "report"}
)


def _make_evolve() -> Callable[[CaseState, dict[str, object]], CaseState]:
    """A function copying a state with some fields changed, made from the field list (so it
    cannot drift from the class) without running anything but the slot setters."""
    setters = {name: getattr(CaseState, name).__set__ for name in _FIELDS}
    lines = [
        f"    set_{name}(n, c[{name!r}] if {name!r} in c else s.{name})" for name in _FIELDS
    ]
    source = "def evolve(s, c):\n    n = new(cls)\n" + "\n".join(lines) + "\n    return n\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": CaseState}
    namespace.update({f"set_{name}": setter for name, setter in setters.items()})
    exec(source, namespace)  # generated from CaseState's own fields
    evolve: Callable[[CaseState, dict[str, object]], CaseState] = namespace["evolve"]
    return evolve


_copy = _make_evolve()


def _evolve(state: CaseState, changes: dict[str, object]) -> CaseState:
    if not _CLOCK_FIELDS.isdisjoint(changes):
        changes["clocks"] = None  # recomputed below, from the new state
        new = _copy(state, changes)
        object.__setattr__(new, "clocks", Clocks.of(new))
        return new
    return _copy(state, changes)


# --------------------------------------------------------------------------- the table


class Transition(NamedTuple):
    """One line of :data:`TRANSITIONS`: where an event class may happen, and where it leads.

    Example:
        >>> TRANSITIONS[Resumed].target, CaseStatus.SUSPENDED in TRANSITIONS[Resumed].sources
        ('previous', True)
    """

    sources: frozenset[CaseStatus]
    """The statuses in which the event may be applied (none for the first event)."""
    target: CaseStatus | Literal["same", "previous"]
    """The status after it — a status, ``"same"`` (unchanged), or ``"previous"`` (the status
    the case was suspended from)."""


TRANSITIONS: Mapping[type[CaseEvent], Transition] = MappingProxyType(
    {
        CaseOpened: Transition(frozenset(), _S.REPORTED),
        Accepted: Transition(frozenset({_S.REPORTED}), _S.ACCEPTED),
        Rejected: Transition(frozenset({_S.REPORTED}), _S.REJECTED),
        Dispatched: Transition(_WORKING, _S.DISPATCHED),
        HandlingStarted: Transition(frozenset({_S.ACCEPTED, _S.DISPATCHED}), _S.IN_PROGRESS),
        Resolved: Transition(_WORKING, _S.RESOLVED),
        Verified: Transition(frozenset({_S.RESOLVED}), _S.VERIFIED),
        VerificationFailed: Transition(frozenset({_S.RESOLVED}), _S.IN_PROGRESS),
        ResidentSatisfied: Transition(frozenset({_S.RESOLVED, _S.VERIFIED}), "same"),
        ResidentDissatisfied: Transition(frozenset({_S.RESOLVED, _S.VERIFIED}), _S.IN_PROGRESS),
        Closed: Transition(frozenset({_S.VERIFIED}), _S.CLOSED),
        Evaluated: Transition(frozenset({_S.CLOSED}), _S.EVALUATED),
        Suspended: Transition(_ACTIVE, _S.SUSPENDED),
        Resumed: Transition(frozenset({_S.SUSPENDED}), "previous"),
        ExtensionRequested: Transition(_WORKING, "same"),
        ExtensionGranted: Transition(_WORKING | {_S.SUSPENDED}, "same"),
        ExtensionRefused: Transition(_WORKING | {_S.SUSPENDED}, "same"),
        Escalated: Transition(_ACTIVE, _S.REPORTED),
        Returned: Transition(frozenset({_S.REPORTED, _S.ACCEPTED, _S.DISPATCHED}), _S.REPORTED),
        SeverityRaised: Transition(_ACTIVE | {_S.SUSPENDED}, "same"),
        CoHandlerLinked: Transition(_ACTIVE, "same"),
        CoHandlerCompleted: Transition(_OPEN, "same"),
        CoHandlerReleased: Transition(_ACTIVE | {_S.SUSPENDED}, "same"),
        MergedInto: Transition(_ACTIVE | {_S.SUSPENDED}, _S.MERGED),
        DuplicateMerged: Transition(_OPEN, "same"),
    }
)
"""The lifecycle as data, event class → :class:`Transition`.

Example:
    >>> TRANSITIONS[Closed]
    Transition(sources=frozenset({<CaseStatus.VERIFIED: 'verified'>}), target=<CaseStatus.CLOSED: 'closed'>)
"""


# --------------------------------------------------------------------------- transitions


def transition(state: CaseState, event: CaseEvent) -> CaseState:
    """The state after *event*; *state* itself is unchanged.

    Raises:
        InvalidTransitionError: naming the case's status and the event, if the lifecycle
            (:data:`TRANSITIONS`) forbids the event in that status, if the event is earlier
            than the case's last event, or if it does not fit the case (an escalation that
            is not one step up, a resolution while a required co-handler is open, …).
        InvalidValueError: if *state* or *event* is not a state or an event.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> state = CaseState.opened(CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11"))
        >>> transition(state, Closed(at=t, actor="m-li"))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: case 'c-1' is reported (已受理): event Closed (结案) is not allowed; it is allowed only when the case is verified.
    """
    if not isinstance(state, CaseState):
        raise v.refuse("state", None, "a CaseState", state)
    cls = type(event)
    handler = _HANDLERS.get(cls)
    if handler is None:
        if not isinstance(event, CaseEvent):
            raise v.refuse("event", None, "a CaseEvent", event)
        if cls is CaseOpened:
            raise _refuse(state, "is already open; CaseOpened can only be its first event.")
        raise InvalidTransitionError(
            f"case {state.id!r} cannot take a {cls.__name__}: it is not a gridgov case event."
        )
    if event.at < state.updated_at:
        raise _refuse(
            state,
            f"refuses {cls.__name__} at {event.at.isoformat()}: it is earlier than the case's "
            f"last event at {state.updated_at.isoformat()}; events must be applied in time "
            "order.",
        )
    sources, target = TRANSITIONS[cls]
    status = state.status
    if status not in sources:
        allowed = ", ".join(s.label for s in CaseStatus if s in sources)
        raise _refuse(
            state,
            f"is {status.label} ({status.zh}): event {cls.__name__} ({cls.zh}) is not "
            f"allowed; it is allowed only when the case is {allowed}.",
        )
    changes = handler(state, event)
    if target == "previous":
        changes["status"] = state.suspended_from
        changes["suspended_from"] = None
    elif target != "same":
        changes["status"] = target
    changes["updated_at"] = event.at
    return _evolve(state, changes)


Changes = dict[str, object]


def _refuse(state: CaseState, message: str) -> InvalidTransitionError:
    return InvalidTransitionError(f"case {state.id!r} {message}")


def _nothing(state: CaseState, event: CaseEvent) -> Changes:
    return {}


def _on_dispatched(state: CaseState, event: Dispatched) -> Changes:
    return {"handler": event.handler}


def _on_resolved(state: CaseState, event: Resolved) -> Changes:
    for h in state.co_handlers:
        if h.required and h.is_open:
            raise _refuse(
                state,
                f"cannot be resolved while required co-handler {h.id!r} ({h.name or h.kind}) "
                "is open; record its completion (CoHandlerCompleted) or close it out "
                "(CoHandlerReleased) first.",
            )
    return {"paused_since": event.at, "extension_requested": None}


def _paused(state: CaseState, deadline: Deadline, since: datetime, until: datetime) -> Deadline:
    """*deadline* with the time from *since* to *until* given back (clipped to its life)."""
    try:
        return deadline.paused(since, until)
    except GridGovError as exc:  # pragma: no cover - paused clips rather than refuses
        raise _refuse(state, f"cannot give the paused time back: {exc}") from None


def _reopen(state: CaseState, at: datetime, resolve_by: Deadline | None) -> Changes:
    deadline = state.resolve_by
    if resolve_by is not None:
        deadline = resolve_by
    elif deadline is not None and state.paused_since is not None:
        deadline = _paused(state, deadline, state.paused_since, at)
    return {"resolve_by": deadline, "paused_since": None, "rework": state.rework + 1}


def _on_verification_failed(state: CaseState, event: VerificationFailed) -> Changes:
    return _reopen(state, event.at, event.resolve_by)


def _on_satisfied(state: CaseState, event: ResidentSatisfied) -> Changes:
    return {"satisfaction": event.satisfaction}


def _on_dissatisfied(state: CaseState, event: ResidentDissatisfied) -> Changes:
    changes = _reopen(state, event.at, event.resolve_by)
    changes["satisfaction"] = Satisfaction.DISSATISFIED
    changes["dissatisfied"] = state.dissatisfied + 1
    changes["owner_dissatisfied"] = state.owner_dissatisfied + 1
    return changes


def _on_evaluated(state: CaseState, event: Evaluated) -> Changes:
    changes: Changes = {"satisfaction": event.satisfaction}
    if not event.satisfaction.satisfied:
        changes["dissatisfied"] = state.dissatisfied + 1
    return changes


def _on_suspended(state: CaseState, event: Suspended) -> Changes:
    return {"suspended_from": state.status, "paused_since": event.at}


def _on_resumed(state: CaseState, event: Resumed) -> Changes:
    since = state.paused_since
    assert since is not None  # set by Suspended
    changes: Changes = {"paused_since": None}
    accept, resolve = state.accept_by, state.resolve_by
    if state.suspended_from is _REPORTED and accept is not None:
        changes["accept_by"] = _paused(state, accept, since, event.at)
    if resolve is not None:
        changes["resolve_by"] = _paused(state, resolve, since, event.at)
    return changes


def _on_extension_requested(state: CaseState, event: ExtensionRequested) -> Changes:
    deadline = state.resolve_by
    if deadline is None:
        raise _refuse(state, "has no resolve deadline to extend.")
    if state.extension_requested is not None:
        raise _refuse(
            state,
            "already has an extension request pending (until "
            f"{state.extension_requested.isoformat()}); grant or refuse it first.",
        )
    _later(state, deadline, event.until)
    return {"extension_requested": event.until}


def _later(state: CaseState, deadline: Deadline, until: datetime) -> None:
    if until <= deadline.due:
        raise _refuse(
            state,
            f"cannot extend its resolve deadline {deadline.due.isoformat()} to an earlier or "
            f"equal date (got {until.isoformat()}).",
        )


def _pending(state: CaseState, kind: str) -> datetime:
    pending = state.extension_requested
    if pending is None:
        raise _refuse(state, f"has no pending extension request for {kind}.")
    return pending


def _on_extension_granted(state: CaseState, event: ExtensionGranted) -> Changes:
    pending = _pending(state, "ExtensionGranted")
    until = pending if event.until is None else event.until
    deadline = state.resolve_by
    assert deadline is not None  # a request needs one, and nothing removes it
    _later(state, deadline, until)
    if until < event.at:
        raise _refuse(
            state,
            f"cannot grant an extension until {until.isoformat()}, which has already passed "
            f"at {event.at.isoformat()}; grant a later date (ExtensionGranted(until=...)).",
        )
    # The approver sets the new due moment looking at the case as it stands: the new clock
    # starts at the grant, so a suspension under way is given back from the grant on.
    extended = Deadline(
        start=event.at, due=until, basis=deadline.basis, limit=None, source="extension"
    )
    return {"resolve_by": extended, "extension_requested": None}


def _on_extension_refused(state: CaseState, event: ExtensionRefused) -> Changes:
    _pending(state, "ExtensionRefused")
    return {"extension_requested": None}


def _new_owner(changes: Changes, state: CaseState) -> Changes:
    changes["owner_severity"] = state.severity
    changes["owner_dissatisfied"] = 0
    changes["extension_requested"] = None
    changes["handler"] = None
    return changes


def _on_escalated(state: CaseState, event: Escalated) -> Changes:
    if state.beyond:
        raise _refuse(
            state,
            f"is already with {state.owner_name} ({state.owner}), beyond the grid; no "
            "further escalation is possible.",
        )
    if event.from_unit != state.owner or event.from_name != state.owner_name:
        raise _refuse(
            state,
            f"is owned by {state.owner_name} ({state.owner!r}), so it can only be escalated "
            f"from there (got from {event.from_name} ({event.from_unit!r})).",
        )
    chain, up = state.chain, state.position + 1
    if up < len(chain):
        parent = chain[up]
        if event.beyond or event.to != parent.id or event.to_name != parent.name:
            raise _refuse(
                state,
                f"can only be escalated from {state.owner_name} ({state.owner!r}) to its "
                f"parent {parent.name} ({parent.id!r}) (got {event.to_name} ({event.to!r})"
                f"{', beyond' if event.beyond else ''}); escalation never goes sideways or "
                "down.",
            )
    else:
        if not event.beyond:
            raise _refuse(
                state,
                f"is at the top of its chain ({state.owner!r}); the next step is beyond the "
                f"grid (an Escalated event with beyond=True), not {event.to!r}.",
            )
    if event.beyond and any(unit.id == event.to for unit in chain):
        raise _refuse(
            state,
            f"can only be escalated beyond the grid to an external body, not to its own "
            f"unit {event.to!r}; escalation never goes sideways or down.",
        )
    changes: Changes = {
        "owner": event.to,
        "owner_name": event.to_name,
        "position": up,
        "beyond": event.beyond,
        "accept_by": event.accept_by,
        "resolve_by": event.resolve_by,
        "escalation_triggers": _plus(state.escalation_triggers, event.trigger),
    }
    return _new_owner(changes, state)


def _plus(items: Sequence[Any], item: object) -> AppendOnly[Any]:
    """*items* with *item* added: an AppendOnly grows by sharing; an empty tuple (what a
    state holds while there is nothing) becomes one."""
    if isinstance(items, AppendOnly):
        return items.plus(item)
    return AppendOnly((*items, item))


def _on_returned(state: CaseState, event: Returned) -> Changes:
    if state.beyond:
        raise _refuse(
            state,
            f"is with {state.owner_name} beyond the grid and cannot be returned for "
            "re-routing.",
        )
    unit = event.chain[event.position]
    if unit.id == state.owner:
        raise _refuse(state, f"cannot be returned to its own owner {unit.id!r}.")
    changes: Changes = {
        "chain": event.chain,
        "position": event.position,
        "owner": unit.id,
        "owner_name": unit.name,
        "grid_version": event.grid_version,
    }
    if event.accept_by is not None:
        changes["accept_by"] = event.accept_by
    if event.resolve_by is not None:
        changes["resolve_by"] = event.resolve_by
    return _new_owner(changes, state)


def _on_severity_raised(state: CaseState, event: SeverityRaised) -> Changes:
    if event.severity <= state.severity:
        raise _refuse(
            state,
            f"has severity {int(state.severity)} ({state.severity.zh}); SeverityRaised "
            f"must raise it (got {int(event.severity)}).",
        )
    return {"severity": event.severity}


def _on_linked(state: CaseState, event: CoHandlerLinked) -> Changes:
    handlers = state.co_handlers
    for h in handlers:
        if h.id == event.handler and h.is_open:
            raise _refuse(state, f"already has co-handler {h.id!r} open.")
    if len(handlers) >= MAX_CO_HANDLERS:
        raise _refuse(
            state,
            f"already has {len(handlers)} co-handlers, the most a case may link in "
            f"(MAX_CO_HANDLERS = {MAX_CO_HANDLERS}).",
        )
    handler = CoHandler(
        id=event.handler,
        kind=event.kind,
        name=event.name,
        due=event.due,
        required=event.required,
        linked_at=event.at,
    )
    return {"co_handlers": (*handlers, handler)}


def _finish(
    state: CaseState, handler_id: str, new_state: Literal["done", "released"], kind: str
) -> Changes:
    handlers = state.co_handlers
    for i, h in enumerate(handlers):
        if h.id == handler_id and h.is_open:
            done = attrs.evolve(h, state=new_state)
            return {"co_handlers": (*handlers[:i], done, *handlers[i + 1 :])}
    open_ids = [h.id for h in handlers if h.is_open]
    raise _refuse(
        state,
        f"has no open co-handler {handler_id!r} for {kind} (open: "
        f"{', '.join(open_ids) if open_ids else 'none'}).",
    )


def _on_completed(state: CaseState, event: CoHandlerCompleted) -> Changes:
    return _finish(state, event.handler, "done", "CoHandlerCompleted")


def _on_released(state: CaseState, event: CoHandlerReleased) -> Changes:
    return _finish(state, event.handler, "released", "CoHandlerReleased")


def _on_merged_into(state: CaseState, event: MergedInto) -> Changes:
    if event.into == state.id:
        raise _refuse(state, "cannot be merged into itself.")
    # Its reports are counted from now on by the case it was merged into.
    return {"merged_into": event.into, "report": None, "counted": ()}


def _on_duplicate(state: CaseState, event: DuplicateMerged) -> Changes:
    if event.duplicate == state.id:
        raise _refuse(state, "cannot take itself as a duplicate.")
    duplicates = state.duplicates
    if event.duplicate in duplicates:
        raise _refuse(state, f"already has duplicate {event.duplicate!r} merged in.")
    assert isinstance(duplicates, IdLog)
    reports, counted = state.reports, state.counted
    for issue in (event.issue, *event.also):  # the duplicate's own report and those it took in
        reports = _plus(reports, issue)
        report = Report.of(issue)
        if report is not None and state.merged_into is None:
            counted = _plus(counted, report)
    return {
        "duplicates": duplicates.plus(event.duplicate),
        "reports": reports,
        "counted": counted,
    }


Handler = Callable[[CaseState, Any], Changes]
_HANDLERS: Mapping[type[CaseEvent], Handler] = MappingProxyType(
    {
        Accepted: _nothing,
        Rejected: _nothing,
        Dispatched: _on_dispatched,
        HandlingStarted: _nothing,
        Resolved: _on_resolved,
        Verified: _nothing,
        VerificationFailed: _on_verification_failed,
        ResidentSatisfied: _on_satisfied,
        ResidentDissatisfied: _on_dissatisfied,
        Closed: _nothing,
        Evaluated: _on_evaluated,
        Suspended: _on_suspended,
        Resumed: _on_resumed,
        ExtensionRequested: _on_extension_requested,
        ExtensionGranted: _on_extension_granted,
        ExtensionRefused: _on_extension_refused,
        Escalated: _on_escalated,
        Returned: _on_returned,
        SeverityRaised: _on_severity_raised,
        CoHandlerLinked: _on_linked,
        CoHandlerCompleted: _on_completed,
        CoHandlerReleased: _on_released,
        MergedInto: _on_merged_into,
        DuplicateMerged: _on_duplicate,
    }
)
"""One handler per event class but the opening (:meth:`CaseState.opened`): it checks the event
against the case and returns the changes (``tests/unit/test_cases_loop.py`` checks the table
covers every event class)."""

if set(_HANDLERS) | {CaseOpened} != set(TRANSITIONS):  # pragma: no cover - a programming error
    raise RuntimeError("the lifecycle's handler table and TRANSITIONS name different events")
