"""Case summaries (案件概要): one flat value per case, for lists and front-ends.

A case *is* its events; a web page listing a street's cases wants, for each, where it stands
now: its status (with its Chinese label), its owner by name, the chain it was routed along,
its deadlines with the paused time given back and their traffic light (红黄绿灯) at a given
moment, where it was escalated, its last event and the resident's view.
:func:`summarize` computes that from a case — from the state its events already derive, the
deadlines' :meth:`~gridgov.calendar.Deadline.effective` and
:func:`~gridgov.escalation.warning` — and :class:`CaseSummary` serialises like every value.

Example:
    >>> from gridgov import DEFAULT_CATALOGUE
    >>> from gridgov.demo import sample_case, sample_policy
    >>> case = sample_case()
    >>> s = summarize(case, at=case.updated_at, calendar=sample_policy().calendar,
    ...               catalogue=DEFAULT_CATALOGUE)
    >>> s.status.zh, s.owner_name, s.chain_names, s.light.zh, s.escalated_to
    ('已立案', '第三网格', ('美好人家1号楼', '第三网格', '亚新社区'), '绿灯 正常', ('g3',))
    >>> s.row(zh=True)["最近事件"]
    '联动'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import attrs

import gridgov._validators as v
from gridgov.calendar import WorkCalendar
from gridgov.cases import Case, CaseStatus, Satisfaction
from gridgov.escalation import WarningLevel, warning
from gridgov.issues import CategoryCatalogue, Severity
from gridgov.serialize import register

__all__ = ["CaseSummary", "summaries", "summarize"]

_IDS = v.tuple_of(v.ident)
_NAMES = v.tuple_of(v.name)
_MOMENT = v.optional(v.aware)


@register
@attrs.frozen(kw_only=True)
class CaseSummary:
    """Where one case stands at a moment, flat, for lists and front-ends.

    Attributes:
        id: the case's id.
        issue: the id of the issue it was opened for.
        category: the issue's category code.
        category_name: the category's Chinese label (the code if no catalogue was given).
        severity: the current severity.
        status: the current status (``status.zh`` is its Chinese label).
        owner: the owning unit's id, or the external body's once beyond the grid.
        owner_name: the owner's name.
        beyond: whether the case has gone beyond the grid (吹哨报到).
        chain: the ids of the units it was routed along, the bottom unit first.
        chain_names: their names, in the same order.
        place: the issue's place, if any.
        located: whether the issue had a known place or unit (``False``: 待定位).
        handler: whom it was last dispatched to, if anyone.
        reported_at: when the issue was reported.
        opened_at: when the case was opened.
        updated_at: when its last event happened.
        last_event: the last event's English label (``"accepted"``).
        last_event_zh: its Chinese name (``"立案"``).
        accept_due: the accept deadline with paused time given back, while the case awaits
            acceptance (else ``None``).
        resolve_due: the resolve deadline in force with paused time given back, if any.
        at: the moment the light was read at.
        light: the traffic light at ``at`` (green once the clocks have stopped).
        escalated_to: the units (or the external body) it was escalated to, in order.
        satisfaction: the resident's latest view, if given.

    Example:
        >>> from gridgov.demo import sample_case, sample_policy
        >>> s = summarize(sample_case(), at=sample_case().updated_at,
        ...               calendar=sample_policy().calendar)
        >>> s.category_name, s.last_event, s.is_open
        ('elder_care', 'co-handler linked', True)
    """

    id: str = attrs.field(validator=v.ident)
    issue: str = attrs.field(validator=v.ident)
    category: str = attrs.field(validator=v.code)
    category_name: str = attrs.field(validator=v.name)
    severity: Severity = attrs.field(validator=v.is_a(Severity))
    status: CaseStatus = attrs.field(validator=v.is_a(CaseStatus))
    owner: str = attrs.field(validator=v.ident)
    owner_name: str = attrs.field(validator=v.name)
    beyond: bool = attrs.field(validator=v.boolean)
    chain: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=_IDS)
    chain_names: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=_NAMES)
    place: str | None = attrs.field(validator=v.optional(v.ident), repr=False)
    located: bool = attrs.field(validator=v.boolean)
    handler: str | None = attrs.field(validator=v.optional(v.ident))
    reported_at: datetime = attrs.field(validator=v.aware)
    opened_at: datetime = attrs.field(validator=v.aware)
    updated_at: datetime = attrs.field(validator=v.aware)
    last_event: str = attrs.field(validator=v.name)
    last_event_zh: str = attrs.field(validator=v.name)
    accept_due: datetime | None = attrs.field(validator=_MOMENT)
    resolve_due: datetime | None = attrs.field(validator=_MOMENT)
    at: datetime = attrs.field(validator=v.aware)
    light: WarningLevel = attrs.field(validator=v.is_a(WarningLevel))
    escalated_to: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=_IDS)
    satisfaction: Satisfaction | None = attrs.field(validator=v.optional(v.is_a(Satisfaction)))

    def __attrs_post_init__(self) -> None:
        if len(self.chain_names) != len(self.chain):
            raise v.refuse(
                "chain_names",
                self,
                f"one name per unit of the chain ({len(self.chain)})",
                self.chain_names,
            )

    @property
    def is_open(self) -> bool:
        """Whether the case's loop has not ended."""
        return not self.status.is_terminal

    def row(self, *, zh: bool = False) -> dict[str, object]:
        """The summary as one plain dict for a table, a CSV file or a front-end: strings,
        numbers and ``None`` only (moments in ISO 8601, lists joined with " → ").

        Args:
            zh: Chinese headers and labels (default: English).

        Example:
            >>> from gridgov.demo import sample_case, sample_policy
            >>> s = summarize(sample_case(), at=sample_case().updated_at,
            ...               calendar=sample_policy().calendar)
            >>> s.row()["owner"], s.row(zh=True)["状态"], s.row(zh=True)["预警"]
            ('第三网格', '已立案', '绿灯 正常')
        """
        iso = _iso
        fields: list[tuple[str, str, object]] = [
            ("id", "案件编号", self.id),
            ("category", "类别", self.category_name if zh else self.category),
            ("severity", "紧急程度", self.severity.zh if zh else self.severity.label),
            ("status", "状态", self.status.zh if zh else self.status.value),
            ("owner", "责任单位", self.owner_name),
            ("chain", "网格层级", " → ".join(self.chain_names)),
            ("place", "地点", self.place),
            ("reported_at", "上报时间", iso(self.reported_at)),
            ("updated_at", "更新时间", iso(self.updated_at)),
            ("last_event", "最近事件", self.last_event_zh if zh else self.last_event),
            ("accept_due", "立案时限", iso(self.accept_due)),
            ("resolve_due", "办结时限", iso(self.resolve_due)),
            ("light", "预警", self.light.zh if zh else self.light.value),
            ("escalated_to", "上报至", " → ".join(self.escalated_to)),
            ("satisfaction", "满意度", _satisfaction(self.satisfaction, zh)),
        ]
        return {(z if zh else e): value for e, z, value in fields}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _satisfaction(value: Satisfaction | None, zh: bool) -> str | None:
    if value is None:
        return None
    return value.zh if zh else value.value


