"""Invariant checks for your own gridgov rules, to call inside your own (property) tests.

Each check runs gridgov on the values you give it and raises an :class:`AssertionError` that
explains the counterexample in a grid worker's terms — which issue, which units, which rule,
which line of the 权责清单 — when an invariant fails.  Call them from a hypothesis test fed by
:mod:`gridgov.testing.strategies`, or from a plain test over your own examples: this module
does not import hypothesis, so it works without it installed.

Usage in a test module (not run here)::

    from hypothesis import given, strategies as st
    from gridgov.testing.checks import check_routing
    from gridgov.testing.strategies import issues

    @given(issues(MY_GRID))
    def test_my_rules_route_soundly(issue):
        check_routing(MY_RULES, MY_GRID, issue, matrix=MY_MATRIX, calendar=MY_CALENDAR)

Example:
    >>> import gridgov.testing.checks
    >>> gridgov.testing.checks.__all__
    ['check_escalation', 'check_routing', 'check_visit_policy']
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil.relativedelta import relativedelta

from gridgov._time import CST
from gridgov.calendar import Deadline, DeadlinePlanner, TimeLimit, WorkCalendar
from gridgov.cases import (
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Escalated,
    ExtensionGranted,
    ResidentDissatisfied,
    Resumed,
    Returned,
    Trigger,
    VerificationFailed,
    apply_event,
)
from gridgov.errors import GridGovError, InvalidTransitionError
from gridgov.escalation import EscalationPolicy
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Issue
from gridgov.people import Resident, ResidentFiles
from gridgov.routing import Assignment, ResponsibilityMatrix, Router, RoutingRule, RuleSet
from gridgov.visits import (
    Frequency,
    FrequencyUnit,
    VisitPolicy,
    VisitRecord,
    VisitRequirement,
    VisitRule,
    next_due,
)

__all__ = ["check_escalation", "check_routing", "check_visit_policy"]

# The module is laid out in sections, one per part of gridgov (routing, escalation, visits),
# after a few shared helpers.


# --------------------------------------------------------------------------- shared helpers


def _require(name: str, value: object, kind: type | tuple[type, ...], expected: str) -> None:
    """Refuse a wrongly typed argument: a misuse of the check, not a broken invariant."""
    if not isinstance(value, kind):
        raise TypeError(f"'{name}' must be {expected} (got {type(value).__name__}).")


def _unit(unit: GridUnit, grid: GridGraph) -> str:
    """``第三网格 'g3' (网格)``."""
    tier = grid.scheme[unit.tier].zh if unit.tier in grid.scheme else unit.tier
    return f"{unit.name} {unit.id!r} ({tier})"


def _unit_id(unit_id: str, grid: GridGraph) -> str:
    return _unit(grid.unit(unit_id), grid) if unit_id in grid else f"{unit_id!r} (not in the grid)"


def _report(headline: str, context: Iterable[str], problems: Iterable[str] = ()) -> str:
    lines = [headline, *(f"  {line}" for line in context)]
    numbered = list(problems)
    if numbered:
        lines.append("  what is wrong:")
        lines += [f"    {n}. {p}" for n, p in enumerate(numbered, 1)]
    return "\n".join(lines)


# --------------------------------------------------------------------------- routing


def _category(code: str, catalogue: CategoryCatalogue) -> str:
    return catalogue[code].describe() if code in catalogue else f"{code!r} (not in the catalogue)"


def _where(issue: Issue, grid: GridGraph) -> str:
    if issue.place is not None:
        if grid.has_place(issue.place):
            return f"at place {issue.place!r} in {_unit(grid.place_unit(issue.place), grid)}"
        return f"at place {issue.place!r}"
    if issue.unit is None:
        return "unlocated (待定位)"
    return f"at unit {_unit_id(issue.unit, grid)}"


def _describe_issue(
    issue: Issue,
    grid: GridGraph,
    catalogue: CategoryCatalogue,
    residents: Mapping[str, Resident],
    tz: tzinfo,
) -> str:
    s = issue.severity
    text = (
        f"issue {issue.id!r}: {_category(issue.category, catalogue)}, {s.zh} {s.label} ({int(s)}), "
        f"via {issue.channel.zh} {issue.channel.label}, {_where(issue, grid)}, "
        f"reported {issue.reported_at.isoformat(' ')}"
    )
    if issue.resident is not None:
        conditions = _conditions(issue, residents, tz)
        on = _day(issue, tz).isoformat()
        if issue.resident not in residents:
            text += f"; concerns resident {issue.resident!r} (no personal file given)"
        elif conditions:
            text += (
                f"; concerns resident {issue.resident!r}, {'/'.join(sorted(conditions))} on {on}"
            )
        else:
            text += f"; concerns resident {issue.resident!r}, no conditions in force on {on}"
    return text


def _chain_text(chain: tuple[GridUnit, ...], grid: GridGraph) -> str:
    return " → ".join(_unit(u, grid) for u in chain)


def _day(issue: Issue, tz: tzinfo) -> date:
    """The day of the report in the calendar's timezone, however ``reported_at`` is written."""
    return issue.reported_at.astimezone(tz).date()


def _conditions(issue: Issue, residents: Mapping[str, Resident], tz: tzinfo) -> frozenset[str]:
    """The resident's conditions in force on the (local) day of the report."""
    resident = None if issue.resident is None else residents.get(issue.resident)
    return frozenset() if resident is None else resident.conditions_on(_day(issue, tz))


def _matches(
    rule: RoutingRule,
    issue: Issue,
    catalogue: CategoryCatalogue,
    residents: Mapping[str, Resident],
    tz: tzinfo,
) -> bool:
    """Whether *rule* matches *issue*, read straight from the rule (no compiled table)."""
    m = rule.match
    if m.categories and m.categories.isdisjoint(catalogue.lineage(issue.category)):
        return False
    if not m.min_severity <= issue.severity <= m.max_severity:
        return False
    if m.channels and issue.channel not in m.channels:
        return False
    if m.reads_file:
        resident = None if issue.resident is None else residents.get(issue.resident)
        if resident is None:
            return False  # nothing on file matches a rule that reads the file
        if not m.who.matches(resident, on=_day(issue, tz)):  # the one criteria engine
            return False
    return m.predicate is None or bool(m.predicate(issue))


