"""Unit tests for gridgov.community.wishes, .rules and .deliberation: the doors, the
grouping of wishes, the decision arithmetic at its edges, and what a meeting refuses."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridgov import (
    CST,
    Channel,
    InvalidTransitionError,
    InvalidValueError,
    Post,
    Role,
    UnknownPlaceError,
    from_dict,
    to_dict,
)
from gridgov.community import (
    AgendaItem,
    Attendee,
    DecisionRule,
    Deliberation,
    ItemDeferred,
    MajorityOf,
    MeetingClosed,
    MeetingConvened,
    Outcome,
    Threshold,
    Vote,
    VoteCast,
    VoteCount,
    VotingClosed,
    Wish,
    agenda_items,
    replay_deliberation,
)
from gridgov.demo import sample_grid

T = datetime(2026, 9, 15, 19, 0, tzinfo=CST)


def wish(id: str, place: str = "h-1001", minutes: int = 0, **kw: object) -> Wish:
    return Wish(
        id=id, resident="r-1", place=place, what="心愿", at=T + timedelta(minutes=minutes), **kw
    )  # type: ignore[arg-type]


# --------------------------------------------------------------------------- wishes


def test_a_wish_is_about_a_place_and_says_how_it_was_heard() -> None:
    w = wish("w1", channel=Channel.GROUP_CHAT, case="c-1")
    assert (w.channel.zh, w.category, w.case) == ("网格群", "micro_wish", "c-1")
    with pytest.raises(InvalidValueError, match="'at' of Wish"):
        Wish(id="w", resident="r", place="p", what="x", at=datetime(2026, 9, 1))  # naive
    with pytest.raises(InvalidValueError, match="'channel' of Wish"):
        wish("w", channel="visit")


def test_wishes_are_grouped_by_courtyard_and_category_in_the_order_heard() -> None:
    grid = sample_grid()
    other = next(p for p in grid.places_in("mg32") if p.startswith("h-"))
    items = agenda_items(
        [
            wish("w3", other, 30),
            wish("w1", "h-1001", 10),
            wish("w2", "h-1002", 20),
            wish("w4", "h-1001", 40, category="facility_repair"),
        ],
        grid,
    )
    assert [(i.unit, i.wishes) for i in items] == [
        ("mg31", ("w1", "w2")),
        ("mg32", ("w3",)),
        ("mg31", ("w4",)),
    ]
    assert sum(len(i.wishes) for i in items) == 4  # nothing dropped


def test_agenda_items_refuse_what_they_cannot_place() -> None:
    with pytest.raises(InvalidValueError, match="'wishes' must hold each wish once"):
        agenda_items([wish("w1"), wish("w1")], sample_grid())
    with pytest.raises(UnknownPlaceError):
        agenda_items([wish("w1", "h-nowhere")], sample_grid())
    with pytest.raises(InvalidValueError, match="'wishes' must be a collection"):
        agenda_items("w1", sample_grid())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'by' must be 'category' or 'unit'"):
        agenda_items([], sample_grid(), by="grid")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("majority", "of", "count", "outcome"),
    [
        (Threshold.HALF, MajorityOf.FOR_AND_AGAINST, (4, 4, 2, 2, 0), Outcome.REJECTED),  # a tie
        (Threshold.HALF, MajorityOf.FOR_AND_AGAINST, (4, 4, 2, 1, 1), Outcome.ADOPTED),
        (Threshold.HALF, MajorityOf.VOTES_CAST, (4, 4, 2, 1, 1), Outcome.REJECTED),  # 2 of 4
        (Threshold.TWO_THIRDS, MajorityOf.VOTES_CAST, (6, 6, 4, 2, 0), Outcome.ADOPTED),  # 以上
        (Threshold.TWO_THIRDS, MajorityOf.SEATS, (9, 6, 5, 0, 0), Outcome.REJECTED),
        (Threshold.ALL, MajorityOf.PRESENT, (5, 4, 3, 0, 0), Outcome.REJECTED),
        (Threshold.HALF, MajorityOf.FOR_AND_AGAINST, (4, 4, 0, 0, 3), Outcome.DEFERRED),
        (
            Threshold.HALF,
            MajorityOf.FOR_AND_AGAINST,
            (4, 2, 2, 0, 0),
            Outcome.DEFERRED,
        ),  # no quorum
    ],
)
def test_decide_at_the_edges(
    majority: Threshold, of: MajorityOf, count: tuple[int, ...], outcome: Outcome
) -> None:
    seats, present, yes, no, abstain = count
    rule = DecisionRule(id="r", name="规则", majority=majority, of=of)
    got, reason = rule.decide(
        VoteCount(seats=seats, present=present, yes=yes, no=no, abstain=abstain)
    )
    assert got is outcome
    assert reason.zh.endswith(outcome.zh) and reason.ids("rule") == ("r",)


def test_the_minimum_head_count_defers_whatever_the_share() -> None:
    rule = DecisionRule(id="r", name="规则", quorum=Threshold.ANY, min_present=3)
    outcome, reason = rule.decide(VoteCount(seats=2, present=2, yes=2, no=0, abstain=0))
    assert outcome is Outcome.DEFERRED and "（至少3人）" in reason.zh


def test_a_count_is_consistent() -> None:
    with pytest.raises(InvalidValueError, match="must add up to at most those present 2"):
        VoteCount(seats=3, present=2, yes=2, no=1, abstain=0)
    with pytest.raises(InvalidValueError, match="'seats' of VoteCount"):
        VoteCount(seats=0, present=0, yes=0, no=0, abstain=0)


# --------------------------------------------------------------------------- the meeting

SEATS = [
    Attendee(member="m-g1", name="周慧", post=Post(role=Role.GRID_LEADER, unit="g1")),
    Attendee(member="m-h1", name="高建国", post=Post(role=Role.COURTYARD_HEAD, unit="mg39")),
    Attendee(member="m-obs", name="列席", voting=False),
    Attendee(member="m-away", name="缺席", present=False),
]
AGENDA = [
    AgendaItem(id="a1", title="健身点", unit="mg39", proposal="焕新"),
    AgendaItem(id="a2", title="停车", unit="mg39"),
]


def meeting() -> Deliberation:
    return Deliberation(
        events=[
            MeetingConvened(
                at=T,
                actor="m-g1",
                meeting="y1",
                name="议事会",
                unit="mg39",
                attendees=SEATS,
                agenda=AGENDA,
                rule=DecisionRule(id="r", name="规则"),
            )
        ]
    )


def vote(voter: str, v: Vote = Vote.FOR, item: str = "a1", at: datetime = T) -> VoteCast:
    return VoteCast(at=at, actor="m-g1", item=item, voter=voter, vote=v)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (vote("m-obs"), "'m-obs' holds no vote"),
        (vote("m-away"), "'m-away' is absent"),
        (vote("m-nobody"), "'m-nobody' does not sit"),
        (vote("m-g1", item="a9"), "item 'a9' is not on the agenda"),
        (vote("m-g1", at=T - timedelta(minutes=1)), "events come in time order"),
        (MeetingClosed(at=T, actor="m-g1"), r"items \['a1', 'a2'\] are undecided"),
        (
            MeetingConvened(
                at=T,
                actor="m-g1",
                meeting="y2",
                name="n",
                unit="u",
                attendees=SEATS,
                agenda=[],
                rule=DecisionRule(id="r", name="规则"),
            ),
            "convened already",
        ),
    ],
)
def test_what_a_meeting_refuses(event: object, message: str) -> None:
    with pytest.raises(InvalidTransitionError, match=message):
        meeting().apply(event)  # type: ignore[arg-type]


def test_one_vote_per_member_per_item_and_one_decision_per_item() -> None:
    m = meeting().apply(vote("m-g1"))
    with pytest.raises(InvalidTransitionError, match="voted on item 'a1' already"):
        m.apply(vote("m-g1", Vote.AGAINST))
    m = m.apply(vote("m-g1", item="a2")).apply(VotingClosed(at=T, actor="m-g1", item="a1"))
    for again in (
        VotingClosed(at=T, actor="m-g1", item="a1"),
        vote("m-h1"),
        ItemDeferred(at=T, actor="m-g1", item="a1", reason="再议"),
    ):
        with pytest.raises(InvalidTransitionError, match="item 'a1' is decided already"):
            m.apply(again)
    m = m.apply(ItemDeferred(at=T, actor="m-g1", item="a2", reason="待测算预算"))
    m = m.apply(MeetingClosed(at=T + timedelta(hours=1), actor="m-g1"))
    with pytest.raises(InvalidTransitionError, match="it has closed"):
        m.apply(ItemDeferred(at=T + timedelta(hours=2), actor="m-g1", item="a2", reason="x"))
    # 1 for of 3 seats, 2 present (the observer holds no seat): quorate, adopted.
    a1, a2 = m.decisions
    assert (a1.outcome, a1.plan, a1.count) == (
        Outcome.ADOPTED,
        "焕新",
        VoteCount(seats=3, present=2, yes=1, no=0, abstain=0),
    )
    assert (a2.outcome, a2.count, a2.plan) == (Outcome.DEFERRED, None, "")
    assert a2.reason.zh == "议事会「停车」：未表决，暂缓：待测算预算"
    assert m.closed and [v.voter for v in m.votes] == ["m-g1", "m-g1"]
    assert replay_deliberation(m.events) == m
    assert from_dict(to_dict(m)) == m


def test_the_meeting_reads_as_minutes() -> None:
    m = (
        meeting()
        .apply(vote("m-h1", Vote.AGAINST))
        .apply(VotingClosed(at=T, actor="m-g1", item="a1"))
    )
    lines = [r.zh for r in m.minutes()]
    assert lines[1] == "2026-09-15 19:00 表决 — m-g1：a1：m-h1 反对"
    assert lines[2] == "2026-09-15 19:00 计票 — m-g1：a1"
    assert lines[-1].startswith("议事会「健身点」：规则：应到3人，实到2人")
    assert (m.id, m.unit, m.on.isoformat(), m.rule.id) == ("y1", "mg39", "2026-09-15", "r")
    assert [a.capacity for a in m.attendees] == ["网格长", "楼院长", "居民代表", "居民代表"]
    with pytest.raises(InvalidValueError, match="an item on the agenda of meeting 'y1'"):
        m.decision("a9")


def test_a_meeting_opens_with_its_convening() -> None:
    with pytest.raises(InvalidTransitionError, match="first event must be MeetingConvened"):
        Deliberation(events=[vote("m-g1")])
    with pytest.raises(InvalidValueError, match="'events' of Deliberation"):
        Deliberation(events="events")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="must name each once \\(got 'm-g1' twice\\)"):
        MeetingConvened(
            at=T,
            actor="m-g1",
            meeting="y",
            name="n",
            unit="u",
            attendees=[SEATS[0], SEATS[0]],
            agenda=[],
            rule=DecisionRule(id="r", name="规则"),
        )
