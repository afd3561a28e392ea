"""The routing check, :func:`check_routing`: a router built from the arguments, checked
against the rules, the matrix and the calendar read straight from the values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, tzinfo

from gridgov.calendar import Deadline, DeadlinePlanner, TimeLimit, WorkCalendar
from gridgov.errors import GridGovError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Issue
from gridgov.people import Resident, ResidentFiles
from gridgov.routing import Assignment, ResponsibilityMatrix, Router, RoutingRule, RuleSet
from gridgov.testing.checks._report import report, require, unit_id_text, unit_text


def _category(code: str, catalogue: CategoryCatalogue) -> str:
    return catalogue[code].describe() if code in catalogue else f"{code!r} (not in the catalogue)"


def _where(issue: Issue, grid: GridGraph) -> str:
    if issue.place is not None:
        if grid.has_place(issue.place):
            return f"at place {issue.place!r} in {unit_text(grid.place_unit(issue.place), grid)}"
        return f"at place {issue.place!r}"
    if issue.unit is None:
        return "unlocated (待定位)"
    return f"at unit {unit_id_text(issue.unit, grid)}"


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
    return " → ".join(unit_text(u, grid) for u in chain)


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
    require("rules", rules, RuleSet, "a RuleSet")
    require("grid", grid, GridGraph, "a GridGraph")
    require("issue", issue, Issue, "an Issue")
    require("matrix", matrix, ResponsibilityMatrix, "a ResponsibilityMatrix")
    require("calendar", calendar, (WorkCalendar, type(None)), "a WorkCalendar or None")
    require("catalogue", catalogue, CategoryCatalogue, "a CategoryCatalogue")
    require("unlocated_at", unlocated_at, (str, type(None)), "a unit id or None")
    try:
        files = (
            ResidentFiles.of(residents)
            if isinstance(residents, Mapping | None)
            else (ResidentFiles(residents))
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
            report(
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
            report(
                "routing is not total: an issue located in the grid was not routed.",
                context,
                [f"route() raised {type(exc).__name__}: {exc}"],
            )
        ) from exc
    expected_rule = next(r for r in rules.rules if _matches(r, issue, catalogue, files, cal.tz))
    context += [
        f"first matching rule: {expected_rule.id!r} ({expected_rule.match.describe().en})",
        f"assignment: {unit_id_text(a.unit, grid)} by rule {a.rule!r}, started at "
        + unit_id_text(a.start_unit, grid),
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
            report(f"routing of issue {issue.id!r} breaks an invariant.", context, problems)
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
                report(
                    f"bad input must be refused with a GridGovError: {why}.",
                    [about],
                    [f"{name} raised {type(exc).__name__}: {exc}"],
                )
            ) from exc
        raise AssertionError(
            report(
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
            f"rule {rule.id!r} starts {start_text}, at {unit_text(chain[start], grid)}, but the "
            f"assignment says it started at {unit_id_text(a.start_unit, grid)}."
        )

    def limit(unit: GridUnit) -> int:
        return matrix.limit(
            tier=unit.tier, unit=unit.id, category=category, catalogue=catalogue, scheme=grid.scheme
        )

    owner_index = next((i for i in range(start, len(chain)) if limit(chain[i]) >= severity), None)
    if owner_index is None:
        problems.append(
            f"no unit from {unit_text(chain[start], grid)} up to the top may handle {cat} at "
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
            f"the responsible unit {unit_id_text(a.unit, grid)} {where}; it must be on the chain "
            "above the issue."
        )
    else:
        at = ids.index(a.unit)
        owner = chain[at]
        if at < start:
            problems.append(
                f"the responsible unit {unit_text(owner, grid)} is below {unit_text(chain[start], grid)}, "
                f"where rule {rule.id!r} starts: routing only moves an issue up from its start."
            )
        if limit(owner) < severity:
            problems.append(
                f"under matrix {matrix.name!r}, {unit_text(owner, grid)} {_limit_text(limit(owner))} "
                f"for {cat}, so it may not own an issue of severity {severity.zh} "
                f"{severity.label} ({int(severity)})."
            )
        for skipped in chain[start:at]:
            if limit(skipped) >= severity:
                problems.append(
                    f"under matrix {matrix.name!r}, {unit_text(skipped, grid)} "
                    f"{_limit_text(limit(skipped))} for {cat}, so the issue should have stopped "
                    f"there instead of going up to {unit_text(owner, grid)}."
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
                f"{unit_text(owner, grid)} is {expected_leader[0]!r} ({expected_leader[1]})."
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
            f"{kinds}, and the partners of those kinds covering {unit_text(chain[0], grid)} and "
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
