"""Seed story (Erdaojie, 二道街社区): 把居民诉求汇总成"意见库"，网格员"对症下药".

Erdaojie community (Minggong Road subdistrict, 铭功路街道) puts the people, matters,
places, things and organisations (人、事、地、物、组织) of its 19 courtyards under grid
management.  116 party members, with the community's cadres and the area police officer,
form the grid service team; 9 co-building units (共建单位) offer what they are good at.
Through door-to-door visits, the "1+N" grid group chats (网格交流群) and the telephone line,
residents' requests are collected all year into an opinion library (意见库), and the grid
workers resolve them "on target" (对症下药) — more than 300 in the year.

This test generates a year of such requests with a seeded ``random.Random`` (the
*generator*: what residents ask, and when the grid team acts on it), runs every one of them
through the library (the *driver*: route, open, merge duplicates, accept, escalate,
dispatch, handle, resolve, verify, close, evaluate — each an event with its timestamp), and
checks that:

* every request is routed and becomes a case, and more than 300 are closed by the year's end;
* the opinion library — counts by category, by courtyard, by channel and by month, and the
  demands resolved — is computed by :func:`gridgov.metrics.opinion_library` from the cases'
  facts alone (their issues and merged reports) and agrees with the generator's own tally,
  kept as it made its choices; its repeated-report hotspots are exactly the matters asked
  again in the group chat;
* the statuses at the year's end agree with the fates the generator planned.

Modelling choices
-----------------
* **Courtyards are micro-grids** (one 楼院 = one 微网格, under four grids), not places.
  The report puts each courtyard's responsibility on the grid (把社会服务管理责任落实到网格):
  a courtyard has a grid worker leading it and a courtyard head (楼院长), and cases must be
  owned by it, routed to it, accepted by its leader and held to its 权责清单 — all of which
  gridgov gives units, not places.  Each courtyard *also* has a place of kind ``COURTYARD``
  for matters of the whole courtyard (its yard, its gate), next to its households.
* **The talent library** (人才信息库): here the driver dispatches a volunteer service to a
  party member of the courtyard with the matching skill, and the routing rule links the
  co-building unit that offers it.  The library itself — willingness to serve (服务意愿),
  posts (岗位), needs matched to people and to the 9 co-building units' strengths as one
  min-cost flow — is the second part of this story, ``test_erdaojie_talent.py``.
* **Duplicates**: a resident who asks again in the group chat about a matter already open
  is found with :func:`~gridgov.candidate_duplicates` and merged (并案); the opinion library
  counts every report, merged ones included.

A gap found on the way, now closed
----------------------------------
A case used to keep the chain of the unit it was *assigned* to, not of the place it
concerns: a request routed straight to a grid (an urgent dispute the 权责清单 moves up, a
public-order matter that starts at the grid) had ``case.chain[0]`` = the grid, and its
courtyard could only be found by looking its place up in the grid of the version it was
filed under.  Since issue 11 ("One road") a case keeps the chain the issue was routed along,
which starts at the place's micro-grid, and the position of the owner in it: the courtyard
is ``case.chain[0]`` for every case, from the events alone, whatever the grid becomes.  The
test counts both ways and checks they agree.

Partners serve refinements
--------------------------
二七供电所 offers volunteer services in general (``volunteer_service``); a partner serving a
category serves the categories that refine it in the catalogue in use, so it is linked, with
the specialist, for appliance repair, health care and housekeeping.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Accepted,
    Case,
    CaseStatus,
    Channel,
    Closed,
    CoHandlerCompleted,
    Dispatched,
    EscalationPolicy,
    Evaluated,
    ExternalBody,
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
    Rejected,
    Reporter,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Role,
    Routed,
    Router,
    RoutingRule,
    RuleSet,
    Satisfaction,
    Sla,
    TimeLimit,
    Trigger,
    Verified,
    WorkCalendar,
    candidate_duplicates,
    escalate,
    escalation_for,
    merge_duplicate,
    open_case,
)
from gridgov.metrics import HotspotKind, OpinionLibrary, facts_of, hotspots, opinion_library

SEED = 20261231
YEAR = 2026
END = datetime(YEAR, 12, 31, 23, 59, tzinfo=CST)  # the opinion library is read at the year's end
# Working days: Monday to Friday, with the main public holidays off.  The dates are
# illustrative, not the State Council's arrangement for the year (feed that as the
# "working calendar" page of the docs shows).
CAL = WorkCalendar(
    holidays={
        date(YEAR, 1, 1),
        *(date(YEAR, 2, d) for d in range(16, 21)),  # 春节
        date(YEAR, 5, 1),
        *(date(YEAR, 10, d) for d in range(1, 8)),  # 国庆
    }
)
T = TypeVar("T")

# --------------------------------------------------------------------------- the community

STREETS = ["二道街", "兴隆街", "福寿街", "民主路"]
COURTYARDS_PER_GRID = [5, 5, 5, 4]  # 19 courtyards
SKILLS = ["appliance_repair", "health_care", "housekeeping"]

CO_BUILDING_UNITS = [  # 9 共建单位 and what each is good at
    ("p-dianqi", "郑州电器维修中心", {"appliance_repair"}),
    ("p-yiyuan", "二七区社区医院", {"health_care", "elder_care"}),
    ("p-jiazheng", "好邻居家政公司", {"housekeeping"}),
    ("p-lvsuo", "铭功律师事务所", {"policy_enquiry", "dispute"}),
    ("p-huanwei", "二七区环卫所", {"environment"}),
    ("p-fangguan", "铭功路房管所", {"facility_repair"}),
    ("p-cishan", "二七区慈善会", {"welfare"}),
    ("p-xiaofang", "铭功路消防救援站", {"safety_hazard"}),
    ("p-gongdian", "二七供电所", {"volunteer_service"}),
]


def erdaojie_grid() -> GridGraph:
    rng = random.Random(SEED)  # household counts only
    units = [GridUnit(id="edj", name="二道街社区", tier="community")]
    members = [
        Member(
            id="m-sec", name="二道街社区党委书记", posts=[Post(role=Role.SECRETARY, unit="edj")]
        ),
        Member(id="m-police", name="片区民警", posts=[Post(role=Role.POLICE_OFFICER, unit="edj")]),
    ]
    places: list[Place] = []
    n = 0
    for g, (street, count) in enumerate(zip(STREETS, COURTYARDS_PER_GRID, strict=True), 1):
        gid = f"g{g}"
        units.append(GridUnit(id=gid, name=f"{street}网格", tier="grid", parent="edj"))
        members.append(
            Member(
                id=f"m-{gid}", name=f"{street}网格长", posts=[Post(role=Role.GRID_LEADER, unit=gid)]
            )
        )
        members.append(
            Member(id=f"m-cadre{g}", name=f"包联干部{g}", posts=[Post(role=Role.CADRE, unit=gid)])
        )
        for k in range(1, count + 1):
            n += 1
            cid = f"c{n:02d}"
            units.append(
                GridUnit(id=cid, name=f"{street}{2 * k + 1}号院", tier="micro_grid", parent=gid)
            )
            members.append(
                Member(
                    id=f"m-{cid}",
                    name=f"{cid}网格员",
                    posts=[Post(role=Role.MICRO_GRID_LEADER, unit=cid)],
                )
            )
            members.append(
                Member(
                    id=f"m-{cid}-head",
                    name=f"{cid}楼院长",
                    posts=[Post(role=Role.COURTYARD_HEAD, unit=cid)],
                )
            )
            places.append(Place(id=cid, unit=cid, kind=PlaceKind.COURTYARD))
            places += [
                Place(id=f"{cid}-h{h:03d}", unit=cid) for h in range(1, rng.randint(24, 96) + 1)
            ]
    # 116 party members (直管、在职、流动党员), spread over the courtyards; the first three of
    # each courtyard are in the talent library with a skill each.
    courtyards = [u.id for u in units if u.tier == "micro_grid"]
    for p in range(116):
        cid = courtyards[p % len(courtyards)]
        rank = p // len(courtyards)
        members.append(
            Member(
                id=f"m-pm{p + 1:03d}",
                name=f"党员{p + 1:03d}",
                posts=[Post(role=Role.PARTY_MEMBER, unit=cid)],
                skills={SKILLS[rank]} if rank < len(SKILLS) else set(),
            )
        )
    partners = [
        Partner(
            id=pid, name=name, kind=PartnerKind.CO_BUILDING_UNIT, categories=cats, units={"edj"}
        )
        for pid, name, cats in CO_BUILDING_UNITS
    ]
    partners.append(
        Partner(
            id="p-police",
            name="铭功路派出所",
            kind=PartnerKind.POLICE_STATION,
            categories={"public_order", "dispute", "safety_hazard"},
            units={"edj"},
        )
    )
    return GridGraph(
        version="2026-01", units=units, places=places, members=members, partners=partners
    )


# Volunteer services link the co-building unit that offers them (精准服务); otherwise the
# default rules.
RULES = RuleSet(
    name="二道街社区分派规则",
    rules=[
        *DEFAULT_RULES.rules[:-1],
        RoutingRule(
            id="volunteer",
            name="volunteer services link the co-building unit that offers them",
            zh="志愿服务联动共建单位",
            match=Match(categories={"volunteer_service"}),
            link={PartnerKind.CO_BUILDING_UNIT},
        ),
        DEFAULT_RULES.default_rule,
    ],
)
POLICY = EscalationPolicy(
    name="二道街社区时限",
    beyond=ExternalBody(id="sd-minggong", name="铭功路街道", via="吹哨报到"),
    slas=[
        Sla(
            name="微网格",
            tier="micro_grid",
            accept_within=TimeLimit.working_days(1),
            resolve_within=TimeLimit.working_days(5),
        ),
        Sla(
            name="网格及以上",
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(5),
        ),
    ],
    calendar=CAL,
)

# --------------------------------------------------------------------------- the generator

CHANNELS = {Channel.VISIT: 35, Channel.GROUP_CHAT: 45, Channel.HOTLINE: 20}
CATEGORIES = {
    "facility_repair": 16,
    "environment": 14,
    "dispute": 12,
    "suggestion": 10,
    "policy_enquiry": 10,
    "appliance_repair": 8,
    "elder_care": 6,
    "health_care": 6,
    "welfare": 5,
    "housekeeping": 4,
    "safety_hazard": 4,
    "public_order": 3,
}
COURTYARD_WIDE = {"environment", "facility_repair", "safety_hazard", "suggestion"}
VOLUNTEER = set(SKILLS)


@dataclass
class Request:
    """One request, and what the grid team will do about it, as the generator planned it."""

    issue: Issue
    courtyard: str  # the generator's own record of where it is
    fate: str  # "closed", "rejected", "merged" or "open" at the year's end
    duplicate_of: str | None = None
    steps: list[tuple[datetime, str]] = field(default_factory=list)


def pick(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def working(t: datetime, hours: float) -> datetime:
    return CAL.add_working_hours(t, hours)


def report_time(rng: random.Random, day: date, channel: Channel) -> datetime:
    if channel is Channel.VISIT:  # visits are made in working hours, on working days
        start = CAL.next_working_moment(datetime(day.year, day.month, day.day, tzinfo=CST))
        return working(start, rng.uniform(0, 7))
    minute = rng.randrange(7 * 60, 22 * 60)  # the chat and the line, any day, 07:00–22:00
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=CST)


def plan_handling(rng: random.Random, t0: datetime) -> tuple[str, list[tuple[datetime, str]]]:
    """The steps the team will take on a new request, from its report at *t0*."""
    roll = rng.random()
    if roll < 0.03:
        t = working(t0, rng.uniform(0.5, 3))
        return ("rejected" if t <= END else "open"), [(t0, "open"), (t, "reject")]
    steps = [(t0, "open")]
    t = working(t0, rng.uniform(0.2, 3))
    steps.append((t, "accept"))
    if roll < 0.09:  # too much for the courtyard: its leader reports it up, the grid accepts
        t = working(t, rng.uniform(0.5, 4))
        steps.append((t, "escalate"))
        t = working(t, rng.uniform(0.2, 3))
        steps.append((t, "accept"))
    t = working(t, rng.uniform(0.1, 1))
    steps.append((t, "dispatch"))
    t = working(t, rng.uniform(0.5, 4))
    steps.append((t, "start"))
    t = working(t, rng.uniform(0.3, 4.5) * CAL.working_day_length.total_seconds() / 3600)
    steps.append((t, "resolve"))
    if roll > 0.95:  # the resident is not satisfied: rework (返工)
        t = working(t, rng.uniform(2, 8))
        steps.append((t, "dissatisfied"))
        t = working(t, rng.uniform(4, 15))
        steps.append((t, "resolve"))
    t = working(t, rng.uniform(2, 16))
    steps.append((t, "satisfied"))
    t = working(t, rng.uniform(0.5, 4))
    steps.append((t, "verify"))
    t = working(t, rng.uniform(0.1, 2))
    steps.append((t, "close"))
    if rng.random() < 0.6:
        steps.append((t + timedelta(hours=rng.uniform(1, 48)), "evaluate"))
    return ("closed" if t <= END else "open"), steps


@dataclass
class Year:
    requests: list[Request]
    tally: dict[str, Counter]


def generate_year(grid: GridGraph, seed: int = SEED) -> Year:
    """A year of requests, and the generator's own tally of them, made as it goes."""
    rng = random.Random(seed)
    courtyards = [u.id for u in grid.units_of("micro_grid")]
    households = {c: [p for p in grid.places_in(c) if p != c] for c in courtyards}
    tally = {k: Counter() for k in ("category", "courtyard", "channel", "fate")}
    requests: list[Request] = []
    last_report: dict[tuple[str, str], datetime] = {}  # (place, category) → last reported

    def add(request: Request) -> None:
        requests.append(request)
        issue = request.issue
        last_report[(issue.place, issue.category)] = issue.reported_at  # type: ignore[index]
        tally["category"][issue.category] += 1
        tally["courtyard"][request.courtyard] += 1
        tally["channel"][issue.channel.value] += 1
        tally["fate"][request.fate] += 1

    day = date(YEAR, 1, 1)
    n = 0
    while day.year == YEAR:
        for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[30, 35, 22, 10, 3])[0]):
            n += 1
            channel = pick(rng, CHANNELS)
            category = pick(rng, CATEGORIES)
            courtyard = rng.choice(courtyards)
            t0 = report_time(rng, day, channel)
            wide = category in COURTYARD_WIDE and rng.random() < 0.5
            place = courtyard if wide else rng.choice(households[courtyard])
            while (place, category) in last_report and t0 - last_report[
                (place, category)
            ] < timedelta(days=7):
                place = rng.choice(households[courtyard])  # not a repeat by accident
            resident = None if place == courtyard else f"r-{place}"
            severity = rng.choices([1, 2, 3], weights=[70, 25, 5])[0]
            if category == "public_order":
                severity = 1
            if channel is Channel.VISIT:  # written down by the grid worker on the round
                reporter = Reporter.member(f"m-{courtyard}")
            elif resident is None:  # the courtyard head speaks for the whole courtyard
                reporter = Reporter.member(f"m-{courtyard}-head")
            else:
                reporter = Reporter.resident(resident)
            issue = Issue(
                id=f"edj-{n:04d}",
                category=category,
                severity=severity,
                channel=channel,
                place=place,
                resident=resident,
                reporter=reporter,
                reported_at=t0,
                description=f"{courtyard} {category}",
            )
            fate, steps = plan_handling(rng, t0)
            add(Request(issue=issue, courtyard=courtyard, fate=fate, steps=steps))

            # Now and then somebody asks again in the group chat while it is being handled.
            first = requests[-1]
            if fate == "closed" and rng.random() < 0.06:
                resolved = next(t for t, kind in steps if kind == "resolve")
                latest = min(resolved, t0 + timedelta(days=3))
                if latest - t0 > timedelta(hours=1):
                    n += 1
                    at = t0 + (latest - t0) * rng.uniform(0.05, 0.95)
                    again = Issue(
                        id=f"edj-{n:04d}",
                        category=category,
                        severity=1,
                        channel=Channel.GROUP_CHAT,
                        place=place,
                        reporter=Reporter.resident(f"r-{n:04d}"),
                        reported_at=at,
                        description="群里又问了一次",
                    )
                    add(
                        Request(
                            issue=again,
                            courtyard=courtyard,
                            fate="merged",
                            duplicate_of=first.issue.id,
                            steps=[(at, "open")],
                        )
                    )
        day += timedelta(days=1)
    return Year(requests=requests, tally=tally)