def summarize(
    case: Case,
    *,
    at: datetime,
    calendar: WorkCalendar,
    catalogue: CategoryCatalogue | None = None,
    share: float = 0.2,
) -> CaseSummary:
    """Where *case* stands at *at*: status, owner, chain, deadlines and their traffic light,
    escalations, last event and satisfaction.

    Args:
        case: the case.
        at: the moment the traffic light is read at (a front-end passes "now").
        calendar: the calendar the case's clocks run on (the router's and the policy's),
            to give back paused working time and to measure what is left.
        catalogue: the catalogue, to name the category by its Chinese label.
        share: the share of a deadline's time left below which the light turns yellow.

    Raises:
        InvalidValueError: if an argument is not of its type, or *at* is not aware.

    Example:
        >>> from gridgov.demo import sample_case, sample_policy
        >>> from datetime import timedelta
        >>> case = sample_case()
        >>> later = summarize(case, at=case.updated_at + timedelta(days=30),
        ...                   calendar=sample_policy().calendar)
        >>> later.light.zh, later.resolve_due < later.at
        ('红灯 超期', True)
    """
    v.check_instance("case", case, Case)
    v.check_aware("at", at)
    v.check_instance("calendar", calendar, WorkCalendar)
    if catalogue is not None:
        v.check_instance("catalogue", catalogue, CategoryCatalogue)
    state = case.state
    issue = state.issue
    last = case.events[-1]
    accept = state.accept_by if state.status is CaseStatus.REPORTED else None
    resolve = state.resolve_by
    code = issue.category
    name = catalogue[code].zh if catalogue is not None and code in catalogue else code
    return CaseSummary(
        id=state.id,
        issue=issue.id,
        category=code,
        category_name=name,
        severity=state.severity,
        status=state.status,
        owner=state.owner,
        owner_name=state.owner_name,
        beyond=state.beyond,
        chain=tuple(u.id for u in state.chain),
        chain_names=tuple(u.name for u in state.chain),
        place=issue.place,
        located=state.located,
        handler=state.handler,
        reported_at=issue.reported_at,
        opened_at=state.opened_at,
        updated_at=state.updated_at,
        last_event=type(last).label,
        last_event_zh=type(last).zh,
        accept_due=None if accept is None else accept.effective(calendar),
        resolve_due=None if resolve is None else resolve.effective(calendar),
        at=at,
        light=warning(case, at=at, calendar=calendar, share=share),
        escalated_to=tuple(e.to for e in case.escalations()),
        satisfaction=state.satisfaction,
    )


def summaries(
    cases: Iterable[Case],
    *,
    at: datetime,
    calendar: WorkCalendar,
    catalogue: CategoryCatalogue | None = None,
    share: float = 0.2,
) -> Iterator[CaseSummary]:
    """:func:`summarize` for each case, lazily, in order (a street's case list).

    Example:
        >>> from gridgov.demo import sample_case, sample_policy
        >>> case = sample_case()
        >>> [s.id for s in summaries([case], at=case.updated_at, calendar=sample_policy().calendar)]
        ['yx-2026-1126-01']
    """
    if isinstance(cases, str | bytes) or not isinstance(cases, Iterable):
        raise v.refuse("cases", None, "an iterable of cases", cases)
    return (summarize(c, at=at, calendar=calendar, catalogue=catalogue, share=share) for c in cases)