def _start_index(rule: RoutingRule, chain: tuple[GridUnit, ...], grid: GridGraph) -> int:
    """Where *rule* starts on *chain*: the unit of its start tier above the issue, or the
    issue's own unit when there is no start tier or the issue sits above that tier."""
    if rule.start_tier is None:
        return 0
    for i, unit in enumerate(chain):
        if unit.tier == rule.start_tier:
            return i
    return 0  # the issue's own unit is above the start tier


def _limit_text(limit: int) -> str:
    return "may not handle it at all (limit 0)" if limit == 0 else f"may handle it up to {limit}"


def _deadline_problems(
    what: str,
    limit: TimeLimit | None,
    deadline: Deadline | None,
    rule: RoutingRule,
    issue: Issue,
    calendar: WorkCalendar,
) -> list[str]:
    if limit is None:
        if deadline is not None:
            return [
                (
                    f"the {what} deadline is {deadline.due.isoformat(' ')}, but rule {rule.id!r} "
                    f"sets no {what} time limit."
                )
            ]
        return []
    if deadline is None:
        return [
            (
                f"rule {rule.id!r} sets {limit.describe()} for the {what} deadline, but the "
                "assignment has none."
            )
        ]
    problems = []
    reported, due = issue.reported_at, deadline.due
    if due < reported:
        problems.append(
            f"the {what} deadline {due.isoformat(' ')} is before the issue was reported "
            f"({reported.isoformat(' ')})."
        )
    if limit.basis == "working" and not calendar.is_working_time(due):
        problems.append(
            f"the {what} deadline {due.isoformat(' ')} ({limit.describe()}) falls outside "
            f"working time on the calendar {calendar.describe()}."
        )
    expected = limit.deadline(reported, calendar)
    if due != expected:
        problems.append(
            f"the {what} deadline is {due.isoformat(' ')}, but {limit.describe()} from the "
            f"report at {reported.isoformat(' ')} is {expected.isoformat(' ')}."
        )
    if (deadline.start, deadline.basis, deadline.limit) != (reported, limit.basis, limit):
        problems.append(
            f"the {what} deadline records start {deadline.start.isoformat(' ')}, basis "
            f"{deadline.basis!r} and limit {deadline.limit!r}, but it was set by "
            f"{limit.describe()} ({limit.basis}) from the report at {reported.isoformat(' ')}."
        )
    if deadline.source != f"rule:{rule.id}":
        problems.append(
            f"the {what} deadline records its source as {deadline.source!r}, but it was set by "
            f"rule {rule.id!r} ('rule:{rule.id}')."
        )
    if deadline.pauses:
        problems.append(f"a new {what} deadline has pauses: {list(deadline.pauses)!r:.200}.")
    return problems


