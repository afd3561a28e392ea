"""gridgov.testing.checks: sound setups pass, and planted bugs fail with a domain message.

The bugs are planted the way they would arise in a real router: a walk that goes one unit too
far, a compiled table that forgets unit overrides or residents' conditions, working-time
limits counted in natural time, a batch path that drifts from the single path, a guess for an
unknown place, a chain read from the wrong place, a reason that forgets what it decided.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    FOUR_TIER,
    Assignment,
    Category,
    Channel,
    Deadline,
    GridGraph,
    GridUnit,
    Issue,
    Partner,
    PartnerKind,
    Reason,
    Reporter,
    ResidentFiles,
    Responsibility,
    ResponsibilityMatrix,
    Routed,
    Router,
    RoutingRule,
    RuleSet,
    Severity,
    TimeLimit,
    UnknownPlaceError,
    WorkCalendar,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.testing.checks import check_routing

GRID = sample_grid()
FILES = sample_residents()
THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
FRIDAY_EVENING = datetime(2026, 11, 27, 17, 0, tzinfo=CST)


def issue(**changes: Any) -> Issue:
    """A routine facility repair in 美好人家1号楼 (mg31, grid 3), reported on a Thursday."""
    fields: dict[str, Any] = {
        "id": "i-1",
        "category": "facility_repair",
        "severity": Severity.ROUTINE,
        "channel": Channel.GROUP_CHAT,
        "place": "h-1001",
        "reporter": Reporter.resident("r-9"),
        "reported_at": THURSDAY,
    }
    fields.update(changes)
    return Issue(**fields)


def check(found: Issue, **options: Any) -> Assignment | None:
    options.setdefault("matrix", DEFAULT_MATRIX)
    options.setdefault("residents", FILES)
    return check_routing(options.pop("rules", DEFAULT_RULES), options.pop("grid", GRID), found,
                         **options)


ORIGINAL_ROUTE = Router.route
ORIGINAL_ROUTE_MANY = Router.route_many


def patch_route(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Issue, Assignment], Assignment]
) -> None:
    """Make Router.route return ``change(issue, the correct assignment)``."""

    def route(self: Router, found: Issue, **options: Any) -> Assignment:
        return change(found, ORIGINAL_ROUTE(self, found, **options))

    monkeypatch.setattr(Router, "route", route)


def patch_route_many_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make route_many agree with the (patched) route, to isolate the planted bug."""

    def route_many(self: Router, found: Any, **options: Any) -> Iterator[Routed]:
        for i in found:
            a = self.route(i, **options)
            yield Routed(a.issue, a.unit, a.rule, a.moved_by_matrix)

    monkeypatch.setattr(Router, "route_many", route_many)


def owner(a: Assignment, unit_id: str, *, start: int | None = None) -> Assignment:
    """*a* with *unit_id* as the responsible unit: moved along its chain if the unit is on
    it, else on the chain of *unit_id* itself (an owner read off the wrong chain)."""
    ids = [u.id for u in a.chain]
    if unit_id in ids:
        chain, position = a.chain, ids.index(unit_id)
    else:
        chain, position = GRID.chain(unit_id), 0
    first = min(a.start if start is None else start, position)
    leader = GRID.leader(unit_id)
    return attrs.evolve(
        a,
        chain=chain,
        position=position,
        start=first,
        leader=None if leader is None else leader.id,
        leader_name=None if leader is None else leader.name,
    )


def deadline(due: datetime, *, start: datetime | None = None, **fields: Any) -> Deadline:
    return Deadline(start=due if start is None else start, due=due, **fields)


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


# --------------------------------------------------------------------------- planted bugs: the owner


def test_owner_beside_the_chain_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A look-up that reads the wrong grid's chain: 美好人家1号楼 is in grid 3, not grid 1.
    patch_route(monkeypatch, lambda i, a: owner(a, "g1"))
    with pytest.raises(AssertionError) as info:
        check(issue(category="dispute", severity=3))
    message = str(info.value)
    assert "routing of issue 'i-1' breaks an invariant" in message
    assert (
        "chain above it: 美好人家1号楼 'mg31' (微网格) → 第三网格 'g3' (网格) → 亚新社区 'yx' (社区)"
        in message
    )
    assert (
        "第一网格 'g1' (网格) is beside the issue's chain: routing never moves an issue sideways"
        in message
    )
    assert (
        "the assignment's chain is 第一网格 'g1' (网格) → 亚新社区 'yx' (社区), but the issue is "
        "routed along 美好人家1号楼 'mg31'"
    ) in message


def test_owner_below_the_issue_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: owner(a, "mg31"))
    with pytest.raises(AssertionError, match="is below the issue's location"):
        check(issue(category="public_order", place=None, unit="g3"))


