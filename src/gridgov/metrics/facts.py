"""Case facts (案件事实): one flat, typed record per case, read from its events, that every
indicator, roll-up and the opinion library count from.

A :class:`CaseFacts` says when each stage of the closed loop happened, which units were
responsible (at filing, at the end, the place's micro-grid, the chain as the grid was drawn
when the case was filed), whether each stage met the deadline in force, and how often the
case was extended, suspended, reworked, escalated and returned.  Facts are computed by
:func:`case_facts` from a :class:`~gridgov.cases.Case` alone (plus the catalogue and the
calendar it needs), so a replayed case and the live one give equal facts.

Example:
    >>> from gridgov.demo import sample_case
    >>> f = case_facts(sample_case())
    >>> f.case, f.category, f.filed_unit, f.status.zh
    ('c-1', 'elder_care', 'mg31', '已派遣')
"""

from __future__ import annotations

from datetime import datetime

import attrs

import gridgov._validators as v
from gridgov.cases.events import Satisfaction, Trigger
from gridgov.cases.state import CaseStatus
from gridgov.issues import Channel, Severity
from gridgov.serialize import register

__all__ = ["CaseFacts"]

_COUNT = v.integer(0, 10**6)
_MOMENT = v.optional(v.aware)
_OUTCOME = v.optional(v.boolean)


@register
@attrs.frozen(kw_only=True)
class CaseFacts:
    """What happened to one case, flat and typed, for counting.

    Units are ids.  Moments are the first time a stage was reached, except ``resolved_at``,
    which is the last resolution (the one verified, after any rework).  An ``*_on_time``
    field is ``None`` when the stage was not reached or had no deadline, else whether it was
    reached by the deadline in force (pauses given back; for ``resolved_on_time`` the
    deadline after granted extensions, for ``resolved_on_time_unextended`` the deadline
    before any extension).

    Attributes:
        case: the case's id.
        issue: the id of the issue it was opened for.
        category: the issue's category code.
        categories: the category and its ancestors in the catalogue, the category first.
        severity: the severity at the end (after any raise).
        channel: the channel the issue came through.
        place: the issue's place, if any.
        located: whether the issue had a known place or unit (``False``: 待定位).
        grid_version: the grid version the case was filed under.
        chain: the ids of the units it was filed along, the bottom unit first, as the grid
            was drawn then (``chain[0]`` is the place's micro-grid for a located issue).
        micro_grid: the unit of the place (``chain[0]`` when located, else ``None``).
        filed_unit: the unit that first owned it (首接负责).
        owner: the owner at the end: a unit's id, or the external body once ``beyond``.
        closing_unit: the owner when it was closed (``None`` if it was not closed).
        status: its status at the end.
        reported_at: when the issue was reported.
        opened_at: when the case was opened (受理).
        accepted_at: when it was accepted (立案), if it was.
        rejected_at: when it was rejected (不予立案), if it was.
        dispatched_at: when it was first dispatched (派遣), if it was.
        resolved_at: when it was last resolved (处置反馈), if it was.
        closed_at: when it was closed (结案), if it was.
        evaluated_at: when the resident evaluated it (评价), if they did.
        accept_due: the accept deadline in force at acceptance (or at the end), if any.
        dispatch_due: the dispatch deadline, if the caller gave a dispatch limit.
        resolve_due: the resolve deadline in force at the last resolution (or at the end).
        resolve_due_unextended: the resolve deadline before any extension was granted.
        accepted_on_time: acceptance met ``accept_due``.
        dispatched_on_time: the first dispatch met ``dispatch_due``.
        resolved_on_time: the last resolution met ``resolve_due``.
        resolved_on_time_unextended: the last resolution met ``resolve_due_unextended``.
        extensions: extensions granted (延期).
        extension_requests: extensions requested.
        suspensions: times suspended (挂起 / 缓办).
        suspended: whether it is suspended at the end.
        rework: times it was reopened for rework (返工): failed verifications and
            dissatisfied residents.
        verification_failures: failed verifications (核查不通过).
        dissatisfied: times the resident was dissatisfied.
        escalations: times it was escalated (上报).
        escalation_path: the units (or the external body) it was escalated to, in order.
        escalation_triggers: the trigger of each escalation, in order.
        beyond: whether it went beyond the grid (吹哨报到).
        returns: times it was returned for re-routing (退回改派).
        co_handlers: co-handlers linked (联动).
        duplicates: duplicates merged into it (并单).
        merged_into: the case it was merged into, if any.
        satisfaction: the resident's last view, if given.

    Example:
        >>> from gridgov.demo import sample_case
        >>> f = case_facts(sample_case())
        >>> f.chain, f.micro_grid, f.escalations, f.resolved_on_time
        (('mg31', 'g3', 'yx'), 'mg31', 1, None)
    """

    case: str = attrs.field(validator=v.ident)
    issue: str = attrs.field(validator=v.ident)
    category: str = attrs.field(validator=v.code)
    categories: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.code))
    severity: Severity = attrs.field(validator=v.is_a(Severity))
    channel: Channel = attrs.field(validator=v.is_a(Channel))
    place: str | None = attrs.field(validator=v.optional(v.ident))
    located: bool = attrs.field(validator=v.boolean)
    grid_version: str = attrs.field(validator=v.ident)
    chain: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.ident))
    micro_grid: str | None = attrs.field(validator=v.optional(v.ident))
    filed_unit: str = attrs.field(validator=v.ident)
    owner: str = attrs.field(validator=v.ident)
    closing_unit: str | None = attrs.field(validator=v.optional(v.ident))
    status: CaseStatus = attrs.field(validator=v.is_a(CaseStatus))
    reported_at: datetime = attrs.field(validator=v.aware)
    opened_at: datetime = attrs.field(validator=v.aware)
    accepted_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    rejected_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    dispatched_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolved_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    closed_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    evaluated_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    accept_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    dispatch_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolve_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolve_due_unextended: datetime | None = attrs.field(default=None, validator=_MOMENT)
    accepted_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    dispatched_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    resolved_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    resolved_on_time_unextended: bool | None = attrs.field(default=None, validator=_OUTCOME)
    extensions: int = attrs.field(default=0, validator=_COUNT)
    extension_requests: int = attrs.field(default=0, validator=_COUNT)
    suspensions: int = attrs.field(default=0, validator=_COUNT)
    suspended: bool = attrs.field(default=False, validator=v.boolean)
    rework: int = attrs.field(default=0, validator=_COUNT)
    verification_failures: int = attrs.field(default=0, validator=_COUNT)
    dissatisfied: int = attrs.field(default=0, validator=_COUNT)
    escalations: int = attrs.field(default=0, validator=_COUNT)
    escalation_path: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident)
    )
    escalation_triggers: tuple[Trigger, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Trigger))
    )
    beyond: bool = attrs.field(default=False, validator=v.boolean)
    returns: int = attrs.field(default=0, validator=_COUNT)
    co_handlers: int = attrs.field(default=0, validator=_COUNT)
    duplicates: int = attrs.field(default=0, validator=_COUNT)
    merged_into: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    satisfaction: Satisfaction | None = attrs.field(
        default=None, validator=v.optional(v.is_a(Satisfaction))
    )
