"""gridgov.serialize's fast road: from_dict and from_dicts take it for every well-formed dict,
and on anything else give exactly what the strict road gives (the same value or the same
error)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_serialize import VALUES

import gridgov.serialize as serialize
from gridgov import GridUnit, Resident, SerializationError, from_dict, from_dicts, to_dict
from gridgov.demo import sample_case, sample_policy, sample_residents, sample_visits

SAMPLES: dict[str, object] = {
    **VALUES,
    "Case": sample_case(),
    "EscalationPolicy": sample_policy(),
    "VisitRecord": sample_visits()[0],
}


def _strict(data: dict[str, Any]) -> object:
    body = {k: v for k, v in data.items() if k != "schema"}
    return serialize._decode_attrs(body, object, "$")


def _outcome(fn: Any, *args: Any) -> tuple[str, object]:
    try:
        return "value", fn(*args)
    except Exception as exc:
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("value", SAMPLES.values(), ids=SAMPLES.keys())
def test_the_fast_road_takes_every_well_formed_dict(value: object) -> None:
    data = json.loads(json.dumps(to_dict(value)))
    assert serialize.road.fast(data, object, 1) == value  # not a fallback: the fast road itself
    assert serialize.road.fast(data, type(value), 1) == value
    assert from_dicts([data, data], type(value)) == [value, value]


ODD = [None, True, False, 0, 1, -1, 1.5, float("nan"), "", "x", "2026-01-01", [], [1], {}, {"type": "Tier"}]


@pytest.mark.parametrize("value", SAMPLES.values(), ids=SAMPLES.keys())
def test_off_the_road_the_strict_road_decides(value: object) -> None:
    data = json.loads(json.dumps(to_dict(value)))
    cases: list[dict[str, Any]] = []
    for key in data:
        if key == "schema":
            continue
        for odd in ODD:
            cases.append({**data, key: odd})
        cases.append({k: v for k, v in data.items() if k != key})
    cases.append({**data, "extra": 1})
    for case in cases:
        fast = _outcome(from_dict, case)
        assert fast == _outcome(_strict, case), case
        kind, got = fast
        many = _outcome(from_dicts, [data, case], type(value))
        if kind == "value":
            assert many == ("value", [value, got])
        else:
            assert many[0] == kind  # the same refusal, the item named where the path is shown
            if kind == "SerializationError" and "'$" in str(got):
                assert many[1] == str(got).replace("'$", "'$[1]")


def test_from_dicts() -> None:
    files = sample_residents()
    dicts = [to_dict(r) for r in files]
    assert from_dicts(dicts, Resident) == list(files)
    assert from_dicts(iter(dicts), Resident) == list(files)
    assert from_dicts([], Resident) == []
    with pytest.raises(SerializationError, match=r"'\$\[1\]\.type' must be Resident \(got 'GridUnit'\)"):
        from_dicts([dicts[0], to_dict(GridUnit(id="u", name="U", tier="grid"))], Resident)
    with pytest.raises(SerializationError, match=r"'\$\[0\]' must be a dict \(got 3\)"):
        from_dicts([3], Resident)
    with pytest.raises(SerializationError, match=r"'\$\[0\]\.schema' must be 1 \(got 2\)"):
        from_dicts([{**dicts[0], "schema": 2}], Resident)
    with pytest.raises(SerializationError, match="takes a list of dicts"):
        from_dicts(dicts[0], Resident)  # type: ignore[arg-type]
    with pytest.raises(SerializationError, match="'cls' must be a gridgov value class"):
        from_dicts(dicts, dict)