def test_owner_below_the_rules_start_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hazard rule starts at the grid; a router that ignores start tiers keeps it below.
    patch_route(monkeypatch, lambda i, a: owner(a, "mg31", start=0))
    with pytest.raises(AssertionError) as info:
        check(issue(category="safety_hazard", severity=3, channel=Channel.HOTLINE))
    message = str(info.value)
    assert "rule 'hazard' starts at tier 'grid' above the issue, at 第三网格 'g3' (网格)" in message
    assert (
        "美好人家1号楼 'mg31' (微网格) is below 第三网格 'g3' (网格), where rule 'hazard' starts"
        in message
    )


def test_owner_one_unit_too_far_up_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # An off-by-one in the matrix walk: the micro-grid may handle a routine repair itself.
    patch_route(monkeypatch, lambda i, a: owner(a, "g3"))
    with pytest.raises(AssertionError) as info:
        check(issue())
    assert (
        "美好人家1号楼 'mg31' (微网格) may handle it up to 2 for 设施维修 facility repair, so the "
        "issue should have stopped there instead of going up to 第三网格 'g3' (网格)"
    ) in str(info.value)


def test_owner_the_matrix_forbids_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A walk that never consults the matrix leaves an urgent repair at the micro-grid.
    patch_route(monkeypatch, lambda i, a: owner(a, a.start_unit))
    with pytest.raises(AssertionError) as info:
        check(issue(severity=3))
    assert (
        "under matrix 'default', 美好人家1号楼 'mg31' (微网格) may handle it up to 2 for 设施维修 "
        "facility repair, so it may not own an issue of severity 紧急 urgent (3)"
    ) in str(info.value)


def test_a_top_tier_line_does_not_beat_the_catch_all() -> None:
    # With top_catch_all, the community's own line for welfare (2) does not matter: an
    # emergency climbs to the community and stays there.
    lines = [e for e in DEFAULT_MATRIX.entries if (e.tier, e.category) != ("community", "welfare")]
    capped = ResponsibilityMatrix(
        name="capped",
        entries=[*lines, Responsibility(tier="community", category="welfare", max_severity=2)],
    )
    a = check(issue(category="welfare", severity=4, channel=Channel.HOTLINE), matrix=capped)
    assert a is not None
    assert (a.unit, a.rule) == ("yx", "emergency")
    b = check(issue(category="welfare", severity=3), matrix=capped)
    assert b is not None
    assert (b.unit, b.moved_by_matrix) == ("yx", True)


def test_unit_overrides_forgotten_by_the_router_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    def tier_defaults_only(self: Router, found: Issue, **options: Any) -> Assignment:
        lines = [e for e in self.matrix.entries if e.unit is None]
        by_tier = ResponsibilityMatrix(name=self.matrix.name, entries=lines)
        return ORIGINAL_ROUTE(attrs.evolve(self, matrix=by_tier), found, **options)

    monkeypatch.setattr(Router, "route", tier_defaults_only)
    patch_route_many_too(monkeypatch)
    # 美好人家1号楼 has a trained mediator: its 权责清单 lets it handle disputes up to urgent.
    mediator = DEFAULT_MATRIX.with_entries(
        [Responsibility(unit="mg31", category="dispute", max_severity=3)], name="with mediator"
    )
    with pytest.raises(AssertionError) as info:
        check(issue(category="dispute", severity=3), matrix=mediator)
    assert "美好人家1号楼 'mg31' (微网格) may handle it up to 3 for 矛盾纠纷 dispute" in str(
        info.value
    )


def test_a_chain_of_another_drawing_of_the_grid_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A router that caches chains across grid versions: the micro-grid's name is stale.
    def stale(i: Issue, a: Assignment) -> Assignment:
        old = attrs.evolve(a.chain[0], name="美好人家旧1号楼")
        return attrs.evolve(a, chain=(old, *a.chain[1:]))

    patch_route(monkeypatch, stale)
    with pytest.raises(AssertionError) as info:
        check(issue())
    message = str(info.value)
    assert "the assignment describes the owner as '美好人家旧1号楼' of tier 'micro_grid'" in message
    assert "but 'mg31' is '美好人家1号楼' of tier 'micro_grid'" in message
    assert "the assignment's chain is 美好人家旧1号楼 'mg31' (微网格)" in message


def test_a_wrong_leader_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, leader="m-sec", leader_name="高书记"))
    with pytest.raises(AssertionError) as info:
        check(issue())
    message = str(info.value)
    assert "names leader 'm-sec' (高书记)" in message
    assert "the leader of 美好人家1号楼 'mg31' (微网格) is 'm-li' (李燕明)" in message


def test_a_wrong_start_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # An assignment that records the owner as the start hides that the matrix moved it.
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, start=a.position))
    patch_route_many_too(monkeypatch)
    with pytest.raises(AssertionError) as info:
        check(issue(category="dispute", severity=3))
    assert (
        "rule 'default' starts where the issue is located, at 美好人家1号楼 'mg31' (微网格), but "
        "the assignment says it started at 第三网格 'g3' (网格)"
    ) in str(info.value)


