"""The escalation check, :func:`check_escalation`: events applied one by one, ownership,
termination and the SLA clocks checked after each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from gridgov.calendar import Deadline, WorkCalendar
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
from gridgov.errors import InvalidTransitionError
from gridgov.escalation import EscalationPolicy
from gridgov.grid import GridGraph
from gridgov.testing.checks._report import report, require, unit_id_text, unit_text

_CLOCKS = (("accept_by", "立案时限 accept"), ("resolve_by", "办结时限 resolve"))
_OVERDUE = {Trigger.ACCEPT_OVERDUE: "accept_by", Trigger.RESOLVE_OVERDUE: "resolve_by"}


def _when(moment: datetime | None) -> str:
    return "none" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _owner_text(case: Case, grid: GridGraph) -> str:
    if case.beyond:
        return f"{case.owner_name} {case.owner!r} (beyond the grid 网格之外)"
    return unit_id_text(case.owner, grid)


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
            f"{unit_id_text(case.accountable, grid)} on grid version {case.grid_version!r}"
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
            expected, name, beyond = parent.id, unit_text(parent, grid), False
        else:
            expected, name, beyond = policy.beyond.id, policy.beyond.name, True
        if after.owner == expected and after.beyond == beyond:
            return problems
        if after.owner == before.owner:
            how = "it stayed with the same owner"
        elif after.beyond or after.owner not in grid:
            how = f"it went to {after.owner!r}, which is not the policy's body beyond the grid"
        elif before.owner in {u.id for u in grid.chain(after.owner)[1:]}:
            how = f"it went down to {unit_id_text(after.owner, grid)}: escalation never goes down"
        elif after.owner in {u.id for u in before.chain[up:]}:
            how = f"it skipped a tier to {unit_id_text(after.owner, grid)}"
        else:
            how = (
                f"it went sideways to {unit_id_text(after.owner, grid)}, beside the chain: "
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
    require("policy", policy, EscalationPolicy, "an EscalationPolicy")
    require("grid", grid, GridGraph, "a GridGraph")
    require("case", case, Case, "a Case")
    require("keep_resolve_by", keep_resolve_by, bool, "True or False")
    context = _describe_case(case, policy, grid)
    problems = _owner_problems(case, policy, grid)
    if problems:
        raise AssertionError(
            report(
                f"case {case.id!r} breaks an escalation invariant before any event.",
                context,
                problems,
            )
        )
    current = case
    for n, event in enumerate(events, 1):
        require(f"events[{n - 1}]", event, CaseEvent, "a CaseEvent")
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
                    f"{unit_id_text(after.chain[0].id, grid)} (depth {depth}), yet "
                    f"{'still escalating' if after.beyond else 'not beyond the grid'}: escalation "
                    "must reach beyond the grid in at most depth + 1 steps and stop there."
                )
        problems += _clock_problems(
            current, event, after, policy, grid, keep_resolve_by=keep_resolve_by
        )
        if problems:
            steps = [f"  {step.describe().zh}" for step in current.timeline()[-8:]]
            raise AssertionError(
                report(
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
