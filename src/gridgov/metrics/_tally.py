"""The counting engine of :func:`gridgov.metrics.rollup.tally` (private): one pass over the
facts, every slot an indicator needs counted per unit, period and category.

A slot is what one count counts: ``(counts_in, only, exclude, predicate)``, names only.  The
units a case counts at are its attributed unit and those above it in the chain it was
filed along; periods come from :func:`~gridgov.metrics.period_of`.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

import gridgov._validators as v
from gridgov._time import CST
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.metrics.facts import CaseFacts
from gridgov.metrics.indicators import CountsIn, Indicator, Predicate, Term
from gridgov.metrics.periods import Grain, Period, Periods, period_of

__all__ = ["MAX_COUNT", "Cells", "Slot", "check_cells", "check_slots", "count", "slots_of"]

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


def slots_of(ind: Indicator) -> tuple[tuple[Slot, Term], ...]:
    """Each numerator and denominator term of *ind*, in order, with the slot counting it."""
    only = tuple(sorted(p.name for p in ind.only))
    exclude = tuple(sorted(p.name for p in ind.exclude))
    return tuple(
        ((ind.counts_in.value, only, exclude, t.predicate.name), t)
        for t in (*ind.numerator.terms, *ind.denominator.terms)
    )


def _plan(indicators: Sequence[Indicator]) -> tuple[tuple[Slot, ...], dict[str, Predicate]]:
    """The sorted slots the indicators need, and every predicate they read by name."""
    slots: set[Slot] = set()
    named: dict[str, Predicate] = {}
    for ind in indicators:
        for p in ind.predicates():
            if named.setdefault(p.name, p).test is not p.test:
                raise PolicyError(f"two custom predicates are called {p.name!r}.")
        slots.update(slot for slot, _ in slots_of(ind))
    return tuple(sorted(slots)), named


_NOTHING = (-1, -1)


class _Group:
    """The scopes counted in one moment, compiled: the moment's reader, the distinct
    predicates its scopes read (each asked once per case), and per scope the positions of
    its filters and its hits among them."""

    __slots__ = ("lazy", "read", "scopes", "tests")

    def __init__(
        self,
        counts_in: str,
        scopes: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[int, str]]],
        named: dict[str, Predicate],
    ) -> None:
        names: list[str] = []
        for (only, exclude), hits in scopes.items():
            for n in (*only, *exclude, *(n for _, n in hits)):
                if n not in names:
                    names.append(n)
        at = {n: k for k, n in enumerate(names)}
        self.read = CountsIn(counts_in).read
        self.tests = tuple(named[n].read for n in names)
        self.scopes = tuple(
            (tuple(at[n] for n in only), tuple(at[n] for n in exclude),
             tuple((i, at[n]) for i, n in hits))
            for (only, exclude), hits in scopes.items()
        )
        # A custom predicate may assume what a filter guarantees (a moment, an acceptance):
        # with one, the predicates are asked scope by scope, a hit only where the filters
        # pass; the vocabulary's are total, so all are asked at once.
        self.lazy = any(named[n].is_custom for n in names)

    def truth(self, f: CaseFacts) -> tuple[bool, ...]:
        """Each predicate's answer for *f* (a custom one's only where it is asked)."""
        if not self.lazy:
            return tuple([t(f) for t in self.tests])
        tests = self.tests
        known: dict[int, bool] = {}

        def ask(k: int) -> bool:
            if k not in known:
                known[k] = bool(tests[k](f))
            return known[k]

        for only, exclude, hits in self.scopes:
            if all(ask(k) for k in only) and not any(ask(k) for k in exclude):
                for _, k in hits:
                    ask(k)
        return tuple(known.get(k, False) for k in range(len(tests)))

    def hits(self, truth: tuple[bool, ...]) -> tuple[int, ...]:
        """The slots a case with these answers counts in: its scopes' filters applied."""
        out: list[int] = []
        for only, exclude, hits in self.scopes:
            if all(truth[k] for k in only) and not any(truth[k] for k in exclude):
                out.extend(i for i, k in hits if truth[k])
        return tuple(out)