def test_an_unlocated_issue_marked_located_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, located=True))
    with pytest.raises(AssertionError, match="says located=True, but the issue's is False"):
        check(issue(place=None))


def test_an_unlocated_issue_put_at_a_guess_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A router that files unlocated issues with the first micro-grid of the grid.
    patch_route(
        monkeypatch,
        lambda i, a: a if i.located else owner(attrs.evolve(a, start=0), "mg11"),
    )
    with pytest.raises(AssertionError) as info:
        check(issue(place=None))
    message = str(info.value)
    assert "unlocated (待定位)" in message
    assert "chain above it: 亚新社区 'yx' (社区)" in message
    assert "is below the issue's location: routing never moves an issue down" in message


def test_wrong_issue_and_grid_version_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, issue="i-2", grid_version="2025-01"))
    patch_route_many_too(monkeypatch)
    with pytest.raises(AssertionError) as info:
        check(issue())
    assert "for issue 'i-2', not 'i-1'" in str(info.value)
    assert "grid version '2025-01', not '2026-11'" in str(info.value)


# --------------------------------------------------------------------------- planted bugs: the rule


def test_a_later_rule_firing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, rule="default"))
    with pytest.raises(AssertionError) as info:
        check(issue())
    assert (
        "rule 'default' fired, but rule 'facility' comes before it and matches this issue: the "
        "first matching rule must win"
    ) in str(info.value)


def test_a_rule_that_does_not_match_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, rule="emergency"))
    with pytest.raises(AssertionError, match=r"rule 'emergency' .* does not match this issue"):
        check(issue())


def test_an_unknown_rule_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, rule="R99"))
    with pytest.raises(AssertionError, match="rule 'R99', named by the assignment, is not in"):
        check(issue())


def test_residents_files_forgotten_by_the_router_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def without_files(self: Router, found: Issue, **options: Any) -> Assignment:
        options["residents"] = None
        return ORIGINAL_ROUTE(self, found, **options)

    monkeypatch.setattr(Router, "route", without_files)
    patch_route_many_too(monkeypatch)
    lu = issue(category="elder_care", severity=2, channel=Channel.VISIT, resident="r-lu")
    with pytest.raises(AssertionError) as info:
        check(lu)
    message = str(info.value)
    assert "concerns resident 'r-lu', injured/living_alone/recently_discharged on 2026-11-26" in (
        message
    )
    assert "rule 'default' fired, but rule 'vulnerable' comes before it and matches" in message


# --------------------------------------------------------------------------- planted bugs: reasons


def test_a_reason_that_forgets_the_owner_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(
        monkeypatch,
        lambda i, a: attrs.evolve(a, reason=Reason(zh=a.reason.zh, en=a.reason.en,
                                                   refs=a.reason.refs[:1])),
    )
    with pytest.raises(AssertionError, match=r"the reason names units \[\], but not the responsible unit 'yx'"):
        check(issue(category="safety_hazard", severity=3))


def test_a_reason_for_another_rule_or_partner_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    other = DEFAULT_RULES.rules[0]
    patch_route(
        monkeypatch,
        lambda i, a: attrs.evolve(
            a, reason=Reason(zh="…", en="…", refs=[r if r.kind != "rule" else attrs.evolve(
                r, id=other.id) for r in a.reason.refs if r.kind != "partner"])
        ),
    )
    with pytest.raises(AssertionError) as info:
        check(issue())
    message = str(info.value)
    assert "the reason names rules ['emergency'], but rule 'facility' fired" in message
    assert "the reason names partners [], but the assignment links ['p-wuye']" in message


def test_a_reason_in_one_language_only_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, reason=attrs.evolve(a.reason, en="")))
    with pytest.raises(AssertionError, match="must be given in Chinese and English"):
        check(issue())


# --------------------------------------------------------------------------- planted bugs: deadlines


def test_a_deadline_before_the_report_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def early(i: Issue, a: Assignment) -> Assignment:
        day_before = i.reported_at - timedelta(1)
        return attrs.evolve(a, accept_by=attrs.evolve(a.accept_by, start=day_before,
                                                      due=day_before))

    patch_route(monkeypatch, early)
    with pytest.raises(AssertionError) as info:
        check(issue())
    message = str(info.value)
    assert "is before the issue was reported" in message
    assert "the accept-by deadline records start 2026-11-25 09:00:00+08:00" in message


