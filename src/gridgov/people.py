"""People and partners: personal files (一人一档), grid-team members and partners.

* :class:`Resident` is the personal file of a monitored resident: birth date, household and
  conditions (独居, 孤寡, disability, …), each with an optional validity window ``[start, end)``
  so that a temporary state such as an injury expires by itself.
* :class:`Member` is a person of the grid team, holding :class:`Post` s (a :class:`Role` at a
  unit) and skills.
* :class:`Partner` is an organisation the grid links up with (物业, 共建单位, police …), with the
  categories of need it serves and the units it covers.

Members and partners are placed into a :class:`~gridgov.grid.GridGraph`, which validates
their units and answers "who leads this unit" and "who is posted below it".

Example:
    >>> from datetime import date
    >>> from gridgov import Condition, Resident
    >>> lu = Resident(id="r1", name="吕阿姨", household="h-0101", birth_date=date(1948, 3, 2),
    ...               conditions=[Condition(kind="living_alone"),
    ...                           Condition(kind="injured", start=date(2026, 11, 20),
    ...                                     end=date(2026, 12, 20))])
    >>> sorted(lu.conditions_on(date(2026, 11, 29))), sorted(lu.conditions_on(date(2026, 12, 20)))
    (['injured', 'living_alone'], ['living_alone'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError, UnknownResidentError
from gridgov.serialize import register

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.issues import CategoryCatalogue

__all__ = [
    "CONDITION_KINDS",
    "MAX_CONDITIONS",
    "Condition",
    "ConditionKind",
    "Member",
    "Partner",
    "PartnerKind",
    "Post",
    "Resident",
    "ResidentFiles",
    "Role",
    "birthday",
]

MAX_CONDITIONS = 100
"""The most conditions a personal file may record."""


def birthday(birth: date, years: int) -> date:
    """The day a person born on *birth* turns *years* old: the one birthday rule of gridgov.

    A 29 February birthday counts on 1 March in a common year.

    Example:
        >>> from datetime import date
        >>> birthday(date(1960, 2, 29), 66), birthday(date(1960, 2, 29), 64)
        (datetime.date(2026, 3, 1), datetime.date(2024, 2, 29))
    """
    year = birth.year + years
    if (
        birth.month == 2
        and birth.day == 29
        and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    ):
        return date(year, 3, 1)
    return date(year, birth.month, birth.day)


# --------------------------------------------------------------------------- conditions


@register
@attrs.frozen(kw_only=True)
class ConditionKind:
    """A kind of condition a personal file can record, with English and Chinese labels.

    Example:
        >>> CONDITION_KINDS["living_alone"].zh
        '独居'
    """

    code: str = attrs.field(validator=v.code)
    label: str = attrs.field(validator=v.name)
    zh: str = attrs.field(validator=v.name)


CONDITION_KINDS: Mapping[str, ConditionKind] = MappingProxyType(
    {
        k.code: k
        for k in (
            ConditionKind(code="living_alone", label="living alone", zh="独居"),
            ConditionKind(code="no_family_support", label="no family support", zh="孤寡"),
            ConditionKind(code="empty_nest", label="empty-nest", zh="空巢"),
            ConditionKind(code="left_behind", label="left-behind", zh="留守"),
            ConditionKind(code="disabled", label="disability", zh="残疾"),
            ConditionKind(code="incapacitated", label="loss of self-care", zh="失能"),
            ConditionKind(code="chronic_illness", label="chronic illness", zh="慢性病"),
            ConditionKind(code="seriously_ill", label="seriously ill", zh="重病"),
            ConditionKind(code="dementia", label="dementia", zh="失智"),
            ConditionKind(code="low_income", label="minimum living allowance", zh="低保"),
            ConditionKind(code="extreme_poverty", label="extreme poverty support", zh="特困"),
            ConditionKind(code="recently_discharged", label="recently discharged", zh="刚出院"),
            ConditionKind(code="injured", label="injured", zh="受伤"),
        )
    }
)
"""The default condition kinds, by code (read-only).  Files may use other codes; these carry
labels."""


@register
@attrs.frozen(kw_only=True)
class Condition:
    """A condition on a personal file, in force on days in ``[start, end)``.

    ``start=None`` means "since before the file"; ``end=None`` means "until further notice".

    Example:
        >>> from datetime import date
        >>> c = Condition(kind="injured", start=date(2026, 11, 20), end=date(2026, 12, 20))
        >>> c.in_force(date(2026, 11, 20)), c.in_force(date(2026, 12, 20))
        (True, False)
    """

    kind: str = attrs.field(validator=v.code)
    start: date | None = attrs.field(default=None, validator=v.optional(v.plain_date))
    end: date | None = attrs.field(default=None, validator=v.optional(v.plain_date))
    note: str = attrs.field(default="", validator=v.personal_text, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InvalidValueError(
                f"'end' of Condition {self.kind!r} must be after its start "
                f"{self.start.isoformat()} (got {self.end.isoformat()})."
            )

    def in_force(self, day: date) -> bool:
        """Whether the condition holds on *day*.

        Example:
            >>> from datetime import date
            >>> Condition(kind="dementia").in_force(date(2000, 1, 1))
            True
        """
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    @property
    def label(self) -> str:
        """The condition's English name (its code for a kind without labels).

        Example:
            >>> Condition(kind="living_alone").label
            'living alone'
        """
        kind = CONDITION_KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def zh(self) -> str:
        """The condition's Chinese name (its code for a kind without labels).

        Example:
            >>> Condition(kind="living_alone").zh
            '独居'
        """
        kind = CONDITION_KINDS.get(self.kind)
        return kind.zh if kind else self.kind

    def describe(self) -> str:
        """The condition as a grid worker reads it: ``'独居 living alone'``.

        Example:
            >>> Condition(kind="dementia").describe()
            '失智 dementia'
        """
        kind = CONDITION_KINDS.get(self.kind)
        return f"{kind.zh} {kind.label}" if kind else self.kind


@register
@attrs.frozen(kw_only=True)
class Resident:
    """The personal file (一人一档) of a resident under grid care.

    Attributes:
        id: the resident's id.
        name: the resident's name.
        household: the id of the household (a place of the grid) they live in.
        birth_date: the date of birth.
        conditions: the recorded conditions, each with its validity window.
        file_opened: the day the file was opened, if known (records cannot predate it).
        tracked_since: for a file imported without its visit history, the day its visits
            began to be tracked: no visit is owed before it (see :meth:`owed_from`).
        tags: free household facts or group labels an app wants to match on
            (``"party_member"``, ``"youth"``…).

    Example:
        >>> from datetime import date
        >>> r = Resident(id="r2", name="王阿姨", household="h-0202", birth_date=date(1960, 2, 29))
        >>> r.age_on(date(2026, 2, 28)), r.age_on(date(2026, 3, 1))
        (65, 66)
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.personal_name, repr=False)
    household: str = attrs.field(validator=v.ident, repr=False)
    birth_date: date = attrs.field(validator=v.personal_date, repr=False)
    conditions: tuple[Condition, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Condition)), repr=False
    )
    file_opened: date | None = attrs.field(default=None, validator=v.optional(v.plain_date), repr=False)
    tracked_since: date | None = attrs.field(default=None, validator=v.optional(v.plain_date), repr=False)
    tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code), repr=False
    )

    standing_conditions: str | frozenset[str] | None = attrs.field(init=False, eq=False, repr=False)
    """For sweeps over a city (advanced), the kinds of the conditions when none has a validity
    window — the one kind as a str, or a frozenset of them (empty for none) — so that a sweep
    reads one field instead of the conditions; ``None`` when some condition has a window and
    what is in force must be worked out for the day."""

    def __attrs_post_init__(self) -> None:
        conds = self.conditions
        if len(conds) > MAX_CONDITIONS:
            raise InvalidValueError(
                f"'conditions' of Resident {self.id!r} must hold at most {MAX_CONDITIONS} "
                f"conditions (got {len(conds)})."
            )
        if self.file_opened is not None and self.file_opened < self.birth_date:
            raise InvalidValueError(
                f"'file_opened' of Resident {self.id!r} must not precede the birth date."
            )
        since, first = self.tracked_since, self.file_opened or self.birth_date
        if since is not None and since < first:
            day = "day the file was opened" if self.file_opened else "birth date"
            expected = f"on or after the {day}"
            raise v.refuse("tracked_since", f"Resident {self.id!r}", expected, since, personal=True)
        kinds: str | frozenset[str] | None = None
        if all(c.start is None and c.end is None for c in conds):
            kinds = conds[0].kind if len(conds) == 1 else frozenset([c.kind for c in conds])
        object.__setattr__(self, "standing_conditions", kinds)

    def owed_from(self) -> date:
        """The first day a visit can be owed: ``tracked_since`` if given, else the day the
        file was opened (the birth date if unknown).

        Example:
            >>> from datetime import date
            >>> Resident(id="r", name="n", household="h", birth_date=date(1946, 11, 29),
            ...          tracked_since=date(2026, 11, 1)).owed_from()
            datetime.date(2026, 11, 1)
        """
        return self.tracked_since or self.file_opened or self.birth_date

    def age_on(self, day: date) -> int:
        """Age in whole years on *day* (a 29 February birthday counts on 1 March).

        Example:
            >>> from datetime import date
            >>> Resident(id="r", name="n", household="h", birth_date=date(1946, 11, 29)).age_on(
            ...     date(2026, 11, 29))
            80
        """
        v.check_date("day", day)
        if day < self.birth_date:
            raise InvalidValueError(
                f"'day' must not precede the birth date of Resident {self.id!r}."
            )
        years = day.year - self.birth_date.year
        return years - 1 if birthday(self.birth_date, years) > day else years

    def conditions_on(self, day: date) -> frozenset[str]:
        """The codes of the conditions in force on *day*.

        Example:
            >>> from datetime import date
            >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 1, 1),
            ...              conditions=[Condition(kind="dementia", start=date(2025, 1, 1))])
            >>> r.conditions_on(date(2024, 12, 31)), r.conditions_on(date(2025, 1, 1))
            (frozenset(), frozenset({'dementia'}))
        """
        return frozenset(c.kind for c in self.conditions if c.in_force(day))

    def with_condition(self, condition: Condition) -> Resident:
        """A copy of the file with *condition* added.

        Example:
            >>> from datetime import date
            >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 1, 1))
            >>> r.with_condition(Condition(kind="living_alone")).conditions_on(date(2026, 1, 1))
            frozenset({'living_alone'})
        """
        return attrs.evolve(self, conditions=(*self.conditions, condition))


