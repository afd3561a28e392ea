"""The street office scenario's configuration (not a test module): the street's calendar, its
12345 category catalogue, its four-tier grid of 3,000 households, its responsibility matrix,
routing rules and escalation policy, the seeded tickets, and the test's own reading of each
(``my_limit``, ``my_rule``, ``my_partners``, ``my_sla``, the clocks).

See ``test_street_office.py`` for the scenario; ``street_office_simulation.py`` runs it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gridgov import (
    CST,
    DEFAULT_TRIGGERS,
    FOUR_TIER,
    Category,
    CategoryCatalogue,
    Channel,
    Condition,
    Criteria,
    Deadline,
    EscalationPolicy,
    ExternalBody,
    GridGraph,
    GridUnit,
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
    Resident,
    Responsibility,
    ResponsibilityMatrix,
    Role,
    Router,
    RoutingRule,
    RuleSet,
    Severity,
    Sla,
    TimeLimit,
    WorkCalendar,
)

SEED = 20260330
TICKETS = 2000
START = datetime(2026, 3, 30, 0, 0, tzinfo=CST)  # a Monday
HOURS = 14 * 24  # the sweep runs every hour for two weeks
END = START + timedelta(hours=HOURS)
DUPLICATE_WINDOW = timedelta(days=2)

# The street's calendar: morning and afternoon office hours, the Qingming holiday (清明,
# 4–6 April) and a make-up Sunday (调休, 12 April) — illustrative dates.
CAL = WorkCalendar(
    hours=["08:30-12:00", "14:00-17:30"],
    holidays={date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)},
    workdays={date(2026, 4, 12)},
)

# --------------------------------------------------------------------------- the catalogue

# broad code: (English, 中文, [(code, English, 中文), ...]) — a 12345-style 派单目录.
FAMILIES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "dispute": ("disputes", "矛盾纠纷", [
        ("neighbour_dispute", "neighbour dispute", "邻里纠纷"),
        ("family_dispute", "family dispute", "家庭纠纷"),
        ("property_dispute", "property-management dispute", "物业纠纷"),
        ("labour_dispute", "labour dispute", "劳资纠纷"),
    ]),
    "facilities": ("municipal facilities", "市政设施", [
        ("street_light", "street light", "路灯"),
        ("manhole", "manhole cover", "井盖"),
        ("road", "road surface", "道路"),
        ("water_supply", "water supply", "供水"),
    ]),
    "sanitation": ("environment and sanitation", "环境卫生", [
        ("garbage", "garbage", "垃圾"),
        ("noise", "noise", "噪音"),
        ("cooking_fumes", "cooking fumes", "油烟"),
        ("sewage", "sewage", "污水"),
    ]),
    "public_security": ("public security", "治安", [
        ("theft", "theft", "盗窃"),
        ("fraud", "fraud", "诈骗"),
        ("disorder", "disturbing public order", "扰乱秩序"),
    ]),
    "traffic": ("traffic", "交通出行", [
        ("illegal_parking", "illegal parking", "违章停车"),
        ("bus", "bus service", "公交"),
    ]),
    "housing": ("housing and building", "住房建设", [
        ("illegal_building", "illegal building", "违章建筑"),
        ("lift", "lift", "电梯"),
        ("leaking", "leaking roof or pipe", "房屋漏水"),
    ]),
    "social_security": ("social security", "社会保障", [
        ("pension", "pension", "养老保险"),
        ("medical_insurance", "medical insurance", "医疗保险"),
        ("subsistence", "subsistence allowance", "低保"),
    ]),
    "elder_care": ("elder care", "养老服务", [
        ("home_care", "home care", "居家养老"),
        ("meal_aid", "meal aid", "助餐"),
    ]),
    "health": ("health", "卫生健康", [
        ("epidemic", "epidemic prevention", "防疫"),
        ("clinic", "clinic service", "诊疗服务"),
    ]),
    "market": ("market supervision", "市场监管", [
        ("food_safety", "food safety", "食品安全"),
        ("price", "prices", "价格"),
    ]),
    "enquiry": ("policy enquiry", "政策咨询", []),
    "suggestion": ("opinion or suggestion", "意见建议", []),
}
HOTLINE = CategoryCatalogue(
    name="淮河路街道12345派单目录",
    categories=[
        category
        for code, (label, zh, children) in FAMILIES.items()
        for category in (
            Category(code=code, label=label, zh=zh),
            *(Category(code=c, label=lb, zh=z, parent=code) for c, lb, z in children),
        )
    ],
)
# The test's own reading of the hierarchy (two levels: a code and, maybe, its parent).
PARENT: dict[str, str | None] = dict.fromkeys(FAMILIES)
PARENT.update({c: code for code, (_, _, children) in FAMILIES.items() for c, _, _ in children})
ZH = {c.code: c.zh for c in HOTLINE}


def lineage(code: str) -> tuple[str, ...]:
    parent = PARENT[code]
    return (code,) if parent is None else (code, parent)


def related(a: str, b: str) -> bool:
    """The same matter: equal, or one refines the other (siblings are not)."""
    return a == b or PARENT[a] == b or PARENT[b] == a


# --------------------------------------------------------------------------- the grid

SUBDISTRICT = ("sd-huaihe", "淮河路街道")
COMMUNITIES = [("c-yx", "亚新社区"), ("c-edj", "二道街社区"), ("c-hn", "淮南社区")]
GRIDS_PER_COMMUNITY = 5
MICRO_PER_GRID = 4
HOUSEHOLDS_PER_MICRO = 50
NUMERALS = "一二三四五六七八九十"
COMPOUND_HEADS = ["幸福", "和平", "阳光", "锦绣", "翠竹", "金桥", "梧桐", "春晖", "书香", "紫荆",
                  "丽景", "安居"]
COMPOUND_TAILS = ["里", "苑", "花园", "家园", "小区"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = ["秀英", "桂兰", "建国", "志强", "海燕", "玉梅", "国华", "丽娟", "红霞", "德明", "淑珍",
         "文斌", "晓东", "春生", "雪莉", "燕明", "子涵", "思远", "佳怡", "浩然"]
HOT_SPOTS = [  # public places with a theme: where the same matter is reported again and again
    ("初心广场", ("sanitation", "noise", "garbage")),
    ("淮河路与二道街路口", ("facilities", "street_light", "road")),
    ("亚新菜市场", ("sanitation", "cooking_fumes", "garbage")),
    ("淮南小学门口", ("traffic", "illegal_parking")),
    ("二道街夜市", ("sanitation", "noise", "cooking_fumes")),
    ("滨河步道", ("facilities", "street_light", "manhole")),
    ("老年活动中心", ("elder_care", "meal_aid")),
    ("幸福里地下车库", ("housing", "leaking", "lift")),
]


def person(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


@dataclass(frozen=True)
class Street:
    """The street as the test knows it, independently of the library's indices."""

    grid: GridGraph
    leader: dict[str, str]  # unit id → its leader's member id
    parent: dict[str, str | None]  # unit id → parent id
    tier: dict[str, str]
    name: dict[str, str]
    micro: list[str]
    grids: list[str]
    households: list[str]
    hot_spots: list[str]
    place_unit: dict[str, str]
    partners: list[Partner]
    residents: list[Resident]

    def chain(self, unit: str) -> list[str]:
        out = [unit]
        while (up := self.parent[out[-1]]) is not None:
            out.append(up)
        return out


