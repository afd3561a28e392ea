"""The responsibility matrix (权责清单): which tiers and units may handle which categories, up
to which severity.

A :class:`ResponsibilityMatrix` is a list of :class:`Responsibility` lines — per tier, with
per-unit overrides — read through the category hierarchy of the catalogue in use: a line for
``dispute`` covers ``neighbour_dispute`` unless that has a line of its own.  With
``top_catch_all`` (the default) the top tier of whatever tier scheme is in use may handle
everything (兜底), so the same matrix serves a three-tier community and a four-tier street.

Example:
    >>> from gridgov import DEFAULT_CATALOGUE, FOUR_TIER, THREE_TIER
    >>> DEFAULT_MATRIX.limit(tier="micro_grid", unit=None, category="appliance_repair",
    ...                      catalogue=DEFAULT_CATALOGUE, scheme=THREE_TIER)
    2
    >>> DEFAULT_MATRIX.limit(tier="subdistrict", unit=None, category="public_order",
    ...                      catalogue=DEFAULT_CATALOGUE, scheme=FOUR_TIER)
    4
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov.errors import PolicyError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Severity
from gridgov.serialize import register
from gridgov.tiers import TierScheme

__all__ = ["DEFAULT_MATRIX", "MAX_MATRIX_LINES", "Responsibility", "ResponsibilityMatrix"]

MAX_MATRIX_LINES = 1_000_000
"""The most lines a responsibility matrix may hold."""

_EMERGENCY = int(Severity.EMERGENCY)


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

    category: str = attrs.field(validator=v.code)
    max_severity: int = attrs.field(default=4, validator=v.integer(0, 4))
    tier: str | None = attrs.field(default=None, validator=v.optional(v.code))
    unit: str | None = attrs.field(default=None, validator=v.optional(v.ident))

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
    handled there — except at the top tier of the scheme in use when ``top_catch_all`` is
    set, which may handle everything.  The lines are indexed when the matrix is built, so
    :meth:`limit` costs one look-up per level of the category's lineage.

    Attributes:
        name: the matrix's name.
        entries: the lines; at most one per (tier or unit, category).
        top_catch_all: whether the top tier may handle every category at every severity
            without lines of its own (兜底).

    Raises:
        PolicyError: for two lines for the same tier or unit and category.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE, THREE_TIER
        >>> m = ResponsibilityMatrix(name="mini", entries=[
        ...     Responsibility(tier="micro_grid", category="dispute", max_severity=2),
        ...     Responsibility(unit="mg31", category="dispute", max_severity=3)])
        >>> [m.limit(tier="micro_grid", unit=u, category="dispute", catalogue=DEFAULT_CATALOGUE,
        ...          scheme=THREE_TIER) for u in ("mg11", "mg31")]
        [2, 3]
    """

    name: str = attrs.field(validator=v.name)
    entries: tuple[Responsibility, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(Responsibility))
    )
    top_catch_all: bool = attrs.field(default=True, validator=v.boolean)

    _by_tier: Mapping[tuple[str, str], int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _by_unit: Mapping[tuple[str, str], int] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if len(self.entries) > MAX_MATRIX_LINES:
            raise PolicyError(
                f"'entries' of matrix {self.name!r} must hold at most {MAX_MATRIX_LINES:,} "
                f"lines (got {len(self.entries):,})."
            )
        by_tier: dict[tuple[str, str], int] = {}
        by_unit: dict[tuple[str, str], int] = {}
        for e in self.entries:
            table, key = (by_tier, e.tier) if e.tier is not None else (by_unit, e.unit)
            assert key is not None
            if (key, e.category) in table:
                where = f"tier {e.tier!r}" if e.tier else f"unit {e.unit!r}"
                raise PolicyError(
                    f"matrix {self.name!r} has two lines for {where} and category {e.category!r}."
                )
            table[(key, e.category)] = e.max_severity
        object.__setattr__(self, "_by_tier", MappingProxyType(by_tier))
        object.__setattr__(self, "_by_unit", MappingProxyType(by_unit))

    @property
    def overridden_units(self) -> frozenset[str]:
        """The units with lines of their own.

        Example:
            >>> DEFAULT_MATRIX.overridden_units
            frozenset()
        """
        return frozenset(unit for unit, _ in self._by_unit)

    def with_entries(self, entries: Iterable[Responsibility], *, name: str) -> ResponsibilityMatrix:
        """A new matrix with *entries* added.

        Example:
            >>> m = DEFAULT_MATRIX.with_entries(
            ...     [Responsibility(unit="mg31", category="dispute", max_severity=3)], name="mine")
            >>> m.overridden_units
            frozenset({'mg31'})
        """
        return attrs.evolve(self, name=name, entries=(*self.entries, *entries))

    def restricted_to(self, grid: GridGraph) -> ResponsibilityMatrix:
        """The matrix without the lines of units that are not in *grid* (tier lines kept),
        under the same name: the matrix a router on a part of the grid
        (:func:`gridgov.grid.parts.cut`) takes.  A unit's line applies to that unit only,
        so every unit of the part keeps its limits.

        Example:
            >>> from gridgov import cut
            >>> from gridgov.demo import sample_grid
            >>> m = DEFAULT_MATRIX.with_entries(
            ...     [Responsibility(unit="mg31", category="dispute", max_severity=3)], name="mine")
            >>> [m.restricted_to(part).overridden_units for part in cut(sample_grid(), tier="grid")[1:3]]
            [frozenset(), frozenset({'mg31'})]
        """
        kept = tuple(e for e in self.entries if e.unit is None or e.unit in grid)
        return self if len(kept) == len(self.entries) else attrs.evolve(self, entries=kept)

    def limit(
        self,
        *,
        tier: str,
        unit: str | None,
        category: str,
        catalogue: CategoryCatalogue,
        scheme: TierScheme,
    ) -> int:
        """The highest severity *unit* (of *tier*) may handle for *category* (0: none).

        A unit override wins over the tier's line at each level of the category's lineage in
        *catalogue*, and a line for a broader category covers the categories that refine it.

        Raises:
            PolicyError: if *category* is not in *catalogue* or *tier* not in *scheme*.

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE, THREE_TIER
            >>> DEFAULT_MATRIX.limit(tier="grid", unit=None, category="public_order",
            ...                      catalogue=DEFAULT_CATALOGUE, scheme=THREE_TIER)
            1
        """
        level = scheme.level(tier)
        lineage = catalogue.lineage(category)
        if level == 0 and self.top_catch_all:
            return _EMERGENCY
        by_unit, by_tier = self._by_unit, self._by_tier
        for code in lineage:
            if unit is not None:
                found = by_unit.get((unit, code))
                if found is not None:
                    return found
            found = by_tier.get((tier, code))
            if found is not None:
                return found
        return 0

    def check(self, grid: GridGraph, catalogue: CategoryCatalogue) -> None:
        """Raise :class:`~gridgov.errors.PolicyError` unless the matrix fits *grid* and
        *catalogue*: every line's category in the catalogue, tier in the grid's scheme and unit
        in the grid, and the top tier able to handle every category of the catalogue at every
        severity (so every issue has an owner).

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> from gridgov.demo import sample_grid
            >>> strict = ResponsibilityMatrix(name="strict", top_catch_all=False, entries=[
            ...     Responsibility(tier="community", category="dispute")])
            >>> strict.check(sample_grid(), DEFAULT_CATALOGUE)
            Traceback (most recent call last):
            ...
            gridgov.errors.PolicyError: the top tier 'community' must be able to handle every category up to emergency (4) under matrix 'strict', so that every issue has an owner; category 'facility_repair' stops at 0.
        """
        scheme = grid.scheme
        for e in self.entries:
            if e.category not in catalogue:
                raise PolicyError(
                    f"'category' of a line of matrix {self.name!r} must be a code of "
                    f"catalogue {catalogue.name!r} (got {v.show(e.category)})."
                )
            if e.tier is not None and e.tier not in scheme:
                raise PolicyError(
                    f"'tier' of a line of matrix {self.name!r} must be one of "
                    f"{list(scheme.names)} (got {v.show(e.tier)})."
                )
            if e.unit is not None and e.unit not in grid:
                raise PolicyError(
                    f"'unit' of a line of matrix {self.name!r} must be a unit of grid "
                    f"version {grid.version!r} (got {v.show(e.unit)})."
                )
        top = scheme.top.name
        for c in catalogue:
            limit = self.limit(tier=top, unit=None, category=c.code, catalogue=catalogue,
                               scheme=scheme)
            if limit < _EMERGENCY:
                raise PolicyError(
                    f"the top tier {top!r} must be able to handle every category up to "
                    f"emergency (4) under matrix {self.name!r}, so that every issue has an "
                    f"owner; category {c.code!r} stops at {limit}."
                )
        for unit, code in self._by_unit:
            if grid.unit(unit).tier == top and self._by_unit[(unit, code)] < _EMERGENCY:
                raise PolicyError(
                    f"matrix {self.name!r} must not restrict top-tier unit {unit!r}: the top "
                    "tier is the catch-all for every category and severity."
                )


def _lines(tier: str, limits: Mapping[str, int]) -> list[Responsibility]:
    return [Responsibility(tier=tier, category=c, max_severity=s) for c, s in limits.items()]


DEFAULT_MATRIX = ResponsibilityMatrix(
    name="default",
    top_catch_all=True,
    entries=[
        *_lines(
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
        *_lines(
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
        *_lines("community", {c.code: 4 for c in DEFAULT_CATALOGUE if c.parent is None}),
    ],
)
"""A starting-point 权责清单 (not law; adapt it to your list) for :data:`~gridgov.THREE_TIER`
and :data:`~gridgov.FOUR_TIER` alike.

Micro-grids handle routine and attention-level matters, grids up to urgent ones, the
community everything; public order goes to the grid at most at routine level, and otherwise
to the community and the police.  The top tier of the scheme in use is the catch-all (the
community of a three-tier grid, the 街道 of a four-tier one).
"""
