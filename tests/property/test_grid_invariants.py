"""Properties of grids of random shape and depth, drawn with gridgov.testing.strategies.

``assert_valid_grid`` recomputes every tree-of-tiers invariant from the units alone (not
from the grid's own indices) and compares the grid's answers with it.  Queries are checked
against networkx's own algorithms on ``grid.graph``, and every change method against an
independent prediction of whether the change is valid.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Callable

import networkx as nx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gridgov import (
    DEFAULT_CATALOGUE,
    CategoryCatalogue,
    GridGraph,
    GridUnit,
    InvalidGridError,
    check_chain,
    to_dict,
)
from gridgov.testing.strategies import catalogues, categories, grids, members, partners, places

GHOST = "ghost-unit"  # never an id the strategies draw


def assert_valid_grid(grid: GridGraph) -> None:
    """Every invariant of a grid, recomputed from its units, places, members and partners."""
    scheme = grid.scheme
    by_id: dict[str, GridUnit] = {}
    for u in grid.units:
        assert u.id not in by_id, f"duplicate unit {u.id!r}"
        by_id[u.id] = u
    level = {uid: scheme.level(u.tier) for uid, u in by_id.items()}  # every tier is known

    # A tree of tiers: roots at the top tier, every parent known and exactly one tier up.
    for u in grid.units:
        if u.parent is None:
            assert level[u.id] == 0, f"{u.id!r} is a root below the top tier"
        else:
            assert u.parent in by_id, f"{u.id!r} has an unknown parent"
            assert level[u.parent] == level[u.id] - 1, f"{u.id!r} is not one tier below its parent"

    assert list(grid.units) == sorted(grid.units, key=lambda u: (level[u.id], u.id))
    assert len(grid) == len(by_id)
    for u in grid.units:
        assert u.id in grid
        assert grid.unit(u.id) == u
        walked = [u]
        while walked[-1].parent is not None:
            walked.append(by_id[walked[-1].parent])
        assert grid.chain(u.id) == tuple(walked)
        assert grid.depth(u.id) == level[u.id] == len(walked) - 1
        assert grid.parent(u.id) == (None if u.parent is None else by_id[u.parent])
        kids = sorted((v for v in grid.units if v.parent == u.id), key=lambda v: v.id)
        assert grid.children(u.id) == tuple(kids)
    for name in scheme.names:
        expected = sorted((u for u in grid.units if u.tier == name), key=lambda u: u.id)
        assert grid.units_of(name) == tuple(expected)
    assert grid.roots == tuple(
        sorted((u for u in grid.units if u.parent is None), key=lambda u: u.id)
    )

    graph = grid.graph
    assert nx.is_frozen(graph)
    assert set(graph.nodes) == set(by_id)
    assert set(graph.edges) == {(u.parent, u.id) for u in grid.units if u.parent is not None}
    assert graph.number_of_edges() == len(by_id) - len(grid.roots)
    assert len(graph) == 0 or nx.is_branching(graph)  # (networkx refuses the empty graph)

    bottom = scheme.bottom.name
    for pid, uid in grid.places.items():
        assert isinstance(pid, str)
        assert pid
        assert by_id[uid].tier == bottom, f"place {pid!r} is not in a bottom-tier unit"
        assert grid.has_place(pid)
        assert grid.place_unit(pid) == by_id[uid]

    member_ids = [m.id for m in grid.members]
    assert member_ids == sorted(set(member_ids))
    leaders: dict[str, str] = {}
    for m in grid.members:
        assert grid.member(m.id) == m
        for post in m.posts:
            assert post.unit in by_id
            if post.role.leads:
                assert leaders.setdefault(post.unit, m.id) == m.id, f"two leaders of {post.unit!r}"
    for uid in by_id:
        found = grid.leader(uid)
        assert (None if found is None else found.id) == leaders.get(uid)
    partner_ids = [p.id for p in grid.partners]
    assert partner_ids == sorted(set(partner_ids))
    for p in grid.partners:
        assert p.units <= by_id.keys()


# --------------------------------------------------------------------------- built grids


@given(grids(min_units=0))
def test_every_drawn_grid_is_valid(grid: GridGraph) -> None:
    assert_valid_grid(grid)


@given(grids())
def test_every_chain_ends_at_a_root_going_up_one_tier_at_a_time(grid: GridGraph) -> None:
    for u in grid.units:
        chain = grid.chain(u.id)
        assert chain[0] == u
        assert chain[-1] in grid.roots
        assert chain[-1].parent is None
        levels = [grid.scheme.level(x.tier) for x in chain]
        assert levels == list(range(levels[0], -1, -1))
        for lower, upper in itertools.pairwise(chain):
            assert lower.parent == upper.id


@given(grids(), st.data())
def test_queries_agree_with_networkx(grid: GridGraph, data: st.DataObject) -> None:
    g = grid.graph
    ids = [u.id for u in grid]
    for uid in ids:
        assert {u.id for u in grid.subtree(uid)} == {uid} | nx.descendants(g, uid)
        chain = [u.id for u in grid.chain(uid)]
        assert set(chain[1:]) == nx.ancestors(g, uid)
        assert nx.shortest_path(g, chain[-1], uid) == chain[::-1]
        subtree = grid.subtree(uid)
        assert len(subtree) == len({u.id for u in subtree})  # no unit twice
        position = {u.id: i for i, u in enumerate(subtree)}
        assert all(position[u.parent] < position[u.id] for u in subtree[1:] if u.parent)
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8))
    for a, b in pairs:
        found = grid.lowest_common_unit(a, b)
        assert (None if found is None else found.id) == nx.lowest_common_ancestor(g, a, b)
        assert grid.is_above(a, b) == (a == b or a in nx.ancestors(g, b))


@given(grids(max_units=12))
def test_lowest_common_unit_agrees_on_every_pair(grid: GridGraph) -> None:
    expected = dict(nx.all_pairs_lowest_common_ancestor(grid.graph))
    for a, b in itertools.product([u.id for u in grid], repeat=2):
        found = grid.lowest_common_unit(a, b)
        want = expected.get((a, b), expected.get((b, a)))
        assert (None if found is None else found.id) == want, (a, b)


@given(grids())
def test_places_members_and_partners_follow_the_tree(grid: GridGraph) -> None:
    g = grid.graph
    for pid, uid in grid.places.items():
        assert grid.place_unit(pid).id == uid
        assert grid.place_chain(pid) == grid.chain(grid.place_unit(pid).id)
    for u in grid.units:
        below = {u.id} | nx.descendants(g, u.id)
        above = {u.id} | nx.ancestors(g, u.id)
        assert grid.places_in(u.id) == tuple(
            sorted(p for p, x in grid.places.items() if x in below)
        )
        assert grid.members_in(u.id) == tuple(m for m in grid.members if m.units & below)
        covering = tuple(p for p in grid.partners if p.units & above)
        assert grid.partners_for(u.id) == covering
        assert grid.partners_covering(u.id) == covering
        for category in ("dispute", "elder_care", "housekeeping"):
            # A partner serving a broad category serves its refinements (housekeeping
            # refines volunteer_service); one serving nothing in particular serves all.
            lineage = set(DEFAULT_CATALOGUE.lineage(category))
            assert grid.partners_for(u.id, category, catalogue=DEFAULT_CATALOGUE) == tuple(
                p for p in covering if not p.categories or p.categories & lineage
            )
    assert sum(len(grid.places_in(r.id)) for r in grid.roots) == len(grid.places)


@given(catalogues(), st.data())
def test_partners_serve_the_refinements_of_a_drawn_catalogue(
    catalogue: CategoryCatalogue, data: st.DataObject
) -> None:
    grid = data.draw(grids(max_units=10, categories=categories(catalogue=catalogue)))
    for u in grid.units:
        covering = grid.partners_covering(u.id)
        for c in catalogue:
            served = grid.partners_for(u.id, c.code, catalogue=catalogue)
            broader = set(catalogue.lineage(c.code))
            assert served == tuple(
                p for p in covering if not p.categories or p.categories & broader
            )
            parent = c.parent
            if parent is not None:  # whoever serves the parent serves the refinement
                assert set(grid.partners_for(u.id, parent, catalogue=catalogue)) <= set(served)


@given(grids())
def test_every_chain_is_a_chain_and_the_index_agrees(grid: GridGraph) -> None:
    for u in grid.units:
        assert check_chain("chain", grid.chain(u.id)) == grid.chain(u.id)
    index = grid.chain_index
    assert set(index) == set(grid.places)
    for pid, chain in index.items():
        assert chain == grid.place_chain(pid)
        assert check_chain("chain", chain) is chain
    with pytest.raises(TypeError):
        index["new"] = ()  # type: ignore[index]


@given(grids())
def test_a_grid_pickles_to_an_equal_grid_with_the_same_answers(grid: GridGraph) -> None:
    back = pickle.loads(pickle.dumps(grid))
    assert back == grid
    assert back.places == grid.places
    assert back.chain_index == grid.chain_index
    for u in grid.units:
        assert back.chain(u.id) == grid.chain(u.id)
        assert back.partners_covering(u.id) == grid.partners_covering(u.id)
        assert back.leader(u.id) == grid.leader(u.id)


@given(grids(), st.data())
def test_to_networkx_is_a_mutable_copy(grid: GridGraph, data: st.DataObject) -> None:
    copy = grid.to_networkx()
    assert nx.utils.graphs_equal(copy, grid.to_networkx())
    assert set(copy.edges) == set(grid.graph.edges)
    for u in grid.units:
        assert copy.nodes[u.id]["tier"] == u.tier
        assert copy.nodes[u.id]["places"] == sum(1 for x in grid.places.values() if x == u.id)
    uid = data.draw(st.sampled_from([u.id for u in grid]))
    copy.remove_node(uid)
    assert uid in grid.graph


MUTATIONS: dict[str, Callable[[nx.DiGraph[str], str], object]] = {
    "add_node": lambda g, uid: g.add_node("intruder"),
    "remove_node": lambda g, uid: g.remove_node(uid),
    "add_edge": lambda g, uid: g.add_edge(uid, "intruder"),
    "add_edges_from": lambda g, uid: g.add_edges_from([(uid, uid)]),
    "remove_edge": lambda g, uid: g.remove_edge(*next(iter(g.edges), (uid, uid))),
    "clear": lambda g, uid: g.clear(),
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
@given(grid=grids(), data=st.data())
def test_graph_view_refuses_mutation(
    mutate: Callable[[nx.DiGraph[str], str], object], grid: GridGraph, data: st.DataObject
) -> None:
    uid = data.draw(st.sampled_from([u.id for u in grid]))
    nodes, edges = set(grid.graph.nodes), set(grid.graph.edges)
    with pytest.raises(nx.NetworkXError):
        mutate(grid.graph, uid)
    assert set(grid.graph.nodes) == nodes
    assert set(grid.graph.edges) == edges
    assert_valid_grid(grid)


# --------------------------------------------------------------------------- changes


def check_change(
    grid: GridGraph, change: Callable[[GridGraph], GridGraph], valid: bool
) -> GridGraph | None:
    """Apply *change*: it must give a valid new grid iff *valid*, else raise InvalidGridError;
    either way *grid* must be exactly as before."""
    before = to_dict(grid)
    try:
        new = change(grid)
    except InvalidGridError:
        assert not valid, "a valid change was refused"
        result = None
    else:
        assert valid, "an invalid change was accepted"
        assert new is not grid
        assert new.version == "v2"
        assert_valid_grid(new)
        result = new
    assert to_dict(grid) == before
    assert grid.version == "v1"
    assert_valid_grid(grid)
    return result


def _ids_or(grid: GridGraph, *extra: str | None) -> st.SearchStrategy[str | None]:
    return st.sampled_from([*(u.id for u in grid), *extra])


@given(grids(), st.data())
def test_add_unit(grid: GridGraph, data: st.DataObject) -> None:
    scheme = grid.scheme
    uid = data.draw(st.sampled_from(["new-unit", *(u.id for u in grid)]))
    tier = data.draw(st.sampled_from([*scheme.names, "no_such_tier"]))
    parent = data.draw(_ids_or(grid, None, GHOST, uid))
    unit = GridUnit(id=uid, name="新", tier=tier, parent=parent)
    valid = (
        uid not in grid
        and tier in scheme
        and (
            (parent is None and scheme.level(tier) == 0)
            or (
                parent is not None
                and parent in grid
                and scheme.level(grid.unit(parent).tier) == scheme.level(tier) - 1
            )
        )
    )
    new = check_change(grid, lambda g: g.add_unit(unit, version="v2"), valid)
    if new is not None:
        assert new.unit(uid) == unit
        assert set(new.units) == {*grid.units, unit}
        assert new.places == grid.places


@given(grids(), st.data())
def test_move_unit(grid: GridGraph, data: st.DataObject) -> None:
    uid = data.draw(st.sampled_from([u.id for u in grid]))
    new_parent = data.draw(_ids_or(grid, GHOST))
    assert new_parent is not None
    below = {u.id for u in grid.subtree(uid)}
    valid = (
        new_parent in grid
        and new_parent not in below
        and grid.depth(new_parent) == grid.depth(uid) - 1
    )
    new = check_change(grid, lambda g: g.move_unit(uid, new_parent, version="v2"), valid)
    if new is not None:
        assert new.chain(uid)[1:] == new.chain(new_parent)
        assert {u.id for u in new.subtree(uid)} == below
        assert dict(new.places) == dict(grid.places)
        assert [u for u in new.units if u.id != uid] == [u for u in grid.units if u.id != uid]


@given(grids(), st.data())
def test_remove_unit(grid: GridGraph, data: st.DataObject) -> None:
    uid = data.draw(st.sampled_from([u.id for u in grid]))
    valid = (
        not grid.children(uid)
        and uid not in grid.places.values()
        and not any(uid in m.units for m in grid.members)
        and not any(uid in p.units for p in grid.partners)
    )
    new = check_change(grid, lambda g: g.remove_unit(uid, version="v2"), valid)
    if new is not None:
        assert uid not in new
        assert set(new.units) == set(grid.units) - {grid.unit(uid)}


@given(grids(), st.data())
def test_assign_place(grid: GridGraph, data: st.DataObject) -> None:
    pid = data.draw(st.sampled_from(["new-place", *grid.places]))
    uid = data.draw(_ids_or(grid, GHOST))
    assert uid is not None
    valid = uid in grid and grid.unit(uid).tier == grid.scheme.bottom.name
    new = check_change(grid, lambda g: g.assign_place(pid, uid, version="v2"), valid)
    if new is not None:
        assert new.place_unit(pid).id == uid
        assert new.place_chain(pid) == new.chain(uid)
        assert dict(new.places) == {**grid.places, pid: uid}
        assert new.units == grid.units


@given(grids(), st.data())
def test_remove_place(grid: GridGraph, data: st.DataObject) -> None:
    assume(grid.places)
    pid = data.draw(st.sampled_from(sorted(grid.places)))
    new = check_change(grid, lambda g: g.remove_place(pid, version="v2"), valid=True)
    assert new is not None
    assert not new.has_place(pid)
    assert dict(new.places) == {p: u for p, u in grid.places.items() if p != pid}


@given(grids(), st.data())
def test_drawn_places_members_and_partners_can_join(grid: GridGraph, data: st.DataObject) -> None:
    if grid.units_of(grid.scheme.bottom.name):
        place = data.draw(places(grid))
        new = check_change(grid, lambda g: g.with_places([place], version="v2"), valid=True)
        assert new is not None
        assert new.place_unit(place.id).id == place.unit
    member = data.draw(members(grid))
    partner = data.draw(partners(grid))
    new = check_change(
        grid,
        lambda g: g.with_team(
            version="v2", members=[*g.members, member], partners=[*g.partners, partner]
        ),
        valid=True,
    )
    assert new is not None
    assert new.member(member.id) == member
    assert partner in new.partners
