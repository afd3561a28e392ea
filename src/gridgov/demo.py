"""The embedded sample community, modelled on Yaxin (亚新社区): pure data, no I/O.

:func:`sample_grid` builds one community of six grids and 24 micro-grids holding 2,944
households, with its grid team and partners; :func:`sample_residents` gives the personal
files of the elders under grid care, Aunt Lü (吕阿姨) among them.  The people and numbers
are illustrative, modelled on the seed report; they are not real data.

Example:
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> grid = sample_grid()
    >>> len(grid.places), len(grid.units_of("micro_grid"))
    (2944, 24)
    >>> lu = next(r for r in sample_residents() if r.name == "吕阿姨")
    >>> grid.place_unit(lu.household).name
    '美好人家1号楼'
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from gridgov._time import CST
from gridgov.calendar import TimeLimit
from gridgov.cases import Accepted, Case, CaseStatus, CoHandlerLinked, Satisfaction
from gridgov.escalation import EscalationPolicy, ExternalBody, Sla, escalate, escalation_for
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE, Channel, Issue, Reporter, Severity
from gridgov.metrics.facts import CaseFacts
from gridgov.people import (
    Condition,
    Member,
    Partner,
    PartnerKind,
    Post,
    Resident,
    ResidentFiles,
    Role,
)
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
from gridgov.visits import VisitMode, VisitRecord
from gridgov.workflow import open_case

__all__ = [
    "HOUSEHOLDS",
    "sample_case",
    "sample_grid",
    "sample_month_facts",
    "sample_policy",
    "sample_residents",
    "sample_visits",
]

HOUSEHOLDS = 2944
"""Households in the sample community, as in the report on Yaxin."""

_GRIDS = 6
_MICRO_PER_GRID = 4

_GRID_LEADERS = ["张敏", "王芳", "彭雪丽", "刘洋", "陈静", "赵磊"]
_MICRO_LEADERS = [
    "孙丽",
    "周强",
    "吴霞",
    "郑伟",
    "冯敏",
    "褚涛",
    "卫红",
    "蒋平",
    "李燕明",
    "沈洁",
    "韩梅",
    "杨帆",
    "朱琳",
    "秦勇",
    "许静",
    "何平",
    "吕军",
    "施燕",
    "张杰",
    "孔丽",
    "曹阳",
    "严芳",
    "华明",
    "金花",
]
_MG3_NAMES = ["美好人家1号楼", "美好人家2号楼", "美好人家3号楼", "美好人家4号楼"]


def _micro_id(g: int, m: int) -> str:
    return f"mg{g}{m}"


def sample_grid(version: str = "2026-11") -> GridGraph:
    """The sample community as a grid (社区 → 6 网格 → 24 微网格, 2,944 households).

    Household ``h-0001`` … ``h-2944`` are spread evenly over the micro-grids in order.
    Grid 3 (第三网格) is led by 彭雪丽; its first micro-grid, 美好人家1号楼 (``mg31``), by
    李燕明; the compound's property company (美好人家物业) covers grid 3.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> sample_grid().leader("mg31").name
        '李燕明'
    """
    units = [GridUnit(id="yx", name="亚新社区", tier="community")]
    members = [Member(id="m-sec", name="高书记", posts=[Post(role=Role.SECRETARY, unit="yx")])]
    micro: list[str] = []
    for g in range(1, _GRIDS + 1):
        gid = f"g{g}"
        units.append(
            GridUnit(id=gid, name=f"第{'一二三四五六'[g - 1]}网格", tier="grid", parent="yx")
        )
        members.append(
            Member(
                id=f"m-g{g}",
                name=_GRID_LEADERS[g - 1],
                posts=[Post(role=Role.GRID_LEADER, unit=gid)],
            )
        )
        for m in range(1, _MICRO_PER_GRID + 1):
            mid = _micro_id(g, m)
            name = _MG3_NAMES[m - 1] if g == 3 else f"第{g}网格{m}号微网格"
            units.append(GridUnit(id=mid, name=name, tier="micro_grid", parent=gid))
            leader = _MICRO_LEADERS[(g - 1) * _MICRO_PER_GRID + m - 1]
            member_id = "m-li" if leader == "李燕明" else f"m-{mid}"
            members.append(
                Member(
                    id=member_id,
                    name=leader,
                    posts=[Post(role=Role.MICRO_GRID_LEADER, unit=mid)],
                    skills={"appliance_repair"} if g % 2 else {"health_care"},
                )
            )
            micro.append(mid)
    # Grid workers posted at grid level, a volunteer housekeeper, and the area police officer.
    members += [
        Member(
            id=f"m-w{g}",
            name=f"网格员{g}",
            posts=[Post(role=Role.GRID_WORKER, unit=f"g{g}")],
            skills={"housekeeping"} if g % 2 else {"health_care"},
        )
        for g in range(1, _GRIDS + 1)
    ]
    members.append(
        Member(id="m-police", name="马警官", posts=[Post(role=Role.POLICE_OFFICER, unit="yx")])
    )
    per = -(-HOUSEHOLDS // len(micro))
    places = {f"h-{i + 1:04d}": micro[i // per] for i in range(HOUSEHOLDS)}
    partners = [
        Partner(
            id="p-wuye",
            name="美好人家物业",
            kind=PartnerKind.PROPERTY_MANAGEMENT,
            categories={"facility_repair", "environment", "safety_hazard", "elder_care"},
            units={"g3"},
        ),
        Partner(
            id="p-police",
            name="淮河路派出所",
            kind=PartnerKind.POLICE_STATION,
            categories={"public_order", "dispute", "safety_hazard"},
            units={"yx"},
        ),
        Partner(
            id="p-health",
            name="淮河路社区卫生服务中心",
            kind=PartnerKind.HEALTH_CENTRE,
            categories={"elder_care"},
            units={"yx"},
        ),
    ]
    return GridGraph(
        version=version, units=units, places=places, members=members, partners=partners
    )


def sample_residents() -> tuple[Resident, ...]:
    """Personal files (一人一档) of the 61 elders under grid care in the sample community.

    Sixty files sit on every 47th household from ``h-0025``; their conditions cycle through
    living alone, no family support, dementia and disability.  Aunt Lü (``r-lu``) lives alone in ``h-1001``
    (美好人家1号楼) and was injured and discharged in November 2026.

    Example:
        >>> from gridgov.demo import sample_residents
        >>> len(sample_residents())
        61
    """
    kinds = ["living_alone", "no_family_support", "dementia", "disabled"]
    files = [
        Resident(
            id=f"r-{i:03d}",
            name=f"居民{i:03d}",
            household=f"h-{25 + i * 47:04d}",
            birth_date=date(1936 + i % 30, 1 + i % 12, 1 + i % 28),
            conditions=[Condition(kind=kinds[i % 4])],
            file_opened=date(2024, 1, 1),
        )
        for i in range(60)
    ]
    files.append(
        Resident(
            id="r-lu",
            name="吕阿姨",
            household="h-1001",
            birth_date=date(1948, 3, 2),
            conditions=[
                Condition(kind="living_alone"),
                Condition(
                    kind="injured",
                    start=date(2026, 11, 18),
                    end=date(2026, 12, 18),
                    note="摔伤腰部 back injury from a fall",
                ),
                Condition(
                    kind="recently_discharged", start=date(2026, 11, 25), end=date(2026, 12, 25)
                ),
            ],
            file_opened=date(2023, 5, 1),
        )
    )
    return tuple(files)


def sample_policy() -> EscalationPolicy:
    """The sample community's escalation policy: SLAs per tier, then 淮河路街道 via 吹哨报到.

    Example:
        >>> from gridgov.demo import sample_policy
        >>> [sla.tier for sla in sample_policy().slas]
        ['micro_grid', 'grid', 'community']
    """
    return EscalationPolicy(
        name="亚新社区网格事项时限",
        beyond=ExternalBody(id="sd-huaihe", name="淮河路街道", via="吹哨报到"),
        slas=[
            Sla(
                name="微网格",
                tier="micro_grid",
                accept_within=TimeLimit.natural_hours(2),
                resolve_within=TimeLimit.working_days(1),
            ),
            Sla(
                name="网格",
                tier="grid",
                accept_within=TimeLimit.same_day(),
                resolve_within=TimeLimit.working_days(3),
            ),
            Sla(
                name="社区",
                tier="community",
                accept_within=TimeLimit.working_hours(4),
                resolve_within=TimeLimit.working_days(5),
            ),
        ],
    )


def sample_case() -> Case:
    """Aunt Lü's case as the report tells it, up to the linkage with 物业.

    Li Yanming finds her injury on his visit on 26 November 2026 and files the case at his
    micro-grid; he escalates it by hand (上报) to Peng Xueli's grid; she accepts it the same
    afternoon and links the compound's property company (网格联动).

    Example:
        >>> from gridgov.demo import sample_case
        >>> case = sample_case()
        >>> case.owner_name, case.accountable, case.status.zh
        ('第三网格', 'mg31', '已立案')
    """
    grid = sample_grid()
    files = ResidentFiles(sample_residents())
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    policy = sample_policy()
    found = datetime(2026, 11, 26, 10, 15, tzinfo=CST)
    issue = Issue(
        id="yx-2026-1126-01",
        category="elder_care",
        severity=Severity.ATTENTION,
        channel=Channel.VISIT,
        place="h-1001",
        resident="r-lu",
        reporter=Reporter.member("m-li"),
        reported_at=found,
        description="吕阿姨摔伤腰部，刚出院回家，独自居住，身体虚弱",
    )
    case = open_case(
        issue,
        router.route(issue, residents=files),
        router=router,
        actor="m-li",
        policy=policy,
        link_partners=False,
    )
    up = escalation_for(
        case, policy, at=found + timedelta(minutes=25), note="独居老人摔伤刚出院，需网格长统筹照护"
    )
    case = escalate(case, up, policy, actor="m-li")
    case = case.apply(Accepted(at=found.replace(hour=15), actor="m-g3", note="已入户看望"))
    wuye = grid.partners_for("mg31", "elder_care", catalogue=DEFAULT_CATALOGUE)
    [partner] = [p for p in wuye if p.kind is PartnerKind.PROPERTY_MANAGEMENT]
    return case.apply(
        CoHandlerLinked(
            at=found.replace(hour=15, minute=30),
            actor="m-g3",
            handler=partner.id,
            name=partner.name,
            required=True,
        )
    )


def sample_visits() -> tuple[VisitRecord, ...]:
    """Visit records of the sample elders in November 2026, and Li Yanming's visits to Aunt Lü.

    Elder ``r-NNN`` was last visited on day ``1 + NNN % 28`` of November; Li Yanming visited
    Aunt Lü on the 26th (when he found her injury) and every day after, to the 28th.

    Example:
        >>> from gridgov.demo import sample_visits
        >>> [v.at.day for v in sample_visits() if v.resident == "r-lu"]
        [26, 27, 28]
    """
    records = [
        VisitRecord(
            id=f"v-{i:03d}",
            resident=f"r-{i:03d}",
            member="m-w1",
            at=datetime(2026, 11, 1 + i % 28, 10, 0, tzinfo=CST),
            mode=VisitMode.PHONE if i % 3 == 0 else VisitMode.IN_PERSON,
        )
        for i in range(60)
    ]
    records += [
        VisitRecord(
            id=f"v-lu-{d}",
            resident="r-lu",
            member="m-li",
            at=datetime(2026, 11, d, 9, 30, tzinfo=CST),
            findings="摔伤腰部，刚出院" if d == 26 else "恢复中",
            issue_id="yx-2026-1126-01" if d == 26 else None,
        )
        for d in (26, 27, 28)
    ]
    return tuple(records)


def sample_month_facts() -> tuple[CaseFacts, ...]:
    """The facts of four cases of grid 3 in November 2026, small enough to count by hand.

    * ``c-101`` (设施维修, 美好人家1号楼's micro-grid ``mg31``): closed on 5 November, before
      its deadline of the 9th; the resident was satisfied.
    * ``c-102`` (环境卫生, ``mg31``): due on the 10th and still not resolved.
    * ``c-103`` (设施维修, ``mg32``): escalated to the grid, failed verification once
      (返工), resolved on the 20th after its deadline of the 12th and closed on the 21st;
      the resident was basically satisfied.
    * ``c-104`` (设施维修, ``mg32``): rejected (不予立案) the day it came in.

    Example:
        >>> [(f.case, f.status.zh) for f in sample_month_facts()]
        [('c-101', '已评价'), ('c-102', '已派遣'), ('c-103', '已结案'), ('c-104', '不予立案')]
    """
    def day(d: int, hour: int = 9) -> datetime:
        return datetime(2026, 11, d, hour, tzinfo=CST)

    def facts(case: str, category: str, unit: str, opened: int, **more: Any) -> CaseFacts:
        return CaseFacts(
            case=case, issue="i" + case[1:], category=category,
            categories=DEFAULT_CATALOGUE.lineage(category), severity=Severity.ROUTINE,
            channel=Channel.APP, place=None, located=True, grid_version="2026-11",
            chain=(unit, "g3", "yx"), micro_grid=unit, filed_unit=unit,
            owner=str(more.pop("owner", unit)), closing_unit=more.pop("closing_unit", None),
            reported_at=day(opened, 8), opened_at=day(opened, 8), accept_due=day(opened, 17),
            **more,
        )

    return (
        facts("c-101", "facility_repair", "mg31", 2, status=CaseStatus.EVALUATED,
              closing_unit="mg31", accepted_at=day(2), dispatched_at=day(2, 10),
              resolved_at=day(4), closed_at=day(5), evaluated_at=day(6), resolve_due=day(9),
              resolve_due_unextended=day(9), accepted_on_time=True, resolved_on_time=True,
              resolved_on_time_unextended=True, satisfaction=Satisfaction.SATISFIED),
        facts("c-102", "environment", "mg31", 3, status=CaseStatus.DISPATCHED,
              accepted_at=day(3), dispatched_at=day(3, 11), resolve_due=day(10),
              resolve_due_unextended=day(10), accepted_on_time=True),
        facts("c-103", "facility_repair", "mg32", 5, status=CaseStatus.CLOSED, owner="g3",
              closing_unit="g3", accepted_at=day(5), dispatched_at=day(5, 10),
              resolved_at=day(20), closed_at=day(21), resolve_due=day(12),
              resolve_due_unextended=day(12), accepted_on_time=True, resolved_on_time=False,
              resolved_on_time_unextended=False, rework=1, verification_failures=1,
              escalations=1, escalation_path=("g3",), satisfaction=Satisfaction.BASICALLY_SATISFIED),
        facts("c-104", "facility_repair", "mg32", 6, status=CaseStatus.REJECTED,
              rejected_at=day(6, 10)),
    )
