"""Seed story (Huainan, 淮南社区), told with community life: micro-wishes → 议事会 → 自筹+配捐.

The community, its wishes and its meeting times are ``test_huainan.py``'s (read its docstring
for the story and the modelling); here they go through ``gridgov.community``:

* each micro-wish is a :class:`~gridgov.Wish`, linked to the case it was filed as, and
  :func:`~gridgov.agenda_items` groups 39号院's four fitness wishes into one agenda item;
* the 议事会 of 15 September is a :class:`~gridgov.Deliberation` rebuilt from its events,
  deciding by the community's rule (quorum two thirds; a simple majority of all votes cast,
  an abstention weighing as a no), and it replays;
* the 38号院 makeover is decided by the 自管会 and residents' representatives, becomes a
  :class:`~gridgov.Project` funded by the residents (自筹) and the 幸福家园 match (配捐, 1:1 up
  to ¥20,000 — ratio, cap and amounts are illustrative) plus a 共建单位's sponsorship; its
  completion answers the three wishes and resolves their cases through the cases' own
  ``Resolved`` event.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_huainan import (
    CATALOGUE,
    MEETING_39,
    OTHER_COURTYARD,
    RULES,
    WISHES_39,
    cst,
    huainan_grid,
    wish,
)

from gridgov import (
    DEFAULT_MATRIX,
    Accepted,
    CaseStatus,
    Channel,
    Dispatched,
    GridGraph,
    Issue,
    Reporter,
    Resolved,
    Role,
    Router,
    open_case,
)
from gridgov.community import (
    AgendaItem,
    Attendee,
    Contribution,
    DecisionRule,
    Deliberation,
    FundingKind,
    MajorityOf,
    MatchRule,
    MeetingClosed,
    MeetingConvened,
    Outcome,
    Progress,
    Project,
    Threshold,
    Vote,
    VoteCast,
    VotingClosed,
    Wish,
    agenda_items,
    open_wishes,
    resolve_cases,
)


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return huainan_grid()


@pytest.fixture(scope="module")
def router(grid) -> Router:
    return Router(grid=grid, rules=RULES, matrix=DEFAULT_MATRIX, catalogue=CATALOGUE)


# --------------------------------------------------------------------------- community life

CAMPAIGN_39 = "hn-rhzq-2026-09"  # the September door-to-door round (入户征求意见) in 39号院


def as_wish(issue: Issue, *, campaign: str | None = None) -> Wish:
    """The micro-wish an issue records, linked to the case it was filed as (same id)."""
    assert issue.resident is not None and issue.place is not None
    return Wish(
        id=issue.id,
        resident=issue.resident,
        place=issue.place,
        what=issue.description,
        at=issue.reported_at,
        channel=issue.channel,
        campaign=campaign,
        category=issue.category,
        case=issue.id,
    )


def sitting(grid: GridGraph, unit: str, roles: set[Role]) -> list[Attendee]:
    """The grid leader above *unit*, then the members posted at it in one of *roles*."""
    grid_unit = grid.parent(unit)
    assert grid_unit is not None
    chair = grid.leader(grid_unit.id)
    assert chair is not None
    posted = [m for m in grid.members_in(unit) if any(p.role in roles for p in m.posts)]
    return [
        Attendee(
            member=m.id,
            name=m.name,
            post=next(p for p in m.posts if p.unit in (unit, grid_unit.id)),
        )
        for m in [chair, *posted]
    ]


COURTYARD_RULE = DecisionRule(
    id="hn-ysh",
    name="淮南社区楼院议事规则",
    quorum=Threshold.TWO_THIRDS,
    majority=Threshold.HALF,
    of=MajorityOf.VOTES_CAST,  # an abstention weighs as a no
)


def test_the_39_wishes_make_one_agenda_item_that_the_meeting_adopts(grid):
    wishes = [as_wish(i, campaign=CAMPAIGN_39) for i in WISHES_39]
    wishes.append(as_wish(OTHER_COURTYARD))
    items = agenda_items(wishes, grid, catalogue=CATALOGUE, prefix="hn-ysh-0915-")
    # One item per courtyard and category: 39号院's four fitness wishes, and 12号院's one.
    assert [(i.id, i.title, i.wishes) for i in items] == [
        (
            "hn-ysh-0915-mg39-fitness",
            "淮河东路39号院·健身设施",
            ("hn-w01", "hn-w02", "hn-w03", "hn-w04"),
        ),
        ("hn-ysh-0915-mg12-fitness", "建中街12号院·健身设施", ("hn-w12",)),
    ]
    item = items[0]
    assert item.cases == item.wishes  # each wish was filed as its own case
    assert item.reason is not None and item.reason.zh.startswith("淮河东路39号院 健身设施 4 件")

    attendees = sitting(
        grid, "mg39", {Role.MICRO_GRID_LEADER, Role.GRID_WORKER, Role.COURTYARD_HEAD}
    )
    assert [(a.name, a.capacity) for a in attendees] == [
        ("周慧", "网格长"),
        ("李娟", "微网格长"),
        ("高建国", "楼院长"),
        ("许秀兰", "楼院长"),
        ("陈晨", "网格员"),
    ]
    plan = "健身房焕新方案——将小区议事亭附近的空地改建为楼院健身房"
    meeting = Deliberation(
        events=[
            MeetingConvened(
                at=MEETING_39,
                actor="m-g1",
                meeting="hn-ysh-0915",
                name="淮河东路39号院议事会",
                unit="mg39",
                attendees=attendees,
                agenda=[item.with_proposal(plan)],
                rule=COURTYARD_RULE,
            )
        ]
    )
    votes = {
        "m-g1": Vote.FOR,
        "m-39": Vote.FOR,
        "m-39h1": Vote.FOR,
        "m-39h2": Vote.ABSTAIN,
        "m-39w": Vote.FOR,
    }
    for voter, vote in votes.items():
        meeting = meeting.apply(
            VoteCast(at=MEETING_39, actor="m-g1", item=item.id, voter=voter, vote=vote)
        )
    meeting = meeting.apply(
        VotingClosed(at=MEETING_39 + timedelta(minutes=40), actor="m-g1", item=item.id)
    )
    meeting = meeting.apply(MeetingClosed(at=MEETING_39 + timedelta(hours=1), actor="m-g1"))

    decision = meeting.decision(item.id)
    assert decision is not None
    assert (decision.outcome, decision.plan, decision.rule) == (Outcome.ADOPTED, plan, "hn-ysh")
    assert decision.count is not None and (decision.count.yes, decision.count.abstain) == (4, 1)
    assert "赞成票过全部表决票的半数（4/5）：通过——健身房焕新方案" in decision.reason.zh
    assert decision.reason.zh.startswith("淮河东路39号院议事会「淮河东路39号院·健身设施」")
    # The minutes replay: stored events give the same meeting.
    assert Deliberation(events=meeting.events) == meeting
    assert meeting.minutes()[-1] == decision.reason


def test_the_38_makeover_is_decided_funded_by_residents_and_matched_donations_and_answers_every_wish(
    grid, router
):
    # The wishes of 38号院: the garden raised by Chai Jingrong at the May meeting, the manhole
    # covers and the rubbish heard door to door.
    issues = [
        wish(
            "hn-w38",
            at=cst(5, 20, 19, 30),
            place="hd38-garden",
            category="courtyard_greening",
            channel=Channel.DELIBERATION,
            reporter=Reporter.resident("r-38-1-301"),
            description="38号院花园野草丛生、蚊虫乱飞",
        ),
        wish(
            "hn-w38b",
            at=cst(6, 2, 10),
            place="hd38-1-101",
            category="micro_wish",
            reporter=Reporter.resident("r-38-1-101"),
            description="水井盖破损，晚上不安全",
        ),
        wish(
            "hn-w38c",
            at=cst(6, 2, 11),
            place="hd38-2-102",
            category="micro_wish",
            reporter=Reporter.resident("r-38-2-102"),
            description="角落堆了多年的垃圾",
        ),
    ]
    cases = {}
    for issue in issues:
        case = open_case(issue, router.route(issue), router=router, actor="m-38")
        cases[issue.id] = case.apply(
            Accepted(at=issue.reported_at + timedelta(hours=1), actor="m-38")
        )
    wishes = [
        as_wish(i, campaign=None if i.channel is Channel.DELIBERATION else "hn-38-0602")
        for i in issues
    ]
    [item] = agenda_items(wishes, grid, catalogue=CATALOGUE, prefix="hn-38-", by="unit")
    assert (item.id, item.wishes) == ("hn-38-mg38", ("hn-w38", "hn-w38b", "hn-w38c"))

    # 24 June: the 自管会 and residents' representatives, with the courtyard's grid workers.
    at = cst(6, 24, 19)
    attendees = [
        *sitting(grid, "mg38", {Role.MICRO_GRID_LEADER, Role.COURTYARD_HEAD}),
        Attendee(member="r-38-1-101", name="38号院居民代表甲"),
        Attendee(member="r-38-2-102", name="38号院居民代表乙"),
        Attendee(member="r-38-2-501", name="38号院居民代表丙", present=False),
    ]
    plan = "楼院微改造：小花园改造、水井盖更新、垃圾清运；自筹+配捐"
    meeting = Deliberation(
        events=[
            MeetingConvened(
                at=at,
                actor="m-38",
                meeting="hn-38-0624",
                name="38号院微改造议事会",
                unit="mg38",
                attendees=attendees,
                agenda=[item.with_proposal(plan)],
                rule=COURTYARD_RULE,
            )
        ]
    )
    for a in attendees:
        if a.present:
            meeting = meeting.apply(
                VoteCast(at=at, actor="m-38", item=item.id, voter=a.member, vote=Vote.FOR)
            )
    meeting = meeting.apply(VotingClosed(at=at + timedelta(minutes=30), actor="m-38", item=item.id))
    decision = meeting.decision(item.id)
    assert decision is not None and decision.outcome is Outcome.ADOPTED
    assert "应到6人，实到5人，三分之二以上出席，达到法定人数" in decision.reason.zh

    # The project: ¥60,000; the 幸福家园 project matches what residents raise 1:1 up to ¥20,000.
    match = MatchRule(id="xfjy-38", name="幸福家园项目", partner="p-xingfu", cap=2_000_000)
    project = Project.adopt(
        meeting, item.id, id="hn-p38", name="38号院楼院变形记", budget=6_000_000, match=match
    )
    assert (project.unit, project.plan, project.wishes, project.cases) == (
        "mg38",
        plan,
        item.wishes,
        ("hn-w38", "hn-w38b", "hn-w38c"),
    )
    for k, household in enumerate(grid.places_in("mg38")[:24]):  # 24 households give ¥1,000 each
        project = project.receive(
            Contribution(
                id=f"zc-{k:02d}",
                kind=FundingKind.RESIDENTS,
                source=household,
                amount=100_000,
                on=at.date(),
            )
        )
    check = project.funding()
    assert (check.raised, check.match_earned, check.shortfall, check.funded) == (
        2_400_000,
        2_000_000,
        1_600_000,
        False,
    )
    assert "幸福家园项目配捐¥20,000.00（已达上限）" in check.reason.zh
    with pytest.raises(ValueError, match=r"¥16,000\.00 of its budget is not funded"):
        project.complete(at=cst(7, 14, 17), actor="m-38")
    project = project.receive(
        Contribution(
            id="gj-01",
            kind=FundingKind.SPONSOR,
            source="p-gongjian-38",
            amount=1_600_000,
            on=cst(6, 28, 9).date(),
        )
    )
    check = project.funding()
    assert check.funded and check.applied == 6_000_000 and check.surplus == 0
    assert (check.applied_residents, check.applied_match, check.applied_sponsor) == (
        2_400_000,
        2_000_000,
        1_600_000,
    )

    # Works: half a month; completion is one event answering the three wishes.
    project = project.report(Progress(on=cst(6, 29, 9).date(), percent=10, note="开工"))
    project = project.report(Progress(on=cst(7, 7, 9).date(), percent=60, note="花园清理完毕"))
    for case_id in project.cases:
        cases[case_id] = cases[case_id].apply(
            Dispatched(at=cst(6, 29, 8), actor="m-38", handler="m-38")
        )
    project = project.complete(at=cst(7, 14, 17, 30), actor="m-38", summary="楼院绿化环境焕然一新")
    done = project.completed
    assert done is not None and done.wishes == item.wishes and project.percent == 100
    assert done.reason.zh.startswith("「38号院楼院变形记」竣工：预算¥60,000.00：自筹¥24,000.00")
    assert "答复微心愿3件（hn-w38、hn-w38b、hn-w38c），办结案件3件" in done.reason.zh
    resolved = resolve_cases(project, cases.values())
    assert [c.status for c in resolved] == [CaseStatus.RESOLVED] * 3
    assert all(isinstance(c.events[-1], Resolved) and c.events[-1].at == done.at for c in resolved)
    assert open_wishes(wishes, [project]) == ()
    assert Project.adopt(meeting, item.id, id="x", name="x", budget=1).wishes == item.wishes


def test_an_item_the_meeting_did_not_adopt_does_not_become_a_project(grid):
    item = AgendaItem(id="hn-ysh-x", title="12号院停车", unit="mg12", proposal="划线停车")
    meeting = Deliberation(
        events=[
            MeetingConvened(
                at=MEETING_39,
                actor="m-g2",
                meeting="hn-ysh-12",
                name="建中街12号院议事会",
                unit="mg12",
                attendees=sitting(grid, "mg12", {Role.MICRO_GRID_LEADER, Role.COURTYARD_HEAD}),
                agenda=[item],
                rule=COURTYARD_RULE,
            )
        ]
    )
    for voter, vote in (("m-g2", Vote.FOR), ("m-12", Vote.AGAINST), ("m-12h", Vote.AGAINST)):
        meeting = meeting.apply(
            VoteCast(at=MEETING_39, actor="m-g2", item=item.id, voter=voter, vote=vote)
        )
    meeting = meeting.apply(VotingClosed(at=MEETING_39, actor="m-g2", item=item.id))
    assert meeting.decision(item.id).outcome is Outcome.REJECTED  # type: ignore[union-attr]
    with pytest.raises(ValueError, match=r"did not adopt item 'hn-ysh-x' \(rejected\)"):
        Project.adopt(meeting, item.id, id="p", name="p", budget=100)