def test_working_limits_counted_in_natural_time_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    def natural_time(self: Router, found: Issue, **options: Any) -> Assignment:
        a = ORIGINAL_ROUTE(self, found, **options)
        rule = next(r for r in self.rules.rules if r.id == a.rule)

        def due(limit: TimeLimit | None) -> Deadline | None:
            if limit is None:
                return None
            return Deadline.of(attrs.evolve(limit, basis="natural"), start=found.reported_at,
                               calendar=self.calendar, source=f"rule:{rule.id}")

        return attrs.evolve(
            a, accept_by=due(rule.accept_within), resolve_by=due(rule.resolve_within)
        )

    monkeypatch.setattr(Router, "route", natural_time)
    with pytest.raises(AssertionError) as info:
        check(issue(reported_at=FRIDAY_EVENING))
    message = str(info.value)
    # 4 working hours from Friday 17:00 is Monday 11:30, not Friday 21:00.
    assert (
        "the accept-by deadline 2026-11-27 21:00:00+08:00 (4个工作小时 4 working hours) falls "
        in message
    )
    assert "outside working time" in message
    assert "4个工作小时 4 working hours from the report at 2026-11-27 17:00:00+08:00 is " in message
    assert "2026-11-30 11:30:00+08:00" in message
    assert "basis 'natural'" in message


def test_a_deadline_that_lost_its_basis_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 11: a rule's working_days(13) re-wrapped as a plain natural deadline.
    def rewrapped(i: Issue, a: Assignment) -> Assignment:
        assert a.resolve_by is not None
        return attrs.evolve(a, resolve_by=Deadline(start=a.resolve_by.start,
                                                   due=a.resolve_by.due))

    patch_route(monkeypatch, rewrapped)
    with pytest.raises(AssertionError) as info:
        check(issue(category="dispute"))
    message = str(info.value)
    assert "the resolve-by deadline records start 2026-11-26 09:00:00+08:00, basis 'natural' and limit None" in message
    assert "the resolve-by deadline records its source as '', but it was set by rule 'default'" in message


def test_a_deadline_from_the_wrong_source_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(
        monkeypatch,
        lambda i, a: attrs.evolve(a, accept_by=attrs.evolve(a.accept_by, source="sla:网格")),
    )
    with pytest.raises(AssertionError, match="records its source as 'sla:网格'"):
        check(issue())


def test_a_new_deadline_with_pauses_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def paused(i: Issue, a: Assignment) -> Assignment:
        assert a.accept_by is not None
        t = i.reported_at
        return attrs.evolve(a, accept_by=a.accept_by.paused(t, t + timedelta(hours=1)))

    patch_route(monkeypatch, paused)
    with pytest.raises(AssertionError, match="a new accept-by deadline has pauses"):
        check(issue())


def test_a_missing_or_extra_deadline_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, accept_by=None))
    with pytest.raises(AssertionError, match="sets 4个工作小时 4 working hours for the accept-by"):
        check(issue())
    bare = RuleSet(name="bare", rules=[RoutingRule(id="all", name="all")])
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, resolve_by=deadline(i.reported_at)))
    with pytest.raises(AssertionError, match="rule 'all' sets no resolve-by time limit"):
        check(issue(), rules=bare)


def test_a_planner_that_changes_the_answer_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cache keyed too coarsely: with a planner, deadlines come out an hour late.
    def off_by_an_hour(self: Router, found: Issue, **options: Any) -> Assignment:
        a = ORIGINAL_ROUTE(self, found, **options)
        if options.get("planner") is None or a.accept_by is None:
            return a
        d = a.accept_by
        return attrs.evolve(a, accept_by=attrs.evolve(d, due=d.due + timedelta(hours=1)))

    monkeypatch.setattr(Router, "route", off_by_an_hour)
    with pytest.raises(AssertionError, match="a planner is a cache and must not change an answer"):
        check(issue())


def test_a_planner_that_crashes_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Router, found: Issue, **options: Any) -> Assignment:
        if options.get("planner") is not None:
            raise RuntimeError("planner broken")
        return ORIGINAL_ROUTE(self, found, **options)

    monkeypatch.setattr(Router, "route", crash)
    with pytest.raises(AssertionError, match="route\\(\\) with a DeadlinePlanner raised RuntimeError"):
        check(issue())


# --------------------------------------------------------------------------- planted bugs: partners


def test_a_forgotten_partner_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, partners=()))
    with pytest.raises(AssertionError) as info:
        check(issue())
    assert (
        "links partners [], but rule 'facility' links 物业, and the partners of those kinds "
        "covering 美好人家1号楼 'mg31' (微网格) and serving 设施维修 facility repair are ['p-wuye']"
    ) in str(info.value)


def test_a_partner_from_elsewhere_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # The property company covers grid 3 only; grid 1's households get no 物业 link.
    patch_route(monkeypatch, lambda i, a: attrs.evolve(a, partners=("p-wuye",)))
    with pytest.raises(AssertionError, match=r"links partners \['p-wuye'\]"):
        check(issue(place="h-0001"))


