"""Missed visits go up (走访逾期上报): to the unit above the one responsible for the household.

A visit still due after its window's latest day is *missed*.  Each missed visit becomes a
:class:`MissedVisitEscalation`, shaped like the case escalation proposal
(:class:`gridgov.escalation.Escalation`): ``from_unit`` / ``from_name`` (the bottom-tier unit
responsible for the household), ``to`` / ``to_name`` (the unit above it, or itself at the
top), ``leader`` / ``leader_name``, ``due``, and a :class:`~gridgov.Reason`.

Example:
    >>> from datetime import date
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, next_due
    >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
    >>> item = next_due(lu, [], DEFAULT_POLICY, on=date(2026, 11, 27))  # never visited
    >>> esc = next(missed_visit_escalations([item], sample_grid()))
    >>> esc.from_name, esc.to_name, esc.leader_name
    ('美好人家1号楼', '第三网格', '彭雪丽')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import attrs

import gridgov._validators as v
import gridgov.visits._args as _args
import gridgov.visits._text as _text
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register
from gridgov.visits.sweep import DueVisit

__all__ = ["MissedVisitEscalation", "missed_visit_escalations"]


@register
@attrs.frozen(kw_only=True)
class MissedVisitEscalation:
    """A missed visit sent up: from the bottom-tier unit responsible for the resident's
    household to the unit above it, and that unit's leader.

    Attributes:
        from_unit: the id of the unit responsible for the household (of the grid's bottom
            tier).
        from_name: its name.
        to: the id of the unit escalated to (the parent of ``from_unit``; ``from_unit``
            itself when it has none).
        to_name: its name.
        leader: the id of that unit's leader, or ``None`` when the post is vacant.
        leader_name: the leader's name, or ``None``.
        on: the day of the sweep.
        due: the due date that was missed.
        latest: the window's last day.
        days_overdue: days from ``due`` to ``on``.
        rule: the id of the rule (``None`` for a major change).
        resident: the resident's id.
        resident_name: the resident's name.
        household: the household.
        reason: why, naming the resident, the units and the leader (their ids in ``refs``).

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, next_due
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> item = next_due(lu, [], DEFAULT_POLICY, on=date(2026, 11, 27))  # never visited
        >>> esc = next(missed_visit_escalations([item], sample_grid()))
        >>> esc.from_unit, esc.to, esc.leader
        ('mg31', 'g3', 'm-g3')
    """

    from_unit: str = attrs.field(validator=v.ident)
    from_name: str = attrs.field(validator=v.name)
    to: str = attrs.field(validator=v.ident)
    to_name: str = attrs.field(validator=v.name)
    leader: str | None = attrs.field(validator=v.optional(v.ident))
    leader_name: str | None = attrs.field(validator=v.optional(v.personal_name))
    on: date = attrs.field(validator=v.plain_date)
    due: date = attrs.field(validator=v.plain_date)
    latest: date = attrs.field(validator=v.plain_date)
    days_overdue: int = attrs.field(validator=v.integer(0, (date(v.MAX_YEAR, 12, 31) - date(v.MIN_YEAR, 1, 1)).days))
    rule: str | None = attrs.field(validator=v.optional(v.code))
    resident: str = attrs.field(validator=v.ident)
    resident_name: str = attrs.field(validator=v.personal_name, repr=False)
    household: str = attrs.field(validator=v.ident, repr=False)
    reason: Reason = attrs.field(validator=v.is_a(Reason), repr=False)

    def __attrs_post_init__(self) -> None:
        if (self.leader is None) != (self.leader_name is None):
            raise InvalidValueError(
                "'leader' and 'leader_name' of MissedVisitEscalation must be given together "
                "(both None when the post is vacant)."
            )
        if self.latest < self.due:
            raise InvalidValueError(
                f"'latest' of MissedVisitEscalation must not be before its due day "
                f"{self.due.isoformat()} (got {self.latest.isoformat()})."
            )
        if self.on <= self.latest:
            raise InvalidValueError(
                f"'on' of MissedVisitEscalation must be after the latest day "
                f"{self.latest.isoformat()}: a visit is missed only then (got "
                f"{self.on.isoformat()})."
            )
        if self.days_overdue != (self.on - self.due).days:
            raise InvalidValueError(
                f"'days_overdue' of MissedVisitEscalation must be the days from 'due' to 'on', "
                f"{(self.on - self.due).days} (got {self.days_overdue})."
            )


def missed_visit_escalations(
    due: Iterable[DueVisit], grid: GridGraph
) -> Iterator[MissedVisitEscalation]:
    """An escalation for every missed visit among *due*, to the leader of the unit above the
    bottom-tier unit responsible for the household.

    Raises:
        UnknownPlaceError: if a household is not in the grid.
        InvalidValueError: for arguments of the wrong type (named).

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord, due_visits
        >>> seen = [VisitRecord(id=f"v{i}", resident=r.id, member="m-li",
        ...                     at=datetime(2026, 11, 20, 10, tzinfo=CST))
        ...         for i, r in enumerate(sample_residents())]
        >>> due = list(due_visits(sample_residents(), seen, DEFAULT_POLICY, on=date(2026, 11, 27)))
        >>> len(due), sum(d.missed for d in due)
        (12, 1)
        >>> escalations = list(missed_visit_escalations(due, sample_grid()))
        >>> [(e.resident, e.from_unit, e.to, e.leader) for e in escalations]
        [('r-lu', 'mg31', 'g3', 'm-g3')]
        >>> print(escalations[0].reason)
        走访逾期：吕阿姨应于2026-11-25探访（每日一访），最迟2026-11-25，已逾期2天；责任微网格美好人家1号楼，上报第三网格（彭雪丽）。
        missed visit: 吕阿姨 was due a visit on 2026-11-25 (daily), latest 2026-11-25, 2 days overdue; responsible micro-grid 美好人家1号楼, escalated to 第三网格 (彭雪丽).
    """
    v.check_instance("grid", grid, GridGraph)
    items = _args.iterable(due, "due", "an iterable of DueVisit values")
    return _escalations(items, grid)


def _escalations(due: Iterable[DueVisit], grid: GridGraph) -> Iterator[MissedVisitEscalation]:
    bottom = grid.scheme.bottom
    for item in due:
        if not isinstance(item, DueVisit):
            raise InvalidValueError(f"'due' must hold DueVisit values only (got {v.show(item)}).")
        if not item.missed:
            continue
        unit = grid.place_unit(item.household)
        parent = grid.parent(unit.id)
        target = parent if parent is not None else unit
        leader = grid.leader(target.id)
        zh_freq, en_freq = item.frequency_label
        name = item.resident_name
        refs = [
            Ref(kind="resident", id=item.resident, name=name),
            Ref(kind="unit", id=unit.id, name=unit.name),
        ]
        if target is not unit:
            refs.append(Ref(kind="unit", id=target.id, name=target.name))
        if leader is not None:
            refs.append(Ref(kind="member", id=leader.id, name=leader.name))
            who_zh, who_en = f"（{leader.name}）", f" ({leader.name})"
        else:
            who_zh, who_en = "（负责人空缺）", " (no leader posted)"
        if item.rule is not None:
            refs.append(Ref(kind="rule", id=item.rule.id, name=item.rule.id))
        if target is unit:
            up_zh = f"无上级单位，由{unit.name}{who_zh}督办"
            up_en = f"no unit above it: kept at {unit.name}{who_en}"
        else:
            up_zh = f"上报{target.name}{who_zh}"
            up_en = f"escalated to {target.name}{who_en}"
        overdue = item.days_overdue
        reason = _text.reason(
            f"走访逾期：{name}应于{_text.iso(item.due)}探访（{zh_freq}），最迟"
            f"{_text.iso(item.latest)}，已逾期{overdue}天；责任{bottom.zh}{unit.name}，{up_zh}。",
            f"missed visit: {name} was due a visit on {_text.iso(item.due)} ({en_freq}), latest "
            f"{_text.iso(item.latest)}, {_text.days(overdue)} overdue; responsible "
            f"{bottom.label.lower()} {unit.name}, {up_en}.",
            refs,
        )
        yield MissedVisitEscalation(
            from_unit=unit.id,
            from_name=unit.name,
            to=target.id,
            to_name=target.name,
            leader=leader.id if leader is not None else None,
            leader_name=leader.name if leader is not None else None,
            on=item.on,
            due=item.due,
            latest=item.latest,
            days_overdue=overdue,
            rule=item.rule.id if item.rule is not None else None,
            resident=item.resident,
            resident_name=name,
            household=item.household,
            reason=reason,
        )
