"""Routing: getting each issue to the unit responsible for it.

* A :class:`ResponsibilityMatrix` (权责清单) says which tiers — and, by override, which units —
  may handle which categories, up to which severity.
* A :class:`RuleSet` is an ordered list of declarative :class:`RoutingRule` s.  Each has a
  :class:`Match` (category, severity range, channel, the resident's conditions, and — as an
  escape hatch — a callable predicate) and an action: the tier to start at, the partner kinds
  to link (联动) and the deadlines to set.  The first matching rule wins; the last rule must
  match everything.
* A :class:`Router` compiles a rule set and a matrix against a grid once, then routes:
  :meth:`Router.route` gives a full, explained :class:`Assignment`; :meth:`Router.route_many`
  streams compact :class:`Routed` results for batch use.

If the tier a rule starts at may not handle the issue under the matrix, the issue goes at
once to the nearest unit above that may, and the reason says so.  The top tier must be able to
handle every category at every severity (it is the catch-all, 兜底), so routing is total.

Example:
    >>> from datetime import datetime, tzinfo
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.demo import sample_grid
    >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    >>> a = router.route(Issue(id="i-1", category="facility_repair", severity=1,
    ...                        channel=Channel.GROUP_CHAT, place="h-1001",
    ...                        reporter=Reporter.resident("r-9"),
    ...                        reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST)))
    >>> a.unit, a.rule, a.partners
    ('mg31', 'facility', ('p-wuye',))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

import attrs

from gridgov._fast import trusted_constructor
from gridgov._validators import (
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
from gridgov.errors import PolicyError, SerializationError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    CategoryCatalogue,
    Channel,
    Issue,
    Severity,
    to_severity_bound,
)
from gridgov.people import PartnerKind, Resident
from gridgov.serialize import register

__all__ = [
    "DEFAULT_MATRIX",
    "DEFAULT_RULES",
    "Assignment",
    "Match",
    "Responsibility",
    "ResponsibilityMatrix",
    "Routed",
    "Router",
    "RoutingRule",
    "RuleSet",
]


def _severity_limit(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise PolicyError(
            f"'max_severity' must be between 0 (may not handle) and 4 (got {value!r})."
        )
    return int(value)


def _age(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
        raise PolicyError(
            f"'{attribute.name}' of a Match must be a whole number of years from 0 to 150 "
            f"(got {value!r})."
        )


# --------------------------------------------------------------------------- 权责清单


@register
@attrs.frozen(kw_only=True)
class Responsibility:
    """One line of the responsibility matrix (权责清单).

    Exactly one of ``tier`` (the default for every unit of that tier) and ``unit`` (an
    override for one unit) is given.  ``max_severity`` is the highest severity the tier or unit
    may handle for the category: 0 means "may not handle it at all".  A line for a category
    also covers the categories that refine it, unless they have lines of their own.

    Example:
        >>> Responsibility(tier="micro_grid", category="dispute", max_severity=2)
        Responsibility(category='dispute', max_severity=2, tier='micro_grid', unit=None)
    """

    category: str = attrs.field(validator=identifier)
    max_severity: int = attrs.field(default=4, converter=_severity_limit)
    tier: str | None = attrs.field(default=None, validator=optional(identifier))
    unit: str | None = attrs.field(default=None, validator=optional(non_empty_str))

    def __attrs_post_init__(self) -> None:
        if (self.tier is None) == (self.unit is None):
            raise PolicyError(
                f"a Responsibility for {self.category!r} must name exactly one of 'tier' and "
                f"'unit' (got tier={self.tier!r}, unit={self.unit!r})."
            )


@register
@attrs.frozen(kw_only=True)
class ResponsibilityMatrix:
    """Which tiers (and, by override, units) may handle which categories, up to which severity.

    A category with no line for a tier (directly or through a broader category) may not be
    handled there.

    Example:
        >>> m = ResponsibilityMatrix(name="mini", entries=[
        ...     Responsibility(tier="micro_grid", category="dispute", max_severity=2),
        ...     Responsibility(unit="mg31", category="dispute", max_severity=3)])
        >>> m.limit(tier="micro_grid", unit="mg11", category="dispute"), m.limit(
        ...     tier="micro_grid", unit="mg31", category="dispute")
        (2, 3)
    """

    name: str = attrs.field(validator=non_empty_str)
    entries: tuple[Responsibility, ...] = attrs.field(
        converter=to_tuple, validator=instances_of(Responsibility)
    )

    def __attrs_post_init__(self) -> None:
        seen: set[tuple[str | None, str | None, str]] = set()
        for e in self.entries:
            key = (e.tier, e.unit, e.category)
            if key in seen:
                where = f"tier {e.tier!r}" if e.tier else f"unit {e.unit!r}"
                raise PolicyError(
                    f"matrix {self.name!r} has two lines for {where} and category {e.category!r}."
                )
            seen.add(key)

    def with_entries(self, entries: Iterable[Responsibility], *, name: str) -> ResponsibilityMatrix:
        """A new matrix with *entries* added.

        Example:
            >>> m = DEFAULT_MATRIX.with_entries(
            ...     [Responsibility(tier="subdistrict", category=c.code)
            ...      for c in DEFAULT_CATALOGUE if c.parent is None], name="four-tier")
            >>> m.limit(tier="subdistrict", unit=None, category="dispute")
            4
        """
        return ResponsibilityMatrix(name=name, entries=(*self.entries, *entries))

    def limit(
        self,
        *,
        tier: str,
        unit: str | None,
        category: str,
        catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    ) -> int:
        """The highest severity *unit* (of *tier*) may handle for *category* (0: none).

        A unit override wins over the tier default; a line for a broader category covers
        the categories that refine it.

        Example:
            >>> DEFAULT_MATRIX.limit(tier="micro_grid", unit=None, category="appliance_repair")
            2
        """
        code: str | None = category
        while code is not None:
            for e in self.entries:
                if e.category == code and unit is not None and e.unit == unit:
                    return e.max_severity
            for e in self.entries:
                if e.category == code and e.tier == tier:
                    return e.max_severity
            code = catalogue[code].parent if code in catalogue else None
        return 0


def _matrix_lines(tier: str, limits: Mapping[str, int]) -> list[Responsibility]:
    return [Responsibility(tier=tier, category=c, max_severity=s) for c, s in limits.items()]


DEFAULT_MATRIX = ResponsibilityMatrix(
    name="default",
    entries=[
        *_matrix_lines(
            "micro_grid",
            {
                "dispute": 2,
                "facility_repair": 2,
                "environment": 2,
                "safety_hazard": 1,
                "elder_care": 2,
                "welfare": 1,
                "policy_enquiry": 2,
                "suggestion": 4,
                "volunteer_service": 2,
                "micro_wish": 2,
                "complaint": 1,
            },
        ),
        *_matrix_lines(
            "grid",
            {
                "dispute": 3,
                "facility_repair": 3,
                "environment": 3,
                "safety_hazard": 2,
                "elder_care": 3,
                "welfare": 2,
                "policy_enquiry": 4,
                "suggestion": 4,
                "volunteer_service": 4,
                "micro_wish": 3,
                "public_order": 1,
                "complaint": 2,
            },
        ),
        *_matrix_lines("community", {c.code: 4 for c in DEFAULT_CATALOGUE if c.parent is None}),
    ],
)
"""A starting-point 权责清单 for :data:`~gridgov.THREE_TIER` (not law: adapt it to your list).

