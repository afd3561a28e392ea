"""Escalation (上报): when a case goes up a tier, to whom, and how soon each tier must act.

An :class:`EscalationPolicy` is plain data, serialisable with :func:`~gridgov.to_dict`:

* **SLAs.**  Ordered :class:`Sla` s — per tier, optionally per category and severity — say
  how soon a unit must accept (立案) and resolve a case, as
  :class:`~gridgov.calendar.TimeLimit` s in working or natural time on the policy's
  :class:`~gridgov.calendar.WorkCalendar`.  The first SLA that applies wins.
* **Triggers** (:class:`~gridgov.cases.Trigger`): the owner may not handle the case under
  the responsibility matrix (incapable), the accept or resolve deadline passed, the
  severity was raised, the same place and category was reported ``repeat_count`` times
  within ``repeat_window``, the resident was dissatisfied ``dissatisfied_count`` times, or
  the owner escalated it by hand (manual 上报, always allowed).
* **Beyond.**  Above the top tier the next step is a named :class:`ExternalBody` (the
  subdistrict, or a functional department summoned by 吹哨报到); after it, no further
  escalation is possible.

An escalation moves ownership to the parent unit only — never sideways, never down — and
resets the clocks to the new tier's SLA; the :class:`~gridgov.cases.Escalated` event records
the trigger, the units and the reason.  :func:`escalate` escalates one case;
:func:`due_escalations` sweeps many cases at one moment and streams the :class:`Escalation`
s due, each with its trigger and reason; :func:`warning` gives a case's traffic light; and
:func:`candidate_duplicates` finds open cases a new issue may duplicate.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter, TimeLimit
    >>> from gridgov.cases import Accepted, open_case
    >>> from gridgov.demo import sample_grid
    >>> from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
    >>> policy = EscalationPolicy(
    ...     name="demo", beyond=ExternalBody(id="sd", name="淮河路街道"),
    ...     slas=[Sla(accept_within=TimeLimit.working_hours(4),
    ...               resolve_within=TimeLimit.working_days(5))])
    >>> grid = sample_grid()
    >>> issue = Issue(id="i-1", category="environment", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"),
    ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
    >>> a = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    >>> case = open_case(issue, a, grid=grid, actor="m-li", policy=policy)
    >>> [e.trigger.value for e in due_escalations([case], policy,
    ...                                           datetime(2026, 11, 26, 17, 0, tzinfo=CST))]
    ['accept_overdue']
    >>> case = case.apply(Accepted(at=datetime(2026, 11, 26, 10, 0, tzinfo=CST), actor="m-li"))
    >>> list(due_escalations([case], policy, datetime(2026, 11, 26, 17, 0, tzinfo=CST)))
    []
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, NamedTuple

import attrs

from gridgov._labels import LabelledEnum
from gridgov._validators import (
    check_aware,
    identifier,
    instances_of,
    is_a,
    members_of,
    non_empty_str,
    optional,
    to_frozenset,
    to_tuple,
)
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.cases import (
    Case,
    CaseStatus,
    Deadline,
    Escalated,
    Trigger,
    apply_event,
)
from gridgov.errors import InvalidTransitionError, InvalidValueError, PolicyError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, Issue, Severity, severity_field, to_severity
from gridgov.routing import ResponsibilityMatrix
from gridgov.serialize import register
from gridgov.tiers import FOUR_TIER, THREE_TIER, TierScheme

__all__ = [
    "DEFAULT_TRIGGERS",
    "Escalation",
    "EscalationPolicy",
    "ExternalBody",
    "Sla",
    "WarningLevel",
    "candidate_duplicates",
    "due_escalations",
    "escalate",
    "warning",
]

DEFAULT_TRIGGERS: frozenset[Trigger] = frozenset(Trigger) - {Trigger.MANUAL}
"""Every automatic trigger (manual escalation is always allowed and never swept)."""

_ACTIVE = frozenset(s for s in CaseStatus if s.is_active)
_REPORTED = CaseStatus.REPORTED
_SUSPENDED = CaseStatus.SUSPENDED


_IS_LIMIT = optional(is_a(TimeLimit))


# --------------------------------------------------------------------------- SLAs


@register
@attrs.frozen(kw_only=True)
class Sla:
    """A service level: how soon a unit must accept and resolve a case.

    It applies to the units of ``tier`` (every tier if ``None``), for the ``categories``
    given (every category if empty; codes match exactly) and severities from
    ``min_severity`` to ``max_severity``.  A limit left ``None`` sets no deadline.

    Attributes:
        name: a short name, quoted in explanations.
        tier: the tier it applies to, or ``None`` for every tier.
        categories: the category codes it applies to (empty: all).
        min_severity: the lowest severity it applies to.
        max_severity: the highest severity it applies to.
        accept_within: the time limit to accept (立案).
        resolve_within: the time limit to resolve.

    Example:
        >>> from gridgov import TimeLimit
        >>> sla = Sla(name="enquiry", categories={"policy_enquiry"},
        ...           resolve_within=TimeLimit.working_days(3))
        >>> sla.applies(tier="grid", category="policy_enquiry", severity=Severity.ROUTINE)
        True
        >>> sla.describe()
        'enquiry: category policy_enquiry; resolve within 3个工作日 3 working days'
    """

    name: str = attrs.field(default="", validator=is_a(str))
    tier: str | None = attrs.field(default=None, validator=optional(identifier))
    categories: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=members_of(identifier)
    )
    min_severity: Severity = attrs.field(
        default=Severity.ROUTINE, converter=to_severity, validator=severity_field
    )
    max_severity: Severity = attrs.field(
        default=Severity.EMERGENCY, converter=to_severity, validator=severity_field
    )
    accept_within: TimeLimit | None = attrs.field(default=None, validator=_IS_LIMIT)
    resolve_within: TimeLimit | None = attrs.field(default=None, validator=_IS_LIMIT)

    def __attrs_post_init__(self) -> None:
        if self.min_severity > self.max_severity:
            raise PolicyError(
                f"'max_severity' of Sla {self.name!r} must be at least its min_severity "
                f"{int(self.min_severity)} (got {int(self.max_severity)})."
            )

    def applies(self, *, tier: str | None, category: str, severity: Severity) -> bool:
        """Whether the SLA applies to a unit of *tier* (``None``: beyond the grid).

        Example:
            >>> Sla(tier="grid").applies(tier="micro_grid", category="x", severity=Severity(1))
            False
        """
        return (
            (self.tier is None or self.tier == tier)
            and (not self.categories or category in self.categories)
            and self.min_severity <= severity <= self.max_severity
        )

    def describe(self) -> str:
        """The SLA as a grid worker reads it.

        Example:
            >>> from gridgov import TimeLimit
            >>> Sla(tier="grid", min_severity=4, accept_within=TimeLimit.natural_hours(1)).describe()
            'tier grid, severity ≥ emergency; accept within 1小时 1 hour'
        """
        parts = []
        if self.tier is not None:
            parts.append(f"tier {self.tier}")
        if self.categories:
            parts.append("category " + "/".join(sorted(self.categories)))
        if self.min_severity > Severity.ROUTINE and self.max_severity == Severity.EMERGENCY:
            parts.append(f"severity ≥ {self.min_severity.label}")
        elif self.min_severity > Severity.ROUTINE or self.max_severity < Severity.EMERGENCY:
            parts.append(f"severity {self.min_severity.label}–{self.max_severity.label}")
        limits = []
        if self.accept_within is not None:
            limits.append(f"accept within {self.accept_within.describe()}")
        if self.resolve_within is not None:
            limits.append(f"resolve within {self.resolve_within.describe()}")
        text = (", ".join(parts) or "any case") + "; " + (", ".join(limits) or "no time limit")
        return f"{self.name}: {text}" if self.name else text


@register
@attrs.frozen(kw_only=True)
class ExternalBody:
    """The body beyond the top of the grid that takes a case escalated past it.

    Typically the subdistrict (街道) or a functional department summoned by 吹哨报到.

    Attributes:
        id: the id the case records as its owner.
        name: the display name (``"淮河路街道"``).
        via: how it is summoned (default ``"吹哨报到"``).
        sla: its time limits, if any.

    Example:
        >>> ExternalBody(id="sd-huaihe", name="淮河路街道").via
        '吹哨报到'
    """

    id: str = attrs.field(validator=non_empty_str)
    name: str = attrs.field(validator=non_empty_str)
    via: str = attrs.field(default="吹哨报到", validator=is_a(str))
    sla: Sla | None = attrs.field(default=None, validator=optional(is_a(Sla)))


def _positive_window(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise PolicyError(f"'repeat_window' must be a positive timedelta (got {value!r}).")


def _count_at_least(least: int) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise PolicyError(
                f"'{attribute.name}' of EscalationPolicy must be an integer of at least "
                f"{least} (got {value!r})."
            )

    return check


def _triggers(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for trigger in value:
        if not isinstance(trigger, Trigger):
            raise PolicyError(f"'triggers' must hold Trigger values (got {trigger!r}).")
    if Trigger.MANUAL in value:
        raise PolicyError(
            "'triggers' lists the automatic triggers the sweep checks; manual escalation is "
            "always allowed, so leave Trigger.MANUAL out."
        )


@register
@attrs.frozen(kw_only=True)
class EscalationPolicy:
    """When cases are escalated and how soon each tier must act, as data.

    Attributes:
        name: the policy's name.
        beyond: the external body above the top tier.
        slas: the service levels, in order; the first that applies wins.
        calendar: the working calendar the limits are counted on.
        triggers: the automatic triggers :func:`due_escalations` checks (default: all).
        matrix: the responsibility matrix for the ``incapable`` and ``severity_raised``
            triggers; without one, ``incapable`` never fires and ``severity_raised`` fires
            whenever the severity was raised while the current owner held the case.
        repeat_count: how many reports of the same place and category within
            ``repeat_window`` make the ``repeated`` trigger fire (once per case).
        repeat_window: the window for ``repeated``.
        dissatisfied_count: how many times the resident may be dissatisfied with the current
            owner before the ``dissatisfied`` trigger fires.

    Raises:
        PolicyError: for a count or window out of range, or a trigger that is not automatic.

    Example:
        >>> from gridgov import TimeLimit
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
        ...     slas=[Sla(tier="grid", resolve_within=TimeLimit.working_days(3)),
        ...           Sla(resolve_within=TimeLimit.working_days(5))])
        >>> policy.sla_for(tier="grid", category="dispute", severity=Severity(1)).tier
        'grid'
        >>> EscalationPolicy(name="p", beyond=policy.beyond, repeat_count=1)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'repeat_count' of EscalationPolicy must be an integer of at least 2 (got 1).
    """

    name: str = attrs.field(validator=non_empty_str)
    beyond: ExternalBody = attrs.field(validator=is_a(ExternalBody))
    slas: tuple[Sla, ...] = attrs.field(default=(), converter=to_tuple, validator=instances_of(Sla))
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar, validator=is_a(WorkCalendar))
    triggers: frozenset[Trigger] = attrs.field(
        default=DEFAULT_TRIGGERS, converter=to_frozenset, validator=_triggers
    )
    matrix: ResponsibilityMatrix | None = attrs.field(
        default=None, validator=optional(is_a(ResponsibilityMatrix))
    )
    repeat_count: int = attrs.field(default=3, validator=_count_at_least(2))
    repeat_window: timedelta = attrs.field(default=timedelta(days=30), validator=_positive_window)
    dissatisfied_count: int = attrs.field(default=2, validator=_count_at_least(1))

    def sla_for(self, *, tier: str | None, category: str, severity: Severity) -> Sla | None:
        """The SLA for a case of *category* and *severity* owned by a unit of *tier*.

        ``tier=None`` asks for the external body's SLA.

        Example:
            >>> from gridgov import TimeLimit
            >>> body = ExternalBody(id="sd", name="街道", sla=Sla(name="街道"))
            >>> p = EscalationPolicy(name="p", beyond=body)
            >>> p.sla_for(tier=None, category="x", severity=Severity(1)).name
            '街道'
            >>> p.sla_for(tier="grid", category="x", severity=Severity(1)) is None
            True
        """
        if tier is None:
            sla = self.beyond.sla
            return (
                sla
                if sla is not None
                and sla.applies(tier=sla.tier, category=category, severity=severity)
                else None
            )
        for sla in self.slas:
            if sla.applies(tier=tier, category=category, severity=severity):
                return sla
        return None

    def deadlines(
        self, *, tier: str | None, category: str, severity: Severity, start: datetime
    ) -> tuple[Deadline | None, Deadline | None]:
        """The accept and resolve deadlines of a clock started at *start* (see :meth:`sla_for`).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, TimeLimit
            >>> p = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
            ...     slas=[Sla(accept_within=TimeLimit.same_day())])
            >>> accept, resolve = p.deadlines(tier="grid", category="x", severity=Severity(1),
            ...                               start=datetime(2026, 11, 26, 15, tzinfo=CST))
            >>> print(accept.due, resolve)
            2026-11-27 00:00:00+08:00 None
        """
        check_aware("start", start)
        sla = self.sla_for(tier=tier, category=category, severity=severity)
        if sla is None:
            return None, None
        cal = self.calendar
        accept = (
            None
            if sla.accept_within is None
            else Deadline.of(sla.accept_within, start=start, calendar=cal)
        )
        resolve = (
            None
            if sla.resolve_within is None
            else Deadline.of(sla.resolve_within, start=start, calendar=cal)
        )
        return accept, resolve

    def check(self, scheme: TierScheme) -> None:
        """Raise :class:`~gridgov.errors.PolicyError` if an SLA or matrix line names a tier
        the scheme does not have.

        Example:
            >>> from gridgov import THREE_TIER
            >>> EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
            ...                  slas=[Sla(name="s1", tier="street")]).check(THREE_TIER)
            Traceback (most recent call last):
            ...
            gridgov.errors.PolicyError: 'tier' of Sla 's1' of policy 'p' must be one of ['community', 'grid', 'micro_grid'] (got 'street').
        """
        for sla in self.slas:
            if sla.tier is not None and sla.tier not in scheme:
                raise PolicyError(
                    f"'tier' of Sla {sla.name!r} of policy {self.name!r} must be one of "
                    f"{list(scheme.names)} (got {sla.tier!r})."
                )
        if self.matrix is not None:
            for e in self.matrix.entries:
                if e.tier is not None and e.tier not in scheme:
                    raise PolicyError(
                        f"'tier' of a line of matrix {self.matrix.name!r} of policy "
                        f"{self.name!r} must be one of {list(scheme.names)} (got {e.tier!r})."
                    )


# --------------------------------------------------------------------------- escalations


def _category_label(code: str) -> tuple[str, str]:
    if code in DEFAULT_CATALOGUE:
        c = DEFAULT_CATALOGUE[code]
        return c.zh, c.label
    return code, code


class Escalation(NamedTuple):
    """An escalation due: which case, why, from which unit, to whom.

    :func:`due_escalations` yields these compact results (a named tuple, like
    :class:`~gridgov.routing.Routed`); the reason text is built only when asked for.  Turn one
    into the case's :class:`~gridgov.cases.Escalated` event with :func:`escalate`.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> e = Escalation(case="c-1", trigger=Trigger.ACCEPT_OVERDUE, from_unit="mg31",
        ...                from_name="美好人家1号楼", to="g3", to_name="第三网格", beyond=False,
        ...                at=datetime(2026, 11, 26, 17, tzinfo=CST), category="environment",
        ...                severity=Severity(1), due=datetime(2026, 11, 26, 13, tzinfo=CST))
        >>> print(e.reason)
        超时未立案：立案时限 2026-11-26 13:00 已过；美好人家1号楼 上报 第三网格。
        accept overdue: the accept deadline 2026-11-26 13:00 has passed; 美好人家1号楼 escalated to 第三网格.
    """

    case: str
    """The case's id."""
    trigger: Trigger
    """Why."""
    from_unit: str
    """The current owner's id."""
    from_name: str
    """Its name."""
    to: str
    """The new owner's id: the parent unit, or the external body's id."""
    to_name: str
    """Its name."""
    beyond: bool
    """Whether the new owner is the external body beyond the grid."""
    at: datetime
    """The moment the escalation is due at (the sweep's ``now``)."""
    category: str
    """The case's category."""
    severity: Severity
    """The case's severity."""
    due: datetime | None = None
    """The deadline that passed, for the overdue triggers."""
    times: int | None = None
    """How many reports or dissatisfied verdicts, for the repeated and dissatisfied triggers."""
    via: str = ""
    """How the external body is summoned, when beyond."""

    @property
    def reason(self) -> str:
        """Why, as a grid worker reads it: Chinese, then English.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> print(Escalation(case="c-1", trigger=Trigger.DISSATISFIED, from_unit="yx",
            ...                  from_name="亚新社区", to="sd", to_name="淮河路街道", beyond=True,
            ...                  at=datetime(2026, 11, 26, 17, tzinfo=CST), category="dispute",
            ...                  severity=Severity(2), times=2, via="吹哨报到").reason)
            多次不满意：群众不满意 2 次；亚新社区 吹哨报到 淮河路街道。
            dissatisfied: the resident dissatisfied 2 times; 亚新社区 escalated beyond the grid to 淮河路街道 (吹哨报到).
        """
        t = self.trigger
        when = "" if self.due is None else f"{self.due:%Y-%m-%d %H:%M}"
        cat_zh, cat_en = _category_label(self.category)
        sev = self.severity
        if t is Trigger.ACCEPT_OVERDUE:
            zh, en = f"立案时限 {when} 已过", f"the accept deadline {when} has passed"
        elif t is Trigger.RESOLVE_OVERDUE:
            zh, en = f"办结时限 {when} 已过", f"the resolve deadline {when} has passed"
        elif t is Trigger.INCAPABLE:
            zh = f"权责清单：{self.from_name} 不可处理 {cat_zh}（{sev.zh}）"
            en = f"responsibility matrix: {self.from_name} may not handle {cat_en} at {sev.label}"
        elif t is Trigger.SEVERITY_RAISED:
            zh, en = f"等级升至{sev.zh}", f"severity raised to {sev.label}"
        elif t is Trigger.REPEATED:
            zh = f"同一地点同类诉求（{cat_zh}）已反映 {self.times} 次"
            en = f"the same place and category ({cat_en}) reported {self.times} times"
        elif t is Trigger.DISSATISFIED:
            zh, en = f"群众不满意 {self.times} 次", f"the resident dissatisfied {self.times} times"
        else:
            zh, en = f"{self.from_name} 主动上报", f"escalated by {self.from_name}"
        if self.beyond:
            via = self.via or "吹哨报到"
            to_zh = f"{self.from_name} {via} {self.to_name}"
            to_en = f"{self.from_name} escalated beyond the grid to {self.to_name} ({via})"
        else:
            to_zh = f"{self.from_name} 上报 {self.to_name}"
            to_en = f"{self.from_name} escalated to {self.to_name}"
        return f"{t.zh}：{zh}；{to_zh}。\n{t.label}: {en}; {to_en}."