def check_routing(
    rules: RuleSet,
    grid: GridGraph,
    issue: Issue,
    *,
    matrix: ResponsibilityMatrix,
    calendar: WorkCalendar | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    residents: ResidentFiles | Mapping[str, Resident] | Iterable[Resident] | None = None,
    unlocated_at: str | None = None,
) -> Assignment | None:
    """Route *issue* with *rules* and *matrix* on *grid*, and check the routing invariants.

    The check builds a :class:`~gridgov.Router` from the arguments, routes the issue with
    :meth:`~gridgov.Router.route` and :meth:`~gridgov.Router.route_many`, and checks the
    result against the rules, the matrix and the calendar read directly:

    * **Routing is total.**  The router accepts the rules and the matrix on the grid, and an
      issue located in the grid (at one of its places or units) with a category of the
      catalogue is routed without an exception, and so is an unlocated issue (待定位) when
      the router knows where to put it (*unlocated_at*, or the grid's only top-tier unit).
      An issue that is *not* located in the grid, an unlocated one the router has nowhere
      for, or one whose category is not in the catalogue must be refused with a
      :class:`~gridgov.GridGovError`: nothing is routed to a guess.
    * **The first matching rule fires**, matching as the rule says (categories and the
      categories refining them, severity range, channel, the resident's conditions in force
      on the day of the report, the predicate).
    * **The owner is on the chain** of units above the issue's place or unit (or above the
      unit unlocated issues are put at), never below the unit the rule starts at (its start
      tier above the issue, or the issue's own unit); the assignment carries that chain.
    * **The responsibility matrix is respected**: the owner may handle the category at the
      issue's severity, and no unit from the start up to the owner could have.
    * **Deadlines** are set exactly when the rule sets a time limit, are that limit counted
      from the report on the calendar, are never before the report, fall in working time
      when the limit is in working time, and record the limit, its basis and the rule as
      their source (``"rule:<id>"``); a :class:`~gridgov.calendar.DeadlinePlanner` changes
      nothing.
    * **The assignment is consistent**: its issue, grid version, chain, start, owner, leader
      and ``located`` flag; its linked partners are those of the rule's kinds covering the
      issue's location and serving its category (a partner serving a broad category serves
      its refinements); its reason names the rule, the owner and the partners linked; and
      ``route_many`` agrees.

    Args:
        rules: the rule set under test.
        grid: the grid to route on.
        issue: the issue to route.
        matrix: the responsibility matrix (权责清单).
        calendar: the working calendar (default: the router's, Monday to Friday office hours
            in China Standard Time).
        catalogue: the category catalogue.
        residents: personal files — a :class:`~gridgov.ResidentFiles`, a mapping by id or
            an iterable of files — for rules whose match reads them.
        unlocated_at: the unit the router puts unlocated issues at (default: the grid's only
            top-tier unit).

    Returns:
        The assignment, or ``None`` for an issue that was rightly refused.

    Raises:
        AssertionError: if an invariant fails, explaining the counterexample in domain terms.
        TypeError: if an argument has the wrong type, or the personal files are not one file
            per resident id (a misuse, not a broken invariant).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import (CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter,
        ...                      Responsibility, ResponsibilityMatrix)
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.checks import check_routing
        >>> hazard = Issue(id="i-7", category="safety_hazard", severity=3,
        ...                channel=Channel.HOTLINE, place="h-1001",
        ...                reporter=Reporter.resident("r-1"),
        ...                reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
        >>> check_routing(DEFAULT_RULES, sample_grid(), hazard, matrix=DEFAULT_MATRIX).unit
        'yx'

        A 权责清单 that drops the top tier's catch-all flag without giving the community a
        line for every category leaves issues without an owner, and the check says so:

        >>> narrow = ResponsibilityMatrix(name="disputes only", top_catch_all=False, entries=[
        ...     Responsibility(tier="community", category="dispute", max_severity=4)])
        >>> check_routing(DEFAULT_RULES, sample_grid(), hazard, matrix=narrow)
        Traceback (most recent call last):
        ...
        AssertionError: routing is not total: rule set 'default' with matrix 'disputes only' cannot route on grid version '2026-11'.
          the router refuses them: the top tier 'community' must be able to handle every category up to emergency (4) under matrix 'disputes only', so that every issue has an owner; category 'facility_repair' stops at 0.
    """
    _require("rules", rules, RuleSet, "a RuleSet")
    _require("grid", grid, GridGraph, "a GridGraph")
    _require("issue", issue, Issue, "an Issue")
    _require("matrix", matrix, ResponsibilityMatrix, "a ResponsibilityMatrix")
    _require("calendar", calendar, (WorkCalendar, type(None)), "a WorkCalendar or None")
    _require("catalogue", catalogue, CategoryCatalogue, "a CategoryCatalogue")
    _require("unlocated_at", unlocated_at, (str, type(None)), "a unit id or None")
    try:
        files = ResidentFiles.of(residents) if isinstance(residents, Mapping | None) else (
            ResidentFiles(residents)
        )
    except GridGovError as exc:
        raise TypeError(f"'residents' must be one personal file per resident id: {exc}") from None
    cal = WorkCalendar() if calendar is None else calendar

    try:
        router = Router(
            grid=grid,
            rules=rules,
            matrix=matrix,
            calendar=cal,
            catalogue=catalogue,
            unlocated_at=unlocated_at,
        )
    except GridGovError as exc:
        raise AssertionError(
            _report(
                f"routing is not total: rule set {rules.name!r} with matrix {matrix.name!r} "
                f"cannot route on grid version {grid.version!r}.",
                [f"the router refuses them: {exc}"],
            )
        ) from exc

    about = _describe_issue(issue, grid, catalogue, files, cal.tz)
    if issue.place is not None:
        located = grid.has_place(issue.place)
    elif issue.unit is not None:
        located = issue.unit in grid
    else:  # unlocated (待定位): routed from unlocated_at, or the grid's only top unit
        located = unlocated_at is not None or len(grid.roots) == 1
    known = issue.category in catalogue
    if not (located and known):
        _check_refused(router, issue, about, located=located)
        return None

    if issue.place is not None:
        chain = grid.place_chain(issue.place)
    elif issue.unit is not None:
        chain = grid.chain(issue.unit)
    elif unlocated_at is not None:
        chain = grid.chain(unlocated_at)
    else:
        chain = grid.roots
    context = [about, f"chain above it: {_chain_text(chain, grid)}"]
    try:
        a = router.route(issue, residents=files)
    except Exception as exc:
        raise AssertionError(
            _report(
                "routing is not total: an issue located in the grid was not routed.",
                context,
                [f"route() raised {type(exc).__name__}: {exc}"],
            )
        ) from exc
    expected_rule = next(r for r in rules.rules if _matches(r, issue, catalogue, files, cal.tz))
    context += [
        f"first matching rule: {expected_rule.id!r} ({expected_rule.match.describe().en})",
        f"assignment: {_unit_id(a.unit, grid)} by rule {a.rule!r}, started at "
        + _unit_id(a.start_unit, grid),
    ]
    problems = _assignment_problems(a, router, issue, chain, expected_rule)
    try:
        planned = router.route(issue, residents=files, planner=DeadlinePlanner(cal, size=8))
    except Exception as exc:
        problems.append(f"route() with a DeadlinePlanner raised {type(exc).__name__}: {exc}")
    else:
        if planned != a:
            problems.append(
                f"route() with a DeadlinePlanner gives {planned!r:.300}, but without one "
                f"{a!r:.300}: a planner is a cache and must not change an answer."
            )
    try:
        many = list(router.route_many([issue], residents=files))
    except Exception as exc:
        problems.append(f"route_many() raised {type(exc).__name__}: {exc}")
    else:
        compact = (a.issue, a.unit, a.rule, a.moved_by_matrix)
        if len(many) != 1 or tuple(many[0]) != compact:
            problems.append(
                f"route_many() gives {[tuple(r) for r in many]}, but route() gives {[compact]}."
            )
    if problems:
        raise AssertionError(
            _report(f"routing of issue {issue.id!r} breaks an invariant.", context, problems)
        )
    return a


def _check_refused(router: Router, issue: Issue, about: str, *, located: bool) -> None:
    """An issue outside the grid or the catalogue must be refused, by route and route_many."""
    grid = router.grid
    if located:
        why = f"its category is not in catalogue {router.catalogue.name!r}"
    elif issue.place is None and issue.unit is None:
        why = f"it is unlocated and grid version {grid.version!r} has no single top unit"
    else:
        why = (
            f"its {'place' if issue.place is not None else 'unit'} is not in grid version "
            f"{grid.version!r}"
        )
    for name, call in (
        ("route()", lambda: router.route(issue)),
        ("route_many()", lambda: list(router.route_many([issue]))),
    ):
        try:
            result = call()
        except GridGovError:
            continue
        except Exception as exc:
            raise AssertionError(
                _report(
                    f"bad input must be refused with a GridGovError: {why}.",
                    [about],
                    [f"{name} raised {type(exc).__name__}: {exc}"],
                )
            ) from exc
        raise AssertionError(
            _report(
                f"nothing may be routed to a guess: {why}.",
                [about],
                [f"{name} routed it anyway: {result!r:.300}"],
            )
        )