def test_a_partner_read_by_exact_code_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 11: partners served exact codes only, so a sub-category linked nobody.
    street = DEFAULT_CATALOGUE.with_categories(
        [Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair")],
        name="street",
    )

    def exact(i: Issue, a: Assignment) -> Assignment:
        kept = tuple(p for p in a.partners if i.category in GRID.partners_covering(
            a.chain[0].id)[0].categories)
        return attrs.evolve(a, partners=kept, reason=Reason(
            zh=a.reason.zh, en=a.reason.en,
            refs=[r for r in a.reason.refs if r.kind != "partner" or r.id in kept]))

    patch_route(monkeypatch, exact)
    with pytest.raises(AssertionError) as info:
        check(issue(category="lift_repair"), catalogue=street)
    assert "serving 电梯维修 lift repair are ['p-wuye']" in str(info.value)


# --------------------------------------------------------------------------- planted bugs: totality


def test_an_exception_while_routing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Router, found: Issue, **options: Any) -> Assignment:
        raise KeyError(found.category)

    monkeypatch.setattr(Router, "route", crash)
    with pytest.raises(AssertionError) as info:
        check(issue())
    message = str(info.value)
    assert message.startswith("routing is not total: an issue located in the grid was not routed.")
    assert (
        "issue 'i-1': 设施维修 facility repair, 一般 routine (1), via 网格群 group chat" in message
    )
    assert "at place 'h-1001' in 美好人家1号楼 'mg31' (微网格)" in message
    assert "route() raised KeyError: 'facility_repair'" in message
    assert isinstance(info.value.__cause__, KeyError)


def test_route_many_drifting_from_route_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def drifting(self: Router, found: Any, **options: Any) -> Iterator[Routed]:
        for r in ORIGINAL_ROUTE_MANY(self, found, **options):
            named = Routed(*r)
            yield named._replace(moved_by_matrix=not named.moved_by_matrix)

    monkeypatch.setattr(Router, "route_many", drifting)
    with pytest.raises(
        AssertionError, match=r"route_many\(\) gives \[\('i-1', 'mg31', 'facility', True\)\]"
    ):
        check(issue())


def test_route_many_without_the_files_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful(self: Router, found: Any, **options: Any) -> Iterator[Routed]:
        return ORIGINAL_ROUTE_MANY(self, found)

    monkeypatch.setattr(Router, "route_many", forgetful)
    lu = issue(category="elder_care", resident="r-lu")
    with pytest.raises(AssertionError, match=r"route_many\(\) gives \[\('i-1', 'mg31', 'default'"):
        check(lu)


def test_route_many_crashing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Router, found: Any, **options: Any) -> Iterator[Routed]:
        raise RuntimeError("batch path broken")
        yield  # pragma: no cover

    monkeypatch.setattr(Router, "route_many", crash)
    with pytest.raises(AssertionError, match=r"route_many\(\) raised RuntimeError: batch path"):
        check(issue())


def test_routing_an_unknown_place_to_a_guess_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def guess(self: Router, found: Issue, **options: Any) -> Assignment:
        try:
            return ORIGINAL_ROUTE(self, found, **options)
        except UnknownPlaceError:
            return ORIGINAL_ROUTE(self, attrs.evolve(found, place=None, unit="yx"), **options)

    monkeypatch.setattr(Router, "route", guess)
    with pytest.raises(AssertionError) as info:
        check(issue(place="h-9999"))
    message = str(info.value)
    assert message.startswith(
        "nothing may be routed to a guess: its place is not in grid version '2026-11'."
    )
    assert "route() routed it anyway" in message


def test_routing_an_unlocated_issue_without_a_place_for_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    two_tops = GridGraph(
        version="v2",
        units=[GridUnit(id="c1", name="甲社区", tier="community"),
               GridUnit(id="c2", name="乙社区", tier="community")],
    )

    def first_root(self: Router, found: Issue, **options: Any) -> Assignment:
        if found.located:
            return ORIGINAL_ROUTE(self, found, **options)
        return ORIGINAL_ROUTE(attrs.evolve(self, unlocated_at="c1"), found, **options)

    monkeypatch.setattr(Router, "route", first_root)
    with pytest.raises(AssertionError) as info:
        check(issue(place=None), grid=two_tops)
    assert str(info.value).startswith(
        "nothing may be routed to a guess: it is unlocated and grid version 'v2' has no single "
        "top unit."
    )


def test_refusing_bad_input_with_a_bare_error_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def bare(self: Router, found: Issue, **options: Any) -> Assignment:
        if found.category not in self.catalogue:
            raise LookupError(found.category)
        return ORIGINAL_ROUTE(self, found, **options)

    monkeypatch.setattr(Router, "route", bare)
    with pytest.raises(AssertionError) as info:
        check(issue(category="parking"))
    message = str(info.value)
    assert message.startswith(
        "bad input must be refused with a GridGovError: its category is not in catalogue 'default'."
    )
    assert "'parking' (not in the catalogue)" in message


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


