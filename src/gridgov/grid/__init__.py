"""The grid: a validated, immutable tree of units in tiers, and the places each bottom-tier
unit covers.

* :mod:`gridgov.grid.units` — :class:`GridUnit`, :class:`Place`, :class:`PlaceKind`,
  :func:`check_chain`.
* :mod:`gridgov.grid.graph` — :class:`GridGraph`: the tree, its place index, its team and
  partners, and the versions that redraw it.
* :mod:`gridgov.grid.parts` — :func:`cut`, :func:`reassemble` and :class:`GridPartition`:
  the grid cut into parts (one per community, say) that answer like the whole.

Example:
    >>> from gridgov import GridGraph, GridUnit
    >>> grid = GridGraph(version="2026-11", units=[
    ...     GridUnit(id="yx", name="亚新社区", tier="community"),
    ...     GridUnit(id="g3", name="第三网格", tier="grid", parent="yx"),
    ...     GridUnit(id="mg31", name="美好人家1号楼", tier="micro_grid", parent="g3"),
    ... ], places={"h-0101": "mg31"})
    >>> [u.name for u in grid.place_chain("h-0101")]
    ['美好人家1号楼', '第三网格', '亚新社区']
"""

from __future__ import annotations

from gridgov.grid.graph import GridGraph
from gridgov.grid.parts import GridPartition, cut, reassemble
from gridgov.grid.units import GridUnit, Place, PlaceKind, check_chain

__all__ = [
    "GridGraph",
    "GridPartition",
    "GridUnit",
    "Place",
    "PlaceKind",
    "check_chain",
    "cut",
    "reassemble",
]
