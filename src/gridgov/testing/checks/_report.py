"""What the checks share: refusing a misused argument, naming units as a grid worker reads
them, and the report an :class:`AssertionError` carries.

Its names are public inside :mod:`gridgov.testing.checks` (its private modules share
them) and are not re-exported by it.
"""

from __future__ import annotations

from collections.abc import Iterable

from gridgov.grid import GridGraph, GridUnit


def require(name: str, value: object, kind: type | tuple[type, ...], expected: str) -> None:
    """Refuse a wrongly typed argument: a misuse of the check, not a broken invariant."""
    if not isinstance(value, kind):
        raise TypeError(f"'{name}' must be {expected} (got {type(value).__name__}).")


def unit_text(unit: GridUnit, grid: GridGraph) -> str:
    """``第三网格 'g3' (网格)``."""
    tier = grid.scheme[unit.tier].zh if unit.tier in grid.scheme else unit.tier
    return f"{unit.name} {unit.id!r} ({tier})"


def unit_id_text(unit_id: str, grid: GridGraph) -> str:
    """The unit as :func:`unit_text` names it, or its id said not to be in the grid."""
    return (
        unit_text(grid.unit(unit_id), grid) if unit_id in grid else f"{unit_id!r} (not in the grid)"
    )


def report(headline: str, context: Iterable[str], problems: Iterable[str] = ()) -> str:
    """An :class:`AssertionError`'s message: the headline, the context, the problems numbered."""
    lines = [headline, *(f"  {line}" for line in context)]
    numbered = list(problems)
    if numbered:
        lines.append("  what is wrong:")
        lines += [f"    {n}. {p}" for n, p in enumerate(numbered, 1)]
    return "\n".join(lines)