Micro-grids handle routine and attention-level matters, grids up to urgent ones, the
community everything.  Public order goes to the grid at most at routine level, and otherwise
to the community and the police.  For :data:`~gridgov.FOUR_TIER`, add the subdistrict's lines
with :meth:`ResponsibilityMatrix.with_entries`.
"""


# --------------------------------------------------------------------------- rules


@register
@attrs.frozen(kw_only=True)
class Match:
    """What a routing rule matches.  Empty sets match anything.

    Attributes:
        categories: category codes; a code also matches the categories refining it.
        min_severity: the lowest severity matched (1–4).
        max_severity: the highest severity matched (1–4).
        channels: channels matched.
        any_conditions: the resident must have at least one of these conditions in force on the
            day the issue was reported (the day in the router's calendar's timezone).
        all_conditions: the resident must have all of these in force that day.
        min_age: the resident must be at least this old on the day of the report.
        max_age: the resident must be at most this old on the day of the report.
        any_tags: the resident's file must carry at least one of these tags (groups such as
            ``"party_member"``).  Resident matches need the resident's personal file: an issue
            without a resident, or whose resident has no file, does not match them.
        predicate: an escape hatch, ``predicate(issue) -> bool``; a rule with one cannot be
            serialised (:func:`~gridgov.to_dict` refuses it).

    Example:
        >>> Match(categories={"safety_hazard"}, min_severity=3).describe()
        'category safety_hazard, severity ≥ urgent'
    """

    categories: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=members_of(identifier)
    )
    min_severity: Severity = attrs.field(default=Severity.ROUTINE, converter=to_severity_bound)
    max_severity: Severity = attrs.field(default=Severity.EMERGENCY, converter=to_severity_bound)
    channels: frozenset[Channel] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=instances_of(Channel)
    )
    any_conditions: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=members_of(identifier)
    )
    all_conditions: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=members_of(identifier)
    )
    min_age: int | None = attrs.field(default=None, validator=optional(_age))
    max_age: int | None = attrs.field(default=None, validator=optional(_age))
    any_tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=members_of(identifier)
    )
    predicate: Callable[[Issue], bool] | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.min_severity > self.max_severity:
            raise PolicyError(
                f"'max_severity' of a Match must be at least its min_severity "
                f"{int(self.min_severity)} (got {int(self.max_severity)})."
            )
        if self.predicate is not None and not callable(self.predicate):
            raise PolicyError(f"'predicate' must be callable (got {self.predicate!r}).")
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise PolicyError(
                f"'max_age' of a Match must be at least its min_age {self.min_age} "
                f"(got {self.max_age})."
            )

    @property
    def _on_file(self) -> bool:
        """Whether the match reads the resident's personal file."""
        return bool(
            self.any_conditions
            or self.all_conditions
            or self.min_age is not None
            or self.max_age is not None
            or self.any_tags
        )

    def _check_serialisable(self, path: str) -> None:
        if self.predicate is not None:
            raise SerializationError(
                f"'{path}.predicate' holds a callable ({self.predicate!r:.60}), which cannot be "
                "serialised; express it with the declarative match fields, or keep this rule "
                "in code."
            )

    @property
    def is_unconditional(self) -> bool:
        """Whether the match accepts every issue.

        Example:
            >>> Match().is_unconditional, Match(channels={Channel.HOTLINE}).is_unconditional
            (True, False)
        """
        return (
            not self.categories
            and self.min_severity == Severity.ROUTINE
            and self.max_severity == Severity.EMERGENCY
            and not self.channels
            and not self._on_file
            and self.predicate is None
        )

    @property
    def is_static(self) -> bool:
        """Whether the match depends only on category, severity and channel.

        Example:
            >>> Match(any_conditions={"living_alone"}).is_static
            False
        """
        return not self._on_file and self.predicate is None

    def describe(self) -> str:
        """A short English description.

        Example:
            >>> Match().describe()
            'any issue'
        """
        parts = []
        if self.categories:
            parts.append("category " + "/".join(sorted(self.categories)))
        if self.min_severity > Severity.ROUTINE and self.max_severity == Severity.EMERGENCY:
            parts.append(f"severity ≥ {self.min_severity.label}")
        elif self.min_severity > Severity.ROUTINE or self.max_severity < Severity.EMERGENCY:
            parts.append(f"severity {self.min_severity.label}–{self.max_severity.label}")
        if self.channels:
            parts.append("channel " + "/".join(sorted(c.value for c in self.channels)))
        if self.any_conditions:
            parts.append("any of " + "/".join(sorted(self.any_conditions)))
        if self.all_conditions:
            parts.append("all of " + "/".join(sorted(self.all_conditions)))
        if self.min_age is not None or self.max_age is not None:
            lo = "" if self.min_age is None else str(self.min_age)
            hi = "" if self.max_age is None else str(self.max_age)
            parts.append(f"aged {lo}–{hi}")
        if self.any_tags:
            parts.append("tagged " + "/".join(sorted(self.any_tags)))
        if self.predicate is not None:
            parts.append("a custom predicate")
        return ", ".join(parts) or "any issue"


