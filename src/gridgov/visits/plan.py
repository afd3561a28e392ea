"""Visit plans (走访计划): the day's due visits staffed with the members of each unit.

:func:`plan_visits` goes day by day: the residents due (as :func:`~gridgov.visits.due_visits`
finds them, counting every visit planned on an earlier day as an in-person visit made) are
taken most urgent first and each goes to the least-loaded member posted in the unit
responsible for the household; a visit that cannot be staffed is a
:class:`VisitShortfall`, never dropped.

Example:
    >>> from datetime import date
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY
    >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
    >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
    ...                    end=date(2026, 11, 27), capacity_per_member=2)
    >>> [(v.day.day, v.member) for v in plan.visits], plan.shortfalls
    ([(25, 'm-li'), (26, 'm-li'), (27, 'm-li')], ())
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, runtime_checkable

import attrs

import gridgov._validators as v
import gridgov.visits._args as _args
import gridgov.visits._text as _text
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph, GridUnit
from gridgov.people import Member, Resident, ResidentFiles
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register
from gridgov.visits.policy import MajorChange, VisitPolicy
from gridgov.visits.records import VisitLog, VisitMode, VisitRecord
from gridgov.visits.sweep import DueVisit, due_visits

__all__ = [
    "MAX_PLAN_DAYS",
    "MemberAvailability",
    "PlannedVisit",
    "VisitPlan",
    "VisitShortfall",
    "plan_visits",
]

MAX_PLAN_DAYS = 366
"""The longest range of days a plan may cover."""
_MAX_CAPACITY = 1_000


@runtime_checkable
class MemberAvailability(Protocol):
    """What a visit plan reads of each member's own availability: the visits they can make on
    a day (0 on a day they do not serve; ``None``: the plan's capacity per member).

    :class:`gridgov.community.TalentLibrary` is one, from each person's willingness to serve
    (服务意愿): a part-time 微网格长 serving on Saturdays and a full-time 网格员 differ.

    Example:
        >>> from gridgov.community import TalentLibrary
        >>> isinstance(TalentLibrary(), MemberAvailability)
        True
    """

    def daily_visits(self, member: str, day: date) -> int | None:
        """The visits *member* can make on *day*, or ``None`` for the plan's default.

        Example:
            >>> from datetime import date
            >>> from gridgov.community import TalentLibrary
            >>> TalentLibrary().daily_visits("m-li", date(2026, 11, 30)) is None
            True
        """
        ...  # pragma: no cover


@register
@attrs.frozen(kw_only=True)
class PlannedVisit:
    """A due visit assigned to a member on a day.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 25), capacity_per_member=1)
        >>> plan.visits[0].member, plan.visits[0].member_name
        ('m-li', '李燕明')
    """

    day: date = attrs.field(validator=v.plain_date)
    resident: str = attrs.field(validator=v.ident)
    member: str = attrs.field(validator=v.ident)
    member_name: str = attrs.field(validator=v.personal_name)
    unit: str = attrs.field(validator=v.ident)
    due: DueVisit = attrs.field(validator=v.is_a(DueVisit))


@register
@attrs.frozen(kw_only=True)
class VisitShortfall:
    """A due visit that could not be staffed on a day, and why.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 25), capacity_per_member=0)
        >>> print(plan.shortfalls[0].reason)
        2026-11-25无人探访吕阿姨：美好人家1号楼的1名成员均已排满（每人0次）。
        no one to visit 吕阿姨 on 2026-11-25: every member posted in 美好人家1号楼 (1) is at capacity (0 visits).
    """

    day: date = attrs.field(validator=v.plain_date)
    resident: str = attrs.field(validator=v.ident)
    unit: str = attrs.field(validator=v.ident)
    reason: Reason = attrs.field(validator=v.is_a(Reason), repr=False)
    due: DueVisit = attrs.field(validator=v.is_a(DueVisit))


@register
@attrs.frozen(kw_only=True)
class VisitPlan:
    """Visits assigned to members for each day of a date range, and the shortfalls.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 25),
        ...                    end=date(2026, 11, 27), capacity_per_member=2)
        >>> [(v.day.day, v.member) for v in plan.visits], plan.shortfalls
        ([(25, 'm-li'), (26, 'm-li'), (27, 'm-li')], ())
    """

    start: date = attrs.field(validator=v.plain_date)
    end: date = attrs.field(validator=v.plain_date)
    capacity_per_member: int = attrs.field(validator=v.integer(0, _MAX_CAPACITY))
    own_capacities: bool = attrs.field(default=False, validator=v.boolean)
    """Whether each member's capacity and working days came from their availability."""
    visits: tuple[PlannedVisit, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(PlannedVisit))
    )
    shortfalls: tuple[VisitShortfall, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(VisitShortfall))
    )

    def __attrs_post_init__(self) -> None:
        _check_range(self.start, self.end, "VisitPlan")

    def load(self, member: str, day: date | None = None) -> int:
        """The number of visits planned for *member* (on *day*, or over the whole range).

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
            >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(),
            ...                    start=date(2026, 11, 25), end=date(2026, 11, 27),
            ...                    capacity_per_member=2)
            >>> plan.load("m-li"), plan.load("m-li", date(2026, 11, 26))
            (3, 1)
        """
        v.check_ident("member", member)
        if day is not None:
            v.check_date("day", day)
        return sum(1 for p in self.visits if p.member == member and (day is None or p.day == day))

    def on(self, day: date) -> tuple[PlannedVisit, ...]:
        """The visits planned on *day*.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
            >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(),
            ...                    start=date(2026, 11, 25), end=date(2026, 11, 27),
            ...                    capacity_per_member=2)
            >>> [p.resident for p in plan.on(date(2026, 11, 26))]
            ['r-lu']
        """
        v.check_date("day", day)
        return tuple(p for p in self.visits if p.day == day)


