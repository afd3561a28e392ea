"""Seed story (Qingxiu, 青秀佳苑社区): services planned around 一老一少一青壮.

Qingxiu Jiayuan community (青秀佳苑社区, Jingguang Road subdistrict) plans its grid services
around three groups of residents: the old (一老), the young (一少) and young adults (一青壮).
Here the groups are read off each resident's personal file (一人一档) *on the day*:

* 一老, the old: aged 60 or more;
* 一少, the young: minors, under 18;
* 一青壮, young adults: everyone in between.

So a resident changes group on a birthday, and nothing has to be re-filed: Uncle Wang
(王叔) becomes an elder on his 60th birthday (5 December 2026), Xiaoyu (小宇) a young adult
on his 18th (10 December 2026).  Tags on the file say what else the community knows
(``square_dancer``, ``sanitation_worker``, ``volunteer``).

The community's two policies differ by group:

* **Visits** (a :class:`~gridgov.VisitPolicy`, pure data): elders living alone or without
  family support are visited weekly (red), every other elder monthly (yellow); left-behind
  minors (留守) every two weeks; young adults have no scheduled visits.
* **Routing** (a :class:`~gridgov.RuleSet`): an elder's issue starts at the grid, so the
  grid leader attends to it, and must be accepted within two hours; a minor's issue links
  the youth social-work station (a social organisation, 社会组织); a micro-wish (微心愿) goes
  to the community, which links local resources (链接辖区资源); everything else — young
  adults' issues among them — is handled by the micro-grid where it arises.

And the report's micro-wish: the dancers who dance on 初心广场 (Chuxin Square) morning and
evening, and the sanitation workers (环卫工人) who hold their morning meeting there, want
light.  The wish is filed against the square, routed to the community, and the co-building
power station (共建单位) is linked; the community installs a row of lights.

Activities are planned for the same groups (``gridgov.community``): calligraphy shows and
festival crafts for 一老, a parent-child sports day for 一少, a volunteer team for 一青壮 that
earns volunteer points (积分).  Each :class:`~gridgov.Activity` targets its group with the
visit rules' own :class:`~gridgov.Criteria`; :func:`~gridgov.reach` says, per group and
quarter, who took part and who was not reached, reading the files on the quarter's last day.

Everything goes through the public API (``from gridgov import …``).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from gridgov import (
    CST,
    DEFAULT_MATRIX,
    Accepted,
    CaseStatus,
    Channel,
    Closed,
    CoHandlerCompleted,
    Condition,
    Criteria,
    Dispatched,
    Frequency,
    GridGraph,
    GridUnit,
    HandlingStarted,
    InvalidTransitionError,
    Issue,
    Match,
    Member,
    Partner,
    PartnerKind,
    Place,
    PlaceKind,
    Post,
    Reporter,
    Resident,
    ResidentSatisfied,
    Resolved,
    Role,
    Router,
    RoutingRule,
    RuleSet,
    SerializationError,
    Severity,
    TimeLimit,
    Verified,
    VisitColour,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    due_visits,
    from_dict,
    next_due,
    open_case,
    plan_visits,
    to_dict,
)
from gridgov.community import Activity, Participation, PointsPolicy, points_ledger, reach
from gridgov.metrics import Grain, Period

# --------------------------------------------------------------------------- the groups

ELDER_FROM = 60  # 一老: aged 60 or more on the day
ADULT_FROM = 18  # 一少: under 18 on the day; 一青壮: in between

GROUP_ZH = {"elder": "一老", "young": "一少", "young_adult": "一青壮"}


def group_of(resident: Resident, day: date) -> str:
    """The resident's group on *day*, read off the personal file (age on that day)."""
    age = resident.age_on(day)
    if age >= ELDER_FROM:
        return "elder"
    if age < ADULT_FROM:
        return "young"
    return "young_adult"


# --------------------------------------------------------------------------- the community

THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=CST)  # a working Thursday morning
WANG_TURNS_60 = date(2026, 12, 5)
XIAOYU_TURNS_18 = date(2026, 12, 10)


