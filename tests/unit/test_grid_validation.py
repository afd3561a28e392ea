"""gridgov.grid: every kind of invalid structure raises the documented error, naming the culprit.

Each case builds a grid (or changes a valid one) in a way the tree-of-tiers rules forbid and
checks the exception class, the builtin it also is, and that the message names every
offending id (quoted, as the messages quote them, unless the case spells the text out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridgov import (
    GridGraph,
    GridUnit,
    InvalidGridError,
    InvalidValueError,
    Member,
    Partner,
    PartnerKind,
    Place,
    Post,
    Role,
    UnknownPlaceError,
    UnknownUnitError,
)


def U(uid: str, tier: str, parent: str | None = None) -> GridUnit:
    return GridUnit(id=uid, name=uid, tier=tier, parent=parent)


BASE = [U("c1", "community"), U("g1", "grid", "c1"), U("m11", "micro_grid", "g1")]
BASE += [U("m12", "micro_grid", "g1"), U("g2", "grid", "c1")]


def grid_of(**kwargs: Any) -> GridGraph:
    kwargs.setdefault("units", BASE)
    return GridGraph(version="v1", **kwargs)


def leader(mid: str, unit: str, role: Role = Role.GRID_LEADER) -> Member:
    return Member(id=mid, name=mid, posts=[Post(role=role, unit=unit)])


def partner(pid: str, *units: str) -> Partner:
    return Partner(id=pid, name=pid, kind=PartnerKind.CO_BUILDING_UNIT, units=set(units))


VALID = grid_of(
    places={"h1": "m11", "h2": "m12"},
    members=[leader("sec", "c1", Role.SECRETARY), leader("w", "g2", Role.GRID_WORKER)],
    partners=[partner("wuye", "g2")],
)

# (build, exception, builtin, ids the message must name)
Case = tuple[Callable[[], object], type[Exception], type[Exception], tuple[str, ...]]

CASES: dict[str, Case] = {
    "duplicate unit id": (
        lambda: grid_of(units=[*BASE, U("g1", "grid", "c1")]),
        InvalidGridError,
        ValueError,
        ("g1",),
    ),
    "duplicate id across tiers": (
        lambda: grid_of(units=[*BASE, U("c1", "grid", "c1")]),
        InvalidGridError,
        ValueError,
        ("c1",),
    ),
    "unknown tier": (
        lambda: grid_of(units=[*BASE, U("s1", "street", "c1")]),
        InvalidGridError,
        ValueError,
        ("s1", "street"),
    ),
    "unknown parent": (
        lambda: grid_of(units=[*BASE, U("m21", "micro_grid", "ghost")]),
        InvalidGridError,
        ValueError,
        ("m21", "ghost"),
    ),
    "self-parent": (
        lambda: grid_of(units=[*BASE, U("c2", "community", "c2")]),
        InvalidGridError,
        ValueError,
        ("c2",),
    ),
    "two-unit cycle": (
        lambda: grid_of(units=[*BASE, U("g8", "grid", "m9"), U("m9", "micro_grid", "g8")]),
        InvalidGridError,
        ValueError,
        ("g8", "m9"),
    ),
    "three-unit cycle": (
        lambda: grid_of(
            units=[
                *BASE,
                U("x", "community", "z"),
                U("y", "grid", "x"),
                U("z", "micro_grid", "y"),
            ]
        ),
        InvalidGridError,
        ValueError,
        ("x", "y", "z"),
    ),
    "parent two tiers up": (
        lambda: grid_of(units=[*BASE, U("m21", "micro_grid", "c1")]),
        InvalidGridError,
        ValueError,
        ("m21", "c1"),
    ),
    "parent in the same tier": (
        lambda: grid_of(units=[*BASE, U("g3", "grid", "g1")]),
        InvalidGridError,
        ValueError,
        ("g3", "g1"),
    ),
    "parent below": (
        lambda: grid_of(units=[*BASE, U("g3", "grid", "m11")]),
        InvalidGridError,
        ValueError,
        ("g3", "m11"),
    ),
    "top-tier unit with a parent": (
        lambda: grid_of(units=[*BASE, U("c2", "community", "c1")]),
        InvalidGridError,
        ValueError,
        ("c2", "c1"),
    ),
    "root below the top tier": (
        lambda: grid_of(units=[*BASE, U("g9", "grid")]),
        InvalidGridError,
        ValueError,
        ("g9",),
    ),
    "bottom-tier root": (
        lambda: grid_of(units=[U("m1", "micro_grid")]),
        InvalidGridError,
        ValueError,
        ("m1",),
    ),
    "not a unit": (
        lambda: grid_of(units=[*BASE, "g3"]),
        InvalidValueError,
        ValueError,
        ("g3",),
    ),
    "place at a non-bottom unit": (
        lambda: grid_of(places={"h1": "g1"}),
        InvalidGridError,
        ValueError,
        ("h1", "g1"),
    ),
    "place at a root": (
        lambda: grid_of(places={"h1": "m11", "h2": "c1"}),
        InvalidGridError,
        ValueError,
        ("h2", "c1"),
    ),
    "place at an unknown unit": (
        lambda: grid_of(places={"h1": "m11", "h2": "ghost"}),
        InvalidGridError,
        ValueError,
        ("h2", "ghost"),
    ),
    "place at a non-string unit": (
        lambda: grid_of(places={"h1": ["m11"]}),
        InvalidGridError,
        ValueError,
        ("h1",),
    ),
    "place value at an unknown unit": (
        lambda: grid_of(places=[Place(id="h1", unit="ghost")]),
        InvalidGridError,
        ValueError,
        ("h1", "ghost"),
    ),
    "duplicate place via Place values": (
        lambda: grid_of(places=[Place(id="h1", unit="m11"), Place(id="h1", unit="m12")]),
        InvalidGridError,
        ValueError,
        ("h1", "m11", "m12"),
    ),
    "not a place": (
        lambda: grid_of(places=[Place(id="h1", unit="m11"), "h2"]),
        InvalidGridError,
        ValueError,
        ("h2",),
    ),
    "non-string place id": (
        lambda: grid_of(places={7: "m11"}),
        InvalidGridError,
        ValueError,
        ("7",),
    ),
    "empty place id": (
        lambda: grid_of(places={"": "m11"}),
        InvalidGridError,
        ValueError,
        ("''",),
    ),
    "duplicate member id": (
        lambda: grid_of(members=[leader("m1", "g1"), leader("m1", "g2")]),
        InvalidGridError,
        ValueError,
        ("m1",),
    ),
    "not a member": (
        lambda: grid_of(members=[leader("m1", "g1"), "m2"]),
        InvalidValueError,
        ValueError,
        ("m2",),
    ),
    "post at an unknown unit": (
        lambda: grid_of(members=[leader("m1", "ghost", Role.VOLUNTEER)]),
        InvalidGridError,
        ValueError,
        ("m1", "ghost"),
    ),
    "two leaders of one unit": (
        lambda: grid_of(members=[leader("a", "g1"), leader("b", "g1")]),
        InvalidGridError,
        ValueError,
        ("g1", "a", "b"),
    ),
    "two leaders with different leading roles": (
        lambda: grid_of(
            members=[leader("a", "m11", Role.MICRO_GRID_LEADER), leader("b", "m11", Role.SECRETARY)]
        ),
        InvalidGridError,
        ValueError,
        ("m11", "a", "b"),
    ),
    "partner covering an unknown unit": (
        lambda: grid_of(partners=[partner("p1", "g1", "ghost")]),
        InvalidGridError,
        ValueError,
        ("p1", "ghost"),
    ),
    "duplicate partner id": (
        lambda: grid_of(partners=[partner("p1", "g1"), partner("p1", "g2")]),
        InvalidGridError,
        ValueError,
        ("p1",),
    ),
    "not a partner": (
        lambda: grid_of(partners=["p1"]),
        InvalidValueError,
        ValueError,
        ("p1",),
    ),
    # ------------------------------------------------------------------ change methods
    "add a duplicate unit": (
        lambda: VALID.add_unit(U("g1", "grid", "c1"), version="v2"),
        InvalidGridError,
        ValueError,
        ("g1",),
    ),
    "add a unit under an unknown parent": (
        lambda: VALID.add_unit(U("m21", "micro_grid", "ghost"), version="v2"),
        InvalidGridError,
        ValueError,
        ("m21", "ghost"),
    ),
    "add a self-parented unit": (
        lambda: VALID.add_unit(U("c2", "community", "c2"), version="v2"),
        InvalidGridError,
        ValueError,
        ("c2",),
    ),
    "move a unit under its own child": (
        lambda: VALID.move_unit("g1", "m11", version="v2"),
        InvalidGridError,
        ValueError,
        ("g1", "m11"),
    ),
    "move a unit under itself": (
        lambda: VALID.move_unit("g1", "g1", version="v2"),
        InvalidGridError,
        ValueError,
        ("g1",),
    ),
    "move a unit two tiers down": (
        lambda: VALID.move_unit("m11", "c1", version="v2"),
        InvalidGridError,
        ValueError,
        ("m11", "c1"),
    ),
    "move a unit under an unknown parent": (
        lambda: VALID.move_unit("m11", "ghost", version="v2"),
        InvalidGridError,
        ValueError,
        ("m11", "ghost"),
    ),
    "move an unknown unit": (
        lambda: VALID.move_unit("ghost", "g1", version="v2"),
        UnknownUnitError,
        KeyError,
        ("ghost",),
    ),
    "remove a unit with children": (
        lambda: VALID.remove_unit("g1", version="v2"),
        InvalidGridError,
        ValueError,
        ("g1", "(m11, ...)"),  # the children are listed unquoted
    ),
    "remove a unit with places": (
        lambda: VALID.remove_unit("m12", version="v2"),
        InvalidGridError,
        ValueError,
        ("m12", "h2"),
    ),
    "remove a unit with a post": (
        lambda: VALID.remove_unit("g2", version="v2").members,
        InvalidGridError,
        ValueError,
        ("g2", "w"),
    ),
    "remove a unit a partner covers": (
        lambda: VALID.with_team(version="v2", members=[]).remove_unit("g2", version="v3"),
        InvalidGridError,
        ValueError,
        ("g2", "wuye"),
    ),
    "remove an unknown unit": (
        lambda: VALID.remove_unit("ghost", version="v2"),
        UnknownUnitError,
        KeyError,
        ("ghost",),
    ),
    "assign a place to a non-bottom unit": (
        lambda: VALID.assign_place("h3", "g2", version="v2"),
        InvalidGridError,
        ValueError,
        ("h3", "g2"),
    ),
    "assign a place to an unknown unit": (
        lambda: VALID.assign_place("h3", "ghost", version="v2"),
        InvalidGridError,
        ValueError,
        ("h3", "ghost"),
    ),
    "remove an unknown place": (
        lambda: VALID.remove_place("ghost", version="v2"),
        UnknownPlaceError,
        KeyError,
        ("ghost",),
    ),
    "duplicate place in with_places": (
        lambda: VALID.with_places(
            [Place(id="h9", unit="m11"), Place(id="h9", unit="m12")], version="v2"
        ),
        InvalidGridError,
        ValueError,
        ("h9",),
    ),
    "second leader via with_team": (
        lambda: VALID.with_team(
            version="v2", members=[*VALID.members, leader("sec2", "c1", Role.SECRETARY)]
        ),
        InvalidGridError,
        ValueError,
        ("c1", "sec", "sec2"),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_invalid_structure_raises_naming_the_culprit(case: Case) -> None:
    build, error, builtin, culprits = case
    with pytest.raises(error) as info:
        build()
    assert isinstance(info.value, builtin)
    message = str(info.value)
    for culprit in culprits:
        # Ids are quoted in messages; a culprit that is not an identifier is matched as given.
        quoted = repr(culprit) if culprit.isidentifier() else culprit
        assert quoted in message, (culprit, message)


def test_cycle_message_shows_the_cycle() -> None:
    with pytest.raises(InvalidGridError, match="units 'c2' → 'c2' form a cycle"):
        grid_of(units=[*BASE, U("c2", "community", "c2")])
    with pytest.raises(InvalidGridError, match=r"'g8' → 'm9' → 'g8'|'m9' → 'g8' → 'm9'"):
        grid_of(units=[*BASE, U("g8", "grid", "m9"), U("m9", "micro_grid", "g8")])


def test_a_member_may_hold_two_leading_posts() -> None:
    twice = Member(
        id="m",
        name="m",
        posts=[Post(role=Role.GRID_LEADER, unit="g1"), Post(role=Role.SECRETARY, unit="g1")],
    )
    grid = grid_of(members=[twice, leader("n", "g2")])
    assert grid.leader("g1") == twice


def test_failed_changes_leave_the_grid_as_it_was() -> None:
    before = (VALID.units, dict(VALID.places), VALID.members, VALID.partners)
    for name, (build, error, _, _) in CASES.items():
        if "VALID" in build.__code__.co_names:
            with pytest.raises(error):
                build()
            assert (VALID.units, dict(VALID.places), VALID.members, VALID.partners) == before, name