# --------------------------------------------------------------------------- escalation

from datetime import date  # noqa: E402

from gridgov.cases import (  # noqa: E402
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    Escalated,
    Resumed,
    Returned,
    Suspended,
    Trigger,
)
from gridgov.escalation import (  # noqa: E402
    EscalationPolicy,
    ExternalBody,
    Sla,
    escalate,
    escalation_for,
)
from gridgov.testing.checks import (  # noqa: E402
    _escalation,  # the module whose apply_event the check calls, patched to plant bugs
    check_escalation,
    check_visit_policy,
)
from gridgov.visits import DEFAULT_POLICY, Frequency, VisitPolicy  # noqa: E402

BODY = ExternalBody(id="sd", name="淮河路街道")
POLICY = EscalationPolicy(
    name="p",
    beyond=BODY,
    slas=[Sla(resolve_within=TimeLimit.working_days(5), accept_within=TimeLimit.working_hours(4))],
)
SHRINKING = EscalationPolicy(
    name="shrinking",
    beyond=BODY,
    slas=[
        Sla(tier="community", resolve_within=TimeLimit.working_hours(2)),
        Sla(resolve_within=TimeLimit.working_days(5)),
    ],
)


def opened(policy: EscalationPolicy = POLICY) -> Case:
    """A dispute filed with 美好人家1号楼 (mg31) on a Thursday morning, under *policy*."""
    accept_by, resolve_by = policy.deadlines(
        tier="micro_grid", category="dispute", severity=Severity.ROUTINE, start=THURSDAY
    )
    return Case(
        events=[
            CaseOpened(
                at=THURSDAY,
                actor="m-li",
                case="c-1",
                issue=issue(category="dispute"),
                chain=GRID.place_chain("h-1001"),
                grid_version=GRID.version,
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        ]
    )


def climb(case: Case, policy: EscalationPolicy, times: int, hours: int = 1) -> Case:
    at = case.updated_at
    for _ in range(times):
        at += timedelta(hours=hours)
        case = escalate(case, escalation_for(case, policy, at=at), policy, actor="system")
    return case


WHY = Reason(zh="上报", en="escalated")


def test_a_sound_history_passes_and_returns_the_final_case() -> None:
    start = opened()
    t = THURSDAY
    events: list[CaseEvent] = [
        Accepted(at=t + timedelta(hours=1), actor="m-li"),
        Suspended(at=t + timedelta(hours=2), actor="m-li", reason="等待回复"),
        Resumed(at=t + timedelta(days=3), actor="m-li"),
    ]
    case = start
    for e in events:
        case = case.apply(e)
    up = climb(case, POLICY, 3)
    final = check_escalation(POLICY, GRID, start, up.events[1:])
    assert final == up
    assert final.owner == "sd"
    assert final.beyond


def test_refused_events_are_skipped() -> None:
    start = opened()
    wrong = Escalated(
        at=THURSDAY, actor="x", trigger=Trigger.MANUAL, from_unit="mg31",
        from_name="美好人家1号楼", to="g2", to_name="第二网格", reason=WHY,
    )
    assert check_escalation(POLICY, GRID, start, [wrong]) == start


def _patched_apply(
    monkeypatch: pytest.MonkeyPatch, patch: Callable[[Case, CaseEvent, Case], Case]
) -> None:
    real = _escalation.apply_event

    def apply(case: Case, event: CaseEvent) -> Case:
        return patch(case, event, real(case, event))

    monkeypatch.setattr(_escalation, "apply_event", apply)


def test_an_escalation_that_goes_sideways_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A buggy lifecycle that hands an escalated case to the neighbouring grid 第二网格 (g2).
    def sideways(before: Case, event: CaseEvent, after: Case) -> Case:
        if not isinstance(event, Escalated):
            return after
        moved = Returned(
            at=event.at, actor="x", reason="x", chain=GRID.chain("g2"), grid_version=GRID.version
        )
        return before.apply(moved)

    _patched_apply(monkeypatch, sideways)
    up = climb(opened(), POLICY, 1)
    with pytest.raises(AssertionError) as info:
        check_escalation(POLICY, GRID, opened(), up.events[1:])
    message = str(info.value)
    assert "event 1 (上报 escalated) breaks an escalation invariant of case 'c-1'" in message
    assert "must go one step up, to 第三网格 'g3'" in message
    assert "it went sideways to 第二网格 'g2' (网格), beside the chain" in message


def test_an_escalation_after_beyond_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    top = climb(opened(), POLICY, 3)
    assert top.beyond

    # A buggy lifecycle that lets a case beyond the grid be escalated again.
    monkeypatch.setattr(
        _escalation,
        "apply_event",
        lambda case, event: (
            case if case.beyond and isinstance(event, Escalated) else case.apply(event)
        ),
    )
    extra = Escalated(
        at=top.updated_at, actor="x", trigger=Trigger.MANUAL, from_unit="sd",
        from_name="淮河路街道", to="sd2", to_name="区", beyond=True, reason=WHY,
    )
    with pytest.raises(AssertionError, match="no escalation is possible after beyond"):
        check_escalation(POLICY, GRID, opened(), [*top.events[1:], extra])


def test_an_escalation_beyond_the_grid_to_a_grid_unit_fails() -> None:
    # The lifecycle only knows the case's own chain: it accepts "beyond" to another grid unit.
    top = climb(opened(), POLICY, 2)
    odd = Escalated(
        at=top.updated_at,
        actor="x",
        trigger=Trigger.MANUAL,
        from_unit="yx",
        from_name="亚新社区",
        to="g2",
        to_name="第二网格",
        beyond=True,
        reason=WHY,
    )
    assert top.apply(odd).owner == "g2"
    with pytest.raises(AssertionError, match="which is not the policy's body beyond the grid"):
        check_escalation(POLICY, GRID, opened(), [*top.events[1:], odd])


def test_a_higher_tier_with_less_time_makes_the_sla_go_backwards() -> None:
    up = climb(opened(SHRINKING), SHRINKING, 2)
    with pytest.raises(AssertionError) as info:
        check_escalation(SHRINKING, GRID, opened(SHRINKING), up.events[1:])
    assert "event 2 (上报 escalated)" in str(info.value)
    assert "SLA goes backwards (时限倒退)" in str(info.value)
    assert "the resolve deadline moves earlier" in str(info.value)
    # ... which a city may allow on purpose.
    assert (
        check_escalation(
            SHRINKING, GRID, opened(SHRINKING), up.events[1:], keep_resolve_by=False
        ).owner
        == "yx"
    )


def test_a_backdated_escalation_clock_fails() -> None:
    start = opened()
    at = THURSDAY + timedelta(hours=3)
    _, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=THURSDAY
    )
    counted_from_the_report = Escalated(
        at=at,
        actor="x",
        trigger=Trigger.MANUAL,
        from_unit="mg31",
        from_name="美好人家1号楼",
        to="g3",
        to_name="第三网格",
        reason=WHY,
        resolve_by=resolve,
    )
    with pytest.raises(AssertionError, match="never backdated"):
        check_escalation(POLICY, GRID, start, [counted_from_the_report])


