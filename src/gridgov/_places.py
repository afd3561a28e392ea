"""The grid's place index and tree check (private to :mod:`gridgov.grid`).

A city has millions of places, so the grid does not make them graph nodes: it keeps one
dictionary place id → the precomputed chain of its bottom-tier unit (the chain tuples are
shared, not copied), wrapped read-only.  A new grid version whose bottom-tier chains are
unchanged reuses the index as it is, without validating the places again.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from gridgov.errors import InvalidGridError

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.grid import GridUnit

Chain = tuple["GridUnit", ...]


class PlaceIndex(Mapping[str, str]):
    """A read-only place → bottom-tier-unit-id mapping holding each place's chain."""

    __slots__ = ("_by_unit", "_chains", "_view")

    _chains: dict[str, Chain]
    _by_unit: Mapping[str, Chain]
    _view: Mapping[str, Chain]

    def __init__(self, data: dict[str, Chain], chains: Mapping[str, Chain]) -> None:
        object.__setattr__(self, "_chains", data)
        object.__setattr__(self, "_by_unit", MappingProxyType(dict(chains)))
        object.__setattr__(self, "_view", MappingProxyType(data))

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("the place index is read-only")

    @property
    def chain_index(self) -> Mapping[str, Chain]:
        """place id → the chain of its bottom-tier unit, read-only."""
        return self._view

    def same_chains(self, chains: Mapping[str, Chain]) -> bool:
        """Whether every bottom-tier chain this index points to is still *chains*' own."""
        mine = self._by_unit
        return all(chains.get(uid) == chain for uid, chain in mine.items())

    def __getitem__(self, key: str) -> str:
        return self._chains[key][0].id

    def __iter__(self) -> Iterator[str]:
        return iter(self._chains)

    def __len__(self) -> int:
        return len(self._chains)

    def __contains__(self, key: object) -> bool:
        return key in self._chains

    def ids(self) -> dict[str, str]:
        """A new plain dict place id → bottom-tier unit id."""
        return {pid: chain[0].id for pid, chain in self._chains.items()}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlaceIndex):
            if len(self) != len(other):
                return False
            theirs = other._chains
            return all(
                pid in theirs and chain[0].id == theirs[pid][0].id
                for pid, chain in self._chains.items()
            )
        if isinstance(other, Mapping):
            return self.ids() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def items(self) -> ItemsView[str, str]:
        return self.ids().items()

    def values(self) -> ValuesView[str]:
        return self.ids().values()

    def __repr__(self) -> str:
        return f"<place index of {len(self._chains)} places>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self.ids(),))


def check_cycles(unit: Mapping[str, GridUnit]) -> None:
    """Raise :class:`~gridgov.errors.InvalidGridError` naming a cycle of parents, if any."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in unit:
        path: list[str] = []
        uid: str | None = start
        while uid is not None and state.get(uid) is None:
            state[uid] = 1
            path.append(uid)
            uid = unit[uid].parent
        if uid is not None and state.get(uid) == 1:
            cycle = [*path[path.index(uid) :], uid]
            raise InvalidGridError(
                "units " + " → ".join(repr(c) for c in cycle) + " form a cycle; "
                "a grid must be a tree."
            )
        for p in path:
            state[p] = 2
