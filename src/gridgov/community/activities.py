"""Activities for groups, who took part and who was not reached, and volunteer points (积分).

* An :class:`Activity` targets a group defined by the same :class:`~gridgov.criteria.Criteria`
  as visit rules (age band, tags such as ``party_member`` / ``woman``, conditions), runs on a
  schedule (a visits :class:`~gridgov.visits.Frequency`), has organisers and partners'
  support, and a :class:`PointsPolicy`.
* :class:`Participation` records who took part, when, for how long.
* :func:`reach` answers, per group and for a :class:`~gridgov.metrics.Period` (a quarter, a
  month): who is in the group, who took part in any of its activities, who was not reached.
* :func:`points_ledger` turns participations into a :class:`PointsLedger` of
  :class:`PointsEntry` s: ``per_activity + minutes × per_hour ÷ 60`` points each, the division
  rounded *down* to a whole point; balances and the total are exact integer sums.

Example:
    >>> from datetime import date
    >>> from gridgov import Criteria, Frequency
    >>> study = Activity(id="a-xxqg", name="学习强国积分达人赛", unit="c1",
    ...                  group=Criteria(tags_any={"party_member"}), group_name="党员",
    ...                  schedule=Frequency.monthly(), points=PointsPolicy(per_activity=5, per_hour=2))
    >>> ledger = points_ledger([study], [Participation(id="p1", activity="a-xxqg", person="r-1",
    ...                                                on=date(2026, 10, 9), minutes=90)])
    >>> ledger.balance("r-1"), ledger.total
    (8, 8)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs

import gridgov._validators as v
from gridgov.criteria import Criteria
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.metrics import Period
from gridgov.people import Resident
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register
from gridgov.visits import Frequency

__all__ = [
    "MAX_MINUTES",
    "MAX_POINTS",
    "Activity",
    "GroupReach",
    "Participation",
    "PointsEntry",
    "PointsLedger",
    "PointsPolicy",
    "points_ledger",
    "reach",
]

MAX_POINTS = 1_000_000
"""The most points a policy may give per activity or per hour."""
MAX_MINUTES = 24 * 60
"""The longest one participation may last, in minutes."""


@register
@attrs.frozen(kw_only=True)
class PointsPolicy:
    """Volunteer points (积分) for taking part: per activity and per hour.

    Example:
        >>> PointsPolicy(per_activity=2, per_hour=10).points(45)
        9
    """

    per_activity: int = attrs.field(default=0, validator=v.integer(0, MAX_POINTS))
    per_hour: int = attrs.field(default=0, validator=v.integer(0, MAX_POINTS))

    def points(self, minutes: int) -> int:
        """The points one participation of *minutes* earns: ``per_activity + minutes ×
        per_hour ÷ 60``, rounded down to a whole point.

        Example:
            >>> PointsPolicy(per_hour=1).points(59)
            0
        """
        v.check_integer("minutes", minutes, 0, MAX_MINUTES)
        return self.per_activity + minutes * self.per_hour // 60


def _ids(instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    v.tuple_of(v.ident)(instance, attribute, value)
    assert isinstance(value, tuple)
    if len(value) > 1000:
        raise v.refuse(v.field_name(attribute), instance, "at most 1,000 ids", len(value))


@register
@attrs.frozen(kw_only=True)
class Activity:
    """An activity planned for a group of residents.

    Attributes:
        id: the activity's id.
        name: its name (``"插花"``, ``"书法展"``).
        unit: the unit that runs it; its group is drawn from the residents living below it.
        group: who it is for, as resident criteria (the visit rules' own).
        group_name: what the group is called (``"妇女"``, ``"老年人"``).
        schedule: how often it runs.
        organisers: the ids of the members who organise it.
        partners: the ids of the partners who support it.
        points: the points it gives for taking part.

    Example:
        >>> from gridgov import Criteria, Frequency
        >>> a = Activity(id="a1", name="书法展", unit="c1", group=Criteria(min_age=60),
        ...              group_name="老年人", schedule=Frequency.quarterly())
        >>> print(a.describe())
        书法展：面向老年人（60岁以上），每季度一次
        书法展: for 老年人 (aged 60 or over), quarterly
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    group: Criteria = attrs.field(validator=v.is_a(Criteria))
    group_name: str = attrs.field(validator=v.name)
    schedule: Frequency = attrs.field(validator=v.is_a(Frequency))
    organisers: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_ids)
    partners: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_ids)
    points: PointsPolicy = attrs.field(
        default=PointsPolicy(), validator=v.is_a(PointsPolicy)
    )

    def describe(self) -> Reason:
        """Who the activity is for and how often, in Chinese and in English.

        Example:
            >>> from gridgov import Criteria, Frequency
            >>> Activity(id="a", name="插花", unit="c1", group=Criteria(tags_any={"woman"}),
            ...          group_name="妇女", schedule=Frequency.monthly()).describe().zh
            '插花：面向妇女（标签 woman 之一），每月一次'
        """
        who = self.group.describe()
        when_zh = self.schedule.zh.replace("一访", "一次").replace("探访", "举办")
        return Reason(
            zh=f"{self.name}：面向{self.group_name}（{who.zh}），{when_zh}",
            en=f"{self.name}: for {self.group_name} ({who.en}), {self.schedule.label}",
        )


