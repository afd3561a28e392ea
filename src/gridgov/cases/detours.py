"""Case events off the straight loop: its detours.

* the clocks stopped and moved: :class:`Suspended`, :class:`Resumed`,
  :class:`ExtensionRequested`, :class:`ExtensionGranted`, :class:`ExtensionRefused`;
* the case moved up or back, or found more serious: :class:`Escalated`, :class:`Returned`,
  :class:`SeverityRaised`;
* co-handlers linked in (联动): :class:`CoHandlerLinked`, :class:`CoHandlerCompleted`,
  :class:`CoHandlerReleased`;
* duplicates merged (并案): :class:`MergedInto`, :class:`DuplicateMerged`.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> e = Suspended(at=datetime(2026, 11, 26, 15, 0, tzinfo=CST), actor="m-g3",
    ...               reason="等待维修配件")
    >>> print(e.describe())
    2026-11-26 15:00 挂起 — m-g3：等待维修配件
    2026-11-26 15:00 suspended — m-g3: 等待维修配件
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

import attrs

import gridgov._validators as v
from gridgov.calendar import Deadline
from gridgov.cases._doors import (
    DEADLINE,
    Detail,
    cut,
    fits,
    free_text,
    not_before,
    optional_name,
    required_text,
    text_detail,
)
from gridgov.cases.events import CaseEvent, Trigger
from gridgov.errors import InvalidValueError
from gridgov.grid import GridUnit, check_chain
from gridgov.issues import CategoryCatalogue, Issue, Severity, severity_field, to_severity
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = [
    "CoHandlerCompleted",
    "CoHandlerLinked",
    "CoHandlerReleased",
    "DuplicateMerged",
    "Escalated",
    "ExtensionGranted",
    "ExtensionRefused",
    "ExtensionRequested",
    "MergedInto",
    "Resumed",
    "Returned",
    "SeverityRaised",
    "Suspended",
    "check_escalation_fields",
]


# --------------------------------------------------------------------------- clocks


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

    reason: str = attrs.field(validator=required_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.reason)


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

    note: str = attrs.field(default="", validator=free_text, repr=False)


@register
@attrs.frozen(kw_only=True)
class ExtensionRequested(CaseEvent):
    """申请延期: the owner asked for the resolve deadline to move to ``until``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> print(ExtensionRequested(at=datetime(2026, 11, 26, 15, tzinfo=CST), actor="m-g3",
        ...                          until=datetime(2026, 12, 4, 18, tzinfo=CST),
        ...                          reason="需物业采购配件").describe())
        2026-11-26 15:00 申请延期 — m-g3：至 2026-12-04 18:00，需物业采购配件
        2026-11-26 15:00 extension requested — m-g3: until 2026-12-04 18:00, 需物业采购配件
    """

    zh: ClassVar[str] = "申请延期"
    label: ClassVar[str] = "extension requested"

    until: datetime = attrs.field(validator=v.aware)
    reason: str = attrs.field(validator=required_text, repr=False)

    def __attrs_post_init__(self) -> None:
        not_before(self, "until", self.at, self.until)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        when, text = f"{self.until:%Y-%m-%d %H:%M}", cut(self.reason)
        return f"至 {when}，{text}", f"until {when}, {text}", ()


@register
@attrs.frozen(kw_only=True)
class ExtensionGranted(CaseEvent):
    """批准延期: the pending extension was granted; the resolve deadline moves.

    The new resolve deadline starts at the grant and falls due at ``until`` (the approver
    sets it looking at the case as it stands, so suspensions already given back are not
    given back again); a suspension under way is given back from the grant on when the case
    resumes.

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

    until: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    note: str = attrs.field(default="", validator=free_text, repr=False)

    def __attrs_post_init__(self) -> None:
        not_before(self, "until", self.at, self.until)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        if self.until is None:
            return "", "", ()
        when = f"{self.until:%Y-%m-%d %H:%M}"
        return f"至 {when}", f"until {when}", ()


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

    reason: str = attrs.field(validator=required_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return text_detail(self.reason)


# --------------------------------------------------------------------------- ownership


@register
@attrs.frozen(kw_only=True)
class Escalated(CaseEvent):
    """上报: ownership moved one step up the case's chain, or beyond the grid (吹哨报到).

    :func:`gridgov.escalation.escalate` builds this event from a proposal
    (:class:`~gridgov.escalation.Escalation`) and records it as it is: the same names, the
    trigger, the deadline missed and the reason; the policy sets the new owner's deadlines.
    The case becomes ``reported`` again: the new owner must accept it.

    Attributes:
        trigger: why.
        from_unit: the owner before (the case's owner when applied), and ``from_name`` its
            name.
        to: the owner after: the next unit up the chain, or the external body's id; and
            ``to_name`` its name.
        beyond: whether ``to`` is the external body beyond the top of the grid.
        reason: why, in Chinese and English.
        due: the deadline missed, for the overdue triggers (required for them, before
            ``at``; ``None`` for the others).
        times: how many reports or dissatisfied verdicts, for those triggers.
        via: how the external body is summoned, when beyond (``"吹哨报到"``).
        accept_by: the new owner's accept deadline, if any.
        resolve_by: the new owner's resolve deadline, if any.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Reason
        >>> e = Escalated(at=datetime(2026, 11, 26, 11, tzinfo=CST), actor="m-li",
        ...               trigger=Trigger.MANUAL, from_unit="mg31", from_name="美好人家1号楼",
        ...               to="g3", to_name="第三网格", reason=Reason(zh="主动上报", en="manual"))
        >>> print(e.describe())
        2026-11-26 11:00 上报 — m-li：美好人家1号楼 → 第三网格（主动上报）
        2026-11-26 11:00 escalated — m-li: 美好人家1号楼 → 第三网格 (manual)
    """

    zh: ClassVar[str] = "上报"
    label: ClassVar[str] = "escalated"

    trigger: Trigger = attrs.field(validator=v.is_a(Trigger))
    from_unit: str = attrs.field(validator=v.ident)
    from_name: str = attrs.field(validator=v.name)
    to: str = attrs.field(validator=v.ident)
    to_name: str = attrs.field(validator=v.name)
    reason: Reason = attrs.field(validator=v.is_a(Reason), repr=False)
    beyond: bool = attrs.field(default=False, validator=v.boolean)
    due: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    times: int | None = attrs.field(default=None, validator=v.optional(v.integer(1, 10**9)))
    via: str = attrs.field(default="", validator=optional_name)
    accept_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)

    def __attrs_post_init__(self) -> None:
        check_escalation_fields(self)
        fits(self, "accept_by", self.at, self.accept_by)
        fits(self, "resolve_by", self.at, self.resolve_by)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        to = Ref(kind="body" if self.beyond else "unit", id=self.to, name=self.to_name)
        refs = (Ref(kind="unit", id=self.from_unit, name=self.from_name), to)
        move = f"{self.from_name} → {self.to_name}"
        return f"{move}（{self.trigger.zh}）", f"{move} ({self.trigger.label})", refs


