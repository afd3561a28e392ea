"""Seed story (Huainan, 淮南社区): 将居民"微心愿"变为楼院"群共享".

Huainan community (Jianzhong Street subdistrict, 建中街街道) turns residents' micro-wishes
(微心愿) into shared spaces of their courtyards (楼院"群共享"):

* **淮河东路39号院 — the courtyard gym (健身房"焕新记").**  Grid workers go door to door
  (入户征求意见) asking what residents need for exercise.  The equipment by the garden in the
  north-west corner is worn and broken; four households say so.  Each wish is a case at the
  courtyard's micro-grid (channel: visit).  The open micro-wishes of the courtyard are put
  on the agenda of a deliberation meeting (议事会) of the grid leader, the micro-grid workers
  and the courtyard heads (楼院长); it decides to turn the empty lot by the pavilion
  (议事亭) into a courtyard gym.  The works are done by the end of October, and on
  6 November Aunt Wang (王阿姨) is out exercising on the new equipment.
* **淮河东路38号院 — the courtyard makeover (楼院"变形记").**  Built in 2002, its garden is
  overgrown and full of mosquitoes.  The wish is raised at a residents' meeting on the
  courtyard's micro-renovation (channel: deliberation) by Chai Jingrong (柴景荣), head of the
  courtyard's self-management committee (自管会), who has no money for it.  The case waits
  (suspended: its clocks stop) until the Happy Home project (幸福家园项目) brings the money in
  — residents' own funds plus matched charity donations (自筹+配捐) — and the charity is
  linked as a co-handler; half a month of works later the garden, the manhole covers and the
  rubbish are done.

The names of the grid team other than those in the report, and all dates, are illustrative.

How the library models it, and why
----------------------------------
* Courtyards are micro-grids (each 楼院 is one 微网格); the fitness spot, the pavilion lot and
  the garden are places (``PlaceKind.PUBLIC_SPACE``) of their courtyard, so a wish is filed
  against the spot it is about and routed to that courtyard's micro-grid.
* Micro-wishes refine the catalogue's ``micro_wish`` (fitness facilities, courtyard
  greening), so the 权责清单's micro-wish line covers them and the routing rule for
  micro-wishes matches them.
* Courtyard heads are :class:`~gridgov.Member` s with ``Role.COURTYARD_HEAD`` at their
  courtyard's micro-grid; the meeting's attendance is read off the grid.
* The agenda is selected from the cases: the open micro-wish cases filed at the courtyard
  (a filter), and — the same set here — :func:`~gridgov.candidate_duplicates` with
  ``scope="unit"`` (the same courtyard).  The four wishes stay four cases, not merged duplicates: each
  resident's wish gets its own answer (王阿姨's satisfaction is hers), which
  :func:`~gridgov.merge_duplicate` would not allow (it ends the merged loops).
* The meeting's decision is recorded on every case of its agenda, at the meeting's time and
  by its chair, as case events: ``Dispatched`` (with the decision as the note) and the
  schedule it set as ``ExtensionRequested`` / ``ExtensionGranted``.
* Waiting for money is ``Suspended`` / ``Resumed`` (the clocks stop, so the months of
  fund-raising do not count against the deadline); the charity is a ``Partner`` of kind
  ``SOCIAL_ORGANISATION`` linked with ``CoHandlerLinked``.
* The new shared space is a new place of the grid, in a new grid version; the cases keep
  the version they were filed under.

Community life: wishes → 议事会 → 自筹+配捐 (``gridgov.community``)
-----------------------------------------------------------------
``test_huainan_community.py`` tells both stories again with the community-life values, which close the gaps
this file used to record (a meeting value, its decision, an agenda of related wishes, a
project resolving several of them, funding):

* each micro-wish is a :class:`~gridgov.Wish` (who, what, where, heard in the door-to-door
  round ``campaign``, linked to the case it was filed as); :func:`~gridgov.agenda_items`
  groups them by courtyard (and by category, or ``by="unit"`` for a makeover answering wishes
  of several kinds);
* the meeting is a :class:`~gridgov.Deliberation` rebuilt from past-tense events — convened
  with its attendees in their posts (the residents' representatives of the 自管会 sit with
  no post), the votes, the rule's decision per item with its reason — and replays;
* the 38号院 makeover is a :class:`~gridgov.Project` adopted from the meeting's item, funded
  by residents (自筹) plus the 幸福家园 match (配捐, 1:1 up to ¥20,000 — the ratio, cap and
  amounts are illustrative) and a 共建单位's sponsorship; its completion is one explained
  event, resolves every linked case through the cases' own ``Resolved`` and leaves no wish
  open.

What gridgov still leaves to the app
------------------------------------
1. **Residents' organisations**: the courtyard's self-management committee (自管会) is
   neither a grid member nor one of the ``PartnerKind`` s; its head is a courtyard head and
   its representatives sit in meetings as attendees without a post.
2. **Place descriptions**: ``GridGraph`` keeps only the place → micro-grid index, so the
   kind and name given in ``Place`` (the fitness spot, the new gym) are not kept with the
   grid; an app keeps them itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Accepted,
    Case,
    CaseStatus,
    Category,
    Channel,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    Dispatched,
    ExtensionGranted,
    ExtensionRequested,
    GridGraph,
    GridUnit,
    HandlingStarted,
    Issue,
    Match,
    Member,
    Partner,
    PartnerKind,
    Place,
    PlaceKind,
    Post,
    Reporter,
    ReporterKind,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Role,
    Router,
    RoutingRule,
    RuleSet,
    Severity,
    Suspended,
    TimeLimit,
    Verified,
    candidate_duplicates,
    open_case,
)


def cst(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CST)


# --------------------------------------------------------------------------- the community

CATALOGUE = DEFAULT_CATALOGUE.with_categories(
    [
        Category(code="fitness", label="fitness facilities", zh="健身设施", parent="micro_wish"),
        Category(
            code="courtyard_greening",
            label="courtyard greening",
            zh="楼院绿化",
            parent="micro_wish",
        ),
    ],
    name="huainan",
)

# A micro-wish is handled by the courtyard it belongs to, on a schedule of weeks, not days.
RULES = RuleSet(
    name="淮南社区分派规则",
    rules=[
        RoutingRule(
            id="micro_wish",
            name="micro-wishes are handled by their courtyard",
            zh="微心愿由楼院办理",
            match=Match(categories={"micro_wish"}),
            accept_within=TimeLimit.working_days(5),
            resolve_within=TimeLimit.working_days(20),
        ),
        *DEFAULT_RULES.rules,
    ],
)


def _households(courtyard: str, unit: str, buildings: int) -> list[Place]:
    return [
        Place(id=f"{courtyard}-{b}-{floor}0{door}", unit=unit, name=f"{b}号楼{floor}0{door}")
        for b in range(1, buildings + 1)
        for floor in range(1, 7)
        for door in (1, 2)
    ]


def huainan_grid() -> GridGraph:
    units = [
        GridUnit(id="hn", name="淮南社区", tier="community"),
        GridUnit(id="g1", name="淮河东路网格", tier="grid", parent="hn"),
        GridUnit(id="g2", name="建中街网格", tier="grid", parent="hn"),
        GridUnit(id="mg39", name="淮河东路39号院", tier="micro_grid", parent="g1"),
        GridUnit(id="mg38", name="淮河东路38号院", tier="micro_grid", parent="g1"),
        GridUnit(id="mg12", name="建中街12号院", tier="micro_grid", parent="g2"),
    ]
    places = [
        *_households("hd39", "mg39", 3),
        *_households("hd38", "mg38", 2),
        *_households("jz12", "mg12", 1),
        Place(id="hd39", unit="mg39", kind=PlaceKind.COURTYARD, name="淮河东路39号院"),
        Place(id="hd39-fitness", unit="mg39", kind=PlaceKind.PUBLIC_SPACE, name="西北角花园健身点"),
        Place(id="hd39-pavilion", unit="mg39", kind=PlaceKind.PUBLIC_SPACE, name="议事亭旁空地"),
        Place(id="hd38", unit="mg38", kind=PlaceKind.COURTYARD, name="淮河东路38号院"),
        Place(id="hd38-garden", unit="mg38", kind=PlaceKind.PUBLIC_SPACE, name="38号院小花园"),
        Place(id="jz12-yard", unit="mg12", kind=PlaceKind.PUBLIC_SPACE, name="12号院空地"),
    ]

    def member(id: str, name: str, *posts: tuple[Role, str]) -> Member:
        return Member(id=id, name=name, posts=[Post(role=r, unit=u) for r, u in posts])

    members = [
        member("m-sec", "淮南社区党委书记", (Role.SECRETARY, "hn")),
        member("m-g1", "周慧", (Role.GRID_LEADER, "g1")),
        member("m-g2", "孙明", (Role.GRID_LEADER, "g2")),
        # 39号院: its micro-grid leader, a micro-grid worker, and two courtyard heads.
        member("m-39", "李娟", (Role.MICRO_GRID_LEADER, "mg39")),
        member("m-39w", "陈晨", (Role.GRID_WORKER, "mg39")),
        member("m-39h1", "高建国", (Role.COURTYARD_HEAD, "mg39")),
        member("m-39h2", "许秀兰", (Role.COURTYARD_HEAD, "mg39"), (Role.PARTY_MEMBER, "mg39")),
        # 38号院: Chai Jingrong heads its self-management committee (自管会).
        member("m-38", "吴刚", (Role.MICRO_GRID_LEADER, "mg38")),
        member("m-chai", "柴景荣", (Role.COURTYARD_HEAD, "mg38")),
        # Another courtyard, under another grid.
        member("m-12", "郑伟", (Role.MICRO_GRID_LEADER, "mg12")),
        member("m-12h", "何平", (Role.COURTYARD_HEAD, "mg12")),
    ]
    partners = [
        Partner(
            id="p-xingfu",
            name="幸福家园项目",
            kind=PartnerKind.SOCIAL_ORGANISATION,
            categories={"micro_wish", "fitness", "courtyard_greening", "environment"},
            units={"hn"},
        )
    ]
    return GridGraph(
        version="2026-05", units=units, places=places, members=members, partners=partners
    )


def wish(
    id: str,
    *,
    at: datetime,
    place: str,
    category: str = "fitness",
    channel: Channel = Channel.VISIT,
    reporter: Reporter,
    description: str,
) -> Issue:
    return Issue(
        id=id,
        category=category,
        severity=Severity.ROUTINE,
        channel=channel,
        place=place,
        resident=reporter.id if reporter.kind is ReporterKind.RESIDENT else None,
        reporter=reporter,
        reported_at=at,
        description=description,
    )


# The door-to-door round in 39号院 (入户征求意见), 7–9 September: four wishes about the
# fitness spot by the garden; plus a parking quarrel in the same courtyard (not a wish), and
# a fitness wish from another courtyard (not this meeting's business).
WISHES_39 = [
    wish(
        "hn-w01",
        at=cst(9, 7, 10),
        place="hd39-fitness",
        reporter=Reporter.resident("r-wang"),
        description="王阿姨：西北角的健身器材坏了，扭腰器转不动了",
    ),
    wish(
        "hn-w02",
        at=cst(9, 7, 10, 40),
        place="hd39-fitness",
        reporter=Reporter.resident("r-39-1-502"),
        description="器材使用太多都破损了，适合老年人的太少",
    ),
    wish(
        "hn-w03",
        at=cst(9, 8, 15),
        place="hd39-fitness",
        reporter=Reporter.resident("r-39-3-201"),
        description="健身点挨着花园，夏天蚊子多，想换个地方",
    ),
    wish(
        "hn-w04",
        at=cst(9, 9, 9, 30),
        place="hd39-fitness",
        reporter=Reporter.resident("r-39-1-101"),
        description="希望有个家门口的健身房",
    ),
]
NOT_A_WISH = Issue(
    id="hn-x01",
    category="dispute",
    severity=Severity.ROUTINE,
    channel=Channel.GROUP_CHAT,
    place="hd39-2-101",
    reporter=Reporter.resident("r-39-2-101"),
    reported_at=cst(9, 8, 20),
    description="楼下车位被占",
)
OTHER_COURTYARD = wish(
    "hn-w12",
    at=cst(9, 8, 11),
    place="jz12-yard",
    reporter=Reporter.resident("r-12-1-301"),
    description="12号院也想装几件健身器材",
)

MEETING_39 = cst(9, 15, 19)  # 议事会 at the pavilion, Tuesday evening
DECISION_39 = "议事会 hn-ysh-0915 决议：健身房焕新方案——将小区议事亭附近的空地改建为楼院健身房"
WORKS_DONE_39 = cst(10, 31, 18)


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return huainan_grid()


@pytest.fixture(scope="module")
def router(grid) -> Router:
    return Router(grid=grid, rules=RULES, matrix=DEFAULT_MATRIX, catalogue=CATALOGUE)


@pytest.fixture(scope="module")
def filed(grid, router) -> dict[str, Case]:
    """Every issue of September becomes a case at its micro-grid, accepted on the day."""
    cases = {}
    for issue in [*WISHES_39, NOT_A_WISH, OTHER_COURTYARD]:
        case = open_case(issue, router.route(issue), router=router, actor="m-39w")
        leader = grid.leader(case.owner)
        assert leader is not None
        cases[issue.id] = case.apply(
            Accepted(at=issue.reported_at + timedelta(hours=2), actor=leader.id)
        )
    return cases


def is_micro_wish(case: Case) -> bool:
    code: str | None = case.issue.category
    while code is not None:
        if code == "micro_wish":
            return True
        code = CATALOGUE[code].parent
    return False


# --------------------------------------------------------------------------- the stories


def test_the_courtyards_are_micro_grids_with_their_heads(grid):
    assert [u.name for u in grid.children("g1")] == ["淮河东路38号院", "淮河东路39号院"]
    assert grid.place_unit("hd39-fitness").name == "淮河东路39号院"
    assert [u.name for u in grid.place_chain("hd38-garden")] == [
        "淮河东路38号院",
        "淮河东路网格",
        "淮南社区",
    ]
    heads = {
        m.name for m in grid.members_in("g1") if any(p.role is Role.COURTYARD_HEAD for p in m.posts)
    }
    assert heads == {"高建国", "许秀兰", "柴景荣"}
    assert Role.COURTYARD_HEAD.zh == "楼院长"


def test_wishes_collected_door_to_door_become_cases_at_the_courtyard(router, filed):
    for issue in WISHES_39:
        a = router.route(issue)
        assert (a.unit, a.unit_name, a.leader_name, a.rule) == (
            "mg39",
            "淮河东路39号院",
            "李娟",
            "micro_wish",
        )
        assert "微心愿由楼院办理" in a.reason.zh
        case = filed[issue.id]
        assert (case.status, case.owner, case.issue.channel) == (
            CaseStatus.ACCEPTED,
            "mg39",
            Channel.VISIT,
        )
        assert CATALOGUE[case.issue.category].describe() == "健身设施 fitness facilities"
    assert filed["hn-w12"].owner == "mg12"
    assert filed["hn-x01"].rule == "default"


def test_the_courtyards_open_wishes_go_on_the_agenda_of_its_deliberation_meeting(grid, filed):
    cases = list(filed.values())

    # The agenda: the open micro-wishes filed at 39号院 — by filtering the cases ...
    agenda = [c for c in cases if c.is_open and is_micro_wish(c) and c.accountable == "mg39"]
    assert [c.id for c in agenda] == ["hn-w01", "hn-w02", "hn-w03", "hn-w04"]
    # ... or, the same here, the open cases the last wish may repeat, in the same micro-grid.
    latest = WISHES_39[-1]
    similar = candidate_duplicates(
        latest, cases, grid=grid, catalogue=CATALOGUE, window=timedelta(days=30), scope="unit"
    )
    assert [c.id for c in similar] + [latest.id] == [c.id for c in agenda]
    # The parking quarrel and the other courtyard's wish are not on it.
    assert {"hn-x01", "hn-w12"}.isdisjoint(c.id for c in agenda)

    # Who sits: the courtyard's grid leader, its micro-grid workers and its courtyard heads.
    grid_unit = grid.parent("mg39")
    assert grid_unit is not None
    chair = grid.leader(grid_unit.id)
    assert chair is not None
    sitting = {Role.MICRO_GRID_LEADER, Role.GRID_WORKER, Role.COURTYARD_HEAD}
    attendees = [chair] + [
        m for m in grid.members_in("mg39") if any(p.role in sitting for p in m.posts)
    ]
    assert [(m.name, m.posts[0].role.zh) for m in attendees] == [
        ("周慧", "网格长"),
        ("李娟", "微网格长"),
        ("高建国", "楼院长"),
        ("许秀兰", "楼院长"),
        ("陈晨", "网格员"),
    ]


def decide(case: Case, *, chair: str, handler: str) -> Case:
    """The meeting's decision, recorded on one case of its agenda."""
    case = case.apply(Dispatched(at=MEETING_39, actor=chair, handler=handler, note=DECISION_39))
    case = case.apply(
        ExtensionRequested(
            at=MEETING_39, actor=handler, until=WORKS_DONE_39, reason="议事会定：10月底前完工"
        )
    )
    return case.apply(ExtensionGranted(at=MEETING_39, actor=chair, note="议事会通过"))


