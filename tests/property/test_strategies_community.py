"""The testing kit's community strategies draw what their docstrings promise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gridgov import GridGraph
from gridgov.community import (
    DEFAULT_SKILLS,
    Deliberation,
    FundingKind,
    TalentKind,
    agenda_items,
    replay_deliberation,
)
from gridgov.demo import sample_grid
from gridgov.testing.strategies import (
    activities,
    contributions,
    deliberations,
    grids,
    match_policies,
    needs,
    participations,
    talent_libraries,
    wishes,
)

GRIDS = grids(min_units=1, max_units=6, max_places=4, max_members=3, max_partners=2)


@settings(max_examples=30)
@given(st.data())
def test_libraries_and_needs_live_in_the_grid(data: st.DataObject) -> None:
    grid = data.draw(GRIDS)
    units = {u.id for u in grid}
    lib = data.draw(talent_libraries(grid))
    for t in lib.talents:
        assert t.home in units and t.willingness.units <= units
        assert t.skills <= set(DEFAULT_SKILLS.codes)
        assert (t.partner in {p.id for p in grid.partners}) is (t.kind is TalentKind.PARTNER_STAFF)
        if t.kind is TalentKind.MEMBER:
            assert t.id in {m.id for m in grid.members}
    assert all(p.unit in units for p in lib.posts)
    need = data.draw(needs(grid))
    assert need.unit in units and 1 <= need.hours <= 3 and 1 <= need.people <= 2
    policy = data.draw(match_policies())
    assert policy.unmatched > policy.proximity[-1]


@settings(max_examples=30)
@given(st.data())
def test_wishes_group_into_an_agenda_a_meeting_replays(data: st.DataObject) -> None:
    grid = data.draw(GRIDS.filter(lambda g: bool(g.places)))
    heard = data.draw(st.lists(wishes(grid, residents=["r-1", "r-2"]), unique_by=lambda w: w.id))
    assert all(w.place in grid.places and w.resident in ("r-1", "r-2") for w in heard)
    items = agenda_items(heard, grid)
    meeting = data.draw(deliberations(agenda=items))
    assert isinstance(meeting, Deliberation) and meeting.agenda == items
    assert replay_deliberation(meeting.events) == meeting
    if meeting.closed:  # a meeting closes only once every item is decided
        assert {d.item for d in meeting.decisions} == {i.id for i in items}


@settings(max_examples=30)
@given(st.data())
def test_participations_are_of_the_activities_in_order(data: st.DataObject) -> None:
    grid = data.draw(GRIDS)
    acts = data.draw(st.lists(activities(grid), min_size=1, max_size=3, unique_by=lambda a: a.id))
    assert all(a.unit in {u.id for u in grid} for a in acts)
    came = data.draw(participations(acts, ["r-1", "r-2"]))
    assert [p.id for p in came] == [f"p{i}" for i in range(len(came))]
    assert all(p.activity in {a.id for a in acts} and p.person in ("r-1", "r-2") for p in came)
    assert data.draw(participations(acts, [])) == []
    money = data.draw(contributions(amounts=st.just(7)))
    assert money.amount == 7 and money.kind in FundingKind


def test_the_strategies_refuse_what_they_cannot_draw() -> None:
    empty = GridGraph(version="v", units=[])
    with pytest.raises(InvalidArgument, match="has no units"):
        needs(empty)
    with pytest.raises(InvalidArgument, match="max_talents=-1"):
        talent_libraries(sample_grid(), max_talents=-1)
    with pytest.raises(InvalidArgument, match="has no places for wishes"):
        wishes(empty)
    with pytest.raises(InvalidArgument, match="residents must name at least one"):
        wishes(sample_grid(), residents="r-1")
    with pytest.raises(InvalidArgument, match="max_attendees=0"):
        deliberations(max_attendees=0)
    with pytest.raises(InvalidArgument, match="max_size=-1"):
        participations([], [], max_size=-1)