def _assignment_problems(
    a: Assignment,
    router: Router,
    issue: Issue,
    chain: tuple[GridUnit, ...],
    expected: RoutingRule,
) -> list[str]:
    rule = expected
    grid, matrix, catalogue = router.grid, router.matrix, router.catalogue
    severity, category = issue.severity, issue.category
    cat = catalogue[category].describe()
    problems: list[str] = []
    if a.issue != issue.id:
        problems.append(f"the assignment is for issue {a.issue!r}, not {issue.id!r}.")
    if a.grid_version != grid.version:
        problems.append(
            f"the assignment names grid version {a.grid_version!r}, not {grid.version!r}."
        )

    # The rule.  The rest is checked against the rule that fired, if it is one of the set,
    # so that one wrong rule is reported once rather than as a cascade of wrong deadlines.
    rule_ids = [r.id for r in router.rules.rules]
    if a.rule not in rule_ids:
        problems.append(f"rule {a.rule!r}, named by the assignment, is not in the rule set.")
    elif a.rule != expected.id:
        rule = router.rules.rules[rule_ids.index(a.rule)]
        if rule_ids.index(a.rule) > rule_ids.index(expected.id):
            problems.append(
                f"rule {a.rule!r} fired, but rule {expected.id!r} comes before it and matches "
                "this issue: the first matching rule must win."
            )
        else:
            problems.append(
                f"rule {a.rule!r} ({rule.match.describe().en}) fired, but it does not match this "
                f"issue; the first rule that matches is {expected.id!r}."
            )

    # The start and the owner on the chain.
    ids = [u.id for u in chain]
    start = _start_index(rule, chain, grid)
    start_text = (
        "where the issue is located"
        if rule.start_tier is None
        else f"at tier {rule.start_tier!r} above the issue"
    )
    if a.start_unit != ids[start]:
        problems.append(
            f"rule {rule.id!r} starts {start_text}, at {_unit(chain[start], grid)}, but the "
            f"assignment says it started at {_unit_id(a.start_unit, grid)}."
        )

    def limit(unit: GridUnit) -> int:
        return matrix.limit(
            tier=unit.tier, unit=unit.id, category=category, catalogue=catalogue, scheme=grid.scheme
        )

    owner_index = next((i for i in range(start, len(chain)) if limit(chain[i]) >= severity), None)
    if owner_index is None:
        problems.append(
            f"no unit from {_unit(chain[start], grid)} up to the top may handle {cat} at "
            f"{severity.zh} {severity.label} under matrix {matrix.name!r}: the issue has no owner."
        )
    if a.unit not in ids:
        if a.unit not in grid:
            where = "is not a unit of the grid"
        elif any(u.id == ids[0] for u in grid.chain(a.unit)[1:]):
            where = "is below the issue's location: routing never moves an issue down"
        else:
            where = "is beside the issue's chain: routing never moves an issue sideways"
        problems.append(
            f"the responsible unit {_unit_id(a.unit, grid)} {where}; it must be on the chain "
            "above the issue."
        )
    else:
        at = ids.index(a.unit)
        owner = chain[at]
        if at < start:
            problems.append(
                f"the responsible unit {_unit(owner, grid)} is below {_unit(chain[start], grid)}, "
                f"where rule {rule.id!r} starts: routing only moves an issue up from its start."
            )
        if limit(owner) < severity:
            problems.append(
                f"under matrix {matrix.name!r}, {_unit(owner, grid)} {_limit_text(limit(owner))} "
                f"for {cat}, so it may not own an issue of severity {severity.zh} "
                f"{severity.label} ({int(severity)})."
            )
        for skipped in chain[start:at]:
            if limit(skipped) >= severity:
                problems.append(
                    f"under matrix {matrix.name!r}, {_unit(skipped, grid)} "
                    f"{_limit_text(limit(skipped))} for {cat}, so the issue should have stopped "
                    f"there instead of going up to {_unit(owner, grid)}."
                )
                break
        if a.tier != owner.tier or a.unit_name != owner.name:
            problems.append(
                f"the assignment describes the owner as {a.unit_name!r} of tier {a.tier!r}, but "
                f"{owner.id!r} is {owner.name!r} of tier {owner.tier!r}."
            )
        leader = grid.leader(owner.id)
        expected_leader = (None, None) if leader is None else (leader.id, leader.name)
        if (a.leader, a.leader_name) != expected_leader:
            problems.append(
                f"the assignment names leader {a.leader!r} ({a.leader_name}), but the leader of "
                f"{_unit(owner, grid)} is {expected_leader[0]!r} ({expected_leader[1]})."
            )
    if tuple(a.chain) != tuple(chain):
        problems.append(
            f"the assignment's chain is {_chain_text(a.chain, grid)}, but the issue is routed "
            f"along {_chain_text(chain, grid)}."
        )
    located = issue.place is not None or issue.unit is not None
    if a.located != located:
        problems.append(f"the assignment says located={a.located}, but the issue's is {located}.")
    if a.moved_by_matrix != (a.unit != a.start_unit):
        problems.append(
            f"moved_by_matrix is {a.moved_by_matrix}, but the owner {a.unit!r} "
            f"{'differs from' if a.unit != a.start_unit else 'is'} the start unit "
            f"{a.start_unit!r}."
        )

    # Linked partners (联动).
    linked = {
        p.id
        for p in grid.partners_for(chain[0].id, category, catalogue=catalogue)
        if rule.link and p.kind in rule.link
    }
    if set(a.partners) != linked or len(a.partners) != len(set(a.partners)):
        kinds = "/".join(sorted(k.zh for k in rule.link)) or "no partner kinds"
        problems.append(
            f"the assignment links partners {sorted(a.partners)}, but rule {rule.id!r} links "
            f"{kinds}, and the partners of those kinds covering {_unit(chain[0], grid)} and "
            f"serving {cat} are {sorted(linked)}."
        )

    # The reason (every decision explains itself): the rule, the owner, the partners.
    reason = a.reason
    if not (reason.zh and reason.en):
        problems.append(f"the reason must be given in Chinese and English (got {reason!r:.200}).")
    if reason.ids("rule") != (a.rule,):
        problems.append(
            f"the reason names rules {list(reason.ids('rule'))}, but rule {a.rule!r} fired."
        )
    if a.unit not in reason.ids("unit"):
        problems.append(
            f"the reason names units {list(reason.ids('unit'))}, but not the responsible unit "
            f"{a.unit!r}."
        )
    if reason.ids("partner") != tuple(a.partners):
        problems.append(
            f"the reason names partners {list(reason.ids('partner'))}, but the assignment "
            f"links {list(a.partners)}."
        )

    # Deadlines.
    cal = router.calendar
    problems += _deadline_problems("accept-by", rule.accept_within, a.accept_by, rule, issue, cal)
    problems += _deadline_problems(
        "resolve-by", rule.resolve_within, a.resolve_by, rule, issue, cal
    )
    return problems


# --------------------------------------------------------------------------- escalation

_CLOCKS = (("accept_by", "立案时限 accept"), ("resolve_by", "办结时限 resolve"))
_OVERDUE = {Trigger.ACCEPT_OVERDUE: "accept_by", Trigger.RESOLVE_OVERDUE: "resolve_by"}


