"""Strategies for the grid: tiers, tier schemes, grids, places, members and partners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov.grid import GridGraph, GridUnit, Place, PlaceKind
from gridgov.people import Member, Partner, PartnerKind, Post, Role
from gridgov.testing.strategies._common import (
    REACH,
    check_bool,
    check_grid,
    check_int,
    check_order,
    check_strategy,
    code_strings,
    first_item,
    label_strings,
    sample_names,
    zh_strings,
)
from gridgov.tiers import FOUR_TIER, THREE_TIER, Tier, TierScheme

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
# Non-leading roles first, so that a drawn role shrinks towards one that leads nothing.
_FOLLOWING = tuple(r for r in Role if not r.leads)
_ROLES = _FOLLOWING + tuple(r for r in Role if r.leads)


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
    check_strategy("names", names)
    return st.builds(
        Tier,
        name=code_strings() if names is None else names,
        label=label_strings(),
        zh=zh_strings(),
        leader_title=st.one_of(st.just(""), label_strings()),
        leader_title_zh=st.one_of(st.just(""), zh_strings()),
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
    check_int("min_depth", min_depth, at_least=1)
    check_int("max_depth", max_depth, at_least=1)
    check_order("min_depth", min_depth, "max_depth", max_depth)
    check_bool("defaults", defaults)
    drawn = st.builds(
        TierScheme,
        name=code_strings(),
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
    check_int("min_units", min_units, at_least=0)
    check_int("max_units", max_units, at_least=0)
    check_order("min_units", min_units, "max_units", max_units)
    if max_depth is not None:
        check_int("max_depth", max_depth, at_least=0)
    for flag, value in (("places", places), ("members", members), ("partners", partners)):
        check_bool(flag, value)
    check_int("max_places", max_places, at_least=0)
    check_int("max_members", max_members, at_least=0)
    check_int("max_partners", max_partners, at_least=0)
    check_strategy("categories", categories)
    check_strategy("ids", ids)
    check_strategy("names", names)
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
        sample_names() if names is None else names,
        version,
    )


# (id or None for a sequential one, name, posts as (unit, role) pairs, skills)
_MemberParts = tuple[str | None, str, list[tuple[str, Role]], frozenset[str]]
# (id or None, name, kind, categories, units)
_PartnerParts = tuple[str | None, str, PartnerKind, frozenset[str], frozenset[str]]
_Parts = TypeVar("_Parts", bound=tuple[Any, ...])


def _optional_ids(ids: SearchStrategy[str] | None) -> SearchStrategy[str | None]:
    return st.none() if ids is None else ids


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
    return st.lists(elements, min_size=min_size, max_size=max_size, unique_by=first_item)


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
    # shrinker can delete any unit.  Choice 0 makes a new root; a choice up to REACH // 2
    # attaches the unit to the most recently drawn unit that can take a child (which makes
    # deep grids common), a higher one to any such unit, counting back.  Counting back means
    # deleting an earlier unit rarely changes which parent a later unit finds.
    specs = draw(
        _lists(
            st.tuples(_optional_ids(ids), st.integers(0, REACH), names),
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
            back = 0 if choice <= REACH // 2 else choice % len(can_parent)
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
    grid = check_grid(grid)
    check_strategy("ids", ids)
    check_strategy("names", names)
    bottom = grid.scheme.bottom.name
    bottom_ids = [u.id for u in grid.units_of(bottom)]
    if not bottom_ids:
        raise InvalidArgument(
            f"grid version {grid.version!r} has no unit of the bottom tier {bottom!r} to put "
            "places in."
        )
    return _places(
        grid, bottom_ids, ids, st.one_of(st.just(""), sample_names() if names is None else names)
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
    grid = check_grid(grid)
    check_strategy("ids", ids)
    check_strategy("names", names)
    check_int("max_posts", max_posts, at_least=0)
    parts = _member_parts(
        None,
        sample_names() if names is None else names,
        [u.id for u in grid.units],
        max_posts=max_posts,
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
    grid = check_grid(grid)
    check_strategy("ids", ids)
    check_strategy("names", names)
    check_strategy("categories", categories)
    check_int("max_units", max_units, at_least=0)
    parts = _partner_parts(
        None,
        sample_names() if names is None else names,
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
