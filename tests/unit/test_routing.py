"""Unit tests for gridgov.routing: each rule feature, the matrix, the router and bad input."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime

import attrs
import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    Channel,
    Condition,
    Criteria,
    InvalidValueError,
    Issue,
    PolicyError,
    Reporter,
    Resident,
    ResidentFiles,
    SerializationError,
    Severity,
    UnknownPlaceError,
    UnknownUnitError,
    from_dict,
    to_dict,
)
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.demo import sample_grid
from gridgov.routing import (
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Match,
    Responsibility,
    ResponsibilityMatrix,
    Routed,
    Router,
    RoutingRule,
    RuleSet,
)
from gridgov.tiers import FOUR_TIER

MORNING = datetime(2026, 11, 26, 9, 0, tzinfo=CST)  # a Thursday
DEFAULT = RoutingRule(id="D", name="default", zh="默认")


def issue(**kw: object) -> Issue:
    fields: dict[str, object] = {
        "id": "i",
        "category": "dispute",
        "severity": 1,
        "channel": Channel.APP,
        "place": "h-1001",
        "reporter": Reporter.resident("r-x"),
        "reported_at": MORNING,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


def router(
    *rules: RoutingRule, matrix: ResponsibilityMatrix = DEFAULT_MATRIX, **kw: object
) -> Router:
    return Router(
        grid=sample_grid(), rules=RuleSet(name="t", rules=[*rules, DEFAULT]), matrix=matrix, **kw
    )  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rule features


def test_default_rule_routes_to_the_micro_grid_of_the_place() -> None:
    a = router().route(issue())
    assert (a.unit, a.tier, a.rule, a.moved_by_matrix) == ("mg31", "micro_grid", "D", False)
    assert a.leader == "m-li" and a.leader_name == "李燕明"
    assert a.grid_version == "2026-11"
    assert "D" in a.reason.zh and "美好人家1号楼" in a.reason.zh and "美好人家1号楼" in a.reason.en
    assert a.reason.ids("unit") == ("mg31",) and a.reason.ids("rule") == ("D",)
    assert [u.id for u in a.chain] == ["mg31", "g3", "yx"] and a.position == a.start == 0


def test_issue_for_a_unit_starts_at_that_unit() -> None:
    a = router().route(issue(place=None, unit="g3"))
    assert a.unit == "g3" and a.start_unit == "g3"


def test_match_on_category_including_refined_categories() -> None:
    r = router(RoutingRule(id="V", name="volunteer", match=Match(categories={"volunteer_service"}),
                           start_tier="grid"))
    assert r.route(issue(category="appliance_repair")).rule == "V"
    assert r.route(issue(category="appliance_repair")).unit == "g3"
    assert r.route(issue(category="dispute")).rule == "D"


def test_match_on_severity_range() -> None:
    r = router(RoutingRule(id="S", name="mid", match=Match(min_severity=2, max_severity=3)))
    assert [r.route(issue(severity=s)).rule for s in (1, 2, 3, 4)] == ["D", "S", "S", "D"]


def test_match_on_channel() -> None:
    r = router(RoutingRule(id="H", name="hotline", match=Match(channels={Channel.HOTLINE}),
                           start_tier="community"))
    assert r.route(issue(channel=Channel.HOTLINE)).unit == "yx"
    assert r.route(issue(channel=Channel.VISIT)).rule == "D"


def test_match_on_resident_conditions_in_force_on_the_reported_day() -> None:
    lu = Resident(id="r-lu", name="吕阿姨", household="h-1001", birth_date=date(1948, 3, 2),
                  conditions=[Condition(kind="injured", start=date(2026, 11, 20),
                                        end=date(2026, 12, 1))])
    rule = RoutingRule(
        id="C", name="injured", match=Match(who=Criteria(conditions_any={"injured"}))
    )
    r, files = router(rule), {"r-lu": lu}
    assert r.route(issue(resident="r-lu"), residents=files).rule == "C"
    later = datetime(2026, 12, 2, 9, 0, tzinfo=CST)
    assert r.route(issue(resident="r-lu", reported_at=later), residents=files).rule == "D"
    # no resident, or a resident without a file: no recorded conditions
    assert r.route(issue(), residents=files).rule == "D"
    assert r.route(issue(resident="r-unknown"), residents=files).rule == "D"
    assert r.route(issue(resident="r-lu")).rule == "D"  # no files given


def test_all_conditions_requires_every_condition() -> None:
    lu = Resident(id="r-lu", name="吕阿姨", household="h-1001", birth_date=date(1948, 3, 2),
                  conditions=[Condition(kind="living_alone")])
    rule = RoutingRule(
        id="A", name="both", match=Match(who=Criteria(conditions_all={"living_alone", "injured"}))
    )
    r = router(rule)
    assert r.route(issue(resident="r-lu"), residents={"r-lu": lu}).rule == "D"
    both = {"r-lu": lu.with_condition(Condition(kind="injured"))}
    assert r.route(issue(resident="r-lu"), residents=both).rule == "A"


def test_callable_predicate_is_an_escape_hatch() -> None:
    rule = RoutingRule(id="P", name="keyword",
                       match=Match(predicate=lambda i: "漏水" in i.description))
    r = router(rule)
    assert r.route(issue(description="楼上漏水")).rule == "P"
    assert r.route(issue(description="噪音")).rule == "D"


def test_first_matching_rule_wins() -> None:
    r = router(
        RoutingRule(id="first", name="a", match=Match(categories={"dispute"})),
        RoutingRule(id="second", name="b", match=Match(categories={"dispute"}), start_tier="grid"),
    )
    assert r.route(issue()).rule == "first"


def test_partners_of_the_linked_kind_covering_the_place_are_linked() -> None:
    from gridgov import PartnerKind

    rule = RoutingRule(id="F", name="facility", match=Match(categories={"facility_repair"}),
                       link={PartnerKind.PROPERTY_MANAGEMENT})
    r = router(rule)
    assert r.route(issue(category="facility_repair")).partners == ("p-wuye",)
    # 美好人家物业 covers grid 3 only: a place in grid 1 links nobody.
    assert r.route(issue(category="facility_repair", place="h-0001")).partners == ()
    reason = r.route(issue(category="facility_repair")).reason
    assert "美好人家物业" in reason.zh and reason.ids("partner") == ("p-wuye",)


def test_routers_built_alike_are_equal_whatever_they_have_routed() -> None:
    a, b = router(), router()
    assert a == b
    a.route(issue(category="facility_repair"))
    assert a == b
    assert a != router(calendar=WorkCalendar(weekdays={0, 1, 2, 3}))


def test_deadlines_in_working_and_natural_time() -> None:
    rule = RoutingRule(
        id="T", name="timed", match=Match(categories={"dispute"}),
        accept_within=TimeLimit(amount=4, unit="hours", basis="working"),
        resolve_within=TimeLimit(amount=24, unit="hours", basis="natural"),
    )
    cal = WorkCalendar()
    a = router(rule, calendar=cal).route(issue(reported_at=datetime(2026, 11, 27, 16, 0, tzinfo=CST)))
    # Friday 16:00 + 4 working hours: 2 on Friday, 2 on Monday morning.
    assert a.accept_by is not None and a.resolve_by is not None
    assert a.accept_by.due == datetime(2026, 11, 30, 10, 30, tzinfo=CST)
    assert a.resolve_by.due == datetime(2026, 11, 28, 16, 0, tzinfo=CST)
    assert (a.accept_by.basis, a.resolve_by.basis) == ("working", "natural")
    assert a.accept_by.limit == rule.accept_within and a.accept_by.source == "rule:T"
    assert a.accept_by.start == a.resolve_by.start == datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    assert cal.is_working_time(a.accept_by.due)


def test_rule_without_limits_sets_no_deadlines() -> None:
    a = router().route(issue())
    assert a.accept_by is None and a.resolve_by is None


# --------------------------------------------------------------------------- the matrix


def test_matrix_moves_the_issue_up_and_says_so() -> None:
    a = router().route(issue(category="elder_care", severity=Severity.URGENT))
    assert a.start_unit == "mg31" and a.unit == "g3" and a.moved_by_matrix
    assert "权责清单" in a.reason.zh and "may not handle elder care at urgent" in a.reason.en
    assert a.reason.ids("unit") == ("mg31", "g3") and a.reason.ids("category") == ("elder_care",)
    assert a.leader_name == "彭雪丽"


def test_matrix_unit_override_wins_over_the_tier_default() -> None:
    m = DEFAULT_MATRIX.with_entries(
        [Responsibility(unit="mg31", category="elder_care", max_severity=3)], name="override")
    assert router(matrix=m).route(issue(category="elder_care", severity=3)).unit == "mg31"
    assert router(matrix=m).route(
        issue(category="elder_care", severity=3, place="h-0001")).unit == "g1"


def test_matrix_zero_means_may_not_handle() -> None:
    a = router().route(issue(category="public_order", severity=1))
    assert a.unit == "g3"  # micro-grids have no public-order line
    assert router().route(issue(category="public_order", severity=2)).unit == "yx"


def test_matrix_top_tier_must_be_a_catch_all() -> None:
    m = ResponsibilityMatrix(name="gappy", top_catch_all=False, entries=[
        Responsibility(tier="community", category="dispute", max_severity=3)])
    with pytest.raises(PolicyError, match=r"top tier 'community'.*'dispute' stops at 3"):
        router(matrix=m)


def test_matrix_may_not_restrict_a_top_tier_unit() -> None:
    m = DEFAULT_MATRIX.with_entries(
        [Responsibility(unit="yx", category="dispute", max_severity=1)], name="x")
    with pytest.raises(PolicyError, match="top-tier unit 'yx'"):
        router(matrix=m)


def test_matrix_duplicate_lines_are_refused() -> None:
    with pytest.raises(PolicyError, match="two lines for tier 'grid' and category 'dispute'"):
        ResponsibilityMatrix(name="dup", entries=[
            Responsibility(tier="grid", category="dispute"),
            Responsibility(tier="grid", category="dispute", max_severity=2)])


def test_responsibility_needs_exactly_one_of_tier_and_unit() -> None:
    with pytest.raises(PolicyError, match="exactly one of 'tier' and 'unit'"):
        Responsibility(category="dispute")
    with pytest.raises(ValueError, match="max_severity"):
        Responsibility(tier="grid", category="dispute", max_severity=5)


def test_four_tier_scheme_routes_the_same_way() -> None:
    from gridgov import GridGraph, GridUnit

    grid = GridGraph(version="v4", scheme=FOUR_TIER, units=[
        GridUnit(id="s", name="淮河路街道", tier="subdistrict"),
        GridUnit(id="c", name="亚新社区", tier="community", parent="s"),
        GridUnit(id="g", name="网格", tier="grid", parent="c"),
        GridUnit(id="m", name="微网格", tier="micro_grid", parent="g"),
    ], places={"h": "m"})
    # The shipped matrix works with the shipped four-tier scheme: the 街道 is the catch-all.
    r = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    assert r.route(issue(place="h")).unit == "m"
    assert r.route(issue(place="h", severity=4)).unit == "c"  # emergency rule starts at community
    assert r.limit("s", "public_order") == 4
    strict = attrs.evolve(DEFAULT_MATRIX, top_catch_all=False)
    with pytest.raises(PolicyError, match="top tier 'subdistrict'"):
        Router(grid=grid, rules=DEFAULT_RULES, matrix=strict)


# --------------------------------------------------------------------------- rule sets


def test_rule_set_requires_a_final_default_rule() -> None:
    with pytest.raises(PolicyError, match="last rule of rule set 'r' must match every issue"):
        RuleSet(name="r", rules=[RoutingRule(id="x", name="x", match=Match(categories={"dispute"}))])
    with pytest.raises(PolicyError, match="at least one rule"):
        RuleSet(name="r", rules=[])


def test_rule_set_refuses_duplicate_ids_and_unreachable_rules() -> None:
    with pytest.raises(PolicyError, match="rule id 'D' appears twice"):
        RuleSet(name="r", rules=[DEFAULT, DEFAULT])
    with pytest.raises(PolicyError, match="could never fire"):
        RuleSet(name="r", rules=[RoutingRule(id="all", name="all"), DEFAULT])


def test_match_severity_bounds_are_checked() -> None:
    with pytest.raises(PolicyError, match="'max_severity' of a Match must be at least"):
        Match(min_severity=3, max_severity=2)
    with pytest.raises(ValueError, match="between 1 and 4"):
        Match(min_severity=0)


# --------------------------------------------------------------------------- bad input


def test_unknown_place_unit_and_category_raise() -> None:
    r = router()
    with pytest.raises(UnknownPlaceError, match="'h-nowhere'"):
        r.route(issue(place="h-nowhere"))
    with pytest.raises(UnknownUnitError, match="'g99'"):
        r.route(issue(place=None, unit="g99"))
    with pytest.raises(PolicyError, match="got 'weather'"):
        r.route(issue(category="weather"))
    with pytest.raises(PolicyError, match="got 'weather'"):
        list(r.route_many([issue(category="weather")]))


def test_rules_naming_unknown_tiers_or_categories_are_refused() -> None:
    with pytest.raises(PolicyError, match=r"'start_tier' of rule 'X'.*got 'street'"):
        router(RoutingRule(id="X", name="x", match=Match(channels={Channel.APP}), start_tier="street"))
    with pytest.raises(PolicyError, match=r"'categories' of rule 'X'.*got 'weather'"):
        router(RoutingRule(id="X", name="x", match=Match(categories={"weather"})))
    bad_matrix = DEFAULT_MATRIX.with_entries(
        [Responsibility(tier="street", category="dispute")], name="b")
    with pytest.raises(PolicyError, match=r"'tier' of a line.*got 'street'"):
        router(matrix=bad_matrix)
    bad_unit = DEFAULT_MATRIX.with_entries(
        [Responsibility(unit="mg99", category="dispute")], name="b")
    with pytest.raises(PolicyError, match=r"'unit' of a line.*got 'mg99'"):
        router(matrix=bad_unit)


def test_naive_datetime_and_bad_severity_are_refused_by_the_issue() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        issue(reported_at=datetime(2026, 11, 26, 9, 0))
    with pytest.raises(ValueError, match="'severity' of Issue must be between 1 and 4 \\(got 0\\)"):
        issue(severity=0)


# --------------------------------------------------------------------------- route_many


def test_route_many_agrees_with_route() -> None:
    r = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    issues = [
        issue(id=f"i{n}", category=cat, severity=sev, channel=ch, place=f"h-{1 + n * 71:04d}")
        for n, (cat, sev, ch) in enumerate(
            (c, s, ch)
            for c in ("dispute", "safety_hazard", "public_order", "facility_repair", "welfare")
            for s in (1, 2, 3, 4)
            for ch in (Channel.HOTLINE, Channel.VISIT)
        )
    ]
    compact = list(r.route_many(issues))
    full = [r.route(i) for i in issues]
    assert compact == [(a.issue, a.unit, a.rule, a.moved_by_matrix) for a in full]
    # Plain tuples (untracked by the cyclic GC once collected), named by Routed.
    assert {type(c) for c in compact} == {tuple}
    assert [Routed(*c).unit for c in compact] == [a.unit for a in full]


# --------------------------------------------------------------------------- serialisation


def test_rule_sets_and_matrices_round_trip_through_json() -> None:
    for value in (DEFAULT_RULES, DEFAULT_MATRIX):
        data = json.loads(json.dumps(to_dict(value)))
        assert from_dict(data) == value


def test_assignment_round_trips() -> None:
    a = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(
        issue(category="facility_repair"))
    assert from_dict(json.loads(json.dumps(to_dict(a)))) == a


def test_callable_predicates_are_refused_by_to_dict_not_dropped() -> None:
    rules = RuleSet(name="p", rules=[
        RoutingRule(id="P", name="p", match=Match(predicate=lambda i: True)), DEFAULT])
    with pytest.raises(SerializationError, match=r"predicate.*callable"):
        to_dict(rules)


def test_match_on_age_and_tags_reads_the_personal_file() -> None:
    elder = Resident(id="r-old", name="王叔", household="h-1001", birth_date=date(1946, 12, 5),
                     tags={"party_member"})
    young = Resident(id="r-kid", name="小宇", household="h-1001", birth_date=date(2012, 3, 1))
    rules = (
        RoutingRule(id="OLD", name="elders", match=Match(who=Criteria(min_age=80)),
                    start_tier="grid"),
        RoutingRule(id="KID", name="minors", match=Match(who=Criteria(max_age=17))),
        RoutingRule(id="PM", name="party members",
                    match=Match(who=Criteria(tags_any={"party_member"}))),
    )
    r, files = router(*rules), ResidentFiles([elder, young])
    # 王叔 turns 80 on 5 December 2026: the age is read on the day of the report.
    assert r.route(issue(resident="r-old"), residents=files).rule == "PM"
    assert r.route(issue(resident="r-old", reported_at=datetime(2026, 12, 5, 9, 0, tzinfo=CST)),
                   residents=files).rule == "OLD"
    assert r.route(issue(resident="r-kid"), residents=files).rule == "KID"
    assert r.route(issue(), residents=files).rule == "D"  # no resident: never a file rule
    assert r.route(issue(resident="r-nobody"), residents=files).rule == "D"
    assert Match(who=Criteria(min_age=60, max_age=79, tags_any={"youth"})).describe().en == (
        "aged 60 to 79; any tag of youth"
    )
    with pytest.raises(ValueError, match="'max_age' of Criteria must be at least its min_age 60"):
        Criteria(min_age=60, max_age=18)
    with pytest.raises(ValueError, match="'min_age' of Criteria must be an integer from 0"):
        Criteria(min_age=-1)


def test_conditions_are_read_on_the_local_day_however_the_time_is_written() -> None:

    lu = Resident(id="r-lu", name="吕阿姨", household="h-1001", birth_date=date(1948, 3, 2),
                  conditions=[Condition(kind="injured", start=date(2026, 11, 26))])
    r = router(RoutingRule(id="C", name="injured",
                           match=Match(who=Criteria(conditions_any={"injured"}))))
    files = ResidentFiles([lu])
    in_utc = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 26 Nov 04:00 in Beijing
    assert r.route(issue(resident="r-lu", reported_at=in_utc), residents=files).rule == "C"
    local = in_utc.astimezone(CST)
    assert r.route(issue(resident="r-lu", reported_at=local), residents=files).rule == "C"


def test_a_catalogue_with_a_loop_of_parents_is_refused() -> None:
    from gridgov import Category, CategoryCatalogue

    with pytest.raises(PolicyError, match="form a loop of parents"):
        CategoryCatalogue(name="loop", categories=[
            Category(code="a", label="a", zh="甲", parent="b"),
            Category(code="b", label="b", zh="乙", parent="a"),
        ])


# --------------------------------------------------------------------------- the one road (issue 11)


def test_router_limit_is_the_one_answer_to_may_this_unit_handle_this() -> None:
    from gridgov import DEFAULT_CATALOGUE, Category, GridUnit

    street = DEFAULT_CATALOGUE.with_categories(
        [Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair"),
         Category(code="noise", label="noise", zh="噪音扰民", parent="dispute")],
        name="street",
    )
    m = DEFAULT_MATRIX.with_entries(
        [Responsibility(tier="micro_grid", category="noise", max_severity=1)], name="noise")
    r = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=m, catalogue=street)
    assert r.limit("mg31", "lift_repair") == r.limit("mg31", "facility_repair") == 2  # inherited
    assert r.limit("mg31", "noise") == 1  # its own line wins over dispute's 2
    assert r.limit("g3", "noise") == 3  # no grid line for noise: dispute's
    assert r.limit("yx", "noise") == 4  # the catch-all
    # A unit of another drawing of the grid is judged by its tier's lines.
    old = GridUnit(id="mg31", name="美好人家旧楼", tier="grid", parent="yx")
    assert r.limit(old, "noise") == 3
    assert r.limit(sample_grid().unit("mg31"), "noise") == 1
    assert r.limit(GridUnit(id="mg99", name="新楼", tier="micro_grid", parent="g3"), "noise") == 1
    with pytest.raises(UnknownUnitError, match="unit 'mg99' is not in grid version '2026-11'"):
        r.limit("mg99", "noise")
    with pytest.raises(PolicyError, match="'category' must be a code of catalogue 'street'"):
        r.limit("mg31", "weather")


def test_unlocated_at_must_be_a_unit_of_the_grid() -> None:
    with pytest.raises(PolicyError, match="'unlocated_at' of Router must be a unit of grid"):
        router(unlocated_at="nowhere")
    with pytest.raises(ValueError, match="'unlocated_at' of Router must be an id"):
        router(unlocated_at=" g3")


def test_unlocated_issues_start_at_the_unit_named_and_climb_its_chain() -> None:
    r = router(unlocated_at="g3")
    a = r.route(issue(place=None, category="public_order", severity=3))
    assert [u.id for u in a.chain] == ["g3", "yx"]
    assert (a.start_unit, a.unit, a.located) == ("g3", "yx", False)
    assert a.reason.ids("unit") == ("g3", "yx")
    assert "待定位，由第三网格先行受理" in a.reason.zh
    assert "unlocated, taken first by 第三网格" in a.reason.en
    assert list(r.route_many([issue(place=None)])) == [("i", "g3", "D", False)]


def test_an_assignment_refuses_a_position_off_its_chain() -> None:
    a = router().route(issue(category="elder_care", severity=3))
    with pytest.raises(ValueError, match="'position' of Assignment must be an integer from 0 to 2"):
        attrs.evolve(a, position=3)
    with pytest.raises(ValueError, match="'start' of Assignment must be an integer from 0 to 2"):
        attrs.evolve(a, start=-1)
    with pytest.raises(PolicyError, match="'position' of Assignment must not be below its start"):
        attrs.evolve(a, start=2, position=1)
    with pytest.raises(ValueError, match="'chain' of Assignment must end at a root unit"):
        attrs.evolve(a, chain=a.chain[:2])
    with pytest.raises(ValueError, match="'position' of Assignment must be an integer"):
        attrs.evolve(a, position=True)


def test_the_assignments_properties_read_its_chain() -> None:
    a = router().route(issue(category="elder_care", severity=3))
    assert (a.unit, a.unit_name, a.tier) == ("g3", "第三网格", "grid")
    assert (a.start_unit, a.moved_by_matrix) == ("mg31", True)
    assert a.chain[a.position].id == a.unit


def test_route_many_checks_the_files_it_is_given() -> None:
    r = router()
    with pytest.raises(ValueError, match="'residents' must be a ResidentFiles or a mapping"):
        list(r.route_many([issue()], residents=[]))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'residents' must map each resident's id"):
        list(r.route_many([issue()], residents={"x": Resident(
            id="r", name="n", household="h", birth_date=date(1950, 1, 1))}))


def test_route_refuses_what_is_not_an_issue() -> None:
    with pytest.raises(ValueError, match="'issue' must be an Issue"):
        router().route("i-1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'issue' must be an Issue"):
        list(router().route_many(["i-1"]))  # type: ignore[list-item]


def test_an_issue_at_the_end_of_the_years_is_refused_or_routed_readably() -> None:
    """An issue reported late on 31 December 2200 (valid) under the default rule's 13
    working days: the router must either refuse it or give an assignment that reads back —
    not one holding a deadline in 2201 that the Deadline door refuses."""
    late = issue(reported_at=datetime(2200, 12, 31, 20, 0, tzinfo=CST))
    r = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    try:
        a = r.route(late)
    except ValueError:
        return
    assert from_dict(to_dict(a)) == a


def test_the_router_reprs_by_name() -> None:
    assert repr(router()) == (
        "Router(grid='2026-11', rules='t', matrix='default', catalogue='default')"
    )


# --------------------------------------------------------------------------- what is compiled


def test_compiled_climbs_and_partners_give_the_matrix_and_partners_own_answers() -> None:
    """The router compiles each unit's climb (its chain's limits per category, shared between
    units) and the partners each rule links: with per-unit overrides at every tier below the
    top, over every place, category, severity and rule, routing agrees with a slow walk that
    asks the matrix and the partners themselves."""
    grid = sample_grid()
    overrides = [
        Responsibility(unit="mg31", category="dispute", max_severity=4),
        Responsibility(unit="mg32", category="safety_hazard", max_severity=0),
        Responsibility(unit="g1", category="public_order", max_severity=3),
        Responsibility(unit="g3", category="facility_repair", max_severity=1),
    ]
    matrix = DEFAULT_MATRIX.with_entries(overrides, name="overridden")
    r = Router(grid=grid, rules=DEFAULT_RULES, matrix=matrix)
    codes = [c.code for c in DEFAULT_CATALOGUE]

    def allowed(unit_id: str, code: str) -> int:
        u = grid.unit(unit_id)
        return matrix.limit(
            tier=u.tier, unit=u.id, category=code, catalogue=DEFAULT_CATALOGUE, scheme=grid.scheme
        )

    for u in grid.units:
        assert [r.limit(u.id, c) for c in codes] == [allowed(u.id, c) for c in codes]
    levels = {t: grid.scheme.level(t) for t in grid.scheme.names}
    places = sorted(grid.places)[::7]
    for place in places:
        chain = grid.place_chain(place)
        for code in codes:
            for sev in (1, 2, 3, 4):
                found = issue(id="i", category=code, severity=sev, place=place)
                a = r.route(found)
                rule = DEFAULT_RULES.rules[[x.id for x in DEFAULT_RULES.rules].index(a.rule)]
                start = (
                    0
                    if rule.start_tier is None
                    else max(0, len(chain) - 1 - levels[rule.start_tier])
                )
                at = start
                while allowed(chain[at].id, code) < sev:
                    at += 1
                assert (a.start, a.position) == (start, at), (place, code, sev)
                linked = tuple(
                    p.id
                    for p in grid.partners_covering(chain[0].id)
                    if p.kind in rule.link and p.serves(code, DEFAULT_CATALOGUE)
                )
                assert a.partners == linked, (place, code, sev)
                assert list(r.route_many([found])) == [
                    (a.issue, a.unit, a.rule, a.moved_by_matrix)
                ]


def test_a_routed_assignment_stores_its_decision_and_pickles_without_its_router() -> None:
    """The fields route() leaves to be derived are not in the slots; a pickle carries the
    values (not the router and its grid); an assignment built by hand derives nothing."""
    r = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    a = r.route(issue())
    assert a.reason.zh.startswith("规则")
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        a.nope  # noqa: B018 - the attribute read is the test
    loaded = pickle.loads(pickle.dumps(a))
    assert loaded == a and loaded._router is None
    assert len(pickle.dumps(a)) < 4_000  # the values, not the grid
    by_hand = from_dict(to_dict(a))
    assert by_hand._router is None and by_hand.reason == a.reason


def test_deadlines_a_router_cannot_date_are_refused_when_routing_not_when_read() -> None:
    """A rule whose deadlines from a late report fall after the last accepted year: route()
    refuses the issue at once (the deadline is computed when routed, not left for a read)."""
    late = issue(reported_at=datetime(2200, 12, 20, 9, 0, tzinfo=CST))
    r = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    with pytest.raises(InvalidValueError, match="2200"):
        r.route(late)
    early = r.route(issue(reported_at=datetime(2099, 12, 31, 23, 0, tzinfo=CST)))
    assert early.resolve_by is not None and early.resolve_by.due.year == 2100