class ResidentFiles(Mapping[str, Resident]):
    """Personal files by resident id: an immutable index built once and kept.

    Build it from residents (their ids become the keys, so the two cannot disagree) or from
    a mapping, which is checked: every key must be its file's id.  Routers and sweeps take
    the files per call; a caller routing many issues builds the index once and passes it
    each time, where a plain mapping is checked again on every call.

    Raises:
        InvalidValueError: for something that is not a :class:`Resident`, a mapping whose
            key is not its file's id, or two files with one id.

    Example:
        >>> from datetime import date
        >>> files = ResidentFiles([Resident(id="r1", name="吕阿姨", household="h-1",
        ...                                 birth_date=date(1948, 3, 2))])
        >>> "r1" in files, len(files), files["r1"].household
        (True, 1, 'h-1')
        >>> ResidentFiles({"h-1": files["r1"]})
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'residents' must map each resident's id to their file (got key 'h-1' for the file of resident 'r1').
    """

    __slots__ = ("_files",)

    _files: Mapping[str, Resident]

    def __init__(self, residents: Iterable[Resident] | Mapping[str, Resident] = ()) -> None:
        files: dict[str, Resident] = {}
        if isinstance(residents, ResidentFiles):
            files = dict(residents._files)
        elif isinstance(residents, Mapping):
            for key, r in residents.items():
                if not isinstance(r, Resident):
                    raise v.refuse("residents", None, "a mapping of resident id to Resident", r)
                if key != r.id:
                    raise InvalidValueError(
                        f"'residents' must map each resident's id to their file (got key "
                        f"{v.show(key)} for the file of resident {r.id!r})."
                    )
                files[key] = r
        else:
            for r in v.check_items("residents", residents):
                if not isinstance(r, Resident):
                    raise v.refuse("residents", None, "a collection of Resident values", r)
                if r.id in files:
                    raise InvalidValueError(
                        f"'residents' must hold one file per resident (got {v.show(r.id)} twice)."
                    )
                files[r.id] = r
        object.__setattr__(self, "_files", MappingProxyType(files))

    @classmethod
    def of(cls, residents: ResidentFiles | Mapping[str, Resident] | None) -> ResidentFiles:
        """*residents* as an index: itself if it is one already, else a new, checked one
        (``None`` gives an empty index).

        Example:
            >>> ResidentFiles.of(None)
            ResidentFiles(0 files)
        """
        if isinstance(residents, ResidentFiles):
            return residents
        if residents is None:
            return _NO_FILES
        if not isinstance(residents, Mapping):
            raise v.refuse(
                "residents",
                None,
                "a ResidentFiles or a mapping of resident id to Resident",
                residents,
                personal=True,
            )
        return cls(residents)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("ResidentFiles is immutable")

    def __getitem__(self, resident_id: str) -> Resident:
        try:
            return self._files[resident_id]
        except (KeyError, TypeError):
            raise UnknownResidentError(
                f"resident {v.show(resident_id)} has no file among the residents given."
            ) from None

    def get(self, resident_id: str, default: Resident | None = None) -> Resident | None:  # type: ignore[override]
        """The file of *resident_id*, or *default*.

        Example:
            >>> ResidentFiles().get("r-nobody") is None
            True
        """
        return self._files.get(resident_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, resident_id: object) -> bool:
        return resident_id in self._files

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ResidentFiles):
            return self._files == other._files
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._files.items()))

    def __repr__(self) -> str:
        return f"ResidentFiles({len(self._files)} files)"

    def __reduce__(self) -> tuple[object, ...]:
        return (ResidentFiles, (tuple(self._files.values()),))