def _check_range(start: date, end: date, owner: str) -> None:
    if end < start:
        raise InvalidValueError(
            f"'end' of {owner} must not be before its start {start.isoformat()} "
            f"(got {end.isoformat()})."
        )
    if (end - start).days >= MAX_PLAN_DAYS:
        raise InvalidValueError(
            f"'end' of {owner} must be within {MAX_PLAN_DAYS} days of its start "
            f"{start.isoformat()} (got {end.isoformat()})."
        )


def plan_visits(
    residents: Iterable[Resident] | ResidentFiles,
    records: Iterable[VisitRecord] | VisitLog,
    policy: VisitPolicy,
    grid: GridGraph,
    *,
    start: date,
    end: date,
    capacity_per_member: int,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
    availability: MemberAvailability | None = None,
) -> VisitPlan:
    """Assign the visits due on each day from *start* to *end* to the members posted in the
    unit responsible for each resident's household, at most *capacity_per_member* visits
    per member per day.

    Day by day, the residents due (as :func:`~gridgov.visits.due_visits` finds them,
    counting every visit planned on an earlier day as an in-person visit made) are taken most
    urgent first — red before yellow before green, then missed ones, then most days overdue,
    then by resident id — and each goes to the least-loaded member of the unit with capacity
    left (fewest visits that day, then over the range, then by member id).  A visit that
    cannot be staffed is reported as a shortfall for that day, never dropped; the resident
    stays due and is tried again the next day.

    With *availability* (such as a :class:`~gridgov.community.TalentLibrary`), each member's
    capacity on a day is their own — 0 on a day they do not serve, their own daily visits on
    the others — and *capacity_per_member* applies to those it says nothing about; the
    shortfalls say how many members were off duty that day.

    Raises:
        InvalidValueError: for *end* before *start*, a range over :data:`MAX_PLAN_DAYS`
            days, a negative capacity, or arguments of the wrong type (named).
        UnknownPlaceError: for a household not in the grid.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> plan = plan_visits(sample_residents(), [], DEFAULT_POLICY, sample_grid(),
        ...                    start=date(2026, 11, 25), end=date(2026, 11, 26),
        ...                    capacity_per_member=2)
        >>> len(plan.visits), len(plan.shortfalls)
        (61, 15)
        >>> plan.shortfalls[0].reason.en
        'no one to visit 居民002 on 2026-11-25: every member posted in 第1网格1号微网格 (1) is at capacity (2 visits).'
        >>> max(plan.load(m.id, p.day) for p in plan.visits for m in sample_grid().members)
        2

        A part-time 微网格长 serving at weekends, from the talent library:

        >>> from gridgov.community import Span, Talent, TalentLibrary, Willingness
        >>> li = Talent.of_member(sample_grid().member("m-li"), willingness=Willingness(
        ...     hours=8, per=Span.WEEK, weekdays={5, 6}, visits_per_day=4))
        >>> lu = [r for r in sample_residents() if r.id == "r-lu"]
        >>> plan = plan_visits(lu, [], DEFAULT_POLICY, sample_grid(), start=date(2026, 11, 27),
        ...                    end=date(2026, 11, 28), capacity_per_member=2,
        ...                    availability=TalentLibrary(talents=[li]))
        >>> [(v.day.day, v.member) for v in plan.visits]
        [(28, 'm-li')]
        >>> print(plan.shortfalls[0].reason.zh)
        2026-11-27无人探访吕阿姨：美好人家1号楼的1名成员中1人当日不在服务时间，其余均已按各自服务意愿排满。
    """
    v.check_date("start", start)
    v.check_date("end", end)
    _check_range(start, end, "a visit plan")
    v.check_integer("capacity_per_member", capacity_per_member, 0, _MAX_CAPACITY)
    v.check_instance("policy", policy, VisitPolicy)
    v.check_instance("grid", grid, GridGraph)
    if availability is not None and not isinstance(availability, MemberAvailability):
        raise v.refuse(
            "availability", None, "a MemberAvailability such as a TalentLibrary", availability
        )
    files = list(_args.stream(residents))
    log = records if isinstance(records, VisitLog) else VisitLog(
        records=_args.items(records, VisitRecord, "records")
    )
    given: Mapping[str, date] | tuple[MajorChange, ...] | None = None
    if isinstance(major_changes, Mapping):
        given = dict(major_changes)  # read every day: kept as given
    elif major_changes is not None:
        given = _args.items(major_changes, MajorChange, "major_changes")
    members_of_unit: dict[str, tuple[Member, ...]] = {}
    total: dict[str, int] = {}
    planned: list[PlannedVisit] = []
    shortfalls: list[VisitShortfall] = []
    day = start
    while day <= end:
        items = list(due_visits(files, log, policy, on=day, major_changes=given))
        items.sort(key=lambda i: (i.colour.rank, not i.missed, -i.days_overdue, i.resident))
        load: dict[str, int] = {}
        own: dict[str, int] = {}
        made: list[VisitRecord] = []

        def capacity(member: Member, on: date = day, own: dict[str, int] = own) -> int:
            """The one home of a member's capacity on a day: their own, or the plan's."""
            if availability is None:
                return capacity_per_member
            if member.id not in own:
                mine = availability.daily_visits(member.id, on)
                own[member.id] = capacity_per_member if mine is None else mine
            return own[member.id]

        for item in items:
            unit: GridUnit = grid.place_unit(item.household)
            team = members_of_unit.get(unit.id)
            if team is None:
                team = members_of_unit[unit.id] = grid.members_in(unit.id)
            free = [m for m in team if load.get(m.id, 0) < capacity(m)]
            if not free:
                off = None if availability is None else sum(1 for m in team if not capacity(m))
                shortfalls.append(
                    VisitShortfall(
                        day=day,
                        resident=item.resident,
                        unit=unit.id,
                        reason=_short(item, unit, len(team), capacity_per_member, off),
                        due=item,
                    )
                )
                continue
            chosen = min(free, key=lambda m: (load.get(m.id, 0), total.get(m.id, 0), m.id))
            load[chosen.id] = load.get(chosen.id, 0) + 1
            total[chosen.id] = total.get(chosen.id, 0) + 1
            planned.append(
                PlannedVisit(
                    day=day,
                    resident=item.resident,
                    member=chosen.id,
                    member_name=chosen.name,
                    unit=unit.id,
                    due=item,
                )
            )
            made.append(_as_record(log, day, item.resident, chosen.id))
        log = log.with_records(made)
        day += timedelta(days=1)
    return VisitPlan(
        start=start,
        end=end,
        capacity_per_member=capacity_per_member,
        own_capacities=availability is not None,
        visits=tuple(planned),
        shortfalls=tuple(shortfalls),
    )