def test_a_deadline_moved_earlier_between_resets_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def earlier(before: Case, event: CaseEvent, after: Case) -> Case:
        if isinstance(event, Accepted) and after.resolve_by is not None:
            d = after.resolve_by
            moved = attrs.evolve(d, due=d.due - timedelta(days=1))
            object.__setattr__(after.state, "resolve_by", moved)
        return after

    _patched_apply(monkeypatch, earlier)
    with pytest.raises(AssertionError) as info:
        check_escalation(POLICY, GRID, opened(), [Accepted(at=THURSDAY, actor="m-li")])
    assert "SLA goes backwards (时限倒退): Accepted" in str(info.value)


def test_suspended_time_that_is_counted_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful(before: Case, event: CaseEvent, after: Case) -> Case:
        if isinstance(event, Resumed):
            object.__setattr__(after.state, "resolve_by", before.resolve_by)
        return after

    _patched_apply(monkeypatch, forgetful)
    events = [
        Suspended(at=THURSDAY + timedelta(hours=1), actor="m-li", reason="等待回复"),
        Resumed(at=THURSDAY + timedelta(days=2), actor="m-li"),
    ]
    with pytest.raises(AssertionError, match="suspended time must never be counted"):
        check_escalation(POLICY, GRID, opened(), events)


def test_an_overdue_escalation_before_the_deadline_fails() -> None:
    start = opened()
    at = THURSDAY + timedelta(hours=1)
    accept, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=at
    )
    early = Escalated(
        at=at,
        actor="system",
        trigger=Trigger.RESOLVE_OVERDUE,
        from_unit="mg31",
        from_name="美好人家1号楼",
        to="g3",
        to_name="第三网格",
        due=at,
        reason=WHY,
        accept_by=accept,
        resolve_by=resolve,
    )
    with pytest.raises(AssertionError, match=r"超时未办结|resolve overdue"):
        check_escalation(POLICY, GRID, start, [early])


def test_an_overdue_escalation_must_name_the_deadline_it_missed() -> None:
    start = opened()
    assert start.accept_by is not None
    missed = start.accept_by.due
    at = missed + timedelta(hours=1)
    accept, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=at
    )

    def late(due: datetime) -> Escalated:
        return Escalated(
            at=at, actor="system", trigger=Trigger.ACCEPT_OVERDUE, from_unit="mg31",
            from_name="美好人家1号楼", to="g3", to_name="第三网格", due=due, reason=WHY,
            accept_by=accept, resolve_by=resolve,
        )

    assert check_escalation(POLICY, GRID, start, [late(missed)]).owner == "g3"
    with pytest.raises(AssertionError, match="records the deadline missed as"):
        check_escalation(POLICY, GRID, start, [late(missed - timedelta(minutes=5))])