@register
@attrs.frozen(kw_only=True)
class RoutingRule:
    """A declarative routing rule: a match and an action.

    Attributes:
        id: the rule's id, quoted in every assignment it makes.
        name: a short English name.
        zh: a short Chinese name.
        match: what the rule matches.
        start_tier: the tier to start at; ``None`` starts at the unit the issue is located in
            (the micro-grid of its place).
        link: the kinds of partner to link (联动); the partners of those kinds covering the
            issue's place and serving its category are linked.
        accept_within: the time limit for accepting (立案); ``None`` sets no deadline.
        resolve_within: the time limit for resolving; ``None`` sets no deadline.

    Example:
        >>> from gridgov.calendar import TimeLimit
        >>> RoutingRule(id="R3", name="hazard at community", zh="重大隐患到社区",
        ...             match=Match(categories={"safety_hazard"}, min_severity=3),
        ...             start_tier="community",
        ...             resolve_within=TimeLimit(amount=24, unit="hours", basis="natural")).id
        'R3'
    """

    id: str = attrs.field(validator=non_empty_str)
    name: str = attrs.field(validator=non_empty_str)
    zh: str = attrs.field(default="", validator=is_a(str))
    match: Match = attrs.field(factory=Match, validator=is_a(Match))
    start_tier: str | None = attrs.field(default=None, validator=optional(identifier))
    link: frozenset[PartnerKind] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=instances_of(PartnerKind)
    )
    accept_within: TimeLimit | None = attrs.field(default=None, validator=optional(is_a(TimeLimit)))
    resolve_within: TimeLimit | None = attrs.field(
        default=None, validator=optional(is_a(TimeLimit))
    )


