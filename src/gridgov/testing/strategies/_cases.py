"""Strategies for escalation and cases: escalation policies, opened cases, and the events
tried on a case (:class:`Attempt`) or taken by it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov._time import CST
from gridgov.calendar import Deadline, TimeLimit, WorkCalendar
from gridgov.cases import (
    TRANSITIONS,
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Dispatched,
    DuplicateMerged,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    SeverityRaised,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
)
from gridgov.errors import InvalidTransitionError
from gridgov.escalation import (
    DEFAULT_TRIGGERS,
    EscalationPolicy,
    ExternalBody,
    Sla,
    escalate,
    escalation_for,
)
from gridgov.grid import GridGraph
from gridgov.issues import Channel, Issue, Reporter, ReporterKind, Severity
from gridgov.reasons import Reason
from gridgov.testing.strategies._common import (
    check_grid,
    check_int,
    check_scheme,
    check_strategy,
    check_text,
)
from gridgov.testing.strategies._time import OFFICE, time_limits
from gridgov.tiers import TierScheme

# Escalation worlds: cases open on a Monday early in January 2026, on either of two calendars
# (office hours; and the same with 2026's New Year and Spring Festival holidays and make-up
# workdays), so that working-time deadlines meet weekends and holidays.
_CASE_START = datetime(2026, 1, 5, 0, 0, tzinfo=CST)
_CASE_CALENDARS = (
    OFFICE,
    WorkCalendar(
        holidays={date(2026, 1, d) for d in range(7, 10)}
        | {date(2026, 2, d) for d in range(16, 23)},
        workdays={date(2026, 1, 10), date(2026, 2, 14)},
    ),
)
_CASE_CATEGORIES = ("dispute", "environment", "elder_care", "policy_enquiry", "complaint")
_HANDLERS = ("p-wuye", "p-police", "u-2")
_AUTOMATIC = tuple(sorted(DEFAULT_TRIGGERS, key=lambda t: t.value))
# Triggers an escalation drawn out of the blue may carry: the overdue ones are drawn only
# when the deadline has passed, so that a drawn history never cheats the clock.
_TIMELESS = tuple(t for t in Trigger if t not in (Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE))


def _check_policy(value: object) -> EscalationPolicy:
    if not isinstance(value, EscalationPolicy):
        raise InvalidArgument(f"policy={value!r:.60} must be an EscalationPolicy.")
    return value


def _check_units(grid: GridGraph) -> GridGraph:
    if not len(grid.units):
        raise InvalidArgument(f"grid version {grid.version!r} has no units to open a case on.")
    return grid


def escalation_policies(
    *,
    scheme: TierScheme | None = None,
    max_slas: int = 5,
    limits: SearchStrategy[TimeLimit] | None = None,
    triggers: SearchStrategy[frozenset[Trigger]] | None = None,
    calendars: SearchStrategy[WorkCalendar] | None = None,
) -> SearchStrategy[EscalationPolicy]:
    """Escalation policies (上报规则) with up to ``max_slas`` SLAs, an external body beyond the
    grid (which may have its own SLA), automatic triggers and counts.

    Args:
        scheme: the tier scheme whose tiers the SLAs may name (each SLA names one of its
            tiers or none); by default SLAs name no tier and apply to every tier.
        max_slas: the most SLAs (0 allows a policy without time limits).
        limits: a strategy for the SLAs' accept and resolve limits (default:
            :func:`time_limits`).
        triggers: a strategy for the set of automatic triggers (default: any subset of
            :data:`~gridgov.escalation.DEFAULT_TRIGGERS`).
        calendars: a strategy for the working calendar (default: office hours in China
            Standard Time, with or without 2026's New Year and Spring Festival holidays and
            make-up workdays).

    Policies shrink towards no SLAs, no SLA beyond the grid, no automatic triggers, the
    plain office calendar and the smallest counts and repeat window; an SLA shrinks towards
    every tier, every category and severity, and no time limits.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_slas < 0`` or an argument of the wrong
            type.

    Example:
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import escalation_policies
        >>> escalation_policies(scheme=THREE_TIER, max_slas=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_slas=-1 must be at least 0.
    """
    if scheme is not None:
        check_scheme(scheme)
    check_int("max_slas", max_slas, at_least=0)
    check_strategy("limits", limits)
    check_strategy("triggers", triggers)
    check_strategy("calendars", calendars)
    tier_names: tuple[str | None, ...] = (None,) if scheme is None else (None, *scheme.names)
    limit = time_limits() if limits is None else limits
    return _escalation_policies(
        st.lists(_slas(tier_names, limit), max_size=max_slas),
        st.none() | _slas((None,), limit),
        st.frozensets(st.sampled_from(_AUTOMATIC)) if triggers is None else triggers,
        st.sampled_from(_CASE_CALENDARS) if calendars is None else calendars,
    )


def _slas(
    tier_names: tuple[str | None, ...], limits: SearchStrategy[TimeLimit]
) -> SearchStrategy[Sla]:
    return st.builds(
        Sla,
        name=st.sampled_from(["", "网格", "社区"]),
        tier=st.sampled_from(tier_names),
        categories=st.frozensets(st.sampled_from(_CASE_CATEGORIES), max_size=2),
        min_severity=st.just(Severity.ROUTINE),
        max_severity=st.sampled_from(list(Severity)[::-1]),
        accept_within=st.none() | limits,
        resolve_within=st.none() | limits,
    )


@st.composite
def _escalation_policies(
    draw: st.DrawFn,
    slas: SearchStrategy[list[Sla]],
    beyond_sla: SearchStrategy[Sla | None],
    triggers: SearchStrategy[frozenset[Trigger]],
    calendars: SearchStrategy[WorkCalendar],
) -> EscalationPolicy:
    return EscalationPolicy(
        name=draw(st.sampled_from(["p", "网格时限", "12345"])),
        beyond=ExternalBody(
            id="beyond", name=draw(st.sampled_from(["淮河路街道", "城管局"])), sla=draw(beyond_sla)
        ),
        slas=draw(slas),
        calendar=draw(calendars),
        triggers=draw(triggers),
        repeat_count=draw(st.integers(2, 4)),
        repeat_window=timedelta(days=draw(st.integers(1, 60))),
        dissatisfied_count=draw(st.integers(1, 3)),
    )


def opened_cases(
    grid: GridGraph, policy: EscalationPolicy, *, case_id: str = "c-1", max_days: int = 60
) -> SearchStrategy[Case]:
    """Cases just opened (受理) on a unit of *grid*, with the deadlines *policy* gives it.

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy that sets the first accept and resolve deadlines.
        case_id: the case's id.
        max_days: the case is opened within this many days of Monday 5 January 2026 (CST).

    Cases shrink towards the grid's first unit, the earliest moment, a dispute (调解) and
    routine severity.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy or id.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import opened_cases
        >>> opened_cases(sample_grid(), policy=None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    _check_units(check_grid(grid))
    _check_policy(policy)
    check_text("case_id", case_id)
    check_int("max_days", max_days, at_least=0)
    return _opened_cases(grid, policy, case_id, max_days)


@st.composite
def _opened_cases(
    draw: st.DrawFn, grid: GridGraph, policy: EscalationPolicy, case_id: str, max_days: int
) -> Case:
    unit = draw(st.sampled_from(grid.units))
    start = _CASE_START + timedelta(minutes=draw(st.integers(0, max_days * 24 * 60)))
    category = draw(st.sampled_from(_CASE_CATEGORIES))
    severity = draw(st.sampled_from(list(Severity)))
    issue = Issue(
        id=f"i-{case_id}",
        category=category,
        severity=severity,
        channel=Channel.APP,
        unit=unit.id,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        reported_at=start,
    )
    accept_by, resolve_by = policy.deadlines(
        tier=unit.tier, category=category, severity=severity, start=start
    )
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="opener",
                case=case_id,
                issue=issue,
                chain=grid.chain(unit.id),
                grid_version=grid.version,
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        ]
    )


