"""gridgov.testing.checks.check_routing: sound setups pass, setups the router refuses or that
are not total are told apart, and the checks need no hypothesis.

Planted bugs are in ``test_checks_planted_bugs.py``; escalation and visits in
``test_checks_escalation_visits.py``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
from check_builders import FILES, FRIDAY_EVENING, GRID, check, issue

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    FOUR_TIER,
    Category,
    Channel,
    GridGraph,
    GridUnit,
    Issue,
    Partner,
    PartnerKind,
    ResidentFiles,
    Responsibility,
    ResponsibilityMatrix,
    Router,
    RoutingRule,
    RuleSet,
    WorkCalendar,
)
from gridgov.testing.checks import check_routing

# --------------------------------------------------------------------------- sound setups

SOUND = {
    "facility repair links the property company": issue(),
    "urgent hazard moved up by the matrix": issue(
        category="safety_hazard", severity=3, channel=Channel.HOTLINE
    ),
    "Aunt Lü living alone, found on a visit": issue(
        category="elder_care", severity=2, channel=Channel.VISIT, resident="r-lu"
    ),
    "resident without a file": issue(category="elder_care", resident="r-nobody"),
    "public order at a grid unit": issue(category="public_order", place=None, unit="g3"),
    "emergency at the community itself": issue(
        category="dispute", severity=4, place=None, unit="yx"
    ),
    "start tier below the issue's unit": issue(
        category="safety_hazard", severity=3, place=None, unit="yx"
    ),
    "refined category (appliance repair)": issue(category="appliance_repair", severity=2),
    "dispute beyond the micro-grid": issue(category="dispute", severity=3),
    "Friday evening, working-time deadlines": issue(reported_at=FRIDAY_EVENING),
    "another timezone": issue(reported_at=datetime(2026, 11, 26, 1, 0, tzinfo=CST).astimezone()),
    "unlocated hotline call": issue(category="dispute", place=None, channel=Channel.HOTLINE),
    "unlocated emergency": issue(category="safety_hazard", severity=4, place=None),
}


@pytest.mark.parametrize("found", SOUND.values(), ids=SOUND.keys())
def test_sound_setups_pass_and_return_the_assignment(found: Issue) -> None:
    a = check(found)
    expected = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(
        found, residents=ResidentFiles(FILES)
    )
    assert a == expected


def test_residents_may_be_files_a_mapping_an_iterable_or_none() -> None:
    lu = issue(category="elder_care", resident="r-lu")
    for files in (ResidentFiles(FILES), {r.id: r for r in FILES}, list(FILES), iter(FILES)):
        found = check(lu, residents=files)
        assert found is not None
        assert found.rule == "vulnerable"
    without = check(lu, residents=None)
    assert without is not None
    assert without.rule == "default"


def test_wrongly_keyed_residents_are_a_misuse() -> None:
    with pytest.raises(TypeError, match="'residents' must be one personal file per resident id"):
        check(issue(), residents={r.household: r for r in FILES})
    twice = [*FILES, FILES[0]]
    with pytest.raises(TypeError, match=r"got 'r-.*' twice"):
        check(issue(), residents=twice)


def test_a_custom_calendar_and_catalogue_are_used() -> None:
    mine = DEFAULT_CATALOGUE.with_categories(
        [Category(code="parking", label="parking", zh="停车", parent="dispute")], name="mine"
    )
    late = WorkCalendar(hours=["10:00-16:00"])
    a = check(issue(category="parking", reported_at=FRIDAY_EVENING), catalogue=mine, calendar=late)
    assert a is not None
    assert a.accept_by is not None
    assert a.accept_by.due == datetime(2026, 11, 30, 16, 0, tzinfo=CST)
    assert (a.accept_by.basis, a.accept_by.source) == ("working", "rule:default")


def test_a_partner_serving_a_broad_category_is_linked_for_a_refinement() -> None:
    street = DEFAULT_CATALOGUE.with_categories(
        [Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair")],
        name="street",
    )
    a = check(issue(category="lift_repair"), catalogue=street)
    assert a is not None
    assert a.partners == ("p-wuye",)


FOUR = GridGraph(
    version="v4",
    scheme=FOUR_TIER,
    units=[
        GridUnit(id="sd", name="淮河路街道", tier="subdistrict"),
        GridUnit(id="yx", name="亚新社区", tier="community", parent="sd"),
        GridUnit(id="g1", name="第一网格", tier="grid", parent="yx"),
        GridUnit(id="mg1", name="1号楼", tier="micro_grid", parent="g1"),
    ],
    places={"h1": "mg1"},
    partners=[
        Partner(id="p-wy", name="物业", kind=PartnerKind.PROPERTY_MANAGEMENT,
                categories={"facility_repair"}, units={"yx"}),
    ],
)


@pytest.mark.parametrize(
    ("found", "unit"),
    [
        (issue(place="h1"), "mg1"),
        (issue(place="h1", category="public_order", severity=2), "yx"),
        (issue(place=None, category="dispute"), "sd"),
        (issue(place=None, category="dispute", severity=4), "sd"),
    ],
)
def test_four_tier_with_the_default_matrix_passes(found: Issue, unit: str) -> None:
    a = check(found, grid=FOUR)
    assert a is not None
    assert a.unit == unit


def test_unlocated_issues_go_where_the_router_is_told() -> None:
    two_tops = GridGraph(
        version="v2",
        units=[GridUnit(id="c1", name="甲社区", tier="community"),
               GridUnit(id="g1", name="甲一网格", tier="grid", parent="c1"),
               GridUnit(id="c2", name="乙社区", tier="community")],
    )
    call = issue(place=None, category="dispute")
    assert check(call, grid=two_tops) is None  # nowhere to put it: rightly refused
    a = check(call, grid=two_tops, unlocated_at="g1")
    assert a is not None
    assert ([u.id for u in a.chain], a.located) == (["g1", "c1"], False)


BAD_INPUT = {
    "unknown place": issue(place="h-9999"),
    "unknown unit": issue(place=None, unit="mg99"),
    "unknown category": issue(category="parking"),
}


@pytest.mark.parametrize("found", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_refused_by_the_router_passes(found: Issue) -> None:
    assert check(found) is None


# --------------------------------------------------------------------------- the rules or matrix refused


def test_a_matrix_without_a_catch_all_is_not_total() -> None:
    narrow = ResponsibilityMatrix(
        name="narrow",
        top_catch_all=False,
        entries=[Responsibility(tier="community", category="dispute")],
    )
    with pytest.raises(AssertionError, match="routing is not total") as info:
        check(issue(), matrix=narrow)
    assert "category 'facility_repair' stops at 0" in str(info.value)
    assert isinstance(info.value.__cause__, Exception)


def test_rules_naming_a_tier_the_grid_lacks_are_not_total() -> None:
    four = RuleSet(
        name="four-tier rules",
        rules=[RoutingRule(id="up", name="to the subdistrict", start_tier="subdistrict")],
    )
    with pytest.raises(AssertionError, match=r"rule set 'four-tier rules'.*cannot route"):
        check(issue(), rules=four)


def test_an_unlocated_at_outside_the_grid_is_not_total() -> None:
    with pytest.raises(AssertionError, match="'unlocated_at' of Router must be a unit"):
        check(issue(), unlocated_at="nowhere")


def test_wrong_argument_types_are_a_type_error_not_a_failed_check() -> None:
    with pytest.raises(TypeError, match="'rules' must be a RuleSet"):
        check_routing("default", GRID, issue(), matrix=DEFAULT_MATRIX)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'matrix' must be a ResponsibilityMatrix"):
        check_routing(DEFAULT_RULES, GRID, issue(), matrix={})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'unlocated_at' must be a unit id or None"):
        check_routing(DEFAULT_RULES, GRID, issue(), matrix=DEFAULT_MATRIX, unlocated_at=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'residents' must be one personal file"):
        check_routing(DEFAULT_RULES, GRID, issue(), matrix=DEFAULT_MATRIX, residents="r-lu")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- no hypothesis


def test_the_checks_module_does_not_import_hypothesis() -> None:
    code = "import sys, gridgov.testing.checks; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_checks_work_without_hypothesis_installed() -> None:
    code = """
import sys
sys.modules["hypothesis"] = None  # any import of hypothesis now fails
from datetime import datetime
from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
from gridgov.demo import sample_grid
from gridgov.testing.checks import check_routing
found = Issue(id="i", category="dispute", severity=1, channel=Channel.APP, place="h-0001",
              reporter=Reporter.resident("r"), reported_at=datetime(2026, 1, 5, tzinfo=CST))
print(check_routing(DEFAULT_RULES, sample_grid(), found, matrix=DEFAULT_MATRIX).unit)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "mg11"