def _escalation(
    case: Case,
    policy: EscalationPolicy,
    trigger: Trigger,
    at: datetime,
    due: datetime | None = None,
    count: int | None = None,
) -> Escalation:
    chain, up = case.chain, case.level + 1
    here = chain[case.level]
    if up < len(chain):
        there = chain[up]
        return Escalation(
            case.id,
            trigger,
            here.id,
            here.name,
            there.id,
            there.name,
            False,
            at,
            case.issue.category,
            case.severity,
            due,
            count,
            "",
        )
    body = policy.beyond
    return Escalation(
        case.id,
        trigger,
        here.id,
        here.name,
        body.id,
        body.name,
        True,
        at,
        case.issue.category,
        case.severity,
        due,
        count,
        body.via,
    )


def escalate(
    case: Case,
    policy: EscalationPolicy,
    *,
    at: datetime,
    actor: str,
    trigger: Trigger = Trigger.MANUAL,
    reason: str | None = None,
) -> Case:
    """Escalate *case* one step up (上报): to its owner's parent, or beyond the top.

    The new owner gets the policy's SLA for its tier (the external body's SLA beyond the
    grid), counted from *at*, and must accept the case again.

    Args:
        case: the case.
        policy: the policy (for the new deadlines and the external body).
        at: when.
        actor: who escalated it (``"system"`` for a swept trigger).
        trigger: why (default: manual 上报 by the owner).
        reason: the reason to record (default: generated, Chinese then English).

    Raises:
        InvalidTransitionError: if the case is already beyond the grid (no further
            escalation is possible) or its status does not allow escalation.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="淮河路街道"))
        >>> for _ in range(3):
        ...     case = escalate(case, policy, at=t, actor="system")
        ...     print(case.owner, case.owner_name)
        g3 第三网格
        yx 亚新社区
        sd 淮河路街道
        >>> escalate(case, policy, at=t, actor="system")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: case 'c-1' is already with 淮河路街道 (sd), beyond the grid; no further escalation is possible.
    """
    if not isinstance(case, Case):
        raise InvalidValueError(f"'case' must be a Case (got {case!r:.60}).")
    if not isinstance(policy, EscalationPolicy):
        raise InvalidValueError(f"'policy' must be an EscalationPolicy (got {policy!r:.60}).")
    if not isinstance(trigger, Trigger):
        raise InvalidValueError(f"'trigger' must be a Trigger (got {trigger!r}).")
    check_aware("at", at)
    if case.beyond:
        raise InvalidTransitionError(
            f"case {case.id!r} is already with {case.owner_name} ({case.owner}), beyond the "
            "grid; no further escalation is possible."
        )
    step = _escalation(case, policy, trigger, at)
    tier = None if step.beyond else case.chain[case.level + 1].tier
    accept_by, resolve_by = policy.deadlines(
        tier=tier, category=case.issue.category, severity=case.severity, start=at
    )
    return apply_event(
        case,
        Escalated(
            at=at,
            actor=actor,
            trigger=trigger,
            from_unit=step.from_unit,
            to=step.to,
            to_name=step.to_name,
            beyond=step.beyond,
            reason=step.reason if reason is None else reason,
            accept_by=accept_by,
            resolve_by=resolve_by,
        ),
    )