def build_grid() -> GridGraph:
    """青秀佳苑社区 → 2 grids → 4 micro-grids, its households, the square, team and partners."""
    units = [
        GridUnit(id="qx", name="青秀佳苑社区", tier="community"),
        GridUnit(id="qx-g1", name="第一网格", tier="grid", parent="qx"),
        GridUnit(id="qx-g2", name="第二网格", tier="grid", parent="qx"),
        GridUnit(id="qx-mg11", name="1号楼", tier="micro_grid", parent="qx-g1"),
        GridUnit(id="qx-mg12", name="2号楼", tier="micro_grid", parent="qx-g1"),
        GridUnit(id="qx-mg21", name="3号楼", tier="micro_grid", parent="qx-g2"),
        GridUnit(id="qx-mg22", name="初心广场片区", tier="micro_grid", parent="qx-g2"),
    ]
    places = [
        Place(id="h-1-101", unit="qx-mg11", name="1号楼101"),
        Place(id="h-1-202", unit="qx-mg11", name="1号楼202"),
        Place(id="h-1-303", unit="qx-mg11", name="1号楼303"),
        Place(id="h-2-101", unit="qx-mg12", name="2号楼101"),
        Place(id="h-2-301", unit="qx-mg12", name="2号楼301"),
        Place(id="h-3-101", unit="qx-mg21", name="3号楼101"),
        Place(id="h-3-402", unit="qx-mg21", name="3号楼402"),
        Place(id="h-3-502", unit="qx-mg21", name="3号楼502"),
        Place(id="p-chuxin", unit="qx-mg22", kind=PlaceKind.PUBLIC_SPACE, name="初心广场"),
    ]
    members = [
        Member(id="m-sec", name="周书记", posts=[Post(role=Role.SECRETARY, unit="qx")]),
        Member(id="m-g1", name="杨丽", posts=[Post(role=Role.GRID_LEADER, unit="qx-g1")]),
        Member(id="m-g2", name="马强", posts=[Post(role=Role.GRID_LEADER, unit="qx-g2")]),
        Member(id="m-11", name="陶红", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="qx-mg11")]),
        Member(id="m-12", name="许文", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="qx-mg12")]),
        Member(id="m-21", name="郭燕", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="qx-mg21")]),
        Member(id="m-22", name="邓军", posts=[Post(role=Role.MICRO_GRID_LEADER, unit="qx-mg22")]),
    ]
    partners = [
        Partner(
            id="p-wuye",
            name="青秀佳苑物业",
            kind=PartnerKind.PROPERTY_MANAGEMENT,
            categories={"facility_repair", "environment"},
            units={"qx"},
        ),
        Partner(
            id="p-health",
            name="京广路社区卫生服务中心",
            kind=PartnerKind.HEALTH_CENTRE,
            categories={"elder_care", "health_care"},
            units={"qx"},
        ),
        Partner(
            id="p-youth",
            name="青秀佳苑青少年社工站",
            kind=PartnerKind.SOCIAL_ORGANISATION,
            units={"qx"},  # serves any category
        ),
        Partner(
            id="p-power",
            name="京广路供电所",
            kind=PartnerKind.CO_BUILDING_UNIT,
            categories={"micro_wish", "facility_repair"},
            units={"qx"},
        ),
    ]
    return GridGraph(
        version="2026-11", units=units, places=places, members=members, partners=partners
    )


