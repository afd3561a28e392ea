"""Valid examples of every registered value class, for the fuzz suite to start from.

The examples are collected by walking rich values built through the public API (the demo
community, a routed and escalated case, a visit plan …): every gridgov value met on the way
is kept, the first few of each class.  A class the walk does not reach must get an example
in :func:`_extra` — ``test_every_registered_class_has_an_example`` says which.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import attrs

from gridgov import serialize
from gridgov._seq import AppendOnly

PER_CLASS = 3


def _walk(value: object, seen: set[int]) -> Iterator[object]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        yield value
        for a in attrs.fields(type(value)):
            if a.init:
                yield from _walk(getattr(value, a.name), seen)
        return
    if isinstance(value, tuple | list | frozenset | set | AppendOnly):
        for item in list(value)[:30]:
            yield from _walk(item, seen)
    elif isinstance(value, dict):
        for item in list(value.values())[:30]:
            yield from _walk(item, seen)


def _roots() -> list[object]:
    from gridgov import demo

    roots: list[object] = [
        demo.sample_grid(),
        *demo.sample_residents()[:10],
        demo.sample_case(),
        demo.sample_policy(),
    ]
    for name in ("sample_visits", "sample_router", "sample_assignment"):
        make = getattr(demo, name, None)
        if make is not None:
            made = make()
            roots.extend(made if isinstance(made, tuple | list) else [made])
    roots.extend(_extra())
    return roots


def _extra() -> list[object]:
    """Values the demo does not reach: built here, through the public API."""
    import gridgov as g

    out: list[object] = [
        g.DEFAULT_CATALOGUE,
        g.DEFAULT_MATRIX,
        g.DEFAULT_RULES,
        g.THREE_TIER,
        g.FOUR_TIER,
        g.DEFAULT_POLICY,
        g.Reason(zh="原因", en="why", refs=[g.Ref(kind="unit", id="g3", name="第三网格")]),
        g.WorkCalendar(holidays={date(2026, 10, 1)}, workdays={date(2026, 9, 27)}),
        g.Criteria(min_age=60, conditions_any={"living_alone"}, tags_any={"party_member"}),
        g.Place(id="h-1", unit="mg31", kind=g.PlaceKind.HOUSEHOLD, name="1号楼101"),
    ]
    t = datetime(2026, 11, 26, 9, 0, tzinfo=g.CST)
    out.append(g.Deadline.of(g.TimeLimit.working_days(3), start=t, calendar=g.WorkCalendar()))
    return out


@functools.cache
def examples() -> dict[type, tuple[Any, ...]]:
    """Registered class → up to :data:`PER_CLASS` valid examples."""
    found: dict[type, list[object]] = {}
    seen: set[int] = set()
    for root in _roots():
        for value in _walk(root, seen):
            kept = found.setdefault(type(value), [])
            if len(kept) < PER_CLASS:
                kept.append(value)
    registered = set(serialize.registered())
    return {cls: tuple(v) for cls, v in found.items() if cls in registered}