# --------------------------------------------------------------------------- the driver


def run_year(grid: GridGraph, year: Year) -> dict[str, Case]:
    """Put every request through the library, step by step in time order, up to the year's
    end.  Returns the cases by id."""
    router = Router(grid=grid, rules=RULES, matrix=DEFAULT_MATRIX, calendar=CAL)
    members_of = {u.id: grid.members_in(u.id) for u in grid.units_of("micro_grid")}
    cases: dict[str, Case] = {}
    open_ids: set[str] = set()
    queue: list[tuple[datetime, int, int, int]] = []  # (when, seq, request, step)
    for i, r in enumerate(year.requests):
        heapq.heappush(queue, (r.steps[0][0], i, i, 0))
    seq = len(year.requests)

    def leader(unit: str) -> str:
        m = grid.leader(unit)
        assert m is not None
        return m.id

    while queue:
        at, _, i, s = heapq.heappop(queue)
        request = year.requests[i]
        issue = request.issue
        kind = request.steps[s][1]
        if kind == "open":
            similar = candidate_duplicates(
                issue,
                [cases[c] for c in open_ids],
                grid=grid,
                catalogue=router.catalogue,
                window=timedelta(days=3),
            )
            if similar:  # 并案: the earlier case takes this report
                gone, kept = merge_duplicate(
                    open_case(
                        issue, router.route(issue), router=router, actor="m-sec", policy=POLICY
                    ),
                    similar[0],
                    at=at,
                    actor=leader(similar[0].owner),
                    reason="同一诉求",
                )
                cases[gone.id], cases[kept.id] = gone, kept
            else:
                case = open_case(
                    issue, router.route(issue), router=router, actor="m-sec", policy=POLICY
                )
                cases[case.id] = case
                open_ids.add(case.id)
        else:
            case = cases[issue.id]
            owner = leader(case.owner)
            if kind == "accept":
                case = case.apply(Accepted(at=at, actor=owner))
            elif kind == "reject":
                case = case.apply(
                    Rejected(at=at, actor=owner, reason="不属于网格职责，已告知办理渠道")
                )
            elif kind == "escalate":
                up = escalation_for(case, POLICY, at=at)  # 主动上报, the reason built for it
                case = escalate(case, up, POLICY, actor=owner)
            elif kind == "dispatch":
                handler = handler_for(case, grid, members_of)
                case = case.apply(Dispatched(at=at, actor=owner, handler=handler))
            elif kind == "start":
                case = case.apply(HandlingStarted(at=at, actor=case.handler or owner))
            elif kind == "resolve":
                for h in case.co_handlers:
                    if h.is_open:
                        case = case.apply(
                            CoHandlerCompleted(at=at, actor=h.id, handler=h.id, note="已协助办结")
                        )
                case = case.apply(Resolved(at=at, actor=case.handler or owner, summary="已办结"))
            elif kind == "dissatisfied":
                case = case.apply(
                    ResidentDissatisfied(at=at, actor=resident_of(case), note="未解决")
                )
            elif kind == "satisfied":
                case = case.apply(ResidentSatisfied(at=at, actor=resident_of(case)))
            elif kind == "verify":
                # 核查 by the tier above the owner (the community checks its own)
                above = case.chain[min(case.position + 1, len(case.chain) - 1)]
                case = case.apply(Verified(at=at, actor=leader(above.id)))
            elif kind == "close":
                case = case.apply(Closed(at=at, actor=owner))
            elif kind == "evaluate":
                case = case.apply(
                    Evaluated(at=at, actor=resident_of(case), satisfaction=Satisfaction.SATISFIED)
                )
            cases[case.id] = case
            if not case.is_open:
                open_ids.discard(case.id)
        if s + 1 < len(request.steps) and request.steps[s + 1][0] <= END:
            seq += 1
            heapq.heappush(queue, (request.steps[s + 1][0], seq, i, s + 1))
    return cases