def _report_counts(cases: Sequence[Case], start: float, end: float) -> Counter[str]:
    """Reports per place and category made in ``(start, end]`` (POSIX times).

    A merged duplicate's report is counted once, through the case it was merged into.
    """
    counts = Counter([c._report_key for c in cases if start < c._report_time <= end])
    for case in [c for c in cases if c._merged_reports]:
        for key, when in case._merged_reports:
            if start < when <= end:
                counts[key] += 1
    return counts


def due_escalations(
    cases: Iterable[Case],
    policy: EscalationPolicy,
    now: datetime,
    *,
    grid: GridGraph | None = None,
) -> Iterator[Escalation]:
    """The escalations due at *now*, for many cases at once, in the order of *cases*.

    Only active cases (reported, accepted, dispatched, in progress) not yet beyond the grid
    are considered: a suspended case's clocks are paused, a resolved one's are stopped.  For
    each case the first trigger of the policy's that fires is reported, checked in this
    order: incapable / severity raised (the responsibility matrix), accept deadline passed
    (while reported), resolve deadline passed, dissatisfied, repeated.  A deadline has passed
    when *now* is after it; suspended time is given back first (on the policy's calendar).

    Deadlines are precomputed on each case value when it is built (filed, escalated,
    extended …), so the sweep compares instants; working time is computed only for a case
    whose deadline has passed nominally and that was suspended since (the time given back
    may still keep it on time).  Without the matrix, the severity raised, dissatisfied and
    repeated checks, a case that is not overdue costs one comparison.

    Repeated reports are counted among *cases*: each case's own report, and the reports of
    the duplicates merged into it (a merged case itself counts nothing, so pass the cases
    merged into, or their reports are lost).  With the ``repeated`` trigger on, *cases* is
    therefore read into a list first; otherwise it is streamed.

    Args:
        cases: the cases, any iterable.
        policy: the escalation policy.
        now: the moment of the sweep.
        grid: if given, the policy is checked against the grid's tier scheme first.

    Raises:
        InvalidValueError: for a naive *now*.
        PolicyError: if the policy does not fit the grid's scheme.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter, TimeLimit
        >>> from gridgov.cases import Case, CaseOpened, Deadline, Suspended
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> chain = sample_grid().place_chain("h-1001")
        >>> def filed(n):
        ...     issue = Issue(id=f"i-{n}", category="dispute", severity=1, channel=Channel.APP,
        ...                   place="h-1001", reporter=Reporter.resident("r"), reported_at=t)
        ...     return Case(events=[CaseOpened(at=t, actor="m-li", case=f"c-{n}", issue=issue,
        ...         chain=chain, grid_version="2026-11",
        ...         accept_by=Deadline(start=t, due=t.replace(hour=12)))])
        >>> late = filed(1)
        >>> paused = filed(2).apply(Suspended(at=t, actor="m-li", reason="等待回复"))
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"))
        >>> [(e.case, e.trigger.value, e.to) for e in due_escalations(
        ...     [late, paused], policy, t.replace(hour=15))]
        [('c-1', 'accept_overdue', 'g3')]
    """
    if not isinstance(policy, EscalationPolicy):
        raise InvalidValueError(f"'policy' must be an EscalationPolicy (got {policy!r:.60}).")
    check_aware("now", now)
    if grid is not None:
        if not isinstance(grid, GridGraph):
            raise InvalidValueError(f"'grid' must be a GridGraph (got {grid!r:.60}).")
        policy.check(grid.scheme)
    return _sweep(cases, policy, now)


