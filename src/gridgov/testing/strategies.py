"""Hypothesis strategies for gridgov values, for testing code built on gridgov.

Every value is built through gridgov's public constructors, so it is valid by construction:
a test that draws a grid never has to filter out broken ones.  The strategies follow
hypothesis' own API style: plural names, keyword-only arguments, customisation points that
take strategies, and :class:`hypothesis.errors.InvalidArgument` raised as soon as a strategy
is defined with arguments it cannot satisfy.

Usage in a test module (not run here)::

    from hypothesis import given
    from gridgov.testing.strategies import grids

    @given(grids(max_units=10))
    def test_every_chain_ends_at_a_root(grid):
        for unit in grid:
            assert grid.chain(unit.id)[-1].parent is None

Routing worlds are drawn step by step, each value for the ones drawn before it — over a
category catalogue drawn two levels deep, or your own — and checked with
:func:`gridgov.testing.checks.check_routing`::

    from hypothesis import given, strategies as st
    from gridgov.testing.checks import check_routing
    from gridgov.testing.strategies import (
        catalogues, categories, grids, issues, resident_files, responsibility_matrices,
        rule_sets)

    @given(catalogues(), st.data())
    def test_generated_rules_route_soundly(catalogue, data):
        grid = data.draw(grids(min_units=1, categories=categories(catalogue=catalogue)))
        rules = data.draw(rule_sets(scheme=grid.scheme, catalogue=catalogue))
        matrix = data.draw(responsibility_matrices(grid, catalogue=catalogue))
        files = data.draw(resident_files(grid=grid)) if grid.places else None
        issue = data.draw(issues(grid, catalogue=catalogue, residents=files))
        check_routing(rules, grid, issue, matrix=matrix, catalogue=catalogue, residents=files)

Example:
    >>> from hypothesis.strategies import SearchStrategy
    >>> from gridgov.testing.strategies import grids, tier_schemes
    >>> isinstance(grids(max_units=5), SearchStrategy)
    True
    >>> tier_schemes(min_depth=0)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: min_depth=0 must be at least 1.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Literal, NamedTuple, TypeVar

import attrs
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov._time import CST
from gridgov.calendar import Deadline, TimeLimit, WorkCalendar
from gridgov.cases import (
    TRANSITIONS,
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Dispatched,
    DuplicateMerged,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    SeverityRaised,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
)
from gridgov.criteria import MAX_AGE, Criteria
from gridgov.errors import InvalidTransitionError
from gridgov.escalation import (
    DEFAULT_TRIGGERS,
    EscalationPolicy,
    ExternalBody,
    Sla,
    escalate,
    escalation_for,
)
from gridgov.grid import GridGraph, GridUnit, Place, PlaceKind
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    MAX_CATEGORIES,
    Category,
    CategoryCatalogue,
    Channel,
    Issue,
    Reporter,
    ReporterKind,
    Severity,
)
from gridgov.people import (
    CONDITION_KINDS,
    Condition,
    Member,
    Partner,
    PartnerKind,
    Post,
    Resident,
    ResidentFiles,
    Role,
)
from gridgov.reasons import Reason
from gridgov.routing import Match, Responsibility, ResponsibilityMatrix, RoutingRule, RuleSet
from gridgov.tiers import FOUR_TIER, THREE_TIER, Tier, TierScheme
from gridgov.visits import (
    Frequency,
    VisitColour,
    VisitMode,
    VisitPolicy,
    VisitRecord,
    VisitRule,
)

__all__ = [
    "Attempt",
    "calendars",
    "catalogues",
    "categories",
    "conditions",
    "criteria",
    "escalation_policies",
    "event_attempts",
    "event_sequences",
    "frequencies",
    "grids",
    "issues",
    "members",
    "moments",
    "opened_cases",
    "partners",
    "places",
    "resident_files",
    "residents",
    "responsibility_matrices",
    "routing_rules",
    "rule_sets",
    "tier_schemes",
    "tiers",
    "time_limits",
    "visit_policies",
    "visit_records",
    "visit_rules",
]

# The module is laid out in sections, each under a rule of dashes: argument checks, small
# pieces, then one section per part of gridgov (tiers, grids, places and teams, people, time,
# issues, routing, ...).  New strategies go in the section of the module they draw values of.

_CODE_REST = string.ascii_lowercase + string.digits + "_"
_LABEL_REST = string.ascii_letters + string.digits + " -"
_ZH = "社区网格微楼院栋户号一二三四五六七八九十东西南北新美好人家花园"
_NAMES = (
    "亚新社区",
    "第三网格",
    "美好人家1号楼",
    "吕阿姨",
    "彭雪丽",
    "李燕明",
    "美好人家物业",
    "淮河路派出所",
    "二道街社区",
    "花园楼院",
)
_SKILLS = (
    "appliance_repair",
    "housekeeping",
    "health_care",
    "mediation",
    "legal_advice",
    "gardening",
)
_CATEGORIES = (
    "facility_repair",
    "environment",
    "dispute",
    "elder_care",
    "public_order",
    "safety_hazard",
    "volunteer_service",  # a broad category with refinements (appliance repair, housekeeping)
)
_LATEST_FILE = date(2100, 12, 31)
_GROUPS = ("party_member", "elderly", "youth", "child", "woman", "volunteer")
# Non-leading roles first, so that a drawn role shrinks towards one that leads nothing.
_FOLLOWING = tuple(r for r in Role if not r.leads)
_ROLES = _FOLLOWING + tuple(r for r in Role if r.leads)

# The default window of time: calendars put their holidays and make-up workdays in it, and
# moments and issues fall in it, so that days off are dense around the drawn moments.
_WINDOW_START = date(2025, 9, 1)
_WINDOW_END = date(2026, 8, 31)
_MOMENT_MIN = datetime(2025, 9, 1, tzinfo=CST)
_MOMENT_MAX = datetime(2026, 9, 1, tzinfo=CST)
# Fixed offsets only (no tz database is read): China, UTC, UTC-5 and Nepal's UTC+5:45.
_ZONES: tuple[tzinfo, ...] = (
    CST,
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=45)),
)
_OFFSETS = (480, 0, -300, 345)
_OFFICE = WorkCalendar()  # Monday to Friday, 08:30-12:00 and 14:00-18:00, UTC+8
_Basis = Literal["working", "natural"]
_Unit = Literal["hours", "days"]
_BASES: tuple[_Basis, ...] = ("working", "natural")
_UNITS: tuple[_Unit, ...] = ("hours", "days")


# --------------------------------------------------------------------------- argument checks


def _check_int(name: str, value: object, *, at_least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer.")
    if value < at_least:
        raise InvalidArgument(f"{name}={value!r} must be at least {at_least}.")
    return value


def _check_order(lo_name: str, lo: object, hi_name: str, hi: object) -> None:
    if hi < lo:  # type: ignore[operator]
        raise InvalidArgument(f"{hi_name}={hi!r} must not be less than {lo_name}={lo!r}.")


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False.")


def _check_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}={value!r:.60} must be a hypothesis strategy or None.")


def _check_date(name: str, value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgument(f"{name}={value!r} must be a datetime.date.")
    return value


def _check_grid(value: object) -> GridGraph:
    if not isinstance(value, GridGraph):
        raise InvalidArgument(f"grid={value!r:.60} must be a GridGraph.")
    return value


def _check_scheme(value: object) -> TierScheme:
    if not isinstance(value, TierScheme):
        raise InvalidArgument(f"scheme={value!r:.60} must be a TierScheme.")
    return value


def _check_catalogue(value: object) -> CategoryCatalogue:
    if not isinstance(value, CategoryCatalogue):
        raise InvalidArgument(f"catalogue={value!r:.60} must be a CategoryCatalogue.")
    if not len(value):
        raise InvalidArgument(f"catalogue {value.name!r} has no categories to draw.")
    return value  # a catalogue cannot be built with a loop of parents


def _check_aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgument(f"{name}={value!r} must be a timezone-aware datetime.")
    return value


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if value is not None and value not in choices:
        raise InvalidArgument(f"{name}={value!r} must be one of {list(choices)} or None.")


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name}={value!r} must be a non-empty string.")
    return value


# --------------------------------------------------------------------------- small pieces


def _codes() -> SearchStrategy[str]:
    """Lower-case codes (``[a-z][a-z0-9_]*``), shrinking towards ``'a'``."""
    return st.tuples(st.sampled_from(string.ascii_lowercase), st.text(_CODE_REST, max_size=9)).map(
        "".join
    )


def _labels() -> SearchStrategy[str]:
    """Non-blank English labels, shrinking towards ``'a'``."""
    return st.tuples(st.sampled_from(string.ascii_letters), st.text(_LABEL_REST, max_size=19)).map(
        "".join
    )


def _names() -> SearchStrategy[str]:
    """Names from a small sample (one draw each, which keeps big grids cheap to draw)."""
    return st.sampled_from(_NAMES)


def _zh() -> SearchStrategy[str]:
    """Short non-empty Chinese names, shrinking towards ``'社'``."""
    return st.text(_ZH, min_size=1, max_size=8)


def _fresh_id(draw: st.DrawFn, ids: SearchStrategy[str] | None, used: set[str], prefix: str) -> str:
    """An id not in *used* (which it joins): drawn from *ids*, or the next free ``prefix<n>``."""
    if ids is None:
        n = len(used)
        while f"{prefix}{n}" in used:
            n += 1
        new = f"{prefix}{n}"
    else:
        new = draw(ids.filter(lambda s: s not in used))
    used.add(new)
    return new


# --------------------------------------------------------------------------- tiers


def tiers(*, names: SearchStrategy[str] | None = None) -> SearchStrategy[Tier]:
    """Tiers with a code name, an English label and a Chinese label.

    Args:
        names: a strategy for the tier's code name; by default lower-case codes such as
            ``"micro_grid"``.  It must produce valid codes (``[a-z][a-z0-9_]*``).

    Tiers shrink towards the name ``'a'``, the label ``'a'``, the Chinese label ``'社'`` and
    empty leader titles.

    Example:
        >>> from hypothesis.strategies import SearchStrategy, just
        >>> from gridgov.testing.strategies import tiers
        >>> isinstance(tiers(names=just("building")), SearchStrategy)
        True
        >>> tiers(names="building")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: names='building' must be a hypothesis strategy or None.
    """
    _check_strategy("names", names)
    return st.builds(
        Tier,
        name=_codes() if names is None else names,
        label=_labels(),
        zh=_zh(),
        leader_title=st.one_of(st.just(""), _labels()),
        leader_title_zh=st.one_of(st.just(""), _zh()),
    )


def tier_schemes(
    *, min_depth: int = 1, max_depth: int = 5, defaults: bool = True
) -> SearchStrategy[TierScheme]:
    """Tier schemes of ``min_depth`` to ``max_depth`` tiers with unique names.

    Args:
        min_depth: the fewest tiers (at least 1).
        max_depth: the most tiers.
        defaults: whether :data:`~gridgov.THREE_TIER` and :data:`~gridgov.FOUR_TIER` are
            drawn too (each only if its depth is within the bounds).

    Schemes shrink towards :data:`~gridgov.THREE_TIER` when the defaults are allowed and
    fit, otherwise towards ``min_depth`` tiers that shrink as :func:`tiers` does.

    Raises:
        hypothesis.errors.InvalidArgument: if ``min_depth < 1`` or ``max_depth < min_depth``.

    Example:
        >>> from gridgov.testing.strategies import tier_schemes
        >>> tier_schemes(min_depth=4, max_depth=3)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_depth=3 must not be less than min_depth=4.
    """
    _check_int("min_depth", min_depth, at_least=1)
    _check_int("max_depth", max_depth, at_least=1)
    _check_order("min_depth", min_depth, "max_depth", max_depth)
    _check_bool("defaults", defaults)
    drawn = st.builds(
        TierScheme,
        name=_codes(),
        tiers=st.lists(tiers(), min_size=min_depth, max_size=max_depth, unique_by=_tier_name),
    )
    known = [s for s in (THREE_TIER, FOUR_TIER) if min_depth <= len(s) <= max_depth]
    if defaults and known:
        return st.one_of(st.sampled_from(known), drawn)
    return drawn


def _tier_name(tier: Tier) -> str:
    return tier.name


# --------------------------------------------------------------------------- grids


def grids(
    *,
    scheme: TierScheme | SearchStrategy[TierScheme] | None = None,
    min_units: int = 1,
    max_units: int = 30,
    max_depth: int | None = None,
    places: bool = True,
    max_places: int = 20,
    members: bool = True,
    max_members: int = 5,
    partners: bool = True,
    max_partners: int = 3,
    categories: SearchStrategy[str] | None = None,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    version: str = "v1",
) -> SearchStrategy[GridGraph]:
    """Valid grids of random shape and depth, with places, members and partners.

    A grid is grown one unit at a time: each new unit is either a new root of the top tier or
    is attached to an already drawn unit one tier above it.  Places go to bottom-tier units;
    members (drawn as :func:`members` draws them) hold posts at the grid's units with at most
    one leader per unit; partners cover units of the grid.

    Args:
        scheme: the tier scheme, or a strategy for it (default :func:`tier_schemes`).
        min_units: the fewest units (0 allows an empty grid).
        max_units: the most units.
        max_depth: the deepest a unit may be (0: only top-tier units); default: the scheme's
            bottom tier.  Places need bottom-tier units, so a shallower bound means no places.
        places: whether to draw places.
        max_places: the most places.
        members: whether to draw members of the grid team.
        max_members: the most members.
        partners: whether to draw partners.
        max_partners: the most partners.
        categories: a strategy for the category codes partners serve (default: a few codes
            of :data:`~gridgov.DEFAULT_CATALOGUE`, a broad one with refinements among them);
            pass ``categories(catalogue=mine)`` to draw partners for your own catalogue.
        ids: a strategy for unit, place, member and partner ids (valid non-blank strings);
            by default readable sequential ids ``u0``, ``u1``, ... / ``p0`` / ``m0`` / ``o0``.
        names: a strategy for unit and member names (default: a sample of Chinese names).
        version: the grid's version label.

    Grids shrink towards fewer units.  Every unit is one element of a list, so the shrinker
    can delete any of them; a unit finds its parent counting back from the units drawn just
    before it, so deleting an earlier unit keeps later units under the same parent, and a
    failing grid shrinks from the bottom up to the few units it needs.  A unit's parent
    shrinks towards a new root, then towards the most recently drawn unit that can take it;
    places, members and partners shrink towards none, and the scheme as
    :func:`tier_schemes` does.

    Raises:
        hypothesis.errors.InvalidArgument: if a bound is negative or ``max_units < min_units``,
            or an argument has the wrong type.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import grids
        >>> isinstance(grids(scheme=THREE_TIER, max_units=5), SearchStrategy)
        True
        >>> grids(min_units=3, max_units=2)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_units=2 must not be less than min_units=3.
    """
    if scheme is None:
        schemes: SearchStrategy[TierScheme] = tier_schemes()
    elif isinstance(scheme, TierScheme):
        schemes = st.just(scheme)
    elif isinstance(scheme, SearchStrategy):
        schemes = scheme
    else:
        raise InvalidArgument(
            f"scheme={scheme!r:.60} must be a TierScheme, a strategy for one, or None."
        )
    _check_int("min_units", min_units, at_least=0)
    _check_int("max_units", max_units, at_least=0)
    _check_order("min_units", min_units, "max_units", max_units)
    if max_depth is not None:
        _check_int("max_depth", max_depth, at_least=0)
    for flag, value in (("places", places), ("members", members), ("partners", partners)):
        _check_bool(flag, value)
    _check_int("max_places", max_places, at_least=0)
    _check_int("max_members", max_members, at_least=0)
    _check_int("max_partners", max_partners, at_least=0)
    _check_strategy("categories", categories)
    _check_strategy("ids", ids)
    _check_strategy("names", names)
    if not isinstance(version, str) or not version.strip():
        raise InvalidArgument(f"version={version!r} must be a non-empty string.")
    return _grids(
        schemes,
        min_units,
        max_units,
        max_depth,
        max_places if places else 0,
        max_members if members else 0,
        max_partners if partners else 0,
        _categories() if categories is None else categories,
        ids,
        _names() if names is None else names,
        version,
    )


# How far back a unit may look for its parent (see _grids); larger than any sensible grid.
_REACH = 1000

# (id or None for a sequential one, name, posts as (unit, role) pairs, skills)
_MemberParts = tuple[str | None, str, list[tuple[str, Role]], frozenset[str]]
# (id or None, name, kind, categories, units)
_PartnerParts = tuple[str | None, str, PartnerKind, frozenset[str], frozenset[str]]
_Parts = TypeVar("_Parts", bound=tuple[Any, ...])


def _optional_ids(ids: SearchStrategy[str] | None) -> SearchStrategy[str | None]:
    return st.none() if ids is None else ids


def _first(parts: tuple[Any, ...]) -> Any:
    return parts[0]


def _lists(
    elements: SearchStrategy[_Parts],
    *,
    min_size: int = 0,
    max_size: int,
    ids: SearchStrategy[str] | None,
) -> SearchStrategy[list[_Parts]]:
    """Lists of parts whose first item is a drawn id (unique) or ``None`` (ids are made up)."""
    if ids is None:
        return st.lists(elements, min_size=min_size, max_size=max_size)
    return st.lists(elements, min_size=min_size, max_size=max_size, unique_by=_first)


@st.composite
def _grids(
    draw: st.DrawFn,
    schemes: SearchStrategy[TierScheme],
    min_units: int,
    max_units: int,
    max_depth: int | None,
    max_places: int,
    max_members: int,
    max_partners: int,
    served: SearchStrategy[str],
    ids: SearchStrategy[str] | None,
    names: SearchStrategy[str],
    version: str,
) -> GridGraph:
    scheme = draw(schemes)
    bottom = len(scheme) - 1
    deepest = bottom if max_depth is None else min(max_depth, bottom)
    # Each unit is drawn as (id, parent choice, name), as one element of a list, so that the
    # shrinker can delete any unit.  Choice 0 makes a new root; a choice up to _REACH // 2
    # attaches the unit to the most recently drawn unit that can take a child (which makes
    # deep grids common), a higher one to any such unit, counting back.  Counting back means
    # deleting an earlier unit rarely changes which parent a later unit finds.
    specs = draw(
        _lists(
            st.tuples(_optional_ids(ids), st.integers(0, _REACH), names),
            min_size=min_units,
            max_size=max_units,
            ids=ids,
        )
    )
    units: list[GridUnit] = []
    level: dict[str, int] = {}
    can_parent: list[str] = []
    for i, (drawn_id, choice, name) in enumerate(specs):
        unit_id = f"u{i}" if drawn_id is None else drawn_id
        if choice == 0 or not can_parent:
            parent, depth = None, 0
        else:
            back = 0 if choice <= _REACH // 2 else choice % len(can_parent)
            parent = can_parent[-1 - back]
            depth = level[parent] + 1
        units.append(GridUnit(id=unit_id, name=name, tier=scheme.tiers[depth].name, parent=parent))
        level[unit_id] = depth
        if depth < deepest:
            can_parent.append(unit_id)
    unit_ids = [u.id for u in units]
    bottom_ids = [u.id for u in units if level[u.id] == bottom]

    place_index: dict[str, str] = {}
    if bottom_ids and max_places:
        assigned = draw(
            _lists(
                st.tuples(_optional_ids(ids), st.sampled_from(bottom_ids)),
                max_size=max_places,
                ids=ids,
            )
        )
        place_index = {f"p{i}" if p is None else p: u for i, (p, u) in enumerate(assigned)}

    team: list[Member] = []
    if max_members:
        led: set[str] = set()
        drawn_members = draw(
            _lists(
                _member_parts(ids, names, unit_ids, max_posts=3),
                max_size=max_members,
                ids=ids,
            )
        )
        for i, parts in enumerate(drawn_members):
            team.append(_build_member(f"m{i}" if parts[0] is None else parts[0], parts, led))

    linked: list[Partner] = []
    if max_partners:
        drawn_partners = draw(
            _lists(
                _partner_parts(ids, names, served, unit_ids, max_units=3),
                max_size=max_partners,
                ids=ids,
            )
        )
        for i, partner_parts in enumerate(drawn_partners):
            partner_id = partner_parts[0]
            linked.append(
                _build_partner(f"o{i}" if partner_id is None else partner_id, partner_parts)
            )

    return GridGraph(
        version=version,
        scheme=scheme,
        units=units,
        places=place_index,
        members=team,
        partners=linked,
    )


def _member_parts(
    ids: SearchStrategy[str] | None,
    names: SearchStrategy[str],
    unit_ids: Sequence[str],
    *,
    max_posts: int,
) -> SearchStrategy[_MemberParts]:
    posts = (
        st.lists(st.tuples(st.sampled_from(unit_ids), st.sampled_from(_ROLES)), max_size=max_posts)
        if unit_ids and max_posts
        else st.builds(list)
    )
    return st.tuples(
        _optional_ids(ids),
        names,
        posts,
        st.frozensets(st.sampled_from(_SKILLS), max_size=3),
    )


def _build_member(member_id: str, parts: _MemberParts, led: set[str]) -> Member:
    """The member; a leading post at a unit in *led* (which is updated) becomes a grid
    worker's post, so that no unit gets a second leader."""
    _, name, drawn_posts, skills = parts
    posts: list[Post] = []
    for unit, role in drawn_posts:
        if role.leads:
            if unit in led:
                role = _FOLLOWING[0]
            else:
                led.add(unit)
        posts.append(Post(role=role, unit=unit))
    return Member(id=member_id, name=name, posts=posts, skills=skills)


