"""Visit records grouped by resident, as day numbers (private).

The one fold behind :class:`~gridgov.visits.VisitLog` (which keeps an index built when the
log is built) and the sweeps.  An index is read-only: its mappings are
:class:`types.MappingProxyType` views of dicts nobody else holds.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple, Protocol


class Dated(Protocol):
    """What the fold reads of a :class:`~gridgov.visits.VisitRecord` (its precomputed day
    number and mode position)."""

    @property
    def resident(self) -> str: ...

    @property
    def day_number(self) -> int: ...

    @property
    def mode_position(self) -> int: ...

SLOTS = 3
"""How many visit modes there are: a record's ``mode_position`` is its mode's position in
:class:`~gridgov.visits.VisitMode`."""

Days = Mapping[str, int]
_FAR = 10**9  # after every day number


class RecordIndex(NamedTuple):
    """Records grouped by resident (private; read-only).

    ``first``: resident → the earliest day, for residents with two records or more (for one,
    it is ``last``); ``last``: resident → the last day, any mode; ``modes``: per mode
    position, resident → the last day in that mode; ``latest``: the latest day (0: none).
    """

    first: Days
    last: Days
    modes: tuple[Days, ...]
    latest: int

    def earliest(self, resident: str) -> int | None:
        """The day of the resident's earliest record, or ``None``."""
        found = self.first.get(resident)
        return self.last.get(resident) if found is None else found


def fold(
    records: Iterable[Dated],
    first: dict[str, int],
    last: dict[str, int],
    modes: tuple[dict[str, int], ...],
    day: int | None = None,
) -> int:
    """Fold *records* (those dated on or before *day*, if given) into the day-number dicts;
    return the latest day folded in (0: none)."""
    latest = 0
    first_get = first.get
    last_put = last.setdefault
    cut = _FAR if day is None else day
    for rec in records:
        d = rec.day_number
        if d > cut:
            continue
        rid = rec.resident
        seen = last_put(rid, d)  # one dict operation for a resident's first record
        if seen != d:  # an earlier record on another day
            f = first_get(rid)
            if f is None:
                first[rid] = d if d < seen else seen
            elif d < f:
                first[rid] = d
            if d > seen:
                last[rid] = d
        one = modes[rec.mode_position]
        if one.setdefault(rid, d) < d:
            one[rid] = d
        if d > latest:
            latest = d
    return latest


def index(
    records: Iterable[Dated], base: RecordIndex | None = None, *, day: int | None = None
) -> RecordIndex:
    """An index of *records* (those dated on or before *day*, if given), added to a copy of
    *base* if given."""
    if base is None:
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        modes: tuple[dict[str, int], ...] = tuple({} for _ in range(SLOTS))
        latest = 0
    else:
        first, last = dict(base.first), dict(base.last)
        modes = tuple(dict(one) for one in base.modes)
        latest = base.latest
    latest = max(latest, fold(records, first, last, modes, day))
    return RecordIndex(
        MappingProxyType(first),
        MappingProxyType(last),
        tuple(MappingProxyType(one) for one in modes),
        latest,
    )


EMPTY = index(())


def position(mode: enum.Enum) -> int:
    """A mode's position in its enumeration (:class:`~gridgov.visits.VisitMode`): the slot
    of its records in an index."""
    return list(type(mode)).index(mode)