def build_street() -> Street:
    sd_id, sd_name = SUBDISTRICT
    units = [GridUnit(id=sd_id, name=sd_name, tier="subdistrict")]
    members = [Member(id="m000", name=person(0),
                      posts=[Post(role=Role.SUBDISTRICT_HEAD, unit=sd_id)])]
    places: list[Place] = []
    partners: list[Partner] = []
    micro: list[str] = []
    grids: list[str] = []
    households: list[str] = []
    n_member = 1
    for c_id, c_name in COMMUNITIES:
        units.append(GridUnit(id=c_id, name=c_name, tier="community", parent=sd_id))
        members.append(Member(id=f"m{n_member:03d}", name=person(n_member),
                              posts=[Post(role=Role.SECRETARY, unit=c_id)]))
        n_member += 1
        for g in range(GRIDS_PER_COMMUNITY):
            g_id = f"{c_id}-g{g + 1}"
            grids.append(g_id)
            units.append(GridUnit(id=g_id, name=f"{c_name}第{NUMERALS[g]}网格", tier="grid",
                                  parent=c_id))
            members.append(Member(id=f"m{n_member:03d}", name=person(n_member),
                                  posts=[Post(role=Role.GRID_LEADER, unit=g_id)]))
            n_member += 1
            for m in range(MICRO_PER_GRID):
                k = len(micro)
                mg_id = f"{g_id}-m{m + 1}"
                compound = COMPOUND_HEADS[k % 12] + COMPOUND_TAILS[k // 12]
                micro.append(mg_id)
                units.append(GridUnit(id=mg_id, name=compound, tier="micro_grid", parent=g_id))
                members.append(Member(id=f"m{n_member:03d}", name=person(n_member),
                                      posts=[Post(role=Role.MICRO_GRID_LEADER, unit=mg_id)]))
                n_member += 1
                partners.append(Partner(
                    id=f"p-wy{k + 1:02d}", name=f"{compound}物业",
                    kind=PartnerKind.PROPERTY_MANAGEMENT,
                    categories={"facilities", "sanitation", "housing"}, units={mg_id}))
                places.append(Place(id=f"yard-{mg_id}", unit=mg_id, kind=PlaceKind.COURTYARD,
                                    name=f"{compound}中心花园"))
                for h in range(HOUSEHOLDS_PER_MICRO):
                    h_id = f"h-{mg_id}-{h + 1:02d}"
                    households.append(h_id)
                    places.append(Place(id=h_id, unit=mg_id, kind=PlaceKind.HOUSEHOLD,
                                        name=f"{compound}{h // 10 + 1}号楼{h % 10 + 1:02d}室"))
    hot_spots = []
    for k, (spot, _) in enumerate(HOT_SPOTS):
        hot_spots.append(f"spot-{k + 1}")
        places.append(Place(id=f"spot-{k + 1}", unit=micro[(k * 7) % len(micro)],
                            kind=PlaceKind.PUBLIC_SPACE, name=spot))
    partners += [
        Partner(id="p-police", name="淮河路派出所", kind=PartnerKind.POLICE_STATION,
                categories={"public_security", "dispute"}, units={sd_id}),
        Partner(id="p-power", name="淮河路供电所", kind=PartnerKind.CO_BUILDING_UNIT,
                categories={"facilities"}, units={sd_id}),
        Partner(id="p-water", name="城区自来水公司二道街营业所", kind=PartnerKind.CO_BUILDING_UNIT,
                categories={"facilities", "housing"}, units={"c-edj"}),
        Partner(id="p-law", name="明理律师事务所", kind=PartnerKind.CO_BUILDING_UNIT,
                categories={"dispute"}, units={"c-hn"}),
        Partner(id="p-health", name="淮河路社区卫生服务中心", kind=PartnerKind.HEALTH_CENTRE,
                categories={"health", "elder_care"}, units={sd_id}),
        Partner(id="p-volunteer", name="亚新红马甲志愿服务队", kind=PartnerKind.VOLUNTEER_TEAM,
                categories={"elder_care"}, units={"c-yx"}),
    ]
    grid = GridGraph(version="2026-03", scheme=FOUR_TIER, units=units, places=places,
                     members=members, partners=partners)
    rng = random.Random(SEED + 1)
    residents = []
    for n in range(500):
        home = rng.choice(households)
        elder = rng.random() < 0.7
        born = date(rng.randint(1928, 1964) if elder else rng.randint(1966, 2010),
                    rng.randint(1, 12), rng.randint(1, 28))
        conditions = []
        if elder and rng.random() < 0.45:
            conditions.append(Condition(kind=rng.choice(["living_alone", "no_family_support"])))
        if rng.random() < 0.15:
            conditions.append(Condition(kind=rng.choice(["disabled", "chronic_illness"])))
        opened = date(2026, 4, rng.randint(1, 20)) if rng.random() < 0.1 else date(2024, 1, 1)
        residents.append(Resident(id=f"r-{n:04d}", name=person(n + 7), household=home,
                                  birth_date=born, conditions=conditions, file_opened=opened))
    return Street(
        grid=grid,
        leader={p.unit: m.id for m in members for p in m.posts},
        parent={u.id: u.parent for u in units},
        tier={u.id: u.tier for u in units},
        name={u.id: u.name for u in units},
        micro=micro,
        grids=grids,
        households=households,
        hot_spots=hot_spots,
        place_unit={p.id: p.unit for p in places},
        partners=partners,
        residents=residents,
    )


STREET = build_street()
STREET_LEADERS = STREET.leader
GRID = STREET.grid
TOP = SUBDISTRICT[0]

# --------------------------------------------------------------------------- the matrix

TIER_LINES: dict[str, dict[str, int]] = {
    "micro_grid": {
        "dispute": 2, "facilities": 1, "street_light": 2, "sanitation": 2, "elder_care": 2,
        "enquiry": 2, "suggestion": 4, "housing": 1, "traffic": 1, "social_security": 1,
        "health": 1,
    },
    "grid": {
        "dispute": 3, "facilities": 2, "sanitation": 3, "noise": 1, "public_security": 1,
        "elder_care": 3, "enquiry": 4, "suggestion": 4, "housing": 2, "lift": 3, "traffic": 2,
        "social_security": 2, "health": 2, "market": 1,
    },
    "community": {
        **dict.fromkeys(FAMILIES, 3),
        "enquiry": 4, "suggestion": 4, "fraud": 2, "labour_dispute": 2,
        "illegal_building": 1, "food_safety": 2,
    },
    "subdistrict": dict.fromkeys(FAMILIES, 4),  # the catch-all (兜底), by its own lines
}
UNIT_LINES: dict[tuple[str, str], int] = {
    ("c-yx-g1-m1", "dispute"): 3,  # a compound with its own mediation room (调解室)
    ("c-edj-g2-m3", "facilities"): 3,  # a 物业 with an engineering team on site
    ("c-hn-g3", "sanitation"): 1,  # a grid whose sanitation work the community keeps
    ("c-hn", "public_security"): 2,
}
MATRIX = ResponsibilityMatrix(
    name="淮河路街道权责清单",
    top_catch_all=False,
    entries=[
        *(Responsibility(tier=t, category=c, max_severity=s)
          for t, lines in TIER_LINES.items() for c, s in lines.items()),
        *(Responsibility(unit=u, category=c, max_severity=s) for (u, c), s in UNIT_LINES.items()),
    ],
)


def my_limit(unit: str, code: str) -> int:
    """The test's own reading of the matrix: at each level of the category's lineage a unit
    line wins over the tier line; a broader line covers the refinements."""
    for c in lineage(code):
        if (unit, c) in UNIT_LINES:
            return UNIT_LINES[(unit, c)]
        found = TIER_LINES[STREET.tier[unit]].get(c)
        if found is not None:
            return found
    return 0


# --------------------------------------------------------------------------- the rules

PM, POLICE = PartnerKind.PROPERTY_MANAGEMENT, PartnerKind.POLICE_STATION
CO, HEALTH, VOLUNTEERS = (PartnerKind.CO_BUILDING_UNIT, PartnerKind.HEALTH_CENTRE,
                          PartnerKind.VOLUNTEER_TEAM)
VULNERABLE = Criteria(min_age=60, conditions_any={"living_alone", "no_family_support"})
RULES = RuleSet(
    name="淮河路街道派单规则",
    rules=[
        RoutingRule(id="emergency", name="emergencies start at the community",
                    zh="特急事项直达社区", match=Match(min_severity=Severity.EMERGENCY),
                    start_tier="community", link={POLICE, PM},
                    accept_within=TimeLimit.natural_hours(1),
                    resolve_within=TimeLimit.natural_hours(24)),
        RoutingRule(id="vulnerable", name="elders living alone start at the grid",
                    zh="独居孤寡老人诉求到网格", match=Match(who=VULNERABLE), start_tier="grid",
                    link={PM, HEALTH}, accept_within=TimeLimit.natural_hours(2),
                    resolve_within=TimeLimit.working_days(1)),
        RoutingRule(id="security", name="public security with the police",
                    zh="治安事项联动派出所", match=Match(categories={"public_security"}),
                    start_tier="grid", link={POLICE},
                    accept_within=TimeLimit.working_hours(4),
                    resolve_within=TimeLimit.working_days(3)),
        RoutingRule(id="serious_dispute", name="serious disputes start at the grid",
                    zh="重大纠纷到网格",
                    match=Match(categories={"dispute"}, min_severity=Severity.URGENT),
                    start_tier="grid", link={POLICE, CO},
                    accept_within=TimeLimit.working_hours(2),
                    resolve_within=TimeLimit.working_days(5)),
        RoutingRule(id="property", name="facilities and sanitation link the 物业",
                    zh="设施环境联动物业",
                    match=Match(categories={"facilities", "sanitation", "housing"}),
                    link={PM, CO}, accept_within=TimeLimit.working_hours(4),
                    resolve_within=TimeLimit.working_days(5)),
        RoutingRule(id="care", name="care with the health centre", zh="养老健康联动卫生服务中心",
                    match=Match(categories={"elder_care", "health"}), link={HEALTH, VOLUNTEERS},
                    accept_within=TimeLimit.working_hours(4),
                    resolve_within=TimeLimit.working_days(3)),
        RoutingRule(id="hotline_enquiry", name="12345 enquiries to the community",
                    zh="12345咨询到社区",
                    match=Match(categories={"enquiry", "social_security"},
                                channels={Channel.HOTLINE_12345}),
                    start_tier="community", accept_within=TimeLimit.working_hours(4),
                    resolve_within=TimeLimit.working_days(3)),
        RoutingRule(id="default", name="everything else where it is located",
                    zh="其余事项就近办理", accept_within=TimeLimit.working_days(1),
                    resolve_within=TimeLimit.working_days(13)),
    ],
)
RULE_BY_ID = {r.id: r for r in RULES.rules}


def my_age(resident: Resident, day: date) -> int:
    b = resident.birth_date  # no 29 February among the generated files
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def my_rule(issue: Issue, files: dict[str, Resident]) -> RoutingRule:
    """The test's own rule choice: the first rule whose match holds."""
    day = issue.reported_at.astimezone(CST).date()
    for rule in RULES.rules:
        m = rule.match
        if m.categories and not set(lineage(issue.category)) & m.categories:
            continue
        if not m.min_severity <= issue.severity <= m.max_severity:
            continue
        if m.channels and issue.channel not in m.channels:
            continue
        if m.who == VULNERABLE:
            r = files.get(issue.resident) if issue.resident is not None else None
            if r is None or r.file_opened is None or r.file_opened > day:
                continue
            kinds = {c.kind for c in r.conditions}
            if my_age(r, day) < 60 or not kinds & {"living_alone", "no_family_support"}:
                continue
        return rule
    raise AssertionError("the default rule matches everything")


def my_partners(kinds: frozenset[PartnerKind], unit: str, code: str) -> tuple[str, ...]:
    """The partners of *kinds* covering *unit* (or a unit above it) serving *code* or the
    category it refines, by id."""
    above = set(STREET.chain(unit))
    return tuple(sorted(
        p.id for p in STREET.partners
        if p.kind in kinds and p.units & above and p.categories & set(lineage(code))
    ))


# --------------------------------------------------------------------------- the policy

SLAS = [
    Sla(name="特急", min_severity=Severity.EMERGENCY, accept_within=TimeLimit.natural_hours(1),
        resolve_within=TimeLimit.natural_hours(24)),
    Sla(name="微网格", tier="micro_grid", categories={"dispute", "sanitation"},
        accept_within=TimeLimit.working_hours(2), resolve_within=TimeLimit.working_days(2)),
    Sla(name="网格", tier="grid", accept_within=TimeLimit.working_hours(4),
        resolve_within=TimeLimit.working_days(3)),
    Sla(name="社区咨询", tier="community", categories={"enquiry", "social_security"},
        accept_within=TimeLimit.working_hours(4), resolve_within=TimeLimit.working_days(3)),
    Sla(name="社区", tier="community", accept_within=TimeLimit.working_days(1),
        resolve_within=TimeLimit.working_days(5)),
    Sla(name="街道", tier="subdistrict", accept_within=TimeLimit.working_days(1),
        resolve_within=TimeLimit.working_days(10)),
]
BODY = ExternalBody(id="qu-zhineng", name="区职能部门", via="吹哨报到",
                    sla=Sla(name="区职能部门", accept_within=TimeLimit.working_days(1),
                            resolve_within=TimeLimit.working_days(15)))
POLICY = EscalationPolicy(
    name="淮河路街道12345上报规则",
    beyond=BODY,
    slas=SLAS,
    calendar=CAL,
    catalogue=HOTLINE,
    triggers=DEFAULT_TRIGGERS,
    repeat_count=3,
    repeat_window=timedelta(days=7),
    dissatisfied_count=2,
)
ROUTER = Router(grid=GRID, rules=RULES, matrix=MATRIX, calendar=CAL, catalogue=HOTLINE)


def my_sla(tier: str, code: str, severity: int) -> Sla | None:
    for sla in SLAS:
        if (
            (sla.tier is None or sla.tier == tier)
            and sla.min_severity <= severity <= sla.max_severity
            and (not sla.categories or sla.categories & set(lineage(code)))
        ):
            return sla
    return None


# --------------------------------------------------------------------------- the tickets


@dataclass(frozen=True)
class Ticket:
    issue: Issue
    kind: str  # "household", "resident", "spot", "unit" or "unlocated"
    opened_at: datetime


PARENT_WEIGHTS = {
    "dispute": 14, "facilities": 14, "sanitation": 16, "public_security": 6, "traffic": 6,
    "housing": 8, "social_security": 6, "elder_care": 8, "health": 4, "market": 4,
    "enquiry": 10, "suggestion": 4,
}


def draw_category(rng: random.Random) -> str:
    parent = rng.choices(list(PARENT_WEIGHTS), weights=list(PARENT_WEIGHTS.values()))[0]
    children = FAMILIES[parent][2]
    if not children or rng.random() < 0.25:
        return parent
    return rng.choice(children)[0]


def draw_moment(rng: random.Random) -> datetime:
    day = rng.randrange(14)
    hour = rng.choices(range(24), weights=[1] * 7 + [6] * 13 + [3] * 3 + [1])[0]
    return START + timedelta(days=day, hours=hour, minutes=rng.randrange(60))


def make_tickets() -> list[Ticket]:
    rng = random.Random(SEED)
    files = STREET.residents
    drawn: list[tuple[datetime, str, dict[str, object]]] = []
    for _ in range(TICKETS):
        at = draw_moment(rng)
        x = rng.random()
        fields: dict[str, object] = {
            "category": draw_category(rng),
            "severity": rng.choices([1, 2, 3, 4], weights=[55, 28, 13, 4])[0],
            "channel": rng.choices(
                [Channel.HOTLINE_12345, Channel.APP, Channel.GROUP_CHAT, Channel.VISIT,
                 Channel.WALK_IN], weights=[60, 15, 10, 10, 5])[0],
            "reporter": Reporter.resident(f"caller-{rng.randrange(10**6):06d}"),
        }
        if x < 0.08:
            kind = "unlocated"  # a 12345 call whose address is not known yet (待定位)
            fields["channel"] = Channel.HOTLINE_12345
            fields["category"] = rng.choice(
                ["noise", "fraud", "street_light", "garbage", "enquiry", "pension", "sanitation"])
            if rng.random() < 0.5:
                fields["reporter"] = Reporter(kind=ReporterKind.ANONYMOUS)
        elif x < 0.22:
            kind = "spot"
            k = rng.randrange(len(HOT_SPOTS))
            fields["place"] = STREET.hot_spots[k]
            fields["category"] = rng.choice(HOT_SPOTS[k][1])
        elif x < 0.24:
            kind = "unit"  # about a grid as a whole (a campaign, a grid-wide outage)
            fields["unit"] = rng.choice(STREET.grids)
        elif x < 0.40:
            kind = "resident"
            r = rng.choice(files) if rng.random() < 0.9 else None
            if r is None:  # a resident without a file: matches no rule reading files
                fields["resident"] = f"r-nofile-{rng.randrange(1000):03d}"
                fields["place"] = rng.choice(STREET.households)
            else:
                fields["resident"] = r.id
                fields["place"] = r.household
                fields["reporter"] = Reporter.resident(r.id)
                if rng.random() < 0.5:
                    fields["category"] = rng.choice(
                        ["elder_care", "home_care", "meal_aid", "clinic", "neighbour_dispute",
                         "leaking", "subsistence"])
        else:
            kind = "household"
            fields["place"] = rng.choice(STREET.households)
        if fields["channel"] is Channel.VISIT and kind != "unlocated":
            where = fields.get("place")
            unit = STREET.place_unit[where] if isinstance(where, str) else fields["unit"]
            fields["reporter"] = Reporter.member(STREET_LEADERS[unit])
        drawn.append((at, kind, fields))
    drawn.sort(key=lambda d: d[0])
    tickets = []
    for n, (at, kind, fields) in enumerate(drawn):
        issue = Issue(id=f"T{n + 1:05d}", reported_at=at, **fields)  # type: ignore[arg-type]
        tickets.append(Ticket(issue, kind, at + timedelta(minutes=rng.randrange(0, 21))))
    return tickets


# --------------------------------------------------------------------------- the clocks


def measure(basis: str, a: datetime, b: datetime) -> timedelta:
    if b <= a:
        return timedelta(0)
    return CAL.working_time_between(a, b) if basis == "working" else b - a


def used(d: Deadline, t: datetime) -> timedelta:
    """Clock time *d* has used by *t*: from its start, less the pauses begun before *t*."""
    spent = measure(d.basis, d.start, t)
    for s, e in d.pauses:
        if s < t:
            spent -= measure(d.basis, s, min(e, t))
    return spent


def budget(d: Deadline) -> timedelta:
    return measure(d.basis, d.start, d.due)


def effective(d: Deadline | None) -> datetime | None:
    return None if d is None else d.effective(CAL)
