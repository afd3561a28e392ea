"""A trusted constructor for hot paths (private).

attrs' generated ``__init__`` for a frozen, slotted class sets each field through
``object.__setattr__``; on hot paths that build millions of results (routing, sweeps) the
library builds values it has already validated, so it may set the slots directly.  The
constructor is made from ``attrs.fields`` at import time, so it cannot drift from the class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


def trusted_constructor(cls: type[T], names: tuple[str, ...] | None = None) -> Callable[..., T]:
    """A function taking every field of *cls* positionally, in attrs' order, that builds an
    instance without running validators or converters — only for values already valid.

    With *names*, the function takes those fields, in that order, and leaves the others'
    slots unset: for a class that derives those on reading (its ``__getattr__``)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    if names is None:
        if any(not f.init for f in fields):  # pragma: no cover - a programming error
            raise TypeError(f"{cls.__name__} has computed fields; it needs its own __init__")
    else:
        known = {f.name: f for f in fields}
        fields = tuple(known[name] for name in names)
    setters = [getattr(cls, f.name).__set__ for f in fields]
    params = ", ".join(f"v{i}" for i in range(len(fields)))
    body = "\n".join(f"    s{i}(item, v{i})" for i in range(len(fields)))
    source = f"def make({params}):\n    item = new(cls)\n{body}\n    return item\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update({f"s{i}": setter for i, setter in enumerate(setters)})
    exec(source, namespace)  # generated from the class's own field list
    make: Callable[..., T] = namespace["make"]
    return make
