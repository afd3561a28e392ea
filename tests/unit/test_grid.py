"""gridgov.grid: every query of a small hand-built grid, and the change methods."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import attrs
import networkx as nx
import pytest

from gridgov import (
    DEFAULT_CATALOGUE,
    FOUR_TIER,
    Category,
    GridGovError,
    GridGraph,
    GridUnit,
    InvalidGridError,
    InvalidValueError,
    Member,
    Partner,
    PartnerKind,
    Place,
    PlaceKind,
    PolicyError,
    Post,
    Role,
    UnknownPlaceError,
    UnknownUnitError,
    check_chain,
    from_dict,
    to_dict,
)
from gridgov.demo import HOUSEHOLDS, sample_grid
from gridgov.errors import UnknownMemberError

# c1                       c2
# ├── g1                   └── g3
# │   ├── m11  (h1, h2)
# │   └── m12  (h3)
# └── g2
#     └── m21


def _unit(uid: str, tier: str, parent: str | None = None) -> GridUnit:
    return GridUnit(id=uid, name=uid.upper(), tier=tier, parent=parent)


UNITS = [
    _unit("m21", "micro_grid", "g2"),
    _unit("c1", "community"),
    _unit("g3", "grid", "c2"),
    _unit("m12", "micro_grid", "g1"),
    _unit("g1", "grid", "c1"),
    _unit("c2", "community"),
    _unit("m11", "micro_grid", "g1"),
    _unit("g2", "grid", "c1"),
]
MEMBERS = [
    Member(id="sec", name="高书记", posts=[Post(role=Role.SECRETARY, unit="c1")]),
    Member(
        id="ml11",
        name="李燕明",
        posts=[
            Post(role=Role.MICRO_GRID_LEADER, unit="m11"),
            Post(role=Role.VOLUNTEER, unit="m12"),
        ],
    ),
    Member(id="gl1", name="彭雪丽", posts=[Post(role=Role.GRID_LEADER, unit="g1")]),
    Member(id="w2", name="网格员", posts=[Post(role=Role.GRID_WORKER, unit="g2")]),
]
PARTNERS = [
    Partner(
        id="wuye",
        name="物业",
        kind=PartnerKind.PROPERTY_MANAGEMENT,
        categories={"facility_repair"},
        units={"g1"},
    ),
    Partner(id="police", name="派出所", kind=PartnerKind.POLICE_STATION, units={"c1", "c2"}),
]
PLACES = {"h1": "m11", "h2": "m11", "h3": "m12"}


@pytest.fixture
def grid() -> GridGraph:
    return GridGraph(version="v1", units=UNITS, places=PLACES, members=MEMBERS, partners=PARTNERS)


def _ids(units: tuple[GridUnit, ...]) -> list[str]:
    return [u.id for u in units]


# --------------------------------------------------------------------------- construction


def test_units_sorted_by_tier_then_id(grid: GridGraph) -> None:
    assert _ids(grid.units) == ["c1", "c2", "g1", "g2", "g3", "m11", "m12", "m21"]
    assert [m.id for m in grid.members] == ["gl1", "ml11", "sec", "w2"]
    assert [p.id for p in grid.partners] == ["police", "wuye"]


def test_order_of_input_does_not_matter(grid: GridGraph) -> None:
    again = GridGraph(
        version="v1",
        units=reversed(UNITS),
        places=dict(reversed(PLACES.items())),
        members=reversed(MEMBERS),
        partners=reversed(PARTNERS),
    )
    assert again == grid
    assert hash(again) == hash(grid)


def test_equality_sees_every_field(grid: GridGraph) -> None:
    assert grid != attrs.evolve(grid, version="v2")
    assert grid != attrs.evolve(grid, places={"h1": "m11"})
    assert grid != attrs.evolve(grid, members=MEMBERS[:2])
    assert grid != attrs.evolve(grid, partners=PARTNERS[:1])
    assert grid != attrs.evolve(grid, units=[*UNITS, _unit("g4", "grid", "c2")])


def test_places_as_place_values(grid: GridGraph) -> None:
    places = [Place(id=p, unit=u, kind=PlaceKind.BUILDING) for p, u in PLACES.items()]
    same = attrs.evolve(grid, places=places)
    assert same == grid
    assert dict(same.places) == PLACES


def test_place_index_is_a_read_only_mapping(grid: GridGraph) -> None:
    assert len(grid.places) == 3
    assert grid.places["h3"] == "m12"
    assert set(grid.places) == {"h1", "h2", "h3"}
    assert grid.places == PLACES
    assert dict(grid.places.items()) == PLACES
    assert sorted(grid.places.values()) == ["m11", "m11", "m12"]
    assert "h1" in grid.places
    assert "3 places" in repr(grid.places)
    with pytest.raises(TypeError):
        grid.places["h4"] = "m11"  # type: ignore[index]


def test_input_mapping_is_copied() -> None:
    source = dict(PLACES)
    grid = GridGraph(version="v1", units=UNITS, places=source)
    source["h9"] = "m21"
    assert not grid.has_place("h9")


def test_repr_len_iter_contains(grid: GridGraph) -> None:
    assert repr(grid) == (
        "GridGraph(version='v1', scheme='three_tier', units=8, places=3, members=4, partners=2)"
    )
    assert len(grid) == 8
    assert [u.id for u in grid] == _ids(grid.units)
    assert "g1" in grid
    assert "h1" not in grid


def test_empty_grid() -> None:
    grid = GridGraph(version="empty")
    assert len(grid) == 0
    assert grid.roots == ()
    assert grid.units_of("grid") == ()
    assert grid.graph.number_of_nodes() == 0


def test_other_scheme() -> None:
    grid = GridGraph(
        version="v",
        scheme=FOUR_TIER,
        units=[
            _unit("s", "subdistrict"),
            _unit("c", "community", "s"),
            _unit("g", "grid", "c"),
            _unit("m", "micro_grid", "g"),
        ],
        places={"h": "m"},
    )
    assert _ids(grid.place_chain("h")) == ["m", "g", "c", "s"]
    assert grid.depth("m") == 3


# --------------------------------------------------------------------------- unit queries


def test_unit(grid: GridGraph) -> None:
    assert grid.unit("g1") == _unit("g1", "grid", "c1")
    with pytest.raises(UnknownUnitError, match="unit 'nope' is not in grid version 'v1'"):
        grid.unit("nope")
    with pytest.raises(KeyError):
        grid.unit(["g1"])  # type: ignore[arg-type]


def test_parent(grid: GridGraph) -> None:
    parent = grid.parent("m12")
    assert parent is not None
    assert parent.id == "g1"
    assert grid.parent("c1") is None
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.parent("nope")


def test_children(grid: GridGraph) -> None:
    assert _ids(grid.children("g1")) == ["m11", "m12"]
    assert _ids(grid.children("c1")) == ["g1", "g2"]
    assert grid.children("m11") == ()
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.children("nope")


def test_chain(grid: GridGraph) -> None:
    assert _ids(grid.chain("m12")) == ["m12", "g1", "c1"]
    assert _ids(grid.chain("g3")) == ["g3", "c2"]
    assert _ids(grid.chain("c2")) == ["c2"]
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.chain("nope")
    with pytest.raises(UnknownUnitError):
        grid.chain({})  # type: ignore[arg-type]


def test_subtree(grid: GridGraph) -> None:
    assert _ids(grid.subtree("c1")) == ["c1", "g1", "g2", "m11", "m12", "m21"]
    assert _ids(grid.subtree("g1")) == ["g1", "m11", "m12"]
    assert _ids(grid.subtree("m21")) == ["m21"]
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.subtree("nope")


def test_units_of(grid: GridGraph) -> None:
    assert _ids(grid.units_of("community")) == ["c1", "c2"]
    assert _ids(grid.units_of("grid")) == ["g1", "g2", "g3"]
    assert _ids(grid.units_of("micro_grid")) == ["m11", "m12", "m21"]
    with pytest.raises(PolicyError, match="'street'"):
        grid.units_of("street")


def test_roots(grid: GridGraph) -> None:
    assert _ids(grid.roots) == ["c1", "c2"]


def test_depth(grid: GridGraph) -> None:
    assert [grid.depth(u) for u in ("c1", "g3", "m21")] == [0, 1, 2]
    with pytest.raises(UnknownUnitError):
        grid.depth("nope")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("m11", "m12", "g1"),
        ("m11", "m21", "c1"),
        ("m11", "g1", "g1"),
        ("g1", "m11", "g1"),
        ("m11", "m11", "m11"),
        ("c1", "c1", "c1"),
        ("m11", "g3", None),
        ("c1", "c2", None),
    ],
)
def test_lowest_common_unit(grid: GridGraph, a: str, b: str, expected: str | None) -> None:
    found = grid.lowest_common_unit(a, b)
    assert (None if found is None else found.id) == expected


def test_lowest_common_unit_unknown(grid: GridGraph) -> None:
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.lowest_common_unit("m11", "nope")
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.lowest_common_unit("nope", "m11")


@pytest.mark.parametrize(
    ("upper", "lower", "expected"),
    [
        ("c1", "m11", True),
        ("g1", "m12", True),
        ("m11", "m11", True),
        ("m11", "g1", False),
        ("g2", "m11", False),
        ("c2", "m11", False),
    ],
)
def test_is_above(grid: GridGraph, upper: str, lower: str, expected: bool) -> None:
    assert grid.is_above(upper, lower) is expected


@pytest.mark.parametrize(("upper", "lower"), [("nope", "m11"), ("c1", "nope")])
def test_is_above_unknown(grid: GridGraph, upper: str, lower: str) -> None:
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.is_above(upper, lower)


def test_graph_view(grid: GridGraph) -> None:
    g = grid.graph
    assert nx.is_frozen(g)
    assert set(g.nodes) == {u.id for u in UNITS}
    assert set(g.edges) == {(u.parent, u.id) for u in UNITS if u.parent is not None}
    assert nx.is_branching(g)
    mutations: list[Callable[[], object]] = [
        lambda: g.add_node("x"),
        lambda: g.remove_node("c1"),
        lambda: g.add_edge("c2", "g1"),
        lambda: g.remove_edge("c1", "g1"),
    ]
    for mutate in mutations:
        with pytest.raises(nx.NetworkXError):
            mutate()
    assert set(g.nodes) == {u.id for u in UNITS}
    assert g.number_of_edges() == 6
    # A new copy each time, so what freezing does not stop cannot reach the grid either.
    assert grid.graph is not g
    nx.DiGraph.add_edge(g, "c2", "g1")
    assert ("c2", "g1") not in grid.graph.edges


def test_to_networkx(grid: GridGraph) -> None:
    g = grid.to_networkx()
    assert not nx.is_frozen(g)
    assert set(g.edges) == set(grid.graph.edges)
    assert g.nodes["m11"] == {"name": "M11", "tier": "micro_grid", "places": 2}
    assert g.nodes["m12"]["places"] == 1
    assert g.nodes["c1"]["places"] == 0
    g.add_node("extra")
    g.remove_node("c2")
    assert "extra" not in grid.graph
    assert "c2" in grid.graph
    assert grid.to_networkx() is not grid.to_networkx()


# --------------------------------------------------------------------------- places


def test_place_unit(grid: GridGraph) -> None:
    assert grid.place_unit("h2").id == "m11"
    with pytest.raises(UnknownPlaceError, match="place 'nope' is not in grid version 'v1'"):
        grid.place_unit("nope")
    with pytest.raises(KeyError):
        grid.place_unit("m11")  # a unit is not a place


def test_place_chain(grid: GridGraph) -> None:
    assert _ids(grid.place_chain("h3")) == ["m12", "g1", "c1"]
    assert grid.place_chain("h1") == grid.chain("m11")
    with pytest.raises(UnknownPlaceError, match="'nope'"):
        grid.place_chain("nope")


def test_has_place(grid: GridGraph) -> None:
    assert grid.has_place("h1")
    assert not grid.has_place("m11")
    assert not grid.has_place("nope")


def test_places_in(grid: GridGraph) -> None:
    assert grid.places_in("c1") == ("h1", "h2", "h3")
    assert grid.places_in("g1") == ("h1", "h2", "h3")
    assert grid.places_in("m12") == ("h3",)
    assert grid.places_in("g2") == ()
    assert grid.places_in("c2") == ()
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.places_in("nope")


# --------------------------------------------------------------------------- team


def test_leader(grid: GridGraph) -> None:
    assert grid.leader("c1") == MEMBERS[0]
    assert grid.leader("m11") == MEMBERS[1]
    assert grid.leader("g1") == MEMBERS[2]
    assert grid.leader("g2") is None  # a grid worker does not lead
    assert grid.leader("m12") is None  # nor does a volunteer
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.leader("nope")


def test_members_in(grid: GridGraph) -> None:
    assert [m.id for m in grid.members_in("c1")] == ["gl1", "ml11", "sec", "w2"]
    assert [m.id for m in grid.members_in("g1")] == ["gl1", "ml11"]
    assert [m.id for m in grid.members_in("m12")] == ["ml11"]
    assert grid.members_in("c2") == ()
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.members_in("nope")


def test_member(grid: GridGraph) -> None:
    assert grid.member("w2").name == "网格员"
    with pytest.raises(UnknownMemberError, match="member 'nope' is not in grid version 'v1'"):
        grid.member("nope")


def test_partners_for(grid: GridGraph) -> None:
    assert [p.id for p in grid.partners_for("m11")] == ["police", "wuye"]
    cat = DEFAULT_CATALOGUE
    assert [p.id for p in grid.partners_for("m11", "facility_repair", catalogue=cat)] == [
        "police",
        "wuye",
    ]
    assert [p.id for p in grid.partners_for("m11", "dispute", catalogue=cat)] == ["police"]
    assert grid.partners_covering("m11") == grid.partners_for("m11")
    with pytest.raises(PolicyError, match="'catalogue' must be given with a 'category'"):
        grid.partners_for("m11", "dispute")
    assert [p.id for p in grid.partners_for("m21")] == ["police"]
    assert [p.id for p in grid.partners_for("g3")] == ["police"]
    assert [p.id for p in grid.partners_for("c1")] == ["police"]  # wuye covers g1 only
    with pytest.raises(UnknownUnitError, match="'nope'"):
        grid.partners_for("nope")


def test_partners_for_lists_a_partner_covering_several_units_above_once(grid: GridGraph) -> None:
    both = Partner(id="club", name="志愿队", kind=PartnerKind.VOLUNTEER_TEAM, units={"m11", "g1"})
    wider = grid.with_team(version="v2", partners=[*grid.partners, both])
    assert [p.id for p in wider.partners_for("m11")] == ["club", "police", "wuye"]
    assert [p.id for p in wider.partners_for("m12")] == ["club", "police", "wuye"]
    assert [p.id for p in wider.partners_for("c1")] == ["police"]


# --------------------------------------------------------------------------- changes


def _snapshot(grid: GridGraph) -> dict[str, Any]:
    return {
        "dict": to_dict(grid),
        "value": from_dict(to_dict(grid)),
        "chains": {u.id: _ids(grid.chain(u.id)) for u in grid},
        "children": {u.id: _ids(grid.children(u.id)) for u in grid},
        "places": dict(grid.places),
        "edges": sorted(grid.graph.edges),
        "leaders": {u.id: grid.leader(u.id) for u in grid},
    }


CHANGES: dict[str, Callable[[GridGraph], GridGraph]] = {
    "add_unit": lambda g: g.add_unit(_unit("m22", "micro_grid", "g2"), version="v2"),
    "remove_unit": lambda g: g.remove_unit("m21", version="v2"),
    "move_unit": lambda g: g.move_unit("g2", "c2", version="v2"),
    "assign_place": lambda g: g.assign_place("h4", "m21", version="v2"),
    "reassign_place": lambda g: g.assign_place("h1", "m12", version="v2"),
    "remove_place": lambda g: g.remove_place("h3", version="v2"),
    "with_places": lambda g: g.with_places({"h9": "m21"}, version="v2"),
    "with_team": lambda g: g.with_team(version="v2", members=[], partners=[]),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_change_returns_new_grid_and_keeps_the_old(
    grid: GridGraph, change: Callable[[GridGraph], GridGraph]
) -> None:
    before = _snapshot(grid)
    new = change(grid)
    assert new is not grid
    assert new.version == "v2"
    assert grid.version == "v1"
    assert new != grid
    assert _snapshot(grid) == before
    assert grid == before["value"]


def test_add_unit(grid: GridGraph) -> None:
    new = grid.add_unit(_unit("m22", "micro_grid", "g2"), version="v2")
    assert _ids(new.children("g2")) == ["m21", "m22"]
    assert _ids(new.chain("m22")) == ["m22", "g2", "c1"]
    assert ("g2", "m22") in new.graph.edges
    assert "m22" not in grid
    assert new.places == grid.places
    assert new.members == grid.members


def test_add_root(grid: GridGraph) -> None:
    new = grid.add_unit(_unit("c3", "community"), version="v2")
    assert _ids(new.roots) == ["c1", "c2", "c3"]


def test_remove_unit(grid: GridGraph) -> None:
    new = grid.remove_unit("m21", version="v2")
    assert "m21" not in new
    assert new.children("g2") == ()
    assert "m21" not in new.graph
    with pytest.raises(InvalidGridError, match=r"'w2'.*'g2'"):  # w2 is still posted at g2
        new.remove_unit("g2", version="v3")
    without_w2 = new.with_team(version="v3", members=[m for m in new.members if m.id != "w2"])
    assert _ids(without_w2.remove_unit("g2", version="v4").children("c1")) == ["g1"]


def test_move_unit_moves_the_subtree(grid: GridGraph) -> None:
    new = grid.move_unit("g1", "c2", version="v2")
    assert _ids(new.chain("m11")) == ["m11", "g1", "c2"]
    assert _ids(new.place_chain("h3")) == ["m12", "g1", "c2"]
    assert new.places_in("c2") == ("h1", "h2", "h3")
    assert new.places_in("c1") == ()
    assert [p.id for p in new.partners_for("m11")] == ["police", "wuye"]
    assert _ids(grid.chain("m11")) == ["m11", "g1", "c1"]


def test_move_micro_grid_keeps_its_places(grid: GridGraph) -> None:
    new = grid.move_unit("m11", "g3", version="v2")
    assert _ids(new.place_chain("h1")) == ["m11", "g3", "c2"]
    assert new.places == grid.places


def test_assign_and_remove_place(grid: GridGraph) -> None:
    new = grid.assign_place("h4", "m21", version="v2")
    assert new.place_unit("h4").id == "m21"
    assert not grid.has_place("h4")
    moved = grid.assign_place("h1", "m12", version="v2")
    assert moved.place_unit("h1").id == "m12"
    assert grid.place_unit("h1").id == "m11"
    gone = grid.remove_place("h1", version="v2")
    assert not gone.has_place("h1")
    assert gone.places_in("m11") == ("h2",)
    with pytest.raises(UnknownPlaceError, match="'nope'"):
        grid.remove_place("nope", version="v2")


def test_with_places_merges(grid: GridGraph) -> None:
    new = grid.with_places([Place(id="h9", unit="m21"), Place(id="h1", unit="m12")], version="v2")
    assert dict(new.places) == {"h1": "m12", "h2": "m11", "h3": "m12", "h9": "m21"}


def test_with_team(grid: GridGraph) -> None:
    extra = Member(id="w3", name="新网格员", posts=[Post(role=Role.GRID_WORKER, unit="g3")])
    new = grid.with_team(version="v2", members=[*grid.members, extra])
    assert [m.id for m in new.members_in("c2")] == ["w3"]
    assert new.partners == grid.partners
    only_partners = grid.with_team(version="v2", partners=PARTNERS[:1])
    assert only_partners.members == grid.members
    assert [p.id for p in only_partners.partners] == ["wuye"]


@pytest.mark.parametrize(
    "change",
    [
        lambda g: g.remove_unit("nope", version="v2"),
        lambda g: g.move_unit("nope", "c1", version="v2"),
    ],
)
def test_change_of_unknown_unit(grid: GridGraph, change: Callable[[GridGraph], Any]) -> None:
    with pytest.raises(UnknownUnitError, match="'nope'"):
        change(grid)


# --------------------------------------------------------------------------- the sample


def test_sample_grid() -> None:
    grid = sample_grid()
    assert len(grid.places) == HOUSEHOLDS
    assert len(grid.units_of("micro_grid")) == 24
    assert sum(len(grid.places_in(u.id)) for u in grid.units_of("grid")) == HOUSEHOLDS
    assert grid.leader("g3") is not None
    assert grid == sample_grid()
    assert grid.version == "2026-11"
    assert sample_grid("x").version == "x"


def test_wrong_types_raise_gridgov_errors_not_type_errors() -> None:
    from gridgov import GridGovError

    with pytest.raises(GridGovError, match="'scheme' of GridGraph must be a TierScheme"):
        GridGraph(version="v", scheme="three_tier")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- chains


def test_check_chain_accepts_a_unit_and_everything_above_it(grid: GridGraph) -> None:
    chain = grid.chain("m11")
    assert check_chain("chain", chain) is chain
    assert check_chain("chain", list(chain)) == chain
    assert check_chain("chain", grid.chain("c2")) == grid.chain("c2")  # a root alone
    assert check_chain("chain", grid.place_chain("h3")) == grid.chain("m12")


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ((), "'chain' must hold at least one unit (got none)."),
        ("m11", "'chain' must be a collection such as a list"),
        ({"m11": 1}, "'chain' must be a collection such as a list"),
        (("m11", "g1", "c1"), "'chain' must be a chain of GridUnit values (got 'm11')."),
        (
            (_unit("m11", "micro_grid", "g1"), _unit("c1", "community")),
            (
                "'chain' must run from a unit up to its root, each unit's parent next (got "
                "'c1' after 'm11', whose parent is 'g1')."
            ),
        ),
        (
            (_unit("m11", "micro_grid", "g1"), _unit("g1", "grid", "c1")),
            "'chain' must end at a root unit (got 'g1', whose parent is 'c1').",
        ),
        (
            tuple(_unit(f"u{i}", "t", None if i == 20 else f"u{i + 1}") for i in range(21)),
            "'chain' must hold at most",
        ),
    ],
)
def test_check_chain_refuses_what_is_not_a_chain(chain: object, message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        check_chain("chain", chain)
    assert str(info.value).startswith(message)


def test_check_chain_names_the_field_of_its_owner() -> None:
    with pytest.raises(InvalidValueError, match=r"^'chain' of Assignment must hold at least one"):
        check_chain("chain", [], "Assignment")


def test_chain_index_is_the_place_index_read_only(grid: GridGraph) -> None:
    index = grid.chain_index
    assert set(index) == set(PLACES)
    assert index["h1"] is grid.place_chain("h1")
    assert index["h3"] == grid.chain("m12")
    with pytest.raises(TypeError):
        index["h9"] = grid.chain("m21")  # type: ignore[index]
    assert "h9" not in grid.chain_index
    moved = grid.assign_place("h1", "m12", version="v2")
    assert grid.chain_index["h1"][0].id == "m11"  # the old grid keeps its index
    assert moved.chain_index["h1"][0].id == "m12"


# --------------------------------------------------------------------------- partners


def test_partners_covering_is_precomputed_and_sorted(grid: GridGraph) -> None:
    assert [p.id for p in grid.partners_covering("m11")] == ["police", "wuye"]
    assert [p.id for p in grid.partners_covering("g2")] == ["police"]
    assert grid.partners_covering("m11") is grid.partners_covering("m11")
    assert grid.partners_covering("m21") is grid.partners_covering("g2")  # shared, not copied
    for bad in ("nope", None, ["m11"]):
        with pytest.raises(UnknownUnitError, match="is not in grid version 'v1'"):
            grid.partners_covering(bad)  # type: ignore[arg-type]


def test_a_partner_serving_a_broad_category_serves_its_refinements(grid: GridGraph) -> None:
    street = DEFAULT_CATALOGUE.with_categories(
        [
            Category(code="lift_repair", label="lift repair", zh="电梯维修",
                     parent="facility_repair"),
            Category(code="lift_stuck", label="stuck lift", zh="电梯困人", parent="lift_repair"),
        ],
        name="street",
    )
    for code in ("facility_repair", "lift_repair", "lift_stuck"):
        assert [p.id for p in grid.partners_for("m11", code, catalogue=street)] == [
            "police",
            "wuye",
        ]
    narrow = Partner(id="lifts", name="电梯维保", kind=PartnerKind.ENTERPRISE,
                     categories={"lift_repair"}, units={"c1"})
    with_lifts = grid.with_team(version="v2", partners=[*grid.partners, narrow])
    assert [p.id for p in with_lifts.partners_for("m11", "lift_stuck", catalogue=street)] == [
        "lifts", "police", "wuye"
    ]
    # ... but not the broader category it refines
    assert [p.id for p in with_lifts.partners_for("m11", "facility_repair", catalogue=street)] == [
        "police", "wuye"
    ]
    with pytest.raises(PolicyError, match="'category' must be a code of catalogue 'default'"):
        grid.partners_for("m11", "lift_repair", catalogue=DEFAULT_CATALOGUE)


# --------------------------------------------------------------------------- members


def test_an_unknown_member_is_an_unknown_member_error(grid: GridGraph) -> None:
    for bad in ("nope", None, ["sec"]):
        with pytest.raises(UnknownMemberError) as info:
            grid.member(bad)  # type: ignore[arg-type]
        assert isinstance(info.value, KeyError)
        assert isinstance(info.value, GridGovError)


# --------------------------------------------------------------------------- pickling


def test_a_grid_pickles_to_an_equal_grid_whose_indices_work(grid: GridGraph) -> None:
    back = pickle.loads(pickle.dumps(grid))
    assert back == grid
    assert back is not grid
    assert dict(back.places) == PLACES
    assert _ids(back.place_chain("h1")) == ["m11", "g1", "c1"]
    assert back.chain_index == grid.chain_index
    assert back.leader("m11") == grid.leader("m11")
    assert back.partners_covering("m11") == grid.partners_covering("m11")
    assert back.member("sec") == grid.member("sec")
    assert back.assign_place("h4", "m21", version="v2").place_unit("h4").id == "m21"


def test_the_sample_grid_pickles_small_and_whole() -> None:
    grid = sample_grid()
    data = pickle.dumps(grid)
    back = pickle.loads(data)
    assert back == grid
    assert len(back.places) == HOUSEHOLDS
    # The indices are rebuilt, not copied: the pickle holds the places once.
    assert len(data) < 200 * HOUSEHOLDS


def test_a_grid_pickles_as_its_constructors_arguments() -> None:
    """What a grid derives at construction (its indices) is rebuilt, not copied: a pickle
    holds only the grid's fields, and unpickling goes through the validating constructor."""
    grid = GridGraph(version="v", units=UNITS, places=PLACES, members=MEMBERS, partners=PARTNERS)
    data = pickle.dumps(grid)
    for index in (b"_place_chain", b"_covering", b"_children", b"_tiers"):
        assert index not in data


