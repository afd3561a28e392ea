"""The sweep: every escalation due among many cases at one moment, and duplicate candidates.

:func:`due_escalations` streams the :class:`~gridgov.escalation.Escalation` s due at a moment.
Each case carries what the sweep reads, computed when the case's state was built
(:class:`~gridgov.cases.Clocks` and :class:`~gridgov.cases.Report`), so the sweep compares
instants and counts keys; it reads "may this unit handle this category" from the router
(:meth:`~gridgov.routing.Router.limit`), the one home of that answer, and the category
hierarchy from the policy's catalogue.  :func:`candidate_duplicates` finds the open cases a
new issue may duplicate, by the same notion of "the same matter".

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Deadline, Issue, Reporter
    >>> from gridgov.cases import Case, CaseOpened
    >>> from gridgov.demo import sample_grid
    >>> from gridgov.escalation import EscalationPolicy, ExternalBody
    >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
    >>> issue = Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r"), reported_at=t)
    >>> late = Case(events=[CaseOpened(at=t, actor="m-li", case="c-1", issue=issue,
    ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11",
    ...     accept_by=Deadline(start=t, due=t.replace(hour=12)))])
    >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"))
    >>> [(e.case, e.trigger.value, e.to_name) for e in due_escalations([late], policy,
    ...                                                          at=t.replace(hour=15))]
    [('c-1', 'accept_overdue', '第三网格')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Literal

import gridgov._validators as v
from gridgov.cases import Case, Report, Trigger
from gridgov.escalation.policy import EscalationPolicy, ExternalBody
from gridgov.escalation.proposals import Escalation, propose
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import Category, CategoryCatalogue, Issue
from gridgov.routing import Router

__all__ = ["candidate_duplicates", "due_escalations"]


def due_escalations(
    cases: Iterable[Case],
    policy: EscalationPolicy,
    *,
    at: datetime,
    router: Router | None = None,
) -> Iterator[Escalation]:
    """The escalations due at *at*, for many cases at once, in the order of *cases*.

    Only active cases (reported, accepted, dispatched, in progress) not yet beyond the grid
    are considered: a suspended case's clocks are paused, a resolved one's are stopped.  For
    each case the first of the policy's triggers that fires is proposed, checked in this
    order:

    1. ``incapable`` / ``severity_raised``: with a *router*, the owner may not handle the
       case's category at its severity (:meth:`Router.limit <gridgov.routing.Router.limit>`);
       ``severity_raised`` if the severity was raised while the owner held the case.  A unit
       the router chose is never called incapable.  Without a router, ``incapable`` never
       fires and ``severity_raised`` fires for any raise while the owner held the case.
    2. ``accept_overdue`` (while reported), then ``resolve_overdue``: *at* is after the
       deadline, with suspended time given back (on the policy's calendar).
    3. ``dissatisfied``: the resident was dissatisfied ``dissatisfied_count`` times with the
       current owner.
    4. ``repeated`` (once per case): the same matter — related categories in the policy's
       catalogue — was reported ``repeat_count`` times at the same place within
       ``repeat_window`` before *at*.  Unlocated issues (待定位) are never grouped, and an
       issue about a unit as a whole is grouped only with issues about that unit.  Reports
       are counted among *cases*: each case's own and those of the duplicates merged into
       it (a merged case counts nothing, so pass the cases merged into); *cases* is read
       into a list first for this trigger, and streamed otherwise.

    Deadlines were computed when each case's state was built, so the sweep compares
    instants; working time is computed only for a case whose deadline has passed nominally
    and that was suspended since.

    Args:
        cases: the cases, any iterable.
        policy: the escalation policy.
        at: the moment of the sweep.
        router: the router the cases were routed with, for the ``incapable`` and
            ``severity_raised`` triggers; checked against the policy first
            (:meth:`EscalationPolicy.check <gridgov.escalation.EscalationPolicy.check>`).

    Raises:
        InvalidValueError: for an argument of the wrong type or a naive *at*.
        PolicyError: if the policy does not agree with the router, or a case's category is
            not in the policy's catalogue.

    Example:
        >>> from datetime import timedelta
        >>> from gridgov import DEFAULT_MATRIX, DEFAULT_RULES, Router
        >>> from gridgov.cases import SeverityRaised
        >>> from gridgov.demo import sample_case, sample_grid, sample_policy
        >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
        >>> case = sample_case()    # with 第三网格, accepted
        >>> worse = case.apply(SeverityRaised(at=case.updated_at, actor="m-g3", severity=4,
        ...                                   reason="老人昏迷"))
        >>> [(e.trigger.value, e.to_name) for e in due_escalations(
        ...     [case, worse], sample_policy(), at=case.updated_at, router=router)]
        [('severity_raised', '亚新社区')]
    """
    v.check_instance("policy", policy, EscalationPolicy)
    v.check_aware("at", at)
    if router is not None:
        policy.check(router)
    if not v.is_collection(cases):
        raise v.refuse("cases", None, "a collection of Case values", cases)
    return _sweep(cases, policy, at, router)


def _sweep(
    cases: Iterable[Case], policy: EscalationPolicy, at: datetime, router: Router | None
) -> Iterator[Escalation]:
    triggers = policy.triggers
    incapable_on = Trigger.INCAPABLE in triggers and router is not None
    raised_on = Trigger.SEVERITY_RAISED in triggers
    limits_on = router is not None and (incapable_on or raised_on)
    accept_on = Trigger.ACCEPT_OVERDUE in triggers
    resolve_on = Trigger.RESOLVE_OVERDUE in triggers
    dissatisfied_on = Trigger.DISSATISFIED in triggers
    repeat_on = Trigger.REPEATED in triggers
    dissatisfied_count = policy.dissatisfied_count
    calendar = policy.calendar
    categories: dict[str, Category] = {}
    at_ts = at.timestamp()
    repeated = Trigger.REPEATED
    limits: dict[tuple[GridUnit, str], int] = {}
    counts = _Repeats.none
    if repeat_on:
        cases = cases if isinstance(cases, list | tuple) else list(cases)
        counts = _Repeats(cases, policy, (at - policy.repeat_window).timestamp(), at_ts)
    least = policy.repeat_count
    # The keys reported often enough, with their counts: a small table, quick to probe.
    hot = {key: n for key, n in counts.exact.items() if n >= least}.get
    family, related = counts.family, counts.related

    def category(code: str) -> Category:
        found = categories.get(code)
        if found is None:
            found = categories[code] = policy.catalogue[code]
        return found

    for case in cases:
        try:
            clocks = case.clocks
        except AttributeError:
            raise v.refuse("cases", None, "a collection of Case values", case) from None
        if clocks is None:  # not active, or beyond the grid
            continue
        quiet, accept, resolve, accept_due, resolve_due, flagged, matter, code = clocks
        if quiet >= at_ts and not flagged and not incapable_on:
            # No deadline has passed and nothing else is pending: only repeats can be due.
            if repeat_on and matter is not None:
                n = related(case.report) if code in family else hot(matter, 0)
                if n >= least:
                    state = case.state
                    if repeated not in state.escalation_triggers:
                        yield propose(case, policy, repeated, at, category(code), None, n)
            continue
        state = case.state
        if limits_on and (incapable_on or flagged):
            assert router is not None
            unit = state.chain[state.position]
            limit = limits.get((unit, code))
            if limit is None:
                limit = limits[(unit, code)] = router.limit(unit, code)
            if limit < state.severity:
                raised = state.severity > state.owner_severity
                trigger = (
                    Trigger.SEVERITY_RAISED
                    if raised and raised_on
                    else Trigger.INCAPABLE
                    if incapable_on
                    else None
                )
                if trigger is not None:
                    yield propose(case, policy, trigger, at, category(code))
                    continue
        elif raised_on and router is None and state.severity > state.owner_severity:
            yield propose(case, policy, Trigger.SEVERITY_RAISED, at, category(code))
            continue
        if accept_on and accept_due < at_ts:
            assert accept is not None
            due = accept.effective(calendar) if accept.pauses else accept.due
            if due < at:
                yield propose(case, policy, Trigger.ACCEPT_OVERDUE, at, category(code), due)
                continue
        if resolve_on and resolve_due < at_ts:
            assert resolve is not None
            due = resolve.effective(calendar) if resolve.pauses else resolve.due
            if due < at:
                yield propose(case, policy, Trigger.RESOLVE_OVERDUE, at, category(code), due)
                continue
        n = state.owner_dissatisfied
        if dissatisfied_on and n >= dissatisfied_count:
            yield propose(case, policy, Trigger.DISSATISFIED, at, category(code), None, n)
            continue
        if repeat_on and matter is not None:
            n = related(case.report) if code in family else hot(matter, 0)
            if n >= least and repeated not in state.escalation_triggers:
                yield propose(case, policy, repeated, at, category(code), None, n)


class _Repeats:
    """How often each matter was reported at each place within a window.

    Reports are counted among the cases: each case's own and those of the duplicates
    merged into it (a merged case counts nothing; its report is counted by the case it was
    merged into).  Counts are kept per place and category code (:attr:`Report.key
    <gridgov.cases.Report.key>`); related categories are the same matter, so a category with
    a parent or refinements in the catalogue (its *family*) adds up the counts of the codes
    related to it at the same place.
    """

    __slots__ = ("exact", "family", "kin")

    none: _Repeats

    exact: Counter[str]
    family: frozenset[str]
    kin: dict[str, tuple[str, ...]]

    def __init__(
        self,
        cases: list[Case] | tuple[Case, ...],
        policy: EscalationPolicy,
        start: float,
        end: float,
    ) -> None:
        try:
            window = [r[3] for c in cases if (r := c.report) is not None and start < r[2] <= end]
            merged = [c.counted for c in cases if c.counted]
        except AttributeError:
            bad = next(c for c in cases if not isinstance(c, Case))
            raise v.refuse("cases", None, "a collection of Case values", bad) from None
        window += [r[3] for reports in merged for r in reports if start < r[2] <= end]
        self.exact = Counter(window)
        catalogue = policy.catalogue
        children: dict[str, list[str]] = {}
        for c in catalogue:
            for broader in catalogue.lineage(c.code)[1:]:
                children.setdefault(broader, []).append(c.code)
        kin = {
            c.code: (*catalogue.lineage(c.code), *children.get(c.code, ()))
            for c in catalogue
            if c.parent is not None or c.code in children
        }
        self.family = frozenset(kin)
        self.kin = kin

    def related(self, report: Report | None) -> int:
        """The reports at the place of *report* of its category or a related one."""
        assert report is not None  # called for a case whose clocks name its report
        exact, where = self.exact, report[0]
        return sum(exact.get(f"{where}\x1f{code}", 0) for code in self.kin[report[1]])


_Repeats.none = _Repeats((), EscalationPolicy(name="-", beyond=ExternalBody(id="-", name="-")), 0, 0)


# --------------------------------------------------------------------------- duplicates


def candidate_duplicates(
    issue: Issue,
    cases: Iterable[Case],
    *,
    grid: GridGraph,
    catalogue: CategoryCatalogue,
    window: timedelta,
    scope: Literal["place", "unit"] = "place",
) -> tuple[Case, ...]:
    """Open cases that a new *issue* may duplicate, earliest first.

    A candidate is open (not rejected, closed, evaluated or merged), reports the same matter
    (a category related to the issue's in *catalogue*: equal, or one refines the other), was
    reported within *window* of it (before or after), and is in the same place — or, with
    ``scope="unit"``, at a place in the same bottom-tier unit (as *grid* draws it).  An issue
    about a unit as a whole matches only issues about that unit, and an unlocated issue
    (待定位) matches nothing.  Merge a true duplicate with
    :func:`gridgov.workflow.merge_duplicate`.

    Raises:
        InvalidValueError: for an argument of the wrong type, a *window* that is not a
            positive timedelta, or an unknown *scope*.
        UnknownPlaceError: with ``scope="unit"``, if the issue's place is not in the grid.
        PolicyError: if a category is not in *catalogue*.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from gridgov import CST, DEFAULT_CATALOGUE, Channel, Issue, Reporter
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> grid, t = sample_grid(), datetime(2026, 11, 26, 9, 0, tzinfo=CST)
        >>> def report(n, place, hours, category="volunteer_service"):
        ...     return Issue(id=f"i-{n}", category=category, severity=1,
        ...                  channel=Channel.GROUP_CHAT, place=place,
        ...                  reporter=Reporter.resident(f"r-{n}"),
        ...                  reported_at=t + timedelta(hours=hours))
        >>> cases = [Case(events=[CaseOpened(at=i.reported_at, actor="m-li", case=f"c-{i.id}",
        ...     issue=i, chain=grid.place_chain(i.place), grid_version=grid.version)])
        ...     for i in (report(1, "h-1001", 0), report(2, "h-1002", 1))]
        >>> new = report(3, "h-1001", 3, category="housekeeping")
        >>> [c.id for c in candidate_duplicates(new, cases, grid=grid,
        ...     catalogue=DEFAULT_CATALOGUE, window=timedelta(days=1))]
        ['c-i-1']
        >>> [c.id for c in candidate_duplicates(new, cases, grid=grid,
        ...     catalogue=DEFAULT_CATALOGUE, window=timedelta(days=1), scope="unit")]
        ['c-i-1', 'c-i-2']
    """
    v.check_instance("issue", issue, Issue)
    v.check_instance("grid", grid, GridGraph)
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise v.refuse("window", None, "a positive timedelta", window)
    if scope not in ("place", "unit"):
        raise v.refuse("scope", None, "'place' or 'unit'", scope)
    if not v.is_collection(cases):
        raise v.refuse("cases", None, "a collection of Case values", cases)
    catalogue.check(issue.category)

    def where(i: Issue, *, strict: bool) -> str | None:
        if i.place is None:
            return None if i.unit is None else f"unit:{i.unit}"
        if scope == "place":
            return f"place:{i.place}"
        if strict or grid.has_place(i.place):
            return f"in:{grid.place_unit(i.place).id}"
        return None

    here = where(issue, strict=True)
    if here is None:  # unlocated: never grouped
        return ()
    found = []
    for c in cases:
        if not isinstance(c, Case):
            raise v.refuse("cases", None, "a collection of Case values", c)
        other = c.issue
        if (
            c.is_open
            and other.id != issue.id
            and abs(other.reported_at - issue.reported_at) <= window
            and where(other, strict=False) == here
            and catalogue.related(other.category, issue.category)
        ):
            found.append(c)
    return tuple(sorted(found, key=lambda c: (c.issue.reported_at, c.id)))

