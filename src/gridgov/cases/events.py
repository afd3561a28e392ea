"""Case events: what happened to a case, as frozen past-tense values — the base, and the
events of the straight loop from opening to evaluation.

A case *is* its events (:mod:`gridgov.cases.case`).  The detours from the straight loop —
suspension, extensions, escalation, return, linkage, merging — are in
:mod:`gridgov.cases.detours`.  Each event has an aware moment ``at``
and an ``actor`` (a member's, partner's or resident's id, or ``"system"``), and carries what
the lifecycle (:mod:`gridgov.cases.lifecycle`) needs to apply it.  Events are checked at the door
against themselves — free text at most 4,000 characters, a deadline they carry neither
starting after nor falling due before the event, an escalation's missed deadline before it —
and against the case when applied.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> e = Rejected(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
    ...              reason="重复来电")
    >>> print(e.describe())
    2026-11-26 15:00 不予立案 — m-g3：重复来电
    2026-11-26 15:00 rejected — m-g3: 重复来电
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.calendar import Deadline
from gridgov.cases._doors import (
    DEADLINE,
    REASON,
    Detail,
    fits,
    free_text,
    required_text,
    text_detail,
    unit_ref,
)
from gridgov.errors import InvalidValueError
from gridgov.grid import GridUnit, check_chain
from gridgov.issues import CategoryCatalogue, Issue
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = [
    "Accepted",
    "CaseEvent",
    "CaseOpened",
    "Closed",
    "Dispatched",
    "Evaluated",
    "HandlingStarted",
    "Rejected",
    "ResidentDissatisfied",
    "ResidentSatisfied",
    "Resolved",
    "Satisfaction",
    "Trigger",
    "VerificationFailed",
    "Verified",
]


# --------------------------------------------------------------------------- enumerations


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

    @property
    def is_overdue(self) -> bool:
        """Whether the trigger is a missed deadline (accept or resolve overdue).

        Example:
            >>> Trigger.ACCEPT_OVERDUE.is_overdue, Trigger.REPEATED.is_overdue
            (True, False)
        """
        return self in (Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE)

    @property
    def counts(self) -> bool:
        """Whether the trigger counts something (reports or dissatisfied verdicts).

        Example:
            >>> Trigger.DISSATISFIED.counts
            True
        """
        return self in (Trigger.REPEATED, Trigger.DISSATISFIED)


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


# --------------------------------------------------------------------------- the base


@attrs.frozen(kw_only=True)
class CaseEvent:
    """The base of every case event: something that happened to a case, at a moment, by someone.

    Events are named in the past tense and never change.  Subclasses add what the event
    carries; :data:`~gridgov.cases.TRANSITIONS` says in which statuses each kind may
    happen.

    Attributes:
        at: when it happened (timezone-aware).
        actor: who did it: a member's id, a partner's id, a resident's id, or ``"system"``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> e = Accepted(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3")
        >>> isinstance(e, CaseEvent), e.zh, e.label
        (True, '立案', 'accepted')
    """

    zh: ClassVar[str] = "事件"
    label: ClassVar[str] = "event"

    at: datetime = attrs.field(validator=v.aware)
    actor: str = attrs.field(validator=v.ident)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return "", "", ()

    def describe(self, catalogue: CategoryCatalogue | None = None) -> Reason:
        """The event as one line of the case's timeline, in Chinese and in English.

        Units and external bodies are named by name (their ids in the reason's ``refs``);
        categories by their labels in *catalogue* when one is given, else by code.  Free text
        is cut at 500 characters (the event keeps it whole).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> r = Rejected(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
            ...              reason="重复来电").describe()
            >>> r.zh, r.en
            ('2026-11-26 15:00 不予立案 — m-g3：重复来电', '2026-11-26 15:00 rejected — m-g3: 重复来电')
        """
        zh, en, refs = self._detail(catalogue)
        when = f"{self.at:%Y-%m-%d %H:%M}"
        head_zh = f"{when} {self.zh} — {self.actor}"
        head_en = f"{when} {self.label} — {self.actor}"
        return Reason(
            zh=f"{head_zh}：{zh}" if zh else head_zh,
            en=f"{head_en}: {en}" if en else head_en,
            refs=refs,
        )


# --------------------------------------------------------------------------- opening


@register
@attrs.frozen(kw_only=True)
class CaseOpened(CaseEvent):
    """受理: the case was opened for a routed issue.  Always the first event, and only there.

    Attributes:
        case: the case's id.
        issue: the issue as filed.
        chain: the units the issue was routed along, as the grid was drawn then: the unit it
            is located in (the bottom-tier unit of its place, the unit it concerns, or —
            unlocated — the unit unlocated issues go to), then every unit above it.
        position: the index in ``chain`` of the unit that owns the case.
        located: whether the issue has a known place or unit (``False``: 待定位); always the
            issue's own :attr:`~gridgov.issues.Issue.located`.
        grid_version: the version of the grid it was filed under.
        rule: the routing rule that placed it, if any.
        reason: the routing's reason, if any.
        accept_by: the accept deadline, if any; it starts no later than ``at`` and is not
            already past.
        resolve_by: the resolve deadline, if any; likewise.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Deadline, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.HOTLINE,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> e = CaseOpened(at=t, actor="m-li", case="c-1", issue=issue, grid_version="2026-11",
        ...                chain=sample_grid().place_chain("h-1001"), position=1)
        >>> e.chain[e.position].name, e.located
        ('第三网格', True)
        >>> CaseOpened(at=t, actor="m-li", case="c-1", issue=issue, grid_version="2026-11",
        ...            chain=sample_grid().place_chain("h-1001"),
        ...            resolve_by=Deadline(start=t, due=t.replace(hour=8, minute=30)))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'due' of Deadline must not be before its start 2026-11-26T09:00:00+08:00 (got 2026-11-26T08:30:00+08:00).
    """

    zh: ClassVar[str] = "受理"
    label: ClassVar[str] = "opened"

    case: str = attrs.field(validator=v.ident)
    issue: Issue = attrs.field(validator=v.is_a(Issue))
    chain: tuple[GridUnit, ...] = attrs.field(
        converter=v.to_tuple, validator=lambda i, a, x: check_chain("chain", x, i)
    )
    grid_version: str = attrs.field(validator=v.ident)
    position: int = attrs.field(default=0)
    located: bool = attrs.field(
        default=attrs.Factory(lambda self: self.issue.located, takes_self=True),
        validator=v.boolean,
    )
    rule: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    reason: Reason | None = attrs.field(default=None, validator=REASON)
    accept_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)

    def __attrs_post_init__(self) -> None:
        v.check_integer("position", self.position, 0, len(self.chain) - 1, self)
        if self.located != self.issue.located:
            raise InvalidValueError(
                f"'located' of CaseOpened must be the issue's own ({self.issue.located}) "
                f"(got {self.located})."
            )
        if self.issue.unit is not None and self.chain[0].id != self.issue.unit:
            raise InvalidValueError(
                f"'chain' of CaseOpened must start at the unit the issue concerns "
                f"{self.issue.unit!r} (got {self.chain[0].id!r})."
            )
        if self.at < self.issue.reported_at:
            raise InvalidValueError(
                f"'at' of CaseOpened must not be before the issue was reported at "
                f"{self.issue.reported_at.isoformat()} (got {self.at.isoformat()})."
            )
        fits(self, "accept_by", self.at, self.accept_by)
        fits(self, "resolve_by", self.at, self.resolve_by)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        code = self.issue.category
        unit = self.chain[self.position]
        refs: list[Ref] = [unit_ref(unit)]
        if catalogue is not None and code in catalogue:
            category = catalogue[code]
            zh, en = category.zh, category.label
            refs.append(Ref(kind="category", id=code, name=category.zh))
        else:
            zh = en = code
        where_zh = "" if self.located else "（待定位）"
        where_en = "" if self.located else " (unlocated)"
        return f"{zh} → {unit.name}{where_zh}", f"{en} → {unit.name}{where_en}", tuple(refs)


# --------------------------------------------------------------------------- the loop


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

    note: str = attrs.field(default="", validator=free_text, repr=False)


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
        gridgov.errors.InvalidValueError: 'reason' of Rejected must be a non-blank text (got a str of 1 characters (not shown: personal data)).
    """

    zh: ClassVar[str] = "不予立案"
    label: ClassVar[str] = "rejected"

    reason: str = attrs.field(validator=required_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.reason)


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

    handler: str = attrs.field(validator=v.ident)
    note: str = attrs.field(default="", validator=free_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return self.handler, self.handler, ()


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

    note: str = attrs.field(default="", validator=free_text, repr=False)


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

    summary: str = attrs.field(default="", validator=free_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.summary)


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

    note: str = attrs.field(default="", validator=free_text, repr=False)


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

    reason: str = attrs.field(validator=required_text, repr=False)
    resolve_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)

    def __attrs_post_init__(self) -> None:
        fits(self, "resolve_by", self.at, self.resolve_by)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.reason)


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
        default=Satisfaction.SATISFIED, validator=v.is_a(Satisfaction)
    )
    note: str = attrs.field(default="", validator=free_text, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.satisfaction.satisfied:
            raise InvalidValueError(
                "'satisfaction' of ResidentSatisfied must be satisfied or basically_satisfied "
                f"(got {self.satisfaction.value!r}); record ResidentDissatisfied instead."
            )

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return self.satisfaction.zh, self.satisfaction.label, ()


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

    note: str = attrs.field(default="", validator=free_text, repr=False)
    resolve_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)

    def __attrs_post_init__(self) -> None:
        fits(self, "resolve_by", self.at, self.resolve_by)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.note)


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

    note: str = attrs.field(default="", validator=free_text, repr=False)


@register
@attrs.frozen(kw_only=True)
class Evaluated(CaseEvent):
    """评价: the closed case was evaluated.  Ends the loop.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Evaluated(at=datetime(2026, 11, 28, 10, 0, tzinfo=CST), actor="r-lu",
        ...           satisfaction=Satisfaction.SATISFIED).describe().en
        '2026-11-28 10:00 evaluated — r-lu: satisfied'
    """

    zh: ClassVar[str] = "评价"
    label: ClassVar[str] = "evaluated"

    satisfaction: Satisfaction = attrs.field(validator=v.is_a(Satisfaction))
    note: str = attrs.field(default="", validator=free_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return self.satisfaction.zh, self.satisfaction.label, ()