def handler_for(case: Case, grid: GridGraph, members_of: dict[str, tuple[Member, ...]]) -> str:
    """精准服务: a volunteer service goes to a party member of its courtyard with the skill
    (the talent library); anything else to the leader of the unit that owns the case."""
    assert case.issue.place is not None
    courtyard = grid.place_unit(case.issue.place).id
    if case.issue.category in VOLUNTEER:
        for m in members_of[courtyard]:
            if case.issue.category in m.skills:
                return m.id
    owner = grid.leader(case.owner)
    assert owner is not None
    return owner.id


def resident_of(case: Case) -> str:
    """Who answers the follow-up call (回访): the resident, or for a matter of the whole
    courtyard its courtyard head."""
    if case.issue.resident is not None:
        return case.issue.resident
    return f"m-{case.issue.place}-head"


# --------------------------------------------------------------------------- the opinion library


def library_of(cases: dict[str, Case], **kw: object) -> OpinionLibrary:
    """意见库: every report — each case's own issue and each duplicate merged into a case —
    counted by category, courtyard, channel and month by :func:`gridgov.metrics.opinion_library`
    from the cases' facts alone (the chain each case was filed along places it in its
    courtyard, whatever the grid becomes)."""
    return opinion_library(facts_of(cases.values(), calendar=CAL), **kw)


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return erdaojie_grid()


