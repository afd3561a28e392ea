"""Redaction: a value as a scope may see it, exports through a scope, small-cell suppression.

:func:`redact` returns the same type with what the scope may not see masked — a name to its
first character (``吕阿姨`` → ``吕**``), an id of a place to ``***``, a condition to
``Condition(kind="sensitive")``, tags to ``{"sensitive"}``, a birth date to 1 January of its
year, free text removed — and ids of the records kept.  Redacting twice changes nothing.
A resident's file or a case the scope may not see at all keeps only its public fields.
:func:`export` is :func:`~gridgov.to_dict` through a scope; :func:`suppress_small_cells`
blanks the counts a statistics table must not show.

Example:
    >>> import attrs
    >>> from datetime import date
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.privacy import Purpose, Scope
    >>> grid, lu = sample_grid(), sample_residents()[-1]
    >>> li = Scope.of_member(grid.member("m-li"), purpose=Purpose.CASE_HANDLING, on=date(2026, 11, 26))
    >>> seen = redact(lu, li, grid=grid)
    >>> seen.name, seen.household, [c.kind for c in seen.conditions]
    ('吕阿姨', 'h-1001', ['sensitive', 'sensitive', 'sensitive'])
    >>> stats = redact(lu, attrs.evolve(li, purpose=Purpose.STATISTICS), grid=grid)
    >>> stats.name, stats.household, stats.birth_date
    ('吕**', '***', datetime.date(1948, 1, 1))
    >>> redact(stats, li, grid=grid) == stats
    True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

import gridgov._validators as v
from gridgov.cases import Case
from gridgov.grid import GridGraph
from gridgov.people import Resident
from gridgov.privacy._mask import MASKED, mask
from gridgov.privacy._mask import is_minor as _is_minor
from gridgov.privacy.scopes import Scope, may_see
from gridgov.privacy.sensitivity import DEFAULT_SENSITIVITY, Sensitivity, SensitivityTable
from gridgov.serialize import to_dict

__all__ = ["export", "redact", "suppress_small_cells"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def redact(
    value: T,
    scope: Scope,
    *,
    grid: GridGraph,
    of: Resident | Case | None = None,
    table: SensitivityTable = DEFAULT_SENSITIVITY,
) -> T:
    """*value* as *scope* may see it: the same type, with every field of a class the scope may
    not see masked (nested values included).

    A :class:`~gridgov.Resident` or a :class:`~gridgov.cases.Case` is seen under the
    decision :func:`~gridgov.privacy.may_see` makes on it; any other value (an issue, a
    visit record, a case event, a due visit…) under the decision on the resident or case it
    belongs to, given as *of* — without it, only its public fields are seen (deny by
    default).  Everything non-public about a child under the table's minor age is of class
    ``minor``.  A file redacted before (its household masked) cannot be placed on the grid
    again: it is redacted with the classes of the scope's purpose, and what was masked stays
    masked, so redacting twice changes nothing.

    Raises:
        InvalidValueError: if a field the table classes holds something redaction cannot
            mask.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_case, sample_grid
        >>> from gridgov.privacy import Purpose, Scope
        >>> grid, case = sample_grid(), sample_case()
        >>> [wy] = [p for p in grid.partners_covering("g3") if p.id == "p-wuye"]
        >>> wuye = Scope.of_partner(wy, on=date(2026, 11, 26))
        >>> seen = redact(case, wuye, grid=grid)
        >>> seen.issue.place, seen.issue.category, seen.issue.description
        ('h-1001', 'elder_care', '')
        >>> redact(case.issue, wuye, grid=grid).place   # an issue alone: public fields only
        '***'
    """
    v.check_instance("scope", scope, Scope)
    v.check_instance("grid", grid, GridGraph)
    v.check_instance("table", table, SensitivityTable)
    holder = value if isinstance(value, Resident | Case) else of
    if holder is not None and not isinstance(holder, Resident | Case):
        raise v.refuse("of", None, "a Resident or a Case", holder)
    if isinstance(holder, Resident) and holder.household == MASKED:
        classes = scope.classes(table)  # redacted before: what was masked stays masked
    elif holder is not None and may_see(scope, holder, grid=grid, table=table).allowed:
        classes = scope.classes(table)
    else:
        classes = frozenset({Sensitivity.PUBLIC})
    minor = isinstance(holder, Resident) and _is_minor(holder, scope.on, table)

    def sees(cls: Sensitivity) -> bool:
        return cls in classes

    found: T = mask(value, sees, table, minor=minor)
    return found


def export(
    value: object,
    scope: Scope,
    *,
    grid: GridGraph,
    of: Resident | Case | None = None,
    table: SensitivityTable = DEFAULT_SENSITIVITY,
) -> dict[str, Any]:
    """:func:`~gridgov.to_dict` of *value* as *scope* may see it (see :func:`redact`).

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.privacy import Purpose, Scope
        >>> grid, lu = sample_grid(), sample_residents()[-1]
        >>> sec = Scope.of_member(grid.member("m-sec"), purpose=Purpose.STATISTICS, on=date(2026, 12, 1))
        >>> row = export(lu, sec, grid=grid)
        >>> row["name"], row["conditions"][0]["kind"], row["tags"]
        ('吕**', 'sensitive', [])
    """
    return to_dict(redact(value, scope, grid=grid, of=of, table=table))


def suppress_small_cells(
    counts: Mapping[K, int], *, table: SensitivityTable = DEFAULT_SENSITIVITY
) -> dict[K, int | None]:
    """*counts* with every count from 1 to ``table.min_cell - 1`` suppressed (``None``), so a
    statistics table never singles out a handful of people; zeros and larger counts stay.

    Example:
        >>> suppress_small_cells({"mg31": 2, "mg32": 0, "mg33": 7})
        {'mg31': None, 'mg32': 0, 'mg33': 7}
    """
    if not isinstance(counts, Mapping):
        raise v.refuse("counts", None, "a mapping of cell to count", counts)
    out: dict[K, int | None] = {}
    for key, count in counts.items():
        v.check_integer("counts", count, 0, 10**15)
        out[key] = None if 0 < count < table.min_cell else count
    return out