def build_residents() -> dict[str, Resident]:
    """Personal files: three elders, an uncle about to turn 60, two minors, two young adults."""
    opened = date(2026, 1, 1)
    files = [
        # 一老
        Resident(
            id="r-zhang",
            name="张大爷",
            household="h-1-101",
            birth_date=date(1940, 6, 1),
            conditions=[Condition(kind="living_alone")],
            file_opened=opened,
        ),
        Resident(
            id="r-liu",
            name="刘阿姨",
            household="h-1-202",
            birth_date=date(1955, 3, 8),
            tags={"square_dancer"},
            file_opened=opened,
        ),
        Resident(
            id="r-sun",
            name="孙阿姨",
            household="h-2-301",
            birth_date=date(1958, 9, 15),
            tags={"square_dancer"},
            file_opened=opened,
        ),
        # 一青壮 until his 60th birthday, then 一老
        Resident(
            id="r-wang",
            name="王叔",
            household="h-2-101",
            birth_date=date(1966, 12, 5),
            file_opened=opened,
        ),
        # 一少: two left-behind minors (留守), one of whom comes of age in December
        Resident(
            id="r-yu",
            name="小宇",
            household="h-3-402",
            birth_date=date(2008, 12, 10),
            conditions=[Condition(kind="left_behind")],
            file_opened=opened,
        ),
        Resident(
            id="r-duo",
            name="朵朵",
            household="h-3-101",
            birth_date=date(2016, 5, 20),
            conditions=[Condition(kind="left_behind")],
            file_opened=opened,
        ),
        # 一青壮
        Resident(
            id="r-chen",
            name="陈师傅",
            household="h-3-502",
            birth_date=date(1985, 4, 12),
            tags={"sanitation_worker"},
            file_opened=opened,
        ),
        Resident(
            id="r-na",
            name="李娜",
            household="h-1-303",
            birth_date=date(1996, 7, 30),
            tags={"volunteer"},
            file_opened=opened,
        ),
    ]
    return {r.id: r for r in files}


# --------------------------------------------------------------------------- the policies

VISITS = VisitPolicy(
    name="qingxiu",
    rules=[
        VisitRule(
            id="elder_alone",
            frequency=Frequency.weekly(grace_days=1),
            colour=VisitColour.RED,
            reason="一老：独居或孤寡老人，每周一访",
            reason_en="the old (一老): elders living alone or without family support, weekly",
            who=Criteria(min_age=ELDER_FROM, conditions_any={"living_alone", "no_family_support"}),
        ),
        VisitRule(
            id="elder",
            frequency=Frequency.monthly(grace_days=3),
            colour=VisitColour.YELLOW,
            reason="一老：60岁以上老人，每月一访",
            reason_en="the old (一老): every elder aged 60+, monthly",
            who=Criteria(min_age=ELDER_FROM),
        ),
        VisitRule(
            id="young_left_behind",
            frequency=Frequency.every_weeks(2, grace_days=2),
            colour=VisitColour.YELLOW,
            reason="一少：留守未成年人，每两周一访",
            reason_en="the young (一少): left-behind minors, every two weeks",
            who=Criteria(max_age=ADULT_FROM - 1, conditions_any={"left_behind"}),
        ),
        # 一青壮: no rule, so no scheduled visits.
    ],
)


def build_rules() -> RuleSet:
    """The routing rules: the groups are read off the resident's file on the day of the report
    (``Match`` age bands), so the rules are data, like the visit policy."""
    return RuleSet(
        name="qingxiu",
        rules=[
            RoutingRule(
                id="elder",
                name="the old (一老): the grid leader attends the same day",
                zh="一老：老人诉求网格长当日响应",
                match=Match(who=Criteria(min_age=ELDER_FROM)),
                start_tier="grid",
                link={PartnerKind.HEALTH_CENTRE, PartnerKind.PROPERTY_MANAGEMENT},
                accept_within=TimeLimit.natural_hours(2),
                resolve_within=TimeLimit.working_days(1),
            ),
            RoutingRule(
                id="young",
                name="the young (一少): link the youth social-work station",
                zh="一少：未成年人诉求联动社会组织",
                match=Match(who=Criteria(max_age=ADULT_FROM - 1)),
                link={PartnerKind.SOCIAL_ORGANISATION},
                accept_within=TimeLimit.working_hours(4),
                resolve_within=TimeLimit.working_days(5),
            ),
            RoutingRule(
                id="micro_wish",
                name="micro-wishes: the community links local resources",
                zh="微心愿：社区链接辖区资源",
                match=Match(categories={"micro_wish"}),
                start_tier="community",
                link={PartnerKind.CO_BUILDING_UNIT},
                accept_within=TimeLimit.working_days(1),
                resolve_within=TimeLimit.working_days(20),
            ),
            RoutingRule(
                id="default",
                name="everything else, young adults' issues among them, at the micro-grid",
                zh="其余事项到微网格",
                accept_within=TimeLimit.working_days(1),
                resolve_within=TimeLimit.working_days(13),
            ),
        ],
    )


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return build_grid()