@pytest.fixture(scope="module")
def year(grid) -> Year:
    return generate_year(grid)


@pytest.fixture(scope="module")
def cases(grid, year) -> dict[str, Case]:
    return run_year(grid, year)


def test_nineteen_courtyards_under_grid_management(grid):
    courtyards = grid.units_of("micro_grid")
    assert len(courtyards) == 19
    assert len(grid.units_of("grid")) == 4
    # 人: the service team; 地: every courtyard has its own place besides its households;
    # 组织: the 9 co-building units.
    role = Counter(p.role for m in grid.members for p in m.posts)
    assert role[Role.PARTY_MEMBER] == 116
    assert role[Role.COURTYARD_HEAD] == role[Role.MICRO_GRID_LEADER] == 19
    assert role[Role.POLICE_OFFICER] == 1
    for c in courtyards:
        assert grid.has_place(c.id) and grid.place_unit(c.id) == c
        assert grid.leader(c.id) is not None
        # the talent library has every volunteer skill in every courtyard
        assert {s for m in grid.members_in(c.id) for s in m.skills} >= VOLUNTEER
    co_building = [p for p in grid.partners if p.kind is PartnerKind.CO_BUILDING_UNIT]
    assert len(co_building) == 9
    assert [
        p.name for p in grid.partners_for("c07", "appliance_repair", catalogue=DEFAULT_CATALOGUE)
    ] == ["郑州电器维修中心", "二七供电所"]


