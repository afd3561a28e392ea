"""An immutable sequence that grows by sharing (private).

A case's events, a deadline's pauses and a case's merged duplicates only ever grow at the
end, and every version of a case is a value of its own.  Copying a tuple to add one item
makes *n* appends cost O(n²); :class:`AppendOnly` makes each append O(1) amortised: the
versions share one list, and each version is a view of its first ``len`` items.  Appending
to the newest version appends to the shared list; appending to an older version (a branch)
copies its items first.  No version ever sees an item change, so to its users it is as
immutable as a tuple (and compares, hashes and pickles like one).

Example:
    >>> a = AppendOnly((1, 2))
    >>> b = a.plus(3)
    >>> c = a.plus(4)  # a branch: copies a's two items
    >>> tuple(a), tuple(b), tuple(c)
    ((1, 2), (1, 2, 3), (1, 2, 4))
    >>> b == (1, 2, 3), b[-1], b[1:]
    (True, 3, (2, 3))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar, overload

T = TypeVar("T")


class AppendOnly(Sequence[T]):
    """A tuple-like view of the first ``len`` items of a list shared between versions."""

    __slots__ = ("_items", "_n")

    _items: list[T]
    _n: int

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = list(items)
        self._n = len(self._items)

    @classmethod
    def _view(cls, items: list[T], n: int) -> AppendOnly[T]:
        view: AppendOnly[T] = object.__new__(cls)
        view._items = items
        view._n = n
        return view

    def plus(self, item: T) -> AppendOnly[T]:
        """A new version with *item* added at the end; this one is unchanged."""
        items, n = self._items, self._n
        if n == 0:  # never grow a list shared by empty versions (a default, say)
            return self._view([item], 1)
        if len(items) == n:
            items.append(item)
            # Another thread may have appended to the same version in between: the item at
            # position n is then not ours, and we branch instead.
            if items[n] is item:
                return self._view(items, n + 1)
        return self._view([*items[:n], item], n + 1)

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self._items[: self._n][index])
        n = self._n
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("AppendOnly index out of range")
        return self._items[index]

    def __iter__(self) -> Iterator[T]:
        return islice(self._items, self._n)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AppendOnly):
            if self._items is other._items:
                return self._n == other._n
            return self._n == other._n and tuple(self) == tuple(other)
        if isinstance(other, tuple | list):
            return self._n == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (AppendOnly, (tuple(self),))
