"""Every public value and result type round-trips: ``to_dict`` → ``json.dumps`` → ``json.loads``
→ ``from_dict`` gives an equal value (issue 16, must-show 1).

The inventory walks the public API (``gridgov.__all__`` and every public subpackage's and
module's ``__all__``) for classes.  Each is either
registered with :mod:`gridgov.serialize` and made by one of the worlds below, or listed in
:data:`NOT_VALUES` with the reason it is not a value (enumerations and errors aside).  A new public value type that is not
registered, or registered without a world that draws it, fails :func:`test_inventory`.

Each world is drawn with the testing kit's strategies and run through the engines that make
results (the router, the escalation sweep, the visit sweep and plan, the metrics roll-ups, case
summaries, the hotline import); every registered value found inside what a world makes is
round-tripped.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import json
import pkgutil
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import gridgov
from gridgov import CST, Channel, GridPartition, Router, from_dict, to_dict
from gridgov.calendar import DeadlinePlan, DeadlinePlanner
from gridgov.cases import (
    Accepted,
    CaseEvent,
    CaseState,
    Clocks,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Dispatched,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    Rejected,
    Report,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Satisfaction,
    TimelineEntry,
    Transition,
    VerificationFailed,
    Verified,
    replay,
)
from gridgov.community import (
    Contribution,
    FundingKind,
    MeetingEvent,
    Need,
    Outcome,
    Progress,
    Project,
    Span,
    agenda_items,
    check_funding,
    match_needs,
    points_ledger,
    reach,
)
from gridgov.criteria import CriteriaIndex
from gridgov.demo import sample_grid, sample_policy
from gridgov.errors import GridGovError
from gridgov.escalation import due_escalations, escalation_for
from gridgov.interop import (
    DEFAULT_HOTLINE,
    HotlineColumns,
    HotlineFormat,
    import_hotline,
    summarize,
)
from gridgov.issues import DEFAULT_CATALOGUE
from gridgov.metrics import (
    DIGITAL_CITY,
    HOTLINE_12345,
    Grain,
    Period,
    Periods,
    case_facts,
    digital_city_score,
    evaluate,
    hotline_score,
    hotspots,
    opinion_library,
    tally,
    visit_rate,
)
from gridgov.people import CONDITION_KINDS, ResidentFiles
from gridgov.routing import Routed
from gridgov.serialize import registered
from gridgov.simulation import (
    Exponential,
    Fixed,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    Staffing,
    StaffLine,
    Uniform,
    compare,
    sample_setup,
)
from gridgov.testing.strategies import (
    Attempt,
    activities,
    calendars,
    catalogues,
    contributions,
    criteria,
    deliberations,
    escalation_policies,
    event_sequences,
    grids,
    issues,
    match_policies,
    match_rules,
    needs,
    opened_cases,
    participations,
    places,
    resident_files,
    residents,
    responsibility_matrices,
    rule_sets,
    talent_libraries,
    time_limits,
    visit_policies,
    visit_records,
    wishes,
)
from gridgov.visits import (
    MajorChange,
    MemberAvailability,
    RosterLog,
    VisitLog,
    VisitRoster,
    coverage,
    due_visits,
    missed_visit_escalations,
    plan_visits,
)

NOT_VALUES: Mapping[type, str] = {
    Router: "a compiled engine (decision table over a grid, rules, matrix and catalogue): "
    "serialise its grid, rules, matrix and catalogue",
    DeadlinePlanner: "a compiled engine for batch deadlines over a calendar",
    DeadlinePlan: "a planner's compiled entry, read by the planner only",
    CriteriaIndex: "a compiled index of criteria; serialise the Criteria",
    ResidentFiles: "an index of residents' files by id (a mapping); serialise the residents",
    VisitRoster: "a compiled index of files under a policy; serialise its residents and policy",
    RosterLog: "a compiled index of visit records over a roster; serialise the records",
    CaseState: "derived by replaying a case's events; the Case (its events) round-trips",
    TimelineEntry: "a view of the case's events (Case.timeline()); the Case round-trips",
    CaseEvent: "the base class of the case events; every concrete event is registered",
    Clocks: "the sweep's per-state working data in POSIX seconds (inf when none runs)",
    Report: "the sweep's key for counting repeated reports, in POSIX seconds",
    Transition: "a line of the lifecycle's table of event classes, code rather than data",
    Attempt: "the testing kit's record of a tried event (a test helper, not a gridgov value)",
    MeetingEvent: "the base class of a deliberation's events; every concrete event is registered",
    MemberAvailability: "a protocol (what plan_visits reads of people's availability), not a value",
    GridPartition: "a compiled cut of a grid at a tier; serialise its grid (and the tier)",
    Setup: "a simulation's bundle around a compiled Router: serialise its staffing, load and "
    "policies",
}
"""Public classes that are not values, with why.  A custom Predicate (``Predicate.custom``,
holding a callable) is the one value that refuses ``to_dict`` by design; the worlds below use
vocabulary predicates only."""


# --------------------------------------------------------------------------- the inventory


def _public_modules() -> Iterator[Any]:
    yield gridgov
    for info in pkgutil.walk_packages(gridgov.__path__, "gridgov."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if info.name in ("gridgov.cli", "gridgov.demo", "gridgov.dask", "gridgov.plot"):
            continue  # the I/O shell, the demo's samples, the extras: no classes of their own
        yield importlib.import_module(info.name)


def _is_value_like(obj: object) -> bool:
    """Any class but an enumeration (a value's field, written as its value) or an error."""
    return isinstance(obj, type) and not issubclass(obj, enum.Enum | BaseException)


def public_types() -> set[type]:
    """Every class (but enumerations and errors) some public ``__all__`` names."""
    found: set[type] = set()
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if _is_value_like(obj):
                found.add(obj)
    return found


# --------------------------------------------------------------------------- walking values


def parts(value: object) -> Iterator[object]:
    """*value* and every registered value inside it, depth first."""
    known = set(registered())
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) in known:
            yield item
        if attrs.has(type(item)):
            stack.extend(getattr(item, a.name) for a in attrs.fields(type(item)) if a.init)
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, tuple | list | frozenset | set):
            stack.extend(item)