def test_the_meetings_decision_becomes_a_courtyard_gym(grid, filed):
    agenda = [filed[w.id] for w in WISHES_39]
    assert all(c.resolve_by is not None for c in agenda)
    # 20 working days from the round would end in early October: too soon for works.
    assert agenda[0].resolve_by.due == cst(10, 5, 10)  # type: ignore[union-attr]

    # 议事会, 15 September: the decision goes on every case of the agenda, with its schedule.
    decided = [decide(c, chair="m-g1", handler="m-39") for c in agenda]
    for case in decided:
        assert case.status is CaseStatus.DISPATCHED
        assert case.handler == "m-39"
        assert case.resolve_by is not None and case.resolve_by.effective() == WORKS_DONE_39
        [dispatched] = [e for e in case.events if isinstance(e, Dispatched)]
        assert (dispatched.at, dispatched.actor, dispatched.note) == (
            MEETING_39,
            "m-g1",
            DECISION_39,
        )

    # The works: the lot by the pavilion becomes the courtyard gym, a new shared place.
    built = "双位扭腰器、腰背按摩器、家庭运动组合"
    done = []
    for case in decided:
        case = case.apply(HandlingStarted(at=cst(10, 12, 9), actor="m-39", note="开工"))
        case = case.apply(
            Resolved(at=cst(10, 30, 17), actor="m-39", summary=f"议事亭旁楼院健身房建成：{built}")
        )
        done.append(case)
    later = grid.with_places(
        [Place(id="hd39-gym", unit="mg39", kind=PlaceKind.PUBLIC_SPACE, name="楼院健身房")],
        version="2026-11",
    )
    assert later.place_unit("hd39-gym").name == "淮河东路39号院"
    assert not grid.has_place("hd39-gym")  # the grid the wishes were filed under is unchanged

    # 6 November: Aunt Wang is exercising in the new gym; every wish is answered and closed.
    closed = []
    for case in done:
        who = case.issue.resident
        assert who is not None
        note = "院里就能运动可方便，新器材适合老年人" if who == "r-wang" else "满意"
        case = case.apply(ResidentSatisfied(at=cst(11, 6, 9), actor=who, note=note))
        case = case.apply(Verified(at=cst(11, 6, 10), actor="m-g1"))
        closed.append(case.apply(Closed(at=cst(11, 6, 11), actor="m-g1")))
    assert [c.status for c in closed] == [CaseStatus.CLOSED] * 4
    assert [c.satisfaction.value for c in closed] == ["satisfied"] * 4  # type: ignore[union-attr]
    assert all(c.grid_version == "2026-05" for c in closed)
    # Each was resolved on the schedule the meeting set.
    for c in closed:
        [resolved] = [e for e in c.events if isinstance(e, Resolved)]
        assert c.resolve_by is not None and resolved.at <= c.resolve_by.effective()
    wang = closed[0]
    assert wang.issue.resident == "r-wang"
    assert [type(e).__name__ for e in wang.events] == [
        "CaseOpened",
        "Accepted",
        "Dispatched",
        "ExtensionRequested",
        "ExtensionGranted",
        "HandlingStarted",
        "Resolved",
        "ResidentSatisfied",
        "Verified",
        "Closed",
    ]