_NO_FILES = ResidentFiles()


# --------------------------------------------------------------------------- roles and members


class Role(LabelledEnum):
    """A role a member holds at a unit.  Leading roles make the holder the unit's leader.

    Example:
        >>> Role.MICRO_GRID_LEADER.zh, Role.MICRO_GRID_LEADER.leads
        ('微网格长', True)
        >>> Role.VOLUNTEER.leads
        False
    """

    SUBDISTRICT_HEAD = "subdistrict_head"
    SECRETARY = "secretary"
    GRID_LEADER = "grid_leader"
    MICRO_GRID_LEADER = "micro_grid_leader"
    GRID_WORKER = "grid_worker"
    COURTYARD_HEAD = "courtyard_head"
    VOLUNTEER = "volunteer"
    PARTY_MEMBER = "party_member"
    POLICE_OFFICER = "police_officer"
    CADRE = "cadre"

    __zh__: ClassVar[Mapping[str, str]] = {
        "subdistrict_head": "街道书记",
        "secretary": "社区书记",
        "grid_leader": "网格长",
        "micro_grid_leader": "微网格长",
        "grid_worker": "网格员",
        "courtyard_head": "楼院长",
        "volunteer": "志愿者",
        "party_member": "党员",
        "police_officer": "片区民警",
        "cadre": "包联干部",
    }

    @property
    def leads(self) -> bool:
        """Whether holding this role at a unit makes one its leader."""
        return self in _LEADING


