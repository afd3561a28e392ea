"""from_dict(to_dict(x)) == x for every kind of value the strategies draw, through JSON too."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov import GridGraph, Router, SerializationError, from_dict, to_dict
from gridgov._validators import show
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    conditions,
    criteria,
    grids,
    issues,
    members,
    partners,
    places,
    residents,
    responsibility_matrices,
    rule_sets,
    tier_schemes,
    tiers,
    time_limits,
)


def _is_id(text: str) -> bool:
    """What the doors accept as an id: printable, no surrounding spaces, in NFC."""
    return text.isprintable() and text == text.strip() and unicodedata.is_normalized("NFC", text)


def _is_name(text: str) -> bool:
    """What the doors accept as a name: non-blank, without control or format characters."""
    return not text.isspace() and all(
        unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") for ch in text
    )


# Ids and names a person might type: any script, inner spaces, punctuation and all.
_PRINTABLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
odd_ids = st.text(_PRINTABLE | st.just(" "), min_size=1, max_size=8).filter(_is_id)
odd_names = st.text(min_size=1, max_size=8).filter(_is_name)


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


@given(st.one_of(catalogues(), criteria(), time_limits(), calendars()))
def test_round_trip_of_catalogues_criteria_and_time(value: object) -> None:
    assert_round_trip(value)


@given(catalogues(), st.data())
def test_round_trip_of_routing_values(catalogue: Any, data: st.DataObject) -> None:
    """Rule sets, matrices and the assignments they make, over a drawn catalogue."""
    grid = data.draw(grids(min_units=1, max_units=8))
    rules = data.draw(rule_sets(scheme=grid.scheme, catalogue=catalogue))
    matrix = data.draw(responsibility_matrices(grid, catalogue=catalogue))
    assert_round_trip(rules)
    assert_round_trip(matrix)
    router = Router(grid=grid, rules=rules, matrix=matrix, catalogue=catalogue)
    a = router.route(data.draw(issues(grid, catalogue=catalogue)))
    assert_round_trip(a)
    assert_round_trip(a.reason)
    for deadline in (a.accept_by, a.resolve_by):
        if deadline is not None:
            assert_round_trip(deadline)


@given(grids())
def test_round_trip_of_grids(grid: GridGraph) -> None:
    assert_round_trip(grid)


@given(grids(ids=odd_ids, names=odd_names, max_units=12, max_places=8))
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
    assert show(extra) in str(info.value)  # cut as every door cuts a value