def _sweep(cases: Iterable[Case], policy: EscalationPolicy, now: datetime) -> Iterator[Escalation]:
    triggers = policy.triggers
    matrix = policy.matrix
    incapable_on = Trigger.INCAPABLE in triggers and matrix is not None
    raised_on = Trigger.SEVERITY_RAISED in triggers
    accept_on = Trigger.ACCEPT_OVERDUE in triggers
    resolve_on = Trigger.RESOLVE_OVERDUE in triggers
    dissatisfied_on = Trigger.DISSATISFIED in triggers
    repeat_on = Trigger.REPEATED in triggers
    dissatisfied_count = policy.dissatisfied_count
    repeat_count = policy.repeat_count
    calendar = policy.calendar
    now_ts = now.timestamp()
    repeated = Trigger.REPEATED
    limits: dict[tuple[str, str], int] = {}
    hot: set[str] = set()  # report keys reported often enough for the repeated trigger
    counts: Counter[str] = Counter()
    if repeat_on:
        cases = cases if isinstance(cases, list | tuple) else list(cases)
        counts = _report_counts(cases, (now - policy.repeat_window).timestamp(), now_ts)
        hot = {key for key, n in counts.items() if n >= repeat_count}
    check_matrix = matrix is not None and (incapable_on or raised_on)
    for case in cases:
        info = case._sweep
        if info is None:  # not active, or beyond the grid
            continue
        quiet, flagged, accept, resolve, dissatisfied, key = info
        if quiet >= now_ts and not flagged and not check_matrix:
            # No deadline has passed and nothing else is pending: only repeats can be due.
            if key in hot and repeated not in case.escalation_triggers:
                yield _escalation(case, policy, repeated, now, count=counts[key])
            continue
        if check_matrix:
            assert matrix is not None
            unit = case.chain[case.level]
            category = case.issue.category
            limit = limits.get((unit.id, category))
            if limit is None:
                limit = matrix.limit(
                    tier=unit.tier,
                    unit=unit.id,
                    category=category,
                    catalogue=DEFAULT_CATALOGUE,
                    scheme=FOUR_TIER if unit.tier == 'subdistrict' else THREE_TIER,
                )  # interim: the cases/escalation rewrite takes the router's limits
                limits[(unit.id, category)] = limit
            if limit < case.severity:
                raised = case.severity > case.owner_severity
                trigger = (
                    Trigger.SEVERITY_RAISED
                    if raised and raised_on
                    else Trigger.INCAPABLE
                    if incapable_on
                    else None
                )
                if trigger is not None:
                    yield _escalation(case, policy, trigger, now)
                    continue
        elif raised_on and case.severity > case.owner_severity:
            yield _escalation(case, policy, Trigger.SEVERITY_RAISED, now)
            continue
        if accept_on and accept is not None:
            if accept.__class__ is float:
                if accept < now_ts:
                    due = case.accept_by.due  # type: ignore[union-attr]
                    yield _escalation(case, policy, Trigger.ACCEPT_OVERDUE, now, due=due)
                    continue
            elif accept.due < now and (due := accept.effective(calendar)) < now:
                yield _escalation(case, policy, Trigger.ACCEPT_OVERDUE, now, due=due)
                continue
        if resolve_on and resolve is not None:
            if resolve.__class__ is float:
                if resolve < now_ts:
                    due = case.resolve_by.due  # type: ignore[union-attr]
                    yield _escalation(case, policy, Trigger.RESOLVE_OVERDUE, now, due=due)
                    continue
            elif resolve.due < now and (due := resolve.effective(calendar)) < now:
                yield _escalation(case, policy, Trigger.RESOLVE_OVERDUE, now, due=due)
                continue
        if dissatisfied_on and dissatisfied >= dissatisfied_count:
            yield _escalation(case, policy, Trigger.DISSATISFIED, now, count=dissatisfied)
            continue
        if key in hot and repeated not in case.escalation_triggers:
            yield _escalation(case, policy, repeated, now, count=counts[key])


