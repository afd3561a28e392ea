"""from_dict(to_dict(x)) == x for every kind of value the strategies draw, through JSON too."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov import GridGraph, SerializationError, from_dict, to_dict
from gridgov.testing.strategies import (
    conditions,
    grids,
    members,
    partners,
    places,
    residents,
    tier_schemes,
    tiers,
)

# Ids a person might type, spaces, punctuation and all (non-blank, as the values require).
odd_ids = st.text(min_size=1, max_size=8).filter(lambda s: bool(s.strip()))


def assert_round_trip(value: object) -> None:
    data = to_dict(value)
    assert data["schema"] == 1
    assert data["type"] == type(value).__name__
    back = from_dict(data, type(value))
    assert back == value
    assert type(back) is type(value)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    assert from_dict(json.loads(text)) == value
    assert to_dict(from_dict(json.loads(text))) == data


@given(st.one_of(tiers(), tier_schemes(), conditions(), residents()))
def test_round_trip_of_plain_values(value: object) -> None:
    assert_round_trip(value)


@given(grids())
def test_round_trip_of_grids(grid: GridGraph) -> None:
    assert_round_trip(grid)


@given(grids(ids=odd_ids, names=odd_ids, max_units=12, max_places=8))
def test_round_trip_of_grids_with_odd_ids(grid: GridGraph) -> None:
    assert_round_trip(grid)


@given(grids(), st.data())
def test_round_trip_of_grid_parts(grid: GridGraph, data: st.DataObject) -> None:
    for unit in grid.units:
        assert_round_trip(unit)
    for member in grid.members:
        assert_round_trip(member)
        for post in member.posts:
            assert_round_trip(post)
    for partner in grid.partners:
        assert_round_trip(partner)
    assert_round_trip(data.draw(members(grid)))
    assert_round_trip(data.draw(partners(grid)))
    if grid.units_of(grid.scheme.bottom.name):
        assert_round_trip(data.draw(places(grid)))


@given(grids(max_units=10, max_places=5), st.data())
def test_round_trip_of_residents_of_a_grid(grid: GridGraph, data: st.DataObject) -> None:
    if grid.places:
        assert_round_trip(data.draw(residents(grid=grid)))


@given(st.one_of(tiers(), conditions(), residents(), grids(max_units=5)), st.data())
def test_an_unknown_field_is_refused(value: object, data: st.DataObject) -> None:
    body: dict[str, Any] = to_dict(value)
    extra = data.draw(st.text(min_size=1).filter(lambda k: k not in body))
    body[extra] = None
    with pytest.raises(SerializationError) as info:
        from_dict(body)
    assert repr(extra) in str(info.value)