def _when(moment: datetime | None) -> str:
    return "none" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _owner_text(case: Case, grid: GridGraph) -> str:
    if case.beyond:
        return f"{case.owner_name} {case.owner!r} (beyond the grid 网格之外)"
    return _unit_id(case.owner, grid)


def _clock_text(deadline: Deadline | None, cal: WorkCalendar) -> str:
    if deadline is None:
        return "none"
    text = f"due {_when(deadline.due)}"
    if deadline.pauses:
        text += f" ({_when(deadline.effective(cal))} with suspended time given back)"
    return text + f", started {_when(deadline.start)}"


def _describe_case(case: Case, policy: EscalationPolicy, grid: GridGraph) -> list[str]:
    s = case.severity
    issue = case.issue
    return [
        (
            f"case {case.id!r} (issue {issue.id!r}: {issue.category}, {s.zh} {s.label}), filed with "
            f"{_unit_id(case.accountable, grid)} on grid version {case.grid_version!r}"
        ),
        f"policy {policy.name!r}, beyond the grid: {policy.beyond.name} {policy.beyond.id!r}",
    ]


def _climbed(case: Case) -> int:
    """Escalations since the case was last filed (opened or returned for re-routing)."""
    n = 0
    for event in case.events:
        if isinstance(event, CaseOpened | Returned):
            n = 0
        elif isinstance(event, Escalated):
            n += 1
    return n


def _owner_problems(case: Case, policy: EscalationPolicy, grid: GridGraph) -> list[str]:
    """Exactly one owner: the unit at the case's position on its chain, or the external
    body."""
    if not case.is_open:
        return []
    chain, position, problems = case.chain, case.position, []
    if case.beyond:
        if case.owner != policy.beyond.id or position != len(chain):
            problems.append(
                f"the case is beyond the grid, so its one owner must be {policy.beyond.name} "
                f"{policy.beyond.id!r} at position {len(chain)}; it is {case.owner!r} at "
                f"position {position}."
            )
    elif not 0 <= position < len(chain) or chain[position].id != case.owner:
        where = chain[position].id if 0 <= position < len(chain) else "nothing"
        problems.append(
            f"the case names {case.owner!r} as its owner, but its position {position} on the "
            f"chain points at {where!r}: a case has exactly one owner at a time."
        )
    elif case.owner not in grid:
        problems.append(f"the owner {case.owner!r} is not a unit of the grid.")
    elif chain[0].id not in grid or [u.id for u in grid.chain(chain[0].id)] != [
        u.id for u in chain
    ]:
        problems.append(
            f"the case's chain {[u.id for u in chain]} is not the chain of units above "
            f"{chain[0].id!r} in the grid."
        )
    timeline = case.timeline()
    if timeline and timeline[-1].owner != case.owner:
        problems.append(
            f"the timeline leaves the case with {timeline[-1].owner!r}, but the case says its "
            f"owner is {case.owner!r}: a case has exactly one owner at a time."
        )
    return problems


def _move_problems(
    before: Case, event: CaseEvent, after: Case, policy: EscalationPolicy, grid: GridGraph
) -> list[str]:
    """Ownership moves only one step up the chain, by an escalation, or by a return."""
    problems: list[str] = []
    moved = (after.owner, after.position, after.chain, after.beyond) != (
        before.owner,
        before.position,
        before.chain,
        before.beyond,
    )
    if isinstance(event, Escalated):
        if before.beyond:
            return [
                (
                    f"the case was already beyond the grid with {before.owner_name}, yet it was "
                    f"escalated again to {after.owner!r}: no escalation is possible after beyond."
                )
            ]
        up = before.position + 1
        if up < len(before.chain):
            parent = before.chain[up]
            expected, name, beyond = parent.id, _unit(parent, grid), False
        else:
            expected, name, beyond = policy.beyond.id, policy.beyond.name, True
        if after.owner == expected and after.beyond == beyond:
            return problems
        if after.owner == before.owner:
            how = "it stayed with the same owner"
        elif after.beyond or after.owner not in grid:
            how = f"it went to {after.owner!r}, which is not the policy's body beyond the grid"
        elif before.owner in {u.id for u in grid.chain(after.owner)[1:]}:
            how = f"it went down to {_unit_id(after.owner, grid)}: escalation never goes down"
        elif after.owner in {u.id for u in before.chain[up:]}:
            how = f"it skipped a tier to {_unit_id(after.owner, grid)}"
        else:
            how = (
                f"it went sideways to {_unit_id(after.owner, grid)}, beside the chain: "
                "escalation never goes sideways"
            )
        problems.append(
            f"escalation (上报) from {_owner_text(before, grid)} must go one step up, to {name} "
            f"{expected!r}{' beyond the grid' if beyond else ''}; {how}."
        )
    elif isinstance(event, Returned):
        if before.beyond:
            problems.append("a case beyond the grid was returned for re-routing.")
        target = event.chain[event.position]
        if after.position != event.position or after.owner != target.id:
            problems.append(
                f"a case returned for re-routing (退回改派) must go to {target.id!r} at "
                f"position {event.position} of its new chain; it is with {after.owner!r} at "
                f"position {after.position}."
            )
    elif moved and not isinstance(event, CaseOpened):
        problems.append(
            f"{type(event).__name__} moved the case from {_owner_text(before, grid)} to "
            f"{_owner_text(after, grid)}: only an escalation (up) or a return for re-routing "
            "(退回改派) may change the owner."
        )
    return problems