def test_the_38_courtyard_garden_waits_for_funds_then_is_made_over(grid, router):
    # 20 May: at the courtyard's micro-renovation meeting (楼院微改造主题居民议事会) Chai
    # Jingrong raises the garden; the self-management committee has no money for it.
    garden = wish(
        "hn-w38",
        at=cst(5, 20, 19, 30),
        place="hd38-garden",
        category="courtyard_greening",
        channel=Channel.DELIBERATION,
        reporter=Reporter.member("m-chai"),
        description="38号院花园野草丛生、蚊虫乱飞，夏天潮湿阴暗；自管会没有足够资金改造",
    )
    a = router.route(garden)
    assert (a.unit, a.unit_name, a.rule) == ("mg38", "淮河东路38号院", "micro_wish")
    case = open_case(garden, a, router=router, actor="m-38")
    assert case.issue.channel.zh == "议事会"
    case = case.apply(Accepted(at=cst(5, 20, 20), actor="m-38"))
    case = case.apply(
        Suspended(at=cst(5, 20, 20, 5), actor="m-38", reason="自管会资金不足，待筹措改造资金")
    )
    assert case.status is CaseStatus.SUSPENDED

    # 24 June: after several rounds with social workers and charities, the Happy Home project
    # lands; the money comes from the residents plus matched donations (自筹+配捐).
    [charity] = [
        p
        for p in grid.partners_for("mg38", "courtyard_greening", catalogue=CATALOGUE)
        if p.kind is PartnerKind.SOCIAL_ORGANISATION
    ]
    assert charity.name == "幸福家园项目"
    case = case.apply(Resumed(at=cst(6, 24, 9), actor="m-38", note="幸福家园项目落地，自筹+配捐"))
    case = case.apply(
        CoHandlerLinked(at=cst(6, 24, 9, 30), actor="m-38", handler=charity.id, name=charity.name)
    )
    case = case.apply(
        Dispatched(
            at=cst(6, 24, 10),
            actor="m-38",
            handler="m-38",
            note="微改造：小花园改造、水井盖更新、垃圾清运",
        )
    )
    case = case.apply(HandlingStarted(at=cst(6, 29, 8, 30), actor="m-38"))
    # Half a month of works.
    case = case.apply(
        CoHandlerCompleted(
            at=cst(7, 14, 17), actor=charity.id, handler=charity.id, note="配捐资金拨付完毕"
        )
    )
    case = case.apply(Resolved(at=cst(7, 14, 17, 30), actor="m-38", summary="楼院绿化环境焕然一新"))
    # The weeks spent raising money did not count against the deadline: it moved by them.
    assert case.resolve_by is not None
    assert case.resolve_by.due == cst(6, 17, 18)  # the close of the 20th working day
    assert case.resolve_by.basis == "working"  # the rule's working days, as it was routed
    assert case.resolve_by.effective(router.calendar) > case.events[-1].at
    case = case.apply(ResidentSatisfied(at=cst(7, 16, 10), actor="r-38-2-102"))
    case = case.apply(Verified(at=cst(7, 16, 11), actor="m-g1"))
    case = case.apply(Closed(at=cst(7, 16, 12), actor="m-g1"))

    assert case.status is CaseStatus.CLOSED
    assert [(h.name, h.state) for h in case.co_handlers] == [("幸福家园项目", "done")]
    lines = case.describe().splitlines()
    assert "挂起 — m-38：自管会资金不足，待筹措改造资金" in lines[2]
    assert "解挂 — m-38" in lines[3]
    assert "联动 — m-38：幸福家园项目" in lines[4]
    assert "co-handler linked — m-38: 幸福家园项目" in case.describe(lang="en").splitlines()[4]

