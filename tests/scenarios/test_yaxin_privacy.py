"""Seed story (Yaxin, 亚新社区) with scopes: who may see Aunt Lü's file and her case.

Li Yanming (李燕明, 微网格长 of 美好人家1号楼) found Aunt Lü's injury on his visit: he sees her
whole file and her case.  Peng Xueli (彭雪丽, 网格长) handles the case: she sees it, and of
the file what case handling needs — not the conditions, unless the community's own table
says so.  The compound's property company (美好人家物业), linked to the case (网格联动), sees
where the case is and what is to be done, but not her conditions, not her file, and nothing
once its link is released.  The leader of the next micro-grid sees neither.  Each decision
becomes an access record for the community's audit trail.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

from gridgov import CST, to_dict
from gridgov.cases import CoHandlerReleased
from gridgov.demo import sample_case, sample_grid, sample_policy, sample_residents
from gridgov.interop import open311_requests
from gridgov.privacy import (
    DEFAULT_SENSITIVITY,
    Purpose,
    Scope,
    Sensitivity,
    may_see,
    redact,
    suppress_small_cells,
    visible,
)

GRID = sample_grid()
RESIDENTS = sample_residents()
LU = next(r for r in RESIDENTS if r.id == "r-lu")
CASE = sample_case()
DAY = date(2026, 11, 26)
[WUYE] = [p for p in GRID.partners_covering("g3") if p.id == "p-wuye"]

LI = Scope.of_member(GRID.member("m-li"), purpose=Purpose.VISIT, on=DAY)
PENG = Scope.of_member(GRID.member("m-g3"), purpose=Purpose.CASE_HANDLING, on=DAY)
WUYE_SCOPE = Scope.of_partner(WUYE, on=DAY)
NEXT_DOOR = Scope.of_member(GRID.member("m-mg32"), purpose=Purpose.VISIT, on=DAY)

PRIVATE = ("摔伤", "腰部", "独自居住", "injured", "living_alone", "recently_discharged", "吕阿姨")


def test_li_yanming_sees_aunt_lus_file_and_her_case() -> None:
    file, case = may_see(LI, LU, grid=GRID), may_see(LI, CASE, grid=GRID)
    assert (file.allowed, file.rule, case.allowed, case.rule) == (
        True, "post_subtree", True, "post_subtree"
    )
    assert "李燕明（微网格长，美好人家1号楼）可查看居民 吕** 的档案" in file.reason.zh
    assert file.reason.ids("unit") == ("mg31",)
    assert may_see(LI, LU, grid=GRID, field="conditions").allowed
    assert redact(LU, LI, grid=GRID) == LU  # a visit sees the whole file
    assert redact(CASE, LI, grid=GRID).issue.description == CASE.issue.description


def test_the_property_company_sees_the_case_location_and_task_but_not_her_conditions() -> None:
    assert may_see(WUYE_SCOPE, CASE, grid=GRID).rule == "partner_link"
    seen = redact(CASE, WUYE_SCOPE, grid=GRID)
    assert type(seen) is type(CASE) and seen.id == CASE.id and len(seen.events) == len(CASE.events)
    # where and what: the place, the category, the severity, the owner and the deadline
    assert (seen.issue.place, seen.issue.category, seen.issue.severity) == (
        "h-1001", "elder_care", CASE.issue.severity
    )
    assert (seen.owner_name, seen.resolve_by) == (CASE.owner_name, CASE.resolve_by)
    assert seen.issue.resident == "r-lu"  # ids kept
    # not her conditions, nor anything written about her
    assert seen.issue.description == ""
    text = json.dumps(to_dict(seen), ensure_ascii=False)
    assert not [w for w in PRIVATE if w in text]
    assert not may_see(WUYE_SCOPE, CASE, grid=GRID, field="Issue.description").allowed
    assert may_see(WUYE_SCOPE, CASE, grid=GRID, field="Issue.place").allowed
    file = may_see(WUYE_SCOPE, LU, grid=GRID)
    assert (file.allowed, file.rule) == (False, "partner_no_files")
    masked = redact(LU, WUYE_SCOPE, grid=GRID)
    assert (masked.name, masked.household) == ("吕**", "***")
    assert {c.kind for c in masked.conditions} == {"sensitive"}
    assert not [w for w in PRIVATE if w in json.dumps(to_dict(masked), ensure_ascii=False)]
    # its Open311 feed goes through the same scope
    [row] = open311_requests(
        [seen], at=CASE.updated_at, calendar=sample_policy().calendar
    )
    assert (row["address_id"], row["description"], row["service_code"]) == (
        "h-1001", "", "elder_care"
    )


def test_the_property_company_sees_nothing_once_released() -> None:
    released = CASE.apply(
        CoHandlerReleased(
            at=datetime(2026, 11, 27, 9, tzinfo=CST), actor="m-g3", handler="p-wuye",
            reason="吕阿姨已由家人接走照顾",
        )
    )
    d = may_see(WUYE_SCOPE, released, grid=GRID)
    assert (d.allowed, d.rule) == (False, "partner_released")
    assert "美好人家物业 不可再查看案件" in d.reason.zh
    seen = redact(released, WUYE_SCOPE, grid=GRID)
    assert seen.issue.place == "***"
    assert "家人" not in json.dumps(to_dict(seen), ensure_ascii=False)


def test_another_micro_grids_leader_sees_neither() -> None:
    file, case = may_see(NEXT_DOOR, LU, grid=GRID), may_see(NEXT_DOOR, CASE, grid=GRID)
    assert (file.allowed, file.rule, case.allowed, case.rule) == (
        False, "outside_posts", False, "outside_posts"
    )
    assert "沈洁 不可查看居民 吕** 的档案" in file.reason.zh
    assert LU not in visible(NEXT_DOOR, RESIDENTS, grid=GRID)
    assert not [w for w in PRIVATE if w in json.dumps(to_dict(redact(CASE, NEXT_DOOR, grid=GRID)),
                                                      ensure_ascii=False)]


def test_the_grid_leader_handling_the_case_sees_what_the_community_lets_her() -> None:
    assert may_see(PENG, CASE, grid=GRID).allowed
    default = redact(LU, PENG, grid=GRID)
    assert default.name == "吕阿姨" and {c.kind for c in default.conditions} == {"sensitive"}
    # Yaxin's own table: case handling may see health (her injury), not her identity flags
    yaxin = DEFAULT_SENSITIVITY.with_purpose(
        Purpose.CASE_HANDLING, {Sensitivity.PERSONAL, Sensitivity.WHEREABOUTS, Sensitivity.HEALTH}
    )
    seen = redact(LU, PENG, grid=GRID, table=yaxin)
    assert [c.kind for c in seen.conditions] == ["sensitive", "injured", "recently_discharged"]
    # the partner's ceiling stays: 物业 still sees no health information
    assert not may_see(WUYE_SCOPE, "Condition.note", grid=GRID, table=yaxin).allowed


def test_every_decision_becomes_an_access_record() -> None:
    at = datetime(2026, 11, 26, 16, tzinfo=CST)
    asks = [(LI, LU), (WUYE_SCOPE, CASE), (WUYE_SCOPE, LU), (NEXT_DOOR, LU)]
    trail = [may_see(s, t, grid=GRID).record(at=at) for s, t in asks]
    decided = [r.decision for r in trail]
    assert [(d.who.id, d.what.id if d.what else None, d.allowed) for d in decided] == [
        ("m-li", "r-lu", True),
        ("p-wuye", CASE.id, True),
        ("p-wuye", "r-lu", False),
        ("m-mg32", "r-lu", False),
    ]
    assert all(r.at == at and r.decision.reason.zh and r.decision.reason.en for r in trail)
    assert not [w for w in PRIVATE if w in json.dumps([to_dict(r) for r in trail],
                                                      ensure_ascii=False)]


def test_the_secretary_counts_files_without_singling_anyone_out() -> None:
    stats = Scope.of_member(GRID.member("m-sec"), purpose=Purpose.STATISTICS, on=DAY)
    seen = [redact(r, stats, grid=GRID) for r in visible(stats, RESIDENTS, grid=GRID)]
    assert len(seen) == 61 and not any(r.name == LU.name for r in seen)
    per_micro_grid = Counter(GRID.place_unit(r.household).id for r in RESIDENTS)
    shown = suppress_small_cells(per_micro_grid)
    assert per_micro_grid["mg31"] == 4 and shown["mg31"] is None
    assert all(shown[k] is None for k, n in per_micro_grid.items() if n < 5)
