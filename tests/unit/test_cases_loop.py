"""Unit tests for gridgov.cases: the statuses and the event table, the events' doors, the closed
loop and its refusals, suspension and extensions.

Escalation, rework, linkage, duplicates and replay are in ``test_cases_escalation_replay.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest

from builders import CAL, GRID, T0, at, make_case, make_issue, run
from gridgov import (
    CST,
    Deadline,
    InvalidTransitionError,
    InvalidValueError,
    Reason,
    TimeLimit,
    to_dict,
)
from gridgov.cases import (
    MAX_EVENTS,
    TRANSITIONS,
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseState,
    CaseStatus,
    Closed,
    CoHandler,
    CoHandlerLinked,
    Dispatched,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    Rejected,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
    lifecycle,
    replay,
    transition,
)
from gridgov.cases import case as case_module


def loop_to_verified(case: Case, start: float = 1) -> Case:
    return run(
        case,
        Accepted(at=at(start), actor="m-li"),
        Dispatched(at=at(start + 0.1), actor="m-li", handler="m-w3"),
        HandlingStarted(at=at(start + 0.2), actor="m-w3"),
        Resolved(at=at(start + 0.3), actor="m-w3", summary="修好了"),
        Verified(at=at(start + 0.4), actor="m-sec"),
    )


# --------------------------------------------------------------------------- enums and table


def test_statuses_have_chinese_labels_and_kinds() -> None:
    assert [s.zh for s in CaseStatus] == [
        "已受理",
        "已立案",
        "不予立案",
        "已派遣",
        "处置中",
        "已反馈",
        "已核查",
        "已结案",
        "已评价",
        "已挂起",
        "已并案",
    ]
    assert {s for s in CaseStatus if s.is_terminal} == {
        CaseStatus.REJECTED,
        CaseStatus.CLOSED,
        CaseStatus.EVALUATED,
        CaseStatus.MERGED,
    }
    assert {s for s in CaseStatus if s.is_active} == {
        CaseStatus.REPORTED,
        CaseStatus.ACCEPTED,
        CaseStatus.DISPATCHED,
        CaseStatus.IN_PROGRESS,
    }
    assert CaseStatus.IN_PROGRESS.label == "in progress"


def test_triggers_and_satisfaction_have_labels() -> None:
    assert all(t.zh and t.label for t in Trigger)
    assert {t for t in Trigger if t.is_overdue} == {
        Trigger.ACCEPT_OVERDUE,
        Trigger.RESOLVE_OVERDUE,
    }
    assert {t for t in Trigger if t.counts} == {Trigger.REPEATED, Trigger.DISSATISFIED}
    assert Satisfaction.BASICALLY_SATISFIED.satisfied
    assert not Satisfaction.DISSATISFIED.satisfied


def _event_classes() -> set[type[CaseEvent]]:
    import gridgov.cases as package

    found = (getattr(package, name) for name in package.__all__)
    return {c for c in found if isinstance(c, type) and issubclass(c, CaseEvent)} - {CaseEvent}


def test_there_are_25_event_classes_and_the_table_covers_each() -> None:
    classes = _event_classes()
    assert len(classes) == 25
    assert set(TRANSITIONS) == classes
    for cls, (sources, target) in TRANSITIONS.items():
        assert isinstance(target, CaseStatus) or target in ("same", "previous"), cls
        assert not (sources & {CaseStatus.REJECTED, CaseStatus.EVALUATED, CaseStatus.MERGED}), cls
    assert TRANSITIONS[CaseOpened].sources == frozenset()
    assert TRANSITIONS[Evaluated].sources == {CaseStatus.CLOSED}


def test_the_handler_table_dispatches_every_event_class_but_the_opening() -> None:
    # One handler per event class, keyed by the class itself; the opening builds the state.
    assert set(lifecycle._HANDLERS) == _event_classes() - {CaseOpened}
    assert all(callable(h) for h in lifecycle._HANDLERS.values())


def test_every_event_class_is_registered_for_serialisation() -> None:
    from gridgov import serialize

    for cls in _event_classes():
        assert serialize._REGISTRY[cls.__name__] is cls


# --------------------------------------------------------------------------- doors


def test_case_opened_validates_its_chain_position_and_time() -> None:
    issue = make_issue()
    chain = GRID.place_chain("h-1001")
    with pytest.raises(InvalidValueError, match="must run from a unit up to its root"):
        CaseOpened(
            at=T0, actor="a", case="c", issue=issue, chain=[chain[0], chain[2]], grid_version="v"
        )
    with pytest.raises(InvalidValueError, match="must end at a root unit"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain=chain[:2], grid_version="v")
    with pytest.raises(InvalidValueError, match="at least one unit"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain=[], grid_version="v")
    with pytest.raises(InvalidValueError, match="'chain' of CaseOpened must be a collection"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain="mg31", grid_version="v")
    with pytest.raises(InvalidValueError, match="before the issue was reported"):
        CaseOpened(at=at(-1), actor="a", case="c", issue=issue, chain=chain, grid_version="v")
    with pytest.raises(InvalidValueError, match="'position' of CaseOpened must be an integer"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain=chain, grid_version="v",
                   position=3)
    with pytest.raises(InvalidValueError, match="'located' of CaseOpened must be the issue's"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain=chain, grid_version="v",
                   located=False)
    about_unit = make_issue(place=None, unit="g3")
    with pytest.raises(InvalidValueError, match="must start at the unit the issue concerns"):
        CaseOpened(at=T0, actor="a", case="c", issue=about_unit, chain=chain, grid_version="v")
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        Accepted(at=datetime(2026, 11, 26, 9), actor="a")
    with pytest.raises(InvalidValueError, match="'actor' of Accepted must be an id"):
        Accepted(at=T0, actor="")


def test_deadlines_must_fit_the_events_that_carry_them() -> None:
    issue, chain = make_issue(), GRID.place_chain("h-1001")
    later = Deadline(start=at(1), due=at(5))
    with pytest.raises(InvalidValueError, match="'resolve_by' of CaseOpened must start no later"):
        CaseOpened(at=T0, actor="a", case="c", issue=issue, chain=chain, grid_version="v",
                   resolve_by=later)
    with pytest.raises(InvalidValueError, match="'resolve_by' of VerificationFailed must not be"):
        VerificationFailed(at=at(6), actor="a", reason="x", resolve_by=later)
    with pytest.raises(InvalidValueError, match="'accept_by' of Returned must start no later"):
        Returned(at=T0, actor="a", reason="x", chain=chain, grid_version="v", accept_by=later)
    with pytest.raises(InvalidValueError, match="'due' of CoHandlerLinked must not be before"):
        CoHandlerLinked(at=at(2), actor="m", handler="x", due=at(1))
    with pytest.raises(InvalidValueError, match="'due' of CoHandler must not be before it was"):
        CoHandler(id="x", linked_at=at(2), due=at(1))


def test_free_text_is_bounded_and_never_echoed() -> None:
    with pytest.raises(InvalidValueError, match=r"'note' of Accepted must be text.*not shown"):
        Accepted(at=T0, actor="m", note="x" * 4001)
    with pytest.raises(InvalidValueError, match="'summary' of Resolved must be text"):
        Resolved(at=T0, actor="m", summary=["修好了"])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'reason' of Suspended must be a non-blank"):
        Suspended(at=T0, actor="m", reason="  ")
    assert Accepted(at=T0, actor="m", note="x" * 4000).note == "x" * 4000


def test_escalated_carries_a_consistent_shape() -> None:
    base = {"at": at(2), "actor": "m", "from_unit": "mg31", "from_name": "美好人家1号楼",
            "to": "g3", "to_name": "第三网格", "reason": Reason(zh="z", en="e")}
    with pytest.raises(InvalidValueError, match="'due' of Escalated must be the deadline missed"):
        Escalated(trigger=Trigger.RESOLVE_OVERDUE, **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="a deadline already missed"):
        Escalated(trigger=Trigger.RESOLVE_OVERDUE, due=at(3), **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'due' of Escalated must be None"):
        Escalated(trigger=Trigger.MANUAL, due=at(1), **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'times' of Escalated must be None"):
        Escalated(trigger=Trigger.MANUAL, times=2, **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'via' of Escalated must be empty"):
        Escalated(trigger=Trigger.MANUAL, via="吹哨报到", **base)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'reason' of Escalated must be a Reason"):
        Escalated(trigger=Trigger.MANUAL, **{**base, "reason": "上报"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'times' of Escalated must be an integer"):
        Escalated(trigger=Trigger.REPEATED, times=0, **base)  # type: ignore[arg-type]
    ok = Escalated(trigger=Trigger.RESOLVE_OVERDUE, due=at(1), **base)  # type: ignore[arg-type]
    assert ok.due == at(1)


def test_the_first_event_must_open_the_case_and_only_the_first() -> None:
    with pytest.raises(InvalidTransitionError, match="first event must be CaseOpened"):
        Case(events=[])
    with pytest.raises(InvalidTransitionError, match="first event must be CaseOpened"):
        Case(events=[Accepted(at=T0, actor="m")])
    case = make_case()
    with pytest.raises(InvalidTransitionError, match="is already open"):
        apply_event(case, case.events[0])
    with pytest.raises(InvalidValueError, match="'events' of Case must be a collection"):
        Case(events=case.events[0])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'events' of Case must be a collection"):
        Case(events=[case.events[0], "Accepted"])  # type: ignore[list-item]


def test_a_case_holds_at_most_max_events(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_EVENTS == 100_000
    monkeypatch.setattr(case_module, "MAX_EVENTS", 3)
    case = run(make_case(), Accepted(at=at(1), actor="m"), Dispatched(at=at(2), actor="m",
                                                                        handler="h"))
    with pytest.raises(InvalidTransitionError, match="already holds 3 events, the most"):
        apply_event(case, HandlingStarted(at=at(3), actor="m"))
    with pytest.raises(InvalidValueError, match="'events' of Case must hold at most 3 events"):
        Case(events=[*case.events, HandlingStarted(at=at(3), actor="m")])


def test_a_case_links_at_most_max_co_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "MAX_CO_HANDLERS", 2)
    case = run(
        make_case(),
        CoHandlerLinked(at=at(1), actor="m", handler="p-1"),
        CoHandlerLinked(at=at(1), actor="m", handler="p-2"),
    )
    with pytest.raises(InvalidTransitionError, match="already has 2 co-handlers, the most"):
        apply_event(case, CoHandlerLinked(at=at(1), actor="m", handler="p-3"))


# --------------------------------------------------------------------------- the loop


def test_the_whole_closed_loop() -> None:
    case = loop_to_verified(make_case())
    case = run(
        case,
        ResidentSatisfied(at=at(2), actor="r-9"),
        Closed(at=at(3), actor="m-sec"),
        Evaluated(at=at(4), actor="r-9", satisfaction=Satisfaction.SATISFIED),
    )
    assert [s.status for s in case.timeline()] == [
        CaseStatus.REPORTED,
        CaseStatus.ACCEPTED,
        CaseStatus.DISPATCHED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RESOLVED,
        CaseStatus.VERIFIED,
        CaseStatus.VERIFIED,
        CaseStatus.CLOSED,
        CaseStatus.EVALUATED,
    ]
    assert case.handler == "m-w3"
    assert case.satisfaction is Satisfaction.SATISFIED
    assert not case.is_open
    assert case.updated_at == at(4)
    assert case.clocks is None  # nothing can be due any more


def test_an_event_for_a_closed_case_is_refused_naming_status_and_event() -> None:
    case = run(loop_to_verified(make_case()), Closed(at=at(3), actor="m-sec"))
    with pytest.raises(InvalidTransitionError) as info:
        apply_event(case, Accepted(at=at(4), actor="m-li"))
    message = str(info.value)
    assert "case 'c-1' is closed (已结案)" in message
    assert "event Accepted (立案) is not allowed" in message
    assert "allowed only when the case is reported" in message
    evaluated = apply_event(case, Evaluated(at=at(4), actor="r", satisfaction=Satisfaction.SATISFIED))
    with pytest.raises(InvalidTransitionError, match="is evaluated"):
        apply_event(evaluated, Evaluated(at=at(5), actor="r", satisfaction=Satisfaction.SATISFIED))


@pytest.mark.parametrize(
    "event",
    [
        Closed(at=at(1), actor="m"),
        Resolved(at=at(1), actor="m"),
        HandlingStarted(at=at(1), actor="m"),
        Verified(at=at(1), actor="m"),
        Resumed(at=at(1), actor="m"),
        Evaluated(at=at(1), actor="m", satisfaction=Satisfaction.SATISFIED),
    ],
)
def test_forbidden_transitions_from_reported(event: CaseEvent) -> None:
    with pytest.raises(InvalidTransitionError, match="is reported"):
        apply_event(make_case(), event)


def test_a_refused_event_changes_nothing() -> None:
    case = make_case()
    before, state = to_dict(case), case.state
    with pytest.raises(InvalidTransitionError):
        apply_event(case, Closed(at=at(1), actor="m"))
    assert to_dict(case) == before
    assert case.state is state
    assert len(case.events) == 1


def test_events_out_of_time_order_are_refused_and_equal_times_allowed() -> None:
    case = apply_event(make_case(), Accepted(at=at(2), actor="m"))
    with pytest.raises(InvalidTransitionError, match="earlier than the case's last event"):
        apply_event(case, Dispatched(at=at(1), actor="m", handler="h"))
    same = apply_event(case, Dispatched(at=at(2), actor="m", handler="h"))
    assert same.status is CaseStatus.DISPATCHED


def test_rejection_ends_the_loop() -> None:
    case = apply_event(make_case(), Rejected(at=at(1), actor="m", reason="不属于本社区事务"))
    assert case.status is CaseStatus.REJECTED
    assert not case.is_open
    with pytest.raises(InvalidTransitionError, match="is rejected"):
        apply_event(case, Accepted(at=at(2), actor="m"))


def test_resolving_directly_after_acceptance_and_redispatching() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Dispatched(at=at(2), actor="m", handler="a"),
        HandlingStarted(at=at(3), actor="a"),
        Dispatched(at=at(4), actor="m", handler="b"),
    )
    assert case.status is CaseStatus.DISPATCHED
    assert case.handler == "b"
    direct = run(make_case(), Accepted(at=at(1), actor="m"), Resolved(at=at(2), actor="m"))
    assert direct.status is CaseStatus.RESOLVED


def test_unknown_event_kinds_and_bad_arguments_are_refused() -> None:
    @attrs.frozen(kw_only=True)
    class Mine(Accepted):
        pass

    with pytest.raises(InvalidTransitionError, match="not a gridgov case event"):
        apply_event(make_case(), Mine(at=at(1), actor="m"))
    with pytest.raises(InvalidValueError, match="'event' must be a CaseEvent"):
        apply_event(make_case(), "Accepted")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'case' must be a Case"):
        apply_event("c-1", Accepted(at=at(1), actor="m"))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'state' must be a CaseState"):
        transition(make_case(), Accepted(at=at(1), actor="m"))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'events' must be a collection"):
        replay("events")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="built by the lifecycle"):
        CaseState()


# --------------------------------------------------------------------------- suspension


def test_suspension_returns_to_the_previous_status_and_gives_time_back() -> None:
    case = run(
        make_case(), Accepted(at=at(1), actor="m"), Suspended(at=at(2), actor="m", reason="r")
    )
    assert case.status is CaseStatus.SUSPENDED
    assert case.suspended_from is CaseStatus.ACCEPTED
    assert case.paused_since == at(2)
    assert case.clocks is None  # a suspended case's clocks are stopped
    with pytest.raises(InvalidTransitionError, match="is suspended"):
        apply_event(case, Resolved(at=at(3), actor="m"))
    resumed = apply_event(case, Resumed(at=at(5), actor="m"))
    assert resumed.status is CaseStatus.ACCEPTED
    assert resumed.suspended_from is None
    assert resumed.paused_since is None
    assert resumed.resolve_by is not None
    assert resumed.resolve_by.pauses == ((at(2), at(5)),)
    assert resumed.resolve_by.effective() == at(51)
    # The accept clock was not running (the case was accepted): no pause recorded on it.
    assert resumed.accept_by is not None
    assert resumed.accept_by.pauses == ()


def test_suspension_while_reported_pauses_the_accept_clock_too() -> None:
    case = run(make_case(), Suspended(at=at(1), actor="m", reason="r"), Resumed(at=at(3), actor="m"))
    assert case.status is CaseStatus.REPORTED
    assert case.accept_by is not None
    assert case.accept_by.effective() == at(6)


def test_working_time_is_given_back_on_a_working_deadline() -> None:
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    working = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=CAL, source="sla:x")
    issue = make_issue(reported_at=friday)
    case = Case(events=[CaseOpened(at=friday, actor="m", case="c", issue=issue,
                                   chain=GRID.place_chain("h-1001"), grid_version="v",
                                   accept_by=working)])
    case = run(
        case,
        Suspended(at=friday + timedelta(hours=1), actor="m", reason="r"),
        Resumed(at=datetime(2026, 11, 30, 9, tzinfo=CST), actor="m"),
    )
    assert case.accept_by is not None
    assert case.accept_by.source == "sla:x"
    assert case.accept_by.effective(CAL) == datetime(2026, 11, 30, 12, 0, tzinfo=CST)


# --------------------------------------------------------------------------- extensions


def test_an_extension_is_requested_then_granted_or_refused() -> None:
    accepted = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    asked = apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(96), reason="等配件"))
    assert asked.extension_requested == at(96)
    with pytest.raises(InvalidTransitionError, match="already has an extension request pending"):
        apply_event(asked, ExtensionRequested(at=at(3), actor="m", until=at(97), reason="x"))
    granted = apply_event(asked, ExtensionGranted(at=at(3), actor="m-sec"))
    assert granted.resolve_by is not None
    assert (granted.resolve_by.due, granted.resolve_by.source) == (at(96), "extension")
    assert granted.resolve_by.start == at(3)
    assert granted.extension_requested is None
    other = apply_event(asked, ExtensionGranted(at=at(3), actor="m-sec", until=at(72)))
    assert other.resolve_by is not None
    assert other.resolve_by.due == at(72)
    refused = apply_event(asked, ExtensionRefused(at=at(3), actor="m-sec", reason="可当日办结"))
    assert refused.resolve_by == accepted.resolve_by
    with pytest.raises(InvalidTransitionError, match="no pending extension request"):
        apply_event(accepted, ExtensionGranted(at=at(3), actor="m-sec"))
    with pytest.raises(InvalidTransitionError, match="no pending extension request"):
        apply_event(accepted, ExtensionRefused(at=at(3), actor="m-sec", reason="x"))


def test_an_extension_must_move_the_deadline_later_and_not_into_the_past() -> None:
    accepted = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    with pytest.raises(InvalidTransitionError, match="to an earlier or equal date"):
        apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(48), reason="x"))
    asked = apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(60), reason="x"))
    with pytest.raises(InvalidTransitionError, match="to an earlier or equal date"):
        apply_event(asked, ExtensionGranted(at=at(3), actor="m", until=at(40)))
    with pytest.raises(InvalidTransitionError, match="which has already passed"):
        apply_event(asked, ExtensionGranted(at=at(61), actor="m"))
    no_clock = apply_event(make_case(resolve=None), Accepted(at=at(1), actor="m"))
    with pytest.raises(InvalidTransitionError, match="has no resolve deadline to extend"):
        apply_event(no_clock, ExtensionRequested(at=at(2), actor="m", until=at(96), reason="x"))
    with pytest.raises(InvalidValueError, match="'until' of ExtensionRequested must not be"):
        ExtensionRequested(at=at(2), actor="m", until=at(1), reason="x")


def test_a_granted_extension_sets_the_due_moment_as_the_case_stands() -> None:
    # Suspensions before the grant were given back to the deadline the approver replaced;
    # the extension's clock starts at the grant, so they are not given back twice.
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Suspended(at=at(2), actor="m", reason="r"),
        Resumed(at=at(4), actor="m"),
        ExtensionRequested(at=at(5), actor="m", until=at(100), reason="x"),
        ExtensionGranted(at=at(6), actor="m-sec"),
    )
    assert case.resolve_by is not None
    assert (case.resolve_by.start, case.resolve_by.pauses) == (at(6), ())
    assert case.resolve_by.effective() == at(100)


def test_an_extension_granted_during_a_suspension_keeps_the_rest_of_it() -> None:
    # Suspended at +2h; the extension is granted at +5h, while the case is still suspended;
    # resumed at +9h.  The new clock starts at the grant, so the 4 hours from the grant to
    # the resumption are given back; the case can be resumed although its deadline started
    # after the suspension began.
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        ExtensionRequested(at=at(1.5), actor="m", until=at(100), reason="等配件"),
        Suspended(at=at(2), actor="m", reason="等待业主"),
        ExtensionGranted(at=at(5), actor="m-sec"),
        Resumed(at=at(9), actor="m"),
    )
    assert case.status is CaseStatus.ACCEPTED
    assert case.resolve_by is not None
    assert case.resolve_by.pauses == ((at(5), at(9)),)
    assert case.resolve_by.effective() == at(104)


def test_a_working_extension_gives_back_working_time() -> None:
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    working = Deadline.of(TimeLimit.working_days(1), start=friday, calendar=CAL)
    case = Case(events=[CaseOpened(at=friday, actor="m", case="c",
                                   issue=make_issue(reported_at=friday),
                                   chain=GRID.place_chain("h-1001"), grid_version="v",
                                   resolve_by=working)])
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=CST)
    case = run(
        case,
        Accepted(at=friday, actor="m"),
        ExtensionRequested(at=friday, actor="m", until=datetime(2026, 12, 4, 18, tzinfo=CST),
                           reason="x"),
        Suspended(at=friday + timedelta(hours=1), actor="m", reason="r"),
        ExtensionGranted(at=monday, actor="m-sec"),
        Resumed(at=monday.replace(hour=14), actor="m"),
    )
    assert case.resolve_by is not None
    assert case.resolve_by.basis == "working"
    # From the grant (Monday 09:00) to 14:00 are 3 working hours, given back after Friday
    # 18:00: the next Monday at 11:30.
    assert case.resolve_by.effective(CAL) == datetime(2026, 12, 7, 11, 30, tzinfo=CST)