def assert_round_trip(value: object) -> None:
    data = to_dict(value)
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    back = from_dict(json.loads(text), type(value))
    assert type(back) is type(value)
    assert back == value
    assert to_dict(back) == data


# --------------------------------------------------------------------------- the worlds

_SMALL_GRIDS = grids(min_units=1, max_units=6, max_places=5, max_members=3, max_partners=2)


@st.composite
def plain_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """Values drawn directly by the kit's strategies."""
    grid = draw(_SMALL_GRIDS)
    place = draw(places(grid)) if grid.units_of(grid.scheme.bottom.name) else None
    kind = draw(st.sampled_from(sorted(CONDITION_KINDS.values(), key=lambda k: k.code)))
    return (
        grid,
        place,
        kind,
        draw(catalogues()),
        draw(criteria()),
        draw(time_limits()),
        draw(calendars()),
        draw(residents()),
    )


@st.composite
def routing_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """Rules, a matrix, and what the router makes of drawn issues, one by one and in bulk."""
    catalogue = draw(catalogues())
    grid = draw(_SMALL_GRIDS)
    rules = draw(rule_sets(scheme=grid.scheme, catalogue=catalogue))
    matrix = draw(responsibility_matrices(grid, catalogue=catalogue))
    files = draw(resident_files(grid=grid, max_size=3)) if grid.places else None
    drawn = draw(st.lists(issues(grid, catalogue=catalogue, residents=files), max_size=3,
                          unique_by=lambda i: i.id))
    router = Router(grid=grid, rules=rules, matrix=matrix, catalogue=catalogue)
    assignments = tuple(router.route(i, residents=files) for i in drawn)
    routed = tuple(Routed(*r) for r in router.route_many(drawn, residents=files))
    return (rules, matrix, assignments, routed)


