"""Matching needs to people (精准服务): an assignment problem solved as a min-cost flow.

A :class:`Need` — an issue or case needing a skill, a post to fill, an activity needing
helpers — asks for people with some skills for some hours.  :func:`match_needs` gives each
need's places to people of the :class:`~gridgov.community.TalentLibrary` who

* hold every skill it needs, at the least level it asks;
* are willing (服务意愿): their willingness is in force on the day, they offer the kind of
  service, and the need's unit is among the units they will travel to;
* have the hours left in the span (a week or a month);

at the least total cost under a :class:`MatchPolicy`: a cost by proximity in the grid (same
micro-grid before same grid before same community, read from the units' chains), a convex
cost per extra assignment of one person (fairness: the *k*-th costs ``fairness × (k − 1)``),
and a cost per place left unfilled.  It is solved exactly with networkx's network simplex,
never greedily.  Each assignment and each unfilled place carries a :class:`~gridgov.Reason`;
each need of a category is linked to the partners (共建单位…) serving it.

Capacity is counted in assignments: a person offering *H* hours, eligible for needs of at
most *h* hours, takes at most ``H // h`` of them — so no one's hours are ever exceeded and the
problem stays an exact assignment problem (cautious when the needs they could take differ in
length).

Example:
    >>> from datetime import date
    >>> from gridgov.community import Talent, TalentKind, TalentLibrary, Willingness
    >>> from gridgov.demo import sample_grid
    >>> lib = TalentLibrary(talents=[
    ...     Talent(id="r-zhang", name="张师傅", kind=TalentKind.RESIDENT, home="mg31",
    ...            skills={"appliance_repair"}, willingness=Willingness(hours=4))])
    >>> need = Need(id="n1", name="吕阿姨家电视维修", unit="mg31", skills={"appliance_repair"},
    ...             hours=2, category="appliance_repair")
    >>> m = match_needs([need], lib, sample_grid(), on=date(2026, 11, 30))
    >>> [(a.need, a.person) for a in m.assignments], m.total_cost
    ([('n1', 'r-zhang')], 0)
    >>> print(m.assignments[0].reason.zh)
    张师傅（热心居民）承接吕阿姨家电视维修：具备电器维修，同在美好人家1号楼，每周4小时，本期可用4小时。
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import ClassVar

import attrs

import gridgov._validators as v
import gridgov.community._flow as _flow
from gridgov._labels import LabelledEnum
from gridgov.community._rules import check_levels, hours_in
from gridgov.community.talent import MAX_HOURS, ServicePost, SkillLevel, Span, TalentLibrary
from gridgov.errors import PolicyError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = [
    "DEFAULT_MATCH_POLICY",
    "MAX_NEEDS",
    "MatchPolicy",
    "Matching",
    "Need",
    "NeedKind",
    "PartnerLink",
    "Placement",
    "Unfilled",
    "match_needs",
]

MAX_NEEDS = 1_000_000
"""The most needs one matching may take."""
_MAX_COST = 1_000_000


class NeedKind(LabelledEnum):
    """What a need is: a case needing a skill, a post to fill, an activity needing helpers.

    Example:
        >>> NeedKind.POST.zh
        '服务岗位'
    """

    CASE = "case"
    POST = "post"
    ACTIVITY = "activity"
    OTHER = "other"

    __zh__: ClassVar[Mapping[str, str]] = {
        "case": "诉求",
        "post": "服务岗位",
        "activity": "活动",
        "other": "其他需求",
    }


@register
@attrs.frozen(kw_only=True)
class Need:
    """Something that needs people: *people* places of *hours* each, at *unit*.

    Attributes:
        id: the need's id (unique in one matching).
        name: what reasons call it (``"吕阿姨家电视维修"``).
        kind: a case, a post, an activity…
        ref: the id of the case, post or activity it stands for (``None``: the need itself).
        unit: the unit where the help is needed.
        skills: the skills each helper needs.
        levels: the least level of some of the skills.
        hours: hours each helper gives in the span.
        people: how many helpers.
        category: the kind of service (an issue category), matched against willingness and
            partners; ``None`` for none.
        priority: 1 to 4; a place left unfilled costs ``policy.unmatched × priority``.

    Example:
        >>> Need(id="n1", name="助老", unit="mg31", hours=2, people=3, kind=NeedKind.ACTIVITY,
        ...      ref="act-1").people
        3
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    hours: int = attrs.field(validator=v.integer(1, MAX_HOURS))
    kind: NeedKind = attrs.field(default=NeedKind.CASE, validator=v.is_a(NeedKind))
    ref: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    people: int = attrs.field(default=1, validator=v.integer(1, 10_000))
    skills: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    levels: tuple[SkillLevel, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(SkillLevel))
    )
    category: str | None = attrs.field(default=None, validator=v.optional(v.code))
    priority: int = attrs.field(default=1, validator=v.integer(1, 4))

    def __attrs_post_init__(self) -> None:
        check_levels(self.skills, self.levels, self)

    @classmethod
    def for_post(cls, post: ServicePost, *, span: Span = Span.WEEK) -> Need:
        """The need to fill *post*: its people, skills and hours (counted per *span*).

        Example:
            >>> from gridgov.community import ServicePost, Span
            >>> p = ServicePost(id="post-1", name="助老岗", unit="c01", hours=2, people=2)
            >>> n = Need.for_post(p, span=Span.MONTH)
            >>> n.kind.zh, n.hours, n.people
            ('服务岗位', 8, 2)
        """
        v.check_instance("post", post, ServicePost)
        v.check_instance("span", span, Span)
        return cls(
            id=post.id,
            name=post.name,
            kind=NeedKind.POST,
            ref=post.id,
            unit=post.unit,
            hours=max(1, hours_in(post.hours, post.per, span)),
            people=post.people,
            skills=post.skills,
            levels=post.levels,
            category=post.category,
        )