def test_check_escalation_refuses_misuse() -> None:
    with pytest.raises(TypeError, match="'policy' must be an EscalationPolicy"):
        check_escalation("p", GRID, opened(), [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"'events\[0\]' must be a CaseEvent"):
        check_escalation(POLICY, GRID, opened(), ["x"])  # type: ignore[list-item]


# --------------------------------------------------------------------------- visits

LU = next(r for r in FILES if r.id == "r-lu")


def test_a_sound_visit_policy_passes_on_month_ends() -> None:
    for day in (date(2026, 12, 20), date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)):
        req = check_visit_policy(DEFAULT_POLICY, LU, day)
        assert req is not None


def test_no_matching_rule_means_no_requirement() -> None:
    assert LU.age_on(date(2000, 1, 1)) < 60
    assert check_visit_policy(DEFAULT_POLICY, LU, date(2000, 1, 1)) is None


def test_an_explanation_that_picks_a_laxer_rule_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    real = VisitPolicy.requirement

    def laxer(self: VisitPolicy, resident: Any, *, on: date) -> Any:
        req = real(self, resident, on=on)
        if req is None or not req.also:
            return req
        lax = req.also[-1]
        return attrs.evolve(req, rule=lax, also=(req.rule, *req.also[:-1]))

    monkeypatch.setattr(VisitPolicy, "requirement", laxer)
    with pytest.raises(AssertionError) as info:
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))
    message = str(info.value)
    assert "visit policy 'default' breaks an invariant for resident 'r-lu'" in message
    assert "rule 'discharged_alone' (每日一访 daily" in message
    assert "the strictest rule must win (从严)" in message


def test_an_explanation_that_forgets_the_other_rules_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = VisitPolicy.requirement
    monkeypatch.setattr(
        VisitPolicy,
        "requirement",
        lambda self, resident, *, on: attrs.evolve(real(self, resident, on=on), also=()),
    )
    with pytest.raises(AssertionError, match="lists \\[\\] as the other matching rules"):
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))


def test_a_monthly_frequency_that_skips_a_short_month_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = Frequency.next_after

    def like_rrule_monthly(self: Frequency, day: date) -> date | None:
        due = real(self, day)
        if due is not None and self.label == "monthly" and due.day != day.day:
            return due + timedelta(days=day.day - due.day + 31)  # skips to the next month
        return due

    monkeypatch.setattr(Frequency, "next_after", like_rrule_monthly)
    key = next(
        r
        for r in FILES
        if (q := DEFAULT_POLICY.requirement(r, on=date(2027, 1, 15))) and q.rule.id == "key"
    )
    with pytest.raises(AssertionError, match="month ends are not safe"):
        check_visit_policy(DEFAULT_POLICY, key, date(2027, 1, 15))


def test_check_visit_policy_refuses_misuse() -> None:
    with pytest.raises(TypeError, match=r"'day' must be a datetime\.date"):
        check_visit_policy(DEFAULT_POLICY, LU, datetime(2026, 12, 1, tzinfo=CST))  # type: ignore[arg-type]


def test_a_finite_schedule_that_a_visit_completes_passes() -> None:
    """After a visit covering the last occurrence of a finite rrule, nothing is due: the
    check must not call that a missed resident (a counterexample hypothesis once found)."""
    from gridgov import Resident
    from gridgov.visits import FrequencyUnit, VisitColour, VisitMode, VisitRule

    once = VisitRule(
        id="a",
        frequency=Frequency(
            unit=FrequencyUnit.RRULE, rrule="DTSTART:20241127T090000\nRRULE:FREQ=DAILY;COUNT=1"
        ),
        colour=VisitColour.RED,
        reason="测试规则",
        reason_en="a test rule",
        modes={VisitMode.IN_PERSON},
    )
    baby = Resident(id="r0", name="居民", household="h-0001", birth_date=date(1976, 1, 1))
    policy = VisitPolicy(rules=[once])
    assert check_visit_policy(policy, baby, date(1976, 1, 29)) is not None
    # Every day: the same rule with one more occurrence still has dates after the visit.
    twice = attrs.evolve(
        once,
        frequency=attrs.evolve(
            once.frequency, rrule="DTSTART:20241127T090000\nRRULE:FREQ=DAILY;COUNT=2"
        ),
    )
    assert check_visit_policy(VisitPolicy(rules=[twice]), baby, date(1976, 1, 29)) is not None


def test_a_sweep_that_forgets_a_resident_under_the_policy_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gridgov.testing.checks import _visits  # check_visit_policy calls its next_due

    monkeypatch.setattr(_visits, "next_due", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="finds no visit due after a visit on 2026-12-20"):
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))
