"""Going up (上报): the one shape of an escalation, proposed and then applied.

An :class:`Escalation` is a proposal — which case goes from which unit to whom, why, at what
moment, the deadline missed or the count that made it due — as the sweep
(:func:`~gridgov.escalation.due_escalations`) finds it or as :func:`escalation_for` builds it
by hand (主动上报).  :func:`escalate` applies one as it is: the case's
:class:`~gridgov.cases.Escalated` event records the same fields, the same reason, and the new
owner's deadlines from the policy.

Example:
    >>> from datetime import timedelta
    >>> from gridgov.demo import sample_case, sample_policy
    >>> case, policy = sample_case(), sample_policy()
    >>> up = escalation_for(case, policy, at=case.updated_at + timedelta(hours=1),
    ...                     note="需社区协调")
    >>> print(up.reason)
    主动上报：第三网格 主动上报：需社区协调；第三网格 上报 亚新社区。
    manual: escalated by 第三网格: 需社区协调; 第三网格 escalated to 亚新社区.
    >>> after = escalate(case, up, policy, actor="m-g3")
    >>> after.owner_name, after.events[-1].reason == up.reason
    ('亚新社区', True)
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov.cases import Case, CaseStatus, Escalated, Trigger, apply_event
from gridgov.cases.detours import check_escalation_fields
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.escalation.policy import EscalationPolicy
from gridgov.issues import Category, Severity, severity_field, to_severity
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = ["MAX_NOTE", "Escalation", "escalate", "escalation_for", "propose"]

MAX_NOTE = 1_000
"""The longest note of a proposal, in characters (the reason quotes it)."""


def _note(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or len(value) > MAX_NOTE:
        raise v.refuse(
            "note", instance, f"text of at most {MAX_NOTE:,} characters", value, personal=True
        )


def _via(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value != "":
        v.check_name("via", value, instance)


@register
@attrs.frozen(kw_only=True)
class Escalation:
    """A proposed escalation: which case, why, from which unit, to whom, at what moment.

    :func:`~gridgov.escalation.due_escalations` yields these (each built without its reason
    text: :attr:`reason` is built when asked); :func:`escalation_for` builds one by hand; and
    :func:`escalate` applies one to its case as it is.  A proposal is a value: it serialises
    with :func:`~gridgov.to_dict`, so a sweep's results can be queued for review.

    Attributes:
        case: the case's id.
        trigger: why.
        from_unit: the current owner's id; ``from_name`` its name.
        to: the new owner's id: the parent unit, or the external body's id; ``to_name`` its
            name.
        beyond: whether the new owner is the external body beyond the grid.
        at: the moment of the escalation (the sweep's ``at``).
        category: the case's category, as the policy's catalogue has it (its labels name it
            in the reason).
        severity: the case's severity.
        due: the deadline missed, for the overdue triggers (``None`` for the others).
        times: how many reports or dissatisfied verdicts, for those triggers.
        via: how the external body is summoned, when beyond.
        note: a note for the reason (at most :data:`MAX_NOTE` characters).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, DEFAULT_CATALOGUE
        >>> e = Escalation(case="c-1", trigger=Trigger.ACCEPT_OVERDUE, from_unit="mg31",
        ...                from_name="美好人家1号楼", to="g3", to_name="第三网格", beyond=False,
        ...                at=datetime(2026, 11, 26, 17, tzinfo=CST),
        ...                category=DEFAULT_CATALOGUE["environment"], severity=1,
        ...                due=datetime(2026, 11, 26, 13, tzinfo=CST))
        >>> print(e.reason)
        超时未立案：立案时限 2026-11-26 13:00 已过；美好人家1号楼 上报 第三网格。
        accept overdue: the accept deadline 2026-11-26 13:00 has passed; 美好人家1号楼 escalated to 第三网格.
        >>> [ref.id for ref in e.reason.refs]
        ['mg31', 'g3', 'environment']
    """

    case: str = attrs.field(validator=v.ident)
    trigger: Trigger = attrs.field(validator=v.is_a(Trigger))
    from_unit: str = attrs.field(validator=v.ident)
    from_name: str = attrs.field(validator=v.name)
    to: str = attrs.field(validator=v.ident)
    to_name: str = attrs.field(validator=v.name)
    beyond: bool = attrs.field(validator=v.boolean)
    at: datetime = attrs.field(validator=v.aware)
    category: Category = attrs.field(validator=v.is_a(Category))
    severity: Severity = attrs.field(converter=to_severity, validator=severity_field)
    due: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    times: int | None = attrs.field(default=None, validator=v.optional(v.integer(1, 10**9)))
    via: str = attrs.field(default="", validator=_via)
    note: str = attrs.field(default="", validator=_note, repr=False)

    def __attrs_post_init__(self) -> None:
        check_escalation_fields(self)

    @property
    def reason(self) -> Reason:
        """Why, as a grid worker reads it, in Chinese and in English (units and the external
        body named by name, the category by its labels; their ids in ``refs``).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, DEFAULT_CATALOGUE
            >>> print(Escalation(case="c-1", trigger=Trigger.DISSATISFIED, from_unit="yx",
            ...     from_name="亚新社区", to="sd", to_name="淮河路街道", beyond=True,
            ...     at=datetime(2026, 11, 26, 17, tzinfo=CST),
            ...     category=DEFAULT_CATALOGUE["dispute"], severity=2, times=2,
            ...     via="吹哨报到").reason)
            多次不满意：群众不满意 2 次；亚新社区 吹哨报到 淮河路街道。
            dissatisfied: the resident dissatisfied 2 times; 亚新社区 escalated beyond the grid to 淮河路街道 (吹哨报到).
        """
        t, cat, here = self.trigger, self.category, self.from_name
        sev_zh, sev_en = _SEVERITY[self.severity]
        due = self.due
        when = "" if due is None else due.isoformat(" ", "minutes")[:16]
        if t is Trigger.ACCEPT_OVERDUE:
            zh, en = f"立案时限 {when} 已过", f"the accept deadline {when} has passed"
        elif t is Trigger.RESOLVE_OVERDUE:
            zh, en = f"办结时限 {when} 已过", f"the resolve deadline {when} has passed"
        elif t is Trigger.INCAPABLE:
            zh = f"权责清单：{here} 不可处理 {cat.zh}（{sev_zh}）"
            en = f"responsibility matrix: {here} may not handle {cat.label} at {sev_en}"
        elif t is Trigger.SEVERITY_RAISED:
            zh, en = f"等级升至{sev_zh}", f"severity raised to {sev_en}"
        elif t is Trigger.REPEATED:
            zh = f"同一地点同一事项（{cat.zh}）已反映 {self.times} 次"
            en = f"the same matter ({cat.label}) reported {self.times} times at the same place"
        elif t is Trigger.DISSATISFIED:
            zh, en = f"群众不满意 {self.times} 次", f"the resident dissatisfied {self.times} times"
        else:
            zh, en = f"{here} 主动上报", f"escalated by {here}"
        if self.note:
            zh, en = f"{zh}：{self.note}", f"{en}: {self.note}"
        if self.beyond:
            via = self.via or "吹哨报到"
            to_zh = f"{here} {via} {self.to_name}"
            to_en = f"{here} escalated beyond the grid to {self.to_name} ({via})"
        else:
            to_zh = f"{here} 上报 {self.to_name}"
            to_en = f"{here} escalated to {self.to_name}"
        # Valid by construction: ids and names of valid values, texts well under 4,000
        # characters (names ≤ 200, the note ≤ 1,000).
        refs = (
            _new_ref("unit", self.from_unit, here),
            _new_ref("body" if self.beyond else "unit", self.to, self.to_name),
            _new_ref("category", cat.code, cat.zh),
        )
        t_zh, t_en = _TRIGGER[t]
        return _new_reason(f"{t_zh}：{zh}；{to_zh}。", f"{t_en}: {en}; {to_en}.", refs)


_new_escalation = trusted_constructor(Escalation)
_TRIGGER = MappingProxyType({t: (t.zh, t.label) for t in Trigger})
_SEVERITY = MappingProxyType({s: (s.zh, s.label) for s in Severity})
_new_reason = trusted_constructor(Reason)
_new_ref = trusted_constructor(Ref)


def propose(
    case: Case,
    policy: EscalationPolicy,
    trigger: Trigger,
    at: datetime,
    category: Category,
    due: datetime | None = None,
    times: int | None = None,
    note: str = "",
) -> Escalation:
    """The proposal to escalate *case* one step up, with values already checked (advanced:
    the sweep's and :func:`escalation_for`'s one way of building it; nothing is checked).

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> from gridgov.demo import sample_case, sample_policy
        >>> case = sample_case()
        >>> up = propose(case, sample_policy(), Trigger.MANUAL, case.updated_at,
        ...              DEFAULT_CATALOGUE["elder_care"])
        >>> up.from_name, up.to_name, up.beyond
        ('第三网格', '亚新社区', False)
    """
    state = case.state
    here, up = state.chain[state.position], state.position + 1
    if up < len(state.chain):
        there = state.chain[up]
        to, to_name, beyond, via = there.id, there.name, False, ""
    else:
        body = policy.beyond
        to, to_name, beyond, via = body.id, body.name, True, body.via
    return _new_escalation(
        state.id,
        trigger,
        here.id,
        here.name,
        to,
        to_name,
        beyond,
        at,
        category,
        state.severity,
        due,
        times,
        via,
        note,
    )


def _escalable(case: Case, what: str) -> None:
    state = case.state
    if state.beyond:
        raise InvalidTransitionError(
            f"case {state.id!r} is already with {state.owner_name} ({state.owner}), beyond the "
            f"grid; no further escalation is possible ({what})."
        )
    if not state.status.is_active:
        raise InvalidTransitionError(
            f"case {state.id!r} is {state.status.label} ({state.status.zh}): only an active "
            f"case (reported, accepted, dispatched, in progress) can be escalated ({what})."
        )


def escalation_for(
    case: Case,
    policy: EscalationPolicy,
    *,
    at: datetime,
    trigger: Trigger = Trigger.MANUAL,
    note: str = "",
) -> Escalation:
    """Propose escalating *case* one step up at *at*: to its owner's parent, or from the top
    beyond the grid to the policy's external body.

    For an overdue trigger the deadline missed is the running one with suspended time given
    back (on the policy's calendar), and must have passed at *at*; for ``dissatisfied`` the
    count is the verdicts since the current owner took the case, for ``repeated`` the
    reports the case holds itself (the sweep counts across cases).  Apply the proposal with
    :func:`escalate`.

    Raises:
        InvalidTransitionError: if the case is beyond the grid already, not active, or the
            trigger does not hold (a deadline not yet missed, no dissatisfied verdict).
        InvalidValueError: for an argument of the wrong type, or a note too long.
        PolicyError: if the case's category is not in the policy's catalogue.

    Example:
        >>> from datetime import timedelta
        >>> from gridgov.demo import sample_case, sample_policy
        >>> case = sample_case()
        >>> escalation_for(case, sample_policy(), at=case.updated_at,
        ...                trigger=Trigger.RESOLVE_OVERDUE)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: case 'yx-2026-1126-01' cannot be escalated for resolve_overdue at 2026-11-26T15:30:00+08:00: its resolve deadline 2026-12-01T10:40:00+08:00 has not passed.
    """
    v.check_instance("case", case, Case)
    v.check_instance("policy", policy, EscalationPolicy)
    v.check_aware("at", at)
    v.check_instance("trigger", trigger, Trigger)
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise v.refuse("note", None, f"text of at most {MAX_NOTE:,} characters", note, personal=True)
    _escalable(case, f"trigger {trigger.value}")
    state = case.state
    category = policy.catalogue[state.issue.category]
    due: datetime | None = None
    times: int | None = None
    if trigger.is_overdue:
        accept = trigger is Trigger.ACCEPT_OVERDUE
        deadline = state.accept_by if accept else state.resolve_by
        which = "accept" if accept else "resolve"
        if deadline is None or (accept and state.status is not CaseStatus.REPORTED):
            raise InvalidTransitionError(
                f"case {state.id!r} cannot be escalated for {trigger.value}: its {which} clock "
                "is not running."
            )
        due = deadline.effective(policy.calendar)
        if not due < at:
            raise InvalidTransitionError(
                f"case {state.id!r} cannot be escalated for {trigger.value} at "
                f"{at.isoformat()}: its {which} deadline {due.isoformat()} has not passed."
            )
    elif trigger is Trigger.DISSATISFIED:
        if state.owner_dissatisfied < 1:
            raise InvalidTransitionError(
                f"case {state.id!r} cannot be escalated for dissatisfied: the resident has not "
                "been dissatisfied since its owner took it."
            )
        times = state.owner_dissatisfied
    elif trigger is Trigger.REPEATED:
        times = len(state.reports)
    return propose(case, policy, trigger, at, category, due, times, note)


def escalate(
    case: Case, proposal: Escalation, policy: EscalationPolicy, *, actor: str
) -> Case:
    """Apply *proposal* to *case* as it is (上报): its trigger, the deadline it missed, its
    count and its reason are recorded in the :class:`~gridgov.cases.Escalated` event.

    The proposal must still fit the case: the same case, still owned by the unit it goes up
    from, going exactly one step up (to the parent, or from the top to the policy's body).
    The new owner gets the policy's SLA for its tier (the body's SLA beyond the grid), counted
    from the proposal's moment, and must accept the case again.

    Args:
        case: the case.
        proposal: the escalation, from :func:`~gridgov.escalation.due_escalations` or
            :func:`escalation_for`.
        policy: the policy (the new deadlines and the external body).
        actor: who escalated it (``"system"`` for a swept trigger).

    Raises:
        InvalidTransitionError: if the proposal no longer fits the case, the case is beyond
            the grid already, or its status does not allow escalation.

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
        >>> from gridgov.escalation import ExternalBody
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="淮河路街道"))
        >>> first = escalation_for(case, policy, at=t)
        >>> once = escalate(case, first, policy, actor="m-li")
        >>> once.owner, once.owner_name, once.events[-1].trigger.value
        ('g3', '第三网格', 'manual')
        >>> escalate(once, first, policy, actor="m-li")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidTransitionError: case 'c-1' is now owned by 第三网格 ('g3') and goes up to 亚新社区 ('yx'); the proposal from 美好人家1号楼 to 第三网格 no longer fits it.
    """
    v.check_instance("case", case, Case)
    v.check_instance("proposal", proposal, Escalation)
    v.check_instance("policy", policy, EscalationPolicy)
    v.check_ident("actor", actor)
    state = case.state
    if proposal.case != state.id:
        raise InvalidTransitionError(
            f"the proposal is for case {proposal.case!r}, not for case {state.id!r}."
        )
    _escalable(case, "the proposal no longer fits")
    fresh = propose(case, policy, proposal.trigger, proposal.at, proposal.category)
    if (fresh.from_unit, fresh.to, fresh.beyond) != (proposal.from_unit, proposal.to, proposal.beyond):
        raise InvalidTransitionError(
            f"case {state.id!r} is now owned by {fresh.from_name} ({fresh.from_unit!r}) and "
            f"goes up to {fresh.to_name} ({fresh.to!r}); the proposal from "
            f"{proposal.from_name} to {proposal.to_name} no longer fits it."
        )
    if proposal.category.code != state.issue.category:
        raise InvalidValueError(
            f"'proposal' names category {proposal.category.code!r}, but case {state.id!r} is "
            f"about {state.issue.category!r}."
        )
    tier = None if proposal.beyond else state.chain[state.position + 1].tier
    accept_by, resolve_by = policy.deadlines(
        tier=tier, category=state.issue.category, severity=state.severity, start=proposal.at
    )
    return apply_event(
        case,
        Escalated(
            at=proposal.at,
            actor=actor,
            trigger=proposal.trigger,
            from_unit=proposal.from_unit,
            from_name=proposal.from_name,
            to=proposal.to,
            to_name=proposal.to_name,
            beyond=proposal.beyond,
            due=proposal.due,
            times=proposal.times,
            via=proposal.via,
            reason=proposal.reason,
            accept_by=accept_by,
            resolve_by=resolve_by,
        ),
    )
