"""Where a case stands: its status, co-handlers, clocks, and the typed :class:`CaseState`.

A :class:`CaseState` is every field a case's events derive — status, owner, chain and
position, deadlines, co-handlers, duplicates, counts — typed and frozen.  It is built only by
the lifecycle (:mod:`gridgov.cases.lifecycle`): :meth:`CaseState.opened` from the opening
event, then :func:`~gridgov.cases.transition` for each further event.  What the
escalation sweep reads from a case is part of the state, computed when the state is built:
:class:`Clocks` (its running deadlines as POSIX times) and :class:`Report` (its report of a
matter at a place).

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.cases import CaseOpened
    >>> from gridgov.demo import sample_grid
    >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
    >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
    >>> state = CaseState.opened(CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
    ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11"))
    >>> state.status.zh, state.owner_name, state.report.where, state.clocks.quiet_until
    ('已受理', '美好人家1号楼', 'place:h-1001', inf)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import ClassVar, Literal, NamedTuple

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov._labels import LabelledEnum
from gridgov._seq import AppendOnly, IdLog
from gridgov.calendar import Deadline
from gridgov.cases.events import CaseEvent, CaseOpened, Satisfaction, Trigger
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.grid import GridUnit
from gridgov.issues import Issue, Severity
from gridgov.serialize import register

__all__ = ["MAX_CO_HANDLERS", "CaseState", "CaseStatus", "Clocks", "CoHandler", "Report"]

MAX_CO_HANDLERS = 200
"""The most co-handlers (联动) a case may link in over its life."""


class CaseStatus(LabelledEnum):
    """Where a case is in the closed loop.

    ``rejected``, ``closed`` → ``evaluated`` and ``merged`` end the loop; the others are open.
    The clocks run only in the *active* statuses (reported, accepted, dispatched, in progress).

    Example:
        >>> CaseStatus.ACCEPTED.zh, CaseStatus.CLOSED.is_terminal, CaseStatus.REPORTED.is_active
        ('已立案', True, True)
    """

    REPORTED = "reported"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    CLOSED = "closed"
    EVALUATED = "evaluated"
    SUSPENDED = "suspended"
    MERGED = "merged"

    __zh__: ClassVar[Mapping[str, str]] = {
        "reported": "已受理",
        "accepted": "已立案",
        "rejected": "不予立案",
        "dispatched": "已派遣",
        "in_progress": "处置中",
        "resolved": "已反馈",
        "verified": "已核查",
        "closed": "已结案",
        "evaluated": "已评价",
        "suspended": "已挂起",
        "merged": "已并案",
    }

    @property
    def is_terminal(self) -> bool:
        """Whether the loop has ended (rejected, closed, evaluated or merged).

        A closed case still takes its evaluation; nothing else.
        """
        return self in _TERMINAL

    @property
    def is_active(self) -> bool:
        """Whether the case's clocks run (reported, accepted, dispatched, in progress)."""
        return self in _ACTIVE


_S = CaseStatus
_REPORTED = CaseStatus.REPORTED
_ACTIVE = frozenset({_S.REPORTED, _S.ACCEPTED, _S.DISPATCHED, _S.IN_PROGRESS})
_WORKING = frozenset({_S.ACCEPTED, _S.DISPATCHED, _S.IN_PROGRESS})
_TERMINAL = frozenset({_S.REJECTED, _S.CLOSED, _S.EVALUATED, _S.MERGED})
_OPEN = frozenset(CaseStatus) - _TERMINAL
_NO_DUPLICATES = IdLog()  # empty versions are never grown in place (AppendOnly.plus copies)
_NO_TRIGGERS: AppendOnly[Trigger] = AppendOnly()


# --------------------------------------------------------------------------- co-handlers