@pytest.fixture(scope="module")
def files() -> dict[str, Resident]:
    return build_residents()


@pytest.fixture(scope="module")
def router(grid: GridGraph, files: dict[str, Resident]) -> Router:
    return Router(grid=grid, rules=build_rules(), matrix=DEFAULT_MATRIX)


def visit(resident: str, member: str, day: date) -> VisitRecord:
    return VisitRecord(
        id=f"v-{resident}-{day.isoformat()}",
        resident=resident,
        member=member,
        at=datetime(day.year, day.month, day.day, 10, tzinfo=CST),
    )


# --------------------------------------------------------------------------- the groups


def test_residents_are_grouped_from_their_files_on_the_day(files: dict[str, Resident]) -> None:
    """一老一少一青壮, by age on the day; a birthday moves a resident to the next group."""
    day = THURSDAY.date()
    groups = {rid: group_of(r, day) for rid, r in files.items()}
    assert groups == {
        "r-zhang": "elder",
        "r-liu": "elder",
        "r-sun": "elder",
        "r-wang": "young_adult",
        "r-yu": "young",
        "r-duo": "young",
        "r-chen": "young_adult",
        "r-na": "young_adult",
    }
    # Uncle Wang joins 一老 on his 60th birthday, Xiaoyu leaves 一少 on his 18th.
    assert group_of(files["r-wang"], date(2026, 12, 4)) == "young_adult"
    assert group_of(files["r-wang"], WANG_TURNS_60) == "elder"
    assert group_of(files["r-yu"], date(2026, 12, 9)) == "young"
    assert group_of(files["r-yu"], XIAOYU_TURNS_18) == "young_adult"


# --------------------------------------------------------------------------- visits


def test_the_visit_policy_differs_by_group(files: dict[str, Resident]) -> None:
    """Elders and left-behind minors are under the policy, each with its reason; young
    adults are not."""
    day = THURSDAY.date()
    decided = {rid: VISITS.requirement(r, on=day) for rid, r in files.items()}

    zhang = decided["r-zhang"]
    assert zhang is not None and zhang.rule.id == "elder_alone"
    assert zhang.colour is VisitColour.RED and zhang.frequency.zh == "每周一访"
    assert (
        "一老" in str(zhang.reason) and "86岁" in str(zhang.reason) and "独居" in str(zhang.reason)
    )
    assert [r.id for r in zhang.also] == ["elder"]

    for rid in ("r-liu", "r-sun"):
        req = decided[rid]
        assert req is not None and req.rule.id == "elder", rid
        assert req.colour is VisitColour.YELLOW and req.frequency.zh == "每月一访"
        assert "一老" in str(req.reason) and "the old" in str(req.reason)

    for rid in ("r-yu", "r-duo"):
        req = decided[rid]
        assert req is not None and req.rule.id == "young_left_behind", rid
        assert req.frequency.zh == "每2周一访"
        assert "一少" in str(req.reason) and "留守" in str(req.reason)

    # 一青壮: no rule matches, so nothing is ever due.
    for rid in ("r-wang", "r-chen", "r-na"):
        assert decided[rid] is None, rid
        assert next_due(files[rid], [], VISITS, on=day) is None

    # The decision follows the group on every day of a season, birthdays included.
    for offset in range(60):
        d = date.fromordinal(day.toordinal() + offset)
        for r in files.values():
            under_policy = VISITS.requirement(r, on=d) is not None
            group = group_of(r, d)
            expected = group == "elder" or (
                group == "young" and "left_behind" in r.conditions_on(d)
            )
            assert under_policy == expected, (r.id, d)