_FORMATS = st.builds(
    HotlineFormat,
    columns=st.builds(HotlineColumns, id=st.sampled_from(["工单编号", "id"]),
                      category=st.sampled_from(["诉求类别", "category"])),
    labels=st.dictionaries(st.sampled_from(["路灯坏了", "噪音", "漏水"]),
                           st.sampled_from(["facility_repair", "dispute", "environment"]),
                           max_size=3),
    unknown_place=st.sampled_from(["unlocated", "reject"]),
    id_prefix=st.sampled_from(["", "12345-"]),
)


@st.composite
def case_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A case's history and everything made from it: timeline, summary, escalations, facts,
    tallies and tables, the opinion library and its hotspots."""
    grid = draw(_SMALL_GRIDS)
    policy = draw(escalation_policies(scheme=grid.scheme))
    events = draw(event_sequences(grid, policy, max_events=10))
    case = replay(events)
    later = case.updated_at + timedelta(days=draw(st.integers(0, 60)))
    made: list[object] = [case, case.timeline(), case.state.co_handlers, policy]
    made.append(summarize(case, at=later, calendar=policy.calendar))
    made.extend(due_escalations([case], policy, at=later))
    with contextlib.suppress(GridGovError):  # a case that cannot go up now (closed, beyond)
        made.append(escalation_for(case, policy, at=later))
    facts = case_facts(case, calendar=policy.calendar)
    day = facts.opened_at.date()
    periods = Periods(ranges=[Period.between(day - timedelta(days=3), day + timedelta(days=9),
                                             label="考核期")])
    by = draw(st.sampled_from([Grain.MONTH, Grain.WEEK, periods]))
    columns = draw(st.sampled_from([[*HOTLINE_12345, hotline_score()],
                                    [*DIGITAL_CITY, digital_city_score()]]))
    counted = tally([facts], columns, by=by, categories=draw(st.booleans()))
    table = evaluate(counted, columns, grid=draw(st.sampled_from([None, grid])),
                     parts=draw(st.booleans()))
    library = opinion_library([facts], by=by, grid=grid, issues=[case.issue])
    made += [facts, counted, table, library, hotspots(library, grid=grid, repeats=1,
                                                      rising_min_count=1, dense_min_demands=1)]
    return tuple(made)


@st.composite
def visit_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """Residents' files, a visit policy and records, and what the visit engines make of them:
    due visits, a plan, coverage, the visit rate, missed-visit escalations."""
    grid = draw(grids(min_units=1, max_units=5, max_places=4, max_members=3, max_partners=0)
                .filter(lambda g: bool(g.places)))
    files = draw(st.lists(residents(grid=grid), min_size=1, max_size=4,
                          unique_by=lambda r: r.id))
    policy = draw(visit_policies())
    records = draw(visit_records(files, max_size=5))
    on = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
    changes = [MajorChange(resident=files[0].id, on=on - timedelta(days=2), what="出院")]
    due = list(due_visits(files, records, policy, on=on, major_changes=changes))
    made: list[object] = [policy, VisitLog(records=records), changes, due]
    made.extend(d.window for d in due)
    made.extend(missed_visit_escalations(due, grid))
    made.extend(r for r in (policy.requirement(f, on=on) for f in files) if r is not None)
    made.append(plan_visits(files, records, policy, grid, start=on, end=on + timedelta(days=20),
                            capacity_per_member=draw(st.integers(0, 2)), major_changes=changes))
    made.append(coverage(files, records, policy, grid, month=on))
    made.append(visit_rate(files, records, policy, grid, month=on))
    return tuple(made)


@st.composite
def lifecycle_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A case opened by the kit and taken through the whole lifecycle — rejected, or accepted,
    dispatched, handled with co-handlers, merged into another case or given an extension,
    resolved, failed and verified, the resident's view, closed, evaluated — with drawn
    branches, gaps, texts and satisfaction."""
    if draw(st.booleans()):
        grid = draw(_SMALL_GRIDS)
        policy = draw(escalation_policies(scheme=grid.scheme))
    else:  # the demo's policy: every case has a resolve deadline to extend
        grid, policy = sample_grid(), sample_policy()
    case = draw(opened_cases(grid, policy))
    at = case.updated_at
    gaps = st.integers(0, 72).map(lambda h: timedelta(hours=h))
    notes = st.sampled_from(["", "已入户核实", "等配件"])
    view = st.sampled_from(list(Satisfaction))

    def later() -> datetime:
        nonlocal at
        at = at + draw(gaps)
        return at

    who = "m-1"
    if draw(st.integers(0, 3)) == 0:  # not a matter for the grid: rejected, the end of it
        case = case.apply(Rejected(at=later(), actor=who, reason="不属于受理范围"))
        return (case, case.timeline(), summarize(case, at=later(), calendar=policy.calendar))
    case = case.apply(Accepted(at=later(), actor=who, note=draw(notes)))
    if draw(st.booleans()):
        case = case.apply(Dispatched(at=later(), actor=who, handler="m-3", note=draw(notes)))
    case = case.apply(HandlingStarted(at=later(), actor=who))
    if draw(st.booleans()):  # a duplicate of another case: merged into it, the end of it
        case = case.apply(MergedInto(at=later(), actor=who, into="c-0", reason=draw(notes)))
        return (case, case.timeline(), summarize(case, at=later(), calendar=policy.calendar))
    case = case.apply(CoHandlerLinked(at=later(), actor=who, handler="p-1", name="物业"))
    case = case.apply(CoHandlerLinked(at=later(), actor=who, handler="p-2", name="社工站",
                                      required=False))
    case = case.apply(CoHandlerReleased(at=later(), actor=who, handler="p-2", reason="无需联动"))
    if case.state.resolve_by is not None:  # a deadline to extend
        until = max(at, case.state.resolve_by.due) + timedelta(days=30)
        case = case.apply(ExtensionRequested(at=later(), actor=who, until=until, reason="等配件"))
        if draw(st.booleans()):
            case = case.apply(ExtensionGranted(at=later(), actor="m-2", note=draw(notes)))
        else:
            case = case.apply(ExtensionRefused(at=later(), actor="m-2", reason="不符合延期条件"))
    case = case.apply(CoHandlerCompleted(at=later(), actor="p-1", handler="p-1"))
    case = case.apply(Resolved(at=later(), actor=who, summary=draw(notes)))
    if draw(st.booleans()):  # the check finds it not done: handled and resolved again
        case = case.apply(VerificationFailed(at=later(), actor="m-2", reason="路灯仍不亮"))
        case = case.apply(Resolved(at=later(), actor=who))
    case = case.apply(Verified(at=later(), actor="m-2"))
    if draw(st.booleans()):  # the resident is dissatisfied: handled, resolved, verified again
        case = case.apply(ResidentDissatisfied(at=later(), actor=who, note=draw(notes)))
        case = case.apply(Resolved(at=later(), actor=who))
        case = case.apply(Verified(at=later(), actor="m-2"))
    satisfaction = draw(view)
    if satisfaction.satisfied:
        case = case.apply(ResidentSatisfied(at=later(), actor=who, satisfaction=satisfaction))
    case = case.apply(Closed(at=later(), actor=who, note=draw(notes)))
    case = case.apply(Evaluated(at=later(), actor=who, satisfaction=draw(view), note=draw(notes)))
    return (case, case.timeline(), summarize(case, at=later(), calendar=policy.calendar))


