"""The grid itself: :class:`GridGraph`, a validated, immutable tree of units in tiers with
its place index, team and partners (see :mod:`gridgov.grid`).

Example:
    >>> from gridgov.demo import sample_grid
    >>> [u.id for u in sample_grid().place_chain("h-1001")]
    ['mg31', 'g3', 'yx']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs
import networkx as nx

import gridgov._validators as v
from gridgov.errors import (
    InvalidGridError,
    PolicyError,
    UnknownMemberError,
    UnknownPlaceError,
    UnknownUnitError,
)
from gridgov.grid._build import (
    by_id,
    check_team,
    index_places,
    index_units,
    networkx_copy,
    partner_cover,
    place_source,
)
from gridgov.grid.units import GridUnit, Place
from gridgov.people import Member, Partner
from gridgov.serialize import register
from gridgov.tiers import THREE_TIER, TierScheme

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.issues import CategoryCatalogue

__all__ = ["GridGraph"]


@register
@attrs.frozen(kw_only=True, repr=False)
class GridGraph:
    """An immutable, validated grid of units with its place index, members and partners.

    Units are kept sorted by tier then id, members and partners by id, so equal grids compare
    equal whatever order they were given in.

    Args:
        version: the caller's label for this drawing of the grid (``"2026-11"``).
        scheme: the tier scheme, top first (default :data:`~gridgov.THREE_TIER`).
        units: the units.
        places: place id → id of a bottom-tier unit, or an iterable of :class:`Place`.
        members: the grid team; every post must name a unit of this grid, and a unit has at
            most one leader.
        partners: linkage partners; every covered unit must be a unit of this grid.

    Raises:
        InvalidGridError: naming the offending unit(s), place or member, if the grid would not
            be a valid tree of tiers.

    Example:
        >>> from gridgov import GridUnit, GridGraph
        >>> GridGraph(version="v1", units=[GridUnit(id="g", name="G", tier="grid")])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidGridError: unit 'g' of tier 'grid' has no parent; only units of the top tier 'community' may be roots.
    """

    version: str = attrs.field(validator=v.ident)
    scheme: TierScheme = attrs.field(default=THREE_TIER, validator=v.is_a(TierScheme))
    units: tuple[GridUnit, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(GridUnit))
    )
    places: Mapping[str, str] = attrs.field(factory=dict, converter=place_source, hash=False)
    members: tuple[Member, ...] = attrs.field(
        default=(), converter=by_id, validator=v.tuple_of(v.holds(Member))
    )
    partners: tuple[Partner, ...] = attrs.field(
        default=(), converter=by_id, validator=v.tuple_of(v.holds(Partner))
    )

    # Indices, computed once in __attrs_post_init__ and read-only after.
    _unit: Mapping[str, GridUnit] = attrs.field(init=False, eq=False, hash=False)
    _chain: Mapping[str, tuple[GridUnit, ...]] = attrs.field(init=False, eq=False, hash=False)
    _children: Mapping[str, tuple[GridUnit, ...]] = attrs.field(init=False, eq=False, hash=False)
    _tiers: Mapping[str, tuple[GridUnit, ...]] = attrs.field(init=False, eq=False, hash=False)
    _leader: Mapping[str, Member] = attrs.field(init=False, eq=False, hash=False)
    _member: Mapping[str, Member] = attrs.field(init=False, eq=False, hash=False)
    _covering: Mapping[str, tuple[Partner, ...]] = attrs.field(init=False, eq=False, hash=False)
    _place_chain: Mapping[str, tuple[GridUnit, ...]] = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        scheme = self.scheme
        ordered, unit, chain, children, tiers = index_units(self.units, scheme)
        setattr_ = object.__setattr__
        setattr_(self, "units", ordered)
        setattr_(self, "_unit", MappingProxyType(unit))
        setattr_(self, "_chain", MappingProxyType(chain))
        setattr_(self, "_children", MappingProxyType(children))
        setattr_(self, "_tiers", MappingProxyType(tiers))
        bottom = {u.id: chain[u.id] for u in tiers[scheme.bottom.name]}
        places = index_places(self.places, bottom, unit, scheme)
        setattr_(self, "places", places)
        setattr_(self, "_place_chain", places.chain_index)
        leader, members = check_team(self.members, self.partners, unit)
        setattr_(self, "_leader", MappingProxyType(leader))
        setattr_(self, "_member", MappingProxyType(members))
        setattr_(self, "_covering", MappingProxyType(partner_cover(self.partners, ordered)))

    # ----------------------------------------------------------------------- dunder

    def __repr__(self) -> str:
        return (
            f"GridGraph(version={self.version!r}, scheme={self.scheme.name!r}, "
            f"units={len(self.units)}, places={len(self.places)}, "
            f"members={len(self.members)}, partners={len(self.partners)})"
        )

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._unit

    def __iter__(self) -> Iterator[GridUnit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    # ----------------------------------------------------------------------- unit queries

    def unit(self, unit_id: str) -> GridUnit:
        """The unit with id *unit_id*.

        Raises:
            UnknownUnitError: if there is none.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().unit("yx").name
            '亚新社区'
        """
        try:
            return self._unit[unit_id]
        except (KeyError, TypeError):
            raise UnknownUnitError(
                f"unit {v.show(unit_id)} is not in grid version {self.version!r}."
            ) from None

    def parent(self, unit_id: str) -> GridUnit | None:
        """The unit directly above, or ``None`` for a root.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().parent("g3").id
            'yx'
        """
        u = self.unit(unit_id)
        return None if u.parent is None else self._unit[u.parent]

    def children(self, unit_id: str) -> tuple[GridUnit, ...]:
        """The units directly below, sorted by id.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [u.id for u in sample_grid().children("g3")][:2]
            ['mg31', 'mg32']
        """
        self.unit(unit_id)
        return self._children[unit_id]

    def chain(self, unit_id: str) -> tuple[GridUnit, ...]:
        """The unit and every unit above it, ending at its root (precomputed; O(1)).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [u.id for u in sample_grid().chain("mg31")]
            ['mg31', 'g3', 'yx']
        """
        try:
            return self._chain[unit_id]
        except (KeyError, TypeError):
            raise UnknownUnitError(
                f"unit {v.show(unit_id)} is not in grid version {self.version!r}."
            ) from None

    def subtree(self, unit_id: str) -> tuple[GridUnit, ...]:
        """The unit and every unit below it, parents before children.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> len(sample_grid().subtree("g3"))
            5
        """
        out = [self.unit(unit_id)]
        i = 0
        while i < len(out):
            out.extend(self._children[out[i].id])
            i += 1
        return tuple(out)

    def units_of(self, tier: str) -> tuple[GridUnit, ...]:
        """The units of tier *tier*, sorted by id.

        Raises:
            PolicyError: if the scheme has no such tier.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> len(sample_grid().units_of("grid"))
            6
        """
        self.scheme.level(tier)
        return self._tiers[tier]

    @property
    def roots(self) -> tuple[GridUnit, ...]:
        """The top-tier units.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [u.id for u in sample_grid().roots]
            ['yx']
        """
        return self._tiers[self.scheme.top.name]

    def depth(self, unit_id: str) -> int:
        """The number of units above *unit_id* (0 for a root; equal to its tier's level).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().depth("mg31")
            2
        """
        return len(self.chain(unit_id)) - 1

    def lowest_common_unit(self, a: str, b: str) -> GridUnit | None:
        """The lowest unit that has both *a* and *b* in its subtree, or ``None`` if they lie
        under different roots.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().lowest_common_unit("mg31", "mg32").id
            'g3'
        """
        above_a = {u.id for u in self.chain(a)}
        for u in self.chain(b):
            if u.id in above_a:
                return u
        return None

    def is_above(self, upper: str, lower: str) -> bool:
        """Whether *upper* is *lower* or one of the units above it.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().is_above("yx", "mg31"), sample_grid().is_above("mg31", "yx")
            (True, False)
        """
        self.unit(upper)
        return any(u.id == upper for u in self.chain(lower))

    @property
    def graph(self) -> nx.DiGraph[str]:
        """A frozen ``networkx.DiGraph`` of unit ids, edges parent → child, for analysis.

        It is a new copy at every call (keep it if you need it more than once), so nothing
        done to it — not even through ``nx.DiGraph``'s own methods called on it, which its
        freezing does not stop — can reach the grid.  :meth:`to_networkx` gives a mutable
        copy with node attributes.

        Example:
            >>> import networkx as nx
            >>> from gridgov.demo import sample_grid
            >>> g = sample_grid().graph
            >>> nx.is_tree(g), nx.is_frozen(g)
            (True, True)
        """
        frozen: nx.DiGraph[str] = nx.freeze(networkx_copy(self.units, None))
        return frozen

    def to_networkx(self) -> nx.DiGraph[str]:
        """A new, mutable ``DiGraph`` with ``name``, ``tier`` and ``places`` (count) on every node.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().to_networkx().nodes["yx"]["tier"]
            'community'
        """
        return networkx_copy(self.units, self.places)

    # ----------------------------------------------------------------------- places

    def place_unit(self, place_id: str) -> GridUnit:
        """The micro-grid (bottom-tier unit) a place belongs to (O(1)).

        Raises:
            UnknownPlaceError: if the place is not in the index.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().place_unit("h-0001").id
            'mg11'
        """
        try:
            return self._place_chain[place_id][0]
        except (KeyError, TypeError):
            raise UnknownPlaceError(
                f"place {v.show(place_id)} is not in grid version {self.version!r}."
            ) from None

    def place_chain(self, place_id: str) -> tuple[GridUnit, ...]:
        """The place's micro-grid and every unit above it (O(1)).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [u.id for u in sample_grid().place_chain("h-0001")]
            ['mg11', 'g1', 'yx']
        """
        try:
            return self._place_chain[place_id]
        except (KeyError, TypeError):
            raise UnknownPlaceError(
                f"place {v.show(place_id)} is not in grid version {self.version!r}."
            ) from None

    @property
    def chain_index(self) -> Mapping[str, tuple[GridUnit, ...]]:
        """The chain of each place's bottom-tier unit, by place id (read-only) — the index
        behind :meth:`place_chain`, for batch callers that look up many places (advanced).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [u.id for u in sample_grid().chain_index["h-0001"]]
            ['mg11', 'g1', 'yx']
        """
        return self._place_chain

    def has_place(self, place_id: str) -> bool:
        """Whether the place is in the index.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().has_place("h-0001"), sample_grid().has_place("nowhere")
            (True, False)
        """
        return place_id in self._place_chain

    def place_chains(self, place_ids: Iterable[str]) -> list[tuple[GridUnit, ...]]:
        """The chains of many places at once, in order (the batch form of :meth:`place_chain`).

        Raises:
            UnknownPlaceError: naming the first place that is not in the index.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [c[0].id for c in sample_grid().place_chains(["h-0001", "h-1001"])]
            ['mg11', 'mg31']
        """
        if isinstance(place_ids, str):
            raise v.refuse(
                "place_ids", None, "a collection of place ids (a str is not one)", place_ids
            )
        chains = self._place_chain
        try:
            return [chains[place] for place in place_ids]  # subscripts: C speed on a read-only view
        except (KeyError, TypeError) as exc:
            raise UnknownPlaceError(
                f"place {exc.args[0] if exc.args else None!r} is not in grid version "
                f"{self.version!r}."
            ) from None

    def places_in(self, unit_id: str) -> tuple[str, ...]:
        """The ids of the places in the subtree of *unit_id*, sorted (scans the index: O(places)).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().places_in("mg11")[:2]
            ('h-0001', 'h-0002')
        """
        below = {u.id for u in self.subtree(unit_id)}
        return tuple(sorted(pid for pid, uid in self.places.items() if uid in below))

    # ----------------------------------------------------------------------- team

    def leader(self, unit_id: str) -> Member | None:
        """The member holding the leading post at *unit_id*, if any.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().leader("g3").name
            '彭雪丽'
        """
        self.unit(unit_id)
        return self._leader.get(unit_id)

    def members_in(self, unit_id: str) -> tuple[Member, ...]:
        """Members holding a post at *unit_id* or any unit below it, sorted by id.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [m.name for m in sample_grid().members_in("mg31")]
            ['李燕明']
        """
        below = {u.id for u in self.subtree(unit_id)}
        return tuple(m for m in self.members if not below.isdisjoint(m.units))

    def member(self, member_id: str) -> Member:
        """The member with id *member_id*.

        Raises:
            UnknownMemberError: (a ``KeyError``) if there is none.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().member("m-li").name
            '李燕明'
        """
        try:
            return self._member[member_id]
        except (KeyError, TypeError):
            raise UnknownMemberError(
                f"member {v.show(member_id)} is not in grid version {self.version!r}."
            ) from None

    def partners_for(
        self,
        unit_id: str,
        category: str | None = None,
        *,
        catalogue: CategoryCatalogue | None = None,
    ) -> tuple[Partner, ...]:
        """Partners covering *unit_id* (directly or through a unit above it), sorted by id;
        with a *category*, only those serving it in *catalogue* (a partner serving a
        category serves the categories that refine it).

        Raises:
            UnknownUnitError: if the unit is not in the grid.
            PolicyError: for a *category* without a *catalogue*, or not in it.

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> from gridgov.demo import sample_grid
            >>> [p.kind.zh for p in sample_grid().partners_for(
            ...     "mg31", "facility_repair", catalogue=DEFAULT_CATALOGUE)]
            ['物业']
        """
        covering = self.partners_covering(unit_id)
        if category is None:
            return covering
        if catalogue is None:
            raise PolicyError(
                "'catalogue' must be given with a 'category': a partner serving a category "
                "serves the categories that refine it in the catalogue in use."
            )
        return tuple(p for p in covering if p.serves(category, catalogue))

    def partners_covering(self, unit_id: str) -> tuple[Partner, ...]:
        """The partners covering *unit_id*, directly or through a unit above it, sorted by id
        (precomputed; O(1)).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> [p.kind.zh for p in sample_grid().partners_covering("mg31")]
            ['社区卫生服务中心', '派出所', '物业']
        """
        try:
            return self._covering[unit_id]
        except (KeyError, TypeError):
            raise UnknownUnitError(
                f"unit {v.show(unit_id)} is not in grid version {self.version!r}."
            ) from None

    # ----------------------------------------------------------------------- changes

    def add_unit(self, unit: GridUnit, *, version: str) -> GridGraph:
        """A new grid with *unit* added.

        Example:
            >>> from gridgov import GridUnit
            >>> from gridgov.demo import sample_grid
            >>> old = sample_grid()
            >>> new = old.add_unit(GridUnit(id="mg99", name="新楼", tier="micro_grid", parent="g3"),
            ...                    version="2026-12")
            >>> "mg99" in new, "mg99" in old
            (True, False)
        """
        return attrs.evolve(self, version=version, units=(*self.units, unit))

    def remove_unit(self, unit_id: str, *, version: str) -> GridGraph:
        """A new grid without *unit_id*, which must have no children, places or posts.

        Raises:
            InvalidGridError: naming what is still attached to the unit.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().remove_unit("g3", version="x")
            Traceback (most recent call last):
            ...
            gridgov.errors.InvalidGridError: unit 'g3' cannot be removed while it has child units (mg31, ...).
        """
        self.unit(unit_id)
        kids = self._children[unit_id]
        if kids:
            names = ", ".join(u.id for u in kids[:1]) + (", ..." if len(kids) > 1 else "")
            raise InvalidGridError(
                f"unit {unit_id!r} cannot be removed while it has child units ({names})."
            )
        placed = next((p for p, u in self.places.items() if u == unit_id), None)
        if placed is not None:
            raise InvalidGridError(
                f"unit {unit_id!r} cannot be removed while places are assigned to it "
                f"(e.g. {placed!r}); reassign them first."
            )
        kept = tuple(u for u in self.units if u.id != unit_id)
        return attrs.evolve(self, version=version, units=kept)

    def move_unit(self, unit_id: str, new_parent: str, *, version: str) -> GridGraph:
        """A new grid with *unit_id* (and its subtree) under *new_parent*.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().move_unit("mg31", "g1", version="2026-12").parent("mg31").id
            'g1'
        """
        moved = attrs.evolve(self.unit(unit_id), parent=new_parent)
        units = tuple(moved if u.id == unit_id else u for u in self.units)
        return attrs.evolve(self, version=version, units=units)

    def assign_place(self, place_id: str, unit_id: str, *, version: str) -> GridGraph:
        """A new grid with the place added to, or moved into, micro-grid *unit_id*.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().assign_place("h-0001", "mg32", version="2026-12").place_unit(
            ...     "h-0001").id
            'mg32'
        """
        places = dict(self.places)
        places[place_id] = unit_id
        return attrs.evolve(self, version=version, places=places)

    def remove_place(self, place_id: str, *, version: str) -> GridGraph:
        """A new grid without the place.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().remove_place("h-0001", version="x").has_place("h-0001")
            False
        """
        self.place_unit(place_id)
        places = dict(self.places)
        del places[place_id]
        return attrs.evolve(self, version=version, places=places)

    def with_places(
        self, places: Mapping[str, str] | Iterable[Place], *, version: str
    ) -> GridGraph:
        """A new grid with the given places added or reassigned.

        Example:
            >>> from gridgov import Place
            >>> from gridgov.demo import sample_grid
            >>> g = sample_grid().with_places([Place(id="b-9", unit="mg31")], version="x")
            >>> g.place_unit("b-9").id
            'mg31'
        """
        merged = dict(self.places)
        merged.update(place_source(places))
        return attrs.evolve(self, version=version, places=merged)

    def with_team(
        self,
        *,
        version: str,
        members: Iterable[Member] | None = None,
        partners: Iterable[Partner] | None = None,
    ) -> GridGraph:
        """A new grid with its members and/or partners replaced.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> sample_grid().with_team(version="x", partners=[]).partners
            ()
        """
        team = self.members if members is None else members
        return attrs.evolve(
            self,
            version=version,
            members=team,
            partners=(self.partners if partners is None else partners),
        )