@register
@attrs.frozen(kw_only=True)
class RuleSet:
    """Ordered routing rules: the first match wins; the last rule must match every issue.

    Raises:
        PolicyError: if there are no rules, ids repeat, the last rule is not a catch-all, or an
            earlier catch-all would make the rules after it unreachable.

    Example:
        >>> RuleSet(name="bad", rules=[RoutingRule(id="R1", name="hotline only",
        ...                                        match=Match(channels={Channel.HOTLINE}))])
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: the last rule of rule set 'bad' must match every issue (a default rule); 'R1' matches only channel hotline.
    """

    name: str = attrs.field(validator=non_empty_str)
    rules: tuple[RoutingRule, ...] = attrs.field(
        converter=to_tuple, validator=instances_of(RoutingRule)
    )

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            raise PolicyError(f"rule set {self.name!r} must have at least one rule (got none).")
        ids: set[str] = set()
        for rule in self.rules:
            if rule.id in ids:
                raise PolicyError(f"rule id {rule.id!r} appears twice in rule set {self.name!r}.")
            ids.add(rule.id)
        for i, rule in enumerate(self.rules):
            if rule.match.is_unconditional and i < len(self.rules) - 1:
                raise PolicyError(
                    f"rule {rule.id!r} of rule set {self.name!r} matches every issue, so the "
                    f"rules after it ({self.rules[i + 1].id!r} …) could never fire; a catch-all "
                    "must be the last rule."
                )
        last = self.rules[-1]
        if not last.match.is_unconditional:
            raise PolicyError(
                f"the last rule of rule set {self.name!r} must match every issue (a default "
                f"rule); {last.id!r} matches only {last.match.describe()}."
            )

    @property
    def default_rule(self) -> RoutingRule:
        """The final catch-all rule.

        Example:
            >>> DEFAULT_RULES.default_rule.id
            'default'
        """
        return self.rules[-1]


