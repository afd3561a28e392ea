"""Property tests for issue 11 ("One road"), must-show 3, over generated catalogues, grids,
rules, matrices, calendars and escalation policies.

* The router and the escalation sweep give one answer to "may this unit handle this?": the
  unit the router chooses for an issue is never one the sweep then calls incapable, and as a
  case climbs its chain the sweep calls the owner incapable exactly where
  :meth:`Router.limit <gridgov.Router.limit>` says it may not handle the case.
* A suspension refunds working time on a working-time deadline, whichever road set the
  deadline (a routing rule's limit, kept by ``open_case``, or a policy's SLA): by the
  deadline's effective moment exactly the limit's own working time has been used, the
  suspended working time not counted; the sweep escalates the case just after that moment
  and not at it.  (``tests/property/test_cases_props.py`` checks the same refund on a case
  built by hand from a ``CaseOpened``; here the deadline travels the whole road, and a case
  may be suspended several times.)

The values come from :mod:`gridgov.testing.strategies`.  One strategy is written here, as the
kit has none for it: :func:`escalation_policies_on`, a policy on a given catalogue, scheme and
calendar (``escalation_policies`` draws its SLAs' categories from the default catalogue and
its calendar itself, so it cannot make a policy that agrees with a router on a drawn
catalogue).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from hypothesis import assume, event, given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import (
    Accepted,
    Case,
    CategoryCatalogue,
    Deadline,
    EscalationPolicy,
    ExternalBody,
    GridGraph,
    Issue,
    ResidentFiles,
    Resumed,
    Router,
    Severity,
    Sla,
    Suspended,
    TierScheme,
    TimeLimit,
    Trigger,
    WorkCalendar,
    apply_event,
    due_escalations,
    escalate,
    escalation_for,
    open_case,
)
from gridgov.testing.strategies import (
    calendars,
    catalogues,
    categories,
    grids,
    issues,
    resident_files,
    responsibility_matrices,
    rule_sets,
    time_limits,
)

# --------------------------------------------------------------------------- strategies


@st.composite
def _slas(
    draw: st.DrawFn,
    codes: list[str],
    tiers: list[str | None],
    limits: SearchStrategy[TimeLimit],
) -> Sla:
    low = draw(st.sampled_from(Severity))
    return Sla(
        name=draw(st.sampled_from(["", "网格", "社区", "街道时限"])),
        tier=draw(st.sampled_from(tiers)),
        categories=draw(st.frozensets(st.sampled_from(codes), max_size=2)),
        min_severity=low,
        max_severity=draw(st.sampled_from([s for s in Severity if s >= low])),
        accept_within=draw(st.none() | limits),
        resolve_within=draw(st.none() | limits),
    )


def escalation_policies_on(
    *,
    catalogue: CategoryCatalogue,
    scheme: TierScheme,
    calendar: WorkCalendar,
    max_slas: int = 4,
    limits: SearchStrategy[TimeLimit] | None = None,
    triggers: SearchStrategy[frozenset[Trigger]] | None = None,
) -> SearchStrategy[EscalationPolicy]:
    """Escalation policies that agree with a router on *catalogue*, *scheme* and *calendar*
    (:meth:`EscalationPolicy.check <gridgov.EscalationPolicy.check>` accepts them): SLAs
    naming tiers of *scheme* (or none) and categories of *catalogue* — broad ones and
    refinements — with limits from *limits* (default :func:`time_limits`), an external body
    beyond the grid with or without its own SLA, and *triggers* (default: any set of
    automatic triggers).  They shrink towards no SLAs and no triggers.
    """
    codes = [c.code for c in catalogue]
    limit = time_limits() if limits is None else limits
    automatic = sorted(set(Trigger) - {Trigger.MANUAL}, key=lambda t: t.value)
    body_sla = st.none() | _slas(codes, [None], limit)
    return st.builds(
        EscalationPolicy,
        name=st.sampled_from(["p", "12345", "街道上报规则"]),
        beyond=st.builds(
            ExternalBody,
            id=st.just("beyond-body"),
            name=st.sampled_from(["区职能部门", "淮河路街道"]),
            sla=body_sla,
        ),
        slas=st.lists(_slas(codes, [None, *scheme.names], limit), max_size=max_slas),
        calendar=st.just(calendar),
        catalogue=st.just(catalogue),
        triggers=st.frozensets(st.sampled_from(automatic)) if triggers is None else triggers,
        repeat_count=st.integers(2, 4),
        repeat_window=st.integers(1, 30).map(lambda d: timedelta(days=d)),
        dissatisfied_count=st.integers(1, 3),
    )


@attrs.frozen
class World:
    router: Router
    policy: EscalationPolicy
    files: ResidentFiles
    issues: list[Issue]


def _issue_id(issue: Issue) -> str:
    return issue.id


@st.composite
def worlds(
    draw: st.DrawFn,
    n: int = 3,
    *,
    deadlines: SearchStrategy[TimeLimit | None] | None = None,
    limits: SearchStrategy[TimeLimit] | None = None,
    triggers: SearchStrategy[frozenset[Trigger]] | None = None,
) -> World:
    """A router on a drawn catalogue two levels deep, a policy on the same catalogue and
    calendar, personal files and *n* issues (some in refinements, some unlocated)."""
    catalogue = draw(catalogues(max_size=10))
    grid: GridGraph = draw(
        grids(min_units=1, max_units=12, categories=categories(catalogue=catalogue))
    )
    calendar = draw(calendars(max_holidays=20, max_workdays=5))
    # Unlocated issues (待定位) go to the only top unit, or to a unit the router is told.
    unlocated_at = None
    if len(grid.roots) > 1 or draw(st.booleans()):
        unlocated_at = draw(st.sampled_from([u.id for u in grid.units]))
    router = Router(
        grid=grid,
        rules=draw(rule_sets(scheme=grid.scheme, catalogue=catalogue, deadlines=deadlines)),
        matrix=draw(responsibility_matrices(grid, catalogue=catalogue)),
        calendar=calendar,
        catalogue=catalogue,
        unlocated_at=unlocated_at,
    )
    policy = draw(
        escalation_policies_on(
            catalogue=catalogue,
            scheme=grid.scheme,
            calendar=calendar,
            limits=limits,
            triggers=triggers,
        )
    )
    files = draw(resident_files(grid=grid, max_size=4)) if grid.places else ResidentFiles()
    found = draw(
        st.lists(
            issues(grid, catalogue=catalogue, residents=files),
            min_size=n,
            max_size=n,
            unique_by=_issue_id,
        )
    )
    if unlocated_at is not None:  # issues() draws unlocated ones only for a single top unit
        found = [
            attrs.evolve(i, place=None, unit=None) if draw(st.booleans()) else i for i in found
        ]
    return World(router, policy, files, found)


def _with(triggers: set[Trigger]) -> SearchStrategy[frozenset[Trigger]]:
    """Sets of automatic triggers that hold *triggers*."""
    automatic = sorted(set(Trigger) - {Trigger.MANUAL}, key=lambda t: t.value)
    return st.frozensets(st.sampled_from(automatic)).map(lambda ts: ts | triggers)


# --------------------------------------------------------------------------- (a) incapable


@given(worlds(n=4, triggers=_with({Trigger.INCAPABLE})), st.integers(0, 30 * 24 * 60))
def test_the_routers_unit_is_never_one_the_sweep_calls_incapable(
    world: World, minutes: int
) -> None:
    router, policy = world.router, world.policy
    cases = []
    for issue in world.issues:
        a = router.route(issue, residents=world.files)
        case = open_case(issue, a, router=router, actor="m", policy=policy)
        assert case.owner == a.unit and case.position == a.position
        assert router.limit(case.chain[case.position], issue.category) >= issue.severity
        event(f"a refinement: {router.catalogue[issue.category].parent is not None}")
        event(f"moved up by the matrix: {a.moved_by_matrix}")
        event(f"unlocated: {not a.located}")
        cases.append(case)
    for case in cases:  # one by one, at once, and all together later
        for e in due_escalations([case], policy, at=case.opened_at, router=router):
            assert e.trigger not in (Trigger.INCAPABLE, Trigger.SEVERITY_RAISED), e.reason.en
    later = max(c.opened_at for c in cases) + timedelta(minutes=minutes)
    for e in due_escalations(cases, policy, at=later, router=router):
        assert e.trigger not in (Trigger.INCAPABLE, Trigger.SEVERITY_RAISED), e.reason.en


@given(worlds(n=2, triggers=st.just(frozenset({Trigger.INCAPABLE}))))
def test_up_the_chain_the_sweep_calls_incapable_exactly_where_router_limit_says(
    world: World,
) -> None:
    router, policy = world.router, world.policy
    for issue in world.issues:
        a = router.route(issue, residents=world.files)
        case = open_case(issue, a, router=router, actor="m", policy=policy)
        at = case.opened_at
        while not case.beyond:
            owner = case.chain[case.position]
            due = list(due_escalations([case], policy, at=at, router=router))
            incapable = router.limit(owner, issue.category) < issue.severity
            assert [e.trigger for e in due] == ([Trigger.INCAPABLE] if incapable else [])
            if case.position == a.position:
                assert not incapable  # the router's own choice
            event(f"incapable somewhere up the chain: {incapable}")
            if incapable:
                # named by name, the category by its label in the catalogue in use
                (e,) = due
                assert owner.name in e.reason.zh
                assert router.catalogue[issue.category].zh in e.reason.zh
            at += timedelta(minutes=1)
            case = escalate(case, escalation_for(case, policy, at=at), policy, actor="m")


# --------------------------------------------------------------------------- (b) refunds


def _working(calendar: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    return calendar.working_time_between(a, b) if a < b else timedelta(0)


@st.composite
def suspended_worlds(
    draw: st.DrawFn,
) -> tuple[World, Case, Deadline, list[tuple[datetime, datetime]]]:
    """A case on the road whose resolve deadline is in working time — set by its routing
    rule (kept by ``open_case``) or by the policy's SLA — accepted, then suspended and
    resumed one to three times, each suspension beginning before the running deadline."""
    working = time_limits(basis="working", max_amount=10)
    via_sla = draw(st.booleans())
    world = draw(
        worlds(
            n=1,
            deadlines=working,
            limits=working,
            triggers=st.just(frozenset({Trigger.RESOLVE_OVERDUE, Trigger.INCAPABLE})),
        )
    )
    router, policy = world.router, world.policy
    if via_sla:  # one SLA for every case, in working time, first
        sla = Sla(name="工作时限", resolve_within=draw(working))
        policy = attrs.evolve(policy, slas=[sla, *policy.slas])
    else:
        policy = attrs.evolve(policy, slas=[])
    (issue,) = world.issues
    case = open_case(
        issue, router.route(issue, residents=world.files), router=router, actor="m", policy=policy
    )
    before = case.resolve_by
    assert before is not None
    case = apply_event(case, Accepted(at=case.opened_at, actor="m"))
    pauses = []
    t = case.opened_at
    for _ in range(draw(st.integers(1, 3))):
        running = case.resolve_by
        assert running is not None
        room = int((running.effective(router.calendar) - t).total_seconds() // 60)
        if room <= 1:
            break
        s = t + timedelta(minutes=draw(st.integers(1, room - 1)))
        r = s + timedelta(minutes=draw(st.integers(1, 8 * 24 * 60)))
        case = apply_event(case, Suspended(at=s, actor="m", reason="等待检测"))
        case = apply_event(case, Resumed(at=r, actor="m"))
        pauses.append((s, r))
        t = r
    assume(pauses)
    return attrs.evolve(world, policy=policy), case, before, pauses


@given(suspended_worlds())
def test_a_suspension_refunds_working_time_on_a_working_time_deadline_on_the_road(
    drawn: tuple[World, Case, Deadline, list[tuple[datetime, datetime]]],
) -> None:
    world, case, before, pauses = drawn
    calendar = world.router.calendar
    after = case.resolve_by
    assert after is not None
    # The deadline kept what set it, its basis and its limit ...
    assert (after.start, after.due, after.basis, after.limit, after.source) == (
        before.start,
        before.due,
        "working",
        before.limit,
        before.source,
    )
    assert after.source.startswith(("rule:", "sla:"))
    if after.source.startswith("rule:"):
        rule = next(r for r in world.router.rules.rules if f"rule:{r.id}" == after.source)
        assert after.limit == rule.resolve_within
    # ... and recorded the suspensions as its pauses.
    assert [tuple(p) for p in after.pauses] == pauses
    effective = after.effective(calendar)
    # By the effective moment exactly the limit's own working time has been used, the
    # working time of the suspensions given back — no more, no less, and not wall-clock time.
    budget = _working(calendar, before.start, before.due)
    suspended = sum((_working(calendar, s, r) for s, r in pauses), timedelta(0))
    assert _working(calendar, before.start, effective) - suspended == budget
    assert effective >= before.due and effective >= pauses[-1][1]
    event(f"set by: {after.source.split(':')[0]}")
    event(
        f"wall-clock refund differs: {effective - before.due != sum((r - s for s, r in pauses), timedelta(0))}"
    )
    # The sweep escalates the case just after that moment, and not at it.
    router, policy = world.router, world.policy
    assert list(due_escalations([case], policy, at=effective, router=router)) == []
    (e,) = due_escalations([case], policy, at=effective + timedelta(seconds=1), router=router)
    assert e.trigger is Trigger.RESOLVE_OVERDUE
    assert e.due == effective
