"""Case facts (案件事实): one flat, typed record per case, read from its events, that every
indicator, roll-up and the opinion library count from.

A :class:`CaseFacts` says when each stage of the closed loop happened, which units were
responsible (at filing, at the end, the place's micro-grid, the chain as the grid was drawn
when the case was filed), whether each stage met the deadline in force, and how often the
case was extended, suspended, reworked, escalated and returned.  Facts are computed by
:func:`case_facts` from a :class:`~gridgov.cases.Case` alone (plus the catalogue and the
calendar it needs), so a replayed case and the live one give equal facts.

Example:
    >>> from gridgov.demo import sample_case
    >>> f = case_facts(sample_case())
    >>> f.case, f.category, f.filed_unit, f.owner, f.status.zh
    ('yx-2026-1126-01', 'elder_care', 'mg31', 'g3', '已立案')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov.calendar import Deadline, DeadlinePlan, DeadlinePlanner, TimeLimit, WorkCalendar
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseState,
    CaseStatus,
    Closed,
    Dispatched,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    Rejected,
    ResidentDissatisfied,
    Resolved,
    Returned,
    Satisfaction,
    Suspended,
    Trigger,
    VerificationFailed,
    transition,
)
from gridgov.errors import InvalidValueError
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Channel, Severity
from gridgov.serialize import register

__all__ = ["CaseFacts", "case_facts", "facts_of"]

_COUNT = v.integer(0, 10**6)
_MOMENT = v.optional(v.aware)
_OUTCOME = v.optional(v.boolean)


@register
@attrs.frozen(kw_only=True)
class CaseFacts:
    """What happened to one case, flat and typed, for counting.

    Units are ids.  Moments are the first time a stage was reached, except ``resolved_at``,
    which is the last resolution, if it stood (no rework reopened the case after it).  An
    ``*_on_time`` field is ``None`` when the stage was not reached or had no deadline, else
    whether it was reached by the deadline in force (pauses given back; for
    ``resolved_on_time`` the deadline after granted extensions, for
    ``resolved_on_time_unextended`` the deadline had none been granted).
    :func:`case_facts` defines each deadline precisely.

    Attributes:
        case: the case's id.
        issue: the id of the issue it was opened for.
        category: the issue's category code.
        categories: the category and its ancestors in the catalogue, the category first.
        severity: the severity at the end (after any raise).
        channel: the channel the issue came through.
        place: the issue's place, if any.
        located: whether the issue had a known place or unit (``False``: 待定位).
        grid_version: the grid version the case was filed under.
        chain: the ids of the units it was filed along, the bottom unit first, as the grid
            was drawn then (``chain[0]`` is the place's micro-grid for a located issue).
        micro_grid: the unit of the place (``chain[0]`` when located, else ``None``).
        filed_unit: the unit that first owned it (首接负责).
        owner: the owner at the end: a unit's id, or the external body once ``beyond``.
        closing_unit: the owner when it was closed (``None`` if it was not closed).
        status: its status at the end.
        reported_at: when the issue was reported.
        opened_at: when the case was opened (受理).
        accepted_at: when it was accepted (立案), if it was.
        rejected_at: when it was rejected (不予立案), if it was.
        dispatched_at: when it was first dispatched (派遣), if it was.
        resolved_at: when it was last resolved (处置反馈), if that resolution stood.
        closed_at: when it was closed (结案), if it was.
        evaluated_at: when the resident evaluated it (评价), if they did.
        accept_due: the accept deadline in force at the first acceptance (or at the end),
            if any.
        dispatch_due: the dispatch deadline from the first acceptance, if the caller gave a
            dispatch limit.
        resolve_due: the resolve deadline in force at the last resolution (or at the end).
        resolve_due_unextended: the resolve deadline had no extension been granted.
        accepted_on_time: acceptance met ``accept_due``.
        dispatched_on_time: the first dispatch met ``dispatch_due``.
        resolved_on_time: the last resolution met ``resolve_due``.
        resolved_on_time_unextended: the last resolution met ``resolve_due_unextended``.
        extensions: extensions granted (延期).
        extension_requests: extensions requested.
        suspensions: times suspended (挂起 / 缓办).
        suspended: whether it is suspended at the end.
        rework: times it was reopened for rework (返工): failed verifications and
            dissatisfied residents.
        verification_failures: failed verifications (核查不通过).
        dissatisfied: times the resident was dissatisfied.
        escalations: times it was escalated (上报).
        escalation_path: the units (or the external body) it was escalated to, in order.
        escalation_triggers: the trigger of each escalation, in order.
        beyond: whether it went beyond the grid (吹哨报到).
        returns: times it was returned for re-routing (退回改派).
        co_handlers: co-handlers linked (联动).
        duplicates: duplicates merged into it (并单).
        merged_into: the case it was merged into, if any.
        satisfaction: the resident's last view, if given.

    Example:
        >>> from gridgov.demo import sample_case
        >>> f = case_facts(sample_case())
        >>> f.chain, f.micro_grid, f.escalations, f.resolved_on_time
        (('mg31', 'g3', 'yx'), 'mg31', 1, None)
    """

    case: str = attrs.field(validator=v.ident)
    issue: str = attrs.field(validator=v.ident)
    category: str = attrs.field(validator=v.code)
    categories: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.code))
    severity: Severity = attrs.field(validator=v.is_a(Severity))
    channel: Channel = attrs.field(validator=v.is_a(Channel))
    place: str | None = attrs.field(validator=v.optional(v.ident), repr=False)
    located: bool = attrs.field(validator=v.boolean)
    grid_version: str = attrs.field(validator=v.ident)
    chain: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.ident))
    micro_grid: str | None = attrs.field(validator=v.optional(v.ident))
    filed_unit: str = attrs.field(validator=v.ident)
    owner: str = attrs.field(validator=v.ident)
    closing_unit: str | None = attrs.field(validator=v.optional(v.ident))
    status: CaseStatus = attrs.field(validator=v.is_a(CaseStatus))
    reported_at: datetime = attrs.field(validator=v.aware)
    opened_at: datetime = attrs.field(validator=v.aware)
    accepted_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    rejected_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    dispatched_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolved_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    closed_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    evaluated_at: datetime | None = attrs.field(default=None, validator=_MOMENT)
    accept_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    dispatch_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolve_due: datetime | None = attrs.field(default=None, validator=_MOMENT)
    resolve_due_unextended: datetime | None = attrs.field(default=None, validator=_MOMENT)
    accepted_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    dispatched_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    resolved_on_time: bool | None = attrs.field(default=None, validator=_OUTCOME)
    resolved_on_time_unextended: bool | None = attrs.field(default=None, validator=_OUTCOME)
    extensions: int = attrs.field(default=0, validator=_COUNT)
    extension_requests: int = attrs.field(default=0, validator=_COUNT)
    suspensions: int = attrs.field(default=0, validator=_COUNT)
    suspended: bool = attrs.field(default=False, validator=v.boolean)
    rework: int = attrs.field(default=0, validator=_COUNT)
    verification_failures: int = attrs.field(default=0, validator=_COUNT)
    dissatisfied: int = attrs.field(default=0, validator=_COUNT)
    escalations: int = attrs.field(default=0, validator=_COUNT)
    escalation_path: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident)
    )
    escalation_triggers: tuple[Trigger, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Trigger))
    )
    beyond: bool = attrs.field(default=False, validator=v.boolean)
    returns: int = attrs.field(default=0, validator=_COUNT)
    co_handlers: int = attrs.field(default=0, validator=_COUNT)
    duplicates: int = attrs.field(default=0, validator=_COUNT)
    merged_into: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    satisfaction: Satisfaction | None = attrs.field(
        default=None, validator=v.optional(v.is_a(Satisfaction))
    )


# --------------------------------------------------------------------------- the engine


def case_facts(
    case: Case,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    calendar: WorkCalendar | None = None,
    dispatch_limit: TimeLimit | None = None,
) -> CaseFacts:
    """The facts of *case*: one pass over its events, plus what its state already holds.

    Stages are dated by the first event that reached them (``accepted_at``,
    ``dispatched_at`` …), except ``resolved_at``: the last :class:`~gridgov.cases.Resolved`,
    and only if it stood — a resolution followed by a failed verification or a dissatisfied
    resident, with no resolution after it, was undone, so ``resolved_at`` is ``None`` while
    the rework is open.  The deadlines, each the moment with paused time given back
    (:meth:`~gridgov.calendar.Deadline.effective`):

    * ``accept_due``: the accept deadline in force at the first acceptance (or at the end,
      if never accepted); ``accepted_on_time`` is ``accepted_at <= accept_due``.
    * ``dispatch_due``: *dispatch_limit* counted from the first acceptance on *calendar*
      (cases carry no dispatch clock of their own); ``dispatched_on_time`` is the first
      dispatch ``<= dispatch_due``.
    * ``resolve_due``: the resolve deadline in force at the end — for a resolution that
      stood, the one in force when it was made (nothing after a resolution moves it): after
      granted extensions, the new deadlines of escalations, returns and rework, and the
      suspensions given back.  ``resolved_on_time`` is ``resolved_at <= resolve_due``.
    * ``resolve_due_unextended``: the same deadline had no extension been granted: the case's
      events replayed through the lifecycle (:func:`~gridgov.cases.transition`) without its
      extension requests, grants and refusals.  An extension granted on an earlier clock (before an escalation, a
      return or a rework set a new deadline) therefore changes nothing, and a suspension
      after a grant is given back to the unextended deadline too.  Equal to
      ``resolve_due`` when nothing was granted.

    Each ``*_on_time`` is ``None`` when its stage was not reached or it has no deadline.
    Units: ``chain`` and ``grid_version`` are the filing's (:class:`~gridgov.cases.CaseOpened`),
    never today's grid; ``closing_unit`` is the owner when closed.

    Args:
        case: the case.
        catalogue: the catalogue its category is in (for ``categories``).
        calendar: the working calendar its deadlines are counted on; needed when a
            working-time deadline has paused time to give back, and for a working (or
            end-of-day) *dispatch_limit*.
        dispatch_limit: the time allowed from acceptance to dispatch, if the place counts
            timely dispatch (及时派遣率).

    Raises:
        InvalidValueError: for a bad argument; naming ``calendar`` when one is needed and
            not given.
        PolicyError: if the case's category is not in *catalogue*.

    Example:
        >>> from gridgov import WorkCalendar
        >>> from gridgov.demo import sample_case
        >>> f = case_facts(sample_case(), calendar=WorkCalendar())
        >>> f.categories, f.filed_unit, f.owner, f.escalation_path, f.accepted_on_time
        (('elder_care',), 'mg31', 'g3', ('g3',), True)
        >>> print(f.accepted_at, f.accept_due)
        2026-11-26 15:15:00+08:00 2026-11-27 00:00:00+08:00
    """
    v.check_instance("case", case, Case)
    return _Engine(catalogue, calendar, dispatch_limit).facts(case)


def facts_of(
    cases: Iterable[Case],
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    calendar: WorkCalendar | None = None,
    dispatch_limit: TimeLimit | None = None,
    unextended: bool = True,
) -> Iterator[CaseFacts]:
    """The facts of each case, in order, equal to :func:`case_facts` of each (the batch form).

    What serves every case is prepared once: the catalogue's lineage of each category, and
    the dispatch limit compiled on the calendar with a bounded planner
    (:class:`~gridgov.calendar.DeadlinePlan`, :class:`~gridgov.calendar.DeadlinePlanner`)
    that lives as long as the iteration.  The arguments are checked when called; a bad case
    is refused when it is reached.

    Args:
        cases: the cases.
        catalogue: as for :func:`case_facts`.
        calendar: as for :func:`case_facts`.
        dispatch_limit: as for :func:`case_facts`.
        unextended: compute ``resolve_due_unextended`` and ``resolved_on_time_unextended``
            (a replay of each extended case without its extension events, about a fifth of
            the cost of its facts).  With ``False`` (advanced) both are ``None`` for every
            case, whatever its extensions: for counts that do not read them —
            :func:`~gridgov.metrics.tally_cases` passes it when no indicator does.

    Example:
        >>> from gridgov import TimeLimit, WorkCalendar
        >>> from gridgov.demo import sample_case
        >>> [str(f.dispatch_due) for f in facts_of(
        ...     [sample_case()], calendar=WorkCalendar(), dispatch_limit=TimeLimit.working_hours(2))]
        ['2026-11-26 17:15:00+08:00']
        >>> [f.resolve_due_unextended for f in facts_of([sample_case()], unextended=False)]
        [None]
    """
    v.check_bool("unextended", unextended)
    engine = _Engine(catalogue, calendar, dispatch_limit, batch=True, unextended=unextended)
    if not v.is_collection(cases) and not isinstance(cases, Iterator):
        raise v.refuse("cases", None, "an iterable of Case values", cases)
    return _each(engine, cases)


def _each(engine: _Engine, cases: Iterable[Case]) -> Iterator[CaseFacts]:
    facts = engine.facts
    for case in cases:
        if type(case) is not Case:
            v.check_instance("cases", case, Case)
        yield facts(case)


_new_facts = trusted_constructor(CaseFacts)

# The events the pass reads, by class: one dict look-up per event.
(
    _ACCEPT,
    _REJECT,
    _DISPATCH,
    _RESOLVE,
    _FAIL,
    _DISSATISFIED,
    _CLOSE,
    _EVALUATE,
    _SUSPEND,
    _ASK,
    _GRANT,
    _ESCALATE,
    _RETURN,
) = range(13)
_KIND: Mapping[type[CaseEvent], int] = MappingProxyType(
    {
        Accepted: _ACCEPT,
        Rejected: _REJECT,
        Dispatched: _DISPATCH,
        Resolved: _RESOLVE,
        VerificationFailed: _FAIL,
        ResidentDissatisfied: _DISSATISFIED,
        Closed: _CLOSE,
        Evaluated: _EVALUATE,
        Suspended: _SUSPEND,
        ExtensionRequested: _ASK,
        ExtensionGranted: _GRANT,
        Escalated: _ESCALATE,
        Returned: _RETURN,
    }
)
_EXTENSION_EVENTS = (ExtensionRequested, ExtensionGranted, ExtensionRefused)
_SUSPENDED = CaseStatus.SUSPENDED


class _Engine:
    """What computing facts needs, checked and prepared once (for one call or one batch)."""

    __slots__ = ("calendar", "catalogue", "kinds", "lineage", "plan", "planner", "unextended")

    def __init__(
        self,
        catalogue: CategoryCatalogue,
        calendar: WorkCalendar | None,
        dispatch_limit: TimeLimit | None,
        *,
        batch: bool = False,
        unextended: bool = True,
    ) -> None:
        self.unextended = unextended
        self.catalogue = v.check_instance("catalogue", catalogue, CategoryCatalogue)
        if calendar is not None:
            v.check_instance("calendar", calendar, WorkCalendar)
        self.calendar = calendar
        self.kinds: dict[type[CaseEvent], int] = dict(_KIND)  # a plain dict reads fastest
        # A batch looks each category's lineage up in a dict made once, bounded by the
        # catalogue; a single case asks the catalogue.
        self.lineage: Mapping[str, tuple[str, ...]] | None = (
            {c.code: catalogue.lineage(c.code) for c in catalogue} if batch else None
        )
        self.plan: DeadlinePlan | None = None
        self.planner: DeadlinePlanner | None = None
        if dispatch_limit is not None:
            v.check_instance("dispatch_limit", dispatch_limit, TimeLimit)
            on = calendar
            if on is None:
                if dispatch_limit.natural_span() is None:
                    raise InvalidValueError(
                        f"'calendar' must be a WorkCalendar to count the dispatch limit "
                        f"{dispatch_limit.describe()} (got None)."
                    )
                on = _ANY_CALENDAR  # a natural span reads nothing from the calendar
            self.plan = DeadlinePlan([dispatch_limit], on, source="dispatch")
            if batch and on is calendar:
                self.planner = DeadlinePlanner(on, size=4096)

    def effective(self, case: Case, deadline: Deadline | None, what: str) -> datetime | None:
        if deadline is None:
            return None
        if deadline.pauses and deadline.basis == "working" and self.calendar is None:
            raise InvalidValueError(
                f"'calendar' must be the WorkCalendar case {case.state.id!r} is counted on: its "
                f"{what} deadline is in working time and has paused time to give back "
                "(got None)."
            )
        return deadline.effective(self.calendar)

    def facts(self, case: Case) -> CaseFacts:
        events = case.events
        state = case.state
        opened = events[0]
        assert isinstance(opened, CaseOpened)  # a Case checks its first event
        accepted = rejected = dispatched = resolved = closed = evaluated = None
        i_accepted = i_resolved = i_rework = i_moved = -1
        failures = asks = grants = suspensions = returns = 0
        path: list[str] = []
        kinds = self.kinds
        for i, event in enumerate(events):
            kind = kinds.get(type(event))
            if kind is None:
                continue
            if kind == _ACCEPT:
                if accepted is None:
                    accepted, i_accepted = event.at, i
            elif kind == _DISPATCH:
                if dispatched is None:
                    dispatched = event.at
            elif kind == _RESOLVE:
                resolved, i_resolved = event.at, i
            elif kind == _CLOSE:
                closed = event.at
            elif kind == _EVALUATE:
                evaluated = event.at
            elif kind == _FAIL:
                failures += 1
                i_rework = i
            elif kind == _DISSATISFIED:
                i_rework = i
            elif kind == _ESCALATE:
                path.append(event.to)  # type: ignore[attr-defined]
                i_moved = i
            elif kind == _RETURN:
                returns += 1
                i_moved = i
            elif kind == _SUSPEND:
                suspensions += 1
            elif kind == _ASK:
                asks += 1
            elif kind == _GRANT:
                grants += 1
            else:  # _REJECT
                rejected = event.at
        if i_rework > i_resolved:
            resolved = None  # reopened after its last resolution: it did not stand
        # The accept deadline at the first acceptance: the end state's, unless an escalation
        # or a return set a new one after it (then the state as it was at the acceptance).
        accept_by = state.accept_by
        if i_moved > i_accepted >= 0:
            accept_by = _fold(events[: i_accepted + 1], ()).accept_by
        accept_due = (
            accept_by.due
            if accept_by is not None and not accept_by.pauses
            else self.effective(case, accept_by, "accept")
        )
        resolve_by = state.resolve_by
        resolve_due = (
            resolve_by.due
            if resolve_by is not None and not resolve_by.pauses
            else self.effective(case, resolve_by, "resolve")
        )
        unextended = resolve_due if self.unextended else None
        if grants and self.unextended:
            without = _fold(events, _EXTENSION_EVENTS).resolve_by
            unextended = self.effective(case, without, "resolve")
        dispatch_due = None
        plan = self.plan
        if plan is not None and accepted is not None:
            (deadline,) = plan.deadlines(accepted, self.planner)
            dispatch_due = None if deadline is None else deadline.due
        issue = state.issue
        category = issue.category
        lineage = self.lineage
        categories = (
            lineage[category]
            if lineage is not None and category in lineage
            else self.catalogue.lineage(category)
        )
        chain = tuple([u.id for u in opened.chain])
        located = opened.located
        return _new_facts(
            state.id,
            issue.id,
            category,
            categories,
            state.severity,
            issue.channel,
            issue.place,
            located,
            opened.grid_version,
            chain,
            chain[0] if located else None,
            state.filed_unit,
            state.owner,
            None if closed is None else state.owner,
            state.status,
            issue.reported_at,
            state.opened_at,
            accepted,
            rejected,
            dispatched,
            resolved,
            closed,
            evaluated,
            accept_due,
            dispatch_due,
            resolve_due,
            unextended,
            None if accepted is None or accept_due is None else accepted <= accept_due,
            None if dispatched is None or dispatch_due is None else dispatched <= dispatch_due,
            None if resolved is None or resolve_due is None else resolved <= resolve_due,
            None if resolved is None or unextended is None else resolved <= unextended,
            grants,
            asks,
            suspensions,
            state.status is _SUSPENDED,
            state.rework,
            failures,
            state.dissatisfied,
            len(path),
            tuple(path),
            tuple(state.escalation_triggers) if path else (),
            state.beyond,
            returns,
            len(state.co_handlers),
            len(state.duplicates),
            state.merged_into,
            state.satisfaction,
        )


def _fold(events: Sequence[CaseEvent], skip: tuple[type[CaseEvent], ...]) -> CaseState:
    """The state the lifecycle reaches from *events*, leaving out the classes in *skip*."""
    state = CaseState.opened(events[0])
    for event in events[1:]:
        if type(event) not in skip:
            state = transition(state, event)
    return state


_ANY_CALENDAR = WorkCalendar()
