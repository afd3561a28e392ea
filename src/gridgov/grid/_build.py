"""How a :class:`~gridgov.grid.GridGraph` is checked and indexed when it is built (private to
the grid package).

A city has millions of places, so the grid does not make them graph nodes: it keeps one
dictionary place id → the precomputed chain of its bottom-tier unit (the chain tuples are
shared, not copied), wrapped read-only.  A new grid version whose bottom-tier chains are
unchanged reuses the index as it is, without validating the places again.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping, ValuesView
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import networkx as nx

import gridgov._validators as v
from gridgov.errors import InvalidGridError, InvalidValueError
from gridgov.grid.units import GridUnit, Place

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.people import Member, Partner
    from gridgov.tiers import TierScheme

Chain = tuple[GridUnit, ...]


class PlaceIndex(Mapping[str, str]):
    """A read-only place → bottom-tier-unit-id mapping holding each place's chain."""

    __slots__ = ("_by_unit", "_chains")

    _chains: Mapping[str, Chain]  # read-only: nothing may change the index once validated
    _by_unit: Mapping[str, Chain]

    def __init__(self, data: dict[str, Chain], chains: Mapping[str, Chain]) -> None:
        object.__setattr__(self, "_chains", MappingProxyType(data))
        object.__setattr__(self, "_by_unit", MappingProxyType(dict(chains)))

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("the place index is read-only")

    @property
    def chain_index(self) -> Mapping[str, Chain]:
        """place id → the chain of its bottom-tier unit, read-only."""
        return self._chains

    def same_chains(self, chains: Mapping[str, Chain]) -> bool:
        """Whether every bottom-tier chain this index points to is still *chains*' own."""
        mine = self._by_unit
        return all(chains.get(uid) == chain for uid, chain in mine.items())

    def __getitem__(self, key: str) -> str:
        return self._chains[key][0].id

    def __iter__(self) -> Iterator[str]:
        return iter(self._chains)

    def __len__(self) -> int:
        return len(self._chains)

    def __contains__(self, key: object) -> bool:
        return key in self._chains

    def ids(self) -> dict[str, str]:
        """A new plain dict place id → bottom-tier unit id."""
        return {pid: chain[0].id for pid, chain in self._chains.items()}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlaceIndex):
            if len(self) != len(other):
                return False
            theirs = other._chains
            return all(
                pid in theirs and chain[0].id == theirs[pid][0].id
                for pid, chain in self._chains.items()
            )
        if isinstance(other, Mapping):
            return self.ids() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def items(self) -> ItemsView[str, str]:
        return self.ids().items()

    def values(self) -> ValuesView[str]:
        return self.ids().values()

    def __repr__(self) -> str:
        return f"<place index of {len(self._chains)} places>"

    def __reduce__(self) -> tuple[Any, ...]:
        # As unit id → its places: each unit id once, not once per place (a third smaller).
        groups: dict[str, list[str]] = {}
        for pid, chain in self._chains.items():
            groups.setdefault(chain[0].id, []).append(pid)
        return (ungroup, ({uid: tuple(pids) for uid, pids in groups.items()},))


