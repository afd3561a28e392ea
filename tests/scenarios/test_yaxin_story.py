"""Seed story (Yaxin, 亚新社区), end to end: 贴心网格服务，做居民的"自家人".

Yaxin community (Huaihe Road subdistrict) has 2,944 households and is run in three tiers,
社区 → 网格 → 微网格.  Every elder who lives alone (独居) or has no family support (孤寡) is
under grid management with a personal file (一人一档) that is monitored as their situation
changes (动态监测).

On Wednesday 25 November 2026, micro-grid leader Li Yanming (李燕明, 美好人家1号楼), on his
routine visit, finds that Aunt Lü (吕阿姨), who lives alone, hurt her back a week ago and has
just come home from hospital.  His visit record raises an issue; the issue is routed to his
micro-grid, and he reports it up (上报) to the grid leader one tier up, Peng Xueli (彭雪丽,
第三网格).  She visits the same afternoon, links up with the compound's property company
(美好人家物业, 网格联动) and sets up a visit every day (每日一访).  Aunt Lü is satisfied, the
case is verified, closed and evaluated.  The daily visit is required while she is "recently
discharged" and falls back to her quarterly round by itself once that ends.

Yaxin also runs a telephone line, "随叫随到" (on call): here an urgent call to it goes
straight to the grid on duty — the grid leader the residents call their "自家人" — with an
hour to answer, at any hour of the night, where the default rules would start at the
micro-grid and wait for the next working day.

The smaller Yaxin scenarios (``test_yaxin_routing``, ``test_yaxin_case``,
``test_yaxin_visits``) look at each part closely; this one ties them together, through the
public API only.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_POLICY,
    DEFAULT_RULES,
    Accepted,
    Case,
    CaseStatus,
    Channel,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    Escalated,
    Evaluated,
    InvalidTransitionError,
    Issue,
    Match,
    PartnerKind,
    Reporter,
    ResidentSatisfied,
    Resolved,
    Role,
    Router,
    RoutingRule,
    RuleSet,
    Satisfaction,
    Severity,
    TimeLimit,
    Trigger,
    Verified,
    VisitColour,
    VisitMode,
    VisitRecord,
    WarningLevel,
    due_escalations,
    due_visits,
    escalate,
    escalation_for,
    from_dict,
    missed_visit_escalations,
    next_due,
    open_case,
    plan_visits,
    to_dict,
    warning,
)
from gridgov.demo import HOUSEHOLDS, sample_grid, sample_policy, sample_residents

FOUND_ON = date(2026, 11, 25)  # a Wednesday: Aunt Lü is home from hospital
RECOVERED = date(2026, 12, 25)  # her "recently discharged" condition ends ([25 Nov, 25 Dec))


def cst(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CST)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


# Yaxin's time limits for a case, tier by tier (its own choice, kept as data).
YAXIN_POLICY = sample_policy()  # the sample community's, as the demo uses it

# 随叫随到: an urgent call to Yaxin's telephone line goes straight to the grid on duty, and
# must be answered within an hour, day or night.  Emergencies keep going to the community
# with the police (the default rule before it); every other rule stays as it was.
ON_CALL = RoutingRule(
    id="on_call",
    name="on call: urgent hotline calls go straight to the grid on duty",
    zh="随叫随到",
    match=Match(channels={Channel.HOTLINE}, min_severity=Severity.URGENT),
    start_tier="grid",
    link={PartnerKind.PROPERTY_MANAGEMENT},
    accept_within=TimeLimit.natural_hours(1),
    resolve_within=TimeLimit.same_day(),
)
_emergency, *_others = DEFAULT_RULES.rules
YAXIN_RULES = RuleSet(name="亚新社区分派规则", rules=[_emergency, ON_CALL, *_others])


@pytest.fixture(scope="module")
def grid():
    return sample_grid()


@pytest.fixture(scope="module")
def residents():
    return sample_residents()


@pytest.fixture(scope="module")
def lu(residents):
    return next(r for r in residents if r.id == "r-lu")


@pytest.fixture(scope="module")
def files(residents):
    return {r.id: r for r in residents}


@pytest.fixture(scope="module")
def router(grid):
    return Router(grid=grid, rules=YAXIN_RULES, matrix=DEFAULT_MATRIX)


@pytest.fixture(scope="module")
def round_of_20_november(grid, residents) -> list[VisitRecord]:
    """Every elder under care was seen on the 20th by their micro-grid leader — Aunt Lü, in
    hospital, by phone."""
    return [
        VisitRecord(
            id=f"v-1120-{r.id}",
            resident=r.id,
            member=grid.leader(grid.place_unit(r.household).id).id,
            at=cst(11, 20, 10),
            mode=VisitMode.PHONE if r.id == "r-lu" else VisitMode.IN_PERSON,
        )
        for r in residents
    ]


# The visit that found her, and the issue its finding raised.
FOUND = Issue(
    id="yx-2026-1125-01",
    category="elder_care",
    severity=Severity.ATTENTION,
    channel=Channel.VISIT,
    place="h-1001",
    resident="r-lu",
    reporter=Reporter.member("m-li"),
    reported_at=cst(11, 25, 9, 50),
    description="吕阿姨摔伤腰部，刚出院回家，独自居住，身体虚弱",
)
LI_VISIT = VisitRecord(
    id="v-1125-r-lu-m-li",
    resident="r-lu",
    member="m-li",
    at=cst(11, 25, 9, 30),
    mode=VisitMode.IN_PERSON,
    findings="吕阿姨前段时间摔伤腰部，刚出院，独居，身体虚弱 hurt her back, just discharged, alone",
    issue_id=FOUND.id,
)
PENG_VISIT = VisitRecord(
    id="v-1125-r-lu-m-g3",
    resident="r-lu",
    member="m-g3",
    at=cst(11, 25, 14, 30),
    findings="入户了解情况，对接美好人家物业，建立每日一访",
)


# --------------------------------------------------------------------------- the grid


def test_a_three_tier_grid_of_2944_households(grid):
    assert grid.scheme.names == ("community", "grid", "micro_grid")
    [yaxin] = grid.roots
    assert yaxin.name == "亚新社区"
    assert len(grid.units_of("grid")) == 6
    assert len(grid.units_of("micro_grid")) == 24
    assert len(grid.places) == HOUSEHOLDS == 2944
    # Every household belongs to exactly one micro-grid, and so to one grid and the community.
    assert sum(len(grid.places_in(u.id)) for u in grid.units_of("micro_grid")) == 2944
    assert [u.name for u in grid.place_chain("h-1001")] == ["美好人家1号楼", "第三网格", "亚新社区"]
    # The two people of the story, and the tier each leads.
    li, peng = grid.leader("mg31"), grid.leader("g3")
    assert li is not None and peng is not None
    assert (li.id, li.name, li.posts[0].role) == ("m-li", "李燕明", Role.MICRO_GRID_LEADER)
    assert (peng.id, peng.name, peng.posts[0].role) == ("m-g3", "彭雪丽", Role.GRID_LEADER)
    assert grid.parent("mg31") == grid.unit("g3")


def test_elders_alone_and_without_family_support_have_personal_files(grid, residents, lu):
    """一人一档, 动态监测: a file each, and what is in force is read off the file on the day."""
    on = FOUND_ON
    alone = [r for r in residents if "living_alone" in r.conditions_on(on)]
    unsupported = [r for r in residents if "no_family_support" in r.conditions_on(on)]
    assert (len(alone), len(unsupported)) == (16, 15)
    assert lu in alone
    for r in alone + unsupported:
        assert grid.has_place(r.household)  # each file is tied to a household of the grid
        assert r.file_opened is not None and r.file_opened <= on
        assert DEFAULT_POLICY.requirement(r, on=on) is not None  # and under the visit policy
    # Files spread over the whole community: every grid has some.
    by_grid = Counter(grid.place_chain(r.household)[1].id for r in alone + unsupported)
    assert set(by_grid) == {"g1", "g2", "g3", "g4", "g5", "g6"}

    # Dynamic monitoring: Aunt Lü's file, as it reads on each day.
    assert lu.conditions_on(date(2026, 11, 17)) == {"living_alone"}
    assert lu.conditions_on(date(2026, 11, 18)) == {"living_alone", "injured"}
    assert lu.conditions_on(FOUND_ON) == {"living_alone", "injured", "recently_discharged"}
    assert lu.conditions_on(date(2026, 12, 18)) == {"living_alone", "recently_discharged"}
    assert lu.conditions_on(RECOVERED) == {"living_alone"}
    assert lu.age_on(FOUND_ON) == 78


# --------------------------------------------------------------------------- the visit and its case


def test_li_yanmings_visit_raises_an_issue_routed_to_his_micro_grid(grid, router, files):
    # The visit record keeps the id of the issue its finding raised.
    assert LI_VISIT.issue_id == FOUND.id
    assert (LI_VISIT.member, LI_VISIT.day) == (FOUND.reporter.id, FOUND_ON)
    assert FOUND.channel.zh == "走访"

    a = router.route(FOUND, residents=files)
    assert (a.unit, a.unit_name, a.leader_name) == ("mg31", "美好人家1号楼", "李燕明")
    assert not a.moved_by_matrix
    # She lives alone, so the rule for vulnerable elders fired, and it names the compound's
    # property company to link.
    assert a.rule == "vulnerable"
    assert a.partners == ("p-wuye",)
    assert "独居孤寡老人当日响应" in a.reason.zh and "美好人家物业" in a.reason.zh


@pytest.fixture(scope="module")
def closed_case(grid, router, files) -> Case:
    """The case, from Li Yanming's filing to Aunt Lü's evaluation (checked step by step in
    ``test_the_case_goes_up_to_peng_xueli_links_property_and_closes``)."""
    return _walk_the_case(grid, router, files, check=False)


def _walk_the_case(grid, router, files, *, check: bool) -> Case:
    li, peng = grid.member("m-li"), grid.member("m-g3")

    # 受理: Li files the case on his own micro-grid; linking 物业 is Peng's call, later.
    case = open_case(
        FOUND,
        router.route(FOUND, residents=files),
        router=router,
        actor=li.id,
        at=cst(11, 25, 9, 50),
        policy=YAXIN_POLICY,
        link_partners=False,
    )
    if check:
        assert (case.status, case.owner, grid.leader(case.owner)) == (
            CaseStatus.REPORTED,
            "mg31",
            li,
        )
        assert case.accept_by is not None and case.accept_by.due == cst(11, 25, 11, 50)

    # 上报: he reports it one tier up, to Peng Xueli's grid, by hand.
    up = escalation_for(
        case, YAXIN_POLICY, at=cst(11, 25, 10, 10), note="独居老人摔伤刚出院，需网格长统筹照护"
    )
    case = escalate(case, up, YAXIN_POLICY, actor=li.id)
    if check:
        assert (case.owner, case.owner_name, grid.leader(case.owner)) == ("g3", "第三网格", peng)
        assert case.accountable == "mg31"  # 首接负责: Li's micro-grid stays accountable
        assert case.accept_by is not None and case.accept_by.due == cst(11, 26, 0)  # same day
        # While she is on her way nothing is due and the light is green.
        at_two = cst(11, 25, 14)
        assert list(due_escalations([case], YAXIN_POLICY, at=at_two, router=router)) == []
        assert warning(case, at=at_two, calendar=YAXIN_POLICY.calendar) is WarningLevel.GREEN

    # 立案 and 联动: she visits the same afternoon, accepts, and links the property company.
    case = case.apply(Accepted(at=PENG_VISIT.at, actor=peng.id, note="已入户看望吕阿姨"))
    [wuye] = [
        p
        for p in grid.partners_for(case.chain[0].id, "elder_care", catalogue=DEFAULT_CATALOGUE)
        if p.kind is PartnerKind.PROPERTY_MANAGEMENT
    ]
    case = case.apply(
        CoHandlerLinked(
            at=cst(11, 25, 15),
            actor=peng.id,
            handler=wuye.id,
            name=wuye.name,
            due=cst(11, 26, 12),
        )
    )
    if check:
        assert wuye.name == "美好人家物业"
        # The case waits for the property company before it may be resolved.
        with pytest.raises(InvalidTransitionError, match="required co-handler 'p-wuye'"):
            case.apply(Resolved(at=cst(11, 25, 16), actor=peng.id))
    case = case.apply(
        CoHandlerCompleted(
            at=cst(11, 26, 11),
            actor=wuye.id,
            handler=wuye.id,
            note="楼道加装扶手，物业管家每日上门，代购生活用品",
        )
    )

    # 反馈: resolved by setting up the daily visit (每日一访) while she recovers.
    case = case.apply(
        Resolved(at=cst(11, 26, 11, 30), actor=peng.id, summary="建立每日一访，物业协助生活照料")
    )
    # 回访, 核查, 结案, 评价.
    case = case.apply(ResidentSatisfied(at=cst(11, 27, 10), actor="r-lu", note="每天有人来看我"))
    case = case.apply(Verified(at=cst(11, 27, 10, 30), actor="m-sec", note="社区回访核实"))
    case = case.apply(Closed(at=cst(11, 27, 11), actor=peng.id))
    return case.apply(
        Evaluated(at=cst(11, 27, 11, 5), actor="r-lu", satisfaction=Satisfaction.SATISFIED)
    )


def test_the_case_goes_up_to_peng_xueli_links_property_and_closes(
    grid, router, files, closed_case
):
    case = _walk_the_case(grid, router, files, check=True)
    assert case == closed_case

    assert [(type(s.event).__name__, s.status.value, s.owner) for s in case.timeline()] == [
        ("CaseOpened", "reported", "mg31"),
        ("Escalated", "reported", "g3"),
        ("Accepted", "accepted", "g3"),
        ("CoHandlerLinked", "accepted", "g3"),
        ("CoHandlerCompleted", "accepted", "g3"),
        ("Resolved", "resolved", "g3"),
        ("ResidentSatisfied", "resolved", "g3"),
        ("Verified", "verified", "g3"),
        ("Closed", "closed", "g3"),
        ("Evaluated", "evaluated", "g3"),
    ]
    up = case.events[1]
    assert isinstance(up, Escalated)
    assert (up.trigger, up.from_unit, up.to, up.actor) == (Trigger.MANUAL, "mg31", "g3", "m-li")
    # Peng Xueli came the same day, well within the grid's limit.
    accepted = case.events[2]
    assert accepted.at.date() == up.at.date() == FOUND_ON
    assert up.accept_by is not None and accepted.at <= up.accept_by.due
    # ... and resolved it within the grid's three working days.
    assert case.resolve_by is not None and case.events[5].at <= case.resolve_by.due

    # The linkage is on the record, done.
    [wuye] = case.co_handlers
    assert (wuye.id, wuye.name, wuye.state) == ("p-wuye", "美好人家物业", "done")
    # The loop is closed, the resident satisfied, the first receiving unit kept.
    assert not case.is_open
    assert case.satisfaction is Satisfaction.SATISFIED
    assert (case.chain[0].id, case.accountable, case.grid_version) == ("mg31", "mg31", "2026-11")
    assert case.escalation_triggers == (Trigger.MANUAL,)
    assert "需网格长统筹照护" in up.reason.zh
    story = case.describe(catalogue=DEFAULT_CATALOGUE).splitlines()
    assert story[0].startswith("2026-11-25 09:50 受理 — m-li：养老关爱 → 美好人家1号楼")
    assert story[1].startswith("2026-11-25 10:10 上报 — m-li：美好人家1号楼 → 第三网格")
    assert story[3] == "2026-11-25 15:00 联动 — m-g3：美好人家物业 [已立案 · 第三网格]"
    assert story[-1].endswith("[已评价 · 第三网格]")
    english = case.describe(lang="en").splitlines()
    assert english[3] == (
        "2026-11-25 15:00 co-handler linked — m-g3: 美好人家物业 [accepted · 第三网格]"
    )

    # Its events are all an app stores: the JSON round trip gives the same case back.
    assert from_dict(json.loads(json.dumps(to_dict(case), ensure_ascii=False)), Case) == case


# --------------------------------------------------------------------------- 每日一访


def test_a_daily_visit_while_she_is_recently_discharged_then_back_to_quarterly(
    grid, residents, lu, round_of_20_november
):
    records = [*round_of_20_november, LI_VISIT, PENG_VISIT]

    # The policy's decision on the day of the visit, with its reason.
    req = DEFAULT_POLICY.requirement(lu, on=FOUND_ON)
    assert req is not None
    assert (req.rule.id, req.frequency.zh, req.colour) == (
        "discharged_alone",
        "每日一访",
        VisitColour.RED,
    )
    assert "刚出院（至2026-12-24）" in req.reason.zh

    # Every morning until she recovers, the sweep finds her due that day — and only her,
    # among the 61 files — and the day's visit settles it.
    for day in days(FOUND_ON + timedelta(days=1), RECOVERED - timedelta(days=1)):
        due = list(due_visits(residents, records, DEFAULT_POLICY, on=day))
        mine = [d for d in due if d.resident == "r-lu"]
        assert len(mine) == 1, day
        assert (mine[0].due, mine[0].missed, mine[0].rule.id) == (day, False, "discharged_alone")  # type: ignore[union-attr]
        if day == FOUND_ON + timedelta(days=1):
            assert [d.resident for d in due] == ["r-lu"]
        records.append(
            VisitRecord(
                id=f"v-{day.isoformat()}-r-lu",
                resident="r-lu",
                member="m-li",
                at=cst(day.month, day.day, 9),
            )
        )
        assert "r-lu" not in {d.resident for d in due_visits([lu], records, DEFAULT_POLICY, on=day)}

    # The condition ends by itself: from 25 December she is back on her quarterly round,
    # counted from her last daily visit.
    after = next_due(lu, records, DEFAULT_POLICY, on=RECOVERED)
    assert after is not None and after.rule is not None
    assert (after.rule.id, after.due, after.is_due) == ("general", date(2027, 3, 24), False)


def test_a_missed_day_goes_to_peng_xueli(grid, residents, round_of_20_november):
    # Nobody comes on Monday 30 November: by Tuesday morning the visit is missed, and it is
    # escalated to the leader of the grid above her micro-grid.
    records = [*round_of_20_november, LI_VISIT, PENG_VISIT]
    records += [
        VisitRecord(id=f"v-{d.isoformat()}", resident="r-lu", member="m-li", at=cst(11, d.day, 9))
        for d in days(date(2026, 11, 26), date(2026, 11, 29))
    ]
    due = list(due_visits(residents, records, DEFAULT_POLICY, on=date(2026, 12, 1)))
    [esc] = [e for e in missed_visit_escalations(due, grid) if e.resident == "r-lu"]
    assert (esc.from_unit, esc.to, esc.leader) == ("mg31", "g3", "m-g3")
    assert (esc.to_name, esc.leader_name) == ("第三网格", "彭雪丽")
    assert "上报第三网格（彭雪丽）" in esc.reason.zh


def test_the_week_is_planned_for_the_micro_grid_leaders(grid, residents, round_of_20_november):
    records = [*round_of_20_november, LI_VISIT, PENG_VISIT]
    plan = plan_visits(
        residents,
        records,
        DEFAULT_POLICY,
        grid,
        start=date(2026, 11, 26),
        end=date(2026, 12, 2),
        capacity_per_member=3,
    )
    hers = [v for v in plan.visits if v.resident == "r-lu"]
    assert [v.day for v in hers] == days(date(2026, 11, 26), date(2026, 12, 2))
    assert {v.member for v in hers} == {"m-li"}  # her micro-grid leader, every day
    # On Friday the weekly round of the oldest elders living alone falls due as well.
    friday = plan.on(date(2026, 11, 27))
    assert all(v.due.colour is VisitColour.RED for v in friday)
    assert {v.due.rule.id for v in friday} == {"discharged_alone", "high_risk_alone"}  # type: ignore[union-attr]
    assert len(friday) == 12
    assert plan.shortfalls == ()
    assert plan.load("m-li") == 7


# --------------------------------------------------------------------------- 随叫随到


def test_the_on_call_line_routes_an_urgent_call_straight_to_the_grid_on_duty(grid, residents):
    files = {r.id: r for r in residents}
    on_call = Router(grid=grid, rules=YAXIN_RULES, matrix=DEFAULT_MATRIX)
    default = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)

    # Wednesday 2 December, 21:05: Aunt Lü rings the line; she cannot get up from the floor.
    call = Issue(
        id="yx-2026-1202-07",
        category="elder_care",
        severity=Severity.URGENT,
        channel=Channel.HOTLINE,
        place="h-1001",
        resident="r-lu",
        reporter=Reporter.resident("r-lu"),
        reported_at=cst(12, 2, 21, 5),
        description="吕阿姨来电：起身困难，需要帮助",
    )
    a = on_call.route(call, residents=files)
    assert (a.rule, a.start_unit, a.unit, a.leader_name) == ("on_call", "g3", "g3", "彭雪丽")
    assert not a.moved_by_matrix  # straight there, not pushed up by the 权责清单
    assert a.accept_by is not None
    assert a.accept_by.due == cst(12, 2, 22, 5)  # within the hour, at night
    assert a.partners == ("p-wuye",)  # the property company is brought in at once
    assert "随叫随到" in a.reason.zh
    # Under the default rules the same call would start at her micro-grid and only reach the
    # grid because the matrix pushes it up, with two hours to answer.
    d = default.route(call, residents=files)
    assert (d.rule, d.start_unit, d.unit, d.moved_by_matrix) == ("vulnerable", "mg31", "g3", True)
    assert d.accept_by is not None and d.accept_by.due == cst(12, 2, 23, 5)

    # Peng Xueli answers within the hour; the case is hers from the start.
    case = open_case(call, a, router=on_call, actor="hotline")
    case = case.apply(Accepted(at=cst(12, 2, 21, 20), actor="m-g3", note="电话回复，马上到"))
    assert (case.owner, case.accountable, case.status) == ("g3", "g3", CaseStatus.ACCEPTED)
    assert case.chain[0].id == "mg31"  # routed above her micro-grid, still located there
    assert [h.id for h in case.co_handlers] == ["p-wuye"]

    # Any resident's urgent call goes to their own grid on duty, even a dispute the default
    # rules would leave until the next working day ...
    quarrel = Issue(
        id="yx-2026-1202-08",
        category="dispute",
        severity=Severity.URGENT,
        channel=Channel.HOTLINE,
        place="h-0100",
        reporter=Reporter.resident("r-0100"),
        reported_at=cst(12, 2, 21, 30),
    )
    q = on_call.route(quarrel)
    assert q.accept_by is not None
    assert (q.rule, q.unit, q.leader_name, q.accept_by.due) == (
        "on_call",
        "g1",
        "张敏",
        cst(12, 2, 22, 30),
    )
    late = default.route(quarrel).accept_by
    assert late is not None and late.due == cst(12, 3, 18)
    # ... while a routine call still goes to the micro-grid, and an emergency to the community.
    routine = Issue(
        id="yx-2026-1202-09",
        category="dispute",
        severity=Severity.ROUTINE,
        channel=Channel.HOTLINE,
        place="h-0100",
        reporter=Reporter.resident("r-0100"),
        reported_at=cst(12, 2, 21, 40),
    )
    assert [(u, rule) for _, u, rule, _ in on_call.route_many([routine])] == [("mg11", "default")]
    fire = Issue(
        id="yx-2026-1202-10",
        category="safety_hazard",
        severity=Severity.EMERGENCY,
        channel=Channel.HOTLINE,
        place="h-1001",
        reporter=Reporter.resident("r-lu"),
        reported_at=cst(12, 2, 21, 50),
    )
    assert on_call.route(fire).rule == "emergency"
    assert on_call.route(fire).unit == "yx"

    # The rule set is data: it round-trips through JSON like any other gridgov value.
    assert (
        from_dict(json.loads(json.dumps(to_dict(YAXIN_RULES), ensure_ascii=False))) == YAXIN_RULES
    )
