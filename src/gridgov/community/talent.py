"""The talent library (人才信息库): skills, willingness to serve (服务意愿) and service posts (岗位).

* :class:`Skill` and :class:`SkillCatalogue` — what people can do, with Chinese labels and
  optional levels; :data:`DEFAULT_SKILLS` has the services the seed reports name.
* :class:`Willingness` — which kinds of service a person offers, how many hours per week or
  month (:class:`Span`), the units they will travel to, on which weekdays, from when to when,
  and how many visits a day they can make.
* :class:`Talent` — a person in the library: a grid-team :class:`~gridgov.Member` (volunteers
  and party members are members), a resident with a personal file, or a partner's staff,
  referred to by the id they already have; their skills, levels and willingness.
* :class:`ServicePost` — a post (岗位) a unit sets up: the skills it needs, its hours and how
  many people.
* :class:`TalentLibrary` — all of it, checked: skills in the catalogue, one entry per person.

The library is the one home of a person's availability: :func:`gridgov.community.match_needs`
reads it for matching, and :func:`gridgov.visits.plan_visits` for each member's own daily
capacity and working days.

Example:
    >>> from datetime import date
    >>> from gridgov import Member, Post, Role
    >>> li = Member(id="m-li", name="李燕明", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="mg31")],
    ...             skills={"appliance_repair"})
    >>> t = Talent.of_member(li, willingness=Willingness(hours=4, per=Span.WEEK,
    ...                                                    weekdays={0, 2, 4}))
    >>> lib = TalentLibrary(talents=[t])
    >>> lib.daily_visits("m-li", date(2026, 11, 30)), lib.daily_visits("m-li", date(2026, 12, 1))
    (None, 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.community._rules import check_levels, hours_in, levels_map
from gridgov.community._skills import Skill, SkillCatalogue, SkillLevel
from gridgov.errors import InvalidValueError, PolicyError, UnknownMemberError
from gridgov.issues import CategoryCatalogue
from gridgov.people import Member
from gridgov.reasons import RefKind
from gridgov.serialize import register

__all__ = [
    "DEFAULT_SKILLS",
    "MAX_HOURS",
    "MAX_TALENTS",
    "ServicePost",
    "Skill",
    "SkillCatalogue",
    "SkillLevel",
    "Span",
    "Talent",
    "TalentKind",
    "TalentLibrary",
    "Willingness",
]

MAX_HOURS = 744
"""The most hours a person can offer or a post can need in one span (a month of 31 days)."""
MAX_TALENTS = 1_000_000
"""The most people (and posts) one library may hold."""
_MAX_VISITS = 1_000
_WEEKDAYS_ZH = "一二三四五六日"


# --------------------------------------------------------------------------- skills

_LEVELS = ("入门", "熟练", "专业")
DEFAULT_SKILLS = SkillCatalogue(
    name="默认技能目录",
    skills=[
        Skill(code="appliance_repair", label="appliance repair", zh="电器维修", levels=_LEVELS),
        Skill(code="plumbing", label="plumbing and wiring", zh="水电维修", levels=_LEVELS),
        Skill(code="housekeeping", label="housekeeping", zh="家政"),
        Skill(code="health_care", label="everyday health care", zh="日常保健", levels=_LEVELS),
        Skill(code="first_aid", label="first aid", zh="急救"),
        Skill(code="elder_care", label="elder care", zh="助老服务"),
        Skill(code="mediation", label="dispute mediation", zh="矛盾调解", levels=_LEVELS),
        Skill(code="legal_advice", label="legal advice", zh="法律咨询", levels=_LEVELS),
        Skill(code="policy_outreach", label="policy outreach", zh="政策宣讲"),
        Skill(code="tutoring", label="tutoring", zh="课业辅导"),
        Skill(code="calligraphy", label="calligraphy and painting", zh="书画"),
        Skill(code="flower_arranging", label="flower arranging", zh="插花"),
        Skill(code="baking", label="baking", zh="蛋糕制作"),
        Skill(code="performing", label="performing arts", zh="文艺演出"),
        Skill(code="digital_help", label="phone and computer help", zh="智能手机教学"),
        Skill(code="haircut", label="haircut", zh="理发"),
    ],
)
"""The skills of the seed reports (volunteer services, mediation, activities), with levels
where they matter."""


# --------------------------------------------------------------------------- willingness


class Span(LabelledEnum):
    """The span a person's offered hours (or a post's hours) are counted over.

    Example:
        >>> Span.WEEK.zh, Span.MONTH.zh
        ('每周', '每月')
    """

    WEEK = "week"
    MONTH = "month"

    __zh__: ClassVar[Mapping[str, str]] = {"week": "每周", "month": "每月"}


@register
@attrs.frozen(kw_only=True)
class Willingness:
    """服务意愿: what a person is willing to do, how much and where.

    Attributes:
        kinds: codes of the issue categories (kinds of service) they offer; empty: any.
        hours: hours they offer per *per*.
        per: the span the hours are counted over.
        units: ids of the units they will travel to (and everything below them); empty: the
            community they live or serve in (the top of their home unit's chain).
        weekdays: the days of the week they serve (0 = Monday … 6 = Sunday); empty: every day.
        start: the first day they serve, if limited.
        end: the first day they no longer serve (``[start, end)``), if limited.
        visits_per_day: the household visits a day they can make, for visit plans (``None``:
            the plan's own capacity per member).

    Example:
        >>> from datetime import date
        >>> w = Willingness(hours=8, per=Span.MONTH, weekdays={5, 6},
        ...                 start=date(2026, 9, 1), end=date(2027, 1, 1))
        >>> w.serves_on(date(2026, 11, 28)), w.serves_on(date(2026, 11, 30))
        (True, False)
        >>> w.describe_zh()
        '每月8小时，周六、日'
    """

    hours: int = attrs.field(validator=v.integer(0, MAX_HOURS))
    per: Span = attrs.field(default=Span.WEEK, validator=v.is_a(Span))
    kinds: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    units: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.ident)
    )
    weekdays: frozenset[int] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.integer(0, 6))
    )
    start: date | None = attrs.field(default=None, validator=v.optional(v.plain_date))
    end: date | None = attrs.field(default=None, validator=v.optional(v.plain_date))
    visits_per_day: int | None = attrs.field(
        default=None, validator=v.optional(v.integer(0, _MAX_VISITS))
    )

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InvalidValueError(
                f"'end' of Willingness must be after its start {self.start.isoformat()} "
                f"(got {self.end.isoformat()})."
            )

    def in_force(self, day: date) -> bool:
        """Whether *day* is within ``[start, end)``.

        Example:
            >>> from datetime import date
            >>> Willingness(hours=2, end=date(2026, 12, 1)).in_force(date(2026, 12, 1))
            False
        """
        v.check_date("day", day)
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def serves_on(self, day: date) -> bool:
        """Whether they serve on *day*: in force, and one of their weekdays.

        Example:
            >>> from datetime import date
            >>> Willingness(hours=2, weekdays={0}).serves_on(date(2026, 11, 30))
            True
        """
        return self.in_force(day) and (not self.weekdays or day.weekday() in self.weekdays)

    def hours_per(self, span: Span) -> int:
        """The hours offered per *span* (a month counts as 52/12 weeks, rounded down).

        Example:
            >>> Willingness(hours=4, per=Span.WEEK).hours_per(Span.MONTH)
            17
            >>> Willingness(hours=10, per=Span.MONTH).hours_per(Span.WEEK)
            2
        """
        v.check_instance("span", span, Span)
        return hours_in(self.hours, self.per, span)

    def offers(self, category: str | None, catalogue: CategoryCatalogue) -> bool:
        """Whether they offer service of *category* (``None``: a need of no category, such
        as a post; a kind covers the categories that refine it in *catalogue*).

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> w = Willingness(hours=2, kinds={"volunteer_service"})
            >>> w.offers("housekeeping", DEFAULT_CATALOGUE), w.offers("dispute", DEFAULT_CATALOGUE)
            (True, False)
        """
        if category is None or not self.kinds:
            return True
        return not self.kinds.isdisjoint(catalogue.lineage(category))

    def describe_zh(self) -> str:
        """The hours and days in Chinese, for reasons: ``'每周4小时，周一、三'``.

        Example:
            >>> Willingness(hours=4).describe_zh()
            '每周4小时'
        """
        days = "、".join(_WEEKDAYS_ZH[d] for d in sorted(self.weekdays))
        return f"{self.per.zh}{self.hours}小时" + (f"，周{days}" if days else "")


# --------------------------------------------------------------------------- people


class TalentKind(LabelledEnum):
    """Who a person in the talent library is, which says what their id refers to.

    Example:
        >>> TalentKind.MEMBER.zh, TalentKind.RESIDENT.ref_kind
        ('网格成员', 'resident')
    """

    MEMBER = "member"
    RESIDENT = "resident"
    PARTNER_STAFF = "partner_staff"

    __zh__: ClassVar[Mapping[str, str]] = {
        "member": "网格成员",
        "resident": "热心居民",
        "partner_staff": "共建单位人员",
    }

    @property
    def ref_kind(self) -> RefKind:
        """The :class:`~gridgov.Ref` kind a reason names the person by."""
        if self is TalentKind.MEMBER:
            return "member"
        return "resident" if self is TalentKind.RESIDENT else "person"


@register
@attrs.frozen(kw_only=True)
class Talent:
    """A person in the talent library, referred to by the id they already have.

    Attributes:
        id: a :class:`~gridgov.Member` id (grid team, volunteers, party members), a
            :class:`~gridgov.Resident` id, or for a partner's staff their own id.
        name: the name reasons show.
        kind: what the id refers to.
        home: the unit they live or are posted in (proximity is counted from it).
        skills: skill codes.
        levels: levels of some of the skills (a skill without one is level 1).
        willingness: what they are willing to do (服务意愿).
        partner: for a partner's staff, the partner's id.

    Example:
        >>> t = Talent(id="r-wang", name="王师傅", kind=TalentKind.RESIDENT, home="mg32",
        ...            skills={"plumbing"}, levels=[SkillLevel(skill="plumbing", level=3)],
        ...            willingness=Willingness(hours=3))
        >>> t.level("plumbing"), t.level("haircut")
        (3, 0)
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.personal_name, repr=False)
    kind: TalentKind = attrs.field(validator=v.is_a(TalentKind))
    home: str = attrs.field(validator=v.ident)
    willingness: Willingness = attrs.field(validator=v.is_a(Willingness))
    skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    levels: tuple[SkillLevel, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(SkillLevel))
    )
    partner: str | None = attrs.field(default=None, validator=v.optional(v.ident))

    def __attrs_post_init__(self) -> None:
        check_levels(self.skills, self.levels, self)
        if (self.partner is not None) != (self.kind is TalentKind.PARTNER_STAFF):
            raise v.refuse(
                "partner", self, "given for a partner's staff and only for them", self.partner
            )

    @classmethod
    def of_member(
        cls,
        member: Member,
        *,
        willingness: Willingness,
        levels: tuple[SkillLevel, ...] | list[SkillLevel] = (),
        home: str | None = None,
    ) -> Talent:
        """A grid-team member in the library: id, name and skills from the
        :class:`~gridgov.Member`, home the unit of their first post unless *home* is given.

        Raises:
            InvalidValueError: for a member with no post and no *home*.

        Example:
            >>> from gridgov import Member, Post, Role
            >>> m = Member(id="m-pm1", name="党员001", skills={"housekeeping"},
            ...            posts=[Post(role=Role.PARTY_MEMBER, unit="c01")])
            >>> t = Talent.of_member(m, willingness=Willingness(hours=2))
            >>> t.home, sorted(t.skills), t.kind.zh
            ('c01', ['housekeeping'], '网格成员')
        """
        v.check_instance("member", member, Member)
        if home is None:
            if not member.posts:
                raise v.refuse("home", "Talent.of_member", "given for a member with no post", None)
            home = member.posts[0].unit
        return cls(
            id=member.id,
            name=member.name,
            kind=TalentKind.MEMBER,
            home=home,
            skills=member.skills,
            levels=levels,
            willingness=willingness,
        )

    def level(self, skill: str) -> int:
        """The level held in *skill*: 0 without it, 1 if held with no level recorded.

        Example:
            >>> Talent(id="m", name="n", kind=TalentKind.MEMBER, home="u", skills={"baking"},
            ...        willingness=Willingness(hours=1)).level("baking")
            1
        """
        if skill not in self.skills:
            return 0
        return levels_map(self.levels).get(skill, 1)