def ungroup(groups: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Place id → unit id from unit id → its place ids (how a pickled place index loads)."""
    return {pid: uid for uid, pids in groups.items() for pid in pids}


def check_cycles(unit: Mapping[str, GridUnit]) -> None:
    """Raise :class:`~gridgov.errors.InvalidGridError` naming a cycle of parents, if any."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in unit:
        path: list[str] = []
        uid: str | None = start
        while uid is not None and state.get(uid) is None:
            state[uid] = 1
            path.append(uid)
            uid = unit[uid].parent
        if uid is not None and state.get(uid) == 1:
            cycle = [*path[path.index(uid) :], uid]
            raise InvalidGridError(
                "units " + " → ".join(repr(c) for c in cycle) + " form a cycle; "
                "a grid must be a tree."
            )
        for p in path:
            state[p] = 2


def place_source(value: Mapping[str, str] | Iterable[Place]) -> Mapping[str, str]:
    """Accept a mapping or an iterable of Place; the grid canonicalises it after validation."""
    if isinstance(value, Mapping):
        return value
    index: dict[str, str] = {}
    for place in v.check_items("places", value, "GridGraph"):
        if not isinstance(place, Place):
            raise InvalidGridError(
                f"'places' must be a mapping of place id to micro-grid id or Place values "
                f"(got {v.show(place)})."
            )
        if place.id in index:
            raise InvalidGridError(
                f"place {place.id!r} is assigned twice (to {index[place.id]!r} and "
                f"{place.unit!r}); a place belongs to exactly one micro-grid."
            )
        index[place.id] = place.unit
    return index


def by_id(value: Iterable[Any]) -> tuple[Any, ...]:
    items: tuple[Any, ...] = v.to_tuple(value)
    if type(items) is not tuple or not all(isinstance(getattr(x, "id", None), str) for x in items):
        return items  # left unsorted for the validator, which names the stray value
    return tuple(sorted(items, key=lambda v: v.id))


Indices = tuple[
    tuple["GridUnit", ...],
    dict[str, "GridUnit"],
    dict[str, Chain],
    dict[str, tuple["GridUnit", ...]],
    dict[str, tuple["GridUnit", ...]],
]


def index_units(units: tuple[GridUnit, ...], scheme: TierScheme) -> Indices:
    """Check that *units* form a tree of *scheme*'s tiers and index them: the units sorted by
    tier then id, by id, each one's chain up to its root, children and units by tier."""
    unit: dict[str, GridUnit] = {}
    for u in units:
        if u.id in unit:
            raise InvalidGridError(
                f"unit id {u.id!r} is used by more than one unit; unit ids must be unique."
            )
        if u.tier not in scheme:
            raise InvalidGridError(
                f"'tier' of unit {u.id!r} must be one of {list(scheme.names)} (got {v.show(u.tier)})."
            )
        unit[u.id] = u
    for u in units:
        if u.parent is not None and u.parent not in unit:
            raise InvalidGridError(
                f"'parent' of unit {u.id!r} must name a unit of the grid (got {v.show(u.parent)})."
            )
    check_cycles(unit)
    top = scheme.top.name
    for u in units:
        if u.parent is None:
            if u.tier != top:
                raise InvalidGridError(
                    f"unit {u.id!r} of tier {u.tier!r} has no parent; only units of the "
                    f"top tier {top!r} may be roots."
                )
            continue
        parent = unit[u.parent]
        above = scheme.above(u.tier)
        if above is None or parent.tier != above.name:
            expected = (
                "no parent (top tier)" if above is None else f"a parent of tier {above.name!r}"
            )
            raise InvalidGridError(
                f"unit {u.id!r} of tier {u.tier!r} must have {expected}; its parent "
                f"{parent.id!r} is of tier {parent.tier!r}."
            )
    ordered = tuple(sorted(units, key=lambda u: (scheme.level(u.tier), u.id)))
    chain: dict[str, Chain] = {}
    children: dict[str, list[GridUnit]] = {u.id: [] for u in ordered}
    tiers: dict[str, list[GridUnit]] = {t: [] for t in scheme.names}
    for u in ordered:  # parents come before children
        if u.parent is None:
            chain[u.id] = (u,)
        else:
            chain[u.id] = (u, *chain[u.parent])
            children[u.parent].append(u)
        tiers[u.tier].append(u)
    return (
        ordered,
        unit,
        chain,
        {k: tuple(x) for k, x in children.items()},
        {k: tuple(x) for k, x in tiers.items()},
    )


def index_places(
    source: Mapping[str, str],
    bottom: Mapping[str, Chain],
    unit: Mapping[str, GridUnit],
    scheme: TierScheme,
) -> PlaceIndex:
    """Validate the places and index each one to its bottom-tier unit's precomputed chain."""
    if isinstance(source, PlaceIndex):
        if source.same_chains(bottom):
            return source  # validated already, and every chain it points to is unchanged
        source = source.ids()
    try:
        # One dict look-up per place, at C speed: place id → chain of its bottom-tier unit.
        index = dict(zip(source.keys(), map(bottom.__getitem__, source.values()), strict=True))
    except (KeyError, TypeError):
        for pid, uid in source.items():
            if not isinstance(uid, str) or uid not in bottom:
                if isinstance(uid, str) and uid in unit:
                    raise InvalidGridError(
                        f"'places' of GridGraph must assign each place to a unit of tier "
                        f"{scheme.bottom.name!r} (got place {v.show(pid)} in {uid!r}, of tier "
                        f"{unit[uid].tier!r})."
                    ) from None
                raise InvalidGridError(
                    f"'places' of GridGraph must assign each place to a unit of its 'units' "
                    f"(got place {v.show(pid)} in {v.show(uid)})."
                ) from None
        raise  # pragma: no cover - the loop above finds the culprit
    try:
        v.check_ids("places", index)
    except InvalidValueError as exc:
        raise InvalidGridError(str(exc)) from None
    return PlaceIndex(index, bottom)


def check_team(
    members: tuple[Member, ...], partners: tuple[Partner, ...], unit: Mapping[str, GridUnit]
) -> tuple[dict[str, Member], dict[str, Member]]:
    """Check the team and the partners against the units; the leader of each unit, and the
    members by id."""
    leader: dict[str, Member] = {}
    by_id: dict[str, Member] = {}
    for m in members:
        if m.id in by_id:
            raise InvalidGridError(f"member id {m.id!r} is used twice; member ids must be unique.")
        by_id[m.id] = m
        for post in m.posts:
            if post.unit not in unit:
                raise InvalidGridError(
                    f"post {post.role.value!r} of member {m.id!r} must be at a unit of the "
                    f"grid (got {v.show(post.unit)})."
                )
            if post.role.leads:
                other = leader.get(post.unit)
                if other is not None and other.id != m.id:
                    raise InvalidGridError(
                        f"unit {post.unit!r} must have at most one leader (got {v.show(other.id)} "
                        f"and {m.id!r})."
                    )
                leader[post.unit] = m
    seen: set[str] = set()
    for p in partners:
        if p.id in seen:
            raise InvalidGridError(
                f"partner id {p.id!r} is used twice; partner ids must be unique."
            )
        seen.add(p.id)
        for uid in sorted(p.units):
            if uid not in unit:
                raise InvalidGridError(
                    f"'units' of partner {p.id!r} must name units of the grid (got {v.show(uid)})."
                )
    return leader, by_id


def partner_cover(
    partners: tuple[Partner, ...], ordered: tuple[GridUnit, ...]
) -> dict[str, tuple[Partner, ...]]:
    """Each unit → the partners covering it (its own and those above), sorted by id; a unit
    with no partner of its own shares its parent's tuple."""
    own: dict[str, list[Partner]] = {}
    for p in partners:  # sorted by id, so each list is too
        for uid in p.units:
            own.setdefault(uid, []).append(p)
    covering: dict[str, tuple[Partner, ...]] = {}
    for u in ordered:  # parents come before children
        above = covering[u.parent] if u.parent is not None else ()
        mine = own.get(u.id)
        if not mine:
            covering[u.id] = above
        else:
            merged = {p.id: p for p in (*above, *mine)}
            covering[u.id] = tuple(merged[k] for k in sorted(merged))
    return covering


def networkx_copy(
    units: tuple[GridUnit, ...], places: Mapping[str, str] | None
) -> nx.DiGraph[str]:
    """A new networkx graph of the units, edges parent → child; with *places*, every node
    carries its ``name``, ``tier`` and number of ``places``."""
    g: nx.DiGraph[str] = nx.DiGraph()
    if places is None:
        g.add_nodes_from(u.id for u in units)
    else:
        counts: dict[str, int] = {}
        for uid in places.values():
            counts[uid] = counts.get(uid, 0) + 1
        for u in units:
            g.add_node(u.id, name=u.name, tier=u.tier, places=counts.get(u.id, 0))
    g.add_edges_from((u.parent, u.id) for u in units if u.parent is not None)
    return g