def test_who_is_due_week_by_week(grid: GridGraph, files: dict[str, Resident]) -> None:
    """Everyone under the policy was visited on 20 November; then the sweeps say who is due."""
    residents = list(files.values())
    records = [
        visit("r-zhang", "m-11", date(2026, 11, 20)),
        visit("r-liu", "m-11", date(2026, 11, 20)),
        visit("r-sun", "m-12", date(2026, 11, 20)),
        visit("r-yu", "m-21", date(2026, 11, 20)),
        visit("r-duo", "m-21", date(2026, 11, 20)),
    ]

    # Friday 27 November: Grandpa Zhang's weekly visit, and nobody else's.
    due = list(due_visits(residents, records, VISITS, on=date(2026, 11, 27)))
    assert [(d.resident, d.due, d.days_overdue) for d in due] == [
        ("r-zhang", date(2026, 11, 27), 0)
    ]
    assert due[0].rule is not None and due[0].rule.id == "elder_alone"
    assert "一老" in str(due[0].reason) and "上次探访2026-11-20" in str(due[0].reason)

    # He is visited that day.  A week later, the two left-behind minors are due as well.
    records.append(visit("r-zhang", "m-11", date(2026, 11, 27)))
    due = list(due_visits(residents, records, VISITS, on=date(2026, 12, 4)))
    assert {d.resident: d.rule.id for d in due if d.rule is not None} == {
        "r-zhang": "elder_alone",
        "r-yu": "young_left_behind",
        "r-duo": "young_left_behind",
    }
    assert all("一少" in str(d.reason) for d in due if d.resident in {"r-yu", "r-duo"})

    # The plan for that day gives each visit to the member posted in the resident's micro-grid.
    plan = plan_visits(
        residents,
        records,
        VISITS,
        grid,
        start=date(2026, 12, 4),
        end=date(2026, 12, 4),
        capacity_per_member=3,
    )
    assert {(v.resident, v.member) for v in plan.visits} == {
        ("r-zhang", "m-11"),
        ("r-yu", "m-21"),
        ("r-duo", "m-21"),
    }
    assert plan.shortfalls == ()

    # They are visited on 4 December.  On the 5th Uncle Wang turns 60: he joins 一老 and is
    # due that very day, never having been visited; nobody else is due.
    records += [visit(v.resident, v.member, v.day) for v in plan.visits]
    due = list(due_visits(residents, records, VISITS, on=WANG_TURNS_60))
    assert [(d.resident, d.due) for d in due] == [("r-wang", WANG_TURNS_60)]
    assert due[0].rule is not None and due[0].rule.id == "elder"
    assert "尚未探访" in str(due[0].reason) and "一老" in str(due[0].reason)

    # On his 18th birthday Xiaoyu leaves 一少: no visit is scheduled for him any more.
    assert next_due(files["r-yu"], records, VISITS, on=date(2026, 12, 9)) is not None
    assert next_due(files["r-yu"], records, VISITS, on=XIAOYU_TURNS_18) is None


# --------------------------------------------------------------------------- routing


def stairwell_light(resident: Resident, *, at: datetime = THURSDAY) -> Issue:
    return Issue(
        id=f"qx-light-{resident.id}",
        category="facility_repair",
        severity=Severity.ROUTINE,
        channel=Channel.HOTLINE,
        place=resident.household,
        resident=resident.id,
        reporter=Reporter.resident(resident.id),
        reported_at=at,
        description="楼道灯坏了 the stairwell light is broken",
    )