# --------------------------------------------------------------------------- posts


@register
@attrs.frozen(kw_only=True)
class ServicePost:
    """A service post (岗位) a unit sets up: the skills it needs, its hours, how many people.

    Attributes:
        unit: the unit that sets it up (and where it serves).
        skills: the skills each holder needs.
        levels: the least level of some of the skills.
        hours: hours each holder gives per *per*.
        people: how many holders it needs.
        category: the kind of service (an issue category), if any, matched against
            willingness.

    Example:
        >>> p = ServicePost(id="post-repair", name="家电义修岗", unit="c01",
        ...                 skills={"appliance_repair"}, hours=2, people=2)
        >>> p.people, p.per.zh
        (2, '每周')
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    hours: int = attrs.field(validator=v.integer(1, MAX_HOURS))
    per: Span = attrs.field(default=Span.WEEK, validator=v.is_a(Span))
    people: int = attrs.field(default=1, validator=v.integer(1, 10_000))
    skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    levels: tuple[SkillLevel, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(SkillLevel))
    )
    category: str | None = attrs.field(default=None, validator=v.optional(v.code))

    def __attrs_post_init__(self) -> None:
        check_levels(self.skills, self.levels, self)


# --------------------------------------------------------------------------- the library


@register
@attrs.frozen(kw_only=True)
class TalentLibrary:
    """人才信息库: the people who can help and the posts units have set up, checked.

    Raises:
        PolicyError: for a skill not in the catalogue or a level beyond the skill's levels.
        InvalidValueError: for two entries of one person or two posts with one id.

    Example:
        >>> lib = TalentLibrary(talents=[
        ...     Talent(id="r-1", name="张阿姨", kind=TalentKind.RESIDENT, home="c01",
        ...            skills={"housekeeping"}, willingness=Willingness(hours=2))])
        >>> [t.name for t in lib.with_skill("housekeeping")], len(lib)
        (['张阿姨'], 1)
    """

    talents: tuple[Talent, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Talent))
    )
    posts: tuple[ServicePost, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(ServicePost))
    )
    catalogue: SkillCatalogue = attrs.field(
        default=DEFAULT_SKILLS, validator=v.is_a(SkillCatalogue)
    )
    _by_id: Mapping[str, Talent] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if len(self.talents) > MAX_TALENTS or len(self.posts) > MAX_TALENTS:
            raise v.refuse("talents", self, f"at most {MAX_TALENTS:,} entries", len(self.talents))
        by_id: dict[str, Talent] = {}
        for t in self.talents:
            if t.id in by_id:
                raise v.refuse("talents", self, "one entry per person", t.id)
            by_id[t.id] = t
            self._check_skills(t.skills, t.levels)
        post_ids: set[str] = set()
        for p in self.posts:
            if p.id in post_ids:
                raise v.refuse("posts", self, "posts with distinct ids", p.id)
            post_ids.add(p.id)
            self._check_skills(p.skills, p.levels)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    def _check_skills(self, skills: frozenset[str], levels: tuple[SkillLevel, ...]) -> None:
        for s in skills:
            self.catalogue[s]
        for lv in levels:
            most = len(self.catalogue[lv.skill].levels)
            if lv.level > max(most, 1):
                raise PolicyError(
                    f"'level' of skill {lv.skill!r} must be from 1 to {max(most, 1)} in skill "
                    f"catalogue {self.catalogue.name!r} (got {lv.level})."
                )

    def __len__(self) -> int:
        return len(self.talents)

    def __contains__(self, person: object) -> bool:
        return person in self._by_id

    def talent(self, person: str) -> Talent:
        """The entry of *person*.

        Raises:
            UnknownMemberError: (a ``KeyError``) if the library has none.

        Example:
            >>> TalentLibrary().talent("m-x")
            Traceback (most recent call last):
            ...
            gridgov.errors.UnknownMemberError: person 'm-x' is not in the talent library.
        """
        try:
            return self._by_id[person]
        except (KeyError, TypeError):
            raise UnknownMemberError(
                f"person {v.show(person)} is not in the talent library."
            ) from None

    def with_skill(self, skill: str, level: int = 1) -> tuple[Talent, ...]:
        """The people holding *skill* at *level* or above, in library order.

        Example:
            >>> TalentLibrary().with_skill("housekeeping")
            ()
        """
        self.catalogue[skill]
        return tuple(t for t in self.talents if t.level(skill) >= level)

    def daily_visits(self, member: str, day: date) -> int | None:
        """The household visits *member* can make on *day*, from their willingness: 0 on a
        day they do not serve, their ``visits_per_day`` otherwise, ``None`` when the library
        says nothing (not in it, or no daily figure: the plan's own capacity applies).

        Example:
            >>> from datetime import date
            >>> lib = TalentLibrary(talents=[Talent(
            ...     id="m-p", name="兼职微网格长", kind=TalentKind.MEMBER, home="mg31",
            ...     willingness=Willingness(hours=6, weekdays={5}, visits_per_day=3))])
            >>> lib.daily_visits("m-p", date(2026, 11, 28)), lib.daily_visits("m-p", date(2026, 11, 27))
            (3, 0)
        """
        found = self._by_id.get(member)
        if found is None:
            return None
        w = found.willingness
        if not w.serves_on(day):
            return 0
        return w.visits_per_day

    def with_talents(self, talents: tuple[Talent, ...] | list[Talent]) -> TalentLibrary:
        """A copy with *talents* added, or replacing the entries of the same people.

        Example:
            >>> lib = TalentLibrary().with_talents([Talent(
            ...     id="r-1", name="张阿姨", kind=TalentKind.RESIDENT, home="c01",
            ...     willingness=Willingness(hours=2))])
            >>> len(lib)
            1
        """
        new = {t.id: t for t in v.check_items("talents", talents)}
        kept = [t for t in self.talents if t.id not in new]
        return attrs.evolve(self, talents=(*kept, *new.values()))