def _partner_parts(
    ids: SearchStrategy[str] | None,
    names: SearchStrategy[str],
    categories: SearchStrategy[str],
    unit_ids: Sequence[str],
    *,
    max_units: int,
) -> SearchStrategy[_PartnerParts]:
    covered = (
        st.frozensets(st.sampled_from(unit_ids), max_size=max_units)
        if unit_ids and max_units
        else st.builds(frozenset[str])
    )
    return st.tuples(
        _optional_ids(ids),
        names,
        st.sampled_from(PartnerKind),
        st.frozensets(categories, max_size=3),
        covered,
    )


def _build_partner(partner_id: str, parts: _PartnerParts) -> Partner:
    _, name, kind, categories, units = parts
    return Partner(id=partner_id, name=name, kind=kind, categories=categories, units=units)


def _categories() -> SearchStrategy[str]:
    return st.sampled_from(_CATEGORIES)


# --------------------------------------------------------------------------- places and teams


def places(
    grid: GridGraph,
    *,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
) -> SearchStrategy[Place]:
    """Places that ``grid.with_places([place], version=...)`` accepts.

    A place goes to a bottom-tier unit of *grid*; its id is either new to the grid or one the
    grid already has (the place then moves).

    Args:
        grid: the grid the places are for; it must have a bottom-tier unit.
        ids: a strategy for new place ids (default: the next free ``p<n>``).
        names: a strategy for place names (default: empty, or a Chinese name).

    Places shrink towards a new id, the first bottom-tier unit, a household, and no name.

    Raises:
        hypothesis.errors.InvalidArgument: if *grid* is not a grid or has no bottom-tier unit.

    Example:
        >>> from gridgov import GridGraph, GridUnit
        >>> from gridgov.testing.strategies import places
        >>> places(GridGraph(version="v", units=[GridUnit(id="c", name="C", tier="community")]))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: grid version 'v' has no unit of the bottom tier 'micro_grid' to put places in.
    """
    grid = _check_grid(grid)
    _check_strategy("ids", ids)
    _check_strategy("names", names)
    bottom = grid.scheme.bottom.name
    bottom_ids = [u.id for u in grid.units_of(bottom)]
    if not bottom_ids:
        raise InvalidArgument(
            f"grid version {grid.version!r} has no unit of the bottom tier {bottom!r} to put "
            "places in."
        )
    return _places(
        grid, bottom_ids, ids, st.one_of(st.just(""), _names() if names is None else names)
    )


@st.composite
def _places(
    draw: st.DrawFn,
    grid: GridGraph,
    bottom_ids: Sequence[str],
    ids: SearchStrategy[str] | None,
    names: SearchStrategy[str],
) -> Place:
    existing = sorted(grid.places)
    move = bool(existing) and draw(st.booleans())
    pid = draw(st.sampled_from(existing)) if move else _fresh_id(draw, ids, set(existing), "p")
    return Place(
        id=pid,
        unit=draw(st.sampled_from(bottom_ids)),
        kind=draw(st.sampled_from(PlaceKind)),
        name=draw(names),
    )


def members(
    grid: GridGraph,
    *,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    max_posts: int = 3,
) -> SearchStrategy[Member]:
    """Members who can join *grid*'s team: ``grid.with_team(members=(*grid.members, m), ...)``
    is valid.

    The member's id is new to the team and every post is at a unit of *grid*.  A leading role
    (:attr:`Role.leads <gridgov.Role.leads>`) drawn for a unit that already has a leader
    becomes a grid worker's post, so the member never makes a second leader.

    Args:
        grid: the grid whose team the member joins.
        ids: a strategy for member ids (default: the next free ``m<n>``).
        names: a strategy for names (default: a sample of Chinese names).
        max_posts: the most posts (a grid without units gives members without posts).

    Members shrink towards fewer posts, non-leading roles, posts at the first unit, and no
    skills.

    Raises:
        hypothesis.errors.InvalidArgument: if *grid* is not a grid or ``max_posts < 0``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import members
        >>> isinstance(members(sample_grid()), SearchStrategy)
        True
    """
    grid = _check_grid(grid)
    _check_strategy("ids", ids)
    _check_strategy("names", names)
    _check_int("max_posts", max_posts, at_least=0)
    parts = _member_parts(
        None, _names() if names is None else names, [u.id for u in grid.units], max_posts=max_posts
    )
    return _members(grid, ids, parts)


