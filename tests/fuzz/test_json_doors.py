"""Doors (a) and (b): ``from_dict`` given arbitrary JSON, and valid dicts mutated.

Every input must give a gridgov error or a valid value that round-trips (see ``_doors``).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz._doors import verdict
from tests.fuzz._examples import examples

from gridgov import from_dict, serialize, to_dict

CLASSES = sorted(serialize.registered(), key=lambda c: c.__name__)
SOMETIMES_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "\u200b", "e\u0301", "2026-11-26", "2026-11-26T09:00:00+08:00",
                       "2026-11-26T09:00:00", "9999-12-31", "0001-01-01", "x" * 5000])
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def test_every_registered_class_has_an_example() -> None:
    missing = [c.__name__ for c in CLASSES if c not in examples()]
    assert not missing, f"add examples for {missing} to tests/fuzz/_examples.py"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@SOMETIMES_SLOW
@given(data=st.data())
def test_arbitrary_json_for_each_type(cls: type, data: st.DataObject) -> None:
    """A dict with the class's type and its field names, each holding arbitrary JSON."""
    names = [a.alias or a.name for a in serialize._fields(cls)]
    body: dict[str, Any] = {"schema": 1, "type": cls.__name__}
    for name in names:
        if data.draw(st.booleans(), label=f"has {name}"):
            body[name] = data.draw(JSON, label=name)
    text = json.dumps(body, allow_nan=True)
    verdict(lambda: from_dict(json.loads(text)), about=f"{cls.__name__} from {text[:300]}")


@SOMETIMES_SLOW
@given(JSON)
def test_arbitrary_json_at_the_top(value: Any) -> None:
    verdict(lambda: from_dict(value), about=f"from_dict({value!r:.200})")


SPECIAL: list[Any] = [
    None, True, False, 0, -1, 2**63, 10**400, -(10**400), 1.5, float("nan"), float("inf"),
    float("-inf"), 1e308, "", " ", "x" * 1_000_000, "\u200b", "\x00", "e\u0301", [], [None],
    {}, {"type": "GridUnit"}, [[[[[[[[[[[]]]]]]]]]]], "1800-01-01", "2201-01-01",
    "2026-11-26T09:00:00", "2026-11-26T09:00:00+08:00",
]


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            if path == () and key in ("schema",):
                continue
            out += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data[:5]):
            out += _paths(value, (*path, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _drop(data: Any, path: tuple[Any, ...]) -> None:
    for key in path[:-1]:
        data = data[key]
    if isinstance(data, dict):
        del data[path[-1]]
    else:
        del data[path[-1]]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@SOMETIMES_SLOW
@given(data=st.data())
def test_mutated_valid_dicts(cls: type, data: st.DataObject) -> None:
    """A valid dict of the class with one change: a key dropped or added, a value replaced by
    another type, a special value, or arbitrary JSON, anywhere in it."""
    valid = examples().get(cls)
    if not valid:
        pytest.skip(f"no example of {cls.__name__}")
    original = to_dict(data.draw(st.sampled_from(valid), label="example"))
    mutated = copy.deepcopy(original)
    paths = _paths(mutated)
    path = data.draw(st.sampled_from(paths), label="where") if paths else ()
    how = data.draw(st.sampled_from(["drop", "add", "special", "json"]), label="how")
    if how == "drop" and path:
        _drop(mutated, path)
    elif how == "add":
        mutated[data.draw(st.text(min_size=1, max_size=8), label="key")] = data.draw(JSON)
    elif how == "special" and path:
        _set(mutated, path, data.draw(st.sampled_from(SPECIAL), label="value"))
    elif path:
        _set(mutated, path, data.draw(JSON, label="value"))
    about = f"{cls.__name__} with {how} at {path!r}"
    verdict(lambda: from_dict(mutated), about=about)