def test_an_elders_issue_goes_to_the_grid_leader_faster_than_a_young_adults(
    router: Router, files: dict[str, Resident]
) -> None:
    """The same broken light in building 1, reported by Grandpa Zhang and by Li Na."""
    elder = router.route(stairwell_light(files["r-zhang"]), residents=files)
    adult = router.route(stairwell_light(files["r-na"]), residents=files)

    # 一老: starts at the grid, the grid leader attends, accept within two hours.
    assert elder.rule == "elder"
    assert (elder.unit, elder.tier, elder.leader_name) == ("qx-g1", "grid", "杨丽")
    assert elder.accept_by is not None
    assert elder.accept_by.due == datetime(2026, 11, 26, 11, 0, tzinfo=CST)
    assert "一老：老人诉求网格长当日响应" in elder.reason.zh and "the old" in elder.reason.en
    # Of the two partner kinds the rule links, only the one serving repairs is linked.
    assert elder.partners == ("p-wuye",)

    # 一青壮: the default rule, at the micro-grid, accepted by the next working day.
    assert adult.rule == "default"
    assert (adult.unit, adult.tier, adult.leader_name) == ("qx-mg11", "micro_grid", "陶红")
    assert adult.accept_by is not None
    assert adult.accept_by.due == datetime(2026, 11, 27, 9, 0, tzinfo=CST)
    assert elder.accept_by.due < adult.accept_by.due
    assert adult.partners == ()


def test_a_minors_issue_links_the_social_organisation_until_he_comes_of_age(
    router: Router, files: dict[str, Resident]
) -> None:
    """Xiaoyu, left behind with his grandmother, asks for help with his studies."""
    yu = files["r-yu"]

    def study_help(at: datetime) -> Issue:
        return Issue(
            id=f"qx-study-{at.date().isoformat()}",
            category="welfare",
            severity=Severity.ROUTINE,
            channel=Channel.VISIT,
            place=yu.household,
            resident=yu.id,
            reporter=Reporter.member("m-21"),
            reported_at=at,
            description="留守少年小宇需要课业辅导 needs help with homework",
        )

    a = router.route(study_help(THURSDAY), residents=files)
    assert a.rule == "young"
    assert a.unit == "qx-mg21" and a.leader_name == "郭燕"
    assert a.partners == ("p-youth",)
    assert "一少：未成年人诉求联动社会组织" in a.reason.zh and "青少年社工站" in a.reason.zh

    # The day before his 18th birthday he is still 一少; on it, a young adult (一青壮).
    eve = router.route(study_help(datetime(2026, 12, 9, 9, 0, tzinfo=CST)), residents=files)
    birthday = router.route(study_help(datetime(2026, 12, 10, 9, 0, tzinfo=CST)), residents=files)
    assert (eve.rule, birthday.rule) == ("young", "default")
    assert birthday.partners == ()


def chuxin_wish() -> Issue:
    """Aunt Liu's micro-wish, posted in the grid's group chat."""
    return Issue(
        id="qx-wish-chuxin-light",
        category="micro_wish",
        severity=Severity.ROUTINE,
        channel=Channel.GROUP_CHAT,
        place="p-chuxin",
        reporter=Reporter.resident("r-liu"),
        reported_at=THURSDAY,
        description=(
            "初心广场晚上没有灯：早晚跳广场舞的老人、清晨开晨会的环卫工人都需要照明 "
            "no lights on Chuxin Square for the dancers and the sanitation workers"
        ),
    )


def test_the_square_dance_lighting_micro_wish(
    grid: GridGraph, router: Router, files: dict[str, Resident]
) -> None:
    """初心广场 has no lights: a micro-wish for the dancers and the sanitation workers.

    Aunt Liu (刘阿姨) posts it in the grid's group chat.  It concerns the square — a public
    space, not one resident — so no group rule applies: the micro-wish rule sends it to the
    community, which links the co-building power station.
    """
    assert grid.place_unit("p-chuxin").name == "初心广场片区"
    wish = chuxin_wish()
    a = router.route(wish, residents=files)
    assert a.rule == "micro_wish"
    assert (a.unit, a.tier, a.leader_name) == ("qx", "community", "周书记")
    assert a.partners == ("p-power",)
    assert a.moved_by_matrix is False
    assert "微心愿：社区链接辖区资源" in a.reason.zh and "京广路供电所" in a.reason.zh
    assert a.resolve_by is not None
    assert a.resolve_by.due > THURSDAY

    # Who benefits, read off the files' tags: the old and the young adults together.
    beneficiaries = [r for r in files.values() if r.tags & {"square_dancer", "sanitation_worker"}]
    assert sorted(r.name for r in beneficiaries) == ["刘阿姨", "孙阿姨", "陈师傅"]
    assert {GROUP_ZH[group_of(r, THURSDAY.date())] for r in beneficiaries} == {"一老", "一青壮"}


