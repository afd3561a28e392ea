"""Unit tests for gridgov.metrics.facts: every field of CaseFacts on hand-built cases.

The cases are opened at T0 (Thursday 26 November 2026, 09:00 CST) on the sample grid with
natural deadlines (accept 4 hours, resolve 48 hours) unless a test says otherwise; every
expected moment below is worked out by hand in the test's comment.
"""

from __future__ import annotations

from datetime import datetime

import attrs
import pytest

from builders import GRID, T0, at, escalated_to, make_case, make_issue, run
from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    FOUR_TIER,
    Category,
    Channel,
    Deadline,
    GridGraph,
    GridUnit,
    InvalidValueError,
    PolicyError,
    Reporter,
    TimeLimit,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    Accepted,
    Case,
    CaseOpened,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    CoHandlerLinked,
    Dispatched,
    DuplicateMerged,
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
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
)
from gridgov.metrics import CaseFacts, case_facts, facts_of

CAL = WorkCalendar()  # Mon-Fri 08:30-12:00, 14:00-18:00


def loop(case: Case, *, accept: float = 1, resolve: float = 10, evaluate: bool = True) -> Case:
    """*case* taken round the straight loop: accepted, dispatched, handled, resolved at
    *resolve* hours, verified and closed an hour apart, then evaluated a day later."""
    events = [
        Accepted(at=at(accept), actor="m-g3"),
        Dispatched(at=at(accept + 0.5), actor="m-g3", handler="m-w3"),
        HandlingStarted(at=at(accept + 1), actor="m-w3"),
        Resolved(at=at(resolve), actor="m-w3"),
        Verified(at=at(resolve + 1), actor="m-sec"),
        Closed(at=at(resolve + 2), actor="m-sec"),
    ]
    if evaluate:
        events.append(
            Evaluated(at=at(resolve + 26), actor="r-1", satisfaction=Satisfaction.SATISFIED)
        )
    return run(case, *events)


# --------------------------------------------------------------------------- the straight loop


def test_a_straight_loop_on_time_fills_every_field() -> None:
    f = case_facts(loop(make_case()))
    assert (f.case, f.issue, f.category, f.categories) == (
        "c-1",
        "i-1",
        "facility_repair",
        ("facility_repair",),
    )
    assert (int(f.severity), f.channel, f.place, f.located) == (1, Channel.APP, "h-1001", True)
    assert (f.grid_version, f.chain, f.micro_grid) == ("2026-11", ("mg31", "g3", "yx"), "mg31")
    assert (f.filed_unit, f.owner, f.closing_unit, f.status) == (
        "mg31",
        "mg31",
        "mg31",
        CaseStatus.EVALUATED,
    )
    assert (f.reported_at, f.opened_at, f.accepted_at, f.rejected_at) == (T0, T0, at(1), None)
    assert (f.dispatched_at, f.resolved_at, f.closed_at, f.evaluated_at) == (
        at(1.5),
        at(10),
        at(12),
        at(36),
    )
    # Natural deadlines, nothing paused: accept at 13:00, resolve two days after 09:00.
    assert (f.accept_due, f.resolve_due, f.resolve_due_unextended) == (at(4), at(48), at(48))
    assert (f.accepted_on_time, f.resolved_on_time, f.resolved_on_time_unextended) == (
        True,
        True,
        True,
    )
    assert (f.dispatch_due, f.dispatched_on_time) == (None, None)  # no dispatch limit given
    assert (f.extensions, f.extension_requests, f.suspensions, f.suspended) == (0, 0, 0, False)
    assert (f.rework, f.verification_failures, f.dissatisfied) == (0, 0, 0)
    assert (f.escalations, f.escalation_path, f.escalation_triggers, f.beyond) == (0, (), (), False)
    assert (f.returns, f.co_handlers, f.duplicates, f.merged_into) == (0, 0, 0, None)
    assert f.satisfaction is Satisfaction.SATISFIED