_LABELS = [c.zh for c in DEFAULT_CATALOGUE.categories] + ["路灯坏了", "噪音", "不存在的类别", ""]


@st.composite
def hotline_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A hotline import of drawn rows (good and bad alike), under a drawn format."""
    fmt = draw(st.one_of(st.just(DEFAULT_HOTLINE), _FORMATS))
    cols = fmt.columns
    row = st.fixed_dictionaries({
        cols.id: st.sampled_from(["h-1", "h-2", "", "h 3"]),
        cols.category: st.sampled_from(_LABELS),
        cols.reported_at: st.sampled_from(["2026-11-26 10:15", "2026/11/26", "昨天", ""]),
        cols.description: st.sampled_from(["楼道灯不亮", ""]),
        cols.place: st.sampled_from(["h-1001", "未知户", ""]),
    })
    rows = draw(st.lists(row, max_size=5))
    return (fmt, import_hotline(rows, format=fmt))


@st.composite
def community_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A talent library over a grid, needs (and its posts' needs) and how they are matched."""
    grid = draw(_SMALL_GRIDS)
    library = draw(talent_libraries(grid))
    span = draw(st.sampled_from(Span))
    wanted = draw(st.lists(needs(grid), max_size=4, unique_by=lambda n: n.id))
    wanted += [Need.for_post(p, span=span) for p in library.posts]
    policy = draw(match_policies())
    on = draw(st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 1)))
    return (library, wanted, policy, match_needs(wanted, library, grid, on=on, span=span,
                                                  policy=policy))