@register
@attrs.frozen(kw_only=True)
class CoHandler:
    """A partner or another unit handling a case alongside its owner (联动).

    Attributes:
        id: the partner's or the unit's id.
        kind: ``"partner"`` or ``"unit"``.
        name: a display name (may be empty).
        linked_at: when it was linked.
        due: its own deadline, if any; not before it was linked.
        required: whether the case may be resolved only once it has finished (or has been
            closed out by the owner).
        state: ``"open"``, ``"done"`` (it reported completion) or ``"released"`` (closed out
            by the owner).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> t = datetime(2026, 11, 26, 15, tzinfo=CST)
        >>> CoHandler(id="p-wuye", name="美好人家物业", linked_at=t).is_open
        True
        >>> CoHandler(id="p-wuye", linked_at=t, due=t.replace(hour=9))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'due' of CoHandler must not be before it was linked at 2026-11-26T15:00:00+08:00 (got 2026-11-26T09:00:00+08:00).
    """

    id: str = attrs.field(validator=v.ident)
    linked_at: datetime = attrs.field(validator=v.aware)
    kind: Literal["partner", "unit"] = "partner"
    name: str = attrs.field(default="", validator=v.text)
    due: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    required: bool = attrs.field(default=True, validator=v.boolean)
    state: Literal["open", "done", "released"] = "open"

    def __attrs_post_init__(self) -> None:
        if self.kind not in ("partner", "unit"):
            raise v.refuse("kind", self, "'partner' or 'unit'", self.kind)
        if self.state not in ("open", "done", "released"):
            raise v.refuse("state", self, "'open', 'done' or 'released'", self.state)
        if self.name:
            v.check_name("name", self.name, self)
        if self.due is not None and self.due < self.linked_at:
            raise InvalidValueError(
                f"'due' of CoHandler must not be before it was linked at "
                f"{self.linked_at.isoformat()} (got {self.due.isoformat()})."
            )

    @property
    def is_open(self) -> bool:
        """Whether it is still working on the case.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> CoHandler(id="g2", kind="unit", state="done",
            ...           linked_at=datetime(2026, 11, 26, tzinfo=CST)).is_open
            False
        """
        return self.state == "open"


# --------------------------------------------------------------------------- sweep data


class Clocks(NamedTuple):
    """What the escalation sweep reads from an active case, computed once per state (advanced).

    A case's state has clocks only while the case is active (reported, accepted, dispatched,
    in progress) and not beyond the grid: otherwise no escalation can be due.  Times are
    POSIX seconds, so a sweep compares floats; a running deadline with pauses needs its
    calendar to give the paused time back (:meth:`~gridgov.calendar.Deadline.effective`),
    which only ever moves it later.

    Example:
        >>> c = Clocks(quiet_until=1.0e9, accept=None, resolve=None, accept_due=math.inf,
        ...            resolve_due=1.0e9, flagged=False, matter=None, category="dispute")
        >>> c.quiet_until <= c.resolve_due
        True
    """

    quiet_until: float
    """The earliest nominal due time of a running deadline (``inf`` if none runs): before it,
    no deadline can have passed."""
    accept: Deadline | None
    """The running accept deadline (only while the case is reported)."""
    resolve: Deadline | None
    """The running resolve deadline."""
    accept_due: float
    """``accept.due`` in POSIX seconds (``inf`` if none runs)."""
    resolve_due: float
    """``resolve.due`` in POSIX seconds (``inf`` if none runs)."""
    flagged: bool
    """Whether the severity was raised, or the resident was dissatisfied, since the owner
    took the case (the severity-raised, incapable and dissatisfied triggers need a look)."""
    matter: str | None
    """The key of the case's own report (:attr:`Report.key`), or ``None`` if it is not
    counted (an unlocated issue)."""
    category: str
    """The code of the case's category."""

    @classmethod
    def of(cls, state: CaseState) -> Clocks | None:
        """The clocks of *state*, or ``None`` if no escalation can be due (the case is not
        active, or is beyond the grid).

        Example:
            >>> from gridgov.demo import sample_case
            >>> clocks = Clocks.of(sample_case().state)
            >>> clocks.accept is None, clocks.resolve.source, clocks.category
            (True, 'sla:网格', 'elder_care')
        """
        status = state.status
        if not status.is_active or state.beyond:
            return None
        accept = state.accept_by if status is CaseStatus.REPORTED else None
        resolve = state.resolve_by
        accept_due = math.inf if accept is None else accept.due.timestamp()
        resolve_due = math.inf if resolve is None else resolve.due.timestamp()
        return cls(
            min(accept_due, resolve_due),
            accept,
            resolve,
            accept_due,
            resolve_due,
            state.severity > state.owner_severity or state.owner_dissatisfied > 0,
            None if state.report is None else state.report.key,
            state.issue.category,
        )


