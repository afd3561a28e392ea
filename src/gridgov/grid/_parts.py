"""How a grid is cut into parts and put back together (private to the grid package; the
public face is :mod:`gridgov.grid.parts`).

A *plan* says, for one tier, which part every unit belongs to: a unit of the tier (a *head*)
and its subtree make one part, numbered in the order of the heads' ids; a unit above the
tier (a *spine* unit) is held by every part below it, and by part 0 if no head is below it
(a *bare* unit: its whole chain goes to part 0).  Everything is done in passes over the
grid's units, places, posts and partners' units: linear in the size of the grid plus the
size of the parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidGridError, InvalidValueError, PolicyError
from gridgov.grid.graph import GridGraph
from gridgov.grid.units import GridUnit
from gridgov.people import Member, Partner, Post


@attrs.frozen(kw_only=True)
class Plan:
    """Where each unit of a grid goes when it is cut at one tier."""

    tier: str
    level: int
    heads: tuple[GridUnit, ...]
    # unit id → the part it belongs to (at or below the tier) or the first part holding it.
    home: Mapping[str, int]
    # unit id → every part holding it, for the units above the tier (the spine).
    holders: Mapping[str, tuple[int, ...]]
    # the unit ids of each part, in part order.
    members_of: tuple[frozenset[str], ...]


def resolve_tier(grid: GridGraph, tier: object) -> tuple[str, int]:
    """The tier's name and level; ``None`` is the scheme's top tier."""
    scheme = grid.scheme
    if tier is None:
        return scheme.top.name, 0
    if not isinstance(tier, str) or tier not in scheme:
        raise PolicyError(
            f"'tier' must be one of {list(scheme.names)} (tiers of scheme {scheme.name!r}) "
            f"(got {v.show(tier)})."
        )
    return tier, scheme.level(tier)


def plan(grid: GridGraph, tier: object) -> Plan:
    """The plan of cutting *grid* at *tier*."""
    name, level = resolve_tier(grid, tier)
    heads = grid.units_of(name)
    home: dict[str, int] = {}
    sets: list[set[str]] = [set() for _ in range(max(1, len(heads)))]
    holding: dict[str, list[int]] = {}
    for n, head in enumerate(heads):
        below = sets[n]
        for u in grid.subtree(head.id):
            home[u.id] = n
            below.add(u.id)
        for u in grid.chain(head.id)[1:]:
            below.add(u.id)
            held = holding.setdefault(u.id, [])
            if not held or held[-1] != n:
                held.append(n)
    for u in grid.units:  # sorted by tier then id: bare units and their chains go to part 0
        if grid.scheme.level(u.tier) < level and u.id not in holding:
            for above in grid.chain(u.id):
                held = holding.setdefault(above.id, [])
                if 0 not in held:
                    held.insert(0, 0)
                sets[0].add(above.id)
    for uid, held in holding.items():
        home[uid] = held[0]
    return Plan(
        tier=name,
        level=level,
        heads=heads,
        home=MappingProxyType(home),
        holders=MappingProxyType({k: tuple(x) for k, x in holding.items()}),
        members_of=tuple(frozenset(s) for s in sets),
    )


def parts_holding(p: Plan, unit_id: str) -> tuple[int, ...]:
    """The parts holding *unit_id* (which must be a unit of the grid)."""
    held = p.holders.get(unit_id)
    return held if held is not None else (p.home[unit_id],)


def build_parts(grid: GridGraph, p: Plan) -> tuple[GridGraph, ...]:
    """The parts of *grid* under the plan, in part order."""
    count = len(p.members_of)
    units_of: list[list[GridUnit]] = [[] for _ in range(count)]
    for u in grid.units:
        for n in parts_holding(p, u.id):
            units_of[n].append(u)
    places_of: list[dict[str, str]] = [{} for _ in range(count)]
    if grid.places:
        at = len(grid.scheme) - 1 - p.level  # a place's chain runs from its bottom unit up
        home = p.home
        for pid, chain in grid.chain_index.items():
            places_of[home[chain[at].id]][pid] = chain[0].id
    team_of: list[list[Member]] = [[] for _ in range(count)]
    for m in grid.members:
        if not m.posts:  # a member at no unit belongs to no part more than another
            for team in team_of:
                team.append(m)
            continue
        posts: dict[int, list[Post]] = {}
        for post in m.posts:
            for n in parts_holding(p, post.unit):
                posts.setdefault(n, []).append(post)
        for n, kept in posts.items():
            team_of[n].append(m if len(kept) == len(m.posts) else attrs.evolve(m, posts=kept))
    partners_of: list[list[Partner]] = [[] for _ in range(count)]
    for partner in grid.partners:
        if not partner.units:  # covering nothing, it belongs to every part alike
            for linked in partners_of:
                linked.append(partner)
            continue
        covered: dict[int, set[str]] = {}
        for uid in partner.units:
            for n in parts_holding(p, uid):
                covered.setdefault(n, set()).add(uid)
        for n, units in covered.items():
            partners_of[n].append(
                partner if len(units) == len(partner.units) else attrs.evolve(partner, units=units)
            )
    return tuple(
        GridGraph(
            version=grid.version,
            scheme=grid.scheme,
            units=units_of[n],
            places=places_of[n],
            members=team_of[n],
            partners=partners_of[n],
        )
        for n in range(count)
    )


# --------------------------------------------------------------------------- reassembling


def reassemble_parts(parts: Iterable[GridGraph]) -> GridGraph:
    """The union of *parts* (see :func:`gridgov.grid.parts.reassemble`)."""
    items = v.check_items("parts", parts)
    if not items:
        raise InvalidValueError("'parts' must hold at least one GridGraph (got none).")
    for item in items:
        if not isinstance(item, GridGraph):
            raise v.refuse("parts", None, "a collection of GridGraph values", item)
    first = items[0]
    for n, part in enumerate(items):
        if part.version != first.version or part.scheme != first.scheme:
            raise InvalidGridError(
                f"the parts of one grid must share its version and scheme (part 0 is version "
                f"{first.version!r} of scheme {first.scheme.name!r}, part {n} version "
                f"{part.version!r} of scheme {part.scheme.name!r})."
            )
    units: dict[str, tuple[GridUnit, int]] = {}
    places: dict[str, str] = {}
    for n, part in enumerate(items):
        for u in part.units:
            seen = units.get(u.id)
            if seen is None:
                units[u.id] = (u, n)
            elif seen[0] != u:
                raise InvalidGridError(
                    f"unit {u.id!r} differs between parts {seen[1]} and {n}; the parts of one "
                    "grid must agree on every unit they share."
                )
        for pid, uid in part.places.items():
            if places.setdefault(pid, uid) != uid:
                raise InvalidGridError(
                    f"place {pid!r} is in unit {places[pid]!r} in one part and {uid!r} in part "
                    f"{n}; a place belongs to exactly one micro-grid."
                )
    return GridGraph(
        version=first.version,
        scheme=first.scheme,
        units=[u for u, _ in units.values()],
        places=places,
        members=_united(items, "members", "posts", "member"),
        partners=_united(items, "partners", "units", "partner"),
    )


def _united(items: tuple[GridGraph, ...], field: str, inner: str, what: str) -> list[Any]:
    """The members (or partners) of all parts, each one's posts (or units) united.

    A member's posts are united as multisets (a post held twice is kept twice, a post at a
    unit several parts hold is counted once), in the order of the part each first appears
    in, then of its place there."""
    found: dict[str, tuple[Any, int]] = {}
    order: dict[str, dict[tuple[object, int], tuple[int, int]]] = {}
    for n, part in enumerate(items):
        for x in getattr(part, field):
            bare = attrs.evolve(x, **{inner: ()})
            seen = found.get(x.id)
            if seen is None:
                found[x.id] = (bare, n)
            elif seen[0] != bare:
                raise InvalidGridError(
                    f"{what} {x.id!r} differs between parts {seen[1]} and {n}; the parts of "
                    f"one grid must agree on every {what} they share."
                )
            keys = order.setdefault(x.id, {})
            counts: Counter[object] = Counter()
            for i, item in enumerate(getattr(x, inner)):
                counts[item] += 1
                keys.setdefault((item, counts[item]), (n, i))
    out: list[Any] = []
    for xid, (bare, _) in found.items():
        keys = order[xid]
        ranked = sorted(keys, key=keys.__getitem__)
        out.append(attrs.evolve(bare, **{inner: [item for item, _ in ranked]}))
    return out
