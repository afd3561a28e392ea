"""The units of a grid and the places they cover: :class:`GridUnit`, :class:`Place`,
:class:`PlaceKind`, and :func:`check_chain` for the chains cases keep.

Example:
    >>> GridUnit(id="g3", name="第三网格", tier="grid", parent="yx").parent
    'yx'
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError
from gridgov.serialize import register
from gridgov.tiers import MAX_TIERS

__all__ = ["GridUnit", "Place", "PlaceKind", "check_chain"]


@register
@attrs.frozen(kw_only=True)
class GridUnit:
    """A unit of the grid: a community, a grid, a micro-grid (or any tier of the scheme).

    Attributes:
        id: the unit's id, unique in its grid.
        name: its display name (``"亚新社区"``).
        tier: the name of its tier in the grid's scheme.
        parent: the id of the unit one tier above, or ``None`` for a top-tier unit.

    Example:
        >>> GridUnit(id="g3", name="第三网格", tier="grid", parent="yx")
        GridUnit(id='g3', name='第三网格', tier='grid', parent='yx')
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    tier: str = attrs.field(validator=v.code)
    parent: str | None = attrs.field(default=None, validator=v.optional(v.ident))


def check_chain(what: str, chain: object, owner: object | None = None) -> tuple[GridUnit, ...]:
    """*chain* as a tuple if it is a chain of units — a unit, then its parent, and so on up to
    a root — else raise naming *what* (advanced: for values that keep the chain a case or an
    assignment was routed along, as the grid was drawn then).

    Example:
        >>> from gridgov.demo import sample_grid
        >>> [u.id for u in check_chain("chain", sample_grid().chain("mg31"))]
        ['mg31', 'g3', 'yx']
        >>> check_chain("chain", sample_grid().chain("mg31")[1:2])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'chain' must end at a root unit (got 'g3', whose parent is 'yx').
    """
    units = v.check_items(what, chain, owner)
    name = v.where(what, owner)
    if not units:
        raise InvalidValueError(f"{name} must hold at least one unit (got none).")
    if len(units) > MAX_TIERS:
        raise InvalidValueError(f"{name} must hold at most {MAX_TIERS} units (got {len(units):,}).")
    for unit in units:
        if not isinstance(unit, GridUnit):
            raise v.refuse(what, owner, "a chain of GridUnit values", unit)
    for lower, upper in itertools.pairwise(units):
        if lower.parent != upper.id:
            raise InvalidValueError(
                f"{name} must run from a unit up to its root, each unit's parent next (got "
                f"{upper.id!r} after {lower.id!r}, whose parent is {lower.parent!r})."
            )
    if units[-1].parent is not None:
        raise InvalidValueError(
            f"{name} must end at a root unit (got {units[-1].id!r}, whose parent is "
            f"{units[-1].parent!r})."
        )
    return units


class PlaceKind(LabelledEnum):
    """What a place is.

    Example:
        >>> PlaceKind.COURTYARD.zh
        '楼院'
    """

    HOUSEHOLD = "household"
    BUILDING = "building"
    COURTYARD = "courtyard"
    COMPOUND = "compound"
    PUBLIC_SPACE = "public_space"

    __zh__: ClassVar[Mapping[str, str]] = {
        "household": "户",
        "building": "楼栋",
        "courtyard": "楼院",
        "compound": "小区",
        "public_space": "公共空间",
    }


@register
@attrs.frozen(kw_only=True)
class Place:
    """A place an app describes: a household, a building, a courtyard.

    The grid itself only indexes place id → micro-grid;
    :meth:`GridGraph.with_places <gridgov.GridGraph.with_places>` and the ``places`` argument
    accept ``Place`` values as well as a plain mapping.

    Example:
        >>> Place(id="h-0101", unit="mg31", kind=PlaceKind.HOUSEHOLD, name="1号楼101")
        Place(id='h-0101', unit='mg31', kind=<PlaceKind.HOUSEHOLD: 'household'>, name='1号楼101')
    """

    id: str = attrs.field(validator=v.ident)
    unit: str = attrs.field(validator=v.ident)
    kind: PlaceKind = attrs.field(default=PlaceKind.HOUSEHOLD, validator=v.is_a(PlaceKind))
    name: str = attrs.field(default="", validator=v.text)
