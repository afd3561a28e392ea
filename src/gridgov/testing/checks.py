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
    ['check_routing']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.errors import GridGovError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Issue
from gridgov.people import Resident
from gridgov.routing import Assignment, ResponsibilityMatrix, Router, RoutingRule, RuleSet

__all__ = ["check_routing"]

# The module is laid out in sections, one per part of gridgov (routing, then escalation and
# visits as their checks are added), after a few shared helpers.


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
    assert issue.unit is not None
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
    if m.categories:
        code: str | None = issue.category
        covered = False
        while code is not None and not covered:
            covered = code in m.categories
            code = catalogue[code].parent
        if not covered:
            return False
    if not m.min_severity <= issue.severity <= m.max_severity:
        return False
    if m.channels and issue.channel not in m.channels:
        return False
    reads_file = (
        m.any_conditions
        or m.all_conditions
        or m.any_tags
        or m.min_age is not None
        or m.max_age is not None
    )
    if reads_file:
        resident = None if issue.resident is None else residents.get(issue.resident)
        if resident is None:
            return False  # nothing on file matches a rule that reads the file
        held = _conditions(issue, residents, tz)
        if m.any_conditions and m.any_conditions.isdisjoint(held):
            return False
        if not m.all_conditions <= held:
            return False
        day = _day(issue, tz)
        age = resident.age_on(day) if day >= resident.birth_date else -1
        if m.min_age is not None and age < m.min_age:
            return False
        if m.max_age is not None and age > m.max_age:
            return False
        if m.any_tags and m.any_tags.isdisjoint(resident.tags):
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
    deadline: datetime | None,
    rule: RoutingRule,
    issue: Issue,
    calendar: WorkCalendar,
) -> list[str]:
    if limit is None:
        if deadline is not None:
            return [
                (
                    f"the {what} deadline is {deadline.isoformat(' ')}, but rule {rule.id!r} "
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
    reported = issue.reported_at
    if deadline < reported:
        problems.append(
            f"the {what} deadline {deadline.isoformat(' ')} is before the issue was reported "
            f"({reported.isoformat(' ')})."
        )
    if limit.basis == "working" and not calendar.is_working_time(deadline):
        problems.append(
            f"the {what} deadline {deadline.isoformat(' ')} ({limit.describe()}) falls outside "
            f"working time on the calendar {calendar.describe()}."
        )
    expected = limit.deadline(reported, calendar)
    if deadline != expected:
        problems.append(
            f"the {what} deadline is {deadline.isoformat(' ')}, but {limit.describe()} from the "
            f"report at {reported.isoformat(' ')} is {expected.isoformat(' ')}."
        )
    return problems


def check_routing(
    rules: RuleSet,
    grid: GridGraph,
    issue: Issue,
    *,
    matrix: ResponsibilityMatrix,
    calendar: WorkCalendar | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    residents: Mapping[str, Resident] | Iterable[Resident] | None = None,
) -> Assignment | None:
    """Route *issue* with *rules* and *matrix* on *grid*, and check the routing invariants.

    The check builds a :class:`~gridgov.Router` from the arguments, routes the issue with
    :meth:`~gridgov.Router.route` and :meth:`~gridgov.Router.route_many`, and checks the
    result against the rules, the matrix and the calendar read directly:

    * **Routing is total.**  The router accepts the rules and the matrix on the grid, and an
      issue located in the grid (at one of its places or units) with a category of the
      catalogue is routed without an exception.  An issue that is *not* located in the grid or
      whose category is not in the catalogue must be refused with a
      :class:`~gridgov.GridGovError`: nothing is routed to a guess.
    * **The first matching rule fires**, matching as the rule says (categories and the
      categories refining them, severity range, channel, the resident's conditions in force
      on the day of the report, the predicate).
    * **The owner is on the chain** of units above the issue's place or unit, never below the
      unit the rule starts at (its start tier above the issue, or the issue's own unit).
    * **The responsibility matrix is respected**: the owner may handle the category at the
      issue's severity, and no unit from the start up to the owner could have.
    * **Deadlines** are set exactly when the rule sets a time limit, are that limit counted
      from the report on the calendar, are never before the report, and fall in working time
      when the limit is in working time.
    * **The assignment is consistent**: its issue, grid version, tier, name, leader, start
      unit and ``moved_by_matrix`` flag; its linked partners are those of the rule's kinds
      covering the issue's location and serving its category; and ``route_many`` agrees.

    Args:
        rules: the rule set under test.
        grid: the grid to route on.
        issue: the issue to route.
        matrix: the responsibility matrix (权责清单).
        calendar: the working calendar (default: the router's, Monday to Friday office hours
            in China Standard Time).
        catalogue: the category catalogue.
        residents: personal files, as a mapping by id or an iterable, for rules that match on
            conditions.

    Returns:
        The assignment, or ``None`` for an issue that was rightly refused.

    Raises:
        AssertionError: if an invariant fails, explaining the counterexample in domain terms.
        TypeError: if an argument has the wrong type (a misuse, not a broken invariant).

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

        A 权责清单 that forgets to make the community the catch-all leaves issues without an
        owner, and the check says so:

        >>> narrow = ResponsibilityMatrix(name="disputes only", entries=[
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
    if residents is None:
        files: dict[str, Resident] = {}
    elif isinstance(residents, Mapping):
        files = dict(residents)
    else:
        files = {r.id: r for r in residents}
    cal = WorkCalendar() if calendar is None else calendar

    try:
        router = Router(
            grid=grid,
            rules=rules,
            matrix=matrix,
            calendar=cal,
            catalogue=catalogue,
            residents=files,
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
    located = grid.has_place(issue.place) if issue.place is not None else issue.unit in grid
    known = issue.category in catalogue
    if not (located and known):
        _check_refused(router, issue, about, located=located)
        return None

    chain = (
        grid.place_chain(issue.place) if issue.place is not None else grid.chain(issue.unit or "")
    )
    context = [about, f"chain above it: {_chain_text(chain, grid)}"]
    try:
        a = router.route(issue)
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
        f"first matching rule: {expected_rule.id!r} ({expected_rule.match.describe()})",
        f"assignment: {_unit_id(a.unit, grid)} by rule {a.rule!r}, started at "
        + _unit_id(a.start_unit, grid),
    ]
    problems = _assignment_problems(a, router, issue, chain, expected_rule)
    try:
        many = list(router.route_many([issue]))
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
    why = (
        f"its {'place' if issue.place is not None else 'unit'} is not in grid version "
        f"{grid.version!r}"
        if not located
        else f"its category is not in catalogue {router.catalogue.name!r}"
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
                f"rule {a.rule!r} ({rule.match.describe()}) fired, but it does not match this "
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
        return matrix.limit(tier=unit.tier, unit=unit.id, category=category, catalogue=catalogue)

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
    if a.moved_by_matrix != (a.unit != a.start_unit):
        problems.append(
            f"moved_by_matrix is {a.moved_by_matrix}, but the owner {a.unit!r} "
            f"{'differs from' if a.unit != a.start_unit else 'is'} the start unit "
            f"{a.start_unit!r}."
        )

    # Linked partners (联动).
    linked = {
        p.id for p in grid.partners_for(chain[0].id, category) if rule.link and p.kind in rule.link
    }
    if set(a.partners) != linked or len(a.partners) != len(set(a.partners)):
        kinds = "/".join(sorted(k.zh for k in rule.link)) or "no partner kinds"
        problems.append(
            f"the assignment links partners {sorted(a.partners)}, but rule {rule.id!r} links "
            f"{kinds}, and the partners of those kinds covering {_unit(chain[0], grid)} and "
            f"serving {cat} are {sorted(linked)}."
        )

    # Deadlines.
    cal = router.calendar
    problems += _deadline_problems("accept-by", rule.accept_within, a.accept_by, rule, issue, cal)
    problems += _deadline_problems(
        "resolve-by", rule.resolve_within, a.resolve_by, rule, issue, cal
    )
    return problems
