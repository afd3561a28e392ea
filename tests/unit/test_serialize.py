"""gridgov.serialize: to_dict / from_dict, JSON-safe and strict."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import attrs
import pytest

from gridgov import (
    CONDITION_KINDS,
    FOUR_TIER,
    SCHEMA_VERSION,
    THREE_TIER,
    Condition,
    GridGraph,
    GridUnit,
    InvalidGridError,
    InvalidValueError,
    Member,
    Partner,
    PartnerKind,
    Place,
    PlaceKind,
    Post,
    Resident,
    Role,
    SerializationError,
    from_dict,
    to_dict,
)
from gridgov.calendar import WorkCalendar
from gridgov.demo import sample_grid, sample_month_facts, sample_residents
from gridgov.metrics import CLOSING_RATE, tally
from gridgov.routing import Routed
from gridgov.serialize import registered

VALUES: dict[str, object] = {
    "Tier": THREE_TIER["grid"],
    "TierScheme": FOUR_TIER,
    "GridUnit": GridUnit(id="g3", name="第三网格", tier="grid", parent="yx"),
    "root GridUnit": GridUnit(id="yx", name="亚新社区", tier="community"),
    "Place": Place(id="h-1", unit="mg31", kind=PlaceKind.COURTYARD, name="1号院"),
    "ConditionKind": CONDITION_KINDS["living_alone"],
    "Condition": Condition(kind="injured", start=date(2026, 11, 18), end=date(2026, 12, 18)),
    "open Condition": Condition(kind="living_alone", note="独居"),
    "Resident": next(r for r in sample_residents() if r.id == "r-lu"),
    "tagged Resident": Resident(
        id="r",
        name="n",
        household="h",
        birth_date=date(1960, 2, 29),
        tags={"youth", "party_member"},
    ),
    "Post": Post(role=Role.COURTYARD_HEAD, unit="mg31"),
    "Member": Member(
        id="m",
        name="n",
        posts=[Post(role=Role.GRID_LEADER, unit="g1"), Post(role=Role.VOLUNTEER, unit="g2")],
        skills={"housekeeping", "appliance_repair"},
    ),
    "Partner": Partner(
        id="p",
        name="物业",
        kind=PartnerKind.PROPERTY_MANAGEMENT,
        categories={"facility_repair", "environment"},
        units={"g3", "g1"},
    ),
    "GridGraph": sample_grid(),
    "empty GridGraph": GridGraph(version="empty", scheme=FOUR_TIER),
}


def _json_types_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_types_only(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_round_trip(value: object) -> None:
    data = to_dict(value)
    assert data["schema"] == SCHEMA_VERSION == 1
    assert data["type"] == type(value).__name__
    assert _json_types_only(data)
    assert from_dict(data) == value
    assert from_dict(data, type(value)) == value
    assert from_dict(json.loads(json.dumps(data))) == value
    assert from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == value
    assert to_dict(from_dict(data)) == data


def test_encodings() -> None:
    data = to_dict(VALUES["Resident"])
    assert data["birth_date"] == "1948-03-02"
    assert data["conditions"][1]["start"] == "2026-11-18"
    assert data["conditions"][0]["start"] is None
    assert data["conditions"][0]["type"] == "Condition"
    assert to_dict(VALUES["Post"])["role"] == "courtyard_head"
    assert to_dict(VALUES["Place"])["kind"] == "courtyard"
    partner = to_dict(VALUES["Partner"])
    assert partner["units"] == ["g1", "g3"]
    assert partner["categories"] == ["environment", "facility_repair"]
    grid = to_dict(sample_grid())
    assert grid["places"]["h-0001"] == "mg11"
    assert grid["scheme"]["tiers"][0]["name"] == "community"
    assert "_unit" not in grid
    assert "unit" not in grid
    assert set(grid) == {
        "schema",
        "type",
        "version",
        "scheme",
        "units",
        "places",
        "members",
        "partners",
    }


def test_from_dict_accepts_what_a_person_would_write() -> None:
    data = {"schema": 1, "type": "GridUnit", "id": "g", "name": "G", "tier": "grid", "parent": "c"}
    assert from_dict(data) == GridUnit(id="g", name="G", tier="grid", parent="c")
    # Every field must be there, defaults too: nothing is guessed (a calendar written without
    # its holidays is not a calendar without holidays).
    short = {"schema": 1, "type": "GridUnit", "id": "c", "name": "C", "tier": "community"}
    with pytest.raises(SerializationError, match=r"'\$.parent' is missing"):
        from_dict(short)
    calendar = to_dict(WorkCalendar(holidays={date(2026, 1, 1)}))
    del calendar["holidays"]
    with pytest.raises(SerializationError, match=r"'\$.holidays' is missing"):
        from_dict(calendar)


# --------------------------------------------------------------------------- refusals


def _unit_dict(**changes: Any) -> dict[str, Any]:
    data = to_dict(VALUES["GridUnit"])
    data.update(changes)
    return data


@pytest.mark.parametrize("schema", [2, 0, "1", 1.5, True, None])
def test_wrong_schema_version(schema: object) -> None:
    with pytest.raises(SerializationError, match=f"'schema' must be 1 \\(got {schema!r}\\)"):
        from_dict(_unit_dict(schema=schema))


def test_missing_schema_version() -> None:
    data = _unit_dict()
    del data["schema"]
    with pytest.raises(SerializationError, match="'schema' is missing"):
        from_dict(data)


def test_missing_or_unknown_type() -> None:
    data = _unit_dict()
    del data["type"]
    with pytest.raises(SerializationError, match=r"'\$.type' is missing"):
        from_dict(data)
    with pytest.raises(
        SerializationError, match=r"'\$.type' must name a gridgov value \(got 'Unit'\)"
    ):
        from_dict(_unit_dict(type="Unit"))


def test_type_must_match_the_expected_class() -> None:
    with pytest.raises(SerializationError, match=r"'\$.type' must be Member \(got 'GridUnit'\)"):
        from_dict(_unit_dict(), Member)


def test_unknown_field() -> None:
    with pytest.raises(SerializationError, match="GridUnit has no field 'colour'"):
        from_dict(_unit_dict(colour="red"))


def test_missing_field() -> None:
    data = _unit_dict()
    del data["tier"]
    with pytest.raises(SerializationError, match=r"'\$.tier' is missing; GridUnit requires every"):
        from_dict(data)


@pytest.mark.parametrize(
    ("value", "changes", "message"),
    [
        ("GridUnit", {"id": 7}, r"'\$.id' must be a string \(got 7\)"),
        ("GridUnit", {"parent": ["yx"]}, r"'\$.parent' must be a string"),
        (
            "Post",
            {"role": "boss"},
            r"'\$.role' must be one of \[.*'grid_leader'.*\] \(got 'boss'\)",
        ),
        ("Condition", {"start": "18/11/2026"}, r"'\$.start' must be an ISO date string"),
        ("Condition", {"start": 20261118}, r"'\$.start' must be an ISO date string"),
        ("Member", {"skills": "housekeeping"}, r"'\$.skills' must be a list"),
        ("Member", {"posts": {"role": "volunteer"}}, r"'\$.posts' must be a list"),
        ("Member", {"posts": ["volunteer"]}, r"'\$.posts\[0\]' must be a dict"),
        ("GridGraph", {"places": ["h-1"]}, r"'\$.places' must be a dict"),
        ("GridGraph", {"places": {"h-1": 1}}, r"'\$.places\['h-1'\]' must be a string"),
        ("GridGraph", {"scheme": "three_tier"}, r"'\$.scheme' must be a dict"),
    ],
)
def test_wrong_type(value: str, changes: dict[str, Any], message: str) -> None:
    data = to_dict(VALUES[value])
    data.update(changes)
    with pytest.raises(SerializationError, match=message):
        from_dict(data)


def test_nested_errors_name_the_path() -> None:
    data = to_dict(VALUES["Member"])
    data["posts"][1]["role"] = "boss"
    with pytest.raises(SerializationError, match=r"'\$.posts\[1\].role' must be one of"):
        from_dict(data)
    grid = to_dict(VALUES["GridGraph"])
    grid["units"][3]["shape"] = "square"
    with pytest.raises(SerializationError, match="GridUnit has no field 'shape'"):
        from_dict(grid)
    grid = to_dict(VALUES["GridGraph"])
    grid["units"][0] = to_dict(THREE_TIER["grid"])
    with pytest.raises(SerializationError, match=r"'\$.units\[0\].type' must be GridUnit"):
        from_dict(grid)


def test_not_a_dict() -> None:
    with pytest.raises(SerializationError, match="from_dict\\(\\) takes a dict \\(got list\\)"):
        from_dict([1, 2])  # type: ignore[arg-type]


def test_validation_errors_propagate_unchanged() -> None:
    grid = to_dict(VALUES["GridGraph"])
    grid["units"].append(
        {"type": "GridUnit", "id": "x", "name": "X", "tier": "grid", "parent": "nope"}
    )
    with pytest.raises(InvalidGridError, match=r"'parent' of unit 'x'.*'nope'"):
        from_dict(grid)
    condition = to_dict(VALUES["Condition"])
    condition["end"] = condition["start"]
    with pytest.raises(InvalidValueError, match="'end' of Condition 'injured' must be after"):
        from_dict(condition)


@attrs.frozen
class Tier:  # the same name as gridgov's Tier, but not gridgov's
    name: str = "grid"


@attrs.frozen
class Unregistered:
    x: int = 1


@pytest.mark.parametrize(
    "value",
    [1, "grid", None, {"type": "Tier"}, [THREE_TIER["grid"]], object(), Unregistered(), Tier()],
    ids=repr,
)
def test_to_dict_of_a_non_gridgov_value(value: object) -> None:
    with pytest.raises(SerializationError, match="to_dict\\(\\) takes a gridgov value"):
        to_dict(value)


# --------------------------------------------------------------------------- named tuples, pairs


def test_a_named_tuple_result_is_written_by_its_field_names() -> None:
    routed = Routed(*("i-1", "g3", "R1", True))
    data = to_dict(routed)
    assert data == {"schema": 1, "type": "Routed", "issue": "i-1", "unit": "g3", "rule": "R1",
                    "moved_by_matrix": True}
    back = from_dict(json.loads(json.dumps(data)), Routed)
    assert back == routed and type(back) is Routed
    assert Routed in registered()


def test_a_named_tuple_is_read_as_strictly_as_any_value() -> None:
    data = to_dict(Routed("i-1", "g3", "R1", False))
    with pytest.raises(SerializationError, match=r"'\$.moved_by_matrix' must be true or false"):
        from_dict({**data, "moved_by_matrix": "yes"})
    with pytest.raises(SerializationError, match=r"'\$.unit' is missing"):
        from_dict({k: x for k, x in data.items() if k != "unit"})
    with pytest.raises(SerializationError, match="Routed has no field 'units'"):
        from_dict({**data, "units": "g3"})


def test_a_mapping_keyed_by_values_is_written_as_pairs_and_read_strictly() -> None:
    counted = tally(sample_month_facts(), [CLOSING_RATE])
    data = to_dict(counted)
    pairs = data["cells"]
    assert [from_dict(data).cells[k] for k in counted.cells] == list(counted.cells.values())
    for bad, problem in [
        ({}, r"'\$.cells' must be a list of \[key, value\] pairs"),
        ([pairs[0][0]], r"'\$.cells\[0\]' must be a \[key, value\] pair"),
        ([pairs[0], pairs[0]], r"'\$.cells\[1\]\[0\]' repeats a key"),
        ([[pairs[0][0][:2], pairs[0][1]]], r"'\$.cells\[0\]\[0\]' must have 3 items"),
    ]:
        with pytest.raises(SerializationError, match=problem):
            from_dict({**data, "cells": bad})