def _clock_problems(
    before: Case,
    event: CaseEvent,
    after: Case,
    policy: EscalationPolicy,
    grid: GridGraph,
    *,
    keep_resolve_by: bool,
) -> list[str]:
    """SLA clocks are monotone; suspended time is never counted."""
    cal = policy.calendar
    problems: list[str] = []
    at = event.at
    if isinstance(event, Escalated) and not before.beyond:
        tier = None if after.beyond or after.owner not in grid else grid.unit(after.owner).tier
        expected = policy.deadlines(
            tier=tier, category=before.issue.category, severity=before.severity, start=at
        )
        sla = policy.sla_for(tier=tier, category=before.issue.category, severity=before.severity)
        rule = "no SLA" if sla is None else f"SLA {sla.describe()!r}"
        for (name, label), want in zip(_CLOCKS, expected, strict=True):
            got: Deadline | None = getattr(after, name)
            if got is not None and got.start != at:
                problems.append(
                    f"the new owner's {label} clock starts at {_when(got.start)}, not at the "
                    f"escalation at {_when(at)}: a new tier's clock is reset when it takes the "
                    "case, never backdated."
                )
            elif (got is None) != (want is None) or (
                got is not None
                and want is not None
                and (got.due, got.basis) != (want.due, want.basis)
            ):
                problems.append(
                    f"the new owner's {label} deadline is "
                    f"{'none' if got is None else _when(got.due)}, but the policy gives tier "
                    f"{tier or 'beyond'} {rule}: {'none' if want is None else _when(want.due)}."
                )
        old, new = before.resolve_by, after.resolve_by
        if keep_resolve_by and old is not None and new is not None:
            running = old.effective(cal)
            if running > at and new.due < running:
                problems.append(
                    f"SLA goes backwards (时限倒退): escalated at {_when(at)} to "
                    f"{_owner_text(after, grid)}, the resolve deadline moves earlier, from "
                    f"{_when(running)} to {_when(new.due)} ({rule}); a higher tier must get "
                    "at least the time the case still had."
                )
        trigger_clock = _OVERDUE.get(event.trigger)
        if trigger_clock is not None:
            clock: Deadline | None = getattr(before, trigger_clock)
            due = None if clock is None else clock.effective(cal)
            stopped = trigger_clock == "accept_by" and before.status is not CaseStatus.REPORTED
            if due is None or at <= due or stopped:
                why = (
                    "there was no such deadline"
                    if due is None
                    else "its clock had stopped (the case was accepted)"
                    if stopped
                    else f"the deadline, with suspended time given back, was {_when(due)}"
                )
                problems.append(
                    f"escalated at {_when(at)} as {event.trigger.zh} {event.trigger.label}, but "
                    f"{why}: suspended time must never count against the SLA."
                )
            elif event.due != due:
                problems.append(
                    f"escalated as {event.trigger.zh} {event.trigger.label}, the event records "
                    f"the deadline missed as {_when(event.due)}, but it was {_when(due)} (with "
                    "suspended time given back): the event must say which deadline was missed."
                )
        return problems
    for name, label in _CLOCKS:
        old_clock: Deadline | None = getattr(before, name)
        new_clock: Deadline | None = getattr(after, name)
        reset_by = getattr(event, name, None) if isinstance(event, Returned) else None
        if name == "resolve_by" and isinstance(event, VerificationFailed | ResidentDissatisfied):
            reset_by = event.resolve_by
        if reset_by is not None:  # a fresh clock for a new owner, or for rework
            if new_clock is None or new_clock.start != at:
                problems.append(
                    f"{type(event).__name__} resets the {label} clock, so it must start at "
                    f"{_when(at)}; it is {_clock_text(new_clock, cal)}."
                )
            continue
        if old_clock is None:
            if new_clock is not None:
                problems.append(
                    f"{type(event).__name__} started a {label} clock ({_clock_text(new_clock, cal)}) "
                    "without a new owner or rework."
                )
            continue
        if new_clock is None:
            problems.append(
                f"{type(event).__name__} dropped the {label} deadline "
                f"({_clock_text(old_clock, cal)}): an SLA clock may not vanish."
            )
            continue
        if isinstance(event, ExtensionGranted) and name == "resolve_by":
            # The approver sets the new due moment as the case stands: a new clock from the
            # grant, due later than the old one.
            if new_clock.start != at or new_clock.due <= old_clock.due or new_clock.pauses:
                problems.append(
                    f"the extension (批准延期) must set a resolve deadline starting at the grant "
                    f"({_when(at)}), due later than {_when(old_clock.due)}; it is "
                    f"{_clock_text(new_clock, cal)}."
                )
            continue
        was, now = old_clock.effective(cal), new_clock.effective(cal)
        if (
            new_clock.start != old_clock.start
            or new_clock.due != old_clock.due
            or new_clock.pauses[: len(old_clock.pauses)] != old_clock.pauses
            or now < was
        ):
            problems.append(
                f"SLA goes backwards (时限倒退): {type(event).__name__} at {_when(at)} moved the "
                f"{label} deadline from {_clock_text(old_clock, cal)} to "
                f"{_clock_text(new_clock, cal)}; between resets a clock only gains time given "
                "back for suspension."
            )
            continue
        if isinstance(event, Resumed) and before.paused_since is not None:
            counts = name == "resolve_by" or before.suspended_from is CaseStatus.REPORTED
            given = old_clock.paused(before.paused_since, at) if counts else old_clock
            if new_clock != given:
                problems.append(
                    f"the case was suspended (挂起) from {_when(before.paused_since)} to "
                    f"{_when(at)}, but the {label} deadline is {_clock_text(new_clock, cal)}, "
                    f"not {_clock_text(given, cal)}: suspended time must never be counted."
                )
    return problems