@st.composite
def meeting_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """Residents' wishes grouped into an agenda, a meeting deliberating it (replayed), a
    project adopted (or set up), funded with a match, reported on and completed; activities
    with participations, their reach and the points ledger."""
    grid = draw(_SMALL_GRIDS.filter(lambda g: bool(g.places)))
    people = draw(st.lists(residents(grid=grid), min_size=1, max_size=3,
                           unique_by=lambda r: r.id))
    heard = draw(st.lists(wishes(grid, residents=[r.id for r in people]), max_size=3,
                          unique_by=lambda w: w.id))
    items = agenda_items(heard, grid)
    meeting = draw(deliberations(agenda=items))
    match = draw(st.none() | match_rules())
    budget = draw(st.integers(1, 100_000))
    adopted = [d.item for d in meeting.decisions if d.outcome is Outcome.ADOPTED]
    if adopted:
        project = Project.adopt(meeting, adopted[0], id="p-1", name="微改造", budget=budget,
                                match=match)
    else:
        project = Project(id="p-1", name="微改造", unit=next(iter(grid)).id, budget=budget,
                          match=match, wishes=[w.id for w in heard])
    given = draw(st.lists(contributions(amounts=st.integers(1, 50_000)), max_size=3,
                          unique_by=lambda c: c.id))
    for c in given:
        project = project.receive(c)
    short = project.funding().shortfall
    if short:
        project = project.receive(Contribution(id="c-top", kind=FundingKind.PUBLIC,
                                               source="s-gov", amount=short, on=date(2026, 10, 1)))
    project = project.report(Progress(on=date(2026, 10, 8), percent=draw(st.integers(0, 100)),
                                      note="施工中"))
    done = project.complete(at=datetime(2026, 10, 20, 17, 0, tzinfo=CST), actor="m-1")
    acts = draw(st.lists(activities(grid), min_size=1, max_size=2, unique_by=lambda a: a.id))
    came = draw(participations(acts, [r.id for r in people], max_size=5))
    period = Period.of(date(2026, 10, 1), Grain.QUARTER)
    return (heard, items, meeting, meeting.decisions, project, done,
            check_funding(budget, given, match), acts, came,
            reach(acts, people, came, period=period, grid=grid), points_ledger(acts, came))