@st.composite
def _members(
    draw: st.DrawFn,
    grid: GridGraph,
    ids: SearchStrategy[str] | None,
    parts: SearchStrategy[_MemberParts],
) -> Member:
    member_id = _fresh_id(draw, ids, {m.id for m in grid.members}, "m")
    led = {u.id for u in grid.units if grid.leader(u.id) is not None}
    return _build_member(member_id, draw(parts), led)


def partners(
    grid: GridGraph,
    *,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    categories: SearchStrategy[str] | None = None,
    max_units: int = 3,
) -> SearchStrategy[Partner]:
    """Partners that can join *grid*: ``grid.with_team(partners=(*grid.partners, p), ...)``
    is valid.

    Args:
        grid: the grid the partner links up with.
        ids: a strategy for partner ids (default: the next free ``o<n>``).
        names: a strategy for names (default: a sample of Chinese names).
        categories: a strategy for the category codes served (default: a few common codes).
        max_units: the most units covered (all drawn from *grid*).

    Partners shrink towards the first kind, no categories (serves any) and no units.

    Raises:
        hypothesis.errors.InvalidArgument: if *grid* is not a grid or ``max_units < 0``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import partners
        >>> isinstance(partners(sample_grid(), max_units=1), SearchStrategy)
        True
    """
    grid = _check_grid(grid)
    _check_strategy("ids", ids)
    _check_strategy("names", names)
    _check_strategy("categories", categories)
    _check_int("max_units", max_units, at_least=0)
    parts = _partner_parts(
        None,
        _names() if names is None else names,
        _categories() if categories is None else categories,
        [u.id for u in grid.units],
        max_units=max_units,
    )
    return _partners(grid, ids, parts)


@st.composite
def _partners(
    draw: st.DrawFn,
    grid: GridGraph,
    ids: SearchStrategy[str] | None,
    parts: SearchStrategy[_PartnerParts],
) -> Partner:
    partner_id = _fresh_id(draw, ids, {p.id for p in grid.partners}, "o")
    return _build_partner(partner_id, draw(parts))


# --------------------------------------------------------------------------- people


def conditions(
    *,
    kinds: SearchStrategy[str] | None = None,
    min_date: date = date(2000, 1, 1),
    max_date: date = date(2040, 12, 31),
) -> SearchStrategy[Condition]:
    """Conditions with an optional validity window ``[start, end)`` inside the given dates.

    Args:
        kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        min_date: the earliest start or end.
        max_date: the latest start or end; it must be after ``min_date``.

    Conditions shrink towards the first kind (``living_alone``), an open window (no start,
    no end), dates towards ``min_date``, and no note.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_date <= min_date``.

    Example:
        >>> from datetime import date
        >>> from gridgov.testing.strategies import conditions
        >>> conditions(min_date=date(2026, 1, 1), max_date=date(2026, 1, 1))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_date=datetime.date(2026, 1, 1) must be after min_date=datetime.date(2026, 1, 1).
    """
    _check_strategy("kinds", kinds)
    _check_date("min_date", min_date)
    _check_date("max_date", max_date)
    if max_date <= min_date:
        raise InvalidArgument(f"max_date={max_date!r} must be after min_date={min_date!r}.")
    return _conditions(
        st.sampled_from(tuple(CONDITION_KINDS)) if kinds is None else kinds, min_date, max_date
    )


@st.composite
def _conditions(
    draw: st.DrawFn, kinds: SearchStrategy[str], min_date: date, max_date: date
) -> Condition:
    kind = draw(kinds)
    day = timedelta(days=1)
    start = draw(st.one_of(st.none(), st.dates(min_date, max_date - day)))
    end = draw(st.one_of(st.none(), st.dates(min_date if start is None else start + day, max_date)))
    note = draw(st.one_of(st.just(""), _zh()))
    return Condition(kind=kind, start=start, end=end, note=note)


def residents(
    *,
    grid: GridGraph | None = None,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    conditions: SearchStrategy[Condition] | None = None,
    max_conditions: int = 3,
    min_birth_date: date = date(1920, 1, 1),
    max_birth_date: date = date(2020, 12, 31),
) -> SearchStrategy[Resident]:
    """Personal files (一人一档) with conditions that have validity windows.

    Args:
        grid: if given, residents live in one of its places (it must have places);
            otherwise in households ``h-0000`` to ``h-9999``.
        ids: a strategy for resident ids (default ``r-0000`` to ``r-9999``).
        names: a strategy for names (default: a sample of Chinese names).
        conditions: a strategy for conditions (default: :func:`conditions`).
        max_conditions: the most conditions on a file.
        min_birth_date: the earliest birth date.
        max_birth_date: the latest birth date.

    Residents shrink towards the first id and household, a birth date near 2000-01-01
    within the bounds, no conditions, no file-opening date and no tags.  A file-opening date
    is never before the birth date (nor, unless the birth date is, after 2100).

    Raises:
        hypothesis.errors.InvalidArgument: if the grid has no places, ``max_conditions < 0``
            or ``max_birth_date < min_birth_date``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import residents
        >>> isinstance(residents(grid=sample_grid()), SearchStrategy)
        True
        >>> residents(max_conditions=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_conditions=-1 must be at least 0.
    """
    if grid is None:
        households: SearchStrategy[str] = st.integers(0, 9999).map("h-{:04d}".format)
    else:
        grid = _check_grid(grid)
        if not grid.places:
            raise InvalidArgument(
                f"grid version {grid.version!r} has no places for residents to live in."
            )
        households = st.sampled_from(sorted(grid.places))
    _check_strategy("ids", ids)
    _check_strategy("names", names)
    _check_strategy("conditions", conditions)
    _check_int("max_conditions", max_conditions, at_least=0)
    _check_date("min_birth_date", min_birth_date)
    _check_date("max_birth_date", max_birth_date)
    _check_order("min_birth_date", min_birth_date, "max_birth_date", max_birth_date)
    return _residents(
        st.integers(0, 9999).map("r-{:04d}".format) if ids is None else ids,
        _names() if names is None else names,
        households,
        st.lists(
            _conditions(
                st.sampled_from(tuple(CONDITION_KINDS)), date(2000, 1, 1), date(2040, 12, 31)
            )
            if conditions is None
            else conditions,
            max_size=max_conditions,
        ),
        st.dates(min_birth_date, max_birth_date),
    )


@st.composite
def _residents(
    draw: st.DrawFn,
    ids: SearchStrategy[str],
    names: SearchStrategy[str],
    households: SearchStrategy[str],
    condition_lists: SearchStrategy[list[Condition]],
    birth_dates: SearchStrategy[date],
) -> Resident:
    birth = draw(birth_dates)
    return Resident(
        id=draw(ids),
        name=draw(names),
        household=draw(households),
        birth_date=birth,
        conditions=draw(condition_lists),
        file_opened=draw(st.one_of(st.none(), st.dates(birth, max(birth, _LATEST_FILE)))),
        tags=draw(st.frozensets(st.sampled_from(_GROUPS), max_size=3)),
    )


_residents_of = residents  # resident_files() takes a 'residents' argument of its own


def resident_files(
    *,
    grid: GridGraph | None = None,
    residents: SearchStrategy[Resident] | None = None,
    min_size: int = 0,
    max_size: int = 5,
) -> SearchStrategy[ResidentFiles]:
    """Indexes of personal files (:class:`~gridgov.ResidentFiles`), one file per resident id,
    as a router or a sweep takes them per call.

    Args:
        grid: if given, the residents live in its places (as for :func:`residents`).
        residents: a strategy for the files (default: :func:`residents` of *grid*).
        min_size: the fewest files.
        max_size: the most files.

    Indexes shrink towards fewer files, each as :func:`residents` shrinks.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_size < min_size``, a size is negative,
            *residents* is not a strategy, or the grid has no places.

    Example:
        >>> from gridgov.testing.strategies import resident_files
        >>> resident_files(min_size=3, max_size=2)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_size=2 must not be less than min_size=3.
    """
    _check_strategy("residents", residents)
    _check_int("min_size", min_size, at_least=0)
    _check_int("max_size", max_size, at_least=0)
    _check_order("min_size", min_size, "max_size", max_size)
    files = _residents_of(grid=grid) if residents is None else residents
    return st.lists(files, min_size=min_size, max_size=max_size, unique_by=_resident_id).map(
        ResidentFiles
    )


def _resident_id(resident: Resident) -> str:
    return resident.id


def criteria(
    *,
    kinds: SearchStrategy[str] | None = None,
    max_conditions: int = 2,
    tags: SearchStrategy[str] | None = None,
    max_tags: int = 2,
    ages: bool = True,
) -> SearchStrategy[Criteria]:
    """Resident criteria (:class:`~gridgov.Criteria`), as routing rules and visit rules
    read personal files: conditions (all of / any of), tags (all of / any of) and an age band.

    Args:
        kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        max_conditions: the most codes in each of ``conditions_all`` and
            ``conditions_any``.
        tags: a strategy for tags (default: the group tags :func:`residents` draws, such as
            ``"party_member"`` and ``"youth"``).
        max_tags: the most tags in each of ``tags_all`` and ``tags_any``.
        ages: whether to draw ``min_age`` and ``max_age`` (0 to 110, in order).

    Criteria shrink towards the empty criteria (every resident whose file is open).

    Raises:
        hypothesis.errors.InvalidArgument: if a maximum is negative or an argument has the
            wrong type.

    Example:
        >>> from hypothesis.strategies import just
        >>> from gridgov.testing.strategies import criteria
        >>> criteria(kinds=just("injured"), max_tags=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_tags=-1 must be at least 0.
    """
    parts = _criteria_parts(kinds, max_conditions, tags, max_tags, ages)
    return _criteria(parts, False)


_CriteriaParts = tuple[
    SearchStrategy[str], int, SearchStrategy[str], int, bool
]  # kinds, max_conditions, tags, max_tags, ages
_OLDEST = 110  # the oldest age a drawn criterion names (residents are born from 1920)


def _criteria_parts(
    kinds: SearchStrategy[str] | None,
    max_conditions: int,
    tags: SearchStrategy[str] | None,
    max_tags: int,
    ages: bool,
) -> _CriteriaParts:
    _check_strategy("kinds", kinds)
    _check_int("max_conditions", max_conditions, at_least=0)
    _check_strategy("tags", tags)
    _check_int("max_tags", max_tags, at_least=0)
    _check_bool("ages", ages)
    return (
        st.sampled_from(tuple(CONDITION_KINDS)) if kinds is None else kinds,
        max_conditions,
        st.sampled_from(_GROUPS) if tags is None else tags,
        max_tags,
        ages,
    )


def _criteria_fields(parts: _CriteriaParts) -> list[str]:
    """The fields of Criteria the parts allow to be restricted."""
    _, max_conditions, _, max_tags, ages = parts
    fields = []
    if max_conditions:
        fields += ["conditions_any", "conditions_all"]
    if max_tags:
        fields += ["tags_any", "tags_all"]
    if ages:
        fields += ["min_age", "max_age"]
    return fields


@st.composite
def _criteria(draw: st.DrawFn, parts: _CriteriaParts, restrict: bool) -> Criteria:
    """Criteria; with *restrict*, one field drawn first is never left empty.  Each other
    field is restricted one draw in four, so that drawn criteria often match someone."""
    kinds, max_conditions, tags, max_tags, ages = parts
    forced = draw(st.sampled_from(_criteria_fields(parts))) if restrict else None

    def used(field: str) -> bool:
        return field == forced or draw(st.integers(0, 3)) == 3  # shrinks to unused

    def codes(field: str, elements: SearchStrategy[str], most: int) -> frozenset[str]:
        if not most or not used(field):
            return frozenset()
        return draw(st.frozensets(elements, min_size=1, max_size=most))

    low: int | None = None
    high: int | None = None
    if ages:
        if used("min_age"):
            low = draw(st.integers(0, _OLDEST))
        if used("max_age"):
            high = draw(st.integers(0 if low is None else low, min(_OLDEST, MAX_AGE)))
    return Criteria(
        conditions_any=codes("conditions_any", kinds, max_conditions),
        conditions_all=codes("conditions_all", kinds, max_conditions),
        tags_any=codes("tags_any", tags, max_tags),
        tags_all=codes("tags_all", tags, max_tags),
        min_age=low,
        max_age=high,
    )


# --------------------------------------------------------------------------- time


