"""gridgov.testing.strategies: the time, issue, catalogue, criteria, routing, escalation, case
and visit strategies honour their arguments, and impossible escalation and visit arguments
are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import find, given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from strategy_builders import ROOT_ONLY, TWO_ROOTS

from gridgov import (
    CONDITION_KINDS,
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    FOUR_TIER,
    THREE_TIER,
    Assignment,
    Category,
    CategoryCatalogue,
    Channel,
    Criteria,
    GridGraph,
    Issue,
    ReporterKind,
    Resident,
    ResidentFiles,
    ResponsibilityMatrix,
    Router,
    RoutingRule,
    RuleSet,
    Severity,
    TimeLimit,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import Case, CaseOpened, replay
from gridgov.demo import sample_grid, sample_residents
from gridgov.escalation import EscalationPolicy, ExternalBody
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    categories,
    criteria,
    escalation_policies,
    event_attempts,
    event_sequences,
    frequencies,
    grids,
    issues,
    moments,
    opened_cases,
    resident_files,
    residents,
    responsibility_matrices,
    routing_rules,
    rule_sets,
    time_limits,
    visit_policies,
    visit_records,
    visit_rules,
)
from gridgov.visits import Frequency, VisitPolicy, VisitRule

# --------------------------------------------------------------------------- time

WINTER = datetime(2026, 1, 1, tzinfo=CST)
SPRING = datetime(2026, 3, 1, tzinfo=UTC)
NEPAL = timezone(timedelta(hours=5, minutes=45))


@given(moments(min_value=WINTER, max_value=SPRING, timezones=st.just(NEPAL)))
def test_moments_are_aware_instants_in_bounds(moment: datetime) -> None:
    assert moment.utcoffset() == timedelta(hours=5, minutes=45)
    assert WINTER <= moment <= SPRING
    assert moment.fold == 0


@given(moments())
def test_moments_default_window_and_zones(moment: datetime) -> None:
    assert moment.utcoffset() is not None
    assert datetime(2025, 9, 1, tzinfo=CST) <= moment <= datetime(2026, 9, 1, tzinfo=CST)


@given(
    calendars(
        min_date=date(2026, 1, 1),
        max_date=date(2026, 1, 14),
        max_periods=1,
        max_holidays=3,
        max_workdays=2,
        utc_offsets=st.just(-300),
    )
)
def test_calendars_honour_their_arguments(cal: WorkCalendar) -> None:
    assert len(cal.hours) == 1  # the two-period office hours do not fit
    assert len(cal.holidays) <= 3
    assert len(cal.workdays) <= 2
    assert cal.holidays.isdisjoint(cal.workdays)
    assert all(date(2026, 1, 1) <= d <= date(2026, 1, 14) for d in cal.holidays | cal.workdays)
    assert cal.utc_offset_minutes == -300


@given(calendars())
def test_calendars_are_valid_values(cal: WorkCalendar) -> None:
    rebuilt = WorkCalendar(
        weekdays=cal.weekdays,
        hours=cal.hours,
        holidays=cal.holidays,
        workdays=cal.workdays,
        utc_offset_minutes=cal.utc_offset_minutes,
    )
    assert rebuilt == cal
    assert from_dict(to_dict(cal)) == cal
    assert cal.working_day_length > timedelta(0)
    assert 1 <= len(cal.hours) <= 3


@given(
    time_limits(basis="natural", unit="days", max_amount=2, fractions=False, to_end_of_day=False)
)
def test_time_limits_honour_their_arguments(limit: TimeLimit) -> None:
    assert (limit.basis, limit.unit, limit.to_end_of_day) == ("natural", "days", False)
    assert limit.amount in (1, 2)


@given(time_limits(max_amount=3), calendars(), moments())
def test_time_limits_are_valid_values(limit: TimeLimit, cal: WorkCalendar, start: datetime) -> None:
    assert (
        TimeLimit(
            amount=limit.amount,
            unit=limit.unit,
            basis=limit.basis,
            to_end_of_day=limit.to_end_of_day,
        )
        == limit
    )
    assert from_dict(to_dict(limit)) == limit
    assert 0 <= limit.amount <= 3
    assert limit.amount > 0 or limit.to_end_of_day
    assert float(limit.amount * 4).is_integer()
    assert limit.deadline(start, cal) >= start


# --------------------------------------------------------------------------- issues


MINE = DEFAULT_CATALOGUE.with_categories(
    [Category(code="parking", label="parking", zh="停车", parent="dispute")], name="mine"
)


@given(categories(catalogue=MINE))
def test_categories_are_codes_of_the_catalogue(code: str) -> None:
    assert code in MINE


def _issue_is_placed(grid: GridGraph, issue: Issue) -> bool:
    """At a place or unit of the grid, or unlocated in a grid with a single top unit."""
    if issue.place is not None:
        return grid.has_place(issue.place)
    if issue.unit is not None:
        return issue.unit in grid
    return len(grid.roots) == 1


@given(grids(max_units=10), st.data())
def test_issues_are_located_in_the_grid_and_routed(grid: GridGraph, data: st.DataObject) -> None:
    if not len(grid):
        with pytest.raises(InvalidArgument):
            issues(grid)
        return
    files = (
        data.draw(st.lists(residents(grid=grid), max_size=3, unique_by=lambda r: r.id))
        if grid.places
        else []
    )
    issue = data.draw(
        issues(
            grid,
            catalogue=MINE,
            residents=files,
            min_reported_at=WINTER,
            max_reported_at=SPRING,
            timezones=st.just(UTC),
        )
    )
    rebuilt = Issue(**{f.name: getattr(issue, f.name) for f in attrs.fields(Issue)})
    assert rebuilt == issue
    assert _issue_is_placed(grid, issue)
    assert issue.category in MINE
    assert WINTER <= issue.reported_at <= SPRING
    assert issue.reported_at.utcoffset() == timedelta(0)
    by_id = {r.id: r for r in files}
    if issue.resident is not None:
        assert issue.resident in by_id
        if issue.place is not None and grid.has_place(by_id[issue.resident].household):
            assert issue.place == by_id[issue.resident].household
    if issue.reporter.kind is ReporterKind.MEMBER:
        assert issue.reporter.id in {m.id for m in grid.members}
    router = Router(
        grid=grid,
        rules=data.draw(rule_sets(scheme=grid.scheme, catalogue=MINE)),
        matrix=data.draw(responsibility_matrices(grid, catalogue=MINE)),
        catalogue=MINE,
    )
    a = router.route(issue, residents=by_id)
    assert isinstance(a, Assignment)
    assert a.located == issue.located


@given(issues(sample_grid(), at_units=False, unlocated=False, ids=st.just("i-x")))
def test_issues_only_at_places(issue: Issue) -> None:
    assert issue.unit is None
    assert issue.id == "i-x"
    assert sample_grid().has_place(issue.place or "")


@given(
    issues(
        sample_grid(),
        at_places=False,
        unlocated=False,
        residents=sample_residents(),
        categories=st.just("elder_care"),
        severities=st.just(Severity.URGENT),
        channels=st.just(Channel.VISIT),
    )
)
def test_issues_only_at_units_with_customised_fields(issue: Issue) -> None:
    assert issue.place is None
    assert issue.unit in sample_grid()
    assert (issue.category, issue.severity, issue.channel) == (
        "elder_care",
        Severity.URGENT,
        Channel.VISIT,
    )
    assert issue.resident is None or issue.resident in {r.id for r in sample_residents()}


@given(issues(ROOT_ONLY))
def test_issues_of_a_grid_without_places_are_at_units_or_unlocated(issue: Issue) -> None:
    assert issue.place is None
    assert issue.unit in ("c", None)


@given(issues(ROOT_ONLY, at_places=False, at_units=False))
def test_issues_only_unlocated(issue: Issue) -> None:
    assert (issue.place, issue.unit, issue.located) == (None, None, False)


@given(issues(TWO_ROOTS))
def test_issues_of_a_grid_with_two_top_units_are_never_unlocated(issue: Issue) -> None:
    assert issue.unit in ("c1", "c2")


@given(issues(sample_grid(), unlocated=False))
def test_issues_located_when_asked(issue: Issue) -> None:
    assert issue.located


@given(catalogues(min_size=3, max_size=6, max_depth=2, name="hotline"))
def test_catalogues_are_two_levels_deep_with_unique_labels(catalogue: CategoryCatalogue) -> None:
    assert catalogue.name == "hotline"
    assert 3 <= len(catalogue) <= 6
    for c in catalogue:
        assert len(catalogue.lineage(c.code)) <= 2
        assert catalogue.from_zh(c.zh) == c
        assert catalogue.covers(catalogue.lineage(c.code)[-1], c.code)
    assert catalogue.categories[0].parent is None  # the first has nothing to refine
    assert from_dict(to_dict(catalogue)) == catalogue


@given(catalogues(base=MINE, min_size=0, max_size=4, max_depth=3, codes=st.sampled_from("xyz")))
def test_catalogues_extend_a_base(catalogue: CategoryCatalogue) -> None:
    assert catalogue.categories[: len(MINE)] == MINE.categories
    added = catalogue.categories[len(MINE) :]
    assert len(added) <= 3  # only three codes to draw from
    assert all(c.code in "xyz" for c in added)
    assert all(len(catalogue.lineage(c.code)) <= 3 for c in catalogue)


@given(catalogues(max_depth=1))
def test_catalogues_of_depth_one_are_flat(catalogue: CategoryCatalogue) -> None:
    assert all(c.parent is None for c in catalogue)


@given(criteria(kinds=st.just("injured"), max_conditions=1, tags=st.just("youth"), max_tags=1))
def test_criteria_honour_their_arguments(found: Criteria) -> None:
    assert found.conditions_all <= {"injured"}
    assert found.conditions_any <= {"injured"}
    assert found.tags_all <= {"youth"}
    assert found.tags_any <= {"youth"}
    if found.min_age is not None and found.max_age is not None:
        assert found.min_age <= found.max_age
    assert from_dict(to_dict(found)) == found


@given(criteria(max_conditions=0, max_tags=0, ages=False))
def test_criteria_that_ask_nothing(found: Criteria) -> None:
    assert found.is_empty


@given(resident_files(grid=sample_grid(), min_size=1, max_size=3))
def test_resident_files_are_keyed_by_id(files: ResidentFiles) -> None:
    assert 1 <= len(files) <= 3
    assert all(files[k].id == k for k in files)
    assert all(sample_grid().has_place(r.household) for r in files.values())
    assert ResidentFiles(files.values()) == files


# --------------------------------------------------------------------------- routing


@given(grids(max_units=12), st.data())
def test_matrices_and_rule_sets_are_accepted_by_a_router(
    grid: GridGraph, data: st.DataObject
) -> None:
    matrix = data.draw(responsibility_matrices(grid, max_overrides=2))
    rules = data.draw(rule_sets(scheme=grid.scheme, min_rules=2, max_rules=4))
    router = Router(grid=grid, rules=rules, matrix=matrix, calendar=data.draw(calendars()))
    top = grid.scheme.top.name
    for code in DEFAULT_CATALOGUE.codes:
        assert (
            matrix.limit(
                tier=top,
                unit=None,
                category=code,
                catalogue=DEFAULT_CATALOGUE,
                scheme=grid.scheme,
            )
            == 4
        )
        for unit in grid.roots:
            assert router.limit(unit.id, code) == 4
    overrides = [e for e in matrix.entries if e.unit is not None]
    assert len(overrides) <= 2
    for e in overrides:
        assert e.unit is not None
        assert e.unit in grid
        assert grid.unit(e.unit).tier != top
    assert 2 <= len(rules.rules) <= 4
    if len(grid):
        assert data.draw(issues(grid).map(router.route)).grid_version == grid.version


@given(catalogues(), st.data())
def test_matrices_over_a_drawn_catalogue_fit_it(
    catalogue: CategoryCatalogue, data: st.DataObject
) -> None:
    grid = data.draw(grids(max_units=8))
    matrix = data.draw(responsibility_matrices(grid, catalogue=catalogue))
    matrix.check(grid, catalogue)
    assert {e.category for e in matrix.entries} <= catalogue.codes


@given(responsibility_matrices(THREE_TIER, top_catch_all=False))
def test_matrices_without_the_catch_all_flag_have_lines_for_the_top(
    matrix: ResponsibilityMatrix,
) -> None:
    assert not matrix.top_catch_all
    broad = {c.code for c in DEFAULT_CATALOGUE if c.parent is None}
    top = {e.category for e in matrix.entries if e.tier == "community"}
    assert top == broad
    assert all(e.max_severity == 4 for e in matrix.entries if e.tier == "community")


@given(responsibility_matrices(FOUR_TIER, name="four"))
def test_matrices_of_a_scheme_have_no_overrides(matrix: ResponsibilityMatrix) -> None:
    assert matrix.name == "four"
    assert all(e.unit is None for e in matrix.entries)
    assert {e.tier for e in matrix.entries} <= set(FOUR_TIER.names)
    assert from_dict(to_dict(matrix)) == matrix


@given(responsibility_matrices(sample_grid(), max_overrides=0))
def test_matrices_without_overrides(matrix: ResponsibilityMatrix) -> None:
    assert all(e.unit is None for e in matrix.entries)


@given(routing_rules(scheme=FOUR_TIER, catalogue=MINE, max_categories=1, max_links=1))
def test_routing_rules_are_conditional_serialisable_values(rule: RoutingRule) -> None:
    assert not rule.match.is_unconditional
    assert rule.start_tier is None or rule.start_tier in FOUR_TIER
    assert rule.match.categories <= MINE.codes
    assert len(rule.match.categories) <= 1
    assert len(rule.link) <= 1
    kinds = set(CONDITION_KINDS)
    assert rule.match.who.conditions_any <= kinds
    assert rule.match.who.conditions_all <= kinds
    assert len(rule.match.who.conditions_any) <= 2
    assert len(rule.match.who.tags_any) <= 1
    assert rule.match.predicate is None
    assert from_dict(to_dict(rule)) == rule


@given(
    routing_rules(
        scheme=THREE_TIER,
        max_categories=0,
        max_channels=0,
        max_conditions=0,
        max_tags=0,
        ages=False,
    )
)
def test_routing_rules_restricted_to_severity_only(rule: RoutingRule) -> None:
    assert rule.match.is_static
    assert not rule.match.categories
    assert not rule.match.channels
    assert (rule.match.min_severity, rule.match.max_severity) != (1, 4)


@given(
    routing_rules(
        scheme=THREE_TIER,
        unconditional=True,
        ids=st.just("default"),
        deadlines=st.just(TimeLimit.same_day()),
    )
)
def test_unconditional_routing_rules_match_everything(rule: RoutingRule) -> None:
    assert rule.id == "default"
    assert rule.match.is_unconditional
    assert rule.accept_within == rule.resolve_within == TimeLimit.same_day()


@given(
    rule_sets(
        scheme=THREE_TIER,
        min_rules=3,
        max_rules=5,
        max_conditions=0,
        max_tags=0,
        ages=False,
        deadlines=st.none(),
        name="mine",
    )
)
def test_rule_sets_end_with_a_default_rule(rules: RuleSet) -> None:
    assert rules.name == "mine"
    assert 3 <= len(rules.rules) <= 5
    assert [r.id for r in rules.rules] == [f"R{i}" for i in range(1, len(rules.rules))] + [
        "default"
    ]
    assert rules.default_rule.match.is_unconditional
    assert not any(r.match.is_unconditional for r in rules.rules[:-1])
    assert all(r.match.is_static for r in rules.rules)
    assert all(r.accept_within is None and r.resolve_within is None for r in rules.rules)
    assert from_dict(to_dict(rules)) == rules
    Router(grid=sample_grid(), rules=rules, matrix=DEFAULT_MATRIX)


# --------------------------------------------------------------------------- escalation, cases, visits

SAMPLE = sample_grid()
SAMPLE_POLICY = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"))


@given(escalation_policies(scheme=THREE_TIER))
def test_escalation_policies_are_valid_and_fit_their_scheme(policy: EscalationPolicy) -> None:
    from gridgov import DEFAULT_RULES

    policy.check(
        Router(grid=SAMPLE, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, calendar=policy.calendar)
    )
    assert from_dict(to_dict(policy), EscalationPolicy) == policy
    assert len(policy.slas) <= 5


@given(escalation_policies(scheme=THREE_TIER, max_slas=0), st.data())
def test_event_sequences_replay_into_a_case(policy: EscalationPolicy, data: st.DataObject) -> None:
    events = data.draw(event_sequences(SAMPLE, policy, max_events=10))
    assert isinstance(events[0], CaseOpened)
    assert len(events) <= 11
    assert replay(events).events == events
    assert data.draw(opened_cases(SAMPLE, policy, case_id="c-9")).id == "c-9"


@given(event_attempts(SAMPLE, SAMPLE_POLICY, max_events=6))
def test_event_attempts_record_refusals_and_acceptances(pair: Any) -> None:
    case, attempts = pair
    for before, event, after in attempts:
        if after is not None:
            assert after.events == (*before.events, event)
    assert isinstance(case, Case)


@given(frequencies(calendar=False, max_every=6, max_grace_days=2))
def test_interval_frequencies_respect_their_bounds(f: Frequency) -> None:
    assert not f.is_calendar
    assert f.grace_days <= 2
    assert Frequency(unit=f.unit, every=f.every, grace_days=f.grace_days) == f


@given(visit_policies(min_rules=2, max_rules=3))
def test_visit_policies_have_unique_rule_ids(policy: VisitPolicy) -> None:
    assert 2 <= len(policy.rules) <= 3
    assert from_dict(to_dict(policy), VisitPolicy) == policy


@given(visit_rules(ids=st.just("only")))
def test_visit_rules_take_their_ids(rule: VisitRule) -> None:
    assert rule.id == "only"


@given(residents(), st.data())
def test_visit_records_never_predate_a_file(resident: Resident, data: st.DataObject) -> None:
    for record in data.draw(visit_records([resident], max_size=4)):
        assert record.resident == resident.id
        assert record.day >= (resident.file_opened or resident.birth_date)


def test_minimal_event_sequence_is_the_opening_alone() -> None:
    events = find(event_sequences(SAMPLE, SAMPLE_POLICY), lambda e: True)
    assert len(events) == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: escalation_policies(max_slas=-1), "max_slas=-1 must be at least 0."),
        (lambda: escalation_policies(scheme="three"), "scheme='three' must be a TierScheme."),
        (lambda: escalation_policies(limits=3), "limits=3 must be a hypothesis strategy or None."),
        (lambda: event_sequences(SAMPLE, None), "policy=None must be an EscalationPolicy."),
        (lambda: event_sequences("g", SAMPLE_POLICY), "grid='g' must be a GridGraph."),
        (
            lambda: event_sequences(SAMPLE, SAMPLE_POLICY, max_events=-1),
            "max_events=-1 must be at least 0.",
        ),
        (lambda: event_attempts(SAMPLE, SAMPLE_POLICY, case_id=""), "case_id='' must be a"),
        (lambda: opened_cases(SAMPLE, SAMPLE_POLICY, max_days=-2), "max_days=-2 must be at least"),
        (lambda: frequencies(max_every=0), "max_every=0 must be at least 1."),
        (lambda: frequencies(calendar=1), "calendar=1 must be True or False."),
        (lambda: visit_rules(frequencies="x"), "frequencies='x' must be a hypothesis strategy"),
        (lambda: visit_policies(min_rules=0), "min_rules=0 must be at least 1."),
        (lambda: visit_policies(min_rules=3, max_rules=2), "max_rules=2 must not be less than"),
        (
            lambda: visit_policies(rules=visit_rules(), frequencies=frequencies()),
            "pass rules= or frequencies=, not both.",
        ),
        (lambda: visit_records(["r"]), "residents must hold Resident values (got 'r')."),
        (lambda: visit_records([], max_size=-1), "max_size=-1 must be at least 0."),
    ],
)
def test_impossible_escalation_and_visit_arguments_are_refused(
    make: Callable[[], object], message: str
) -> None:
    with pytest.raises(InvalidArgument) as info:
        make()
    assert message in str(info.value)