def check_escalation(
    policy: EscalationPolicy,
    grid: GridGraph,
    case: Case,
    events: Iterable[CaseEvent],
    *,
    keep_resolve_by: bool = True,
) -> Case:
    """Apply *events* to *case* one by one and check the escalation invariants after each.

    Events the lifecycle refuses (:class:`~gridgov.errors.InvalidTransitionError`) are
    skipped, as an application would drop them: the case is unchanged by them, and the
    check goes on with the next event.  So a history drawn by
    :func:`gridgov.testing.strategies.event_sequences`, or events your own code builds (a
    custom sweep, your own :class:`~gridgov.cases.Escalated` events), can be fed in as they
    are.  After every accepted event it checks:

    * **Ownership only moves up.**  An :class:`~gridgov.cases.Escalated` event moves the case
      exactly one step up its chain — to the owner's parent, or from the top tier to the
      policy's body beyond the grid — never sideways, down, or skipping a tier.  Only a
      :class:`~gridgov.cases.Returned` event (退回改派, re-routing) moves it elsewhere, to the
      foot of its new chain; no other event changes the owner.
    * **Escalation terminates.**  Since the case was last filed (opened or returned) it is
      escalated at most depth + 1 times (the depth of the unit it was filed with): beyond the
      grid after that, and never escalated again once beyond.
    * **One owner at a time.**  An open case is owned by exactly the unit at its position on
      its chain (a chain of the grid), or by the external body once beyond; its timeline
      agrees.
    * **SLA clocks are monotone.**  Between resets, a clock's start and nominal due moment
      never change and its effective deadline (suspended time given back, on the policy's
      calendar) never moves earlier; a clock never appears or vanishes; a granted extension
      sets a resolve deadline due later, its clock starting at the grant.  A *reset* is a fresh clock started at the moment of
      the event that sets it: an escalation (the new tier's clocks, exactly as the policy's
      SLA for that tier gives them), a return for re-routing that sets a deadline, or rework
      (a failed verification or a dissatisfied resident) that sets a resolve deadline.  With
      ``keep_resolve_by`` (the default) an escalation may not pull a running resolve deadline
      earlier: the higher tier gets at least the time the case still had.
    * **Suspended time is never counted.**  Resuming a suspended case gives back the
      suspension on its running clocks (the accept clock only if it was suspended before
      acceptance), and an escalation for an overdue accept or resolve deadline happens only
      after that deadline with suspended time given back, and records it as the deadline
      missed.

    Args:
        policy: the escalation policy under test.
        grid: the grid the case lives on.
        case: the case before the events (e.g. just opened).
        events: the events to apply, in order.
        keep_resolve_by: whether an escalation must keep a running resolve deadline at least
            as late as it was; pass ``False`` for a policy in which a higher tier may have
            less time.

    Returns:
        The case after the accepted events.

    Raises:
        AssertionError: if an invariant fails, explaining the counterexample in domain terms.
        TypeError: if an argument has the wrong type (a misuse, not a broken invariant).

    Example:
        >>> from datetime import datetime, timedelta
        >>> from gridgov import CST, Channel, Issue, Reporter, TimeLimit
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.escalation import (EscalationPolicy, ExternalBody, Sla, escalate,
        ...                                 escalation_for)
        >>> from gridgov.testing.checks import check_escalation
        >>> grid, t = sample_grid(), datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
        >>> opened = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
        ...     chain=grid.place_chain("h-1001"), grid_version=grid.version)])
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="淮河路街道"),
        ...     slas=[Sla(tier="community", resolve_within=TimeLimit.natural_hours(2))])
        >>> def up(case):
        ...     return escalate(case, escalation_for(case, policy, at=t), policy, actor="m-li")
        >>> check_escalation(policy, grid, opened, up(up(opened)).events[1:]).owner
        'yx'
    """
    _require("policy", policy, EscalationPolicy, "an EscalationPolicy")
    _require("grid", grid, GridGraph, "a GridGraph")
    _require("case", case, Case, "a Case")
    _require("keep_resolve_by", keep_resolve_by, bool, "True or False")
    context = _describe_case(case, policy, grid)
    problems = _owner_problems(case, policy, grid)
    if problems:
        raise AssertionError(
            _report(
                f"case {case.id!r} breaks an escalation invariant before any event.",
                context,
                problems,
            )
        )
    current = case
    for n, event in enumerate(events, 1):
        _require(f"events[{n - 1}]", event, CaseEvent, "a CaseEvent")
        try:
            after = apply_event(current, event)
        except InvalidTransitionError:
            continue  # refused by the lifecycle: the case is unchanged
        problems = _move_problems(current, event, after, policy, grid)
        if not problems:
            problems = _owner_problems(after, policy, grid)
        if isinstance(event, Escalated) and not problems:
            depth = (
                grid.depth(after.chain[0].id) if after.chain[0].id in grid else len(after.chain) - 1
            )
            climbed = _climbed(after)
            if climbed > depth + 1 or (climbed == depth + 1 and not after.beyond):
                problems.append(
                    f"escalated {climbed} times since it was filed with "
                    f"{_unit_id(after.chain[0].id, grid)} (depth {depth}), yet "
                    f"{'still escalating' if after.beyond else 'not beyond the grid'}: escalation "
                    "must reach beyond the grid in at most depth + 1 steps and stop there."
                )
        problems += _clock_problems(
            current, event, after, policy, grid, keep_resolve_by=keep_resolve_by
        )
        if problems:
            steps = [f"  {step.describe().zh}" for step in current.timeline()[-8:]]
            raise AssertionError(
                _report(
                    f"event {n} ({event.zh} {event.label}) breaks an escalation invariant of "
                    f"case {current.id!r}.",
                    [
                        *context,
                        "timeline before it (latest last):",
                        *steps,
                        f"the event: {event.describe().zh}",
                        (
                            f"owner before: {_owner_text(current, grid)}; after: "
                            f"{_owner_text(after, grid)}"
                        ),
                    ],
                    problems,
                )
            )
        current = after
    return current


# --------------------------------------------------------------------------- visits


def _freq(f: Frequency) -> str:
    return f"{f.zh} {f.label}"


def _rule_text(rule: VisitRule) -> str:
    return f"rule {rule.id!r} ({_freq(rule.frequency)}, {rule.who.describe().en})"


def _describe_resident(resident: Resident, day: date) -> str:
    if resident.birth_date > day:
        return f"resident {resident.id!r} ({resident.name}), not yet born on {day.isoformat()}"
    kinds = sorted(resident.conditions_on(day))
    text = (
        f"resident {resident.id!r} ({resident.name}), age {resident.age_on(day)} on "
        f"{day.isoformat()}, conditions in force: {', '.join(kinds) or 'none'}"
    )
    if resident.tags:
        text += f", tags: {', '.join(sorted(resident.tags))}"
    if resident.file_opened is not None:
        text += f", file opened {resident.file_opened.isoformat()}"
    return text


def _month_end(day: date, months: int) -> date:
    """The last day of the month *months* after *day*'s month."""
    first = date(day.year, day.month, 1) + relativedelta(months=months)
    return date(first.year, first.month, _calendar.monthrange(first.year, first.month)[1])


def _month_end_days(day: date) -> list[date]:
    """The 29th, 30th and 31st of *day*'s month that exist."""
    last = _calendar.monthrange(day.year, day.month)[1]
    return [date(day.year, day.month, d) for d in range(29, last + 1)]