class Attempt(NamedTuple):
    """One event tried on a case by :func:`event_attempts`, and what came of it.

    Example:
        >>> from gridgov.cases import Rejected
        >>> from gridgov.demo import sample_case
        >>> case = sample_case()
        >>> tried = Attempt(case, Rejected(at=case.updated_at, actor="m", reason="x"), None)
        >>> tried.after is None  # the lifecycle refused it
        True
    """

    before: Case
    """The case before the event."""
    event: CaseEvent
    """The event tried."""
    after: Case | None
    """The case after it, or ``None`` if the lifecycle refused it."""


def _deadline(draw: st.DrawFn, at: datetime) -> Deadline | None:
    if not draw(st.booleans()):
        return None
    return Deadline(start=at, due=at + timedelta(hours=draw(st.integers(0, 96))))


def _later(draw: st.DrawFn, at: datetime, most: int = 200) -> datetime:
    return at + timedelta(hours=draw(st.integers(0, most)))


def _co_handler(draw: st.DrawFn, case: Case) -> str:
    open_ids = [h.id for h in case.co_handlers if h.is_open]
    if open_ids and bool(draw(st.booleans())):
        return draw(st.sampled_from(open_ids))
    return draw(st.sampled_from(_HANDLERS))


def _overdue(case: Case, policy: EscalationPolicy, at: datetime) -> dict[Trigger, datetime]:
    """The overdue triggers that hold at *at*, with the deadline each missed."""
    cal, out = policy.calendar, {}
    accept = case.accept_by
    if case.status is CaseStatus.REPORTED and accept is not None:
        due = accept.effective(cal)
        if due < at:
            out[Trigger.ACCEPT_OVERDUE] = due
    if case.resolve_by is not None:
        due = case.resolve_by.effective(cal)
        if due < at:
            out[Trigger.RESOLVE_OVERDUE] = due
    return out


