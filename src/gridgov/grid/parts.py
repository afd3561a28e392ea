"""Cutting a grid into parts that answer like the whole: :func:`cut`, :func:`reassemble` and
:class:`GridPartition`, the compiled value that says which part each issue, resident and
case belongs to.

A city is too big for one process, but its work is local: an issue is routed along the
chain of units above its place, a case escalates along the chain it was routed along, a
resident is visited where they live.  :func:`cut` makes one part per unit of a tier — by
default the top tier, one part per community — holding that unit's subtree **and the chain
of units above it (the spine)**, so every chain in a part is the whole grid's chain; the
places of the subtree; the members with their posts at the part's units; and the partners
with the units they cover there.  :func:`reassemble` puts the parts back together.

How work crosses the cut:

* **Routing** is the same on a part as on the whole: the issue's chain is in its part, with
  the same units, leaders and partners.  Route with a router built on the part, with the
  matrix's lines for units of other parts left out
  (:meth:`ResponsibilityMatrix.restricted_to
  <gridgov.routing.ResponsibilityMatrix.restricted_to>`).
* **Escalation above the cut** (a case climbing from a community to its 街道 when the grid is
  cut at the community tier) does not move the case: it stays in the part where it started
  (:meth:`GridPartition.part_of_case` reads the case's issue, not its current owner),
  because every part holds the spine, so the units it may climb to are all there.  The
  work of a spine unit is therefore spread over the parts, and combined: sweeps and
  routings by concatenating the parts' results, metrics by adding the parts' counts
  (:meth:`Tally.combine <gridgov.metrics.Tally.combine>`).
* **Issues filed at a spine unit** (about a 街道 as a whole) go to that unit's *home part*,
  the first part that holds it; **unlocated issues** (待定位) go to the part of the unit
  the routers put them at (``unlocated_at``), or, when the grid has a single top-tier unit,
  to part 0.  This is safe because every part holding a unit holds its whole chain above:
  the routing answer is the same on any of them, and sending all such issues to one part
  keeps the duplicates and repeats about that unit together.

What is not partition-safe: a comparison *across places* of different parts.  Duplicate
detection (:func:`~gridgov.escalation.candidate_duplicates`) and the ``repeated`` trigger
compare reports at one place, and a place is in exactly one part — safe — but a case
*merged* into a case of another part (a duplicate merged across the cut), or *re-routed*
to a unit of another part, is still judged in the part of its issue: its merged reports
count towards ``repeated`` in the part of the case they were merged into, and a re-routed
case's owner is judged by its tier's lines in the restricted matrix.  Keep such cases in
one part (merge only within a part) or run those sweeps on the whole.

Example:
    >>> from gridgov.demo import sample_grid
    >>> grid = sample_grid()
    >>> parts = cut(grid, tier="grid")
    >>> len(parts), [u.id for u in parts[2].units][:3], len(parts[2].places)
    (6, ['yx', 'g3', 'mg31'], 492)
    >>> reassemble(parts) == grid
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import gridgov._validators as v
from gridgov.errors import PolicyError, UnknownPlaceError, UnknownUnitError
from gridgov.grid._parts import Plan, build_parts, parts_holding, plan, reassemble_parts
from gridgov.grid.graph import GridGraph

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.cases import Case
    from gridgov.issues import Issue
    from gridgov.people import Resident

__all__ = ["GridPartition", "cut", "reassemble"]

_T = TypeVar("_T")


def cut(grid: GridGraph, *, tier: str | None = None) -> tuple[GridGraph, ...]:
    """The parts of *grid*, one per unit of *tier* (default the scheme's top tier), in the
    order of those units' ids.

    A part holds the unit's subtree and the chain of units above it (the spine), so every
    chain in a part is the grid's own; the places of the subtree; the members with their
    posts at the part's units (a member left with no post is not in the part); and the
    partners with the units they cover in the part (one covering none of them is not).  A
    member with no post at all, or a partner covering no unit, is in every part.  A unit
    above *tier* with no unit of *tier* below it goes, with its chain, to part 0; a grid
    with no unit of *tier* is one part, itself.  Every part has the grid's version and
    scheme.  Linear in the size of the grid and of the parts.

    Raises:
        PolicyError: if *tier* is not a tier of the grid's scheme (naming the tiers).

    Example:
        >>> from gridgov.demo import sample_grid
        >>> [p.roots[0].id for p in cut(sample_grid())], len(cut(sample_grid(), tier="grid"))
        (['yx'], 6)
        >>> cut(sample_grid(), tier="street")
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'tier' must be one of ['community', 'grid', 'micro_grid'] (tiers of scheme 'three_tier') (got 'street').
    """
    v.check_instance("grid", grid, GridGraph)
    return build_parts(grid, plan(grid, tier))


def reassemble(parts: Iterable[GridGraph]) -> GridGraph:
    """The grid the *parts* were cut from: the union of their units, places, members (each
    one's posts united) and partners (each one's units united).

    ``reassemble(cut(grid, tier=t)) == grid`` for every tier ``t`` — with one caveat: a
    member's posts come back in the order of the part each post is first in (then its
    order there), so a member holding posts in several parts in another order gets them
    back reordered (:attr:`Member.posts <gridgov.Member.posts>` order says which post is
    the member's home).

    Raises:
        InvalidValueError: if *parts* is empty or holds something else than grids.
        InvalidGridError: if the parts differ in version or scheme, or two parts disagree
            on a unit, a place, a member or a partner they share (naming it).

    Example:
        >>> from gridgov import GridUnit
        >>> from gridgov.demo import sample_grid
        >>> a, b = cut(sample_grid(), tier="grid")[:2]
        >>> [u.id for u in reassemble([a, b]).units_of("grid")]
        ['g1', 'g2']
        >>> def drawn(name):
        ...     return GridGraph(version="v", units=[GridUnit(id="yx", name=name, tier="community")])
        >>> reassemble([drawn("亚新社区"), drawn("别名")])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidGridError: unit 'yx' differs between parts 0 and 1; the parts of one grid must agree on every unit they share.
    """
    return reassemble_parts(parts)


class GridPartition:
    """A grid cut at a tier, compiled once and kept: the parts, and which part each place,
    unit, issue, resident and case belongs to.

    Build it once per grid version and pass it where work is split: the look-ups are a dict
    probe or two, the splitters one pass over their input, and it keeps nothing that changes
    as it is used.  It pickles as its grid and tier (the parts are cut again on loading).

    Args:
        grid: the grid.
        tier: the tier to cut at (default the scheme's top tier).
        unlocated_at: the unit the routers put unlocated issues (待定位) at (their
            ``unlocated_at``), if not the grid's single top-tier unit.

    Attributes:
        grid: the grid.
        tier: the name of the tier it is cut at.
        unlocated_at: as given.
        parts: the parts, as :func:`cut` makes them.

    Raises:
        PolicyError: for an unknown tier, or an *unlocated_at* that is not a unit of the grid.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> p = GridPartition(sample_grid(), tier="grid")
        >>> len(p), p.part_of_place("h-1001"), p.part_of_unit("mg31"), p.part_of_unit("yx")
        (6, 2, 2, 0)
    """

    __slots__ = ("_plan", "_unlocated", "grid", "parts", "unlocated_at")

    grid: GridGraph
    parts: tuple[GridGraph, ...]
    unlocated_at: str | None
    _plan: Plan
    _unlocated: int | None

    def __init__(
        self, grid: GridGraph, *, tier: str | None = None, unlocated_at: str | None = None
    ) -> None:
        v.check_instance("grid", grid, GridGraph)
        planned = plan(grid, tier)
        if unlocated_at is not None:
            v.check_ident("unlocated_at", unlocated_at)
            if unlocated_at not in grid:
                raise PolicyError(
                    f"'unlocated_at' of GridPartition must be a unit of grid version "
                    f"{grid.version!r} (got {v.show(unlocated_at)})."
                )
            unlocated: int | None = planned.home[unlocated_at]
        else:
            unlocated = 0 if len(grid.roots) == 1 else None
        set_ = object.__setattr__
        set_(self, "grid", grid)
        set_(self, "unlocated_at", unlocated_at)
        set_(self, "_plan", planned)
        set_(self, "_unlocated", unlocated)
        set_(self, "parts", build_parts(grid, planned))

    @classmethod
    def of(
        cls, grid: GridGraph, *, tier: str | None = None, unlocated_at: str | None = None
    ) -> GridPartition:
        """The partition of *grid* at *tier* (the same as calling the class).

        Example:
            >>> from gridgov.demo import sample_grid
            >>> GridPartition.of(sample_grid()) == GridPartition(sample_grid())
            True
        """
        return cls(grid, tier=tier, unlocated_at=unlocated_at)

    # ----------------------------------------------------------------------- dunder

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("a GridPartition is read-only")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("a GridPartition is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GridPartition):
            return NotImplemented
        return (self.grid, self.tier, self.unlocated_at) == (
            other.grid,
            other.tier,
            other.unlocated_at,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"GridPartition(grid={self.grid.version!r}, tier={self.tier!r}, "
            f"parts={len(self.parts)})"
        )

    def __len__(self) -> int:
        return len(self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.grid, self.tier, self.unlocated_at))

    @property
    def tier(self) -> str:
        """The name of the tier the grid is cut at.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> GridPartition(sample_grid()).tier
            'community'
        """
        return self._plan.tier

    # ----------------------------------------------------------------------- look-ups

    def part_of_unit(self, unit_id: str) -> int:
        """The part work filed at *unit_id* goes to: the part of its unit of the cut tier,
        or, for a unit above the cut (held by every part below it), its home part — the
        first part holding it.

        Raises:
            UnknownUnitError: if the unit is not in the grid.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> p = GridPartition(sample_grid(), tier="grid")
            >>> p.part_of_unit("g6"), p.part_of_unit("yx"), p.holders("yx")
            (5, 0, (0, 1, 2, 3, 4, 5))
        """
        try:
            return self._plan.home[unit_id]
        except (KeyError, TypeError):
            raise UnknownUnitError(
                f"unit {v.show(unit_id)} is not in grid version {self.grid.version!r}."
            ) from None

    def holders(self, unit_id: str) -> tuple[int, ...]:
        """Every part holding *unit_id*: one for a unit at or below the cut, those below it
        for a unit above.

        Raises:
            UnknownUnitError: if the unit is not in the grid.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> GridPartition(sample_grid(), tier="grid").holders("mg31")
            (2,)
        """
        self.part_of_unit(unit_id)
        return parts_holding(self._plan, unit_id)

    def part_of_place(self, place_id: str) -> int:
        """The part holding the place (O(1)).

        Raises:
            UnknownPlaceError: if the place is not in the grid.

        Example:
            >>> from gridgov.demo import sample_grid
            >>> GridPartition(sample_grid(), tier="grid").part_of_place("h-0001")
            0
        """
        chain = self.grid.chain_index.get(place_id) if isinstance(place_id, str) else None
        if chain is None:
            raise UnknownPlaceError(
                f"place {v.show(place_id)} is not in grid version {self.grid.version!r}."
            )
        return self._plan.home[chain[len(chain) - 1 - self._plan.level].id]

    def part_of_issue(self, issue: Issue) -> int:
        """The part an issue is routed in: by its place, else its unit (a unit above the cut
        goes to its home part); an unlocated issue to the part of ``unlocated_at``.

        Raises:
            UnknownPlaceError: for a place not in the grid (the place is not shown).
            UnknownUnitError: for a unit not in the grid.
            PolicyError: for an unlocated issue when the grid has several top-tier units and
                no ``unlocated_at`` was given (as a router would refuse it).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> p = GridPartition(sample_grid(), tier="grid")
            >>> def issue(**where):
            ...     return Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...                  reporter=Reporter.resident("r-1"),
            ...                  reported_at=datetime(2026, 11, 26, tzinfo=CST), **where)
            >>> p.part_of_issue(issue(place="h-1001")), p.part_of_issue(issue(unit="g4"))
            (2, 3)
            >>> p.part_of_issue(issue(unit="yx")), p.part_of_issue(issue())
            (0, 0)
        """
        place = issue.place
        if place is not None:
            chain = self.grid.chain_index.get(place)
            if chain is None:
                raise UnknownPlaceError(
                    f"'place' of issue {issue.id!r} is not in grid version "
                    f"{self.grid.version!r} (the place is not shown)."
                )
            return self._plan.home[chain[len(chain) - 1 - self._plan.level].id]
        if issue.unit is not None:
            return self.part_of_unit(issue.unit)
        if self._unlocated is None:
            raise PolicyError(
                f"unlocated issue {issue.id!r} has no part: grid version "
                f"{self.grid.version!r} has {len(self.grid.roots)} top-tier units; give the "
                "partition the 'unlocated_at' its routers use."
            )
        return self._unlocated

    def part_of_resident(self, resident: Resident) -> int:
        """The part holding the resident's household.

        Raises:
            UnknownPlaceError: naming the field ``household`` and the resident's id (not the
                household) if it is not a place of the grid.

        Example:
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> GridPartition(sample_grid(), tier="grid").part_of_resident(sample_residents()[0])
            0
        """
        chain = self.grid.chain_index.get(resident.household)
        if chain is None:
            raise UnknownPlaceError(
                f"'household' of resident {resident.id!r} must be a place of grid version "
                f"{self.grid.version!r} (the household is not shown: it is personal data)."
            )
        return self._plan.home[chain[len(chain) - 1 - self._plan.level].id]

    def part_of_case(self, case: Case) -> int:
        """The part of the case's issue — where the case started, not where its owner is now:
        a case escalated above the cut stays in its part, which holds the spine.

        Example:
            >>> from gridgov.demo import sample_case, sample_grid
            >>> GridPartition(sample_grid(), tier="grid").part_of_case(sample_case())
            2
        """
        return self.part_of_issue(case.issue)

    # ----------------------------------------------------------------------- splitters

    def split_issues(self, issues: Iterable[Issue]) -> tuple[list[Issue], ...]:
        """The issues, one list per part in part order, each in the order given (one pass).

        Example:
            >>> from gridgov.demo import sample_case, sample_grid
            >>> p = GridPartition(sample_grid(), tier="grid")
            >>> [len(x) for x in p.split_issues([sample_case().issue])]
            [0, 0, 1, 0, 0, 0]
        """
        return self._split("issues", issues, self.part_of_issue)

    def split_residents(self, residents: Iterable[Resident]) -> tuple[list[Resident], ...]:
        """The residents, one list per part in part order, by household (one pass).

        Example:
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> p = GridPartition(sample_grid())
            >>> [len(x) for x in p.split_residents(sample_residents())]
            [61]
        """
        return self._split("residents", residents, self.part_of_resident)

    def split_cases(self, cases: Iterable[Case]) -> tuple[list[Case], ...]:
        """The cases, one list per part in part order, by the part of their issue (one pass).

        Example:
            >>> from gridgov.demo import sample_case, sample_grid
            >>> p = GridPartition(sample_grid(), tier="grid")
            >>> [len(x) for x in p.split_cases([sample_case()])]
            [0, 0, 1, 0, 0, 0]
        """
        return self._split("cases", cases, self.part_of_case)

    def _split(self, what: str, items: Iterable[_T], part: Any) -> tuple[list[_T], ...]:
        if not v.is_collection(items):
            raise v.refuse(what, None, f"a collection of {what}", items)
        out: tuple[list[_T], ...] = tuple([] for _ in self.parts)
        try:
            for item in items:
                out[part(item)].append(item)
        except AttributeError:
            raise v.refuse(what, None, f"a collection of {what}", item) from None
        return out


def _rebuild(grid: GridGraph, tier: str, unlocated_at: str | None) -> GridPartition:
    return GridPartition(grid, tier=tier, unlocated_at=unlocated_at)