def check_escalation_fields(value: Any) -> None:
    """The cross-field rules an escalation (a proposal or an :class:`Escalated` event) obeys:
    a missed deadline for the overdue triggers only, before the moment; a count for the
    counting triggers only; ``via`` only beyond the grid; never to itself (advanced).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Reason
        >>> t = datetime(2026, 11, 26, 11, tzinfo=CST)
        >>> Escalated(at=t, actor="system", trigger=Trigger.ACCEPT_OVERDUE, from_unit="mg31",
        ...           from_name="美好人家1号楼", to="g3", to_name="第三网格",
        ...           reason=Reason(zh="超时", en="overdue"))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'due' of Escalated must be the deadline missed for trigger accept_overdue (got None).
    """
    name = type(value).__name__
    trigger: Trigger = value.trigger
    if trigger.is_overdue:
        if value.due is None:
            raise InvalidValueError(
                f"'due' of {name} must be the deadline missed for trigger {trigger.value} "
                "(got None)."
            )
        if value.due > value.at:
            raise InvalidValueError(
                f"'due' of {name} must be a deadline already missed at {value.at.isoformat()} "
                f"(got {value.due.isoformat()})."
            )
    elif value.due is not None:
        raise InvalidValueError(
            f"'due' of {name} must be None for trigger {trigger.value}, which misses no "
            f"deadline (got {value.due.isoformat()})."
        )
    if value.times is not None and not trigger.counts:
        raise InvalidValueError(
            f"'times' of {name} must be None for trigger {trigger.value}, which counts "
            f"nothing (got {value.times})."
        )
    if value.via and not value.beyond:
        raise InvalidValueError(
            f"'via' of {name} must be empty unless the escalation goes beyond the grid "
            f"(got {v.show(value.via)})."
        )
    if value.to == value.from_unit:
        raise InvalidValueError(
            f"'to' of {name} must not be the unit it escalates from (got {value.to!r})."
        )