def moments(
    *,
    min_value: datetime = _MOMENT_MIN,
    max_value: datetime = _MOMENT_MAX,
    timezones: SearchStrategy[tzinfo] | None = None,
) -> SearchStrategy[datetime]:
    """Timezone-aware datetimes from ``min_value`` to ``max_value`` (both instants included).

    Args:
        min_value: the earliest instant (an aware datetime).
        max_value: the latest instant (an aware datetime, not before ``min_value``).
        timezones: a strategy for the zone a moment is expressed in (default: fixed offsets
            UTC+8 (:data:`~gridgov.CST`), UTC, UTC-5 and UTC+5:45; no tz database is read).

    The default window, 2025-09-01 to 2026-09-01 in China Standard Time, is the window in
    which :func:`calendars` puts holidays and make-up workdays.  Moments shrink towards
    ``min_value`` expressed in the first zone (CST by default); within the window they shrink
    as :func:`hypothesis.strategies.datetimes` does, field by field, so round times such as
    08:30:00 exactly are drawn often.

    Raises:
        hypothesis.errors.InvalidArgument: if a bound is not an aware datetime or
            ``max_value < min_value``.

    Example:
        >>> from datetime import datetime
        >>> from gridgov.testing.strategies import moments
        >>> moments(min_value=datetime(2026, 1, 1))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_value=datetime.datetime(2026, 1, 1, 0, 0) must be a timezone-aware datetime.
    """
    _check_aware("min_value", min_value)
    _check_aware("max_value", max_value)
    _check_order("min_value", min_value, "max_value", max_value)
    _check_strategy("timezones", timezones)
    return _moments(
        min_value, max_value, st.sampled_from(_ZONES) if timezones is None else timezones
    )


def _moments(
    min_value: datetime, max_value: datetime, zones: SearchStrategy[tzinfo]
) -> SearchStrategy[datetime]:
    # Drawn as a naive UTC wall time, then expressed in the drawn zone: the bounds hold as
    # instants whatever the zone, and the draw keeps st.datetimes' field-wise shrinking.
    lo = min_value.astimezone(UTC).replace(tzinfo=None)
    hi = max_value.astimezone(UTC).replace(tzinfo=None)
    return st.tuples(st.datetimes(lo, hi), zones).map(_in_zone)


def _in_zone(pair: tuple[datetime, tzinfo]) -> datetime:
    utc, zone = pair
    return utc.replace(tzinfo=UTC, fold=0).astimezone(zone)


def calendars(
    *,
    min_date: date = _WINDOW_START,
    max_date: date = _WINDOW_END,
    max_periods: int = 3,
    max_holidays: int = 60,
    max_workdays: int = 20,
    utc_offsets: SearchStrategy[int] | None = None,
) -> SearchStrategy[WorkCalendar]:
    """Working calendars: working weekdays, periods, holidays and make-up workdays (调休).

    Half of the draws keep the office week (Monday to Friday) and the office hours
    (08:30-12:00, 14:00-18:00); the others draw any non-empty set of weekdays and one to
    ``max_periods`` periods at whole seconds of the day.  Holidays and make-up workdays are
    dates from ``min_date`` to ``max_date`` (a date is never both).

    Args:
        min_date: the earliest holiday or make-up workday.
        max_date: the latest holiday or make-up workday.
        max_periods: the most working periods in a day (at least 1); the office hours, with
            two periods, are drawn only if ``max_periods >= 2``.
        max_holidays: the most holidays.
        max_workdays: the most make-up workdays.
        utc_offsets: a strategy for the calendar's UTC offset in minutes (default: 480, 0,
            -300 or 345).

    Calendars shrink towards the default :class:`~gridgov.WorkCalendar`: the office week and
    hours, no holidays, no make-up workdays, UTC+8; holidays and make-up workdays shrink
    towards ``min_date``.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_date < min_date``, ``max_periods < 1``,
            or a maximum is negative.

    Example:
        >>> from hypothesis.strategies import SearchStrategy, just
        >>> from gridgov.testing.strategies import calendars
        >>> isinstance(calendars(max_holidays=0, utc_offsets=just(480)), SearchStrategy)
        True
        >>> calendars(max_periods=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_periods=0 must be at least 1.
    """
    _check_date("min_date", min_date)
    _check_date("max_date", max_date)
    _check_order("min_date", min_date, "max_date", max_date)
    _check_int("max_periods", max_periods, at_least=1)
    _check_int("max_holidays", max_holidays, at_least=0)
    _check_int("max_workdays", max_workdays, at_least=0)
    _check_strategy("utc_offsets", utc_offsets)
    weekdays: SearchStrategy[frozenset[int]] = st.one_of(
        st.just(_OFFICE.weekdays), st.frozensets(st.integers(0, 6), min_size=1)
    )
    hours: SearchStrategy[tuple[tuple[time, ...], ...]] = _periods(max_periods)
    if len(_OFFICE.hours) <= max_periods:
        hours = st.one_of(st.just(_OFFICE.hours), hours)
    days = st.dates(min_date, max_date)
    return _calendars(
        weekdays,
        hours,
        st.frozensets(days, max_size=max_holidays),
        st.frozensets(days, max_size=max_workdays),
        st.sampled_from(_OFFSETS) if utc_offsets is None else utc_offsets,
    )


