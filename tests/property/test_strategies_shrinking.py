"""gridgov.testing.strategies: examples shrink towards the simplest value, a planted routing bug
shrinks to a bare chain of units, and every strategy reaches what it must be able to draw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    FOUR_TIER,
    THREE_TIER,
    Channel,
    Criteria,
    GridGraph,
    Issue,
    ReporterKind,
    ResponsibilityMatrix,
    Routed,
    Router,
    RuleSet,
    Severity,
    TimeLimit,
    WorkCalendar,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.testing.checks import check_routing
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    categories,
    criteria,
    grids,
    issues,
    moments,
    resident_files,
    residents,
    responsibility_matrices,
    routing_rules,
    rule_sets,
    tier_schemes,
    time_limits,
)

# --------------------------------------------------------------------------- reach and shrinking

SHRINK = settings(database=None, derandomize=True, phases=[Phase.generate, Phase.shrink])
# Explicit, whatever the profile: 1,000 generated examples, no database, no shrinking (a
# found example is enough), no deadline and no health checks (a slow machine must not fail).
REACH = settings(
    database=None,
    max_examples=1000,
    phases=[Phase.generate],
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_deep_grids_shrink_from_the_bottom_up_to_a_bare_chain() -> None:
    grid = find(
        grids(scheme=THREE_TIER, places=False, members=False, partners=False),
        lambda g: any(g.depth(u.id) == 2 for u in g),
        settings=SHRINK,
    )
    assert [(u.id, u.tier, u.parent) for u in grid] == [
        ("u0", "community", None),
        ("u1", "grid", "u0"),
        ("u2", "micro_grid", "u1"),
    ]


def test_places_shrink_to_one_place_in_a_bare_chain() -> None:
    grid = find(
        grids(scheme=THREE_TIER, members=False, partners=False),
        lambda g: bool(g.places),
        settings=SHRINK,
    )
    assert [(u.id, u.parent) for u in grid] == [("u0", None), ("u1", "u0"), ("u2", "u1")]
    assert dict(grid.places) == {"p0": "u2"}


def test_wide_grids_shrink_to_a_few_units() -> None:
    grid = find(
        grids(scheme=THREE_TIER, places=False, members=False, partners=False),
        lambda g: any(len(g.children(u.id)) >= 2 for u in g),
        settings=SHRINK,
    )
    # Three units are enough (a root with two grids).  The shrinker may stop at four (a chain
    # with a second micro-grid, or a spare root it cannot delete without moving a parent),
    # but nothing beyond what the condition needs is left.
    assert len(grid) <= 4
    assert max(len(grid.children(u.id)) for u in grid) == 2


def test_calendars_shrink_towards_the_office_calendar() -> None:
    cal = find(calendars(), lambda c: bool(c.holidays), settings=SHRINK)
    assert cal == WorkCalendar(holidays={date(2025, 9, 1)})


def test_odd_hours_shrink_to_one_short_period() -> None:
    cal = find(calendars(), lambda c: c.hours != WorkCalendar().hours, settings=SHRINK)
    assert cal.hours == ((time(0, 0), time(0, 1)),)  # periods are drawn on whole minutes
    assert cal.weekdays == WorkCalendar().weekdays


def test_time_limits_shrink_towards_one_working_hour() -> None:
    assert find(time_limits(), lambda t: True, settings=SHRINK) == TimeLimit.working_hours(1)
    same_day = find(time_limits(), lambda t: t.to_end_of_day, settings=SHRINK)
    assert (same_day.amount, same_day.basis, same_day.to_end_of_day) == (0, "working", True)


def test_issues_shrink_towards_a_plain_report_at_the_first_place() -> None:
    grid = sample_grid()
    issue = find(issues(grid), lambda i: i.severity == Severity.EMERGENCY, settings=SHRINK)
    assert (issue.id, issue.category, issue.channel, issue.place) == (
        "i-0000",
        "dispute",
        Channel.VISIT,
        "h-0001",
    )
    assert issue.reported_at == datetime(2025, 9, 1, tzinfo=CST)
    assert issue.reporter.kind is ReporterKind.ANONYMOUS
    assert (issue.resident, issue.description) == (None, "")


def test_rule_sets_shrink_to_one_rule_before_the_default() -> None:
    rules = find(rule_sets(scheme=THREE_TIER), lambda r: len(r.rules) >= 2, settings=SHRINK)
    first, default = rules.rules
    assert first.id == "R1"
    assert first.match.categories == {"dispute"}
    assert (first.match.min_severity, first.match.max_severity) == (1, 4)
    assert not first.match.channels
    assert first.match.who.is_empty
    assert (first.start_tier, first.link, first.accept_within, first.resolve_within) == (
        None,
        frozenset(),
        None,
        None,
    )
    assert default.id == "default"


def test_matrices_shrink_towards_the_bare_catch_all() -> None:
    matrix = find(responsibility_matrices(THREE_TIER), lambda m: True, settings=SHRINK)
    assert matrix.top_catch_all
    assert matrix.entries == ()


def test_catalogues_shrink_towards_one_broad_category() -> None:
    catalogue = find(catalogues(), lambda c: True, settings=SHRINK)
    assert [(c.code, c.parent) for c in catalogue] == [("a", None)]
    refined = find(catalogues(), lambda c: any(x.parent for x in c), settings=SHRINK)
    assert [(c.code, c.parent) for c in refined][-1][1] == refined.categories[0].code
    assert len(refined) == 2


def test_criteria_shrink_towards_asking_nothing() -> None:
    assert find(criteria(), lambda c: True, settings=SHRINK) == Criteria()


@st.composite
def _worlds(draw: st.DrawFn) -> tuple[GridGraph, RuleSet, ResponsibilityMatrix, Issue]:
    # A small world, to keep the search quick: no team, a few static rules, no overrides.
    grid = draw(grids(min_units=1, max_units=10, members=False, partners=False))
    return (
        grid,
        draw(
            rule_sets(
                scheme=grid.scheme,
                max_rules=3,
                max_conditions=0,
                max_tags=0,
                ages=False,
                deadlines=st.none(),
            )
        ),
        draw(responsibility_matrices(grid, max_overrides=0)),
        draw(issues(grid)),
    )


def test_a_planted_routing_bug_shrinks_to_a_grid_of_at_most_3_units(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch path that forgets the matrix walk (it reports the unit the rule starts at) is
    caught by check_routing, and the counterexample shrinks to a bare chain of units."""
    route = Router.route

    def without_the_matrix(
        self: Router, found: Iterable[Issue], **options: Any
    ) -> Iterator[Routed]:
        for issue in found:
            a = route(self, issue, **options)
            yield Routed(issue.id, a.start_unit, a.rule, False)

    monkeypatch.setattr(Router, "route_many", without_the_matrix)

    def fails(world: tuple[GridGraph, RuleSet, ResponsibilityMatrix, Issue]) -> bool:
        grid, rules, matrix, issue = world
        try:
            check_routing(rules, grid, issue, matrix=matrix)
        except AssertionError as exc:
            return "route_many() gives" in str(exc)  # the planted bug, not another
        return False

    grid, rules, matrix, issue = find(_worlds(), fails, settings=SHRINK)
    assert len(grid) <= 3
    assert len(rules.rules) == 1  # the default rule alone
    assert matrix.top_catch_all
    assert matrix.entries == ()  # the bare catch-all
    assert issue.severity == Severity.ROUTINE