def test_the_generator_is_deterministic(grid, year):
    again = generate_year(grid)
    assert [r.issue for r in again.requests] == [r.issue for r in year.requests]
    assert again.tally == year.tally
    assert len(year.requests) > 400
    assert {r.issue.channel for r in year.requests} == set(CHANNELS)


def test_every_request_is_routed_and_becomes_a_case(grid, year, cases):
    assert len(cases) == len(year.requests)
    router = Router(grid=grid, rules=RULES, matrix=DEFAULT_MATRIX, calendar=CAL)
    issues = [r.issue for r in year.requests]
    routed = [Routed(*r) for r in router.route_many(issues)]
    # The batch form agrees with the cases, which were opened from one-by-one routing.
    for r, issue in zip(routed, issues, strict=True):
        case = cases[issue.id]
        assert (r.issue, r.unit, r.rule) == (case.id, case.accountable, case.rule)
    by_rule = Counter(r.rule for r in routed)
    assert by_rule["volunteer"] == sum(1 for i in issues if i.category in VOLUNTEER)
    assert by_rule["public_order"] > 0 and by_rule["default"] > 0
    # Most requests stay in their courtyard; urgent ones and public order start higher.
    at_grid = [r for r in routed if grid.unit(r.unit).tier != "micro_grid"]
    assert 0 < len(at_grid) < len(routed) // 5
    # Volunteer services went to a party member with the skill, with the co-building unit
    # that offers it and the one that offers volunteer services in general.
    for case in cases.values():
        if case.issue.category in VOLUNTEER and case.handler is not None:
            assert case.issue.category in grid.member(case.handler).skills
            assert [h.kind for h in case.co_handlers] == ["partner", "partner"]
            assert "p-gongdian" in {h.id for h in case.co_handlers}