def test_late_acceptance_and_late_resolution_are_not_on_time() -> None:
    f = case_facts(loop(make_case(), accept=5, resolve=50))
    assert (f.accept_due, f.accepted_on_time) == (at(4), False)
    assert (f.resolve_due, f.resolved_on_time, f.resolved_on_time_unextended) == (
        at(48),
        False,
        False,
    )


def test_exactly_at_the_deadline_is_on_time() -> None:
    f = case_facts(loop(make_case(), accept=4, resolve=48))
    assert (f.accepted_on_time, f.resolved_on_time) == (True, True)


def test_an_open_case_has_only_the_stages_it_reached() -> None:
    f = case_facts(run(make_case(), Accepted(at=at(1), actor="m")))
    assert (f.status, f.accepted_at, f.dispatched_at, f.resolved_at, f.closed_at) == (
        CaseStatus.ACCEPTED,
        at(1),
        None,
        None,
        None,
    )
    assert (f.accepted_on_time, f.resolved_on_time, f.closing_unit) == (True, None, None)
    assert f.resolve_due == at(48)  # the deadline in force at the end


def test_a_case_without_deadlines_has_no_on_time_outcome() -> None:
    f = case_facts(loop(make_case(accept=None, resolve=None)))
    assert (f.accept_due, f.resolve_due, f.resolve_due_unextended) == (None, None, None)
    assert (f.accepted_on_time, f.resolved_on_time, f.resolved_on_time_unextended) == (
        None,
        None,
        None,
    )


def test_a_rejected_case() -> None:
    f = case_facts(run(make_case(), Rejected(at=at(2), actor="m-g3", reason="重复来电")))
    assert (f.status, f.rejected_at, f.accepted_at, f.accepted_on_time) == (
        CaseStatus.REJECTED,
        at(2),
        None,
        None,
    )
    assert f.accept_due == at(4)  # never accepted: the deadline in force at the end


# --------------------------------------------------------------------------- suspension


def test_a_suspension_is_given_back_on_a_natural_deadline() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Suspended(at=at(20), actor="m", reason="等待配件"),
        Resumed(at=at(30), actor="m"),
    )
    f = case_facts(
        run(
            case,
            Resolved(at=at(55), actor="m"),
            Verified(at=at(56), actor="v"),
            Closed(at=at(57), actor="v"),
        )
    )
    # 48 h + the 10 h suspended = 58 h after T0; resolved at 55 h: on time.
    assert (f.resolve_due, f.resolved_on_time, f.suspensions, f.suspended) == (
        at(58),
        True,
        1,
        False,
    )


def test_a_case_suspended_at_the_end() -> None:
    f = case_facts(
        run(
            make_case(),
            Accepted(at=at(1), actor="m"),
            Suspended(at=at(20), actor="m", reason="等待配件"),
        )
    )
    assert (f.status, f.suspended, f.suspensions) == (CaseStatus.SUSPENDED, True, 1)
    assert f.resolve_due == at(48)  # the suspension under way is not given back yet


def _working_case() -> Case:
    """Opened Thursday 09:00 with 4 working hours to accept and 1 working day to resolve (due
    Friday 09:00); suspended Thursday 10:00 to 16:00, i.e. 4 working hours."""
    issue = make_issue(reported_at=T0)
    opened = CaseOpened(
        at=T0,
        actor="m-li",
        case="c-w",
        issue=issue,
        chain=GRID.place_chain("h-1001"),
        grid_version=GRID.version,
        accept_by=Deadline.of(TimeLimit.working_hours(4), start=T0, calendar=CAL),
        resolve_by=Deadline.of(TimeLimit.working_days(1), start=T0, calendar=CAL),
    )
    return run(
        Case(events=[opened]),
        Accepted(at=at(0.5), actor="m"),
        Suspended(at=at(1), actor="m", reason="等待配件"),
        Resumed(at=at(7), actor="m"),
    )