def test_the_lights_go_up_and_the_case_closes(grid: GridGraph, router: Router) -> None:
    """The community opens a case; the power station, linked in, does its part; the square's
    micro-grid leader sees the lights installed; Aunt Liu is satisfied; the case closes."""
    wish = chuxin_wish()
    case = open_case(wish, router.route(wish), router=router, actor="m-sec")
    assert (case.status, case.owner) == (CaseStatus.REPORTED, "qx")
    assert [h.id for h in case.co_handlers] == ["p-power"]

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=CST)

    case = case.apply(Accepted(at=at(26, 10), actor="m-sec"))
    case = case.apply(Dispatched(at=at(26, 11), actor="m-sec", handler="m-22"))
    case = case.apply(HandlingStarted(at=at(27, 9), actor="m-22"))
    done = Resolved(at=at(30, 16), actor="m-22", summary="初心广场安装了一排氛围灯和照明灯")
    # Not before the linked power station has done its part.
    with pytest.raises(InvalidTransitionError, match="co-handler 'p-power'"):
        case.apply(done)
    case = case.apply(CoHandlerCompleted(at=at(30, 15), actor="p-power", handler="p-power"))
    case = case.apply(done)
    case = case.apply(Verified(at=at(30, 19), actor="m-22"))
    case = case.apply(ResidentSatisfied(at=at(30, 20), actor="r-liu"))
    case = case.apply(Closed(at=at(30, 21), actor="m-sec"))
    assert case.status is CaseStatus.CLOSED and case.status.zh == "已结案"
    assert case.accountable == "qx"


# --------------------------------------------------------------------------- as data


def test_both_policies_are_data() -> None:
    """The visit policy and the routing rules round-trip through JSON-safe dicts; had the
    groups been read with a predicate, ``to_dict`` would refuse the rules (not drop them)."""
    assert from_dict(json.loads(json.dumps(to_dict(VISITS)))) == VISITS
    rules = build_rules()
    assert from_dict(json.loads(json.dumps(to_dict(rules)))) == rules
    by_predicate = RuleSet(
        name="qingxiu-predicate",
        rules=[
            RoutingRule(id="elder", name="elders", match=Match(predicate=lambda i: True)),
            *rules.rules[2:],
        ],
    )
    with pytest.raises(SerializationError, match="predicate"):
        to_dict(by_predicate)


# --------------------------------------------------------------------------- activities for groups

GROUPS = {  # 一老一少一青壮 as resident criteria, the same vocabulary as the visit rules'
    "elder": Criteria(min_age=ELDER_FROM),
    "young": Criteria(max_age=ADULT_FROM - 1),
    "young_adult": Criteria(min_age=ADULT_FROM, max_age=ELDER_FROM - 1),
}
Q4 = Period.of(date(2026, 10, 1), Grain.QUARTER)


def qingxiu_activities() -> list[Activity]:
    def activity(id: str, name: str, group: str, schedule: Frequency, **kw: object) -> Activity:
        return Activity(
            id=id,
            name=name,
            unit="qx",
            group=GROUPS[group],
            group_name=GROUP_ZH[group],
            schedule=schedule,
            organisers=["m-sec"],
            **kw,  # type: ignore[arg-type]
        )

    return [
        activity("qx-shufa", "书法作品展", "elder", Frequency.quarterly(), partners=["p-health"]),
        activity("qx-shougong", "节日手工", "elder", Frequency.monthly()),
        activity("qx-qinzi", "亲子运动会", "young", Frequency.quarterly(), partners=["p-youth"]),
        activity(
            "qx-zhiyuan",
            "青壮志愿服务队",
            "young_adult",
            Frequency.weekly(),
            points=PointsPolicy(per_activity=2, per_hour=10),
        ),
    ]


