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
        # Never grow a list shared by empty versions (a default, say), nor one an older
        # version shares with a newer: copy instead.
        if n and len(items) == n:
            items.append(item)
            # Another thread may have appended to the same version in between: the item at
            # position n is then not ours, and we branch instead.
            if items[n] is item:
                return self._grown(items, n, item)
        return type(self)([*items[:n], item])

    def _grown(self, items: list[T], n: int, item: T) -> AppendOnly[T]:
        """The version of length *n* + 1 sharing *items*, which *item* was appended to."""
        return self._view(items, n + 1)

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


class IdLog(AppendOnly[str]):
    """An :class:`AppendOnly` of ids whose versions also share an index from each id to its
    first position, so a version of length *n* holds an id when its position is below *n*:
    ``in`` is O(1).  A case lists the ids of the duplicates merged into it and refuses the
    same one twice; a linear ``in`` would make thousands of merges quadratic.

    Example:
        >>> a = IdLog(["c-2"])
        >>> b = a.plus("c-3")
        >>> "c-3" in a, "c-3" in b, b == ("c-2", "c-3")
        (False, True, True)
    """

    __slots__ = ("_index",)

    _index: dict[str, int]

    def __init__(self, items: Iterable[str] = ()) -> None:
        super().__init__(items)
        self._index = {}
        for i, item in enumerate(self._items):
            self._index.setdefault(item, i)

    def plus(self, item: str) -> IdLog:
        """A new version with *item* added at the end; this one is unchanged."""
        grown = super().plus(item)
        assert isinstance(grown, IdLog)
        return grown

    def _grown(self, items: list[str], n: int, item: str) -> IdLog:
        self._index.setdefault(item, n)
        view: IdLog = object.__new__(IdLog)
        view._items, view._n, view._index = items, n + 1, self._index
        return view

    def __contains__(self, item: object) -> bool:
        at = self._index.get(item) if isinstance(item, str) else None
        return at is not None and at < self._n

    def __reduce__(self) -> tuple[Any, ...]:
        return (IdLog, (tuple(self),))
