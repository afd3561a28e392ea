"""gridgov.testing.checks.check_routing: planted bugs fail with a domain message.

The bugs are planted the way they would arise in a real router: a walk that goes one unit too
far, a compiled table that forgets unit overrides or residents' conditions, working-time
limits counted in natural time, a batch path that drifts from the single path, a guess for an
unknown place, a chain read from the wrong place, a reason that forgets what it decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from check_builders import (
    FRIDAY_EVENING,
    GRID,
    ORIGINAL_ROUTE,
    ORIGINAL_ROUTE_MANY,
    check,
    deadline,
    issue,
    owner,
    patch_route,
    patch_route_many_too,
)

from gridgov import (
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Assignment,
    Category,
    Channel,
    Deadline,
    GridGraph,
    GridUnit,
    Issue,
    Reason,
    Responsibility,
    ResponsibilityMatrix,
    Routed,
    Router,
    RoutingRule,
    RuleSet,
    TimeLimit,
    UnknownPlaceError,
)

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