_LEADING = frozenset(
    {Role.SUBDISTRICT_HEAD, Role.SECRETARY, Role.GRID_LEADER, Role.MICRO_GRID_LEADER}
)


@register
@attrs.frozen(kw_only=True)
class Post:
    """A role held at a unit of the grid.

    Example:
        >>> Post(role=Role.GRID_LEADER, unit="g1")
        Post(role=<Role.GRID_LEADER: 'grid_leader'>, unit='g1')
    """

    role: Role = attrs.field(validator=v.is_a(Role))
    unit: str = attrs.field(validator=v.ident)


@register
@attrs.frozen(kw_only=True)
class Member:
    """A person of the grid team, with posts and skills (人才信息库).

    Example:
        >>> m = Member(id="m-li", name="李燕明", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="mg1")],
        ...            skills={"appliance_repair"})
        >>> m.units
        frozenset({'mg1'})
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.personal_name)
    posts: tuple[Post, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Post))
    )
    skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )

    @property
    def units(self) -> frozenset[str]:
        """The units this member holds a post at.

        Example:
            >>> Member(id="m", name="n").units
            frozenset()
        """
        return frozenset(p.unit for p in self.posts)


# --------------------------------------------------------------------------- partners


class PartnerKind(LabelledEnum):
    """The kinds of partner a grid links up with (联动).

    Example:
        >>> PartnerKind.PROPERTY_MANAGEMENT.zh
        '物业'
    """

    PROPERTY_MANAGEMENT = "property_management"
    CO_BUILDING_UNIT = "co_building_unit"
    POLICE_STATION = "police_station"
    SOCIAL_ORGANISATION = "social_organisation"
    GOVERNMENT_DEPARTMENT = "government_department"
    HEALTH_CENTRE = "health_centre"
    VOLUNTEER_TEAM = "volunteer_team"
    ENTERPRISE = "enterprise"

    __zh__: ClassVar[Mapping[str, str]] = {
        "property_management": "物业",
        "co_building_unit": "共建单位",
        "police_station": "派出所",
        "social_organisation": "社会组织",
        "government_department": "职能部门",
        "health_centre": "社区卫生服务中心",
        "volunteer_team": "志愿服务队",
        "enterprise": "非公企业",
    }


@register
@attrs.frozen(kw_only=True)
class Partner:
    """An organisation the grid links up with, the needs it serves and the units it covers.

    Attributes:
        categories: codes of the issue categories it serves (empty: any).
        units: ids of the units it covers; it also covers everything below them.

    Example:
        >>> p = Partner(id="p-wy", name="美好人家物业", kind=PartnerKind.PROPERTY_MANAGEMENT,
        ...             categories={"facility_repair"}, units={"mg1"})
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> p.serves("facility_repair", DEFAULT_CATALOGUE), p.serves("dispute", DEFAULT_CATALOGUE)
        (True, False)
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    kind: PartnerKind = attrs.field(validator=v.is_a(PartnerKind))
    categories: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    units: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.ident)
    )

    def serves(self, category: str, catalogue: CategoryCatalogue) -> bool:
        """Whether the partner serves issues of *category* (an empty set serves any).

        A partner serving a category serves the categories that refine it in *catalogue*
        (a 物业 serving ``facility_repair`` serves ``lift_repair``).

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> p = Partner(id="p", name="志愿服务队", kind=PartnerKind.VOLUNTEER_TEAM,
            ...             categories={"volunteer_service"})
            >>> p.serves("housekeeping", DEFAULT_CATALOGUE), p.serves("dispute", DEFAULT_CATALOGUE)
            (True, False)
        """
        if not self.categories:
            return True
        return not self.categories.isdisjoint(catalogue.lineage(category))
