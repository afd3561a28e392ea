"""Cases (案件): the closed loop from a routed issue to its evaluation, rebuilt from events.

Grid governance runs a closed loop — 受理 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案 → 评价 —
and a :class:`Case` is that loop for one issue.  A case *is* its events: every change is a
frozen, past-tense :class:`CaseEvent` (``Accepted``, ``Escalated``, ``Suspended`` …) with an
aware timestamp ``at`` and an ``actor``, and the case's status, owner, deadlines and
co-handlers are rebuilt by replaying them.  :func:`apply_event` is a pure function
``(case, event) -> case`` that refuses what the lifecycle (:data:`TRANSITIONS`) forbids with
:class:`~gridgov.errors.InvalidTransitionError`, naming the status and the event; events out
of time order are refused too.  The timeline is append-only: a refused event leaves the case
as it was, and nothing is ever dropped.

* :func:`open_case` opens a case from a routed issue (an
  :class:`~gridgov.routing.Assignment`).  The case keeps the grid version and the unit it was
  filed with, and the chain of units above that unit as it was then, so a later redrawing
  of the grid never changes where the case goes.  The first receiving unit stays on the
  case as :attr:`Case.accountable` (首接负责制) whoever owns it.
* Ownership moves only up that chain, one unit per :class:`Escalated` event, and from the
  top unit "beyond" the grid to a named external body (吹哨报到); after that, no further
  escalation is possible.  :mod:`gridgov.escalation` decides *when* to escalate.
* Clocks: a case has an accept deadline and a resolve deadline (:class:`Deadline`).  The
  accept clock runs while the case is ``reported``; the resolve clock while it is reported,
  accepted, dispatched or in progress.  Suspension (挂起) pauses both and the suspended time
  is given back when the case is resumed (解挂); a granted extension (延期) moves the resolve
  deadline; a resolution that fails verification or leaves the resident dissatisfied
  reopens the case for rework (返工).
* Linkage (联动): partners and other units join as co-handlers (:class:`CoHandler`) with
  their own deadlines; a case cannot be resolved while a required co-handler is still open,
  unless the owner closes it out (:class:`CoHandlerReleased`).
* Duplicates: :func:`merge_duplicate` marks one case as merged into another; both keep
  their timelines.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.demo import sample_grid
    >>> from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
    >>> grid = sample_grid()
    >>> issue = Issue(id="i-7", category="facility_repair", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"),
    ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
    >>> assignment = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    >>> case = open_case(issue, assignment, grid=grid, actor="m-li")
    >>> case.status.zh, case.owner, [h.id for h in case.co_handlers]
    ('已受理', 'mg31', ['p-wuye'])
    >>> case = case.apply(Accepted(at=datetime(2026, 11, 26, 9, 30, tzinfo=CST), actor="m-li"))
    >>> case.apply(Closed(at=datetime(2026, 11, 26, 10, 0, tzinfo=CST), actor="m-li"))
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidTransitionError: case 'i-7' is accepted (已立案): event Closed (结案) is not allowed; it is allowed only when the case is verified.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

import attrs

from gridgov._labels import LabelledEnum
from gridgov._validators import (
    aware,
    check_aware,
    instances_of,
    is_a,
    non_empty_str,
    optional,
    to_tuple,
)
from gridgov.calendar import Deadline
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import Issue, Severity, severity_field, to_severity
from gridgov.routing import Assignment
from gridgov.serialize import register

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only (escalation imports us)
    from gridgov.escalation import EscalationPolicy

__all__ = [
    "TRANSITIONS",
    "Accepted",
    "Case",
    "CaseEvent",
    "CaseOpened",
    "CaseStatus",
    "Closed",
    "CoHandler",
    "CoHandlerCompleted",
    "CoHandlerLinked",
    "CoHandlerReleased",
    "Deadline",
    "Dispatched",
    "DuplicateMerged",
    "Escalated",
    "Evaluated",
    "ExtensionGranted",
    "ExtensionRefused",
    "ExtensionRequested",
    "HandlingStarted",
    "MergedInto",
    "Rejected",
    "ResidentDissatisfied",
    "ResidentSatisfied",
    "Resolved",
    "Resumed",
    "Returned",
    "Satisfaction",
    "SeverityRaised",
    "Suspended",
    "TimelineEntry",
    "Transition",
    "Trigger",
    "VerificationFailed",
    "Verified",
    "apply_event",
    "merge_duplicate",
    "open_case",
    "replay",
    "reroute",
]


# --------------------------------------------------------------------------- enumerations


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


_REPORTED = CaseStatus.REPORTED
_ACTIVE = frozenset(
    {CaseStatus.REPORTED, CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS}
)
_WORKING = frozenset({CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS})
_TERMINAL = frozenset(
    {CaseStatus.REJECTED, CaseStatus.CLOSED, CaseStatus.EVALUATED, CaseStatus.MERGED}
)
_OPEN = frozenset(CaseStatus) - _TERMINAL


class Trigger(LabelledEnum):
    """Why a case was escalated (上报).

    Example:
        >>> Trigger.RESOLVE_OVERDUE.zh, Trigger.MANUAL.label
        ('超时未办结', 'manual')
    """

    MANUAL = "manual"
    INCAPABLE = "incapable"
    ACCEPT_OVERDUE = "accept_overdue"
    RESOLVE_OVERDUE = "resolve_overdue"
    SEVERITY_RAISED = "severity_raised"
    REPEATED = "repeated"
    DISSATISFIED = "dissatisfied"

    __zh__: ClassVar[Mapping[str, str]] = {
        "manual": "主动上报",
        "incapable": "超出权责",
        "accept_overdue": "超时未立案",
        "resolve_overdue": "超时未办结",
        "severity_raised": "等级升高",
        "repeated": "重复诉求",
        "dissatisfied": "多次不满意",
    }


class Satisfaction(LabelledEnum):
    """A resident's view of how a case was handled (满意度).

    Example:
        >>> Satisfaction.BASICALLY_SATISFIED.zh, Satisfaction.DISSATISFIED.satisfied
        ('基本满意', False)
    """

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"

    __zh__: ClassVar[Mapping[str, str]] = {
        "satisfied": "满意",
        "basically_satisfied": "基本满意",
        "dissatisfied": "不满意",
    }

    @property
    def satisfied(self) -> bool:
        """Whether this counts as satisfied (满意 or 基本满意)."""
        return self is not Satisfaction.DISSATISFIED


# --------------------------------------------------------------------------- deadlines


# --------------------------------------------------------------------------- co-handlers


@register
@attrs.frozen(kw_only=True)
class CoHandler:
    """A partner or another unit handling a case alongside its owner (联动).

    Attributes:
        id: the partner's or the unit's id.
        kind: ``"partner"`` or ``"unit"``.
        name: a display name.
        linked_at: when it was linked.
        due: its own deadline, if any.
        required: whether the case may be resolved only once it has finished (or has been
            closed out by the owner).
        state: ``"open"``, ``"done"`` (it reported completion) or ``"released"`` (closed out
            by the owner).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> CoHandler(id="p-wuye", name="美好人家物业",
        ...           linked_at=datetime(2026, 11, 26, 15, tzinfo=CST)).is_open
        True
    """

    id: str = attrs.field(validator=non_empty_str)
    linked_at: datetime = attrs.field(validator=aware)
    kind: Literal["partner", "unit"] = "partner"
    name: str = ""
    due: datetime | None = attrs.field(default=None, validator=optional(aware))
    required: bool = True
    state: Literal["open", "done", "released"] = "open"

    def __attrs_post_init__(self) -> None:
        if self.kind not in ("partner", "unit"):
            raise InvalidValueError(
                f"'kind' of CoHandler must be 'partner' or 'unit' (got {self.kind!r})."
            )
        if self.state not in ("open", "done", "released"):
            raise InvalidValueError(
                f"'state' of CoHandler must be 'open', 'done' or 'released' (got {self.state!r})."
            )
        if not isinstance(self.required, bool):
            raise InvalidValueError(
                f"'required' of CoHandler must be true or false (got {self.required!r})."
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


# --------------------------------------------------------------------------- events


def _check_chain(owner: str, chain: tuple[Any, ...]) -> None:
    if not chain:
        raise InvalidValueError(f"'chain' of {owner} must hold at least one unit (got none).")
    for unit in chain:
        if not isinstance(unit, GridUnit):
            raise InvalidValueError(
                f"'chain' of {owner} must hold GridUnit values (got {unit!r:.60})."
            )
    for lower, upper in itertools.pairwise(chain):
        if lower.parent != upper.id:
            raise InvalidValueError(
                f"'chain' of {owner} must run from a unit up to its root, each unit's parent "
                f"next (got {upper.id!r} after {lower.id!r}, whose parent is {lower.parent!r})."
            )
    if chain[-1].parent is not None:
        raise InvalidValueError(
            f"'chain' of {owner} must end at a root unit (got {chain[-1].id!r}, whose parent "
            f"is {chain[-1].parent!r})."
        )


def _check_not_before(owner: str, what: str, at: datetime, value: datetime | None) -> None:
    if value is not None and value < at:
        raise InvalidValueError(
            f"'{what}' of {owner} must not be before the event at {at.isoformat()} "
            f"(got {value.isoformat()}); a deadline in the past is refused."
        )


_IS_DEADLINE = optional(is_a(Deadline))


@attrs.frozen(kw_only=True)
class CaseEvent:
    """The base of every case event: something that happened to a case, at a moment, by someone.

    Events are named in the past tense and never change.  Subclasses add what the event
    carries; :data:`TRANSITIONS` says in which statuses each kind may happen.

    Attributes:
        at: when it happened (timezone-aware).
        actor: who did it: a member's id, a partner's id, a resident's id, or ``"system"``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> e = Accepted(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3")
        >>> isinstance(e, CaseEvent), e.zh, e.describe()
        (True, '立案', '2026-11-26 15:00 立案 accepted — m-g3')
    """

    zh: ClassVar[str] = "事件"
    label: ClassVar[str] = "event"

    at: datetime = attrs.field(validator=aware)
    actor: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return ""

    def describe(self) -> str:
        """One line for the case's timeline.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> Suspended(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
            ...           reason="等待家属回来").describe()
            '2026-11-26 15:00 挂起 suspended — m-g3: 等待家属回来'
        """
        detail = self._detail()
        text = f"{self.at:%Y-%m-%d %H:%M} {self.zh} {self.label} — {self.actor}"
        return f"{text}: {detail}" if detail else text


@register
@attrs.frozen(kw_only=True)
class CaseOpened(CaseEvent):
    """受理: the case was opened for a routed issue.  Always the first event, and only there.

    Attributes:
        case: the case's id.
        issue: the issue as filed.
        chain: the unit the case was filed with, then every unit above it, as the grid was
            drawn then (:meth:`GridGraph.chain <gridgov.grid.GridGraph.chain>`).
        grid_version: the version of the grid it was filed under.
        rule: the routing rule that placed it, if any.
        reason: the routing's reason, if any.
        accept_by: the accept deadline, if any; never before ``at``.
        resolve_by: the resolve deadline, if any; never before ``at``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.HOTLINE,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> CaseOpened(at=t, actor="m-li", case="c-1", issue=issue, grid_version="2026-11",
        ...            chain=sample_grid().place_chain("h-1001"),
        ...            resolve_by=Deadline(start=t, due=t.replace(hour=8)))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'due' of Deadline must not be before its start 2026-11-26T09:00:00+08:00 (got 2026-11-26T08:00:00+08:00).
    """

    zh: ClassVar[str] = "受理"
    label: ClassVar[str] = "opened"

    case: str = attrs.field(validator=non_empty_str)
    issue: Issue = attrs.field(validator=is_a(Issue))
    chain: tuple[GridUnit, ...] = attrs.field(converter=to_tuple)
    grid_version: str = attrs.field(validator=non_empty_str)
    rule: str | None = attrs.field(default=None, validator=optional(non_empty_str))
    reason: str = ""
    accept_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)

    def __attrs_post_init__(self) -> None:
        _check_chain("CaseOpened", self.chain)
        if self.at < self.issue.reported_at:
            raise InvalidValueError(
                f"'at' of CaseOpened must not be before the issue was reported at "
                f"{self.issue.reported_at.isoformat()} (got {self.at.isoformat()})."
            )
        for name in ("accept_by", "resolve_by"):
            deadline = getattr(self, name)
            _check_not_before("CaseOpened", name, self.at, deadline and deadline.due)

    def _detail(self) -> str:
        return f"{self.issue.category} → {self.chain[0].name}"


@register
@attrs.frozen(kw_only=True)
class Accepted(CaseEvent):
    """立案: the owner accepted the case.  Stops the accept clock.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Accepted(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3").label
        'accepted'
    """

    zh: ClassVar[str] = "立案"
    label: ClassVar[str] = "accepted"

    note: str = ""


@register
@attrs.frozen(kw_only=True)
class Rejected(CaseEvent):
    """不予立案: the owner declined the case, with a reason.  Ends the loop.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Rejected(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3", reason=" ")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'reason' of Rejected must be a non-empty string (got ' ').
    """

    zh: ClassVar[str] = "不予立案"
    label: ClassVar[str] = "rejected"

    reason: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return self.reason


@register
@attrs.frozen(kw_only=True)
class Dispatched(CaseEvent):
    """派遣: the owner dispatched the case to a handler (a member, a team).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Dispatched(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
        ...            handler="m-w3").handler
        'm-w3'
    """

    zh: ClassVar[str] = "派遣"
    label: ClassVar[str] = "dispatched"

    handler: str = attrs.field(validator=non_empty_str)
    note: str = ""

    def _detail(self) -> str:
        return self.handler


@register
@attrs.frozen(kw_only=True)
class HandlingStarted(CaseEvent):
    """处置: handling started.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> HandlingStarted(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-w3").zh
        '处置'
    """

    zh: ClassVar[str] = "处置"
    label: ClassVar[str] = "handling started"

    note: str = ""


@register
@attrs.frozen(kw_only=True)
class Resolved(CaseEvent):
    """反馈: the handler reported the case resolved.  Stops the resolve clock.

    Refused while a required co-handler is still open.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Resolved(at=datetime(2026, 11, 26, 17, 0, tzinfo=CST), actor="m-g3",
        ...          summary="已安排每日一访").summary
        '已安排每日一访'
    """

    zh: ClassVar[str] = "反馈"
    label: ClassVar[str] = "resolved"

    summary: str = ""

    def _detail(self) -> str:
        return self.summary


@register
@attrs.frozen(kw_only=True)
class Verified(CaseEvent):
    """核查: the resolution was checked and holds.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Verified(at=datetime(2026, 11, 27, 9, 0, tzinfo=CST), actor="m-sec").label
        'verified'
    """

    zh: ClassVar[str] = "核查"
    label: ClassVar[str] = "verified"

    note: str = ""


@register
@attrs.frozen(kw_only=True)
class VerificationFailed(CaseEvent):
    """核查不通过: the resolution did not hold; the case is reopened for rework (返工).

    Attributes:
        reason: what was found.
        resolve_by: a new resolve deadline for the rework; if ``None``, the previous one
            applies again, with the time spent awaiting verification given back.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> VerificationFailed(at=datetime(2026, 11, 27, 9, 0, tzinfo=CST), actor="m-sec",
        ...                    reason="扶手未装").zh
        '核查不通过'
    """

    zh: ClassVar[str] = "核查不通过"
    label: ClassVar[str] = "verification failed"

    reason: str = attrs.field(validator=non_empty_str)
    resolve_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)

    def __attrs_post_init__(self) -> None:
        _check_not_before(
            "VerificationFailed",
            "resolve_by",
            self.at,
            None if self.resolve_by is None else self.resolve_by.due,
        )

    def _detail(self) -> str:
        return self.reason


@register
@attrs.frozen(kw_only=True)
class ResidentSatisfied(CaseEvent):
    """回访满意: the resident is satisfied with the resolution.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ResidentSatisfied(at=datetime(2026, 11, 27, 9, 0, tzinfo=CST), actor="r-lu",
        ...                   satisfaction=Satisfaction.DISSATISFIED)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'satisfaction' of ResidentSatisfied must be satisfied or basically_satisfied (got 'dissatisfied'); record ResidentDissatisfied instead.
    """

    zh: ClassVar[str] = "回访满意"
    label: ClassVar[str] = "resident satisfied"

    satisfaction: Satisfaction = attrs.field(
        default=Satisfaction.SATISFIED, validator=is_a(Satisfaction)
    )
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.satisfaction.satisfied:
            raise InvalidValueError(
                "'satisfaction' of ResidentSatisfied must be satisfied or basically_satisfied "
                f"(got {self.satisfaction.value!r}); record ResidentDissatisfied instead."
            )

    def _detail(self) -> str:
        return self.satisfaction.zh


@register
@attrs.frozen(kw_only=True)
class ResidentDissatisfied(CaseEvent):
    """回访不满意: the resident is not satisfied; the case is reopened for rework (返工).

    Attributes:
        note: what the resident said.
        resolve_by: a new resolve deadline for the rework (see :class:`VerificationFailed`).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ResidentDissatisfied(at=datetime(2026, 11, 27, 9, 0, tzinfo=CST), actor="r-lu").zh
        '回访不满意'
    """

    zh: ClassVar[str] = "回访不满意"
    label: ClassVar[str] = "resident dissatisfied"

    note: str = ""
    resolve_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)

    def __attrs_post_init__(self) -> None:
        _check_not_before(
            "ResidentDissatisfied",
            "resolve_by",
            self.at,
            None if self.resolve_by is None else self.resolve_by.due,
        )

    def _detail(self) -> str:
        return self.note


@register
@attrs.frozen(kw_only=True)
class Closed(CaseEvent):
    """结案: the case was closed after verification.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Closed(at=datetime(2026, 11, 27, 10, 0, tzinfo=CST), actor="m-sec").zh
        '结案'
    """

    zh: ClassVar[str] = "结案"
    label: ClassVar[str] = "closed"

    note: str = ""


@register
@attrs.frozen(kw_only=True)
class Evaluated(CaseEvent):
    """评价: the closed case was evaluated.  Ends the loop.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Evaluated(at=datetime(2026, 11, 28, 10, 0, tzinfo=CST), actor="r-lu",
        ...           satisfaction=Satisfaction.SATISFIED).describe()
        '2026-11-28 10:00 评价 evaluated — r-lu: 满意'
    """

    zh: ClassVar[str] = "评价"
    label: ClassVar[str] = "evaluated"

    satisfaction: Satisfaction = attrs.field(validator=is_a(Satisfaction))
    note: str = ""

    def _detail(self) -> str:
        return self.satisfaction.zh


@register
@attrs.frozen(kw_only=True)
class Suspended(CaseEvent):
    """挂起: the case was suspended, with a reason; its clocks stop.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Suspended(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
        ...           reason="等待维修配件").reason
        '等待维修配件'
    """

    zh: ClassVar[str] = "挂起"
    label: ClassVar[str] = "suspended"

    reason: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return self.reason


@register
@attrs.frozen(kw_only=True)
class Resumed(CaseEvent):
    """解挂: the case was resumed; it returns to the status it was suspended from and the
    suspended time is given back to its running deadlines.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Resumed(at=datetime(2026, 11, 27, 9, 0, tzinfo=CST), actor="m-g3").zh
        '解挂'
    """

    zh: ClassVar[str] = "解挂"
    label: ClassVar[str] = "resumed"

    note: str = ""


@register
@attrs.frozen(kw_only=True)
class ExtensionRequested(CaseEvent):
    """申请延期: the owner asked for the resolve deadline to move to ``until``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ExtensionRequested(at=datetime(2026, 11, 26, 15, tzinfo=CST), actor="m-g3",
        ...                    until=datetime(2026, 12, 4, 18, tzinfo=CST),
        ...                    reason="需物业采购配件").describe()
        '2026-11-26 15:00 申请延期 extension requested — m-g3: 至 2026-12-04 18:00 需物业采购配件'
    """

    zh: ClassVar[str] = "申请延期"
    label: ClassVar[str] = "extension requested"

    until: datetime = attrs.field(validator=aware)
    reason: str = attrs.field(validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        _check_not_before("ExtensionRequested", "until", self.at, self.until)

    def _detail(self) -> str:
        return f"至 {self.until:%Y-%m-%d %H:%M} {self.reason}"


@register
@attrs.frozen(kw_only=True)
class ExtensionGranted(CaseEvent):
    """批准延期: the pending extension was granted; the resolve deadline moves.

    Attributes:
        until: the new resolve deadline; ``None`` grants the date requested.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ExtensionGranted(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="m-sec").until is None
        True
    """

    zh: ClassVar[str] = "批准延期"
    label: ClassVar[str] = "extension granted"

    until: datetime | None = attrs.field(default=None, validator=optional(aware))
    note: str = ""

    def __attrs_post_init__(self) -> None:
        _check_not_before("ExtensionGranted", "until", self.at, self.until)


@register
@attrs.frozen(kw_only=True)
class ExtensionRefused(CaseEvent):
    """不予延期: the pending extension was refused; the resolve deadline stays.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> ExtensionRefused(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="m-sec",
        ...                  reason="可当日办结").reason
        '可当日办结'
    """

    zh: ClassVar[str] = "不予延期"
    label: ClassVar[str] = "extension refused"

    reason: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return self.reason


@register
@attrs.frozen(kw_only=True)
class Escalated(CaseEvent):
    """上报: ownership moved one step up the case's chain, or beyond the grid (吹哨报到).

    :func:`gridgov.escalation.escalate` builds this event from an
    :class:`~gridgov.escalation.EscalationPolicy`, which sets the new owner's deadlines.
    The case becomes ``reported`` again: the new owner must accept it.

    Attributes:
        trigger: why.
        from_unit: the owner before (the case's owner when applied).
        to: the owner after: the next unit up the chain, or the external body's id.
        to_name: the new owner's display name.
        beyond: whether ``to`` is the external body beyond the top of the grid.
        reason: why, as a grid worker reads it (Chinese, then English).
        accept_by: the new owner's accept deadline, if any.
        resolve_by: the new owner's resolve deadline, if any.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Escalated(at=datetime(2026, 11, 26, 11, tzinfo=CST), actor="m-li",
        ...           trigger=Trigger.MANUAL, from_unit="mg31", to="g3", to_name="第三网格",
        ...           reason="主动上报 manual").describe()
        '2026-11-26 11:00 上报 escalated — m-li: mg31 → 第三网格 (主动上报)'
    """

    zh: ClassVar[str] = "上报"
    label: ClassVar[str] = "escalated"

    trigger: Trigger = attrs.field(validator=is_a(Trigger))
    from_unit: str = attrs.field(validator=non_empty_str)
    to: str = attrs.field(validator=non_empty_str)
    reason: str = attrs.field(validator=non_empty_str)
    to_name: str = ""
    beyond: bool = False
    accept_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.beyond, bool):
            raise InvalidValueError(
                f"'beyond' of Escalated must be true or false (got {self.beyond!r})."
            )
        for name in ("accept_by", "resolve_by"):
            deadline = getattr(self, name)
            _check_not_before("Escalated", name, self.at, deadline and deadline.due)

    def _detail(self) -> str:
        return f"{self.from_unit} → {self.to_name or self.to} ({self.trigger.zh})"


@register
@attrs.frozen(kw_only=True)
class Returned(CaseEvent):
    """退回改派: the owner returned a wrongly dispatched case; it is re-routed to ``chain[0]``.

    The case becomes ``reported`` at the new unit, whose chain replaces the old one.  This is
    a correction, not an escalation: the only way ownership moves other than up.  A case
    beyond the grid cannot be returned.

    Attributes:
        reason: why the dispatch was wrong.
        chain: the new unit and every unit above it.
        grid_version: the version of the grid the new chain was read from.
        accept_by: the new unit's accept deadline; ``None`` keeps the current one.
        resolve_by: the new resolve deadline; ``None`` keeps the current one.

    Example:
        >>> from datetime import datetime
        >>> from gridgov.demo import sample_grid
        >>> from gridgov import CST
        >>> Returned(at=datetime(2026, 11, 26, 11, tzinfo=CST), actor="m-li", reason="非本网格",
        ...          chain=sample_grid().chain("mg32"), grid_version="2026-11").describe()
        '2026-11-26 11:00 退回改派 returned — m-li: → 美好人家2号楼 (非本网格)'
    """

    zh: ClassVar[str] = "退回改派"
    label: ClassVar[str] = "returned"

    reason: str = attrs.field(validator=non_empty_str)
    chain: tuple[GridUnit, ...] = attrs.field(converter=to_tuple)
    grid_version: str = attrs.field(validator=non_empty_str)
    accept_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=_IS_DEADLINE)

    def __attrs_post_init__(self) -> None:
        _check_chain("Returned", self.chain)
        for name in ("accept_by", "resolve_by"):
            deadline = getattr(self, name)
            _check_not_before("Returned", name, self.at, deadline and deadline.due)

    def _detail(self) -> str:
        return f"→ {self.chain[0].name} ({self.reason})"


@register
@attrs.frozen(kw_only=True)
class SeverityRaised(CaseEvent):
    """等级升高: the case turned out more serious than reported.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> SeverityRaised(at=datetime(2026, 11, 26, 11, tzinfo=CST), actor="m-li", severity=3,
        ...                reason="老人无法起身").severity.zh
        '紧急'
    """

    zh: ClassVar[str] = "等级升高"
    label: ClassVar[str] = "severity raised"

    severity: Severity = attrs.field(converter=to_severity, validator=severity_field)
    reason: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return f"{self.severity.zh} {self.reason}"


@register
@attrs.frozen(kw_only=True)
class CoHandlerLinked(CaseEvent):
    """联动: a partner or another unit was linked in as a co-handler.

    Attributes:
        handler: the partner's or the unit's id.
        kind: ``"partner"`` or ``"unit"``.
        name: a display name.
        due: its own deadline, if any.
        required: whether the case waits for it before it may be resolved.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> CoHandlerLinked(at=datetime(2026, 11, 26, 15, tzinfo=CST), actor="m-g3",
        ...                 handler="p-wuye", name="美好人家物业").describe()
        '2026-11-26 15:00 联动 co-handler linked — m-g3: 美好人家物业'
    """

    zh: ClassVar[str] = "联动"
    label: ClassVar[str] = "co-handler linked"

    handler: str = attrs.field(validator=non_empty_str)
    kind: Literal["partner", "unit"] = "partner"
    name: str = ""
    due: datetime | None = attrs.field(default=None, validator=optional(aware))
    required: bool = True

    def __attrs_post_init__(self) -> None:
        # CoHandler validates kind and required; build one to check them here, at the door.
        CoHandler(
            id=self.handler,
            kind=self.kind,
            name=self.name,
            due=self.due,
            required=self.required,
            linked_at=self.at,
        )
        _check_not_before("CoHandlerLinked", "due", self.at, self.due)

    def _detail(self) -> str:
        return self.name or self.handler


@register
@attrs.frozen(kw_only=True)
class CoHandlerCompleted(CaseEvent):
    """联动办结: a co-handler reported its part done.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> CoHandlerCompleted(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="p-wuye",
        ...                    handler="p-wuye").handler
        'p-wuye'
    """

    zh: ClassVar[str] = "联动办结"
    label: ClassVar[str] = "co-handler completed"

    handler: str = attrs.field(validator=non_empty_str)
    note: str = ""

    def _detail(self) -> str:
        return self.handler


@register
@attrs.frozen(kw_only=True)
class CoHandlerReleased(CaseEvent):
    """解除联动: the owner closed out a co-handler explicitly, with a reason.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> CoHandlerReleased(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="m-g3",
        ...                   handler="p-police", reason="无需出警").zh
        '解除联动'
    """

    zh: ClassVar[str] = "解除联动"
    label: ClassVar[str] = "co-handler released"

    handler: str = attrs.field(validator=non_empty_str)
    reason: str = attrs.field(validator=non_empty_str)

    def _detail(self) -> str:
        return f"{self.handler} ({self.reason})"


@register
@attrs.frozen(kw_only=True)
class MergedInto(CaseEvent):
    """并案: this case duplicates case ``into`` and was merged into it.  Ends its loop; its
    timeline is kept.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> MergedInto(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="m-li", into="c-1").into
        'c-1'
    """

    zh: ClassVar[str] = "并案"
    label: ClassVar[str] = "merged into"

    into: str = attrs.field(validator=non_empty_str)
    reason: str = ""

    def _detail(self) -> str:
        return self.into


@register
@attrs.frozen(kw_only=True)
class DuplicateMerged(CaseEvent):
    """并入重复件: case ``duplicate`` (reporting ``issue``) was merged into this one.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> t = datetime(2026, 11, 26, 16, tzinfo=CST)
        >>> dup = Issue(id="i-2", category="dispute", severity=1, channel=Channel.APP,
        ...             place="h-1001", reporter=Reporter.resident("r-8"), reported_at=t)
        >>> DuplicateMerged(at=t, actor="m-li", duplicate="c-2", issue=dup).describe()
        '2026-11-26 16:00 并入重复件 duplicate merged — m-li: c-2'
    """

    zh: ClassVar[str] = "并入重复件"
    label: ClassVar[str] = "duplicate merged"

    duplicate: str = attrs.field(validator=non_empty_str)
    issue: Issue = attrs.field(validator=is_a(Issue))

    def _detail(self) -> str:
        return self.duplicate


# --------------------------------------------------------------------------- the lifecycle


class Transition(NamedTuple):
    """One line of :data:`TRANSITIONS`: where an event kind may happen, and where it leads.

    Example:
        >>> TRANSITIONS["Resumed"].target, CaseStatus.SUSPENDED in TRANSITIONS["Resumed"].sources
        ('previous', True)
    """

    sources: frozenset[CaseStatus]
    """The statuses in which the event may be applied (empty: only as the first event)."""
    target: CaseStatus | Literal["same", "previous"]
    """The status after it: a status, ``"same"`` (unchanged), or ``"previous"`` (the status
    the case was suspended from)."""


_S = CaseStatus
TRANSITIONS: Mapping[str, Transition] = MappingProxyType(
    {
        "CaseOpened": Transition(frozenset(), _S.REPORTED),
        "Accepted": Transition(frozenset({_S.REPORTED}), _S.ACCEPTED),
        "Rejected": Transition(frozenset({_S.REPORTED}), _S.REJECTED),
        "Dispatched": Transition(_WORKING, _S.DISPATCHED),
        "HandlingStarted": Transition(frozenset({_S.ACCEPTED, _S.DISPATCHED}), _S.IN_PROGRESS),
        "Resolved": Transition(_WORKING, _S.RESOLVED),
        "Verified": Transition(frozenset({_S.RESOLVED}), _S.VERIFIED),
        "VerificationFailed": Transition(frozenset({_S.RESOLVED}), _S.IN_PROGRESS),
        "ResidentSatisfied": Transition(frozenset({_S.RESOLVED, _S.VERIFIED}), "same"),
        "ResidentDissatisfied": Transition(frozenset({_S.RESOLVED, _S.VERIFIED}), _S.IN_PROGRESS),
        "Closed": Transition(frozenset({_S.VERIFIED}), _S.CLOSED),
        "Evaluated": Transition(frozenset({_S.CLOSED}), _S.EVALUATED),
        "Suspended": Transition(_ACTIVE, _S.SUSPENDED),
        "Resumed": Transition(frozenset({_S.SUSPENDED}), "previous"),
        "ExtensionRequested": Transition(_WORKING, "same"),
        "ExtensionGranted": Transition(_WORKING | {_S.SUSPENDED}, "same"),
        "ExtensionRefused": Transition(_WORKING | {_S.SUSPENDED}, "same"),
        "Escalated": Transition(_ACTIVE, _S.REPORTED),
        "Returned": Transition(frozenset({_S.REPORTED, _S.ACCEPTED, _S.DISPATCHED}), _S.REPORTED),
        "SeverityRaised": Transition(_ACTIVE | {_S.SUSPENDED}, "same"),
        "CoHandlerLinked": Transition(_ACTIVE, "same"),
        "CoHandlerCompleted": Transition(_OPEN, "same"),
        "CoHandlerReleased": Transition(_ACTIVE | {_S.SUSPENDED}, "same"),
        "MergedInto": Transition(_ACTIVE | {_S.SUSPENDED}, _S.MERGED),
        "DuplicateMerged": Transition(_OPEN, "same"),
    }
)
"""The lifecycle as data: event kind (class name) → :class:`Transition`.

Example:
    >>> TRANSITIONS["Closed"]
    Transition(sources=frozenset({<CaseStatus.VERIFIED: 'verified'>}), target=<CaseStatus.CLOSED: 'closed'>)
"""

_KINDS: dict[str, type[CaseEvent]] = {
    cls.__name__: cls
    for cls in (
        CaseOpened,
        Accepted,
        Rejected,
        Dispatched,
        HandlingStarted,
        Resolved,
        Verified,
        VerificationFailed,
        ResidentSatisfied,
        ResidentDissatisfied,
        Closed,
        Evaluated,
        Suspended,
        Resumed,
        ExtensionRequested,
        ExtensionGranted,
        ExtensionRefused,
        Escalated,
        Returned,
        SeverityRaised,
        CoHandlerLinked,
        CoHandlerCompleted,
        CoHandlerReleased,
        MergedInto,
        DuplicateMerged,
    )
}


# --------------------------------------------------------------------------- the case


class TimelineEntry(NamedTuple):
    """One step of a case's timeline: an event and where it left the case.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> step = TimelineEntry(Accepted(at=datetime(2026, 11, 26, 15, tzinfo=CST),
        ...                               actor="m-g3"), CaseStatus.ACCEPTED, "g3")
        >>> step.status.zh, step.owner
        ('已立案', 'g3')
    """

    event: CaseEvent
    """The event."""
    status: CaseStatus
    """The case's status after it."""
    owner: str
    """The case's owner after it (a unit id, or the external body's id)."""

    def describe(self) -> str:
        """The step as a grid worker reads it.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> TimelineEntry(Accepted(at=datetime(2026, 11, 26, 15, tzinfo=CST), actor="m-g3"),
            ...               CaseStatus.ACCEPTED, "g3").describe()
            '2026-11-26 15:00 立案 accepted — m-g3 [已立案 accepted · g3]'
        """
        return f"{self.event.describe()} [{self.status.zh} {self.status.label} · {self.owner}]"


_STATE_KEYS = (
    "id",
    "issue",
    "status",
    "owner",
    "owner_name",
    "beyond",
    "chain",
    "level",
    "filed_unit",
    "grid_version",
    "rule",
    "severity",
    "owner_severity",
    "accept_by",
    "resolve_by",
    "opened_at",
    "updated_at",
    "paused_since",
    "suspended_from",
    "extension_requested",
    "handler",
    "co_handlers",
    "duplicates",
    "reports",
    "merged_into",
    "escalation_triggers",
    "dissatisfied",
    "owner_dissatisfied",
    "rework",
    "satisfaction",
)


@register
@attrs.frozen(kw_only=True, repr=False)
class Case:
    """A case: an issue's way through the closed loop, rebuilt from its events.

    ``Case(events=...)`` replays the events — the first must be a :class:`CaseOpened` — and
    refuses, with :class:`~gridgov.errors.InvalidTransitionError`, a sequence the lifecycle
    forbids.  Two cases are equal when their events are; a case serialises as its events.
    Every attribute but ``events`` is derived from them.

    Attributes:
        events: the timeline, oldest first (append-only).
        id: the case's id.
        issue: the issue as filed.
        status: the current :class:`CaseStatus`.
        owner: the owning unit's id, or the external body's id once :attr:`beyond`.
        owner_name: the owner's display name.
        beyond: whether the case has been escalated beyond the grid (吹哨报到).
        chain: the unit the case was filed with (or re-routed to) and every unit above it.
        level: the owner's index in ``chain`` (``len(chain)`` once beyond).
        filed_unit: the unit the case was first filed with; it stays accountable
            (:attr:`accountable`, 首接负责制) whoever owns the case.
        grid_version: the version of the grid the case was filed under.
        rule: the routing rule that placed it, if any.
        severity: the current severity (raised by :class:`SeverityRaised`).
        owner_severity: the severity when the current owner took the case.
        accept_by: the accept deadline (its clock runs while the case is reported).
        resolve_by: the resolve deadline (its clock runs while the case is active).
        opened_at: when the case was opened.
        updated_at: when its last event happened.
        paused_since: when its clocks stopped, while suspended or awaiting verification.
        suspended_from: the status it was suspended from, while suspended.
        extension_requested: the date of a pending extension request, if any.
        handler: whom it was last dispatched to, if anyone.
        co_handlers: the co-handlers linked in (联动).
        duplicates: ids of the cases merged into this one.
        reports: the issue and the issues of the merged duplicates, in merge order.
        merged_into: the case this one was merged into, if any.
        escalation_triggers: the trigger of every escalation, in order.
        dissatisfied: how often the resident was dissatisfied.
        owner_dissatisfied: how often, since the current owner took the case.
        rework: how often the case was reopened for rework (返工).
        satisfaction: the resident's latest view, if given.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.HOTLINE,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> opened = CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...                     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")
        >>> case = Case(events=[opened, Accepted(at=t.replace(hour=10), actor="m-li")])
        >>> case
        Case(id='c-1', status='accepted', owner='mg31', events=2)
        >>> Case(events=[Accepted(at=t, actor="m-li")])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: a case's first event must be CaseOpened (got Accepted).
    """

    events: tuple[CaseEvent, ...] = attrs.field(
        converter=to_tuple, validator=instances_of(CaseEvent)
    )

    id: str = attrs.field(init=False, eq=False, repr=False)
    issue: Issue = attrs.field(init=False, eq=False, repr=False)
    status: CaseStatus = attrs.field(init=False, eq=False, repr=False)
    owner: str = attrs.field(init=False, eq=False, repr=False)
    owner_name: str = attrs.field(init=False, eq=False, repr=False)
    beyond: bool = attrs.field(init=False, eq=False, repr=False)
    chain: tuple[GridUnit, ...] = attrs.field(init=False, eq=False, repr=False)
    level: int = attrs.field(init=False, eq=False, repr=False)
    filed_unit: str = attrs.field(init=False, eq=False, repr=False)
    grid_version: str = attrs.field(init=False, eq=False, repr=False)
    rule: str | None = attrs.field(init=False, eq=False, repr=False)
    severity: Severity = attrs.field(init=False, eq=False, repr=False)
    owner_severity: Severity = attrs.field(init=False, eq=False, repr=False)
    accept_by: Deadline | None = attrs.field(init=False, eq=False, repr=False)
    resolve_by: Deadline | None = attrs.field(init=False, eq=False, repr=False)
    opened_at: datetime = attrs.field(init=False, eq=False, repr=False)
    updated_at: datetime = attrs.field(init=False, eq=False, repr=False)
    paused_since: datetime | None = attrs.field(init=False, eq=False, repr=False)
    suspended_from: CaseStatus | None = attrs.field(init=False, eq=False, repr=False)
    extension_requested: datetime | None = attrs.field(init=False, eq=False, repr=False)
    handler: str | None = attrs.field(init=False, eq=False, repr=False)
    co_handlers: tuple[CoHandler, ...] = attrs.field(init=False, eq=False, repr=False)
    duplicates: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    reports: tuple[Issue, ...] = attrs.field(init=False, eq=False, repr=False)
    merged_into: str | None = attrs.field(init=False, eq=False, repr=False)
    escalation_triggers: tuple[Trigger, ...] = attrs.field(init=False, eq=False, repr=False)
    dissatisfied: int = attrs.field(init=False, eq=False, repr=False)
    owner_dissatisfied: int = attrs.field(init=False, eq=False, repr=False)
    rework: int = attrs.field(init=False, eq=False, repr=False)
    satisfaction: Satisfaction | None = attrs.field(init=False, eq=False, repr=False)
    # What the escalation sweep reads, precomputed (see _sweep_info and _report_data); not
    # part of the value.
    _sweep: tuple[Any, ...] | None = attrs.field(init=False, eq=False, repr=False)
    _report_key: str = attrs.field(init=False, eq=False, repr=False)
    _report_time: float = attrs.field(init=False, eq=False, repr=False)
    _merged_reports: tuple[tuple[str, float], ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        state = _replay(self.events)
        for key in _STATE_KEYS:
            object.__setattr__(self, key, state[key])
        object.__setattr__(self, "_sweep", _sweep_info(state))
        _set_report_data(self, state)

    @classmethod
    def _build(cls, events: tuple[CaseEvent, ...], state: Mapping[str, Any], before: Case) -> Case:
        """The case after *before* took the last of *events*, whose state is computed."""
        case = object.__new__(cls)
        object.__setattr__(case, "events", events)
        for key in _STATE_KEYS:
            object.__setattr__(case, key, state[key])
        object.__setattr__(case, "_sweep", _sweep_info(state))
        if state["reports"] is before.reports and state["merged_into"] is before.merged_into:
            object.__setattr__(case, "_report_key", before._report_key)
            object.__setattr__(case, "_report_time", before._report_time)
            object.__setattr__(case, "_merged_reports", before._merged_reports)
        else:
            _set_report_data(case, state)
        return case

    def _state(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in _STATE_KEYS}

    def __repr__(self) -> str:
        return (
            f"Case(id={self.id!r}, status={self.status.value!r}, owner={self.owner!r}, "
            f"events={len(self.events)})"
        )

    @property
    def accountable(self) -> str:
        """The first receiving unit (首接负责制): the unit the case was filed with.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
            >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
            ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
            >>> case = case.apply(Escalated(at=t, actor="m-li", trigger=Trigger.MANUAL,
            ...                             from_unit="mg31", to="g3", reason="上报"))
            >>> case.owner, case.accountable
            ('g3', 'mg31')
        """
        return self.filed_unit

    @property
    def is_open(self) -> bool:
        """Whether the loop has not ended (see :attr:`CaseStatus.is_terminal`).

        Example:
            >>> CaseStatus.MERGED.is_terminal
            True
        """
        return self.status not in _TERMINAL

    def apply(self, event: CaseEvent) -> Case:
        """The case after *event*: the same as :func:`apply_event(self, event) <apply_event>`.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
            >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
            ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
            >>> case.apply(Rejected(at=t, actor="m-li", reason="重复来电")).status.zh
            '不予立案'
        """
        return apply_event(self, event)

    def timeline(self) -> tuple[TimelineEntry, ...]:
        """Every event with the status and owner it left the case in, oldest first.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
            >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
            ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11"),
            ...     Accepted(at=t.replace(hour=10), actor="m-li")])
            >>> for step in case.timeline():
            ...     print(step.describe())
            2026-11-26 09:00 受理 opened — m-li: dispute → 美好人家1号楼 [已受理 reported · mg31]
            2026-11-26 10:00 立案 accepted — m-li [已立案 accepted · mg31]
        """
        out: list[TimelineEntry] = []
        state: dict[str, Any] | None = None
        for event in self.events:
            if state is None:
                state = _opened(event)
            else:
                _step(state, event)
            out.append(TimelineEntry(event, state["status"], state["owner"]))
        return tuple(out)

    def describe(self) -> str:
        """The timeline as text, one line per event.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
            >>> print(Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
            ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")]).describe())
            2026-11-26 09:00 受理 opened — m-li: dispute → 美好人家1号楼 [已受理 reported · mg31]
        """
        return "\n".join(step.describe() for step in self.timeline())


# --------------------------------------------------------------------------- sweep data


def _report_key(issue: Issue) -> str:
    """The place (or unit) and category an issue reports, as one string (for counting)."""
    where = issue.place if issue.place is not None else f"unit:{issue.unit}"
    return f"{where}\x1f{issue.category}"


def _set_report_data(case: Case, state: Mapping[str, Any]) -> None:
    """Store the case's reports as the sweep counts them: its own issue's report key and
    POSIX time, and ``(key, time)`` for each duplicate merged into it.

    A case merged into another counts nothing (its time is NaN, never in a window): its
    report is counted by the case it was merged into, which lists it among its own.
    """
    own, *merged = state["reports"]
    counted = state["merged_into"] is None
    object.__setattr__(case, "_report_key", _report_key(own))
    object.__setattr__(case, "_report_time", own.reported_at.timestamp() if counted else math.nan)
    object.__setattr__(
        case,
        "_merged_reports",
        tuple((_report_key(i), i.reported_at.timestamp()) for i in merged) if counted else (),
    )


def _clock(deadline: Deadline | None) -> float | Deadline | None:
    if deadline is None:
        return None
    return deadline.due.timestamp() if not deadline.pauses else deadline


def _sweep_info(state: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What :func:`gridgov.escalation.due_escalations` needs, computed once per case value.

    ``None`` if no escalation can be due (the case is not active, or is beyond the grid);
    otherwise ``(quiet_until, flagged, accept, resolve, owner_dissatisfied, report_key)``:

    * *accept* and *resolve* are the running deadlines: a POSIX timestamp when no suspended
      time has to be given back, the :class:`Deadline` itself when it has (the calendar is
      needed), or ``None`` when that clock is not running;
    * *quiet_until* is the POSIX time before which no running deadline can have passed:
      the earliest nominal due time (giving suspended time back only ever moves a deadline
      later), or ``inf`` when no clock runs;
    * *flagged* says whether the severity was raised or the resident was dissatisfied since
      the owner took the case, so those triggers need a look.

    A case that is quiet at ``now`` and not flagged can only be due for repeated reports.
    """
    status = state["status"]
    if status not in _ACTIVE or state["beyond"]:
        return None
    accept = _clock(state["accept_by"]) if status is _REPORTED else None
    resolve = _clock(state["resolve_by"])
    quiet = math.inf
    for clock in (accept, resolve):
        if clock is None:
            continue
        quiet = min(quiet, clock.due.timestamp() if isinstance(clock, Deadline) else clock)
    raised = state["severity"] > state["owner_severity"]
    dissatisfied = state["owner_dissatisfied"]
    return (
        quiet,
        raised or dissatisfied > 0,
        accept,
        resolve,
        dissatisfied,
        _report_key(state["issue"]),
    )


# --------------------------------------------------------------------------- transitions


def _refuse(state: Mapping[str, Any], message: str) -> InvalidTransitionError:
    return InvalidTransitionError(f"case {state['id']!r} {message}")


def _opened(event: CaseEvent) -> dict[str, Any]:
    if not isinstance(event, CaseOpened):
        raise InvalidTransitionError(
            f"a case's first event must be CaseOpened (got {type(event).__name__})."
        )
    unit = event.chain[0]
    severity = event.issue.severity
    return {
        "id": event.case,
        "issue": event.issue,
        "status": CaseStatus.REPORTED,
        "owner": unit.id,
        "owner_name": unit.name,
        "beyond": False,
        "chain": event.chain,
        "level": 0,
        "filed_unit": unit.id,
        "grid_version": event.grid_version,
        "rule": event.rule,
        "severity": severity,
        "owner_severity": severity,
        "accept_by": event.accept_by,
        "resolve_by": event.resolve_by,
        "opened_at": event.at,
        "updated_at": event.at,
        "paused_since": None,
        "suspended_from": None,
        "extension_requested": None,
        "handler": None,
        "co_handlers": (),
        "duplicates": (),
        "reports": (event.issue,),
        "merged_into": None,
        "escalation_triggers": (),
        "dissatisfied": 0,
        "owner_dissatisfied": 0,
        "rework": 0,
        "satisfaction": None,
    }


def _replay(events: tuple[CaseEvent, ...]) -> dict[str, Any]:
    if not events:
        raise InvalidTransitionError("a case's first event must be CaseOpened (got none).")
    state = _opened(events[0])
    for event in events[1:]:
        _step(state, event)
    return state


def _step(state: dict[str, Any], event: CaseEvent) -> None:
    """Apply *event* to *state* in place, or raise without having changed it."""
    kind = type(event).__name__
    if _KINDS.get(kind) is not type(event):
        raise InvalidTransitionError(
            f"case {state['id']!r} cannot take a {kind}: it is not a gridgov case event."
        )
    status: CaseStatus = state["status"]
    if kind == "CaseOpened":
        raise _refuse(state, "is already open; CaseOpened can only be its first event.")
    if event.at < state["updated_at"]:
        raise _refuse(
            state,
            f"refuses {kind} at {event.at.isoformat()}: it is earlier than the case's last "
            f"event at {state['updated_at'].isoformat()}; events must be applied in time order.",
        )
    sources, target = TRANSITIONS[kind]
    if status not in sources:
        allowed = ", ".join(s.label for s in CaseStatus if s in sources)
        raise _refuse(
            state,
            f"is {status.label} ({status.zh}): event {kind} ({type(event).zh}) is not allowed; "
            f"it is allowed only when the case is {allowed}.",
        )
    previous = state["suspended_from"]
    _HANDLERS[kind](state, event)  # checks first, then changes (callers pass a fresh copy)
    if target == "previous":
        state["status"] = previous
        state["suspended_from"] = None
    elif target != "same":
        state["status"] = target
    state["updated_at"] = event.at


def _none(state: dict[str, Any], event: Any) -> None:
    return None


def _on_dispatched(state: dict[str, Any], event: Dispatched) -> None:
    state["handler"] = event.handler


def _on_resolved(state: dict[str, Any], event: Resolved) -> None:
    waiting = [h for h in state["co_handlers"] if h.required and h.is_open]
    if waiting:
        h = waiting[0]
        raise _refuse(
            state,
            f"cannot be resolved while required co-handler {h.id!r} ({h.name or h.kind}) is "
            "open; record its completion (CoHandlerCompleted) or close it out "
            "(CoHandlerReleased) first.",
        )
    state["paused_since"] = event.at
    state["extension_requested"] = None


def _reopen(state: dict[str, Any], at: datetime, resolve_by: Deadline | None) -> None:
    if resolve_by is not None:
        state["resolve_by"] = resolve_by
    elif state["resolve_by"] is not None and state["paused_since"] is not None:
        state["resolve_by"] = state["resolve_by"].paused(state["paused_since"], at)
    state["paused_since"] = None
    state["rework"] += 1


def _on_verification_failed(state: dict[str, Any], event: VerificationFailed) -> None:
    _reopen(state, event.at, event.resolve_by)


def _on_satisfied(state: dict[str, Any], event: ResidentSatisfied) -> None:
    state["satisfaction"] = event.satisfaction


def _on_dissatisfied(state: dict[str, Any], event: ResidentDissatisfied) -> None:
    state["satisfaction"] = Satisfaction.DISSATISFIED
    state["dissatisfied"] += 1
    state["owner_dissatisfied"] += 1
    _reopen(state, event.at, event.resolve_by)


def _on_evaluated(state: dict[str, Any], event: Evaluated) -> None:
    state["satisfaction"] = event.satisfaction
    if not event.satisfaction.satisfied:
        state["dissatisfied"] += 1


def _on_suspended(state: dict[str, Any], event: Suspended) -> None:
    state["suspended_from"] = state["status"]
    state["paused_since"] = event.at


def _on_resumed(state: dict[str, Any], event: Resumed) -> None:
    since = state["paused_since"]
    if state["suspended_from"] is _REPORTED and state["accept_by"] is not None:
        state["accept_by"] = state["accept_by"].paused(since, event.at)
    if state["resolve_by"] is not None:
        state["resolve_by"] = state["resolve_by"].paused(since, event.at)
    state["paused_since"] = None


def _on_extension_requested(state: dict[str, Any], event: ExtensionRequested) -> None:
    deadline: Deadline | None = state["resolve_by"]
    if deadline is None:
        raise _refuse(state, "has no resolve deadline to extend.")
    if state["extension_requested"] is not None:
        raise _refuse(
            state,
            "already has an extension request pending (until "
            f"{state['extension_requested'].isoformat()}); grant or refuse it first.",
        )
    if event.until <= deadline.due:
        raise _refuse(
            state,
            f"cannot extend its resolve deadline {deadline.due.isoformat()} to an earlier or "
            f"equal date (got {event.until.isoformat()}).",
        )
    state["extension_requested"] = event.until


def _pending(state: dict[str, Any], kind: str) -> datetime:
    pending: datetime | None = state["extension_requested"]
    if pending is None:
        raise _refuse(state, f"has no pending extension request for {kind}.")
    return pending


def _on_extension_granted(state: dict[str, Any], event: ExtensionGranted) -> None:
    until = event.until if event.until is not None else _pending(state, "ExtensionGranted")
    _pending(state, "ExtensionGranted")
    deadline: Deadline = state["resolve_by"]
    if until <= deadline.due:
        raise _refuse(
            state,
            f"cannot extend its resolve deadline {deadline.due.isoformat()} to an earlier or "
            f"equal date (got {until.isoformat()}).",
        )
    state["resolve_by"] = attrs.evolve(deadline, due=until, pauses=())
    state["extension_requested"] = None


def _on_extension_refused(state: dict[str, Any], event: ExtensionRefused) -> None:
    _pending(state, "ExtensionRefused")
    state["extension_requested"] = None


def _new_owner(state: dict[str, Any]) -> None:
    state["owner_severity"] = state["severity"]
    state["owner_dissatisfied"] = 0
    state["extension_requested"] = None
    state["handler"] = None


def _on_escalated(state: dict[str, Any], event: Escalated) -> None:
    if state["beyond"]:
        raise _refuse(
            state,
            f"is already with {state['owner_name']} ({state['owner']}), beyond the grid; no "
            "further escalation is possible.",
        )
    if event.from_unit != state["owner"]:
        raise _refuse(
            state,
            f"is owned by {state['owner']!r}, so it can only be escalated from there "
            f"(got from_unit={event.from_unit!r}).",
        )
    chain: tuple[GridUnit, ...] = state["chain"]
    up = state["level"] + 1
    if up < len(chain):
        parent = chain[up]
        if event.beyond or event.to != parent.id:
            raise _refuse(
                state,
                f"can only be escalated from {state['owner']!r} to its parent {parent.id!r} "
                f"(got {event.to!r}{', beyond' if event.beyond else ''}); escalation never "
                "goes sideways or down.",
            )
        state["owner_name"] = parent.name
    else:
        if not event.beyond:
            raise _refuse(
                state,
                f"is at the top of its chain ({state['owner']!r}); the next step is beyond the "
                f"grid (an Escalated event with beyond=True), not {event.to!r}.",
            )
        if any(unit.id == event.to for unit in chain):
            raise _refuse(
                state,
                f"can only be escalated beyond the grid to an external body, not to its own "
                f"unit {event.to!r}; escalation never goes sideways or down.",
            )
        state["owner_name"] = event.to_name or event.to
        state["beyond"] = True
    state["owner"] = event.to
    state["level"] = up
    state["accept_by"] = event.accept_by
    state["resolve_by"] = event.resolve_by
    state["escalation_triggers"] = (*state["escalation_triggers"], event.trigger)
    _new_owner(state)


def _on_returned(state: dict[str, Any], event: Returned) -> None:
    if state["beyond"]:
        raise _refuse(
            state,
            f"is with {state['owner_name']} beyond the grid and cannot be returned for re-routing.",
        )
    unit = event.chain[0]
    if unit.id == state["owner"]:
        raise _refuse(state, f"cannot be returned to its own owner {unit.id!r}.")
    state["chain"] = event.chain
    state["level"] = 0
    state["owner"] = unit.id
    state["owner_name"] = unit.name
    if event.accept_by is not None:
        state["accept_by"] = event.accept_by
    if event.resolve_by is not None:
        state["resolve_by"] = event.resolve_by
    _new_owner(state)


def _on_severity_raised(state: dict[str, Any], event: SeverityRaised) -> None:
    if event.severity <= state["severity"]:
        raise _refuse(
            state,
            f"has severity {int(state['severity'])} ({state['severity'].zh}); SeverityRaised "
            f"must raise it (got {int(event.severity)}).",
        )
    state["severity"] = event.severity


def _on_linked(state: dict[str, Any], event: CoHandlerLinked) -> None:
    for h in state["co_handlers"]:
        if h.id == event.handler and h.is_open:
            raise _refuse(state, f"already has co-handler {h.id!r} open.")
    handler = CoHandler(
        id=event.handler,
        kind=event.kind,
        name=event.name,
        due=event.due,
        required=event.required,
        linked_at=event.at,
    )
    state["co_handlers"] = (*state["co_handlers"], handler)


def _finish(
    state: dict[str, Any],
    handler_id: str,
    new_state: Literal["done", "released"],
    kind: str,
) -> None:
    handlers: tuple[CoHandler, ...] = state["co_handlers"]
    for i, h in enumerate(handlers):
        if h.id == handler_id and h.is_open:
            done = attrs.evolve(h, state=new_state)
            state["co_handlers"] = (*handlers[:i], done, *handlers[i + 1 :])
            return
    open_ids = [h.id for h in handlers if h.is_open]
    raise _refuse(
        state,
        f"has no open co-handler {handler_id!r} for {kind} (open: "
        f"{', '.join(open_ids) if open_ids else 'none'}).",
    )


def _on_completed(state: dict[str, Any], event: CoHandlerCompleted) -> None:
    _finish(state, event.handler, "done", "CoHandlerCompleted")


def _on_released(state: dict[str, Any], event: CoHandlerReleased) -> None:
    _finish(state, event.handler, "released", "CoHandlerReleased")


def _on_merged_into(state: dict[str, Any], event: MergedInto) -> None:
    if event.into == state["id"]:
        raise _refuse(state, "cannot be merged into itself.")
    state["merged_into"] = event.into


def _on_duplicate(state: dict[str, Any], event: DuplicateMerged) -> None:
    if event.duplicate == state["id"]:
        raise _refuse(state, "cannot take itself as a duplicate.")
    if event.duplicate in state["duplicates"]:
        raise _refuse(state, f"already has duplicate {event.duplicate!r} merged in.")
    state["duplicates"] = (*state["duplicates"], event.duplicate)
    state["reports"] = (*state["reports"], event.issue)


_HANDLERS: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "Accepted": _none,
    "Rejected": _none,
    "Dispatched": _on_dispatched,
    "HandlingStarted": _none,
    "Resolved": _on_resolved,
    "Verified": _none,
    "VerificationFailed": _on_verification_failed,
    "ResidentSatisfied": _on_satisfied,
    "ResidentDissatisfied": _on_dissatisfied,
    "Closed": _none,
    "Evaluated": _on_evaluated,
    "Suspended": _on_suspended,
    "Resumed": _on_resumed,
    "ExtensionRequested": _on_extension_requested,
    "ExtensionGranted": _on_extension_granted,
    "ExtensionRefused": _on_extension_refused,
    "Escalated": _on_escalated,
    "Returned": _on_returned,
    "SeverityRaised": _on_severity_raised,
    "CoHandlerLinked": _on_linked,
    "CoHandlerCompleted": _on_completed,
    "CoHandlerReleased": _on_released,
    "MergedInto": _on_merged_into,
    "DuplicateMerged": _on_duplicate,
}


# --------------------------------------------------------------------------- functions


def apply_event(case: Case, event: CaseEvent) -> Case:
    """The case after *event*; *case* itself is unchanged.

    Raises:
        InvalidTransitionError: naming the case's status and the event, if the lifecycle
            (:data:`TRANSITIONS`) forbids the event in that status, if the event is earlier
            than the case's last event, or if the event does not fit the case (an
            escalation that is not one step up, a second escalation beyond the grid, a
            resolution while a required co-handler is open, …).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
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
        raise InvalidValueError(f"'case' must be a Case (got {case!r:.60}).")
    if not isinstance(event, CaseEvent):
        raise InvalidValueError(f"'event' must be a CaseEvent (got {event!r:.60}).")
    state = case._state()
    _step(state, event)
    return Case._build((*case.events, event), state, case)


def replay(events: Iterable[CaseEvent]) -> Case:
    """Rebuild a case from its events (the same as ``Case(events=events)``).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
        >>> case = case.apply(Accepted(at=t, actor="m-li"))
        >>> replay(case.events) == case, replay(case.events).status.value
        (True, 'accepted')
    """
    return Case(events=tuple(events))


def _policy_deadlines(
    policy: EscalationPolicy | None,
    *,
    tier: str,
    category: str,
    severity: Severity,
    start: datetime,
) -> tuple[Deadline | None, Deadline | None]:
    if policy is None:
        return None, None
    return policy.deadlines(tier=tier, category=category, severity=severity, start=start)


def open_case(
    issue: Issue,
    assignment: Assignment,
    *,
    grid: GridGraph,
    actor: str,
    at: datetime | None = None,
    policy: EscalationPolicy | None = None,
    case_id: str | None = None,
    link_partners: bool = True,
) -> Case:
    """Open a case (受理) for an issue the router assigned.

    The case is filed with the assignment's unit under the grid's version, and keeps the
    chain of units above it as the grid is drawn now.  Its deadlines come from *policy* (the
    SLA for the unit's tier, the issue's category and severity, counted from *at*) when one
    is given and has an SLA that applies; otherwise from the assignment (the routing rule's
    limits, counted from the report; the assignment carries instants only, so suspended
    time is given back as wall-clock time).  The partners the routing linked become required
    co-handlers (联动) due at the resolve deadline, unless ``link_partners=False``.

    Args:
        issue: the issue.
        assignment: the router's assignment for it.
        grid: the grid it was routed on (its version must be the assignment's).
        actor: who opened the case.
        at: when (default: when the issue was reported).
        policy: an :class:`~gridgov.escalation.EscalationPolicy` for the deadlines.
        case_id: the case's id (default: the issue's id).
        link_partners: whether to link the assignment's partners as co-handlers.

    Raises:
        InvalidValueError: if the assignment is for another issue or another grid version,
            or a deadline would be in the past when the case is opened.
        UnknownUnitError: if the assignment's unit is not in the grid.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
        >>> grid = sample_grid()
        >>> issue = Issue(id="i-8", category="policy_enquiry", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"),
        ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
        >>> a = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
        >>> case = open_case(issue, a, grid=grid, actor="m-li")
        >>> case.owner, case.grid_version
        ('mg31', '2026-11')
        >>> print(case.resolve_by.due)  # 3 working days from Thursday 09:00
        2026-12-01 09:00:00+08:00
        >>> open_case(issue, a, grid=grid, actor="m-li",
        ...           at=datetime(2026, 12, 1, 9, 0, tzinfo=CST))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'accept_by' of CaseOpened must not be before the event at 2026-12-01T09:00:00+08:00 (got 2026-11-26T15:00:00+08:00); a deadline in the past is refused.
    """
    if not isinstance(issue, Issue):
        raise InvalidValueError(f"'issue' must be an Issue (got {issue!r:.60}).")
    if not isinstance(assignment, Assignment):
        raise InvalidValueError(f"'assignment' must be an Assignment (got {assignment!r:.60}).")
    if not isinstance(grid, GridGraph):
        raise InvalidValueError(f"'grid' must be a GridGraph (got {grid!r:.60}).")
    if assignment.issue != issue.id:
        raise InvalidValueError(
            f"'assignment' is for issue {assignment.issue!r}, not for issue {issue.id!r}."
        )
    if assignment.grid_version != grid.version:
        raise InvalidValueError(
            f"'assignment' was routed on grid version {assignment.grid_version!r}, but 'grid' "
            f"is version {grid.version!r}; route the issue again on this grid."
        )
    when = issue.reported_at if at is None else at
    check_aware("at", when)
    chain = grid.chain(assignment.unit)
    if policy is not None:
        policy.check(grid.scheme)
    accept_by, resolve_by = _policy_deadlines(
        policy, tier=chain[0].tier, category=issue.category, severity=issue.severity, start=when
    )
    if accept_by is None and assignment.accept_by is not None:
        accept_by = Deadline(start=issue.reported_at, due=assignment.accept_by)
    if resolve_by is None and assignment.resolve_by is not None:
        resolve_by = Deadline(start=issue.reported_at, due=assignment.resolve_by)
    events: list[CaseEvent] = [
        CaseOpened(
            at=when,
            actor=actor,
            case=issue.id if case_id is None else case_id,
            issue=issue,
            chain=chain,
            grid_version=grid.version,
            rule=assignment.rule,
            reason=assignment.reason,
            accept_by=accept_by,
            resolve_by=resolve_by,
        )
    ]
    if link_partners:
        names = {p.id: p.name for p in grid.partners}
        for pid in assignment.partners:
            events.append(
                CoHandlerLinked(
                    at=when,
                    actor=actor,
                    handler=pid,
                    kind="partner",
                    name=names.get(pid, ""),
                    due=None if resolve_by is None else resolve_by.due,
                )
            )
    return Case(events=events)


def reroute(
    case: Case,
    to: str,
    *,
    grid: GridGraph,
    at: datetime,
    actor: str,
    reason: str,
    policy: EscalationPolicy | None = None,
) -> Case:
    """Return a wrongly dispatched case (退回) and re-route it to unit *to* of *grid*.

    With a *policy*, the new unit gets the SLA for its tier, counted from *at*; without one,
    the case keeps its deadlines.

    Raises:
        UnknownUnitError: if *to* is not a unit of *grid*.
        InvalidTransitionError: if the case may not be returned now (see :class:`Returned`).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> grid = sample_grid()
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=grid.place_chain("h-1001"), grid_version=grid.version)])
        >>> moved = reroute(case, "mg32", grid=grid, at=t, actor="m-li", reason="住户在2号楼")
        >>> moved.owner, moved.accountable, [u.id for u in moved.chain]
        ('mg32', 'mg31', ['mg32', 'g3', 'yx'])
    """
    if not isinstance(grid, GridGraph):
        raise InvalidValueError(f"'grid' must be a GridGraph (got {grid!r:.60}).")
    chain = grid.chain(to)
    if policy is not None:
        policy.check(grid.scheme)
    accept_by, resolve_by = _policy_deadlines(
        policy, tier=chain[0].tier, category=case.issue.category, severity=case.severity, start=at
    )
    return apply_event(
        case,
        Returned(
            at=at,
            actor=actor,
            reason=reason,
            chain=chain,
            grid_version=grid.version,
            accept_by=accept_by,
            resolve_by=resolve_by,
        ),
    )


def merge_duplicate(
    duplicate: Case, into: Case, *, at: datetime, actor: str, reason: str = ""
) -> tuple[Case, Case]:
    """Merge *duplicate* into *into* (并案); both keep their timelines.

    *duplicate* gets a :class:`MergedInto` event and ends its loop; *into* gets a
    :class:`DuplicateMerged` event recording the duplicate's id and issue (which counts as
    another report of the same matter).

    Returns:
        The merged duplicate and the case it was merged into, in that order.

    Raises:
        InvalidTransitionError: if either case may not take its event now, or they are the
            same case.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> chain, t = sample_grid().place_chain("h-1001"), datetime(2026, 11, 26, tzinfo=CST)
        >>> def filed(n):
        ...     issue = Issue(id=f"i-{n}", category="environment", severity=1,
        ...                   channel=Channel.APP, place="h-1001",
        ...                   reporter=Reporter.resident(f"r-{n}"), reported_at=t)
        ...     return Case(events=[CaseOpened(at=t, actor="m-li", case=f"c-{n}", issue=issue,
        ...                                    chain=chain, grid_version="2026-11")])
        >>> dup, kept = merge_duplicate(filed(2), filed(1), at=t, actor="m-li")
        >>> dup.status.value, dup.merged_into, kept.duplicates, len(kept.reports)
        ('merged', 'c-1', ('c-2',), 2)
    """
    if not isinstance(duplicate, Case) or not isinstance(into, Case):
        raise InvalidValueError("'duplicate' and 'into' must be Case values.")
    if duplicate.id == into.id:
        raise InvalidTransitionError(f"case {into.id!r} cannot be merged into itself.")
    kept = apply_event(
        into, DuplicateMerged(at=at, actor=actor, duplicate=duplicate.id, issue=duplicate.issue)
    )
    gone = apply_event(duplicate, MergedInto(at=at, actor=actor, into=into.id, reason=reason))
    return gone, kept