def test_more_than_300_closed_and_the_statuses_match_the_plan(year, cases):
    status = Counter(c.status for c in cases.values())
    closed = status[CaseStatus.CLOSED] + status[CaseStatus.EVALUATED]
    assert closed >= 300
    assert closed == year.tally["fate"]["closed"]
    assert status[CaseStatus.REJECTED] == year.tally["fate"]["rejected"]
    assert status[CaseStatus.MERGED] == year.tally["fate"]["merged"] > 0
    still_open = sum(1 for c in cases.values() if c.is_open)
    assert still_open == year.tally["fate"]["open"] > 0
    assert sum(status.values()) == len(year.requests)

    # Each duplicate was found and merged into the case the generator repeated.
    for r in year.requests:
        if r.duplicate_of is not None:
            assert cases[r.issue.id].merged_into == r.duplicate_of
            assert r.issue.id in cases[r.duplicate_of].duplicates
    # The closed loop, on the record: escalations by hand, rework, and on-time resolution.
    closed_cases = [
        c for c in cases.values() if c.status in (CaseStatus.CLOSED, CaseStatus.EVALUATED)
    ]
    assert all(c.satisfaction is not None and c.satisfaction.satisfied for c in closed_cases)
    assert any(c.escalation_triggers == (Trigger.MANUAL,) for c in closed_cases)
    assert any(c.rework == 1 for c in closed_cases)
    on_time = 0
    for c in closed_cases:
        resolved = [e for e in c.events if isinstance(e, Resolved)][-1]
        on_time += c.resolve_by is not None and resolved.at <= c.resolve_by.effective(CAL)
    assert on_time / len(closed_cases) > 0.8


