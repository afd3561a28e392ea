"""Regression tests for issue 11 ("One road"), routing side.

Each test failed on the commit before the issue (written against that commit's API in
``/work/notes/regress11_old.py`` at the time; its failures are quoted in the issue's note) and
passes now.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    FOUR_TIER,
    Category,
    Channel,
    GridGovError,
    GridGraph,
    GridUnit,
    Issue,
    PolicyError,
    Reporter,
    Router,
)
from gridgov.demo import sample_grid, sample_residents

T = datetime(2026, 11, 26, 10, 0, tzinfo=CST)
STREET = DEFAULT_CATALOGUE.with_categories(
    [
        Category(code="neighbour_dispute", label="neighbour dispute", zh="邻里纠纷",
                 parent="dispute"),
        Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair"),
    ],
    name="street",
)


def _issue(**kw: object) -> Issue:
    fields: dict[str, object] = {
        "id": "i1",
        "category": "dispute",
        "severity": 1,
        "channel": Channel.HOTLINE,
        "place": "h-1001",
        "reporter": Reporter.resident("r"),
        "reported_at": T,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


def test_a_partner_serving_a_parent_category_is_linked_for_its_refinements() -> None:
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX,
                    catalogue=STREET)
    a = router.route(_issue(category="lift_repair"))
    assert a.rule == "facility"
    assert a.partners == ("p-wuye",)
    assert a.reason.ids("partner") == ("p-wuye",)


def test_the_router_keeps_no_files_and_refuses_wrong_ones() -> None:
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    files = {r.id: r for r in sample_residents()}
    issue = _issue(resident="r-lu", reporter=Reporter.resident("r-lu"))
    assert router.route(issue, residents=files).rule == "vulnerable"
    files.clear()  # the caller's dict changes: the router holds nothing of it
    assert router.route(issue, residents=files).rule == "default"
    with pytest.raises(GridGovError, match="'residents'"):
        router.route(issue, residents=list(sample_residents()))  # type: ignore[arg-type]
    with pytest.raises(GridGovError, match="'residents' must map each resident's id"):
        router.route(issue, residents={r.household: r for r in sample_residents()})


def test_four_tier_with_the_default_matrix_routes_and_names_the_move() -> None:
    units = [
        GridUnit(id="sd", name="淮河路街道", tier="subdistrict"),
        GridUnit(id="yx", name="亚新社区", tier="community", parent="sd"),
        GridUnit(id="g1", name="第一网格", tier="grid", parent="yx"),
        GridUnit(id="mg1", name="1号楼", tier="micro_grid", parent="g1"),
    ]
    grid = GridGraph(version="v", scheme=FOUR_TIER, units=units, places={"h1": "mg1"})
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    a = router.route(_issue(place="h1"))
    assert a.unit == "mg1" and a.rule == "default"
    assert "其余事项到微网格" not in a.reason.zh  # the rule no longer names a tier


def test_an_unlocated_issue_is_routed_from_the_top_unit_and_marked() -> None:
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    a = router.route(_issue(place=None))
    assert not a.located and a.unit == "yx" and [u.id for u in a.chain] == ["yx"]
    assert "待定位" in a.reason.zh and "unlocated" in a.reason.en
    two_tops = GridGraph(version="v", units=[GridUnit(id="c1", name="甲社区", tier="community"),
                                             GridUnit(id="c2", name="乙社区", tier="community")])
    with pytest.raises(PolicyError, match="unlocated_at"):
        Router(grid=two_tops, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(
            _issue(place=None))
    named = Router(grid=two_tops, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, unlocated_at="c2")
    assert named.route(_issue(place=None)).unit == "c2"