def _as_record(log: VisitLog, day: date, resident: str, member: str) -> VisitRecord:
    """A planned visit as the in-person visit it will be, under an id no record has."""
    rid = f"planned {day.isoformat()} {resident}"
    n = 1
    while log.has_id(rid):
        n += 1
        rid = f"planned {day.isoformat()} {resident} #{n}"
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return VisitRecord(id=rid, resident=resident, member=member, at=at, mode=VisitMode.IN_PERSON)


def _short(item: DueVisit, unit: GridUnit, members: int, capacity: int, off: int | None) -> Reason:
    name, day = item.resident_name, _text.iso(item.on)
    refs = [
        Ref(kind="resident", id=item.resident, name=name),
        Ref(kind="unit", id=unit.id, name=unit.name),
    ]
    if not members:
        return _text.reason(
            f"{day}无人探访{name}：{unit.name}没有在岗成员。",
            f"no one to visit {name} on {day}: no member is posted in {unit.name}.",
            refs,
        )
    if off is not None:
        return _text.reason(
            f"{day}无人探访{name}：{unit.name}的{members}名成员中{off}人当日不在服务时间，"
            f"其余均已按各自服务意愿排满。",
            f"no one to visit {name} on {day}: of the {members} members posted in {unit.name}, "
            f"{off} do not serve that day and the others are at their own capacity.",
            refs,
        )
    return _text.reason(
        f"{day}无人探访{name}：{unit.name}的{members}名成员均已排满（每人{capacity}次）。",
        f"no one to visit {name} on {day}: every member posted in {unit.name} ({members}) is "
        f"at capacity ({capacity} visits).",
        refs,
    )
