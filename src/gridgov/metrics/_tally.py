"""The counting engine of :func:`gridgov.metrics.rollup.tally` (private): one pass over the
facts, every slot an indicator needs counted per unit, period and category.

A slot is what one count counts: ``(counts_in, only, exclude, predicate)``, names only.  The
units a case counts at are its attributed unit and those above it in the chain it was
filed along; periods come from :func:`~gridgov.metrics.period_of`.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.metrics.facts import CaseFacts
from gridgov.metrics.indicators import CountsIn, Indicator, Predicate
from gridgov.metrics.periods import Grain, Period, Periods, period_of

__all__ = ["MAX_COUNT", "Cells", "Slot", "check_cells", "check_slots", "count"]

Slot = tuple[str, tuple[str, ...], tuple[str, ...], str]
"""What one count counts: (counts_in, only, exclude, predicate name)."""
Cells = dict[tuple[str, Period, "str | None"], tuple[int, ...]]
"""The counts per (unit, period, category), in slot order."""


# --------------------------------------------------------------------------- a tally's doors

MAX_COUNT = 10**12
"""No tally counts more cases than this in one cell."""


def _is_count(n: object) -> bool:
    return type(n) is int and 0 <= n <= MAX_COUNT


def check_cells(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """The validator of ``Tally.cells``: keys (unit id, period, category code or ``None``),
    one whole count per slot."""
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"'cells' of Tally must be a mapping (got {v.show(value)}).")
    width = len(instance.slots)
    for key, counts in value.items():
        if not (isinstance(key, tuple) and len(key) == 3 and isinstance(key[1], Period)):
            raise InvalidValueError(
                f"'cells' of Tally must be keyed by (unit id, Period, category code or None) "
                f"(got {v.show(key)})."
            )
        v.check_ident("cells", key[0], instance)
        if key[2] is not None:
            v.check_code("cells", key[2], instance)
        if not (isinstance(counts, tuple) and len(counts) == width):
            raise InvalidValueError(
                f"'cells' of Tally needs a tuple of one count per item of 'slots' ({width}) in "
                f"each cell (got {v.show(counts)})."
            )
        for n in counts:
            if not _is_count(n):
                raise InvalidValueError(
                    f"'cells' of Tally must hold whole counts from 0 to {MAX_COUNT:,} "
                    f"(got {v.show(n)})."
                )


def check_slots(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """The validator of ``Tally.slots``: each slot a :data:`Slot` of known names."""
    expected = "(counts_in, only predicate names, excluded predicate names, predicate name)"
    for slot in typing.cast(tuple[Any, ...], value):
        ok = isinstance(slot, tuple) and len(slot) == 4 and slot[0] in _COUNTS_IN
        if ok:
            for names in (slot[1], slot[2]):
                ok = ok and isinstance(names, tuple) and all(_is_code(n) for n in names)
            ok = ok and _is_code(slot[3])
        if not ok:
            raise InvalidValueError(f"'slots' of Tally must hold {expected} (got {v.show(slot)}).")


_COUNTS_IN = frozenset(c.value for c in CountsIn)


def _is_code(name: object) -> bool:
    try:
        v.check_code("slots", name)
    except InvalidValueError:
        return False
    return True


def _from(chain: tuple[str, ...], unit: str) -> tuple[str, ...]:
    return chain[chain.index(unit):] if unit in chain else (unit,)


def _path(f: CaseFacts, attribute: str) -> tuple[str, ...]:
    """The units a case counts at: the attributed unit and those above it in its chain."""
    if attribute == "place":
        return _from(f.chain, f.micro_grid if f.micro_grid is not None else f.filed_unit)
    if attribute == "filed":
        return _from(f.chain, f.filed_unit)
    unit = f.closing_unit if f.closing_unit is not None else f.owner
    if unit not in f.chain and f.beyond:
        return f.chain[-1:]
    return _from(f.chain, unit)


def _plan(
    indicators: Sequence[Indicator],
) -> tuple[tuple[Slot, ...], dict[Slot, Callable[[CaseFacts], bool]], dict[str, Predicate]]:
    """The slots the indicators need, each slot's test, and every predicate by name."""
    tests: dict[Slot, Callable[[CaseFacts], bool]] = {}
    named: dict[str, Predicate] = {}
    for ind in indicators:
        for p in ind.predicates():
            if named.setdefault(p.name, p).test is not p.test:
                raise PolicyError(f"two custom predicates are called {p.name!r}.")
        only = tuple(sorted(p.name for p in ind.only))
        exclude = tuple(sorted(p.name for p in ind.exclude))
        for t in (*ind.numerator.terms, *ind.denominator.terms):
            tests[(ind.counts_in.value, only, exclude, t.predicate.name)] = t.predicate.read
    return tuple(sorted(tests)), tests, named


def count(
    facts: Iterable[CaseFacts],
    indicators: Sequence[Indicator],
    by: Grain | Periods,
    attribute: str,
    categories: bool,
) -> tuple[tuple[Slot, ...], Cells]:
    """The sorted slots the indicators need, and the counts of each per cell."""
    slots, tests, named = _plan(indicators)
    scopes: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[tuple[int, Any]]] = {}
    for i, slot in enumerate(slots):
        scopes.setdefault(slot[:3], []).append((i, tests[slot]))
    plan = [
        (CountsIn(c).read, [named[n].read for n in only], [named[n].read for n in exclude], hits)
        for (c, only, exclude), hits in scopes.items()
    ]
    width = len(slots)
    # The pass counts cases per (path, period position, category, slots hit): many cases
    # share one, and an int hashes faster than a Period; the signatures are spread over the
    # units of each path and the slots hit once, at the end.
    signatures: dict[tuple[tuple[str, ...], int, str | None, tuple[int, ...]], int] = {}
    periods: list[Period] = []
    position: dict[Period | None, int] = {None: -1}
    seen: dict[float, int] = {}
    for f in facts:
        if not isinstance(f, CaseFacts):
            raise InvalidValueError(f"'facts' must hold CaseFacts (got {v.show(f)}).")
        found: dict[int, list[int]] = {}
        for read, only_tests, exclude_tests, hits in plan:
            moment = read(f)
            if moment is None:
                continue
            if not all(t(f) for t in only_tests) or any(t(f) for t in exclude_tests):
                continue
            hit = [i for i, t in hits if t(f)]
            if not hit:
                continue
            # Every UTC hour lies within one CST date (CST is UTC+8 exactly), so the moments
            # of one hour share a period: period_of is asked once per hour met (a cache local
            # to this call, at most one entry per hour the facts span).
            hour = moment.timestamp() // 3600
            at = seen.get(hour)
            if at is None:
                period = period_of(moment, by)
                if period not in position:
                    position[period] = len(periods)
                    periods.append(period)  # type: ignore[arg-type]
                at = seen[hour] = position[period]
            if at >= 0:
                found.setdefault(at, []).extend(hit)
        if not found:
            continue
        units = _path(f, attribute)
        for at, hit in found.items():
            sign = tuple(hit)
            for cat in (None, *f.categories) if categories else (None,):
                key = (units, at, cat, sign)
                signatures[key] = signatures.get(key, 0) + 1
    cells: dict[tuple[str, int, str | None], list[int]] = {}
    for (path, at, cat, sign), n in signatures.items():
        for unit in path:
            cell = cells.get((unit, at, cat))
            if cell is None:
                cell = cells[(unit, at, cat)] = [0] * width
            for i in sign:
                cell[i] += n
    return slots, {(u, periods[at], c): tuple(n) for (u, at, c), n in cells.items()}