def test_a_suspension_is_given_back_in_working_time() -> None:
    case = _working_case()
    assert case.resolve_by is not None and case.resolve_by.due == datetime(
        2026, 11, 27, 9, 0, tzinfo=CST
    )
    friday_2pm = datetime(2026, 11, 27, 14, 0, tzinfo=CST)
    f = case_facts(run(case, Resolved(at=friday_2pm, actor="m")), calendar=CAL)
    # Friday 09:00 plus the 4 working hours given back: 09:00-12:00 (3 h), 14:00-15:00 (1 h).
    assert f.resolve_due == datetime(2026, 11, 27, 15, 0, tzinfo=CST)
    assert (f.resolved_at, f.resolved_on_time) == (friday_2pm, True)
    # Accepted Thursday 09:30, before any pause: 4 working hours from 09:00 are 09:00-12:00
    # (3 h) and 14:00-15:00 (1 h).
    assert (f.accept_due, f.accepted_on_time) == (datetime(2026, 11, 26, 15, 0, tzinfo=CST), True)


def test_paused_working_time_needs_the_calendar() -> None:
    with pytest.raises(InvalidValueError, match="'calendar' must be the WorkCalendar case 'c-w'"):
        case_facts(_working_case())


# --------------------------------------------------------------------------- extensions


def _extended() -> Case:
    """Resolve due at 48 h; an extension to 96 h asked at 20 h and granted at 24 h."""
    return run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        ExtensionRequested(at=at(20), actor="m", until=at(96), reason="需采购配件"),
        ExtensionGranted(at=at(24), actor="m-sec"),
    )


def test_an_extension_granted_before_the_deadline_moves_on_time_but_not_unextended() -> None:
    f = case_facts(run(_extended(), Resolved(at=at(70), actor="m")))
    assert (f.resolve_due, f.resolved_on_time) == (at(96), True)
    assert (f.resolve_due_unextended, f.resolved_on_time_unextended) == (at(48), False)
    assert (f.extensions, f.extension_requests) == (1, 1)


def test_a_suspension_after_a_grant_is_given_back_to_both_deadlines() -> None:
    case = run(
        _extended(),
        Suspended(at=at(30), actor="m", reason="x"),
        Resumed(at=at(40), actor="m"),
        Resolved(at=at(57), actor="m"),
    )
    f = case_facts(case)
    assert (f.resolve_due, f.resolve_due_unextended) == (at(106), at(58))
    assert (f.resolved_on_time, f.resolved_on_time_unextended) == (True, True)


def test_a_refused_extension_changes_nothing() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        ExtensionRequested(at=at(20), actor="m", until=at(96), reason="x"),
        ExtensionRefused(at=at(21), actor="m-sec", reason="可当日办结"),
        Resolved(at=at(50), actor="m"),
    )
    f = case_facts(case)
    assert (f.extensions, f.extension_requests, f.resolve_due, f.resolved_on_time) == (
        0,
        1,
        at(48),
        False,
    )


def test_an_extension_on_an_earlier_clock_does_not_count_for_the_current_one() -> None:
    # Extended to 96 h on the micro-grid's clock; then escalated at 30 h with a fresh 24 h clock.
    case = escalated_to(_extended(), "g3", "第三网格", hours=30, resolve=24)
    case = run(case, Accepted(at=at(31), actor="m-g3"), Resolved(at=at(50), actor="m-g3"))
    f = case_facts(case)
    assert (f.resolve_due, f.resolve_due_unextended, f.resolved_on_time) == (at(54), at(54), True)


# --------------------------------------------------------------------------- rework