# --------------------------------------------------------------------------- warnings


class WarningLevel(LabelledEnum):
    """A case's traffic light (红黄绿灯预警).

    Example:
        >>> WarningLevel.YELLOW.zh
        '黄灯 临期'
    """

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    __zh__: ClassVar[Mapping[str, str]] = {
        "green": "绿灯 正常",
        "yellow": "黄灯 临期",
        "red": "红灯 超期",
    }


_DEFAULT_CALENDAR = WorkCalendar()


def _measure(deadline: Deadline, start: datetime, end: datetime, calendar: WorkCalendar) -> float:
    if deadline.basis == "working":
        return calendar.working_time_between(start, end).total_seconds()
    return (end - start).total_seconds()


def warning(
    case: Case,
    now: datetime,
    *,
    calendar: WorkCalendar | None = None,
    share: float = 0.2,
) -> WarningLevel:
    """The case's traffic light at *now*: red once a running deadline has passed, yellow when
    no more than *share* of a running deadline's time is left, green otherwise.

    Time is measured in each deadline's basis (working time on *calendar*, by default
    Monday to Friday office hours in China Standard Time).  A suspended case is judged as
    it stood when it was suspended (its clocks are stopped); a case whose clocks are not
    running (resolved, closed …) is green.

    Raises:
        InvalidValueError: for a naive *now* or a *share* outside ``[0, 1]``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Case, CaseOpened, Deadline
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 11, 26, 8, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r"), reported_at=t)
        >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11",
        ...     resolve_by=Deadline(start=t, due=t.replace(hour=18)))])
        >>> [warning(case, t.replace(hour=h)).value for h in (9, 17, 19)]
        ['green', 'yellow', 'red']
    """
    if not isinstance(case, Case):
        raise InvalidValueError(f"'case' must be a Case (got {case!r:.60}).")
    check_aware("now", now)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise InvalidValueError(f"'share' must be a number between 0 and 1 (got {share!r}).")
    cal = _DEFAULT_CALENDAR if calendar is None else calendar
    status = case.status
    if status is _SUSPENDED:
        assert case.paused_since is not None
        assert case.suspended_from is not None
        at, running = case.paused_since, case.suspended_from
    elif status in _ACTIVE:
        at, running = now, status
    else:
        return WarningLevel.GREEN
    deadlines = [case.resolve_by]
    if running is _REPORTED:
        deadlines.append(case.accept_by)
    level = WarningLevel.GREEN
    for deadline in deadlines:
        if deadline is None:
            continue
        due = deadline.effective(cal)
        if at > due:
            return WarningLevel.RED
        total = _measure(deadline, deadline.start, deadline.due, cal)
        if _measure(deadline, at, due, cal) <= share * total:
            level = WarningLevel.YELLOW
    return level