class Report(NamedTuple):
    """One report of a matter at a place, as counting repeated reports reads it (advanced).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> i = Issue(id="i", category="noise", severity=1, channel=Channel.APP, place="h-1",
        ...           reporter=Reporter.resident("r"), reported_at=datetime(2026, 1, 1, tzinfo=CST))
        >>> Report.of(i).where, Report.of(attrs.evolve(i, place=None)) is None
        ('place:h-1', True)
    """

    where: str
    """``"place:<id>"`` for an issue at a place, ``"unit:<id>"`` for an issue about a unit as
    a whole: a unit-level report is grouped only with reports about the same unit."""
    category: str
    """The category's code (related categories count as the same matter)."""
    at: float
    """When it was reported, in POSIX seconds."""
    key: str
    """``where`` and ``category`` as one string, to count reports fast."""

    @classmethod
    def of(cls, issue: Issue) -> Report | None:
        """The report *issue* makes, or ``None`` if it is unlocated (待定位): unlocated
        reports are never grouped by place.

        Example:
            >>> from gridgov.demo import sample_case
            >>> report = Report.of(sample_case().issue)
            >>> report.where, report.category, report.key.split("\x1f")
            ('place:h-1001', 'elder_care', ['place:h-1001', 'elder_care'])
        """
        if issue.place is not None:
            where = f"place:{issue.place}"
        elif issue.unit is not None:
            where = f"unit:{issue.unit}"
        else:
            return None
        category = issue.category
        return cls(where, category, issue.reported_at.timestamp(), f"{where}\x1f{category}")


# --------------------------------------------------------------------------- the state


