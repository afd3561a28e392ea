"""The workflow: opening, re-routing and merging cases, above cases and escalation.

These functions need a routed :class:`~gridgov.routing.Assignment` or a
:class:`~gridgov.routing.Router`, the case lifecycle (:mod:`gridgov.cases`) and, optionally,
an :class:`~gridgov.escalation.EscalationPolicy` for the deadlines — so they live here, above
all three, and none of those modules imports another the wrong way.

* :func:`open_case` opens a case (受理) from a routed issue: it keeps the assignment's chain,
  position and deadlines as they are, or the policy's SLA deadlines where one applies, and
  links the partners the routing linked (联动).
* :func:`reroute` returns a wrongly dispatched case (退回改派) and routes it to another unit.
* :func:`merge_duplicate` merges a duplicate into the case it duplicates (并案).

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter, Router
    >>> from gridgov.demo import sample_grid
    >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    >>> issue = Issue(id="i-7", category="facility_repair", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"),
    ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
    >>> case = open_case(issue, router.route(issue), router=router, actor="m-li")
    >>> case.status.zh, case.owner, [h.id for h in case.co_handlers]
    ('已受理', 'mg31', ['p-wuye'])
"""

from __future__ import annotations

from datetime import datetime

import gridgov._validators as v
from gridgov.calendar import Deadline
from gridgov.cases import (
    Case,
    CaseEvent,
    CaseOpened,
    CoHandlerLinked,
    DuplicateMerged,
    MergedInto,
    Returned,
    apply_event,
)
from gridgov.errors import InvalidTransitionError, InvalidValueError
from gridgov.escalation import EscalationPolicy
from gridgov.issues import Issue, Severity
from gridgov.routing import Assignment, Router

__all__ = ["merge_duplicate", "open_case", "reroute"]


def _policy_deadlines(
    policy: EscalationPolicy | None, tier: str, category: str, severity: Severity, start: datetime
) -> tuple[Deadline | None, Deadline | None]:
    if policy is None:
        return None, None
    return policy.deadlines(tier=tier, category=category, severity=severity, start=start)


def open_case(
    issue: Issue,
    assignment: Assignment,
    *,
    router: Router,
    actor: str,
    at: datetime | None = None,
    policy: EscalationPolicy | None = None,
    case_id: str | None = None,
    link_partners: bool = True,
) -> Case:
    """Open a case (受理) for an issue the router assigned.

    The case keeps what the routing decided, as it is: the chain the issue was routed along
    (which starts at the unit the issue is located in, so a case routed above it still
    records where it is), the responsible unit's position in it, whether the issue is
    located, the rule and its reason, and the rule's :class:`~gridgov.calendar.Deadline` s
    (their basis and limit included; nothing is computed again).  Where a *policy* is given
    and an SLA of it applies to the responsible unit's tier, the issue's category and
    severity, each deadline the SLA sets replaces the rule's, counted from *at*; each
    deadline's ``source`` says which won (``"rule:<id>"`` or ``"sla:<name>"``).  The partners
    the routing linked become required co-handlers (联动) due at the resolve deadline, unless
    ``link_partners=False``.

    Args:
        issue: the issue.
        assignment: the router's assignment for it.
        router: the router that made the assignment (its grid names the partners; a policy
            is checked against it).
        actor: who opened the case.
        at: when (default: when the issue was reported).
        policy: an :class:`~gridgov.escalation.EscalationPolicy` whose SLAs set the
            deadlines where one applies.
        case_id: the case's id (default: the issue's id).
        link_partners: whether to link the assignment's partners as co-handlers.

    Raises:
        InvalidValueError: for an argument of the wrong type, an assignment for another
            issue or another grid version, or a deadline already past at *at*.
        PolicyError: if the policy does not agree with the router.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
        >>> from gridgov import Router
        >>> from gridgov.demo import sample_grid
        >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
        >>> issue = Issue(id="i-8", category="policy_enquiry", severity=1, channel=Channel.APP,
        ...               place="h-1001", reporter=Reporter.resident("r-9"),
        ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
        >>> case = open_case(issue, router.route(issue), router=router, actor="m-li")
        >>> case.owner, case.grid_version, case.resolve_by.basis, case.resolve_by.source
        ('mg31', '2026-11', 'working', 'rule:enquiry')
        >>> print(case.resolve_by.due)  # 3 working days from Thursday 09:00
        2026-12-01 09:00:00+08:00
        >>> open_case(issue, router.route(issue), router=router, actor="m-li",
        ...           at=datetime(2026, 12, 1, 9, 0, tzinfo=CST))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'accept_by' of CaseOpened must not be before the event at 2026-12-01T09:00:00+08:00 (got 2026-11-26T15:00:00+08:00); a deadline in the past is refused.
    """
    v.check_instance("issue", issue, Issue)
    v.check_instance("assignment", assignment, Assignment)
    v.check_instance("router", router, Router)
    v.check_ident("actor", actor)
    v.check_bool("link_partners", link_partners)
    if case_id is not None:
        v.check_ident("case_id", case_id)
    if policy is not None:
        v.check_instance("policy", policy, EscalationPolicy)
        policy.check(router)
    grid = router.grid
    assignment = assignment.in_full()  # each field it leaves to be derived, derived once
    if assignment.issue != issue.id:
        raise InvalidValueError(
            f"'assignment' is for issue {assignment.issue!r}, not for issue {issue.id!r}."
        )
    if assignment.grid_version != grid.version:
        raise InvalidValueError(
            f"'assignment' was routed on grid version {assignment.grid_version!r}, but the "
            f"router's grid is version {grid.version!r}; route the issue again."
        )
    when = issue.reported_at if at is None else v.check_aware("at", at)
    owner = assignment.chain[assignment.position]
    accept_sla, resolve_sla = _policy_deadlines(
        policy, owner.tier, issue.category, issue.severity, when
    )
    accept_by = assignment.accept_by if accept_sla is None else accept_sla
    resolve_by = assignment.resolve_by if resolve_sla is None else resolve_sla
    events: list[CaseEvent] = [
        CaseOpened(
            at=when,
            actor=actor,
            case=issue.id if case_id is None else case_id,
            issue=issue,
            chain=assignment.chain,
            position=assignment.position,
            located=assignment.located,
            grid_version=assignment.grid_version,
            rule=assignment.rule,
            reason=assignment.reason,
            accept_by=accept_by,
            resolve_by=resolve_by,
        )
    ]
    if link_partners and assignment.partners:
        names = {p.id: p.name for p in grid.partners}
        due = None if resolve_by is None else resolve_by.due
        for pid in assignment.partners:
            events.append(
                CoHandlerLinked(
                    at=when, actor=actor, handler=pid, kind="partner", name=names.get(pid, ""),
                    due=due,
                )
            )
    return Case(events=events)