@register
@attrs.frozen(kw_only=True)
class Returned(CaseEvent):
    """退回改派: the owner returned a wrongly dispatched case; it is re-routed along ``chain``.

    The case becomes ``reported`` at ``chain[position]``, whose chain replaces the old one.
    This is a correction, not an escalation: the only way ownership moves other than up.  A
    case beyond the grid cannot be returned.

    Attributes:
        reason: why the dispatch was wrong.
        chain: the new unit's chain: a unit and every unit above it.
        position: the index in ``chain`` of the new owner (default 0, the chain's foot).
        grid_version: the version of the grid the new chain was read from.
        accept_by: the new unit's accept deadline; ``None`` keeps the current one.
        resolve_by: the new resolve deadline; ``None`` keeps the current one.

    Example:
        >>> from datetime import datetime
        >>> from gridgov.demo import sample_grid
        >>> from gridgov import CST
        >>> print(Returned(at=datetime(2026, 11, 26, 11, tzinfo=CST), actor="m-li",
        ...                reason="非本网格", chain=sample_grid().chain("mg32"),
        ...                grid_version="2026-11").describe().zh)
        2026-11-26 11:00 退回改派 — m-li：→ 美好人家2号楼（非本网格）
    """

    zh: ClassVar[str] = "退回改派"
    label: ClassVar[str] = "returned"

    reason: str = attrs.field(validator=required_text, repr=False)
    chain: tuple[GridUnit, ...] = attrs.field(
        converter=v.to_tuple, validator=lambda i, a, x: check_chain("chain", x, i)
    )
    grid_version: str = attrs.field(validator=v.ident)
    position: int = attrs.field(default=0)
    accept_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)
    resolve_by: Deadline | None = attrs.field(default=None, validator=DEADLINE)

    def __attrs_post_init__(self) -> None:
        v.check_integer("position", self.position, 0, len(self.chain) - 1, self)
        fits(self, "accept_by", self.at, self.accept_by)
        fits(self, "resolve_by", self.at, self.resolve_by)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        unit, text = self.chain[self.position], cut(self.reason)
        return f"→ {unit.name}（{text}）", f"→ {unit.name} ({text})", (Ref(kind="unit", id=unit.id, name=unit.name),)


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
    reason: str = attrs.field(validator=required_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        text = cut(self.reason)
        return f"{self.severity.zh}，{text}", f"{self.severity.label}, {text}", ()


# --------------------------------------------------------------------------- linkage


@register
@attrs.frozen(kw_only=True)
class CoHandlerLinked(CaseEvent):
    """联动: a partner or another unit was linked in as a co-handler.

    Attributes:
        handler: the partner's or the unit's id.
        kind: ``"partner"`` or ``"unit"``.
        name: a display name (may be empty).
        due: its own deadline, if any; not before it was linked.
        required: whether the case waits for it before it may be resolved.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> CoHandlerLinked(at=datetime(2026, 11, 26, 15, tzinfo=CST), actor="m-g3",
        ...                 handler="p-wuye", name="美好人家物业").describe().zh
        '2026-11-26 15:00 联动 — m-g3：美好人家物业'
    """

    zh: ClassVar[str] = "联动"
    label: ClassVar[str] = "co-handler linked"

    handler: str = attrs.field(validator=v.ident)
    kind: Literal["partner", "unit"] = attrs.field(default="partner")
    name: str = attrs.field(default="", validator=optional_name)
    due: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    required: bool = attrs.field(default=True, validator=v.boolean)

    def __attrs_post_init__(self) -> None:
        if self.kind not in ("partner", "unit"):
            raise InvalidValueError(
                f"'kind' of CoHandlerLinked must be 'partner' or 'unit' (got {v.show(self.kind)})."
            )
        not_before(self, "due", self.at, self.due)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        shown = self.name or self.handler
        kind: Literal["partner", "unit"] = self.kind
        return shown, shown, (Ref(kind=kind, id=self.handler, name=shown),)


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

    handler: str = attrs.field(validator=v.ident)
    note: str = attrs.field(default="", validator=free_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return self.handler, self.handler, ()


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

    handler: str = attrs.field(validator=v.ident)
    reason: str = attrs.field(validator=required_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        text = cut(self.reason)
        return f"{self.handler}（{text}）", f"{self.handler} ({text})", ()


# --------------------------------------------------------------------------- duplicates


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

    into: str = attrs.field(validator=v.ident)
    reason: str = attrs.field(default="", validator=free_text, repr=False)

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        return self.into, self.into, (Ref(kind="case", id=self.into, name=self.into),)


@register
@attrs.frozen(kw_only=True)
class DuplicateMerged(CaseEvent):
    """并入重复件: case ``duplicate`` (reporting ``issue``) was merged into this one, with the
    reports it had taken in itself (``also``), so that none is lost when merges chain.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> t = datetime(2026, 11, 26, 16, tzinfo=CST)
        >>> dup = Issue(id="i-2", category="dispute", severity=1, channel=Channel.APP,
        ...             place="h-1001", reporter=Reporter.resident("r-8"), reported_at=t)
        >>> DuplicateMerged(at=t, actor="m-li", duplicate="c-2", issue=dup).describe().en
        '2026-11-26 16:00 duplicate merged — m-li: c-2'
    """

    zh: ClassVar[str] = "并入重复件"
    label: ClassVar[str] = "duplicate merged"

    duplicate: str = attrs.field(validator=v.ident)
    issue: Issue = attrs.field(validator=v.is_a(Issue))
    also: tuple[Issue, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Issue))
    )

    def _detail(self, catalogue: CategoryCatalogue | None) -> Detail:
        dup = self.duplicate
        return dup, dup, (Ref(kind="case", id=dup, name=dup),)