# --------------------------------------------------------------------------- Chinese labels


def test_a_catalogue_finds_categories_by_their_chinese_label() -> None:
    assert DEFAULT_CATALOGUE.from_zh("设施维修").code == "facility_repair"
    assert DEFAULT_CATALOGUE.from_zh(" 家政 ").code == "housekeeping"
    for c in DEFAULT_CATALOGUE:
        assert DEFAULT_CATALOGUE.from_zh(c.zh) is c


@pytest.mark.parametrize("bad", ["天气", "", "facility_repair", None, 3])
def test_an_unknown_chinese_label_is_refused(bad: object) -> None:
    with pytest.raises(PolicyError) as info:
        DEFAULT_CATALOGUE.from_zh(bad)  # type: ignore[arg-type]
    assert str(info.value).startswith(
        "'label' must be the Chinese label of a category of catalogue 'default' (got "
    )


def test_a_label_two_categories_share_is_refused_naming_both() -> None:
    twice = DEFAULT_CATALOGUE.with_categories(
        [Category(code="repairs", label="repairs", zh="设施维修")], name="twice"
    )
    with pytest.raises(PolicyError) as info:
        twice.from_zh("设施维修")
    assert str(info.value) == (
        "'label' '设施维修' names 2 categories of catalogue 'twice' (facility_repair, repairs); "
        "look them up by code."
    )
    assert twice["repairs"].zh == "设施维修"  # codes still find each


def test_place_kinds_are_found_by_their_chinese_label() -> None:
    assert PlaceKind.from_zh("户") is PlaceKind.HOUSEHOLD
    assert [PlaceKind.from_zh(k.zh) for k in PlaceKind] == list(PlaceKind)