@attrs.frozen(kw_only=True, init=False, repr=False)
class CaseState:
    """Where a case stands after its events: every derived field, typed (advanced).

    A state is built only by the lifecycle — :meth:`opened` from a
    :class:`~gridgov.cases.CaseOpened`, then :func:`~gridgov.cases.transition` for each
    further event — and never changes; :class:`~gridgov.cases.Case` holds one beside its
    events and reads its fields.  Two states are equal when every field is.

    Attributes:
        id: the case's id.
        issue: the issue as filed.
        status: the current :class:`CaseStatus`.
        owner: the owning unit's id, or the external body's id once :attr:`beyond`.
        owner_name: the owner's display name.
        beyond: whether the case has been escalated beyond the grid (吹哨报到).
        chain: the units the case was routed along (or re-routed to): the unit it is located
            in, then every unit above it.
        position: the owner's index in ``chain`` (``len(chain)`` once beyond).
        located: whether the issue has a known place or unit (``False``: 待定位).
        filed_unit: the unit that first owned the case; it stays accountable (首接负责制).
        grid_version: the version of the grid the case was filed (or re-routed) under.
        rule: the routing rule that placed it, if any.
        severity: the current severity (raised by ``SeverityRaised``).
        owner_severity: the severity when the current owner took the case.
        accept_by: the accept deadline (its clock runs while the case is reported).
        resolve_by: the resolve deadline (its clock runs while the case is active).
        opened_at: when the case was opened.
        updated_at: when its last event happened.
        paused_since: when its clocks stopped, while suspended or awaiting verification.
        suspended_from: the status it was suspended from, while suspended.
        extension_requested: the date of a pending extension request, if any.
        handler: whom it was last dispatched to, if anyone.
        co_handlers: the co-handlers linked in (联动), at most :data:`MAX_CO_HANDLERS`.
        duplicates: ids of the cases merged into this one (``in`` is O(1)).
        reports: the issue and the issues of the merged duplicates, in merge order.
        merged_into: the case this one was merged into, if any.
        escalation_triggers: the trigger of every escalation, in order.
        dissatisfied: how often the resident was dissatisfied.
        owner_dissatisfied: how often, since the current owner took the case.
        rework: how often the case was reopened for rework (返工).
        satisfaction: the resident's latest view, if given.
        clocks: what the escalation sweep reads (``None`` when no escalation can be due).
        report: the case's own report as repeated reports count it (``None`` if the issue
            is unlocated, or the case was merged into another, which counts it).
        counted: the reports of the located duplicates merged in (an empty tuple while there
            are none, and once merged away).

    Example:
        >>> from gridgov.demo import sample_case
        >>> state = sample_case().state
        >>> state.owner_name, state.position, state.filed_unit, state.co_handlers[0].name
        ('第三网格', 1, 'mg31', '美好人家物业')
        >>> CaseState()
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: CaseState is built by the lifecycle: CaseState.opened(event) for the opening, then gridgov.cases.transition(state, event) for each further event.
    """

    id: str
    issue: Issue
    status: CaseStatus
    owner: str
    owner_name: str
    beyond: bool
    chain: tuple[GridUnit, ...]
    position: int
    located: bool
    filed_unit: str
    grid_version: str
    rule: str | None
    severity: Severity
    owner_severity: Severity
    accept_by: Deadline | None
    resolve_by: Deadline | None
    opened_at: datetime
    updated_at: datetime
    paused_since: datetime | None
    suspended_from: CaseStatus | None
    extension_requested: datetime | None
    handler: str | None
    co_handlers: tuple[CoHandler, ...]
    duplicates: Sequence[str]
    reports: Sequence[Issue]
    merged_into: str | None
    escalation_triggers: Sequence[Trigger]
    dissatisfied: int
    owner_dissatisfied: int
    rework: int
    satisfaction: Satisfaction | None
    clocks: Clocks | None
    report: Report | None
    counted: Sequence[Report]

    def __init__(self) -> None:
        raise InvalidValueError(
            "CaseState is built by the lifecycle: CaseState.opened(event) for the opening, "
            "then gridgov.cases.transition(state, event) for each further event."
        )

    def __repr__(self) -> str:
        return (
            f"CaseState(id={self.id!r}, status={self.status.value!r}, owner={self.owner!r}, "
            f"position={self.position})"
        )

    @property
    def owner_unit(self) -> GridUnit | None:
        """The owning unit of the chain (``None`` once beyond the grid)."""
        return None if self.beyond else self.chain[self.position]

    @classmethod
    def opened(cls, event: CaseEvent) -> CaseState:
        """The state of a case just opened by *event*, a :class:`~gridgov.cases.CaseOpened`.

        Raises:
            InvalidTransitionError: if *event* is not a ``CaseOpened``.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.cases import Accepted
            >>> CaseState.opened(Accepted(at=datetime(2026, 1, 1, tzinfo=CST), actor="m"))
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidTransitionError: a case's first event must be CaseOpened (got Accepted).
        """
        if type(event) is not CaseOpened:
            raise InvalidTransitionError(
                f"a case's first event must be CaseOpened (got {type(event).__name__})."
            )
        unit = event.chain[event.position]
        issue = event.issue
        at = event.at
        severity = issue.severity
        state = _build_state(  # every field, in the class's order (see _build_state)
            event.case, issue, _REPORTED, unit.id, unit.name, False, event.chain,
            event.position, event.located, unit.id, event.grid_version, event.rule,
            severity, severity, event.accept_by, event.resolve_by, at, at,
            None, None, None, None, (), _NO_DUPLICATES, AppendOnly((issue,)), None,
            _NO_TRIGGERS, 0, 0, 0, None, None, Report.of(issue), (),
        )
        object.__setattr__(state, "clocks", Clocks.of(state))
        return state


_build_state = trusted_constructor(CaseState)
"""A state from every field, positionally in the class's order (no validators: the lifecycle
builds states only from values it has checked)."""