def count(
    facts: Iterable[CaseFacts],
    indicators: Sequence[Indicator],
    by: Grain | Periods,
    attribute: str,
    categories: bool,
) -> tuple[tuple[Slot, ...], Cells]:
    """The sorted slots the indicators need, and the counts of each per cell."""
    slots, named = _plan(indicators)
    moments: dict[str, dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[int, str]]]] = {}
    for i, (counts_in, only, exclude, name) in enumerate(slots):
        moments.setdefault(counts_in, {}).setdefault((only, exclude), []).append((i, name))
    groups = [_Group(c, scopes, named) for c, scopes in moments.items()]
    plan = [(g.read, g.tests if not g.lazy else None, g.truth) for g in groups]
    # The pass asks each moment and each predicate once per case and counts the cases per
    # signature: (path, categories, then per moment the position of its period and the
    # number of the predicates' answers among those met — or -1, -1).  A signature is flat,
    # one tuple a case, and many cases share one; which slots it hits, and the units it
    # counts at, are worked out once per signature at the end.
    signatures: dict[tuple[Any, ...], int] = {}
    patterns: dict[tuple[bool, ...], int] = {}
    answers_of: list[tuple[bool, ...]] = []
    periods: list[Period] = []
    position: dict[Period | None, int] = {None: -1}
    by_day: dict[int, int] = {}
    by_hour: dict[float, int] = {}

    def place(moment: datetime) -> int:
        """The position of the moment's period among those met (-1: in none)."""
        period = period_of(moment, by)
        if period not in position:
            position[period] = len(periods)
            periods.append(period)  # type: ignore[arg-type]
        return position[period]

    for f in facts:
        if f.__class__ is not CaseFacts and not isinstance(f, CaseFacts):
            raise InvalidValueError(f"'facts' must hold CaseFacts (got {v.show(f)}).")
        parts: list[Any] = [_path(f, attribute), f.categories if categories else ()]
        for read, tests, truth in plan:
            moment = read(f)
            if moment is None:
                parts += _NOTHING
                continue
            # A moment on UTC+8 counts by its date (an ordinal: one look-up); any other, by its
            # UTC hour, which lies within one CST date (CST is UTC+8 exactly).  period_of is
            # asked once per day or hour met (caches local to this call, bounded by the span
            # of the facts).
            if moment.tzinfo == CST:
                day = moment.toordinal()
                at = by_day.get(day)
                if at is None:
                    at = by_day[day] = place(moment)
            else:
                hour = moment.timestamp() // 3600
                at = by_hour.get(hour)
                if at is None:
                    at = by_hour[hour] = place(moment)
            if at < 0:
                parts += _NOTHING
                continue
            answers = tuple([t(f) for t in tests]) if tests is not None else truth(f)
            known = patterns.get(answers)
            if known is None:
                known = patterns[answers] = len(patterns)
                answers_of.append(answers)
            parts += at, known
        key = tuple(parts)
        signatures[key] = signatures.get(key, 0) + 1
    width = len(slots)
    hit_memo: dict[tuple[int, int], tuple[int, ...]] = {}
    paths: dict[tuple[tuple[str, ...], tuple[str, ...], int], list[int]] = {}
    for key, n in signatures.items():
        path, cats = key[0], key[1]
        for g in range(len(groups)):
            at, known = key[2 + 2 * g], key[3 + 2 * g]
            if at < 0:
                continue
            hit = hit_memo.get((g, known))
            if hit is None:
                hit = hit_memo[(g, known)] = groups[g].hits(answers_of[known])
            if not hit:
                continue
            vector = paths.get((path, cats, at))
            if vector is None:
                vector = paths[(path, cats, at)] = [0] * width
            for i in hit:
                vector[i] += n
    cells: dict[tuple[str, int, str | None], list[int]] = {}
    for (path, cats, at), vector in paths.items():
        for unit in path:
            for cat in (None, *cats):
                cell = cells.get((unit, at, cat))
                if cell is None:
                    cells[(unit, at, cat)] = vector.copy()
                else:
                    cell[:] = map(int.__add__, cell, vector)
    return slots, {(u, periods[at], c): tuple(n) for (u, at, c), n in cells.items()}
