"""Door (c): every constructor field of every registered value class × a table of bad values.

Each must be refused with a gridgov error that names the field, or give a valid value that
round-trips.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from tests.fuzz._doors import verdict
from tests.fuzz._examples import examples

from gridgov import serialize

CLASSES = sorted(serialize.registered(), key=lambda c: c.__name__)


class _Weird:
    def __repr__(self) -> str:
        raise RuntimeError("a hostile repr")


BAD: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    7,
    2**63,
    10**20,
    10**400,
    -(10**400),
    1.5,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    "",
    " ",
    "x" * 1_000_000,
    "\x00",
    "a\u200bb",
    "e\u0301",
    "living_alone",
    "Grid Leader",
    [],
    ["x"],
    {},
    {"a": 1},
    (),
    frozenset({"x"}),
    b"bytes",
    object(),
    _Weird(),
    date(1, 1, 1),
    date(9999, 12, 31),
    datetime(2026, 11, 26, 9, 0),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    timedelta(days=10**6),
    lambda x: x,
    [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],
]


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [a for a in attrs.fields(cls) if a.init]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_times_every_bad_value(cls: type) -> None:
    if issubclass(cls, tuple):
        pytest.skip(f"{cls.__name__} is a named tuple (a compact result, built by the engine "
                    "by the million): its door is from_dict, checked in test_json_doors")
    valid = examples().get(cls)
    if not valid:
        pytest.skip(f"no example of {cls.__name__} (see test_every_registered_class_has_an_example)")
    base = valid[0]
    problems: list[str] = []
    for field in _fields(cls):
        key = field.alias or field.name
        kwargs = {(a.alias or a.name): getattr(base, a.name) for a in _fields(cls)}
        for bad in BAD:
            kwargs[key] = bad
            try:
                verdict(
                    lambda kw=dict(kwargs): cls(**kw),
                    about=f"{cls.__name__}({key}={type(bad).__name__})",
                    names=key,
                )
            except AssertionError as exc:
                problems.append(str(exc)[:300])
    assert not problems, f"{len(problems)} doors broke:\n" + "\n".join(problems[:30])
