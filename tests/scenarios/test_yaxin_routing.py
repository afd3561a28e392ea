"""Seed story (Yaxin, 亚新社区): the issue found on Li Yanming's visit is routed.

Micro-grid leader Li Yanming (李燕明), on a routine visit, finds that Aunt Lü (吕阿姨), who
lives alone, hurt her back and has just left hospital.  The issue is routed to her
micro-grid with a reason a grid worker can read, and the rule that links the compound's
property management (物业) links it.
"""

from __future__ import annotations

from datetime import datetime

from gridgov import CST, Channel, Issue, Reporter, ResidentFiles, Severity
from gridgov.demo import sample_grid, sample_residents
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router


def test_the_visit_finding_is_routed_to_aunt_lus_micro_grid_and_links_property() -> None:
    grid = sample_grid()
    files = ResidentFiles(sample_residents())
    lu = files["r-lu"]
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)

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
    a = router.route(found, residents=files)

    # Her micro-grid, led by Li Yanming, is responsible; the chain runs up to the community.
    assert a.unit == "mg31" and a.unit_name == "美好人家1号楼"
    assert a.leader_name == "李燕明"
    assert [u.id for u in a.chain] == ["mg31", "g3", "yx"] and a.located
    # The rule for vulnerable elders fired because she lives alone (in force that day) …
    assert a.rule == "vulnerable"
    assert "独居孤寡老人当日响应" in a.reason.zh and "vulnerable elders" in a.reason.en
    assert a.reason.ids("rule") == ("vulnerable",)
    # … and it links the compound's property management company, named in the reason.
    assert a.partners == ("p-wuye",)
    assert "美好人家物业" in a.reason.zh and a.reason.ids("partner") == ("p-wuye",)
    # Same-day attention: accept within two hours, resolve within one working day — and the
    # working-day deadline stays a working-time one, with the limit that set it.
    assert a.accept_by is not None and a.resolve_by is not None
    assert a.accept_by.due == datetime(2026, 11, 26, 12, 15, tzinfo=CST)
    assert a.accept_by.basis == "natural"
    assert a.resolve_by.due == datetime(2026, 11, 27, 10, 15, tzinfo=CST)
    assert (a.resolve_by.basis, a.resolve_by.source) == ("working", "rule:vulnerable")
    vulnerable = next(r for r in DEFAULT_RULES.rules if r.id == "vulnerable")
    assert a.resolve_by.limit == vulnerable.resolve_within
    # Without her file, nothing is known of her: the default rule routes the finding.
    assert router.route(found).rule == "default"
