"""Grids shared by the tests of gridgov.testing.strategies (not a test module): a grid of one
unit, and one of two top units.
"""

from __future__ import annotations

from gridgov import GridGraph, GridUnit

ROOT_ONLY = GridGraph(version="v", units=[GridUnit(id="c", name="C", tier="community")])
TWO_ROOTS = GridGraph(
    version="v",
    units=[
        GridUnit(id="c1", name="C", tier="community"),
        GridUnit(id="c2", name="D", tier="community"),
    ],
)
