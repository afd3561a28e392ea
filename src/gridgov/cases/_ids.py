"""An append-only sequence of ids with an O(1) ``in`` (private).

A case lists the ids of the duplicates merged into it, and refuses the same duplicate twice;
with thousands of merges a linear ``in`` makes merging quadratic.  :class:`IdLog` is an
:class:`~gridgov._seq.AppendOnly` whose versions also share an index from id to its first
position, so a version of length *n* holds an id when its position is below *n*.

Example:
    >>> a = IdLog(["c-2"])
    >>> b = a.plus("c-3")
    >>> "c-3" in a, "c-3" in b, b == ("c-2", "c-3")
    (False, True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gridgov._seq import AppendOnly


class IdLog(AppendOnly[str]):
    """An :class:`AppendOnly` of ids whose versions share an index for ``in``."""

    __slots__ = ("_index",)

    _index: dict[str, int]

    def __init__(self, items: Iterable[str] = ()) -> None:
        super().__init__(items)
        self._index = {}
        for i, item in enumerate(self._items):
            self._index.setdefault(item, i)

    def plus(self, item: str) -> IdLog:
        """A new version with *item* added at the end; this one is unchanged."""
        items, n = self._items, self._n
        if n == 0:  # never grow a list shared by empty versions (see AppendOnly.plus)
            return IdLog([item])
        if len(items) == n:
            items.append(item)
            if items[n] is item:  # see AppendOnly.plus: another version may have appended
                self._index.setdefault(item, n)
                view: IdLog = object.__new__(IdLog)
                view._items, view._n, view._index = items, n + 1, self._index
                return view
        return IdLog([*items[:n], item])

    def __contains__(self, item: object) -> bool:
        at = self._index.get(item) if isinstance(item, str) else None
        return at is not None and at < self._n

    def __reduce__(self) -> tuple[Any, ...]:
        return (IdLog, (tuple(self),))