def _non_decreasing(
    instance: object, attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    if not value or any(b < a for a, b in itertools.pairwise(value)):
        raise v.refuse(
            "proximity",
            instance,
            "a non-empty, non-decreasing tuple of costs",
            value,
            error=PolicyError,
        )


@register
@attrs.frozen(kw_only=True)
class MatchPolicy:
    """The costs a matching minimises (integers; policy data).

    Attributes:
        proximity: the cost of an assignment by how far the person's home unit is from the
            need's: ``proximity[0]`` in the same unit, ``[1]`` sharing the unit one up (the
            grid), ``[2]`` two up (the community)…; the last applies to anything further.
        fairness: the extra cost of each further assignment of one person (the *k*-th costs
            ``fairness × (k − 1)``): spreads the work across helpers.
        unmatched: the cost of leaving one place of a need unfilled, times its priority;
            must exceed every proximity cost.

    Example:
        >>> MatchPolicy(proximity=(0, 5, 10), fairness=2, unmatched=100).unmatched
        100
        >>> MatchPolicy(proximity=(0, 5, 3))
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'proximity' of MatchPolicy must be a non-empty, non-decreasing tuple of costs (got (0, 5, 3)).
    """

    name: str = attrs.field(default="默认匹配规则", validator=v.name)
    proximity: tuple[int, ...] = attrs.field(
        default=(0, 10, 20, 40, 80),
        converter=v.to_tuple,
        validator=[v.tuple_of(v.integer(0, _MAX_COST)), _non_decreasing],
    )
    fairness: int = attrs.field(default=5, validator=v.integer(0, _MAX_COST))
    unmatched: int = attrs.field(default=1_000, validator=v.integer(1, _MAX_COST))

    def __attrs_post_init__(self) -> None:
        if self.unmatched <= self.proximity[-1]:
            raise v.refuse(
                "unmatched",
                self,
                f"more than the largest proximity cost {self.proximity[-1]}",
                self.unmatched,
                error=PolicyError,
            )

    def cost(self, level: int) -> int:
        """The proximity cost of an assignment *level* units up the need's chain.

        Example:
            >>> DEFAULT_MATCH_POLICY.cost(1), DEFAULT_MATCH_POLICY.cost(9)
            (10, 80)
        """
        return self.proximity[min(level, len(self.proximity) - 1)]


DEFAULT_MATCH_POLICY = MatchPolicy()
"""Same micro-grid 0, same grid 10, same community 20, same subdistrict 40, beyond 80; 5 per
extra assignment; 1,000 per place left unfilled (× priority)."""


@register
@attrs.frozen(kw_only=True)
class Placement:
    """One place of a need given to one person (a placement), with its cost and why.

    Attributes:
        level: how many units up the need's chain the person's home meets it (0: same unit).
        cost: the proximity cost (fairness is counted per person in the total).

    Example:
        >>> from gridgov import Reason
        >>> Placement(need="n1", person="m-li", person_name="李燕明", hours=2, level=0, cost=0,
        ...            reason=Reason(zh="…", en="…")).hours
        2
    """

    need: str = attrs.field(validator=v.ident)
    person: str = attrs.field(validator=v.ident)
    person_name: str = attrs.field(validator=v.personal_name, repr=False)
    hours: int = attrs.field(validator=v.integer(1, MAX_HOURS))
    level: int = attrs.field(validator=v.integer(0, 100))
    cost: int = attrs.field(validator=v.integer(0, _MAX_COST))
    reason: Reason = attrs.field(validator=v.is_a(Reason))


@register
@attrs.frozen(kw_only=True)
class Unfilled:
    """Places of a need no one could take, and why.

    Example:
        >>> from gridgov import Reason
        >>> Unfilled(need="n1", places=1, reason=Reason(zh="…", en="…")).places
        1
    """

    need: str = attrs.field(validator=v.ident)
    places: int = attrs.field(validator=v.integer(1, 10_000))
    reason: Reason = attrs.field(validator=v.is_a(Reason))


@register
@attrs.frozen(kw_only=True)
class PartnerLink:
    """A partner (共建单位, 物业…) that serves a need's category and covers its unit.

    Example:
        >>> from gridgov import Reason
        >>> PartnerLink(need="n1", partner="p-dq", partner_name="电器维修中心",
        ...             reason=Reason(zh="…", en="…")).partner
        'p-dq'
    """

    need: str = attrs.field(validator=v.ident)
    partner: str = attrs.field(validator=v.ident)
    partner_name: str = attrs.field(validator=v.name)
    reason: Reason = attrs.field(validator=v.is_a(Reason))


@register
@attrs.frozen(kw_only=True)
class Matching:
    """The result of :func:`match_needs`: assignments, unfilled places, partner links and the
    total cost (proximity + fairness + unfilled), which is the least possible.

    Example:
        >>> from datetime import date
        >>> m = Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
        ...              total_cost=0)
        >>> m.load("m-li"), m.filled("n1")
        (0, 0)
    """

    on: date = attrs.field(validator=v.plain_date)
    span: Span = attrs.field(validator=v.is_a(Span))
    policy: MatchPolicy = attrs.field(validator=v.is_a(MatchPolicy))
    total_cost: int = attrs.field(validator=v.integer(0, 2**62))
    assignments: tuple[Placement, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Placement))
    )
    unfilled: tuple[Unfilled, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Unfilled))
    )
    partners: tuple[PartnerLink, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(PartnerLink))
    )

    def load(self, person: str) -> int:
        """How many places *person* was given.

        Example:
            >>> from datetime import date
            >>> Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
            ...          total_cost=0).load("r-1")
            0
        """
        return sum(1 for a in self.assignments if a.person == person)

    def hours(self, person: str) -> int:
        """The hours *person* was booked for.

        Example:
            >>> from datetime import date
            >>> Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
            ...          total_cost=0).hours("r-1")
            0
        """
        return sum(a.hours for a in self.assignments if a.person == person)

    def filled(self, need: str) -> int:
        """How many places of *need* were filled.

        Example:
            >>> from datetime import date
            >>> Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
            ...          total_cost=0).filled("n1")
            0
        """
        return sum(1 for a in self.assignments if a.need == need)

    def of_need(self, need: str) -> tuple[Placement, ...]:
        """The assignments of *need*.

        Example:
            >>> from datetime import date
            >>> Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
            ...          total_cost=0).of_need("n1")
            ()
        """
        return tuple(a for a in self.assignments if a.need == need)

    def partners_of(self, need: str) -> tuple[str, ...]:
        """The ids of the partners linked to *need*.

        Example:
            >>> from datetime import date
            >>> Matching(on=date(2026, 11, 30), span=Span.WEEK, policy=DEFAULT_MATCH_POLICY,
            ...          total_cost=0).partners_of("n1")
            ()
        """
        return tuple(p.partner for p in self.partners if p.need == need)