def took_part(id: str, activity: str, person: str, day: date, minutes: int = 90) -> Participation:
    return Participation(id=id, activity=activity, person=person, on=day, minutes=minutes)


PARTICIPATIONS = [
    took_part("p01", "qx-shufa", "r-zhang", date(2026, 10, 18)),
    took_part("p02", "qx-shougong", "r-liu", date(2026, 11, 12)),
    took_part("p03", "qx-shougong", "r-zhang", date(2026, 11, 12)),
    took_part("p04", "qx-qinzi", "r-duo", date(2026, 11, 21)),
    took_part("p05", "qx-zhiyuan", "r-na", date(2026, 10, 10), minutes=150),
    took_part("p06", "qx-zhiyuan", "r-na", date(2026, 12, 19), minutes=45),
    took_part("p07", "qx-zhiyuan", "r-chen", date(2026, 12, 19), minutes=120),
    took_part("p08", "qx-shufa", "r-sun", date(2026, 9, 20)),  # the quarter before: not counted
]


def test_each_group_has_its_activities_and_its_reach_this_quarter(
    grid: GridGraph, files: dict[str, Resident]
) -> None:
    activities = qingxiu_activities()
    found = reach(activities, files.values(), PARTICIPATIONS, period=Q4, grid=grid)
    assert [(r.group_name, r.activities) for r in found] == [
        ("一老", ("qx-shufa", "qx-shougong")),
        ("一少", ("qx-qinzi",)),
        ("一青壮", ("qx-zhiyuan",)),
    ]
    # The groups are read off the files on the quarter's last day, as group_of reads them:
    # Uncle Wang turned 60 on 5 December and is an elder; Xiaoyu turned 18 and is a young adult.
    last = date(2026, 12, 31)
    for r in found:
        key = next(k for k, zh in GROUP_ZH.items() if zh == r.group_name)
        assert r.members == tuple(sorted(f.id for f in files.values() if group_of(f, last) == key))
        came = {p.person for p in PARTICIPATIONS if p.activity in r.activities and p.on in Q4}
        assert set(r.reached) == came & set(r.members)
        assert r.reason.zh.startswith(f"青秀佳苑社区{r.group_name}（")
    elders, young, adults = found
    assert "r-wang" in elders.members and "r-yu" in adults.members
    # Aunt Sun came to the calligraphy show in September, not this quarter: she is not reached.
    assert elders.not_reached == ("r-sun", "r-wang")
    assert elders.rate == (2, 4) and young.not_reached == ()
    # Xiaoyu, a young adult now, has not yet joined the volunteer team.
    assert adults.members == ("r-chen", "r-na", "r-yu") and adults.not_reached == ("r-yu",)
    assert "共4人，参加2人，未覆盖2人" in elders.reason.zh
    assert activities[0].describe().zh == "书法作品展：面向一老（60岁以上），每季度一次"


def test_volunteer_points_are_a_policy_and_the_ledger_sums_exactly() -> None:
    activities = qingxiu_activities()
    ledger = points_ledger(activities, PARTICIPATIONS)
    # 2 per activity + 10 per hour, rounded down: 150 min → 27, 45 min → 9, 120 min → 22.
    assert ledger.balance("r-na") == 27 + 9 and ledger.balance("r-chen") == 22
    assert ledger.balance("r-zhang") == 0  # the elders' activities give no points
    assert ledger.total == sum(points for _, points in ledger.balances()) == 58
    assert ledger.balances()[0] == ("r-na", 36)
    assert "= 27 points" in ledger.entries[4].reason.en
