"""Property tests for gridgov.community: funding arithmetic, decisions, points, replay.

* **Funding is exact**: for every budget, set of contributions and matching rule, what each
  source brings plus the shortfall is the budget; no source brings more than it gave; the
  match never exceeds its cap nor its ratio, and is the most the ratio allows under the cap
  (rounded down to the fen, checked against :class:`fractions.Fraction`).
* **A decision follows its rule**: for every generated rule, seating and vote, the outcome
  of closing the vote is the one an independent oracle — written with fractions, not with
  :class:`~gridgov.Threshold` — gives.
* **The points ledger sums exactly**: balances and the total are the sums of each
  participation's points, each ``floor(per_activity + minutes × per_hour / 60)``.
* **Replay equals live**: a meeting applied event by event equals the one rebuilt from its
  events and the one read back from JSON.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov import CST, from_dict, to_dict
from gridgov.community import (
    Activity,
    AgendaItem,
    Attendee,
    Contribution,
    DecisionRule,
    Deliberation,
    FundingKind,
    ItemDeferred,
    MajorityOf,
    MatchRule,
    MeetingClosed,
    MeetingConvened,
    Outcome,
    Participation,
    PointsPolicy,
    Threshold,
    Vote,
    VoteCast,
    VotingClosed,
    check_funding,
    points_ledger,
)
from gridgov.criteria import Criteria
from gridgov.visits import Frequency

KINDS = st.sampled_from(
    [FundingKind.RESIDENTS, FundingKind.RESIDENTS, FundingKind.SPONSOR, FundingKind.PUBLIC]
)
AMOUNTS = st.one_of(st.integers(1, 100), st.integers(1, 10_000), st.integers(1, 10**12))


@st.composite
def contributions(draw: st.DrawFn) -> list[Contribution]:
    n = draw(st.integers(0, 8))
    return [
        Contribution(
            id=f"c{i}", kind=draw(KINDS), source=f"s{i}", amount=draw(AMOUNTS), on=date(2026, 6, 1)
        )
        for i in range(n)
    ]


MATCHES = st.one_of(
    st.none(),
    st.builds(
        MatchRule,
        id=st.just("m"),
        name=st.just("配捐"),
        partner=st.just("p"),
        cap=st.one_of(st.integers(0, 300), st.integers(0, 10**12)),
        match=st.integers(1, 5),
        per=st.integers(1, 5),
    ),
)


@settings(max_examples=400)
@given(st.one_of(st.integers(1, 500), st.integers(1, 10**12)), contributions(), MATCHES)
def test_funding_arithmetic_is_exact(
    budget: int, given_: list[Contribution], match: MatchRule | None
) -> None:
    f = check_funding(budget, given_, match)
    by = {k: sum(c.amount for c in given_ if c.kind is k) for k in FundingKind}
    assert f.raised == by[FundingKind.RESIDENTS]
    # Sources (as applied) and the shortfall make up the budget, exactly.
    assert (
        f.applied_residents + f.applied_sponsor + f.applied_public + f.applied_match + f.shortfall
        == budget
    )
    assert f.funded is (f.shortfall == 0)
    assert f.applied_residents <= f.raised and f.applied_sponsor <= f.sponsored
    assert f.applied_public <= f.public and f.applied_match <= f.match_earned
    given_total = f.raised + f.sponsored + f.public
    assert f.surplus == given_total - (f.applied_residents + f.applied_sponsor + f.applied_public)
    assert f.surplus == max(0, given_total - budget)
    if f.shortfall:
        assert f.applied_match == f.match_earned  # the match is drawn in full before a shortfall
    if match is None:
        assert f.match_earned == 0
    else:
        ratio = Fraction(match.match, match.per)
        assert f.match_earned <= match.cap  # never over the cap
        assert f.match_earned <= f.raised * ratio  # never over the ratio
        # ... and the most the two allow, in whole fen.
        assert f.match_earned == min(match.cap, math.floor(f.raised * ratio))


# --------------------------------------------------------------------------- decisions


def oracle(
    rule: DecisionRule, seats: int, present: int, yes: int, no: int, abstain: int
) -> Outcome:
    def reaches(t: Threshold, share: Fraction) -> bool:
        return {
            Threshold.ANY: True,
            Threshold.HALF: share > Fraction(1, 2),
            Threshold.TWO_THIRDS: share >= Fraction(2, 3),
            Threshold.ALL: share == 1,
        }[t]

    if present < rule.min_present or not reaches(rule.quorum, Fraction(present, seats)):
        return Outcome.DEFERRED
    base = {
        MajorityOf.FOR_AND_AGAINST: yes + no,
        MajorityOf.VOTES_CAST: yes + no + abstain,
        MajorityOf.PRESENT: present,
        MajorityOf.SEATS: seats,
    }[rule.of]
    if base == 0:
        return Outcome.DEFERRED
    return Outcome.ADOPTED if reaches(rule.majority, Fraction(yes, base)) else Outcome.REJECTED


RULES = st.builds(
    DecisionRule,
    id=st.just("r"),
    name=st.just("议事规则"),
    quorum=st.sampled_from(Threshold),
    majority=st.sampled_from(Threshold),
    of=st.sampled_from(MajorityOf),
    min_present=st.integers(1, 4),
)
T0 = datetime(2026, 9, 15, 19, 0, tzinfo=CST)


@st.composite
def meetings(draw: st.DrawFn) -> tuple[DecisionRule, list[Attendee], list[tuple[str, Vote]]]:
    rule = draw(RULES)
    n = draw(st.integers(1, 12))
    people = [
        Attendee(
            member=f"m{i}",
            name=f"成员{i}",
            voting=draw(st.booleans()) or i == 0,
            present=draw(st.booleans()),
        )
        for i in range(n)
    ]
    can_vote = [a.member for a in people if a.voting and a.present]
    voters = draw(st.lists(st.sampled_from(can_vote), unique=True) if can_vote else st.just([]))
    return rule, people, [(m, draw(st.sampled_from(Vote))) for m in voters]


def convene(rule: DecisionRule, people: list[Attendee], items: int = 1) -> Deliberation:
    agenda = [
        AgendaItem(id=f"a{i}", title=f"议题{i}", unit="mg1", proposal="方案") for i in range(items)
    ]
    return Deliberation(
        events=[
            MeetingConvened(
                at=T0,
                actor="m0",
                meeting="y",
                name="议事会",
                unit="mg1",
                attendees=people,
                agenda=agenda,
                rule=rule,
            )
        ]
    )


@settings(max_examples=400)
@given(meetings())
def test_a_decision_follows_its_rule_for_every_vote(
    drawn: tuple[DecisionRule, list[Attendee], list[tuple[str, Vote]]],
) -> None:
    rule, people, votes = drawn
    m = convene(rule, people)
    for voter, vote in votes:
        m = m.apply(VoteCast(at=T0, actor="m0", item="a0", voter=voter, vote=vote))
    m = m.apply(VotingClosed(at=T0, actor="m0", item="a0"))
    d = m.decision("a0")
    assert d is not None and d.count is not None
    seats = sum(a.voting for a in people)
    present = sum(a.voting and a.present for a in people)
    tally = [v for _, v in votes]
    expected = oracle(
        rule,
        seats,
        present,
        tally.count(Vote.FOR),
        tally.count(Vote.AGAINST),
        tally.count(Vote.ABSTAIN),
    )
    assert d.outcome is expected
    assert (d.count.seats, d.count.present, d.count.yes) == (seats, present, tally.count(Vote.FOR))
    assert d.reason.zh.endswith(expected.zh if expected is not Outcome.ADOPTED else "——方案")
    assert d.plan == ("方案" if expected is Outcome.ADOPTED else "")


# --------------------------------------------------------------------------- replay


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Deliberation, list[object]]:
    rule, people, _ = draw(meetings())
    items = draw(st.integers(0, 4))
    m = convene(rule, people, items)
    can_vote = [a.member for a in people if a.voting and a.present]
    events: list[object] = []
    at = T0
    for i in range(items):
        for voter in draw(
            st.lists(st.sampled_from(can_vote), unique=True) if can_vote else st.just([])
        ):
            at += timedelta(minutes=draw(st.integers(0, 5)))
            events.append(
                VoteCast(
                    at=at, actor="m0", item=f"a{i}", voter=voter, vote=draw(st.sampled_from(Vote))
                )
            )
        at += timedelta(minutes=1)
        events.append(
            ItemDeferred(at=at, actor="m0", item=f"a{i}", reason="待定")
            if draw(st.booleans()) and not any(getattr(e, "item", None) == f"a{i}" for e in events)
            else VotingClosed(at=at, actor="m0", item=f"a{i}")
        )
    if draw(st.booleans()):
        events.append(MeetingClosed(at=at + timedelta(hours=1), actor="m0", minutes="纪要"))
    return m, events


@given(sessions())
def test_replay_of_a_meeting_equals_the_live_one(drawn: tuple[Deliberation, list[object]]) -> None:
    live, events = drawn
    for e in events:
        live = live.apply(e)  # type: ignore[arg-type]
    replayed = Deliberation(events=live.events)
    assert replayed == live
    assert replayed.decisions == live.decisions and replayed.votes == live.votes
    assert replayed.closed == live.closed
    back = from_dict(json.loads(json.dumps(to_dict(live))))
    assert back == live and back.decisions == live.decisions


# --------------------------------------------------------------------------- points


@given(
    st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=4),
    st.data(),
)
def test_the_points_ledger_sums_exactly(
    policies: list[tuple[int, int]], data: st.DataObject
) -> None:
    acts = [
        Activity(
            id=f"a{i}",
            name=f"活动{i}",
            unit="c1",
            group=Criteria(),
            group_name="全体",
            schedule=Frequency.monthly(),
            points=PointsPolicy(per_activity=pa, per_hour=ph),
        )
        for i, (pa, ph) in enumerate(policies)
    ]
    n = data.draw(st.integers(0, 30))
    came = [
        Participation(
            id=f"p{k}",
            activity=f"a{data.draw(st.integers(0, len(acts) - 1))}",
            person=f"r{data.draw(st.integers(0, 5))}",
            on=date(2026, 10, 1),
            minutes=data.draw(st.integers(0, 24 * 60)),
        )
        for k in range(n)
    ]
    ledger = points_ledger(acts, came)
    each = {
        p.id: math.floor(
            policies[int(p.activity[1:])][0]
            + Fraction(p.minutes * policies[int(p.activity[1:])][1], 60)
        )
        for p in came
    }
    assert [e.points for e in ledger.entries] == [each[p.id] for p in came]
    assert ledger.total == sum(each.values()) == sum(b for _, b in ledger.balances())
    for person in {p.person for p in came}:
        assert ledger.balance(person) == sum(each[p.id] for p in came if p.person == person)