def test_the_opinion_library_is_derived_from_the_cases(grid, year, cases):
    library = library_of(cases)
    community = library.cell("edj")

    # It agrees with the generator's own tally, kept as it made the requests: by category
    # (each report at its own category), by courtyard, by channel.
    assert dict(library.top("edj", 100)) == dict(year.tally["category"])
    courtyards = [c.id for c in grid.units_of("micro_grid")]
    assert {c: library.cell(c).demands for c in courtyards} == dict(year.tally["courtyard"])
    assert {ch.value: n for ch, n in community.channels} == dict(year.tally["channel"])
    assert community.demands == len(year.requests)
    assert all(library.cell(c).demands > 0 for c in courtyards)  # every courtyard was heard
    # 入户征求意见 and the "1+N" group chats, counted by channel
    assert community.by_channel(Channel.VISIT) == year.tally["channel"]["visit"] > 0
    assert community.by_channel(Channel.GROUP_CHAT) == year.tally["channel"]["group_chat"] > 0
    # The library counts reports, not cases: merged duplicates count once more each.
    assert community.duplicates == year.tally["fate"]["merged"] > 0

    # "300+ resolved": demands whose case was closed — the closed cases and the duplicates
    # merged into them (the generator merges only into cases it will close).
    fate = year.tally["fate"]
    assert community.resolved == fate["closed"] + fate["merged"]
    assert community.resolved - community.duplicates == fate["closed"] >= 300
    assert (community.rejected, community.open) == (fate["rejected"], fate["open"])
    # 满意率 by the 12345 preset: every resident asked was satisfied (the plan has the
    # dissatisfied ones reworked until they are)
    assert community.evaluated >= fate["closed"]
    assert community.satisfaction_rate == 100.0
    # Each grid adds up its courtyards, each month adds up to the year.
    for g in grid.units_of("grid"):
        below = [c.id for c in grid.children(g.id)]
        assert library.cell(g.id).demands == sum(library.cell(c).demands for c in below)
    assert sum(library.cell("edj", period=p).demands for p in library.periods) == len(year.requests)
    assert [p.label for p in library.periods] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]

    # By courtyard from the cases alone: the chain a case keeps starts at its courtyard, even
    # when the case was routed to a grid above it.
    all_cases = list(cases.values())
    moved_up = [c for c in all_cases if c.owner == c.accountable and c.position > 0]
    assert moved_up, "some requests start above the courtyard"
    assert all(c.chain[0].tier == "micro_grid" for c in all_cases)
    # Counted by the filed unit instead, a request routed to a grid counts at the grid only.
    filed = library_of(cases, attribute="filed")
    assert filed.cell("edj").demands == community.demands
    assert sum(filed.cell(c).demands for c in courtyards) < community.demands

    # What the 意见库 says, e.g. the three most asked-for matters.
    top = [code for code, _ in library.top("edj", 3)]
    assert top == [code for code, _ in year.tally["category"].most_common(3)]
    assert [r["类别"] for r in library.rows(zh=True)][:1] == [None]  # all categories first


def test_hotspots_in_the_opinion_library(grid, year, cases):
    library = library_of(cases)
    # The generator never reports the same place and category twice within 7 days, except
    # when somebody asks again in the group chat: exactly those are the repeated hotspots.
    found = hotspots(library, grid=grid, repeats=2, window_days=7)
    repeated = found.of(HotspotKind.REPEATED)
    asked_again = {
        (r.issue.place, r.issue.category) for r in year.requests if r.duplicate_of is not None
    }
    assert {(h.place, h.category) for h in repeated} == asked_again
    assert all(h.count == 2 for h in repeated)
    h = repeated[0]
    assert grid.unit(h.unit).name in h.reason.zh and "7 天内被反映 2 次" in h.reason.zh
    # Rising categories and dense courtyards, each explained by the library's own counts.
    for h in found.of(HotspotKind.RISING):
        assert h.count == library.cell(h.unit, h.category, h.period).demands
        assert h.ratio is None or h.ratio >= 1.5
    for h in found.of(HotspotKind.DENSE):
        assert h.count == library.cell(h.unit, None, h.period).demands
        assert grid.unit(h.unit).name in h.reason.zh
    assert found.rows(zh=True)[0]["类型"] in {"重复反映", "类别上升", "诉求密集"}