def reroute(
    case: Case,
    to: str,
    *,
    router: Router,
    at: datetime,
    actor: str,
    reason: str,
    policy: EscalationPolicy | None = None,
) -> Case:
    """Return a wrongly dispatched case (退回) and re-route it to unit *to* of the router's
    grid: the case's chain becomes *to* and every unit above it.

    With a *policy*, the new unit gets the SLA for its tier, counted from *at*, for each
    deadline the SLA sets; otherwise the case keeps its deadlines.

    Raises:
        UnknownUnitError: if *to* is not a unit of the router's grid.
        InvalidTransitionError: if the case may not be returned now (see
            :class:`~gridgov.cases.Returned`).
        PolicyError: if the policy does not agree with the router.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Router
        >>> from gridgov.demo import sample_case, sample_grid
        >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
        >>> case = sample_case()
        >>> moved = reroute(case, "g1", router=router, at=case.updated_at, actor="m-g3",
        ...                 reason="住户在第一网格")
        >>> moved.owner, moved.accountable, [u.id for u in moved.chain]
        ('g1', 'mg31', ['g1', 'yx'])
    """
    v.check_instance("case", case, Case)
    v.check_instance("router", router, Router)
    v.check_ident("to", to)
    if policy is not None:
        v.check_instance("policy", policy, EscalationPolicy)
        policy.check(router)
    chain = router.grid.chain(to)
    accept_by, resolve_by = _policy_deadlines(
        policy, chain[0].tier, case.issue.category, case.severity, v.check_aware("at", at)
    )
    return apply_event(
        case,
        Returned(
            at=at,
            actor=actor,
            reason=reason,
            chain=chain,
            grid_version=router.grid.version,
            accept_by=accept_by,
            resolve_by=resolve_by,
        ),
    )


def merge_duplicate(
    duplicate: Case, into: Case, *, at: datetime, actor: str, reason: str = ""
) -> tuple[Case, Case]:
    """Merge *duplicate* into *into* (并案); both keep their timelines.

    *duplicate* gets a :class:`~gridgov.cases.MergedInto` event and ends its loop; *into*
    gets a :class:`~gridgov.cases.DuplicateMerged` event recording the duplicate's id and
    issue (which counts as another report of the same matter).  Each merge costs O(1)
    amortised, however many duplicates the case already holds.

    Returns:
        The merged duplicate and the case it was merged into, in that order.

    Raises:
        InvalidTransitionError: if either case may not take its event now, or they are the
            same case.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> from gridgov.cases import Case, CaseOpened
        >>> from gridgov.demo import sample_grid
        >>> chain, t = sample_grid().place_chain("h-1001"), datetime(2026, 11, 26, tzinfo=CST)
        >>> def filed(n):
        ...     issue = Issue(id=f"i-{n}", category="environment", severity=1,
        ...                   channel=Channel.APP, place="h-1001",
        ...                   reporter=Reporter.resident(f"r-{n}"), reported_at=t)
        ...     return Case(events=[CaseOpened(at=t, actor="m-li", case=f"c-{n}", issue=issue,
        ...                                    chain=chain, grid_version="2026-11")])
        >>> dup, kept = merge_duplicate(filed(2), filed(1), at=t, actor="m-li")
        >>> dup.status.value, dup.merged_into, kept.duplicates, len(kept.reports)
        ('merged', 'c-1', ('c-2',), 2)
    """
    v.check_instance("duplicate", duplicate, Case)
    v.check_instance("into", into, Case)
    if duplicate.id == into.id:
        raise InvalidTransitionError(f"case {into.id!r} cannot be merged into itself.")
    kept = apply_event(
        into,
        DuplicateMerged(
            at=at,
            actor=actor,
            duplicate=duplicate.id,
            issue=duplicate.issue,
            also=tuple(duplicate.reports[1:]),  # what it had taken in: nothing is lost
        ),
    )
    gone = apply_event(duplicate, MergedInto(at=at, actor=actor, into=into.id, reason=reason))
    return gone, kept
