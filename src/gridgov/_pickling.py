"""Pickling as the constructor's arguments (private): the one way gridgov values pickle.

A value that derives indices or compiled tables at construction (a grid's chains, a router's
decision table, a policy's compiled rules) pickles as its class and the arguments it was built
from, and is rebuilt — validated and compiled again — when loaded.  A pickle is then as small
as the data, carries nothing a loader could not have computed, and cannot smuggle in an index
that disagrees with the data.  Read-only mapping proxies (which cannot be pickled) travel as
plain dicts; the constructors wrap them again.

:func:`gridgov.serialize.register` gives every registered attrs class :func:`reduce_fields`;
an engine that is not a registered value (a router, a planner) defines ``__reduce__`` with
:func:`reduce_args`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


def rebuild(cls: type[T], kwargs: dict[str, Any]) -> T:
    """Build *cls* again from its keyword arguments (what a pickle calls when loaded)."""
    return cls(**kwargs)


def _plain(value: object) -> object:
    return dict(value) if isinstance(value, MappingProxyType) else value


def reduce_args(cls: type, kwargs: Mapping[str, object]) -> tuple[Any, ...]:
    """The ``__reduce__`` answer that rebuilds *cls* from *kwargs* when loaded."""
    return (rebuild, (cls, {k: _plain(v) for k, v in kwargs.items()}))


def reduce_fields(value: Any) -> tuple[Any, ...]:
    """The ``__reduce__`` of an attrs value: its class and its ``__init__`` arguments (the
    fields attrs calls *init*, by the names ``__init__`` takes them under)."""
    cls = type(value)
    return reduce_args(
        cls, {a.alias or a.name: getattr(value, a.name) for a in attrs.fields(cls) if a.init}
    )
