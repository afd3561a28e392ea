"""Seed story (Yaxin, 亚新社区): Aunt Lü's case goes round the closed loop, end to end.

Micro-grid leader Li Yanming (李燕明), on a routine visit, finds that Aunt Lü (吕阿姨), who
lives alone, hurt her back and has just left hospital.  He files the case and escalates it
by hand (上报) to the grid one tier up, led by Peng Xueli (彭雪丽, 三级网格长).  She visits and
accepts it the same day, links up with the compound's property management company (物业,
网格联动), and resolves it by setting up a visit every day (每日一访).  Aunt Lü is satisfied;
the case is verified, closed and evaluated, and its timeline tells the story in order.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    Channel,
    InvalidTransitionError,
    Issue,
    Reporter,
    Severity,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    Accepted,
    Case,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    Escalated,
    Evaluated,
    ResidentSatisfied,
    Resolved,
    Satisfaction,
    Trigger,
    Verified,
)
from gridgov.demo import sample_grid, sample_policy, sample_residents
from gridgov.escalation import (
    WarningLevel,
    due_escalations,
    escalate,
    escalation_for,
    warning,
)
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
from gridgov.workflow import open_case


def cst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CST)


YAXIN_POLICY = sample_policy()  # 微网格 2h/1 working day, 网格 same day/3, 社区 4h/5; then 吹哨


def test_aunt_lus_case_goes_round_the_closed_loop() -> None:
    grid = sample_grid()
    residents = {r.id: r for r in sample_residents()}
    lu = residents["r-lu"]
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    li, peng = grid.member("m-li"), grid.member("m-g3")
    assert (li.name, peng.name) == ("李燕明", "彭雪丽")

    # 1. Li Yanming files the case he found on his visit, on his own micro-grid.
    found = Issue(
        id="yx-2026-1126-01",
        category="elder_care",
        severity=Severity.ATTENTION,
        channel=Channel.VISIT,
        place=lu.household,
        resident=lu.id,
        reporter=Reporter.member(li.id),
        reported_at=cst(26, 10, 15),
        description="吕阿姨摔伤腰部，刚出院回家，独自居住，身体虚弱",
    )
    assignment = router.route(found, residents=residents)
    case = open_case(
        found,
        assignment,
        router=router,
        actor=li.id,
        policy=YAXIN_POLICY,
        link_partners=False,  # the linkage is Peng Xueli's call once she has seen Aunt Lü
    )
    assert (case.owner, case.owner_name) == ("mg31", "美好人家1号楼")
    assert grid.leader(case.owner) == li
    assert case.accept_by is not None
    assert case.accept_by.due == cst(26, 12, 15)
    assert case.accept_by.source == "sla:微网格"  # the policy's SLA replaced the rule's

    # 2. He escalates it by hand to the grid one tier up (上报).
    up = escalation_for(case, YAXIN_POLICY, at=cst(26, 10, 40), note="独居老人摔伤刚出院，需网格长统筹照护")
    assert up.reason.en == (
        "manual: escalated by 美好人家1号楼: 独居老人摔伤刚出院，需网格长统筹照护; "
        "美好人家1号楼 escalated to 第三网格."
    )
    case = escalate(case, up, YAXIN_POLICY, actor=li.id)
    assert (case.owner, case.owner_name) == ("g3", "第三网格")
    assert grid.leader(case.owner) == peng
    assert case.accountable == "mg31"  # 首接负责: Li's micro-grid stays accountable
    # The grid's SLA now applies: accept the same day.
    assert case.accept_by is not None
    assert case.accept_by.due == cst(27, 0)
    # Nothing is due while she is on her way, and the light is green.
    assert list(due_escalations([case], YAXIN_POLICY, at=cst(26, 14), router=router)) == []
    assert warning(case, at=cst(26, 14), calendar=YAXIN_POLICY.calendar) is WarningLevel.GREEN

    # 3. Peng Xueli visits and accepts the same day, and links 物业 (网格联动).
    case = case.apply(Accepted(at=cst(26, 15), actor=peng.id, note="已入户看望"))
    partners = grid.partners_for("mg31", "elder_care", catalogue=DEFAULT_CATALOGUE)
    [wuye] = [p for p in partners if p.kind.zh == "物业"]
    assert wuye.name == "美好人家物业"
    case = case.apply(
        CoHandlerLinked(
            at=cst(26, 15, 30),
            actor=peng.id,
            handler=wuye.id,
            name=wuye.name,
            due=cst(27, 12),
        )
    )
    # The case cannot be resolved while the property company is still on it.
    with pytest.raises(InvalidTransitionError, match="required co-handler 'p-wuye'"):
        case.apply(Resolved(at=cst(26, 16), actor=peng.id))
    case = case.apply(
        CoHandlerCompleted(
            at=cst(26, 17), actor=wuye.id, handler=wuye.id, note="楼道加装扶手，代购生活用品"
        )
    )

    # 4. She resolves it: a visit every day (每日一访) until Aunt Lü recovers.
    case = case.apply(
        Resolved(at=cst(26, 17, 30), actor=peng.id, summary="建立每日一访，物业协助生活照料")
    )
    assert list(due_escalations([case], YAXIN_POLICY, at=cst(30, 12), router=router)) == []

    # 5. Aunt Lü is satisfied; the case is verified, closed and evaluated.
    case = case.apply(ResidentSatisfied(at=cst(27, 9), actor=lu.id, note="每天有人来看我"))
    case = case.apply(Verified(at=cst(27, 9, 30), actor=peng.id, note="回访核实"))
    case = case.apply(Closed(at=cst(27, 10), actor=peng.id))
    case = case.apply(
        Evaluated(at=cst(27, 10, 5), actor=lu.id, satisfaction=Satisfaction.SATISFIED)
    )

    # Its timeline tells the story in order.
    steps = case.timeline()
    assert [(type(s.event).__name__, s.status, s.owner) for s in steps] == [
        ("CaseOpened", CaseStatus.REPORTED, "mg31"),
        ("Escalated", CaseStatus.REPORTED, "g3"),
        ("Accepted", CaseStatus.ACCEPTED, "g3"),
        ("CoHandlerLinked", CaseStatus.ACCEPTED, "g3"),
        ("CoHandlerCompleted", CaseStatus.ACCEPTED, "g3"),
        ("Resolved", CaseStatus.RESOLVED, "g3"),
        ("ResidentSatisfied", CaseStatus.RESOLVED, "g3"),
        ("Verified", CaseStatus.VERIFIED, "g3"),
        ("Closed", CaseStatus.CLOSED, "g3"),
        ("Evaluated", CaseStatus.EVALUATED, "g3"),
    ]
    assert [s.event.actor for s in steps] == [
        "m-li",
        "m-li",
        "m-g3",
        "m-g3",
        "p-wuye",
        "m-g3",
        "r-lu",
        "m-g3",
        "m-g3",
        "r-lu",
    ]
    escalated = steps[1].event
    assert isinstance(escalated, Escalated)
    assert (escalated.trigger, escalated.from_unit, escalated.to) == (Trigger.MANUAL, "mg31", "g3")
    # She accepted the same day, within the grid's limit.
    assert steps[2].event.at.date() == escalated.at.date()
    assert steps[2].event.at <= escalated.accept_by.due  # type: ignore[union-attr]
    assert escalated.reason == up.reason
    story = case.describe(catalogue=DEFAULT_CATALOGUE)
    assert story.splitlines()[0].startswith("2026-11-26 10:15 受理 — m-li：养老关爱 → 美好人家1号楼")
    assert "上报 — m-li：美好人家1号楼 → 第三网格（主动上报）" in story
    assert "联动 — m-g3：美好人家物业" in story
    assert story.splitlines()[-1].endswith("[已评价 · 第三网格]")
    english = case.describe(lang="en").splitlines()
    assert english[1] == (
        "2026-11-26 10:40 escalated — m-li: 美好人家1号楼 → 第三网格 (manual) [reported · 第三网格]"
    )

    # The case keeps the grid version and where it is located, and the accountable unit.
    assert (case.grid_version, case.chain[0].id, case.accountable) == ("2026-11", "mg31", "mg31")
    assert case.satisfaction is Satisfaction.SATISFIED
    assert not case.is_open

    # Its record survives a round trip through JSON unchanged.
    back = from_dict(json.loads(json.dumps(to_dict(case), ensure_ascii=False)), Case)
    assert back == case
    assert back.timeline() == case.timeline()