@register
@attrs.frozen(kw_only=True)
class Participation:
    """Someone took part in an activity on a day, for a number of minutes.

    Example:
        >>> from datetime import date
        >>> Participation(id="p1", activity="a1", person="r-1", on=date(2026, 10, 9),
        ...               minutes=2000)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'minutes' of Participation must be an integer from 0 to 1,440 (got 2000).
    """

    id: str = attrs.field(validator=v.ident)
    activity: str = attrs.field(validator=v.ident)
    person: str = attrs.field(validator=v.ident)
    on: date = attrs.field(validator=v.plain_date)
    minutes: int = attrs.field(default=0, validator=v.integer(0, MAX_MINUTES))


@register
@attrs.frozen(kw_only=True)
class PointsEntry:
    """Points earned by one participation, with the rule that gave them.

    Example:
        >>> from datetime import date
        >>> e = PointsEntry(participation="p1", person="r-1", activity="a1",
        ...                 on=date(2026, 10, 9), points=8, reason=Reason(zh="…", en="…"))
        >>> e.points
        8
    """

    participation: str = attrs.field(validator=v.ident)
    person: str = attrs.field(validator=v.ident)
    activity: str = attrs.field(validator=v.ident)
    on: date = attrs.field(validator=v.plain_date)
    points: int = attrs.field(validator=v.integer(0, 2 * MAX_POINTS * 25))
    reason: Reason = attrs.field(validator=v.is_a(Reason))


@register
@attrs.frozen(kw_only=True)
class PointsLedger:
    """The points ledger (积分台账): one entry per participation; balances are exact sums.

    Example:
        >>> PointsLedger(entries=[]).total
        0
    """

    entries: tuple[PointsEntry, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(PointsEntry))
    )

    def __attrs_post_init__(self) -> None:
        ids = [e.participation for e in self.entries]
        if len(set(ids)) != len(ids):
            raise InvalidValueError(
                "'entries' of PointsLedger must hold one entry per participation."
            )

    @property
    def total(self) -> int:
        """All points in the ledger."""
        return sum(e.points for e in self.entries)

    def balance(self, person: str) -> int:
        """The points *person* earned (0 for someone not in the ledger).

        Example:
            >>> PointsLedger().balance("r-1")
            0
        """
        return sum(e.points for e in self.entries if e.person == person)

    def balances(self) -> tuple[tuple[str, int], ...]:
        """Every person's points, most first (ties by id).

        Example:
            >>> PointsLedger().balances()
            ()
        """
        sums: dict[str, int] = {}
        for e in self.entries:
            sums[e.person] = sums.get(e.person, 0) + e.points
        return tuple(sorted(sums.items(), key=lambda kv: (-kv[1], kv[0])))


def _by_id(activities: Iterable[Activity]) -> dict[str, Activity]:
    found: dict[str, Activity] = {}
    for a in v.check_items("activities", activities):
        if not isinstance(a, Activity):
            raise v.refuse("activities", None, "a collection of Activity values", a)
        if a.id in found:
            raise InvalidValueError(f"'activities' must hold each once (got {a.id!r} twice).")
        found[a.id] = a
    return found


def _participations(items: Iterable[Participation], known: dict[str, Activity]) -> list[Participation]:
    out, seen = [], set()
    for p in v.check_items("participations", items):
        if not isinstance(p, Participation):
            raise v.refuse("participations", None, "a collection of Participation values", p)
        if p.id in seen:
            raise InvalidValueError(f"'participations' must hold each once (got {p.id!r} twice).")
        if p.activity not in known:
            raise v.refuse(
                "participations", None, "of the activities given", p.activity
            )
        seen.add(p.id)
        out.append(p)
    return out


def points_ledger(
    activities: Iterable[Activity], participations: Iterable[Participation]
) -> PointsLedger:
    """The points every participation earns under its activity's policy.

    Raises:
        InvalidValueError: for a participation in an activity not given, or given twice.

    Example:
        >>> from datetime import date
        >>> points_ledger([], [Participation(id="p1", activity="a9", person="r-1",
        ...                                  on=date(2026, 10, 9))])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'participations' must be of the activities given (got 'a9').
    """
    known = _by_id(activities)
    entries = []
    for p in _participations(participations, known):
        a = known[p.activity]
        pts = a.points.points(p.minutes)
        entries.append(
            PointsEntry(
                participation=p.id,
                person=p.person,
                activity=a.id,
                on=p.on,
                points=pts,
                reason=Reason(
                    zh=f"{a.name}：每次{a.points.per_activity}分＋每小时{a.points.per_hour}分"
                    f"×{p.minutes}分钟＝{pts}分",
                    en=f"{a.name}: {a.points.per_activity} per activity + {a.points.per_hour} "
                    f"per hour × {p.minutes} min = {pts} points",
                ),
            )
        )
    return PointsLedger(entries=entries)