DEFAULT_RULES = RuleSet(
    name="default",
    rules=[
        RoutingRule(
            id="emergency",
            name="emergencies start at the community",
            zh="特急事项直达社区",
            match=Match(min_severity=Severity.EMERGENCY),
            start_tier="community",
            link=frozenset({PartnerKind.POLICE_STATION, PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(1),
            resolve_within=TimeLimit.natural_hours(24),
        ),
        RoutingRule(
            id="hazard",
            name="urgent safety hazards start at the grid",
            zh="紧急安全隐患到网格",
            match=Match(categories={"safety_hazard"}, min_severity=Severity.URGENT),
            start_tier="grid",
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(2),
            resolve_within=TimeLimit.natural_hours(24),
        ),
        RoutingRule(
            id="public_order",
            name="public order goes to the grid with the police",
            zh="治安事项联动派出所",
            match=Match(categories={"public_order"}),
            start_tier="grid",
            link=frozenset({PartnerKind.POLICE_STATION}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(3),
        ),
        RoutingRule(
            id="vulnerable",
            name="vulnerable elders: same-day attention",
            zh="独居孤寡老人当日响应",
            match=Match(any_conditions={"living_alone", "no_family_support"}),
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(2),
            resolve_within=TimeLimit.working_days(1),
        ),
        RoutingRule(
            id="facility",
            name="facility repairs link property management",
            zh="设施维修联动物业",
            match=Match(categories={"facility_repair", "environment"}),
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(5),
        ),
        RoutingRule(
            id="enquiry",
            name="policy enquiries",
            zh="政策咨询",
            match=Match(categories={"policy_enquiry"}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(3),
        ),
        RoutingRule(
            id="default",
            name="everything else at the micro-grid",
            zh="其余事项到微网格",
            accept_within=TimeLimit.working_days(1),
            resolve_within=TimeLimit.working_days(13),
        ),
    ],
)
"""A starting-point rule set; deadlines follow common 12345 practice (not law)."""


# --------------------------------------------------------------------------- results


@register
@attrs.frozen(kw_only=True)
class Assignment:
    """The result of routing one issue, with the rule that fired and a readable reason.

    Attributes:
        issue: the issue's id.
        unit: the responsible unit's id.
        unit_name: its name.
        tier: its tier.
        leader: the id of its leader, if the grid knows one.
        leader_name: the leader's name, if known.
        partners: ids of the linked partners.
        accept_by: the deadline to accept, if the rule sets one.
        resolve_by: the deadline to resolve, if the rule sets one.
        rule: the id of the rule that fired.
        start_unit: the unit the rule started at, before the responsibility matrix.
        moved_by_matrix: whether the matrix moved the issue up from ``start_unit``.
        grid_version: the version of the grid it was routed on.
        reason: a reason a grid worker can read (Chinese, then English).
    """

    issue: str
    unit: str
    unit_name: str
    tier: str
    rule: str
    start_unit: str
    moved_by_matrix: bool
    grid_version: str
    reason: str
    leader: str | None = None
    leader_name: str | None = None
    partners: tuple[str, ...] = ()
    accept_by: datetime | None = None
    resolve_by: datetime | None = None


class _Needed(NamedTuple):
    """A working-time deadline: the index of its need in the rule's needs (private)."""

    position: int


# How a rule's deadline is computed from the split report time: a natural span, a working
# need computed with the rule's others, or a function (see TimeLimit._planner).
_Plan = timedelta | _Needed | Callable[[datetime, int, int], datetime] | None


def _deadline(
    plan: _Plan, local: datetime, ordinal: int, us: int, worked: tuple[datetime, ...]
) -> datetime | None:
    """A deadline from its plan, the split report time and the rule's working deadlines."""
    if plan is None:
        return None
    if isinstance(plan, _Needed):
        return worked[plan.position]
    if isinstance(plan, timedelta):
        return local + plan
    return plan(local, ordinal, us)


_new_assignment = trusted_constructor(Assignment)
_NO_LEADER = (None, None)


class Routed(NamedTuple):
    """A compact routing result from :meth:`Router.route_many`."""

    issue: str
    """The issue's id."""
    unit: str
    """The responsible unit's id."""
    rule: str
    """The id of the rule that fired."""
    moved_by_matrix: bool
    """Whether the responsibility matrix moved the issue up."""


# --------------------------------------------------------------------------- the router


@attrs.frozen(kw_only=True, repr=False)
class Router:
    """Rules and a responsibility matrix compiled against one grid.

    Building a router checks the rules and the matrix against the grid's scheme, the grid's
    units and the catalogue, and precomputes a decision table (category × severity × channel →
    candidate rules) and each unit's limits, so routing one issue is a few dictionary look-ups
    and a walk of at most the grid's depth.

    Args:
        grid: the grid to route on.
        rules: the rule set.
        matrix: the responsibility matrix.
        calendar: the working calendar for working-time deadlines (default Mon–Fri office
            hours in China Standard Time, no holidays).
        catalogue: the category catalogue.
        residents: personal files by resident id, for rules that match on conditions; a
            resident without a file here has no recorded conditions.

    Raises:
        PolicyError: naming the rule or matrix line that refers to an unknown tier, unit or
            category, or if the top tier could not handle some category at every severity.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> bad = RuleSet(name="x", rules=[RoutingRule(id="R1", name="n", start_tier="street")])
        >>> Router(grid=sample_grid(), rules=bad, matrix=DEFAULT_MATRIX)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'start_tier' of rule 'R1' must be one of ['community', 'grid', 'micro_grid'] (got 'street').
    """

    grid: GridGraph = attrs.field(validator=is_a(GridGraph))
    rules: RuleSet = attrs.field(validator=is_a(RuleSet))
    matrix: ResponsibilityMatrix = attrs.field(validator=is_a(ResponsibilityMatrix))
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar, validator=is_a(WorkCalendar))
    catalogue: CategoryCatalogue = attrs.field(
        default=DEFAULT_CATALOGUE, validator=is_a(CategoryCatalogue)
    )
    residents: Mapping[str, Resident] = attrs.field(factory=dict)

    _table: dict[tuple[str, int, Channel], tuple[int, ...]] = attrs.field(
        init=False, eq=False, hash=False
    )
    _limits: dict[str, dict[str, int]] = attrs.field(init=False, eq=False, hash=False)
    _start_level: tuple[int | None, ...] = attrs.field(init=False, eq=False, hash=False)
    _openings: dict[tuple[int, str], tuple[str, str]] = attrs.field(
        init=False, eq=False, hash=False
    )
    _partner_names: dict[str, str] = attrs.field(init=False, eq=False, hash=False)
    _deadlines: tuple[tuple[_Plan, _Plan, tuple[int, ...], bool], ...] = attrs.field(
        init=False, eq=False, hash=False
    )
    _tz: tzinfo = attrs.field(init=False, eq=False, hash=False)
    _leaders: dict[str, tuple[str, str]] = attrs.field(init=False, eq=False, hash=False)
    _rules: tuple[RoutingRule, ...] = attrs.field(init=False, eq=False, hash=False)
    # Per rule: whether its match reads the resident's file, and its predicate if any.
    _checks: tuple[tuple[bool, Callable[[Issue], bool] | None], ...] = attrs.field(
        init=False, eq=False, hash=False
    )
    _place_chains: Mapping[str, tuple[GridUnit, ...]] = attrs.field(
        init=False, eq=False, hash=False
    )
    _version: str = attrs.field(init=False, eq=False, hash=False)
    _add_all: Callable[[datetime, int, int, tuple[int, ...]], tuple[datetime, ...]] = attrs.field(
        init=False, eq=False, hash=False
    )
    # (rule index, micro-grid id, category) → linked partner ids, filled as issues arrive.
    _partner_memo: dict[tuple[int, str, str], tuple[str, ...]] = attrs.field(
        init=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        scheme, catalogue = self.grid.scheme, self.catalogue
        for rule in self.rules.rules:
            if rule.start_tier is not None and rule.start_tier not in scheme:
                raise PolicyError(
                    f"'start_tier' of rule {rule.id!r} must be one of {list(scheme.names)} "
                    f"(got {rule.start_tier!r})."
                )
            for code in sorted(rule.match.categories):
                if code not in catalogue:
                    raise PolicyError(
                        f"'categories' of rule {rule.id!r} must be codes of catalogue "
                        f"{catalogue.name!r} (got {code!r})."
                    )
        for e in self.matrix.entries:
            if e.category not in catalogue:
                raise PolicyError(
                    f"'category' of a line of matrix {self.matrix.name!r} must be a code of "
                    f"catalogue {catalogue.name!r} (got {e.category!r})."
                )
            if e.tier is not None and e.tier not in scheme:
                raise PolicyError(
                    f"'tier' of a line of matrix {self.matrix.name!r} must be one of "
                    f"{list(scheme.names)} (got {e.tier!r})."
                )
            if e.unit is not None and e.unit not in self.grid:
                raise PolicyError(
                    f"'unit' of a line of matrix {self.matrix.name!r} must be a unit of grid "
                    f"version {self.grid.version!r} (got {e.unit!r})."
                )
        setattr_ = object.__setattr__
        setattr_(self, "_limits", self._compile_limits())
        setattr_(self, "_table", self._compile_table())
        setattr_(self, "_openings", self._compile_openings())
        setattr_(self, "_partner_names", {p.id: p.name for p in self.grid.partners})
        setattr_(self, "_partner_memo", {})
        setattr_(self, "_tz", self.calendar.tz)
        setattr_(self, "_add_all", self.calendar._add_all)
        setattr_(
            self,
            "_leaders",
            {u.id: (m.id, m.name) for u in self.grid.units if (m := self.grid.leader(u.id))},
        )
        setattr_(self, "_rules", self.rules.rules)
        setattr_(
            self, "_checks", tuple((r.match._on_file, r.match.predicate) for r in self.rules.rules)
        )
        setattr_(self, "_place_chains", self.grid._place_chain)
        setattr_(self, "_version", self.grid.version)
        deadlines = []
        for r in self.rules.rules:
            plans: list[_Plan] = []
            needs: list[int] = []
            for limit in (r.accept_within, r.resolve_within):
                planned = None if limit is None else limit._planner(self.calendar)
                if isinstance(planned, int):  # working time: computed with the rule's others
                    plans.append(_Needed(len(needs)))
                    needs.append(planned)
                else:
                    plans.append(planned)
            # Natural-time limits need only the local start, not its ordinal and time of day.
            split = not all(p is None or isinstance(p, timedelta) for p in plans)
            deadlines.append((plans[0], plans[1], tuple(needs), split))
        setattr_(self, "_deadlines", tuple(deadlines))
        setattr_(
            self,
            "_start_level",
            tuple(
                None if r.start_tier is None else scheme.level(r.start_tier)
                for r in self.rules.rules
            ),
        )

    def _compile_limits(self) -> dict[str, dict[str, int]]:
        codes = [c.code for c in self.catalogue]
        by_tier = {
            t: {
                c: self.matrix.limit(tier=t, unit=None, category=c, catalogue=self.catalogue)
                for c in codes
            }
            for t in self.grid.scheme.names
        }
        top = self.grid.scheme.top.name
        for code, limit in by_tier[top].items():
            if limit < Severity.EMERGENCY:
                raise PolicyError(
                    f"the top tier {top!r} must be able to handle every category up to "
                    f"emergency (4) under matrix {self.matrix.name!r}, so that every issue has "
                    f"an owner; category {code!r} stops at {limit}."
                )
        overridden = {e.unit for e in self.matrix.entries if e.unit is not None}
        limits: dict[str, dict[str, int]] = {}
        for u in self.grid.units:
            if u.id in overridden:
                limits[u.id] = {
                    c: self.matrix.limit(
                        tier=u.tier, unit=u.id, category=c, catalogue=self.catalogue
                    )
                    for c in codes
                }
                if u.tier == top and min(limits[u.id].values()) < Severity.EMERGENCY:
                    raise PolicyError(
                        f"matrix {self.matrix.name!r} must not restrict top-tier unit {u.id!r}: "
                        "the top tier is the catch-all for every category and severity."
                    )
            else:
                limits[u.id] = by_tier[u.tier]  # shared, not copied
        return limits

    def _compile_table(self) -> dict[tuple[str, int, Channel], tuple[int, ...]]:
        ancestors: dict[str, frozenset[str]] = {}
        for c in self.catalogue:
            codes: set[str] = set()
            code: str | None = c.code
            while code is not None:
                codes.add(code)
                code = self.catalogue[code].parent
            ancestors[c.code] = frozenset(codes)
        table: dict[tuple[str, int, Channel], tuple[int, ...]] = {}
        for c in self.catalogue:
            for sev in Severity:
                for ch in Channel:
                    candidates: list[int] = []
                    for i, rule in enumerate(self.rules.rules):
                        m = rule.match
                        if m.categories and m.categories.isdisjoint(ancestors[c.code]):
                            continue
                        if not m.min_severity <= sev <= m.max_severity:
                            continue
                        if m.channels and ch not in m.channels:
                            continue
                        candidates.append(i)
                        if m.is_static:
                            break  # nothing after a static match can fire
                    table[(c.code, int(sev), ch)] = tuple(candidates)
        return table

    def _compile_openings(self) -> dict[tuple[int, str], tuple[str, str]]:
        """The opening of each reason, by (rule index, tier of the start unit)."""
        scheme = self.grid.scheme
        out: dict[tuple[int, str], tuple[str, str]] = {}
        for i, rule in enumerate(self.rules.rules):
            zh_title = f"规则 {rule.id}" + (f"「{rule.zh}」" if rule.zh else "")
            en_title = f"rule {rule.id} '{rule.name}'"
            for tier in scheme:
                if rule.start_tier is None:
                    zh = f"{zh_title}：由所在{tier.zh}办理"
                    en = f"{en_title}: handled where it is located, {tier.label.lower()}"
                else:
                    zh = f"{zh_title}：从{scheme[rule.start_tier].zh}开始"
                    en = f"{en_title}: starts at {scheme[rule.start_tier].label.lower()}"
                out[(i, tier.name)] = (zh, en)
        return out

    def __repr__(self) -> str:
        return (
            f"Router(grid={self.grid.version!r}, rules={self.rules.name!r}, "
            f"matrix={self.matrix.name!r}, catalogue={self.catalogue.name!r})"
        )

    # ----------------------------------------------------------------------- routing

    def _chain(self, issue: Issue) -> tuple[GridUnit, ...]:
        if issue.place is not None:
            return self.grid.place_chain(issue.place)
        assert issue.unit is not None
        return self.grid.chain(issue.unit)

    def _rule_index(self, issue: Issue, candidates: tuple[int, ...] | None = None) -> int:
        if candidates is None:
            try:
                candidates = self._table[(issue.category, int(issue.severity), issue.channel)]
            except KeyError:
                self.catalogue.check(issue.category)
                raise  # pragma: no cover - the table covers every catalogue code
        rules, checks = self._rules, self._checks
        for i in candidates:
            on_file, predicate = checks[i]
            if on_file and not self._matches_file(rules[i].match, issue):
                continue
            if predicate is not None and not predicate(issue):
                continue
            return i
        raise AssertionError("the default rule matches every issue")  # pragma: no cover

    def _matches_file(self, m: Match, issue: Issue) -> bool:
        """Whether the resident's personal file, on the day of the report, satisfies *m*."""
        resident = None if issue.resident is None else self.residents.get(issue.resident)
        if resident is None:
            return False  # nothing recorded: no conditions, no age, no tags
        day = issue.reported_at.astimezone(self._tz).date()  # the local day, however written
        if m.any_conditions or m.all_conditions:
            conditions = resident.conditions_on(day)
            if m.any_conditions and m.any_conditions.isdisjoint(conditions):
                return False
            if not m.all_conditions <= conditions:
                return False
        if m.min_age is not None or m.max_age is not None:
            age = resident.age_on(day) if day >= resident.birth_date else -1
            if m.min_age is not None and age < m.min_age:
                return False
            if m.max_age is not None and age > m.max_age:
                return False
        return not m.any_tags or not m.any_tags.isdisjoint(resident.tags)

    def route(self, issue: Issue) -> Assignment:
        """Route one issue: the responsible unit, deadlines, partners, and the reason.

        Raises:
            UnknownPlaceError: if the issue's place is not in the grid.
            UnknownUnitError: if the issue's unit is not in the grid.
            PolicyError: if its category is not in the catalogue.

        Example:
            >>> from datetime import datetime, tzinfo
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> a = router.route(Issue(id="i-2", category="safety_hazard", severity=3,
            ...     channel=Channel.HOTLINE, place="h-1001", reporter=Reporter.resident("r-1"),
            ...     reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST)))
            >>> a.unit, a.leader_name
            ('yx', '高书记')
            >>> print(a.reason)
            规则 hazard「紧急安全隐患到网格」：从网格开始（第三网格）；权责清单：第三网格 不可处理 安全隐患（紧急），上移至 亚新社区；联动 美好人家物业。
            rule hazard 'urgent safety hazards start at the grid': starts at grid (第三网格); responsibility matrix: 第三网格 may not handle safety hazard at urgent, moved up to 亚新社区; linked 美好人家物业.
        """
        category, severity = issue.category, issue.severity
        candidates = self._table.get((category, severity, issue.channel))
        if candidates is not None and len(candidates) == 1:
            index = candidates[0]
        else:
            index = self._rule_index(issue, candidates)
        rule = self._rules[index]
        # The chain, the unit the rule starts at, and the first unit above it that may handle
        # the issue (the top tier always may, so the walk stops within the chain).
        chain = self._place_chains.get(issue.place)  # type: ignore[arg-type]
        if chain is None:  # a unit, or a place the grid does not know (which raises)
            chain = self._chain(issue)
        level = self._start_level[index]
        start = 0 if level is None else max(0, len(chain) - 1 - level)
        limits = self._limits
        at = start
        while limits[chain[at].id][category] < severity:
            at += 1
        unit = chain[at]
        partners: tuple[str, ...] = ()
        if rule.link:
            key = (index, chain[0].id, issue.category)
            found = self._partner_memo.get(key)
            if found is None:
                found = self._partner_memo[key] = tuple(
                    p.id
                    for p in self.grid.partners_for(
                        chain[0].id, issue.category, catalogue=self.catalogue
                    )
                    if p.kind in rule.link
                )
            partners = found
        accept, resolve, needs, split = self._deadlines[index]
        accept_by = resolve_by = None
        if accept is not None or resolve is not None:
            local = issue.reported_at.astimezone(self._tz)
            ordinal = us = 0
            worked: tuple[datetime, ...] = ()
            if split:
                ordinal = local.toordinal()
                us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
                us += local.microsecond
                if needs:
                    worked = self._add_all(local, ordinal, us, needs)
            accept_by = _deadline(accept, local, ordinal, us, worked)
            resolve_by = _deadline(resolve, local, ordinal, us, worked)
        leader_id, leader_name = self._leaders.get(unit.id, _NO_LEADER)
        first = chain[start]
        if at == start and not partners:  # the common reason, as _reason, inlined
            zh, en = self._openings[(index, first.tier)]
            reason = f"{zh}（{first.name}）。\n{en} ({first.name})."
        else:
            reason = self._reason(issue, index, chain, start, at, partners)
        return _new_assignment(  # the fields in Assignment's order, all valid by construction
            issue.id,
            unit.id,
            unit.name,
            unit.tier,
            rule.id,
            first.id,
            at != start,
            self._version,
            reason,
            leader_id,
            leader_name,
            partners,
            accept_by,
            resolve_by,
        )

    def _reason(
        self,
        issue: Issue,
        index: int,
        chain: tuple[GridUnit, ...],
        start: int,
        at: int,
        partners: tuple[str, ...],
    ) -> str:
        s = chain[start]
        zh, en = self._openings[(index, s.tier)]
        if at == start and not partners:
            return f"{zh}（{s.name}）。\n{en} ({s.name})."
        zh += f"（{s.name}）"
        en += f" ({s.name})"
        if at != start:
            u = chain[at]
            cat = self.catalogue[issue.category]
            zh += f"；权责清单：{s.name} 不可处理 {cat.zh}（{issue.severity.zh}），上移至 {u.name}"
            en += (
                f"; responsibility matrix: {s.name} may not handle {cat.label} at "
                f"{issue.severity.label}, moved up to {u.name}"
            )
        if partners:
            names = [self._partner_names[p] for p in partners]
            zh += "；联动 " + "、".join(names)
            en += "; linked " + ", ".join(names)
        return f"{zh}。\n{en}."

    def route_many(self, issues: Iterable[Issue]) -> Iterator[Routed]:
        """Route many issues lazily, yielding compact :class:`Routed` tuples.

        No deadlines, partners or reasons are computed; call :meth:`route` for the issues whose
        full assignment is needed.  Results do not depend on the order of the issues.

        Example:
            >>> from datetime import datetime, tzinfo
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> issues = [Issue(id=f"i{n}", category="dispute", severity=n, channel=Channel.APP,
            ...                 place="h-0001", reporter=Reporter.resident("r"),
            ...                 reported_at=datetime(2026, 11, 26, tzinfo=CST)) for n in (1, 3)]
            >>> [(r.unit, r.rule, r.moved_by_matrix) for r in router.route_many(issues)]
            [('mg11', 'default', False), ('g1', 'default', True)]
        """
        rules = self.rules.rules
        table = self._table
        limits = self._limits
        start_level = self._start_level
        place_chain = self.grid.place_chain
        for issue in issues:
            category, severity = issue.category, int(issue.severity)
            candidates = table.get((category, severity, issue.channel))
            if candidates is not None and len(candidates) == 1:
                index = candidates[0]
            else:
                index = self._rule_index(issue, candidates)
            chain = place_chain(issue.place) if issue.place is not None else self._chain(issue)
            level = start_level[index]
            start = 0 if level is None else max(0, len(chain) - 1 - level)
            i = start
            while limits[chain[i].id][category] < severity:
                i += 1
            yield Routed(issue.id, chain[i].id, rules[index].id, i != start)