def _random_escalation(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> CaseEvent:
    """An escalation to any unit or beyond, mostly refused; an accepted one is as the policy
    says (its deadlines the policy's for the new tier, an overdue trigger only when due)."""
    beyond = not draw(st.integers(0, 2))
    # Beyond the grid means the policy's body (or, refused, a unit of the case's own chain).
    targets = (
        [policy.beyond.id, *(u.id for u in case.chain)] if beyond else [u.id for u in grid.units]
    )
    to = draw(st.sampled_from(targets))
    from_unit = case.owner if draw(st.integers(0, 4)) else "elsewhere"
    if to == from_unit:  # an event never names its own unit as the target
        to = policy.beyond.id if from_unit != policy.beyond.id else case.chain[0].id
    tier = None if beyond or to not in grid else grid.unit(to).tier
    to_name = (
        grid.unit(to).name if to in grid else policy.beyond.name if to == policy.beyond.id else to
    )
    accept_by, resolve_by = policy.deadlines(
        tier=tier, category=case.issue.category, severity=case.severity, start=at
    )
    overdue = _overdue(case, policy, at)
    trigger = draw(st.sampled_from([*_TIMELESS, *overdue]))
    return Escalated(
        at=at,
        actor="x",
        trigger=trigger,
        from_unit=from_unit,
        from_name=case.owner_name if from_unit == case.owner else "别处",
        to=to,
        to_name=to_name,
        beyond=beyond,
        due=overdue.get(trigger),
        via=policy.beyond.via if beyond else "",
        reason=Reason(zh="随机上报", en="random escalation"),
        accept_by=accept_by,
        resolve_by=resolve_by,
    )


def _returned(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> CaseEvent:
    unit = draw(st.sampled_from(grid.units))
    return Returned(
        at=at,
        actor="x",
        reason="错派",
        chain=grid.chain(unit.id),
        grid_version=grid.version,
        accept_by=_deadline(draw, at),
        resolve_by=_deadline(draw, at),
    )


def _duplicate(case: Case) -> Issue:
    return Issue(
        id="dup",
        category=case.issue.category,
        severity=1,
        channel=Channel.APP,
        unit=case.chain[0].id,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        reported_at=case.issue.reported_at,
    )


_Build = Callable[[st.DrawFn, Case, GridGraph, EscalationPolicy, datetime], CaseEvent]
_BUILD: dict[str, tuple[str, _Build]] = {
    "accept": ("Accepted", lambda d, c, g, p, t: Accepted(at=t, actor="a")),
    "reject": ("Rejected", lambda d, c, g, p, t: Rejected(at=t, actor="a", reason="不予立案")),
    "dispatch": ("Dispatched", lambda d, c, g, p, t: Dispatched(at=t, actor="a", handler="h")),
    "start": ("HandlingStarted", lambda d, c, g, p, t: HandlingStarted(at=t, actor="h")),
    "resolve": ("Resolved", lambda d, c, g, p, t: Resolved(at=t, actor="h")),
    "verify": ("Verified", lambda d, c, g, p, t: Verified(at=t, actor="v")),
    "fail": (
        "VerificationFailed",
        lambda d, c, g, p, t: VerificationFailed(
            at=t, actor="v", reason="x", resolve_by=_deadline(d, t)
        ),
    ),
    "satisfied": ("ResidentSatisfied", lambda d, c, g, p, t: ResidentSatisfied(at=t, actor="r")),
    "dissatisfied": (
        "ResidentDissatisfied",
        lambda d, c, g, p, t: ResidentDissatisfied(at=t, actor="r", resolve_by=_deadline(d, t)),
    ),
    "close": ("Closed", lambda d, c, g, p, t: Closed(at=t, actor="a")),
    "evaluate": (
        "Evaluated",
        lambda d, c, g, p, t: Evaluated(
            at=t, actor="r", satisfaction=d(st.sampled_from(list(Satisfaction)))
        ),
    ),
    "suspend": ("Suspended", lambda d, c, g, p, t: Suspended(at=t, actor="a", reason="x")),
    "resume": ("Resumed", lambda d, c, g, p, t: Resumed(at=t, actor="a")),
    "ask": (
        "ExtensionRequested",
        lambda d, c, g, p, t: ExtensionRequested(at=t, actor="a", until=_later(d, t), reason="x"),
    ),
    "grant": (
        "ExtensionGranted",
        lambda d, c, g, p, t: ExtensionGranted(
            at=t, actor="s", until=d(st.none() | st.just(_later(d, t)))
        ),
    ),
    "refuse": (
        "ExtensionRefused",
        lambda d, c, g, p, t: ExtensionRefused(at=t, actor="s", reason="x"),
    ),
    "escalate_random": ("Escalated", _random_escalation),
    "return": ("Returned", _returned),
    "raise": (
        "SeverityRaised",
        lambda d, c, g, p, t: SeverityRaised(
            at=t,
            actor="a",
            severity=d(st.sampled_from([s for s in Severity if s > c.severity] or list(Severity))),
            reason="x",
        ),
    ),
    "link": (
        "CoHandlerLinked",
        lambda d, c, g, p, t: CoHandlerLinked(
            at=t,
            actor="a",
            handler=d(st.sampled_from(_HANDLERS)),
            kind=d(st.sampled_from(["partner", "unit"])),
            required=d(st.booleans()),
            due=d(st.none() | st.just(_later(d, t))),
        ),
    ),
    "complete": (
        "CoHandlerCompleted",
        lambda d, c, g, p, t: CoHandlerCompleted(at=t, actor="p", handler=_co_handler(d, c)),
    ),
    "release": (
        "CoHandlerReleased",
        lambda d, c, g, p, t: CoHandlerReleased(
            at=t, actor="a", handler=_co_handler(d, c), reason="x"
        ),
    ),
    "merge_into": (
        "MergedInto",
        lambda d, c, g, p, t: MergedInto(at=t, actor="a", into=d(st.sampled_from(["c-0", c.id]))),
    ),
    "merge_dup": (
        "DuplicateMerged",
        lambda d, c, g, p, t: DuplicateMerged(
            at=t,
            actor="a",
            duplicate=d(st.sampled_from(["dup-1", "dup-2", c.id])),
            issue=_duplicate(c),
        ),
    ),
}
# "escalate" is the policy's own escalation (gridgov.escalation.escalate), listed first so
# that a drawn kind shrinks towards it.
_EVENT_KINDS = ("escalate", *_BUILD)
_CLASSES: dict[str, type[CaseEvent]] = {cls.__name__: cls for cls in TRANSITIONS}
_EVENT_CLASS: dict[str, type[CaseEvent]] = {
    "escalate": Escalated,
    **{k: _CLASSES[name] for k, (name, _) in _BUILD.items()},
}
_ENDINGS = frozenset({"reject", "merge_into"})


def _attempt(
    draw: st.DrawFn, case: Case, grid: GridGraph, policy: EscalationPolicy, at: datetime
) -> Attempt:
    """Draw one event kind with a payload (valid or not) and try it on *case*.

    Mostly a kind the case's status allows (and, most of those times, not one that ends the
    case early), sometimes any kind at all, so that refusals are tried too.
    """
    mode = draw(st.integers(0, 9))
    allowed = [k for k in _EVENT_KINDS if case.status in TRANSITIONS[_EVENT_CLASS[k]].sources]
    if mode == 0 or not allowed:
        kind = draw(st.sampled_from(_EVENT_KINDS))
    else:
        lasting = [k for k in allowed if k not in _ENDINGS]
        kind = draw(st.sampled_from(lasting if mode > 1 and lasting else allowed))
    if kind == "escalate":
        try:
            after = escalate(case, escalation_for(case, policy, at=at), policy, actor="system")
        except InvalidTransitionError:
            event: CaseEvent = Escalated(
                at=at,
                actor="system",
                trigger=Trigger.MANUAL,
                from_unit=case.owner,
                from_name=case.owner_name,
                to=f"{case.owner}-up",
                to_name="上级",
                beyond=True,
                via=policy.beyond.via,
                reason=Reason(zh="上报", en="escalated"),
            )
            return Attempt(case, event, None)
        return Attempt(case, after.events[-1], after)
    event = _BUILD[kind][1](draw, case, grid, policy, at)
    try:
        return Attempt(case, event, apply_event(case, event))
    except InvalidTransitionError:
        return Attempt(case, event, None)


def event_attempts(
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
    max_gap_hours: int = 30,
) -> SearchStrategy[tuple[Case, tuple[Attempt, ...]]]:
    """A case simulated on *grid* under *policy*, with every event tried on it.

    The case is opened as :func:`opened_cases` opens it; then event kinds are drawn one at a
    time — mostly one the case's status allows, sometimes any — with the payloads they need,
    valid or not, each at a non-decreasing moment, and tried on the case.  Escalations are
    mostly the policy's own (:func:`gridgov.escalation.escalate`), sometimes drawn to any
    unit (refused unless one step up; when accepted, as the policy says).

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy.
        case_id: the case's id.
        max_events: the most events the case takes after its opening.
        max_gap_hours: the longest gap between two tries.

    Returns:
        A strategy for pairs of the final case and every :class:`Attempt`, refused ones
        (``after is None``) included.

    Histories shrink towards fewer events, each towards the policy's own escalation, and
    towards no time between them.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy, a
            negative bound.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import event_attempts
        >>> event_attempts(sample_grid(), None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    _check_units(check_grid(grid))
    _check_policy(policy)
    check_text("case_id", case_id)
    check_int("max_events", max_events, at_least=0)
    check_int("max_gap_hours", max_gap_hours, at_least=0)
    return _event_attempts(grid, policy, case_id, max_events, max_gap_hours)


@st.composite
def _event_attempts(
    draw: st.DrawFn,
    grid: GridGraph,
    policy: EscalationPolicy,
    case_id: str,
    max_events: int,
    max_gap_hours: int,
) -> tuple[Case, tuple[Attempt, ...]]:
    case = draw(_opened_cases(grid, policy, case_id, 60))
    attempts: list[Attempt] = []
    at = case.opened_at
    wanted = draw(st.integers(0, max_events))  # events taken; tries stop at three times that
    for _ in range(3 * wanted):
        if len(case.events) > wanted:
            break
        at = at + timedelta(minutes=draw(st.integers(0, max_gap_hours * 60)))
        attempt = _attempt(draw, case, grid, policy, at)
        attempts.append(attempt)
        if attempt.after is not None:
            case = attempt.after
    return case, tuple(attempts)


def event_sequences(
    grid: GridGraph,
    policy: EscalationPolicy,
    *,
    case_id: str = "c-1",
    max_events: int = 30,
    max_gap_hours: int = 30,
) -> SearchStrategy[tuple[CaseEvent, ...]]:
    """Valid case histories: a :class:`~gridgov.cases.CaseOpened` and the events the case
    took, which :func:`gridgov.cases.replay` rebuilds into a case.

    Drawn as :func:`event_attempts` draws them, keeping the accepted events only.  Feed one
    to :func:`gridgov.testing.checks.check_escalation` as
    ``check_escalation(policy, grid, Case(events=events[:1]), events[1:])``.

    Args:
        grid: the grid (with at least one unit).
        policy: the escalation policy.
        case_id: the case's id.
        max_events: the most events after the opening.
        max_gap_hours: the longest gap between two tries.

    Histories shrink towards the opening alone, then towards fewer events, each towards the
    policy's own escalation (上报) with no time between events.

    Raises:
        hypothesis.errors.InvalidArgument: for a grid without units, a bad policy, a
            negative bound.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import event_sequences
        >>> event_sequences(sample_grid(), None)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: policy=None must be an EscalationPolicy.
    """
    return event_attempts(
        grid, policy, case_id=case_id, max_events=max_events, max_gap_hours=max_gap_hours
    ).map(_events_of)


def _events_of(pair: tuple[Case, tuple[Attempt, ...]]) -> tuple[CaseEvent, ...]:
    return tuple(pair[0].events)
