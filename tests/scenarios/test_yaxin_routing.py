"""Seed story (Yaxin, 亚新社区): the issue found on Li Yanming's visit is routed.

Micro-grid leader Li Yanming (李燕明), on a routine visit, finds that Aunt Lü (吕阿姨), who
lives alone, hurt her back and has just left hospital.  The issue is routed to her
micro-grid with a reason a grid worker can read, and the rule that links the compound's
property management (物业) links it.
"""

from __future__ import annotations

from datetime import datetime

from gridgov import CST, Channel, Issue, Reporter, Severity
from gridgov.demo import sample_grid, sample_residents
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router


def test_the_visit_finding_is_routed_to_aunt_lus_micro_grid_and_links_property() -> None:
    grid = sample_grid()
    residents = {r.id: r for r in sample_residents()}
    lu = residents["r-lu"]
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, residents=residents)

    found = Issue(
        id="yx-2026-1126-01",
        category="elder_care",
        severity=Severity.ATTENTION,
        channel=Channel.VISIT,
        place=lu.household,
        resident=lu.id,
        reporter=Reporter.member("m-li"),
        reported_at=datetime(2026, 11, 26, 10, 15, tzinfo=CST),
        description="吕阿姨摔伤腰部，刚出院回家，独自居住，身体虚弱",
    )
    a = router.route(found)

    # Her micro-grid, led by Li Yanming, is responsible.
    assert a.unit == "mg31" and a.unit_name == "美好人家1号楼"
    assert a.leader_name == "李燕明"
    # The rule for vulnerable elders fired because she lives alone (in force that day) …
    assert a.rule == "vulnerable"
    assert "独居孤寡老人当日响应" in a.reason and "vulnerable elders" in a.reason
    # … and it links the compound's property management company.
    assert a.partners == ("p-wuye",)
    assert "美好人家物业" in a.reason
    # Same-day attention: accept within two hours, resolve within one working day.
    assert a.accept_by == datetime(2026, 11, 26, 12, 15, tzinfo=CST)
    assert a.resolve_by is not None and a.resolve_by.date() == datetime(2026, 11, 27).date()