@st.composite
def privacy_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A drawn sensitivity table, scopes of a member and a partner, and their decisions on
    drawn residents with the access records they make."""
    from gridgov import privacy as p

    grid = draw(grids(min_units=1, max_units=5, max_places=4, max_members=3, max_partners=2)
                .filter(lambda g: bool(g.places) and bool(g.members)))
    files = draw(st.lists(residents(grid=grid), min_size=1, max_size=3, unique_by=lambda r: r.id))
    purpose = draw(st.sampled_from(list(p.Purpose)))
    table = p.DEFAULT_SENSITIVITY.with_purpose(
        purpose, draw(st.frozensets(st.sampled_from(list(p.Sensitivity))))
    )
    on = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
    scopes = [p.Scope.of_member(m, purpose=purpose, on=on) for m in grid.members]
    scopes += [p.Scope.of_partner(x, on=on) for x in grid.partners]
    at = datetime(2026, 11, 26, 16, tzinfo=gridgov.CST)
    made: list[object] = [table]
    for scope in scopes:
        for r in files:
            d = p.may_see(scope, r, grid=grid, table=table, field="name")
            made += [scope, d, d.record(at=at), p.redact(r, scope, grid=grid, table=table)]
    return tuple(made)


_SAMPLE_SETUP = sample_setup()


@st.composite
def simulation_worlds(draw: st.DrawFn) -> tuple[object, ...]:
    """A staffing model with a handling time of every kind and a load, drawn, and two short
    runs of the sample community compared (a result, its days and the comparison's lines)."""
    hours = st.floats(0.1, 8)
    times = [Fixed(hours=draw(hours)), Uniform(low=0.5, high=draw(st.floats(0.5, 8))),
             Exponential(mean=draw(hours)), LogNormal(median=draw(hours), sigma=draw(st.floats(0, 2)))]
    staffing = Staffing(
        lines=[StaffLine(tier="grid", workers=draw(st.integers(0, 3)), hours=draw(hours)),
               StaffLine(unit="mg31", workers=1)],
        handling=[Handling(category=c, time=t)
                  for c, t in zip(["dispute", "environment", "welfare", "complaint"], times, strict=True)],
        visit_hours=draw(st.floats(0, 2)),
    )
    load = LoadModel(lines=[LoadLine(category="dispute", severity=draw(st.integers(1, 4)),
                                     rate=draw(st.floats(0, 0.01)),
                                     channel=draw(st.none() | st.sampled_from(list(Channel))))],
                     dissatisfied=draw(st.floats(0, 1)))
    variant = attrs.evolve(_SAMPLE_SETUP, name="变体", staffing=staffing, load=load)
    c = compare(_SAMPLE_SETUP, variant, start=date(2026, 11, 2), days=draw(st.integers(1, 3)),
                seed=draw(st.integers(0, 1000)))
    return (staffing, load, c)


WORLDS: Mapping[str, st.SearchStrategy[tuple[object, ...]]] = {
    "plain": plain_worlds(),
    "routing": routing_worlds(),
    "case": case_worlds(),
    "lifecycle": lifecycle_worlds(),
    "visit": visit_worlds(),
    "hotline": hotline_worlds(),
    "community": community_worlds(),
    "meeting": meeting_worlds(),
    "privacy": privacy_worlds(),
    "simulation": simulation_worlds(),
}

MADE_BY: Mapping[str, frozenset[str]] = {
    "plain": frozenset({
        "Category", "CategoryCatalogue", "Condition", "ConditionKind", "Criteria", "GridGraph",
        "GridUnit", "Member", "Partner", "Place", "Post", "Resident", "Tier", "TierScheme",
        "TimeLimit", "WorkCalendar",
    }),
    "routing": frozenset({
        "Assignment", "Deadline", "Match", "Reason", "Ref", "Responsibility",
        "ResponsibilityMatrix", "Routed", "RoutingRule", "RuleSet",
    }),
    "case": frozenset({
        "Band", "Case", "CaseFacts", "CaseOpened", "CaseSummary", "CoHandler",
        "Composite", "Count", "DuplicateMerged", "Escalated",
        "Escalation", "EscalationPolicy", "ExternalBody", "Hotspot", "Hotspots", "Indicator",
        "IndicatorValue", "Issue", "Line", "OpinionCell", "OpinionLibrary", "OpinionReport",
        "Period", "Periods", "Predicate", "Reporter", "Resumed", "Returned",
        "SeverityRaised", "Sla", "Suspended", "Table", "Tally", "Term",
        "Weighted",
    }),
    "lifecycle": frozenset({
        "Accepted", "Closed", "CoHandlerCompleted", "CoHandlerLinked", "CoHandlerReleased",
        "Dispatched", "Evaluated", "Rejected", "VerificationFailed",
        "ExtensionGranted", "ExtensionRefused", "ExtensionRequested", "HandlingStarted",
        "MergedInto", "ResidentDissatisfied", "ResidentSatisfied", "Resolved", "Verified",
    }),
    "visit": frozenset({
        "DueVisit", "Frequency", "MajorChange", "MissedVisitEscalation", "PlannedVisit",
        "VisitCoverage", "VisitLog", "VisitPlan", "VisitPolicy", "VisitRate", "VisitRecord",
        "VisitRequirement", "VisitRule", "VisitShortfall", "VisitWindow",
    }),
    "hotline": frozenset({"HotlineColumns", "HotlineFormat", "HotlineImport", "RejectedRow"}),
    "community": frozenset({
        "MatchPolicy", "Matching", "Need", "PartnerLink", "Placement", "ServicePost", "Skill",
        "SkillCatalogue", "SkillLevel", "Talent", "TalentLibrary", "Unfilled", "Willingness",
    }),
    "meeting": frozenset({
        "Activity", "AgendaItem", "Attendee", "Contribution", "Decision", "DecisionRule",
        "Deliberation", "FundingCheck", "GroupReach", "ItemDeferred", "MatchRule",
        "MeetingClosed", "MeetingConvened", "Participation", "PointsEntry", "PointsLedger",
        "PointsPolicy", "Progress", "Project", "ProjectCompleted", "VoteCast", "VoteCount",
        "VotingClosed", "Wish",
    }),
    "privacy": frozenset({
        "AccessDecision", "AccessRecord", "ConditionClass", "FieldClass", "PurposeClasses",
        "Scope", "SensitivityTable",
    }),
    "simulation": frozenset({
        "Comparison", "ComparisonLine", "DayFigures", "Exponential", "Fixed", "Handling",
        "LoadLine", "LoadModel", "LogNormal", "SimulationResult", "StaffLine", "Staffing",
        "Uniform",
    }),
}
"""The world that makes each registered value class (by name), for the inventory."""


def test_inventory() -> None:
    """Every public value-like class round-trips (registered, and made by a world) or is
    listed as not a value with its reason; nothing listed as not a value is registered."""
    values = set(registered())
    public = public_types()
    unaccounted = sorted(c.__name__ for c in public - values - set(NOT_VALUES))
    assert not unaccounted, f"public classes neither registered nor in NOT_VALUES: {unaccounted}"
    assert not values & set(NOT_VALUES), "a class in NOT_VALUES is registered after all"
    assert set(NOT_VALUES) <= public, "NOT_VALUES lists a class that is not public"
    names = [n for made in MADE_BY.values() for n in made]
    assert len(names) == len(set(names)), "a class is listed under two worlds"
    assert set(names) == {c.__name__ for c in values}, (
        "registered classes without a world that makes them: "
        f"{sorted({c.__name__ for c in values} - set(names))}; "
        f"listed but not registered: {sorted(set(names) - {c.__name__ for c in values})}"
    )
    assert set(MADE_BY) == set(WORLDS)


def _round_tripped(made: tuple[object, ...]) -> frozenset[str]:
    """Round-trip every value in what a world made; the names of their classes."""
    names = set()
    for part in parts(made):
        assert_round_trip(part)
        names.add(type(part).__name__)
    return frozenset(names)


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_each_world_makes_the_values_it_is_listed_for(world: str) -> None:
    """Drawing the world's examples (round-tripping every value in each) reaches, within a
    bounded number of examples, every class the inventory says it makes."""
    expected = MADE_BY[world]
    seen: set[str] = set()

    def covers(made: frozenset[str]) -> bool:
        seen.update(made)
        return expected <= seen

    try:
        find(
            WORLDS[world].map(_round_tripped),  # names only: small to show
            covers,
            settings=settings(
                max_examples=1000,
                phases=[Phase.generate],
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    except NoSuchExample:
        pytest.fail(f"the {world} world made no {sorted(expected - seen)} in 1,000 examples")


@pytest.mark.parametrize("world", sorted(WORLDS))
@given(data=st.data())
@settings(max_examples=40)  # each example runs the engines; the coverage test adds many more
def test_every_value_a_world_makes_round_trips(world: str, data: st.DataObject) -> None:
    for part in parts(data.draw(WORLDS[world])):
        assert_round_trip(part)