# --------------------------------------------------------------------------- duplicates


def candidate_duplicates(
    issue: Issue,
    cases: Iterable[Case],
    *,
    grid: GridGraph,
    window: timedelta,
    scope: Literal["place", "micro_grid"] = "place",
) -> tuple[Case, ...]:
    """Open cases that a new *issue* may duplicate, earliest first.

    A candidate is open (not rejected, closed, evaluated or merged), has the issue's
    category, was reported within *window* of it (before or after), and concerns the same
    place — or, with ``scope="micro_grid"``, a place in the same micro-grid (as *grid* draws
    it).  Merge a true duplicate with :func:`gridgov.cases.merge_duplicate`.

    Raises:
        InvalidValueError: for a *window* that is not a positive timedelta or an unknown
            *scope*.
        UnknownPlaceError: with ``scope="micro_grid"``, if the issue's place is not in the
            grid.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> grid, t = sample_grid(), datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> def report(n, place, hours):
        ...     return Issue(id=f"i-{n}", category="environment", severity=1,
        ...                  channel=Channel.GROUP_CHAT, place=place,
        ...                  reporter=Reporter.resident(f"r-{n}"),
        ...                  reported_at=t + timedelta(hours=hours))
        >>> cases = [Case(events=[CaseOpened(at=i.reported_at, actor="m-li", case=f"c-{i.id}",
        ...     issue=i, chain=grid.place_chain(i.place), grid_version=grid.version)])
        ...     for i in (report(1, "h-1001", 0), report(2, "h-1002", 1))]
        >>> new = report(3, "h-1001", 3)
        >>> [c.id for c in candidate_duplicates(new, cases, grid=grid, window=timedelta(days=1))]
        ['c-i-1']
        >>> [c.id for c in candidate_duplicates(new, cases, grid=grid, window=timedelta(days=1),
        ...                                     scope="micro_grid")]
        ['c-i-1', 'c-i-2']
    """
    if not isinstance(issue, Issue):
        raise InvalidValueError(f"'issue' must be an Issue (got {issue!r:.60}).")
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise InvalidValueError(f"'window' must be a positive timedelta (got {window!r}).")
    if scope not in ("place", "micro_grid"):
        raise InvalidValueError(f"'scope' must be 'place' or 'micro_grid' (got {scope!r}).")

    def where(i: Issue, *, strict: bool) -> str | None:
        if i.place is None:
            return i.unit if scope == "micro_grid" else f"unit:{i.unit}"
        if scope == "place":
            return i.place
        if strict or grid.has_place(i.place):
            return grid.place_unit(i.place).id
        return None

    here = where(issue, strict=True)
    found = [
        c
        for c in cases
        if c.is_open
        and c.issue.id != issue.id
        and c.issue.category == issue.category
        and abs(c.issue.reported_at - issue.reported_at) <= window
        and where(c.issue, strict=False) == here
    ]
    return tuple(sorted(found, key=lambda c: (c.issue.reported_at, c.id)))
