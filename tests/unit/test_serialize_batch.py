"""The batch table of ``from_dicts``: a value of a flat class read twice from equal JSON in
one batch is built once and shared, and the table never lets through, or changes, anything
the strict road would not."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from gridgov import (
    Condition,
    GridUnit,
    InvalidValueError,
    Resident,
    SerializationError,
    from_dict,
    from_dicts,
    to_dict,
)
from gridgov.cases import Case
from gridgov.demo import sample_case
from gridgov.metrics.composite import Band


def _files() -> list[Resident]:
    kinds = ("dementia", "living_alone", "dementia")
    return [
        Resident(
            id=f"r{i}",
            name="王阿姨",
            household=f"h-{i}",
            birth_date=date(1950, 1, 1 + i),
            conditions=[Condition(kind=kinds[i % 3]), Condition(kind="injured",
                        start=date(2026, 1, 1), end=date(2026, 2, 1), note="摔伤")],
        )
        for i in range(6)
    ]


def test_equal_flat_values_in_a_batch_are_built_once() -> None:
    files = _files()
    got = from_dicts([to_dict(r) for r in files], Resident)
    assert got == files
    first = {c.kind: c for c in got[0].conditions}
    for r in got:
        for c in r.conditions:
            if c.kind in first:
                assert c is first[c.kind]  # one value, shared: it is frozen
    assert got[0].conditions is got[2].conditions  # equal tuples of shared values: one tuple
    assert got[0].conditions is not got[1].conditions
    again = from_dicts([to_dict(files[0])], Resident)[0]
    assert again == got[0]
    assert again.conditions[0] is not got[0].conditions[0]  # the table lasts one batch only


def test_the_units_of_the_case_chains_are_shared_within_a_batch() -> None:
    case = sample_case()
    data = json.loads(json.dumps([to_dict(case), to_dict(case)]))
    one, two = from_dicts(data, Case)
    assert one == two == case
    assert one.chain is two.chain
    assert [to_dict(c) for c in (one, two)] == data


@pytest.mark.parametrize(
    "scores", [[1, 1.0, 2, 2.0], [0, 0.0, -0.0], [-0.0, 0.0, 0], [1.5, 1.5, 3]]
)
def test_a_number_keeps_its_kind_and_sign(scores: list[float]) -> None:
    dicts = [{"schema": 1, "type": "Band", "at_least": 5, "score": s} for s in scores]
    got = from_dicts(json.loads(json.dumps(dicts)), Band)
    assert [from_dict(d) for d in dicts] == got
    assert json.dumps([to_dict(b) for b in got]) == json.dumps(dicts)  # 1 stays 1, -0.0 stays -0.0


@pytest.mark.parametrize(
    ("field", "odd"), [("at_least", True), ("at_least", 5.0), ("score", True), ("score", "5")]
)
def test_a_value_equal_to_an_accepted_one_but_of_another_kind_is_refused(
    field: str, odd: Any
) -> None:
    good = {"schema": 1, "type": "Band", "at_least": 5, "score": 5}
    bad = {**good, field: odd}  # True == 1 and 5.0 == 5: equal keys, but not the same JSON
    with pytest.raises(SerializationError) as batch:
        from_dicts([good, bad], Band)
    with pytest.raises(SerializationError) as alone:
        from_dict(bad)
    assert str(batch.value) == str(alone.value).replace("'$", "'$[1]")


def test_a_refused_value_is_refused_again_in_the_same_batch() -> None:
    unit = to_dict(GridUnit(id="g1", name="第一网格", tier="grid", parent="c1"))
    bad = {**unit, "name": " "}  # a blank name: the constructor refuses it
    with pytest.raises(InvalidValueError) as alone:
        from_dict(bad)
    for items in ([unit, bad], [bad, unit], [unit, unit, bad], [bad, bad]):
        with pytest.raises(InvalidValueError) as batch:
            from_dicts(items, GridUnit)
        assert str(batch.value) == str(alone.value)
    assert from_dicts([unit, unit], GridUnit) == [from_dict(unit)] * 2


# The loaders build values by a function generated from each class's attrs __init__ (each
# door's rule asked inline); what only a validator or __attrs_post_init__ refuses must be
# refused exactly as the class refuses it.
REFUSED_BY_THE_CLASS: list[tuple[type, dict[str, Any]]] = [
    (Band, {"at_least": -1, "score": 1}),  # a door without a rule of its own (integer)
    (Band, {"at_least": 1, "score": 2000}),
    (GridUnit, {"id": "g1", "name": " ", "tier": "grid", "parent": None}),  # a rule, then its door
    (GridUnit, {"id": "g 1 ", "name": "网格", "tier": "grid", "parent": None}),
    (Condition, {"kind": "injured", "start": "2026-02-01", "end": "2026-01-01", "note": ""}),
    (Resident, {"id": "r1", "name": "王阿姨", "household": "h-1", "birth_date": "1799-12-31",
                "conditions": [], "file_opened": None, "tracked_since": None, "tags": []}),
    (Resident, {"id": "r1", "name": "王阿姨", "household": "h-1", "birth_date": "1950-01-01",
                "conditions": [], "file_opened": "1949-01-01", "tracked_since": None,
                "tags": []}),  # __attrs_post_init__
    (Resident, {"id": "r1", "name": "王阿姨", "household": "h-1", "birth_date": "1950-01-01",
                "conditions": [], "file_opened": None, "tracked_since": None,
                "tags": ["Party"]}),  # an item's rule
]


@pytest.mark.parametrize(("cls", "fields"), REFUSED_BY_THE_CLASS)
def test_what_the_class_refuses_the_loader_refuses_alike(
    cls: type, fields: dict[str, Any]
) -> None:
    data = {"schema": 1, "type": cls.__name__, **fields}
    with pytest.raises(InvalidValueError) as alone:
        from_dict(data)
    with pytest.raises(InvalidValueError) as batch:
        from_dicts([data], cls)
    assert str(batch.value) == str(alone.value)
    kwargs = {k: date.fromisoformat(x) if k in ("start", "end", "birth_date", "file_opened")
              and x is not None else x for k, x in fields.items()}
    with pytest.raises(InvalidValueError) as built:
        cls(**kwargs)
    assert str(alone.value) == str(built.value)