def match_needs(
    needs: Iterable[Need],
    library: TalentLibrary,
    grid: GridGraph,
    *,
    on: date,
    span: Span = Span.WEEK,
    policy: MatchPolicy = DEFAULT_MATCH_POLICY,
    used: Mapping[str, int] | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
) -> Matching:
    """Match *needs* to the people of *library* at the least total cost (see the module).

    Args:
        on: the day the matching is for: willingness must be in force on it.
        span: the span the needs' hours and people's offered hours are counted over.
        used: hours each person is already booked for in the span (from earlier matchings).
        catalogue: the issue categories needs and willingness name.

    Raises:
        InvalidValueError: for two needs with one id, or arguments of the wrong type.
        UnknownUnitError: for a need's unit or a person's home not in *grid*.
        PolicyError: for a skill or category unknown to the catalogues.

    Example:
        >>> from datetime import date
        >>> from gridgov.community import Talent, TalentKind, TalentLibrary, Willingness
        >>> from gridgov.demo import sample_grid
        >>> lib = TalentLibrary(talents=[
        ...     Talent(id="r-zhang", name="张师傅", kind=TalentKind.RESIDENT, home="mg31",
        ...            skills={"appliance_repair"}, willingness=Willingness(hours=3))])
        >>> needs = [Need(id=f"n{i}", name=f"维修{i}", unit="mg31", hours=2,
        ...               skills={"appliance_repair"}) for i in (1, 2)]
        >>> m = match_needs(needs, lib, sample_grid(), on=date(2026, 11, 30))
        >>> [a.need for a in m.assignments], [u.need for u in m.unfilled], m.total_cost
        (['n1'], ['n2'], 1000)
        >>> print(m.unfilled[0].reason.en)
        维修2: all 1 eligible people (张师傅) are booked to capacity by other needs.
    """
    v.check_date("on", on)
    v.check_instance("library", library, TalentLibrary)
    v.check_instance("grid", grid, GridGraph)
    v.check_instance("span", span, Span)
    v.check_instance("policy", policy, MatchPolicy)
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    items = v.check_items("needs", needs)
    if len(items) > MAX_NEEDS:
        raise v.refuse("needs", None, f"at most {MAX_NEEDS:,} needs", len(items))
    booked: dict[str, int] = {}
    if used is not None:
        if not isinstance(used, Mapping):
            raise v.refuse("used", None, "a mapping of person id to hours", used)
        for person, hours in used.items():
            v.check_ident("used", person)
            booked[person] = v.check_integer(f"used[{person!r}]", hours, 0, 100 * MAX_HOURS)
    seen: set[str] = set()
    for n in items:
        if not isinstance(n, Need):
            raise v.refuse("needs", None, "a collection of Need values", n)
        if n.id in seen:
            raise v.refuse("needs", None, "needs with distinct ids", n.id)
        seen.add(n.id)
        grid.unit(n.unit)
        for s in n.skills:
            library.catalogue[s]
        if n.category is not None:
            catalogue.check(n.category)
    result = _flow.solve(
        items, library, grid, on=on, span=span, policy=policy, used=booked, catalogue=catalogue
    )
    return Matching(
        on=on,
        span=span,
        policy=policy,
        total_cost=result.total,
        assignments=tuple(
            Placement(need=n, person=p, person_name=name, hours=h, level=lv, cost=c, reason=r)
            for n, p, name, h, lv, c, r in result.assignments
        ),
        unfilled=tuple(Unfilled(need=n, places=k, reason=r) for n, k, r in result.unfilled),
        partners=tuple(
            PartnerLink(need=n, partner=p, partner_name=name, reason=r)
            for n, p, name, r in result.partners
        ),
    )