def test_a_failed_verification_is_rework_with_the_waiting_time_given_back() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(10), actor="m"),
        VerificationFailed(at=at(12), actor="m-sec", reason="扶手未装"),
    )
    reopened = case_facts(case)
    assert (reopened.resolved_at, reopened.resolved_on_time) == (None, None)  # it did not stand
    assert (reopened.rework, reopened.verification_failures, reopened.resolve_due) == (1, 1, at(50))
    f = case_facts(
        run(
            case,
            Resolved(at=at(49), actor="m"),
            Verified(at=at(50), actor="v"),
            Closed(at=at(51), actor="v"),
        )
    )
    # 48 h + the 2 h awaiting verification = 50 h; resolved again at 49 h.
    assert (f.resolved_at, f.resolve_due, f.resolved_on_time) == (at(49), at(50), True)


def test_a_dissatisfied_resident_is_rework_with_a_new_deadline() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(10), actor="m"),
        Verified(at=at(11), actor="v"),
        ResidentDissatisfied(
            at=at(60), actor="r-1", note="仍漏水", resolve_by=Deadline(start=at(60), due=at(72))
        ),
        Resolved(at=at(70), actor="m"),
        ResidentSatisfied(at=at(71), actor="r-1"),
    )
    f = case_facts(case)
    assert (f.rework, f.verification_failures, f.dissatisfied) == (1, 0, 1)
    assert (f.resolved_at, f.resolve_due, f.resolved_on_time) == (at(70), at(72), True)
    assert f.satisfaction is Satisfaction.SATISFIED


def test_a_dissatisfied_evaluation_counts_as_dissatisfied_but_not_rework() -> None:
    case = loop(make_case(), evaluate=False)
    f = case_facts(
        run(case, Evaluated(at=at(40), actor="r-1", satisfaction=Satisfaction.DISSATISFIED))
    )
    assert (f.dissatisfied, f.rework, f.satisfaction) == (1, 0, Satisfaction.DISSATISFIED)


# --------------------------------------------------------------------------- ownership


def test_the_escalation_path_and_beyond() -> None:
    case = run(make_case(), Accepted(at=at(0.5), actor="m-li"))
    case = escalated_to(case, "g3", "第三网格", hours=1)
    case = escalated_to(case, "yx", "亚新社区", hours=2, trigger=Trigger.INCAPABLE)
    case = escalated_to(case, "sd", "淮河路街道", hours=3, beyond=True)
    f = case_facts(case)
    assert (f.escalations, f.escalation_path, f.beyond) == (3, ("g3", "yx", "sd"), True)
    assert f.escalation_triggers == (Trigger.MANUAL, Trigger.INCAPABLE, Trigger.MANUAL)
    assert (f.filed_unit, f.owner, f.chain, f.status) == (
        "mg31",
        "sd",
        ("mg31", "g3", "yx"),
        CaseStatus.REPORTED,
    )
    # First accepted at 0.5 h under the filing's 4 h accept deadline; the escalations set none.
    assert (f.accepted_at, f.accept_due, f.accepted_on_time) == (at(0.5), at(4), True)
    assert f.resolve_due == at(27)  # the last escalation's clock: 24 h from 3 h


def test_the_closing_unit_is_the_owner_when_closed() -> None:
    case = escalated_to(make_case(), "g3", "第三网格", hours=1, resolve=24)
    f = case_facts(loop(case, accept=2, resolve=20))
    assert (f.filed_unit, f.closing_unit, f.owner, f.escalations) == ("mg31", "g3", "g3", 1)
    assert (f.resolve_due, f.resolved_on_time) == (at(25), True)


def test_a_returned_case_keeps_its_filing_chain_and_version() -> None:
    case = run(
        make_case(),
        Returned(
            at=at(1),
            actor="m-li",
            reason="非本网格",
            chain=GRID.chain("mg32"),
            grid_version="2026-12",
            resolve_by=Deadline(start=at(1), due=at(30)),
        ),
    )
    f = case_facts(case)
    assert (f.returns, f.owner, f.filed_unit) == (1, "mg32", "mg31")
    assert (f.chain, f.micro_grid, f.grid_version) == (("mg31", "g3", "yx"), "mg31", "2026-11")
    assert f.resolve_due == at(30)