@st.composite
def _periods(draw: st.DrawFn, max_periods: int) -> tuple[tuple[time, ...], ...]:
    """One to *max_periods* working periods that neither overlap nor touch, on whole minutes
    (a working day of a few seconds would stretch a week's limit over centuries)."""
    n = draw(st.integers(1, max_periods))
    points = sorted(draw(st.sets(st.integers(0, 1439), min_size=2 * n, max_size=2 * n)))
    as_time = [time(p // 60, p % 60) for p in points]
    return tuple(zip(as_time[::2], as_time[1::2], strict=True))


@st.composite
def _calendars(
    draw: st.DrawFn,
    weekdays: SearchStrategy[frozenset[int]],
    hours: SearchStrategy[tuple[tuple[time, ...], ...]],
    holidays: SearchStrategy[frozenset[date]],
    workdays: SearchStrategy[frozenset[date]],
    offsets: SearchStrategy[int],
) -> WorkCalendar:
    days_off = draw(holidays)
    return WorkCalendar(
        weekdays=draw(weekdays),
        hours=draw(hours),
        holidays=days_off,
        workdays=draw(workdays) - days_off,
        utc_offset_minutes=draw(offsets),
    )


def time_limits(
    *,
    basis: _Basis | None = None,
    unit: _Unit | None = None,
    max_amount: int = 30,
    fractions: bool = True,
    to_end_of_day: bool | None = None,
) -> SearchStrategy[TimeLimit]:
    """Time limits (时限) such as "3 working days", "24 hours", "same day".

    Args:
        basis: ``"working"`` or ``"natural"``; default either.
        unit: ``"hours"`` or ``"days"``; default either.
        max_amount: the largest amount (at least 1).  Amounts are whole numbers from 1 (0 too
            for limits to the end of the day, such as "same day") ...
        fractions: ... and, if true, quarters (``0.25``, ``1.5``, ...) up to ``max_amount``.
        to_end_of_day: whether the limit runs to the end of the day its deadline falls on;
            default either.

    Time limits shrink towards one working hour (``TimeLimit.working_hours(1)``): the amount
    towards 1 (0 when to the end of the day), hours before days, working before natural
    time, and not to the end of the day.

    Raises:
        hypothesis.errors.InvalidArgument: for an unknown basis or unit, or
            ``max_amount < 1``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.testing.strategies import time_limits
        >>> isinstance(time_limits(basis="working", to_end_of_day=False), SearchStrategy)
        True
        >>> time_limits(unit="weeks")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: unit='weeks' must be one of ['hours', 'days'] or None.
    """
    _check_choice("basis", basis, _BASES)
    _check_choice("unit", unit, _UNITS)
    _check_int("max_amount", max_amount, at_least=1)
    _check_bool("fractions", fractions)
    if to_end_of_day is not None:
        _check_bool("to_end_of_day", to_end_of_day)
    whole: SearchStrategy[float] = st.integers(1, max_amount)
    or_none: SearchStrategy[float] = st.integers(0, max_amount)
    if fractions:
        quarters = st.integers(1, 4 * max_amount).map(_quarters)
        whole, or_none = st.one_of(whole, quarters), st.one_of(or_none, quarters)
    return _time_limits(
        st.sampled_from(_BASES) if basis is None else st.just(basis),
        st.sampled_from(_UNITS) if unit is None else st.just(unit),
        st.booleans() if to_end_of_day is None else st.just(to_end_of_day),
        whole,
        or_none,
    )


def _quarters(q: int) -> float:
    return q / 4


@st.composite
def _time_limits(
    draw: st.DrawFn,
    bases: SearchStrategy[_Basis],
    units: SearchStrategy[_Unit],
    ends: SearchStrategy[bool],
    amounts: SearchStrategy[float],
    amounts_to_end: SearchStrategy[float],
) -> TimeLimit:
    to_end = draw(ends)
    return TimeLimit(
        amount=draw(amounts_to_end if to_end else amounts),
        unit=draw(units),
        basis=draw(bases),
        to_end_of_day=to_end,
    )


# --------------------------------------------------------------------------- issues


def catalogues(
    *,
    base: CategoryCatalogue | None = None,
    min_size: int = 1,
    max_size: int = 12,
    max_depth: int = 2,
    codes: SearchStrategy[str] | None = None,
    name: str = "generated",
) -> SearchStrategy[CategoryCatalogue]:
    """Category catalogues of your own: broad categories and the ones refining them, such as
    a hotline's list (邻里纠纷 under 矛盾纠纷), with unique codes and unique Chinese labels (so
    :meth:`~gridgov.CategoryCatalogue.from_zh` finds each).

    A catalogue is grown one category at a time: each new category is either a broad one
    (no parent) or refines an already drawn category that is less than ``max_depth - 1``
    levels deep.  With a *base* catalogue, the categories drawn are added to it and may
    refine its categories, so rules and matrices written for the base (such as
    :data:`~gridgov.DEFAULT_RULES` and :data:`~gridgov.DEFAULT_MATRIX` over
    :data:`~gridgov.DEFAULT_CATALOGUE`) still apply.

    Args:
        base: a catalogue to extend (default: none, a catalogue of drawn categories only).
        min_size: the fewest categories drawn (at least 1 without a base).
        max_size: the most categories drawn.
        max_depth: the most levels: 1 gives only broad categories, 2 (the default) broad
            categories and their refinements, 3 refinements of refinements, ...
        codes: a strategy for the codes of the drawn categories (valid codes,
            ``[a-z][a-z0-9_]*``); by default short codes.
        name: the catalogue's name.

    Catalogues shrink towards fewer categories, broad ones (no parent) with codes towards
    ``'a'``; a refinement's parent shrinks towards the most recently drawn category that can
    take one, so a failing hierarchy shrinks from the bottom up.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_size < min_size``, a size or depth is
            out of bounds, there is no base and ``min_size`` is 0 (an empty catalogue has
            nothing to route), or an argument has the wrong type.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> from gridgov.testing.strategies import catalogues
        >>> catalogues(min_size=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_size=0 without a base catalogue could draw an empty catalogue; give min_size >= 1 or a base.
        >>> catalogues(base=DEFAULT_CATALOGUE, max_depth=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_depth=0 must be at least 1.
    """
    if base is not None and not isinstance(base, CategoryCatalogue):
        raise InvalidArgument(f"base={base!r:.60} must be a CategoryCatalogue or None.")
    _check_int("min_size", min_size, at_least=0)
    _check_int("max_size", max_size, at_least=0)
    _check_order("min_size", min_size, "max_size", max_size)
    _check_int("max_depth", max_depth, at_least=1)
    _check_strategy("codes", codes)
    name = _check_text("name", name)
    if base is None and min_size == 0:
        raise InvalidArgument(
            "min_size=0 without a base catalogue could draw an empty catalogue; give "
            "min_size >= 1 or a base."
        )
    room = MAX_CATEGORIES - (0 if base is None else len(base))
    if max_size > room:
        raise InvalidArgument(f"max_size={max_size!r} must be at most {room:,} (MAX_CATEGORIES).")
    existing = () if base is None else base.categories
    taken = frozenset(c.code for c in existing)
    taken_zh = frozenset(c.zh for c in existing)
    drawn_codes = _codes() if codes is None else codes
    specs = st.lists(
        st.tuples(
            drawn_codes.filter(lambda c: c not in taken),
            st.integers(0, _REACH),
            _labels(),
            _zh().filter(lambda z: z not in taken_zh),
        ),
        min_size=min_size,
        max_size=max_size,
        unique_by=(_first, _fourth),
    )
    return specs.map(lambda drawn: _catalogue(name, base, max_depth, drawn))


def _fourth(parts: tuple[Any, ...]) -> Any:
    return parts[3]


def _catalogue(
    name: str,
    base: CategoryCatalogue | None,
    max_depth: int,
    specs: list[tuple[str, int, str, str]],
) -> CategoryCatalogue:
    # As for grids: choice 0 makes a broad category; a choice up to _REACH // 2 refines the
    # most recently drawn category that can take a refinement, a higher one any such
    # category, counting back.
    existing = () if base is None else base.categories
    depth = {c.code: len(base.lineage(c.code)) - 1 for c in existing} if base else {}
    can_parent = [c.code for c in existing if depth[c.code] < max_depth - 1]
    made: list[Category] = []
    for code, choice, label, zh in specs:
        if choice == 0 or not can_parent:
            parent, level = None, 0
        else:
            back = 0 if choice <= _REACH // 2 else choice % len(can_parent)
            parent = can_parent[-1 - back]
            level = depth[parent] + 1
        made.append(Category(code=code, label=label, zh=zh, parent=parent))
        depth[code] = level
        if level < max_depth - 1:
            can_parent.append(code)
    if base is not None:
        return base.with_categories(made, name=name)
    return CategoryCatalogue(name=name, categories=made)


def categories(*, catalogue: CategoryCatalogue = DEFAULT_CATALOGUE) -> SearchStrategy[str]:
    """Category codes of *catalogue* (broad ones and the ones refining them).

    Args:
        catalogue: the category catalogue (default :data:`~gridgov.DEFAULT_CATALOGUE`), such
            as one drawn by :func:`catalogues`.

    Codes shrink towards the catalogue's first category (``"dispute"`` in the default one).

    Raises:
        hypothesis.errors.InvalidArgument: if *catalogue* is not a catalogue or has no
            categories.

    Example:
        >>> from gridgov import CategoryCatalogue
        >>> from gridgov.testing.strategies import categories
        >>> categories(catalogue=CategoryCatalogue(name="empty", categories=[]))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: catalogue 'empty' has no categories to draw.
    """
    return _category_codes(_check_catalogue(catalogue))


def _category_codes(catalogue: CategoryCatalogue) -> SearchStrategy[str]:
    return st.sampled_from([c.code for c in catalogue])


def issues(
    grid: GridGraph,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    categories: SearchStrategy[str] | None = None,
    severities: SearchStrategy[int] | None = None,
    channels: SearchStrategy[Channel] | None = None,
    min_reported_at: datetime = _MOMENT_MIN,
    max_reported_at: datetime = _MOMENT_MAX,
    timezones: SearchStrategy[tzinfo] | None = None,
    residents: Iterable[Resident] | Mapping[str, Resident] | None = None,
    at_places: bool = True,
    at_units: bool = True,
    unlocated: bool = True,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Issue]:
    """Issues for *grid*: at one of its places, at one of its units, or — when the grid has
    a single top-tier unit, where a :class:`~gridgov.Router` puts them by default —
    unlocated (待定位, neither place nor unit), about one draw in five.

    An issue that concerns one of *residents* whose household is a place of the grid is
    located at that household (when places are allowed).  Reporters are anonymous, a
    resident (the one concerned, if any) or, if the grid has a team, one of its members.

    Args:
        grid: the grid the issues are located in; it must have a unit.
        catalogue: the catalogue the categories come from.
        categories: a strategy for category codes (default: :func:`categories` of
            *catalogue*).
        severities: a strategy for severities, 1–4 or :class:`~gridgov.Severity` (default:
            all four).
        channels: a strategy for channels (default: every :class:`~gridgov.Channel`).
        min_reported_at: the earliest report (an aware datetime).
        max_reported_at: the latest report (an aware datetime).
        timezones: a strategy for the zone ``reported_at`` is expressed in (as for
            :func:`moments`).
        residents: personal files the issues may concern (by default they concern no one),
            such as a :func:`resident_files` index; pass the same files to
            :meth:`Router.route <gridgov.Router.route>` (or ``check_routing``) so that rules
            reading them can match.
        at_places: whether issues may be located at places.
        at_units: whether issues may be located at units.
        unlocated: whether issues may be unlocated (drawn only for a grid with one top-tier
            unit; route others with ``Router(unlocated_at=...)`` and your own issues).
        ids: a strategy for issue ids (default ``i-0000`` to ``i-9999``); for a list of
            issues with unique ids use ``st.lists(issues(grid), unique_by=lambda i: i.id)``.

    Issues shrink towards the first id, the first category, routine severity, the first
    channel (a visit), a report at ``min_reported_at``, no resident, an anonymous reporter,
    no description, and the grid's first place (or its first unit, a top-tier one); an
    unlocated issue shrinks towards a located one.

    Raises:
        hypothesis.errors.InvalidArgument: if the grid has no units, the allowed locations
            leave nowhere to put an issue (no places or units allowed, and unlocated issues
            not allowed or the grid without a single top-tier unit), the bounds are not
            aware or out of order, or an argument has the wrong type.

    Example:
        >>> from hypothesis.strategies import SearchStrategy, just
        >>> from gridgov import Severity
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import issues
        >>> isinstance(issues(sample_grid(), severities=just(Severity.URGENT)), SearchStrategy)
        True
        >>> issues(sample_grid(), at_places=False, at_units=False, unlocated=False)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: at_places=False, at_units=False and unlocated=False leave nowhere to put an issue.
    """
    grid = _check_grid(grid)
    catalogue = _check_catalogue(catalogue)
    for name, value in (
        ("categories", categories),
        ("severities", severities),
        ("channels", channels),
        ("timezones", timezones),
        ("ids", ids),
    ):
        _check_strategy(name, value)
    _check_aware("min_reported_at", min_reported_at)
    _check_aware("max_reported_at", max_reported_at)
    _check_order("min_reported_at", min_reported_at, "max_reported_at", max_reported_at)
    _check_bool("at_places", at_places)
    _check_bool("at_units", at_units)
    _check_bool("unlocated", unlocated)
    if not (at_places or at_units or unlocated):
        raise InvalidArgument(
            "at_places=False, at_units=False and unlocated=False leave nowhere to put an issue."
        )
    if not len(grid):
        raise InvalidArgument(f"grid version {grid.version!r} has no units to locate issues in.")
    place_ids = sorted(grid.places) if at_places else []
    unit_ids = [u.id for u in grid.units] if at_units else []
    nowhere = unlocated and len(grid.roots) == 1
    if not place_ids and not unit_ids and not nowhere:
        raise InvalidArgument(
            f"grid version {grid.version!r} has no places, at_units={at_units} and it has "
            f"{len(grid.roots)} top-tier units (unlocated={unlocated}): there is nowhere to "
            "put an issue."
        )
    # Where an issue not at its resident's home goes: sampled, so it shrinks to the first.
    wheres = [w for w, allowed in (("place", place_ids), ("unit", unit_ids)) if allowed]
    if nowhere:
        wheres = [*wheres * (4 // max(1, len(wheres))), "nowhere"]
    files = _resident_files(residents)
    member_ids = [m.id for m in grid.members]
    return _issues(
        _IssueParts(
            ids=st.integers(0, 9999).map("i-{:04d}".format) if ids is None else ids,
            codes=_category_codes(catalogue) if categories is None else categories,
            severities=st.sampled_from(Severity) if severities is None else severities,
            channels=st.sampled_from(Channel) if channels is None else channels,
            times=_moments(
                min_reported_at,
                max_reported_at,
                st.sampled_from(_ZONES) if timezones is None else timezones,
            ),
            residents=st.one_of(st.none(), st.sampled_from(files)) if files else st.none(),
            places=st.sampled_from(place_ids) if place_ids else None,
            units=st.sampled_from(unit_ids) if unit_ids else None,
            wheres=st.sampled_from(wheres),
            reporters=st.sampled_from(
                [ReporterKind.ANONYMOUS, ReporterKind.RESIDENT]
                + ([ReporterKind.MEMBER] if member_ids else [])
            ),
            resident_ids=st.integers(0, 9999).map("r-{:04d}".format),
            members=st.sampled_from(member_ids) if member_ids else st.nothing(),
            descriptions=st.one_of(st.just(""), _zh()),
        ),
        frozenset(grid.places),
    )


@attrs.frozen
class _IssueParts:
    """The strategies an issue is drawn from, built once when the strategy is defined."""

    ids: SearchStrategy[str]
    codes: SearchStrategy[str]
    severities: SearchStrategy[int]
    channels: SearchStrategy[Channel]
    times: SearchStrategy[datetime]
    residents: SearchStrategy[Resident | None]
    places: SearchStrategy[str] | None
    units: SearchStrategy[str] | None
    wheres: SearchStrategy[str]  # "place", "unit" or "nowhere" (unlocated)
    reporters: SearchStrategy[ReporterKind]
    resident_ids: SearchStrategy[str]
    members: SearchStrategy[str]
    descriptions: SearchStrategy[str]


def _resident_files(
    residents: Iterable[Resident] | Mapping[str, Resident] | None,
) -> tuple[Resident, ...]:
    if residents is None:
        return ()
    if isinstance(residents, Mapping):
        residents = residents.values()
    if isinstance(residents, str) or not isinstance(residents, Iterable):
        raise InvalidArgument(
            f"residents={residents!r:.60} must be Resident files, a mapping of them, or None."
        )
    files = tuple(residents)
    for r in files:
        if not isinstance(r, Resident):
            raise InvalidArgument(f"residents must hold Resident files (got {r!r:.60}).")
    return files


@st.composite
def _issues(draw: st.DrawFn, parts: _IssueParts, place_ids: frozenset[str]) -> Issue:
    issue_id = draw(parts.ids)
    category = draw(parts.codes)
    severity = draw(parts.severities)
    channel = draw(parts.channels)
    reported_at = draw(parts.times)
    resident = draw(parts.residents)
    place: str | None = None
    unit: str | None = None
    if resident is not None and parts.places is not None and resident.household in place_ids:
        place = resident.household
    else:
        where = draw(parts.wheres)
        if where == "place":
            assert parts.places is not None
            place = draw(parts.places)
        elif where == "unit":
            assert parts.units is not None
            unit = draw(parts.units)
    kind = draw(parts.reporters)
    if kind is ReporterKind.ANONYMOUS:
        reporter = Reporter(kind=kind)
    elif kind is ReporterKind.RESIDENT:
        reporter = Reporter.resident(
            resident.id if resident is not None else draw(parts.resident_ids)
        )
    else:
        reporter = Reporter.member(draw(parts.members))
    return Issue(
        id=issue_id,
        category=category,
        severity=severity,
        channel=channel,
        reporter=reporter,
        reported_at=reported_at,
        place=place,
        unit=unit,
        resident=None if resident is None else resident.id,
        description=draw(parts.descriptions),
    )


# --------------------------------------------------------------------------- routing


def responsibility_matrices(
    grid: GridGraph | TierScheme,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    max_overrides: int = 3,
    top_catch_all: bool | None = None,
    name: str = "generated",
) -> SearchStrategy[ResponsibilityMatrix]:
    """Responsibility matrices (权责清单) that a :class:`~gridgov.Router` accepts on *grid*
    with *catalogue*.

    The top tier is the catch-all (兜底): either by ``top_catch_all=True`` — then any lines
    drawn for the top tier do not matter — or, with ``top_catch_all=False``, by a line for
    every broad category of *catalogue* (and so every category refining one) up to
    emergency.  Each tier below the top gets lines for a random subset of the categories,
    broad ones and refinements alike (a refinement's line overrides its parent's), each
    with a limit from 0 (may not handle) to 4.  Given a grid, up to ``max_overrides`` units
    below the top tier get an override for a category.

    Args:
        grid: the grid the matrix is for, or only its tier scheme (then without unit
            overrides).
        catalogue: the catalogue the categories come from (such as one drawn by
            :func:`catalogues`); route with the same one.
        max_overrides: the most unit overrides.
        top_catch_all: whether the matrix makes the top tier the catch-all by its flag
            (``True``) or by lines (``False``); default either.
        name: the matrix's name.

    Matrices shrink towards the bare catch-all (``top_catch_all=True`` and no lines at all,
    so everything goes to the top), then towards fewer lines and overrides, each for the
    catalogue's first category, with limit 0.

    Raises:
        hypothesis.errors.InvalidArgument: if *grid* is neither a grid nor a scheme, the
            catalogue is unusable, ``max_overrides < 0``, ``top_catch_all`` is not a bool
            or ``None``, or the name is blank.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov import FOUR_TIER
        >>> from gridgov.testing.strategies import responsibility_matrices
        >>> isinstance(responsibility_matrices(FOUR_TIER, top_catch_all=False), SearchStrategy)
        True
        >>> responsibility_matrices("three_tier")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: grid='three_tier' must be a GridGraph or a TierScheme.
    """
    if isinstance(grid, GridGraph):
        scheme = grid.scheme
        below_top = [u.id for u in grid.units if u.parent is not None]
    elif isinstance(grid, TierScheme):
        scheme, below_top = grid, []
    else:
        raise InvalidArgument(f"grid={grid!r:.60} must be a GridGraph or a TierScheme.")
    catalogue = _check_catalogue(catalogue)
    _check_int("max_overrides", max_overrides, at_least=0)
    if top_catch_all is not None:
        _check_bool("top_catch_all", top_catch_all)
    _check_text("name", name)
    codes = [c.code for c in catalogue]
    limits = st.tuples(st.sampled_from(codes), st.integers(0, 4))
    tier_lines = st.tuples(
        *(st.lists(limits, max_size=len(codes), unique_by=_first) for _ in scheme.names)
    )
    overrides: SearchStrategy[list[tuple[str, str, int]]] = st.builds(list)
    if below_top and max_overrides:
        overrides = st.lists(
            st.tuples(st.sampled_from(below_top), st.sampled_from(codes), st.integers(0, 4)),
            max_size=max_overrides,
            unique_by=_unit_and_category,
        )
    flags = st.sampled_from((True, False)) if top_catch_all is None else st.just(top_catch_all)
    broad = tuple(c.code for c in catalogue if c.parent is None)
    return st.tuples(flags, tier_lines, overrides).map(
        lambda drawn: _matrix(name, scheme, broad, *drawn)
    )


def _unit_and_category(line: tuple[str, str, int]) -> tuple[str, str]:
    return line[0], line[1]


def _matrix(
    name: str,
    scheme: TierScheme,
    broad: tuple[str, ...],
    catch_all: bool,
    tier_lines: tuple[list[tuple[str, int]], ...],
    overrides: list[tuple[str, str, int]],
) -> ResponsibilityMatrix:
    top = scheme.top.name
    entries: list[Responsibility] = []
    if catch_all:  # lines for the top tier are drawn too: the flag must win over them
        entries += [Responsibility(tier=top, category=c, max_severity=s) for c, s in tier_lines[0]]
    else:  # the top tier handles everything by its lines
        entries += [Responsibility(tier=top, category=c) for c in broad]
    for tier, lines in zip(scheme.names[1:], tier_lines[1:], strict=True):
        entries += [Responsibility(tier=tier, category=c, max_severity=s) for c, s in lines]
    entries += [Responsibility(unit=u, category=c, max_severity=s) for u, c, s in overrides]
    return ResponsibilityMatrix(name=name, entries=entries, top_catch_all=catch_all)


def routing_rules(
    *,
    scheme: TierScheme,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    unconditional: bool = False,
    ids: SearchStrategy[str] | None = None,
    max_categories: int = 3,
    max_channels: int = 2,
    max_conditions: int = 2,
    condition_kinds: SearchStrategy[str] | None = None,
    max_tags: int = 1,
    ages: bool = True,
    max_links: int = 2,
    deadlines: SearchStrategy[TimeLimit | None] | None = None,
) -> SearchStrategy[RoutingRule]:
    """Declarative routing rules for grids of *scheme*, never unconditional unless asked.

    A drawn match restricts at least one of: categories, severity, channels, or who the
    issue concerns (its ``who`` criteria, drawn as :func:`criteria` draws them: conditions,
    tags, an age band), so the rule can sit anywhere in a :class:`~gridgov.RuleSet` before
    its default rule.  With ``unconditional=True`` the rules match every issue instead
    (default rules).  Rules start at no tier (where the issue is located) or at a tier of
    *scheme*, link partner kinds, and set deadlines.  No predicate is drawn: the rules
    serialise.

    Args:
        scheme: the tier scheme of the grids the rules route on.
        catalogue: the catalogue the categories come from (such as one drawn by
            :func:`catalogues`); a rule's category also matches its refinements.
        unconditional: draw default rules (matching every issue) instead.
        ids: a strategy for rule ids (default ``R1`` to ``R99``).
        max_categories: the most categories in a match.
        max_channels: the most channels in a match.
        max_conditions: the most conditions in each of ``who.conditions_any`` and
            ``who.conditions_all``.
        condition_kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        max_tags: the most tags in each of ``who.tags_any`` and ``who.tags_all``.
        ages: whether matches may name an age band.  With ``max_conditions=0``,
            ``max_tags=0`` and ``ages=False`` the rules never read a personal file.
        max_links: the most partner kinds linked.
        deadlines: a strategy for ``accept_within`` and ``resolve_within`` (default: none or
            :func:`time_limits`).

    Rules shrink towards ``R1`` starting where the issue is located, matching the
    catalogue's first category at any severity, linking nobody and setting no deadlines.

    Raises:
        hypothesis.errors.InvalidArgument: if *scheme* is not a scheme, the catalogue is
            unusable, or a maximum is negative.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import routing_rules
        >>> isinstance(routing_rules(scheme=THREE_TIER, max_conditions=0), SearchStrategy)
        True
        >>> routing_rules(scheme=THREE_TIER, max_links=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_links=-1 must be at least 0.
    """
    scheme = _check_scheme(scheme)
    catalogue = _check_catalogue(catalogue)
    _check_bool("unconditional", unconditional)
    _check_strategy("ids", ids)
    _check_int("max_categories", max_categories, at_least=0)
    _check_int("max_channels", max_channels, at_least=0)
    _check_strategy("condition_kinds", condition_kinds)
    who = _criteria_parts(condition_kinds, max_conditions, None, max_tags, ages)
    _check_int("max_links", max_links, at_least=0)
    _check_strategy("deadlines", deadlines)
    return _routing_rules(
        st.integers(1, 99).map("R{}".format) if ids is None else ids,
        None
        if unconditional
        else _matches([c.code for c in catalogue], max_categories, max_channels, who),
        st.one_of(st.none(), st.sampled_from(scheme.names)),
        st.frozensets(st.sampled_from(PartnerKind), max_size=max_links),
        st.one_of(st.none(), time_limits()) if deadlines is None else deadlines,
    )


def _matches(
    codes: Sequence[str],
    max_categories: int,
    max_channels: int,
    who: _CriteriaParts,
) -> SearchStrategy[Match]:
    """Matches that restrict something: the restriction drawn first is never empty."""
    restrictions = [
        what
        for what, allowed in (
            ("categories", max_categories),
            ("severity", 1),
            ("channels", max_channels),
            ("who", bool(_criteria_fields(who))),
        )
        if allowed
    ]

    def sets(elements: SearchStrategy[Any], max_size: int) -> tuple[SearchStrategy[Any], ...]:
        """(any set, a non-empty set), or (empty, empty) when max_size is 0."""
        if not max_size:
            return (st.just(frozenset()),) * 2
        return tuple(st.frozensets(elements, min_size=n, max_size=max_size) for n in (0, 1))

    restricted_who = _criteria(who, True) if _criteria_fields(who) else st.builds(Criteria)
    return _drawn_matches(
        st.sampled_from(restrictions),
        sets(st.sampled_from(codes), max_categories),
        sets(st.sampled_from(Channel), max_channels),
        (_criteria(who, False), restricted_who),
    )


@st.composite
def _drawn_matches(
    draw: st.DrawFn,
    restrictions: SearchStrategy[str],
    categories: tuple[SearchStrategy[frozenset[str]], ...],
    channels: tuple[SearchStrategy[frozenset[Channel]], ...],
    who: tuple[SearchStrategy[Criteria], SearchStrategy[Criteria]],
) -> Match:
    restricted = draw(restrictions)
    chosen = draw(categories[restricted == "categories"])
    low = draw(st.integers(1, 4))
    if restricted == "severity" and low == 1:
        high = 3 - draw(st.integers(0, 2))  # not the full range: shrinks to routine-urgent
    else:
        high = 4 - draw(st.integers(0, 4 - low))  # shrinks to no upper bound
    return Match(
        categories=chosen,
        min_severity=low,
        max_severity=high,
        channels=draw(channels[restricted == "channels"]),
        who=draw(who[restricted == "who"]),
    )


_RULE_NAMES = _labels()
_RULE_ZH = st.one_of(st.just(""), _zh())


@st.composite
def _routing_rules(
    draw: st.DrawFn,
    ids: SearchStrategy[str],
    matches: SearchStrategy[Match] | None,
    start_tiers: SearchStrategy[str | None],
    links: SearchStrategy[frozenset[PartnerKind]],
    deadlines: SearchStrategy[TimeLimit | None],
) -> RoutingRule:
    rule_id = draw(ids)
    match = Match() if matches is None else draw(matches)
    return RoutingRule(
        id=rule_id,
        name=draw(_RULE_NAMES),
        zh=draw(_RULE_ZH),
        match=match,
        start_tier=draw(start_tiers),
        link=draw(links),
        accept_within=draw(deadlines),
        resolve_within=draw(deadlines),
    )


def rule_sets(
    *,
    scheme: TierScheme,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    min_rules: int = 1,
    max_rules: int = 7,
    max_conditions: int = 2,
    condition_kinds: SearchStrategy[str] | None = None,
    max_tags: int = 1,
    ages: bool = True,
    deadlines: SearchStrategy[TimeLimit | None] | None = None,
    name: str = "generated",
) -> SearchStrategy[RuleSet]:
    """Rule sets of ``min_rules`` to ``max_rules`` rules that always end with a default rule.

    The rules before the last are drawn as :func:`routing_rules` draws them (each restricts
    something) with ids ``R1``, ``R2``, ...; the last, ``default``, matches every issue.

    Args:
        scheme: the tier scheme of the grids the rules route on.
        catalogue: the catalogue the categories come from; route with the same one.
        min_rules: the fewest rules, the default rule included (at least 1).
        max_rules: the most rules, the default rule included.
        max_conditions: as for :func:`routing_rules` (0: rules that ignore conditions).
        condition_kinds: as for :func:`routing_rules`.
        max_tags: as for :func:`routing_rules` (0: rules that ignore tags).
        ages: as for :func:`routing_rules` (``False``: rules that ignore ages).
        deadlines: as for :func:`routing_rules`.
        name: the rule set's name.

    Rule sets shrink towards fewer rules (down to the default rule alone) and each rule as
    :func:`routing_rules` shrinks.

    Raises:
        hypothesis.errors.InvalidArgument: if ``min_rules < 1``, ``max_rules < min_rules``,
            or another argument is invalid as for :func:`routing_rules`.

    Example:
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import rule_sets
        >>> rule_sets(scheme=THREE_TIER, min_rules=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_rules=0 must be at least 1.
    """
    _check_int("min_rules", min_rules, at_least=1)
    _check_int("max_rules", max_rules, at_least=1)
    _check_order("min_rules", min_rules, "max_rules", max_rules)
    name = _check_text("name", name)
    rules = routing_rules(
        scheme=scheme,
        catalogue=catalogue,
        ids=st.just("R"),
        max_conditions=max_conditions,
        condition_kinds=condition_kinds,
        max_tags=max_tags,
        ages=ages,
        deadlines=deadlines,
    )
    default = routing_rules(
        scheme=scheme,
        catalogue=catalogue,
        unconditional=True,
        ids=st.just("default"),
        deadlines=deadlines,
    )
    return st.tuples(st.lists(rules, min_size=min_rules - 1, max_size=max_rules - 1), default).map(
        lambda drawn: _rule_set(name, drawn[0], drawn[1])
    )


def _rule_set(name: str, rules: list[RoutingRule], default: RoutingRule) -> RuleSet:
    numbered = [attrs.evolve(rule, id=f"R{i}") for i, rule in enumerate(rules, 1)]
    return RuleSet(name=name, rules=[*numbered, default])


# --------------------------------------------------------------------------- escalation and cases

# Escalation worlds: cases open on a Monday early in January 2026, on either of two calendars
# (office hours; and the same with 2026's New Year and Spring Festival holidays and make-up
# workdays), so that working-time deadlines meet weekends and holidays.
_CASE_START = datetime(2026, 1, 5, 0, 0, tzinfo=CST)
_CASE_CALENDARS = (
    _OFFICE,
    WorkCalendar(
        holidays={date(2026, 1, d) for d in range(7, 10)}
        | {date(2026, 2, d) for d in range(16, 23)},
        workdays={date(2026, 1, 10), date(2026, 2, 14)},
    ),
)
_CASE_CATEGORIES = ("dispute", "environment", "elder_care", "policy_enquiry", "complaint")
_HANDLERS = ("p-wuye", "p-police", "u-2")
_AUTOMATIC = tuple(sorted(DEFAULT_TRIGGERS, key=lambda t: t.value))
# Triggers an escalation drawn out of the blue may carry: the overdue ones are drawn only
# when the deadline has passed, so that a drawn history never cheats the clock.
_TIMELESS = tuple(t for t in Trigger if t not in (Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE))


def _check_policy(value: object) -> EscalationPolicy:
    if not isinstance(value, EscalationPolicy):
        raise InvalidArgument(f"policy={value!r:.60} must be an EscalationPolicy.")
    return value


def _check_units(grid: GridGraph) -> GridGraph:
    if not len(grid.units):
        raise InvalidArgument(f"grid version {grid.version!r} has no units to open a case on.")
    return grid


def escalation_policies(
    *,
    scheme: TierScheme | None = None,
    max_slas: int = 5,
    limits: SearchStrategy[TimeLimit] | None = None,
    triggers: SearchStrategy[frozenset[Trigger]] | None = None,
    calendars: SearchStrategy[WorkCalendar] | None = None,
) -> SearchStrategy[EscalationPolicy]:
    """Escalation policies (上报规则) with up to ``max_slas`` SLAs, an external body beyond the
    grid (which may have its own SLA), automatic triggers and counts.

    Args:
        scheme: the tier scheme whose tiers the SLAs may name (each SLA names one of its
            tiers or none); by default SLAs name no tier and apply to every tier.
        max_slas: the most SLAs (0 allows a policy without time limits).
        limits: a strategy for the SLAs' accept and resolve limits (default:
            :func:`time_limits`).
        triggers: a strategy for the set of automatic triggers (default: any subset of
            :data:`~gridgov.escalation.DEFAULT_TRIGGERS`).
        calendars: a strategy for the working calendar (default: office hours in China
            Standard Time, with or without 2026's New Year and Spring Festival holidays and
            make-up workdays).

    Policies shrink towards no SLAs, no SLA beyond the grid, no automatic triggers, the
    plain office calendar and the smallest counts and repeat window; an SLA shrinks towards
    every tier, every category and severity, and no time limits.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_slas < 0`` or an argument of the wrong
            type.

    Example:
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import escalation_policies
        >>> escalation_policies(scheme=THREE_TIER, max_slas=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_slas=-1 must be at least 0.
    """
    if scheme is not None:
        _check_scheme(scheme)
    _check_int("max_slas", max_slas, at_least=0)
    _check_strategy("limits", limits)
    _check_strategy("triggers", triggers)
    _check_strategy("calendars", calendars)
    tier_names: tuple[str | None, ...] = (None,) if scheme is None else (None, *scheme.names)
    limit = time_limits() if limits is None else limits
    return _escalation_policies(
        st.lists(_slas(tier_names, limit), max_size=max_slas),
        st.none() | _slas((None,), limit),
        st.frozensets(st.sampled_from(_AUTOMATIC)) if triggers is None else triggers,
        st.sampled_from(_CASE_CALENDARS) if calendars is None else calendars,
    )


def _slas(
    tier_names: tuple[str | None, ...], limits: SearchStrategy[TimeLimit]
) -> SearchStrategy[Sla]:
    return st.builds(
        Sla,
        name=st.sampled_from(["", "网格", "社区"]),
        tier=st.sampled_from(tier_names),
        categories=st.frozensets(st.sampled_from(_CASE_CATEGORIES), max_size=2),
        min_severity=st.just(Severity.ROUTINE),
        max_severity=st.sampled_from(list(Severity)[::-1]),
        accept_within=st.none() | limits,
        resolve_within=st.none() | limits,
    )


@st.composite
def _escalation_policies(
    draw: st.DrawFn,
    slas: SearchStrategy[list[Sla]],
    beyond_sla: SearchStrategy[Sla | None],
    triggers: SearchStrategy[frozenset[Trigger]],
    calendars: SearchStrategy[WorkCalendar],
) -> EscalationPolicy:
    return EscalationPolicy(
        name=draw(st.sampled_from(["p", "网格时限", "12345"])),
        beyond=ExternalBody(
            id="beyond", name=draw(st.sampled_from(["淮河路街道", "城管局"])), sla=draw(beyond_sla)
        ),
        slas=draw(slas),
        calendar=draw(calendars),
        triggers=draw(triggers),
        repeat_count=draw(st.integers(2, 4)),
        repeat_window=timedelta(days=draw(st.integers(1, 60))),
        dissatisfied_count=draw(st.integers(1, 3)),
    )


def opened_cases(
    grid: GridGraph, policy: EscalationPolicy, *, case_id: str = "c-1", max_days: int = 60
) -> SearchStrategy[Case]:
    """Cases just opened (受理) on a unit of *grid*, with the deadlines *policy* gives it.

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy that sets the first accept and resolve deadlines.
        case_id: the case's id.
        max_days: the case is opened within this many days of Monday 5 January 2026 (CST).

    Cases shrink towards the grid's first unit, the earliest moment, a dispute (调解) and
    routine severity.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy or id.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import opened_cases
        >>> opened_cases(sample_grid(), policy=None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    _check_units(_check_grid(grid))
    _check_policy(policy)
    _check_text("case_id", case_id)
    _check_int("max_days", max_days, at_least=0)
    return _opened_cases(grid, policy, case_id, max_days)


@st.composite
def _opened_cases(
    draw: st.DrawFn, grid: GridGraph, policy: EscalationPolicy, case_id: str, max_days: int
) -> Case:
    unit = draw(st.sampled_from(grid.units))
    start = _CASE_START + timedelta(minutes=draw(st.integers(0, max_days * 24 * 60)))
    category = draw(st.sampled_from(_CASE_CATEGORIES))
    severity = draw(st.sampled_from(list(Severity)))
    issue = Issue(
        id=f"i-{case_id}",
        category=category,
        severity=severity,
        channel=Channel.APP,
        unit=unit.id,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        reported_at=start,
    )
    accept_by, resolve_by = policy.deadlines(
        tier=unit.tier, category=category, severity=severity, start=start
    )
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="opener",
                case=case_id,
                issue=issue,
                chain=grid.chain(unit.id),
                grid_version=grid.version,
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        ]
    )


class Attempt(NamedTuple):
    """One event tried on a case by :func:`event_attempts`, and what came of it.

    Example:
        >>> from gridgov.cases import Rejected
        >>> from gridgov.demo import sample_case
        >>> case = sample_case()
        >>> tried = Attempt(case, Rejected(at=case.updated_at, actor="m", reason="x"), None)
        >>> tried.after is None  # the lifecycle refused it
        True
    """

    before: Case
    """The case before the event."""
    event: CaseEvent
    """The event tried."""
    after: Case | None
    """The case after it, or ``None`` if the lifecycle refused it."""


def _deadline(draw: st.DrawFn, at: datetime) -> Deadline | None:
    if not draw(st.booleans()):
        return None
    return Deadline(start=at, due=at + timedelta(hours=draw(st.integers(0, 96))))


def _later(draw: st.DrawFn, at: datetime, most: int = 200) -> datetime:
    return at + timedelta(hours=draw(st.integers(0, most)))


def _co_handler(draw: st.DrawFn, case: Case) -> str:
    open_ids = [h.id for h in case.co_handlers if h.is_open]
    if open_ids and bool(draw(st.booleans())):
        return draw(st.sampled_from(open_ids))
    return draw(st.sampled_from(_HANDLERS))


def _overdue(case: Case, policy: EscalationPolicy, at: datetime) -> dict[Trigger, datetime]:
    """The overdue triggers that hold at *at*, with the deadline each missed."""
    cal, out = policy.calendar, {}
    accept = case.accept_by
    if case.status is CaseStatus.REPORTED and accept is not None:
        due = accept.effective(cal)
        if due < at:
            out[Trigger.ACCEPT_OVERDUE] = due
    if case.resolve_by is not None:
        due = case.resolve_by.effective(cal)
        if due < at:
            out[Trigger.RESOLVE_OVERDUE] = due
    return out


def _random_escalation(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> CaseEvent:
    """An escalation to any unit or beyond, mostly refused; an accepted one is as the policy
    says (its deadlines the policy's for the new tier, an overdue trigger only when due)."""
    beyond = not draw(st.integers(0, 2))
    # Beyond the grid means the policy's body (or, refused, a unit of the case's own chain).
    targets = (
        [policy.beyond.id, *(u.id for u in case.chain)] if beyond else [u.id for u in grid.units]
    )
    to = draw(st.sampled_from(targets))
    from_unit = case.owner if draw(st.integers(0, 4)) else "elsewhere"
    if to == from_unit:  # an event never names its own unit as the target
        to = policy.beyond.id if from_unit != policy.beyond.id else case.chain[0].id
    tier = None if beyond or to not in grid else grid.unit(to).tier
    to_name = (
        grid.unit(to).name if to in grid else policy.beyond.name if to == policy.beyond.id else to
    )
    accept_by, resolve_by = policy.deadlines(
        tier=tier, category=case.issue.category, severity=case.severity, start=at
    )
    overdue = _overdue(case, policy, at)
    trigger = draw(st.sampled_from([*_TIMELESS, *overdue]))
    return Escalated(
        at=at,
        actor="x",
        trigger=trigger,
        from_unit=from_unit,
        from_name=case.owner_name if from_unit == case.owner else "别处",
        to=to,
        to_name=to_name,
        beyond=beyond,
        due=overdue.get(trigger),
        via=policy.beyond.via if beyond else "",
        reason=Reason(zh="随机上报", en="random escalation"),
        accept_by=accept_by,
        resolve_by=resolve_by,
    )


def _returned(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> CaseEvent:
    unit = draw(st.sampled_from(grid.units))
    return Returned(
        at=at,
        actor="x",
        reason="错派",
        chain=grid.chain(unit.id),
        grid_version=grid.version,
        accept_by=_deadline(draw, at),
        resolve_by=_deadline(draw, at),
    )


def _duplicate(case: Case) -> Issue:
    return Issue(
        id="dup",
        category=case.issue.category,
        severity=1,
        channel=Channel.APP,
        unit=case.chain[0].id,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        reported_at=case.issue.reported_at,
    )


_Build = Callable[[st.DrawFn, Case, GridGraph, EscalationPolicy, datetime], CaseEvent]
_BUILD: dict[str, tuple[str, _Build]] = {
    "accept": ("Accepted", lambda d, c, g, p, t: Accepted(at=t, actor="a")),
    "reject": ("Rejected", lambda d, c, g, p, t: Rejected(at=t, actor="a", reason="不予立案")),
    "dispatch": ("Dispatched", lambda d, c, g, p, t: Dispatched(at=t, actor="a", handler="h")),
    "start": ("HandlingStarted", lambda d, c, g, p, t: HandlingStarted(at=t, actor="h")),
    "resolve": ("Resolved", lambda d, c, g, p, t: Resolved(at=t, actor="h")),
    "verify": ("Verified", lambda d, c, g, p, t: Verified(at=t, actor="v")),
    "fail": (
        "VerificationFailed",
        lambda d, c, g, p, t: VerificationFailed(
            at=t, actor="v", reason="x", resolve_by=_deadline(d, t)
        ),
    ),
    "satisfied": ("ResidentSatisfied", lambda d, c, g, p, t: ResidentSatisfied(at=t, actor="r")),
    "dissatisfied": (
        "ResidentDissatisfied",
        lambda d, c, g, p, t: ResidentDissatisfied(at=t, actor="r", resolve_by=_deadline(d, t)),
    ),
    "close": ("Closed", lambda d, c, g, p, t: Closed(at=t, actor="a")),
    "evaluate": (
        "Evaluated",
        lambda d, c, g, p, t: Evaluated(
            at=t, actor="r", satisfaction=d(st.sampled_from(list(Satisfaction)))
        ),
    ),
    "suspend": ("Suspended", lambda d, c, g, p, t: Suspended(at=t, actor="a", reason="x")),
    "resume": ("Resumed", lambda d, c, g, p, t: Resumed(at=t, actor="a")),
    "ask": (
        "ExtensionRequested",
        lambda d, c, g, p, t: ExtensionRequested(at=t, actor="a", until=_later(d, t), reason="x"),
    ),
    "grant": (
        "ExtensionGranted",
        lambda d, c, g, p, t: ExtensionGranted(
            at=t, actor="s", until=d(st.none() | st.just(_later(d, t)))
        ),
    ),
    "refuse": (
        "ExtensionRefused",
        lambda d, c, g, p, t: ExtensionRefused(at=t, actor="s", reason="x"),
    ),
    "escalate_random": ("Escalated", _random_escalation),
    "return": ("Returned", _returned),
    "raise": (
        "SeverityRaised",
        lambda d, c, g, p, t: SeverityRaised(
            at=t,
            actor="a",
            severity=d(st.sampled_from([s for s in Severity if s > c.severity] or list(Severity))),
            reason="x",
        ),
    ),
    "link": (
        "CoHandlerLinked",
        lambda d, c, g, p, t: CoHandlerLinked(
            at=t,
            actor="a",
            handler=d(st.sampled_from(_HANDLERS)),
            kind=d(st.sampled_from(["partner", "unit"])),
            required=d(st.booleans()),
            due=d(st.none() | st.just(_later(d, t))),
        ),
    ),
    "complete": (
        "CoHandlerCompleted",
        lambda d, c, g, p, t: CoHandlerCompleted(at=t, actor="p", handler=_co_handler(d, c)),
    ),
    "release": (
        "CoHandlerReleased",
        lambda d, c, g, p, t: CoHandlerReleased(
            at=t, actor="a", handler=_co_handler(d, c), reason="x"
        ),
    ),
    "merge_into": (
        "MergedInto",
        lambda d, c, g, p, t: MergedInto(at=t, actor="a", into=d(st.sampled_from(["c-0", c.id]))),
    ),
    "merge_dup": (
        "DuplicateMerged",
        lambda d, c, g, p, t: DuplicateMerged(
            at=t,
            actor="a",
            duplicate=d(st.sampled_from(["dup-1", "dup-2", c.id])),
            issue=_duplicate(c),
        ),
    ),
}
# "escalate" is the policy's own escalation (gridgov.escalation.escalate), listed first so
# that a drawn kind shrinks towards it.
_EVENT_KINDS = ("escalate", *_BUILD)
_CLASSES: dict[str, type[CaseEvent]] = {cls.__name__: cls for cls in TRANSITIONS}
_EVENT_CLASS: dict[str, type[CaseEvent]] = {
    "escalate": Escalated,
    **{k: _CLASSES[name] for k, (name, _) in _BUILD.items()},
}
_ENDINGS = frozenset({"reject", "merge_into"})


def _attempt(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> Attempt:
    """Draw one event kind with a payload (valid or not) and try it on *case*.

    Mostly a kind the case's status allows (and, most of those times, not one that ends the
    case early), sometimes any kind at all, so that refusals are tried too.
    """
    mode = draw(st.integers(0, 9))
    allowed = [k for k in _EVENT_KINDS if case.status in TRANSITIONS[_EVENT_CLASS[k]].sources]
    if mode == 0 or not allowed:
        kind = draw(st.sampled_from(_EVENT_KINDS))
    else:
        lasting = [k for k in allowed if k not in _ENDINGS]
        kind = draw(st.sampled_from(lasting if mode > 1 and lasting else allowed))
    if kind == "escalate":
        try:
            after = escalate(case, escalation_for(case, policy, at=at), policy, actor="system")
        except InvalidTransitionError:
            event: CaseEvent = Escalated(
                at=at,
                actor="system",
                trigger=Trigger.MANUAL,
                from_unit=case.owner,
                from_name=case.owner_name,
                to=f"{case.owner}-up",
                to_name="上级",
                beyond=True,
                via=policy.beyond.via,
                reason=Reason(zh="上报", en="escalated"),
            )
            return Attempt(case, event, None)
        return Attempt(case, after.events[-1], after)
    event = _BUILD[kind][1](draw, case, grid, policy, at)
    try:
        return Attempt(case, event, apply_event(case, event))
    except InvalidTransitionError:
        return Attempt(case, event, None)


def event_attempts(
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
    max_gap_hours: int = 30,
) -> SearchStrategy[tuple[Case, tuple[Attempt, ...]]]:
    """A case simulated on *grid* under *policy*, with every event tried on it.

    The case is opened as :func:`opened_cases` opens it; then event kinds are drawn one at a
    time — mostly one the case's status allows, sometimes any — with the payloads they need,
    valid or not, each at a non-decreasing moment, and tried on the case.  Escalations are
    mostly the policy's own (:func:`gridgov.escalation.escalate`), sometimes drawn to any
    unit (refused unless one step up; when accepted, as the policy says).

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy.
        case_id: the case's id.
        max_events: the most events the case takes after its opening.
        max_gap_hours: the longest gap between two tries.

    Returns:
        A strategy for pairs of the final case and every :class:`Attempt`, refused ones
        (``after is None``) included.

    Histories shrink towards fewer events, each towards the policy's own escalation, and
    towards no time between them.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy, a
            negative bound.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import event_attempts
        >>> event_attempts(sample_grid(), None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    _check_units(_check_grid(grid))
    _check_policy(policy)
    _check_text("case_id", case_id)
    _check_int("max_events", max_events, at_least=0)
    _check_int("max_gap_hours", max_gap_hours, at_least=0)
    return _event_attempts(grid, policy, case_id, max_events, max_gap_hours)


@st.composite
def _event_attempts(
    draw: st.DrawFn,
    grid: GridGraph,
    policy: EscalationPolicy,
    case_id: str,
    max_events: int,
    max_gap_hours: int,
) -> tuple[Case, tuple[Attempt, ...]]:
    case = draw(_opened_cases(grid, policy, case_id, 60))
    attempts: list[Attempt] = []
    at = case.opened_at
    wanted = draw(st.integers(0, max_events))  # events taken; tries stop at three times that
    for _ in range(3 * wanted):
        if len(case.events) > wanted:
            break
        at = at + timedelta(minutes=draw(st.integers(0, max_gap_hours * 60)))
        attempt = _attempt(draw, case, grid, policy, at)
        attempts.append(attempt)
        if attempt.after is not None:
            case = attempt.after
    return case, tuple(attempts)


def event_sequences(
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
    max_gap_hours: int = 30,
) -> SearchStrategy[tuple[CaseEvent, ...]]:
    """Valid case histories: a :class:`~gridgov.cases.CaseOpened` and the events the case
    took, which :func:`gridgov.cases.replay` rebuilds into a case.

    Drawn as :func:`event_attempts` draws them, keeping the accepted events only.  Feed one
    to :func:`gridgov.testing.checks.check_escalation` as
    ``check_escalation(policy, grid, Case(events=events[:1]), events[1:])``.

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy.
        case_id: the case's id.
        max_events: the most events after the opening.
        max_gap_hours: the longest gap between two tries.

    Histories shrink towards the opening alone, then towards fewer events, each towards the
    policy's own escalation (上报) with no time between events.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy, a
            negative bound.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import event_sequences
        >>> event_sequences(sample_grid(), None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    return event_attempts(
        grid, policy, case_id=case_id, max_events=max_events, max_gap_hours=max_gap_hours
    ).map(_events_of)


def _events_of(pair: tuple[Case, tuple[Attempt, ...]]) -> tuple[CaseEvent, ...]:
    return tuple(pair[0].events)


# --------------------------------------------------------------------------- visits

_RULE_IDS = tuple("abcdefgh")
_VISIT_KINDS = ("living_alone", "injured", "recently_discharged", "dementia", "disabled")
_VISIT_TAGS = ("party_member", "youth")
_RRULE_FREQS = (DAILY, WEEKLY, MONTHLY)
# Criteria on a few condition kinds and tags, and ages of elders, so that drawn residents
# often match several rules.
_VISIT_CRITERIA = criteria(
    kinds=st.sampled_from(_VISIT_KINDS), max_conditions=3, tags=st.sampled_from(_VISIT_TAGS)
)


def frequencies(
    *, calendar: bool = True, max_every: int = 10, max_grace_days: int = 3
) -> SearchStrategy[Frequency]:
    """Visit frequencies: every *n* days, weeks or months, and (if ``calendar``) weekly on
    given weekdays and explicit dateutil rrules (with a DTSTART, as gridgov requires).

    Args:
        calendar: whether calendar frequencies (weekdays, rrules) are drawn too.
        max_every: the most days between visits for ``every n days``; weeks go up to a third
            of it and months up to four (each at least 1).
        max_grace_days: the longest grace before a visit counts as missed.

    Frequencies shrink towards daily with no grace: interval frequencies before calendar
    ones, days before weeks before months, smaller intervals first.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_every < 1`` or ``max_grace_days < 0``.

    Example:
        >>> from gridgov.testing.strategies import frequencies
        >>> frequencies(max_every=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_every=0 must be at least 1.
    """
    _check_bool("calendar", calendar)
    _check_int("max_every", max_every, at_least=1)
    _check_int("max_grace_days", max_grace_days, at_least=0)
    grace = st.integers(0, max_grace_days)
    interval = st.one_of(
        st.builds(Frequency.every_days, st.integers(1, max_every), grace_days=grace),
        st.builds(Frequency.every_weeks, st.integers(1, max(1, max_every // 3)), grace_days=grace),
        st.builds(Frequency.monthly, st.integers(1, min(4, max_every)), grace_days=grace),
    )
    if not calendar:
        return interval
    return st.one_of(
        interval,
        st.builds(Frequency.weekly, st.frozensets(st.integers(0, 6), min_size=1), grace_days=grace),
        _rrule_frequencies(grace),
    )


_frequencies = frequencies


@st.composite
def _rrule_frequencies(draw: st.DrawFn, grace: SearchStrategy[int]) -> Frequency:
    start = draw(st.dates(date(2024, 11, 27), date(2026, 4, 11)))
    rule = rrule(
        draw(st.sampled_from(_RRULE_FREQS)),
        interval=draw(st.integers(1, 3)),
        count=draw(st.one_of(st.none(), st.integers(1, 40))),
        dtstart=datetime(start.year, start.month, start.day, 9),
    )
    return Frequency.from_rrule(rule, grace_days=draw(grace))


def visit_rules(
    *,
    ids: SearchStrategy[str] | None = None,
    frequencies: SearchStrategy[Frequency] | None = None,
) -> SearchStrategy[VisitRule]:
    """Visit rules (走访规则) matching on an age band, conditions, tags and visit modes.

    Args:
        ids: a strategy for rule ids (valid lower-case codes); default ``"a"`` to ``"h"``.
        frequencies: a strategy for the rule's frequency (default :func:`frequencies`).

    Rules match on a few condition kinds (living alone, injured, recently discharged,
    dementia, disabled) and tags (party member, youth), so that drawn residents often match
    several rules.  Rules shrink towards id ``"a"``, daily, no age band, no conditions or
    tags, red, and one visit mode.

    Raises:
        hypothesis.errors.InvalidArgument: if an argument is not a strategy.

    Example:
        >>> from gridgov.testing.strategies import visit_rules
        >>> visit_rules(frequencies="monthly")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: frequencies='monthly' must be a hypothesis strategy or None.
    """
    _check_strategy("ids", ids)
    _check_strategy("frequencies", frequencies)
    return _visit_rules(
        st.sampled_from(_RULE_IDS) if ids is None else ids,
        _frequencies() if frequencies is None else frequencies,
    )


@st.composite
def _visit_rules(
    draw: st.DrawFn, ids: SearchStrategy[str], frequencies: SearchStrategy[Frequency]
) -> VisitRule:
    return VisitRule(
        id=draw(ids),
        frequency=draw(frequencies),
        colour=draw(st.sampled_from(VisitColour)),
        reason="测试规则",
        reason_en="a test rule",
        who=draw(_VISIT_CRITERIA),
        modes=draw(st.frozensets(st.sampled_from(VisitMode), min_size=1)),
    )


def visit_policies(
    *,
    min_rules: int = 1,
    max_rules: int = 4,
    rules: SearchStrategy[VisitRule] | None = None,
    frequencies: SearchStrategy[Frequency] | None = None,
) -> SearchStrategy[VisitPolicy]:
    """Visit policies of ``min_rules`` to ``max_rules`` rules with unique ids.

    Args:
        min_rules: the fewest rules (at least 1: a policy needs one).
        max_rules: the most rules.
        rules: a strategy for the rules (default :func:`visit_rules`); rules with an id
            already drawn are dropped.
        frequencies: for the default rules, a strategy for their frequencies.

    Policies shrink towards one rule (shrinking as :func:`visit_rules` does) and a
    ``major_change_days`` of 0.

    Raises:
        hypothesis.errors.InvalidArgument: for ``min_rules < 1``, ``max_rules < min_rules``,
            or both ``rules`` and ``frequencies`` given.

    Example:
        >>> from gridgov.testing.strategies import visit_policies
        >>> visit_policies(min_rules=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_rules=0 must be at least 1.
    """
    _check_int("min_rules", min_rules, at_least=1)
    _check_int("max_rules", max_rules, at_least=1)
    _check_order("min_rules", min_rules, "max_rules", max_rules)
    _check_strategy("rules", rules)
    _check_strategy("frequencies", frequencies)
    if rules is not None and frequencies is not None:
        raise InvalidArgument("pass rules= or frequencies=, not both.")
    drawn = visit_rules(frequencies=frequencies) if rules is None else rules
    return st.builds(
        _visit_policy,
        st.lists(drawn, min_size=min_rules, max_size=max_rules, unique_by=_rule_id),
        st.integers(0, 2),
    )


def _rule_id(rule: VisitRule) -> str:
    return rule.id


def _visit_policy(rules: list[VisitRule], days: int) -> VisitPolicy:
    return VisitPolicy(rules=rules, major_change_days=days)


def visit_records(
    residents: Sequence[Resident],
    *,
    max_size: int = 12,
    members: SearchStrategy[str] | None = None,
) -> SearchStrategy[list[VisitRecord]]:
    """Visit records (走访记录) of *residents*, never before a file was opened, ids ``v0``,
    ``v1``, … in order.

    Args:
        residents: the residents visited (an empty sequence draws no records).
        max_size: the most records.
        members: a strategy for the visiting member's id (default ``"m"``).

    Each record falls within 450 days from the later of the file's opening (or birth) and
    late April 2025, at a whole hour in China Standard Time.  Lists shrink towards fewer
    records, each towards the first resident, the earliest day, midnight and a visit in
    person.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_size < 0`` or residents that are not
            :class:`~gridgov.Resident` values.

    Example:
        >>> from gridgov.testing.strategies import visit_records
        >>> visit_records(["r-lu"])
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: residents must hold Resident values (got 'r-lu').
    """
    files = list(residents)
    for r in files:
        if not isinstance(r, Resident):
            raise InvalidArgument(f"residents must hold Resident values (got {r!r:.60}).")
    _check_int("max_size", max_size, at_least=0)
    _check_strategy("members", members)
    return _visit_records(tuple(files), max_size, st.just("m") if members is None else members)


@st.composite
def _visit_records(
    draw: st.DrawFn, residents: tuple[Resident, ...], max_size: int, members: SearchStrategy[str]
) -> list[VisitRecord]:
    if not residents:
        return []
    out = []
    for i in range(draw(st.integers(0, max_size))):
        r = draw(st.sampled_from(residents))
        lo = max(r.file_opened or r.birth_date, date(2025, 4, 26))
        day = draw(st.dates(lo, lo + timedelta(days=450)))
        out.append(
            VisitRecord(
                id=f"v{i}",
                resident=r.id,
                member=draw(members),
                at=datetime(day.year, day.month, day.day, draw(st.integers(0, 23)), tzinfo=CST),
                mode=draw(st.sampled_from(VisitMode)),
            )
        )
    return out