# What each strategy must be able to draw.  Each condition holds for a good share of the
# draws (at least about one in a hundred, measured), so that REACH's 1,000 examples find it
# whatever the seed: a rare value is reached with a targeted strategy (a birth date on 29
# February from a three-day window) rather than left to luck.
REACHES: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], bool]]] = {
    "grids with two roots": (grids(), lambda g: len(g.roots) >= 2),
    "grids five deep": (
        grids(scheme=tier_schemes(min_depth=5)),
        lambda g: any(g.depth(u.id) == 4 for u in g),
    ),
    "grids of 20 units": (grids(min_units=10), lambda g: len(g) >= 20),
    "grids with a unit of 5 children": (
        grids(),
        lambda g: any(len(g.children(u.id)) >= 5 for u in g),
    ),
    "grids with a leader": (grids(), lambda g: any(g.leader(u.id) for u in g)),
    "grids with posts and partners": (
        grids(),
        lambda g: any(m.posts for m in g.members) and any(p.units for p in g.partners),
    ),
    "grids with 10 places": (grids(scheme=THREE_TIER), lambda g: len(g.places) >= 10),
    "grids with a partner serving a broad category": (
        grids(),
        lambda g: any("volunteer_service" in p.categories and p.units for p in g.partners),
    ),
    "schemes three-tier": (tier_schemes(), lambda s: s == THREE_TIER),
    "schemes four-tier": (tier_schemes(), lambda s: s == FOUR_TIER),
    "schemes of one tier": (tier_schemes(), lambda s: len(s) == 1),
    "residents born on 29 February": (
        residents(min_birth_date=date(1960, 2, 28), max_birth_date=date(1960, 3, 1)),
        lambda r: r.birth_date == date(1960, 2, 29),
    ),
    "residents with a windowed condition": (
        residents(),
        lambda r: any(c.start and c.end for c in r.conditions),
    ),
    "resident files of three": (resident_files(), lambda f: len(f) >= 3),
    "criteria with an age band": (
        criteria(),
        lambda c: c.min_age is not None and c.max_age is not None and c.min_age < c.max_age,
    ),
    "criteria with all of the tags and conditions": (
        criteria(),
        lambda c: bool(c.tags_all) and bool(c.conditions_all),
    ),
    "moments in Nepal": (moments(), lambda m: m.utcoffset() == timedelta(hours=5, minutes=45)),
    "moments at UTC-5": (moments(), lambda m: m.utcoffset() == timedelta(hours=-5)),
    "calendars with a weekend workday": (
        calendars(),
        lambda c: any(d.weekday() >= 5 for d in c.workdays),
    ),
    "calendars of 3 periods at UTC+5:45": (
        calendars(utc_offsets=st.just(345)),
        lambda c: len(c.hours) == 3 and c.utc_offset_minutes == 345,
    ),
    "calendars working Sundays only": (
        calendars(),
        lambda c: 5 not in c.weekdays and 6 in c.weekdays,
    ),
    "limits natural same day": (
        time_limits(basis="natural"),
        lambda t: t.amount == 0 and t.to_end_of_day,
    ),
    "limits in fractions of days": (
        time_limits(),
        lambda t: not isinstance(t.amount, int) and t.unit == "days",
    ),
    "catalogues three deep": (
        catalogues(max_depth=3),
        lambda c: any(len(c.lineage(x.code)) == 3 for x in c),
    ),
    "catalogues refining a default category": (
        catalogues(base=DEFAULT_CATALOGUE, min_size=0),
        lambda c: any(x.parent in DEFAULT_CATALOGUE for x in c if x.code not in DEFAULT_CATALOGUE),
    ),
    "categories refined": (categories(), lambda c: DEFAULT_CATALOGUE[c].parent is not None),
    "issues at a micro-grid unit": (
        issues(sample_grid()),
        lambda i: i.unit is not None and i.unit.startswith("mg"),
    ),
    "issues unlocated": (issues(sample_grid()), lambda i: not i.located),
    "issues reported by a member": (
        issues(sample_grid()),
        lambda i: i.reporter.kind is ReporterKind.MEMBER,
    ),
    "issues reported by their resident": (
        issues(sample_grid(), residents=sample_residents()),
        lambda i: i.resident is not None and i.reporter.id == i.resident,
    ),
    "matrices of 30 lines": (
        responsibility_matrices(sample_grid()),
        lambda m: len(m.entries) >= 30,
    ),
    "matrices with an override at 4": (
        responsibility_matrices(sample_grid()),
        lambda m: any(e.unit and e.max_severity == 4 for e in m.entries),
    ),
    "matrices without the flag and with overrides": (
        responsibility_matrices(sample_grid()),
        lambda m: not m.top_catch_all and any(e.unit for e in m.entries),
    ),
    "matrices with a top line under the flag": (
        responsibility_matrices(sample_grid()),
        lambda m: m.top_catch_all and any(e.tier == "community" for e in m.entries),
    ),
    "rules with conditions all": (
        routing_rules(scheme=THREE_TIER),
        lambda r: bool(r.match.who.conditions_all),
    ),
    "rules with an age and tags": (
        routing_rules(scheme=THREE_TIER),
        lambda r: r.match.who.min_age is not None and bool(r.match.who.tags_any),
    ),
    "rules capped below emergency that link": (
        routing_rules(scheme=THREE_TIER),
        lambda r: r.match.max_severity < 4 and bool(r.link),
    ),
    "rules at the micro-grid by channel": (
        routing_rules(scheme=THREE_TIER),
        lambda r: r.start_tier == "micro_grid" and bool(r.match.channels),
    ),
    "rule sets of 7": (rule_sets(scheme=THREE_TIER), lambda r: len(r.rules) == 7),
}


@pytest.mark.parametrize(
    ("strategy", "condition"),
    [pytest.param(*pair, id=name) for name, pair in REACHES.items()],
)
def test_strategies_reach(
    strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]
) -> None:
    find(strategy, condition, settings=REACH)