def test_co_handlers_are_counted() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        CoHandlerLinked(at=at(2), actor="m", handler="p-wuye", name="物业"),
        CoHandlerLinked(at=at(2), actor="m", handler="p-police", required=False),
        CoHandlerCompleted(at=at(3), actor="p-wuye", handler="p-wuye"),
    )
    assert case_facts(case).co_handlers == 2


# --------------------------------------------------------------------------- duplicates


def test_merged_duplicates_and_merged_into() -> None:
    kept = run(
        make_case(),
        DuplicateMerged(at=at(1), actor="m", duplicate="c-2", issue=make_issue(2)),
        DuplicateMerged(at=at(2), actor="m", duplicate="c-3", issue=make_issue(3)),
    )
    gone = run(make_case(2), MergedInto(at=at(1), actor="m", into="c-1"))
    assert (case_facts(kept).duplicates, case_facts(kept).merged_into) == (2, None)
    f = case_facts(gone)
    assert (f.duplicates, f.merged_into, f.status) == (0, "c-1", CaseStatus.MERGED)


# --------------------------------------------------------------------------- places and grids


def test_an_unlocated_issue_has_no_micro_grid() -> None:
    f = case_facts(make_case(place=None, reporter=Reporter.resident("r-9")))
    assert (f.located, f.place, f.micro_grid, f.chain) == (False, None, None, ("yx",))


def test_a_unit_level_issue() -> None:
    f = case_facts(make_case(place=None, unit="g3"))
    assert (f.located, f.place, f.chain, f.micro_grid) == (True, None, ("g3", "yx"), "g3")


FOUR = GridGraph(
    version="v4",
    scheme=FOUR_TIER,
    units=[
        GridUnit(id="sd", name="淮河路街道", tier="subdistrict"),
        GridUnit(id="yx", name="亚新社区", tier="community", parent="sd"),
        GridUnit(id="g1", name="第一网格", tier="grid", parent="yx"),
        GridUnit(id="mg1", name="1号楼", tier="micro_grid", parent="g1"),
    ],
    places={"h1": "mg1"},
)
STREET = DEFAULT_CATALOGUE.with_categories(
    [
        Category(code="lift", label="lifts", zh="电梯", parent="facility_repair"),
        Category(code="lift_stuck", label="lift stuck", zh="电梯困人", parent="lift"),
    ],
    name="street",
)


def test_a_four_tier_grid_and_a_street_catalogue() -> None:
    issue = make_issue(category="lift_stuck", place="h1", severity=3)
    case = Case(
        events=[
            CaseOpened(
                at=T0,
                actor="m",
                case="c-4",
                issue=issue,
                chain=FOUR.place_chain("h1"),
                grid_version=FOUR.version,
            )
        ]
    )
    f = case_facts(case, catalogue=STREET)
    assert (f.chain, f.micro_grid, f.grid_version) == (("mg1", "g1", "yx", "sd"), "mg1", "v4")
    assert f.categories == ("lift_stuck", "lift", "facility_repair")
    with pytest.raises(PolicyError, match="'category' must be a code of catalogue"):
        case_facts(case)  # the default catalogue has no lift_stuck


# --------------------------------------------------------------------------- dispatch