def _month_end_problems(rule: VisitRule, day: date) -> list[str]:
    """An interval frequency's next due date after a visit on a month end is where it must be."""
    f = rule.frequency
    if f.is_calendar:
        return []
    problems = []
    for visit in _month_end_days(day):
        due = f.next_after(visit)
        if f.unit is FrequencyUnit.MONTH:
            latest = _month_end(visit, f.every)
            ok = due is not None and (due.year, due.month) == (latest.year, latest.month)
            expected = f"in the month ending {latest.isoformat()} (clamped to its last day)"
        else:
            step = f.every * (7 if f.unit is FrequencyUnit.WEEK else 1)
            ok = due == visit + timedelta(days=step)
            expected = (visit + timedelta(days=step)).isoformat()
        if not ok:
            problems.append(
                f"month ends are not safe for {_rule_text(rule)}: after a visit on "
                f"{visit.isoformat()} the next visit is due {due}, but it must be {expected}; "
                "a short month must never be skipped."
            )
    return problems


def check_visit_policy(
    policy: VisitPolicy, resident: Resident, day: date
) -> VisitRequirement | None:
    """Resolve *resident*'s visit frequency on *day* under *policy*, and check it.

    The check reads every rule of the policy directly and checks
    :meth:`~gridgov.visits.VisitPolicy.requirement` and :func:`~gridgov.visits.next_due`
    against it:

    * **Nothing is invented.**  When no rule matches, there is no requirement.
    * **The strictest rule wins.**  The governing rule matches, and its frequency is at least
      as strict as every matching rule's (by :attr:`~gridgov.visits.Frequency.nominal_days`),
      ties going to the rule earlier in the policy.
    * **The explanation names the winner and the others**: the requirement's ``also`` holds
      exactly the other matching rules, and its reason (Chinese, then English) names the
      winner and each of them.
    * **Month ends are safe.**  For every matching interval frequency, the due date after a
      visit on the 29th, 30th or 31st of *day*'s month is the interval later — for months,
      in the month that many months on, clamped to its last day, never skipped past it.
      And after a visit on *day* itself, :func:`~gridgov.visits.next_due` is due no later
      than the winning rule's next date.

    Args:
        policy: the visit policy under test.
        resident: the resident's personal file.
        day: the day to resolve on.

    Returns:
        The requirement, or ``None`` when no rule matches.

    Raises:
        AssertionError: if an invariant fails, explaining the counterexample in domain terms.
        TypeError: if an argument has the wrong type (a misuse, not a broken invariant).

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.testing.checks import check_visit_policy
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> check_visit_policy(DEFAULT_POLICY, lu, date(2026, 12, 20)).rule.id
        'discharged_alone'
    """
    _require("policy", policy, VisitPolicy, "a VisitPolicy")
    _require("resident", resident, Resident, "a Resident")
    if not isinstance(day, date) or isinstance(day, datetime):
        raise TypeError(f"'day' must be a datetime.date (got {type(day).__name__}).")
    matched = [r for r in policy.rules if r.matches(resident, on=day)]
    order = {r.id: i for i, r in enumerate(policy.rules)}
    context = [
        _describe_resident(resident, day),
        f"policy {policy.name!r}; rules matching: "
        + ("; ".join(_rule_text(r) for r in matched) or "none"),
    ]
    try:
        req = policy.requirement(resident, on=day)
    except Exception as exc:
        raise AssertionError(
            _report(
                "the visit frequency cannot be resolved.",
                context,
                [f"requirement() raised {type(exc).__name__}: {exc}"],
            )
        ) from exc
    problems: list[str] = []
    if not matched:
        if req is not None:
            problems.append(f"no rule matches, yet the requirement names {_rule_text(req.rule)}.")
    elif req is None:
        problems.append("rules match, yet there is no requirement: the resident would be missed.")
    else:
        win = req.rule
        context.append(f"requirement: {_rule_text(win)}; also {[r.id for r in req.also]}")
        if win.id not in {r.id for r in matched}:
            problems.append(f"the governing {_rule_text(win)} does not match the resident.")
        for r in matched:
            if r.id == win.id:
                continue
            a, b = r.frequency.nominal_days, win.frequency.nominal_days
            if a < b or (a == b and order[r.id] < order.get(win.id, len(order))):
                problems.append(
                    f"{_rule_text(r)} is stricter than the governing {_rule_text(win)} "
                    f"({a:g} < {b:g} days{'' if a < b else ', a tie that goes to the earlier rule'}"
                    "): the strictest rule must win (从严)."
                )
        others = sorted(r.id for r in matched if r.id != win.id)
        also = [r.id for r in req.also]
        if sorted(also) != others:
            problems.append(
                f"the explanation lists {also} as the other matching rules, but they are {others}."
            )
        lines = [req.reason.zh, req.reason.en]
        for rule_id in [win.id, *others]:
            if any(rule_id not in line for line in lines):
                problems.append(
                    f"the reason (Chinese, then English) does not name rule {rule_id!r}: "
                    f"{req.reason!r}."
                )
        if sorted(req.reason.ids("rule")) != sorted([win.id, *others]):
            problems.append(
                f"the reason refers to rules {list(req.reason.ids('rule'))}, but the matching "
                f"rules are {sorted([win.id, *others])}."
            )
        if not problems:
            for r in matched:
                problems += _month_end_problems(r, day)
        if not problems:
            mode = sorted(win.modes, key=lambda m: m.value)[0]
            visit = VisitRecord(
                id="check-visit",
                resident=resident.id,
                member="check",
                at=datetime.combine(day, time(12), tzinfo=CST),
                mode=mode,
            )
            item = next_due(resident, [visit], policy, on=day)
            nominal = win.frequency.next_after(day)
            if item is None:
                # Legitimate only when no matching rule has a date after the visit (a finite
                # rrule whose last occurrence the visit covered).
                going_on = [r for r in matched if r.frequency.next_after(day) is not None]
                if going_on:
                    problems.append(
                        "next_due() finds no visit due after a visit on "
                        f"{day.isoformat()}, yet {_rule_text(going_on[0])} still has dates "
                        "after it."
                    )
            elif nominal is not None and item.due > nominal:
                problems.append(
                    f"after a visit on {day.isoformat()} ({mode.value}), next_due() says the "
                    f"next visit is due {item.due.isoformat()} by "
                    f"{'a major change' if item.rule is None else repr(item.rule.id)}, later "
                    f"than {nominal.isoformat()} that the governing {_rule_text(win)} requires."
                )
    if problems:
        raise AssertionError(
            _report(
                f"visit policy {policy.name!r} breaks an invariant for resident {resident.id!r} "
                f"on {day.isoformat()}.",
                context,
                problems,
            )
        )
    return req