@register
@attrs.frozen(kw_only=True)
class GroupReach:
    """Who in a group took part in its activities in a period, and who was not reached.

    Example:
        >>> from gridgov import Criteria, Grain, Period
        >>> from datetime import date
        >>> r = GroupReach(group_name="妇女", group=Criteria(tags_any={"woman"}), unit="c1",
        ...                period=Period.of(date(2026, 10, 1), Grain.QUARTER), activities=["a1"],
        ...                members=["r-1", "r-2"], reached=["r-1"], reason=Reason(zh="…", en="…"))
        >>> r.not_reached, r.rate
        (('r-2',), (1, 2))
    """

    group_name: str = attrs.field(validator=v.name)
    group: Criteria = attrs.field(validator=v.is_a(Criteria))
    unit: str = attrs.field(validator=v.ident)
    period: Period = attrs.field(validator=v.is_a(Period))
    activities: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.ident))
    members: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.ident))
    reached: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.ident))
    reason: Reason = attrs.field(validator=v.is_a(Reason))

    def __attrs_post_init__(self) -> None:
        if not set(self.reached) <= set(self.members):
            raise InvalidValueError("'reached' of GroupReach must be members of the group.")

    @property
    def not_reached(self) -> tuple[str, ...]:
        """The members who took part in none of the group's activities in the period."""
        got = set(self.reached)
        return tuple(m for m in self.members if m not in got)

    @property
    def rate(self) -> tuple[int, int]:
        """Reached and members, as a pair (an exact fraction; ``(0, 0)`` for an empty group)."""
        return len(self.reached), len(self.members)


def reach(
    activities: Iterable[Activity],
    residents: Iterable[Resident],
    participations: Iterable[Participation],
    *,
    period: Period,
    grid: GridGraph,
    on: date | None = None,
) -> tuple[GroupReach, ...]:
    """Per group (an activity's unit, criteria and name), who took part in any of its
    activities in *period* and who was not reached.

    A resident is in the group if the criteria match their file on *on* (default: the
    period's last day) and their household lies in the activity's unit.  Groups come in the
    order of their first activity; members are sorted by id.

    Raises:
        InvalidValueError: for a participation in an activity not given.
        UnknownPlaceError: for a resident whose household the grid does not know.

    Example:
        >>> from datetime import date
        >>> from gridgov import Criteria, Frequency, Grain, Period
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> elders = Activity(id="a1", name="书法展", unit="yx", group=Criteria(min_age=80),
        ...                   group_name="高龄老人", schedule=Frequency.quarterly())
        >>> [r] = reach([elders], sample_residents(), [], grid=sample_grid(),
        ...             period=Period.of(date(2026, 10, 1), Grain.QUARTER))
        >>> r.rate[0], r.rate[1] == len(r.not_reached)
        (0, True)
    """
    if not isinstance(period, Period):
        raise v.refuse("period", None, "a Period", period)
    if not isinstance(grid, GridGraph):
        raise v.refuse("grid", None, "a GridGraph", grid)
    day = period.end - timedelta(days=1) if on is None else v.check_date("on", on)
    known = _by_id(activities)
    groups: dict[tuple[str, Criteria, str], list[Activity]] = {}
    for a in known.values():
        groups.setdefault((a.unit, a.group, a.group_name), []).append(a)
    files = []
    for r in v.check_items("residents", residents):
        if not isinstance(r, Resident):
            raise v.refuse("residents", None, "a collection of Resident values", r)
        files.append(r)
    took: dict[str, set[str]] = {}
    for p in _participations(participations, known):
        if period.start <= p.on < period.end:
            took.setdefault(p.activity, set()).add(p.person)
    out = []
    for (unit_id, criteria, name), acts in groups.items():
        unit = grid.unit(unit_id)
        members = sorted(
            r.id
            for r in files
            if any(u.id == unit_id for u in grid.place_chain(r.household))
            and criteria.matches(r, on=day)
        )
        came = set().union(*(took.get(a.id, set()) for a in acts))
        reached = [m for m in members if m in came]
        who = criteria.describe()
        out.append(
            GroupReach(
                group_name=name,
                group=criteria,
                unit=unit_id,
                period=period,
                activities=[a.id for a in acts],
                members=members,
                reached=reached,
                reason=Reason(
                    zh=f"{unit.name}{name}（{who.zh}）{period.label}：共{len(members)}人，"
                    f"参加{len(reached)}人，未覆盖{len(members) - len(reached)}人",
                    en=f"{unit.name} {name} ({who.en}) {period.label}: {len(members)} in the "
                    f"group, {len(reached)} took part, {len(members) - len(reached)} not reached",
                    refs=[Ref(kind="unit", id=unit_id, name=unit.name)],
                ),
            )
        )
    return tuple(out)