def test_dispatch_is_timed_from_acceptance_by_the_callers_limit() -> None:
    limit = TimeLimit.working_hours(2)
    # Accepted Thursday 10:00: 2 working hours → 12:00; dispatched 10:30.
    on_time = run(
        make_case(), Accepted(at=at(1), actor="m"), Dispatched(at=at(1.5), actor="m", handler="w")
    )
    f = case_facts(on_time, calendar=CAL, dispatch_limit=limit)
    assert (f.dispatch_due, f.dispatched_on_time) == (at(3), True)
    # Accepted Thursday 11:00: 1 h before lunch, 1 h after → 15:00; dispatched 15:30: late.
    late = run(
        make_case(), Accepted(at=at(2), actor="m"), Dispatched(at=at(6.5), actor="m", handler="w")
    )
    f = case_facts(late, calendar=CAL, dispatch_limit=limit)
    assert (f.dispatch_due, f.dispatched_on_time) == (at(6), False)
    # Not accepted yet: no dispatch clock.
    assert case_facts(make_case(), calendar=CAL, dispatch_limit=limit).dispatch_due is None


def test_a_natural_dispatch_limit_needs_no_calendar_but_a_working_one_does() -> None:
    case = run(
        make_case(), Accepted(at=at(1), actor="m"), Dispatched(at=at(30), actor="m", handler="w")
    )
    f = case_facts(case, dispatch_limit=TimeLimit.natural_hours(24))
    assert (f.dispatch_due, f.dispatched_on_time) == (at(25), False)
    with pytest.raises(
        InvalidValueError, match="'calendar' must be a WorkCalendar to count the dispatch"
    ):
        case_facts(case, dispatch_limit=TimeLimit.working_hours(2))
    with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
        case_facts(case, dispatch_limit=TimeLimit.same_day())


# --------------------------------------------------------------------------- batch and doors


def _assorted() -> list[Case]:
    return [
        loop(make_case()),
        loop(make_case(2), accept=5, resolve=50),
        run(_extended(), Resolved(at=at(70), actor="m")),
        _working_case(),
        escalated_to(make_case(5), "g3", "第三网格"),
        make_case(6, place=None),
    ]


def test_facts_of_equals_case_facts_for_each_case() -> None:
    cases = _assorted()
    limit = TimeLimit.working_hours(2)
    batch = list(facts_of(cases, calendar=CAL, dispatch_limit=limit))
    assert batch == [case_facts(c, calendar=CAL, dispatch_limit=limit) for c in cases]
    assert list(facts_of(iter(cases), calendar=CAL)) == [case_facts(c, calendar=CAL) for c in cases]


def test_facts_round_trip_through_dicts() -> None:
    for f in facts_of(_assorted(), calendar=CAL):
        assert from_dict(to_dict(f)) == f


def test_the_facts_are_a_validated_value() -> None:
    f = case_facts(loop(make_case()))
    with pytest.raises(InvalidValueError, match="'rework' of CaseFacts"):
        CaseFacts(
            **{**{a: getattr(f, a) for a in f.__slots__ if not a.startswith("__")}, "rework": -1}
        )


def test_bad_arguments_are_refused_naming_them() -> None:
    case = make_case()
    with pytest.raises(InvalidValueError, match="'case' must be a Case"):
        case_facts("c-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'catalogue' must be a CategoryCatalogue"):
        case_facts(case, catalogue="street")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
        case_facts(case, calendar="office")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'dispatch_limit' must be a TimeLimit"):
        case_facts(case, dispatch_limit=2)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'cases' must be an iterable of Case values"):
        facts_of(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'cases' must be a Case"):
        list(facts_of([case, "c-2"]))  # type: ignore[list-item]


def test_facts_of_without_the_unextended_replay_leaves_only_those_two_fields() -> None:
    cases = _assorted()
    limit = TimeLimit.working_hours(2)
    full = list(facts_of(cases, calendar=CAL, dispatch_limit=limit))
    lean = list(facts_of(cases, calendar=CAL, dispatch_limit=limit, unextended=False))
    assert any(f.resolve_due_unextended != f.resolve_due for f in full)  # an extended case
    assert lean == [attrs.evolve(f, resolve_due_unextended=None, resolved_on_time_unextended=None)
                    for f in full]
    with pytest.raises(InvalidValueError, match="'unextended'"):
        facts_of(cases, unextended="no")  # type: ignore[arg-type]
