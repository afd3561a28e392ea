"""Unit tests for gridgov.cases: the lifecycle, its refusals, clocks, linkage, merging, replay."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import attrs
import pytest

from gridgov import (
    CST,
    Channel,
    GridUnit,
    InvalidTransitionError,
    InvalidValueError,
    Issue,
    Reporter,
    Severity,
    TimeLimit,
    UnknownUnitError,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    TRANSITIONS,
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    CaseStatus,
    Closed,
    CoHandler,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Deadline,
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
    merge_duplicate,
    open_case,
    replay,
    reroute,
)
from gridgov.demo import sample_grid
from gridgov.escalation import EscalationPolicy, ExternalBody, Sla
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=CST)  # a Thursday
GRID = sample_grid()
CAL = WorkCalendar()


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def make_issue(**kw: object) -> Issue:
    fields: dict[str, object] = {
        "id": "i-1",
        "category": "facility_repair",
        "severity": 1,
        "channel": Channel.APP,
        "place": "h-1001",
        "reporter": Reporter.resident("r-9"),
        "reported_at": T0,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


def make_case(
    *,
    accept_hours: float | None = 4,
    resolve_hours: float | None = 48,
    place: str = "h-1001",
    case_id: str = "c-1",
    **kw: object,
) -> Case:
    issue = make_issue(place=place, **kw)
    start = issue.reported_at
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="m-li",
                case=case_id,
                issue=issue,
                chain=GRID.place_chain(place),
                grid_version=GRID.version,
                accept_by=None
                if accept_hours is None
                else Deadline(start=start, due=at(accept_hours)),
                resolve_by=None
                if resolve_hours is None
                else Deadline(start=start, due=at(resolve_hours)),
            )
        ]
    )


def run(case: Case, *events: CaseEvent) -> Case:
    for e in events:
        case = apply_event(case, e)
    return case


def loop_to_verified(case: Case, start: float = 1) -> Case:
    return run(
        case,
        Accepted(at=at(start), actor="m-li"),
        Dispatched(at=at(start + 0.1), actor="m-li", handler="m-w3"),
        HandlingStarted(at=at(start + 0.2), actor="m-w3"),
        Resolved(at=at(start + 0.3), actor="m-w3", summary="修好了"),
        Verified(at=at(start + 0.4), actor="m-sec"),
    )


# --------------------------------------------------------------------------- enums


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
    assert Satisfaction.BASICALLY_SATISFIED.satisfied
    assert not Satisfaction.DISSATISFIED.satisfied


def test_the_transition_table_covers_every_event_kind() -> None:
    kinds = {cls.__name__ for cls in _event_classes()}
    assert set(TRANSITIONS) == kinds
    for name, (sources, target) in TRANSITIONS.items():
        assert isinstance(target, CaseStatus) or target in ("same", "previous"), name
        assert not (sources & {CaseStatus.REJECTED, CaseStatus.EVALUATED, CaseStatus.MERGED}), name
    assert TRANSITIONS["CaseOpened"].sources == frozenset()
    assert TRANSITIONS["Evaluated"].sources == {CaseStatus.CLOSED}


def _event_classes() -> list[type[CaseEvent]]:
    import gridgov.cases as module

    return [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, CaseEvent) and v is not CaseEvent
    ]


# --------------------------------------------------------------------------- opening


def test_open_case_from_a_routed_issue_keeps_unit_version_and_links_partners() -> None:
    issue = make_issue()
    a = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    case = open_case(issue, a, grid=GRID, actor="m-li")
    assert case.id == "i-1"
    assert case.status is CaseStatus.REPORTED
    assert case.owner == case.filed_unit == case.accountable == "mg31"
    assert [u.id for u in case.chain] == ["mg31", "g3", "yx"]
    assert case.grid_version == "2026-11"
    assert case.rule == "facility"
    assert case.accept_by is not None
    assert case.accept_by.due == a.accept_by
    assert case.resolve_by is not None
    assert case.resolve_by.due == a.resolve_by
    assert [(h.id, h.name, h.required, h.is_open) for h in case.co_handlers] == [
        ("p-wuye", "美好人家物业", True, True)
    ]
    assert case.co_handlers[0].due == a.resolve_by
    assert [type(e).__name__ for e in case.events] == ["CaseOpened", "CoHandlerLinked"]


def test_open_case_without_linking_and_with_an_own_id() -> None:
    issue = make_issue()
    a = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    case = open_case(issue, a, grid=GRID, actor="m-li", link_partners=False, case_id="yx-9")
    assert case.co_handlers == ()
    assert case.id == "yx-9"


def test_open_case_takes_deadlines_from_the_policy_when_it_has_an_sla() -> None:
    issue = make_issue()
    a = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    policy = EscalationPolicy(
        name="p",
        beyond=ExternalBody(id="sd", name="街道"),
        slas=[Sla(tier="micro_grid", resolve_within=TimeLimit.working_days(2))],
    )
    case = open_case(issue, a, grid=GRID, actor="m-li", policy=policy, at=at(1))
    assert case.resolve_by is not None
    assert case.resolve_by.due == datetime(2026, 11, 30, 10, 0, tzinfo=CST)
    assert case.resolve_by.basis == "working"
    assert case.resolve_by.start == at(1)
    # No accept limit in the SLA: the rule's deadline is used, counted from the report.
    assert case.accept_by is not None
    assert case.accept_by.due == a.accept_by
    assert case.accept_by.basis == "natural"


def test_open_case_refuses_a_mismatched_assignment_or_grid() -> None:
    issue = make_issue()
    a = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    with pytest.raises(InvalidValueError, match="is for issue 'i-1', not for issue 'i-2'"):
        open_case(make_issue(id="i-2"), a, grid=GRID, actor="m-li")
    with pytest.raises(InvalidValueError, match="routed on grid version '2026-11'"):
        open_case(issue, a, grid=sample_grid("2027-01"), actor="m-li")
    with pytest.raises(UnknownUnitError):
        open_case(issue, attrs.evolve(a, unit="nowhere"), grid=GRID, actor="m-li")
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        open_case(issue, a, grid=GRID, actor="m-li", at=datetime(2026, 11, 26, 10))


def test_a_deadline_in_the_past_at_creation_is_refused() -> None:
    issue = make_issue()
    a = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(issue)
    with pytest.raises(InvalidValueError, match="'accept_by' of CaseOpened must not be before"):
        open_case(issue, a, grid=GRID, actor="m-li", at=at(24 * 30))


def test_case_opened_validates_its_chain_and_time() -> None:
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
    with pytest.raises(InvalidValueError, match="before the issue was reported"):
        CaseOpened(at=at(-1), actor="a", case="c", issue=issue, chain=chain, grid_version="v")
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        Accepted(at=datetime(2026, 11, 26, 9), actor="a")
    with pytest.raises(InvalidValueError, match="'actor' of Accepted must be a non-empty"):
        Accepted(at=T0, actor="")


def test_the_first_event_must_open_the_case_and_only_the_first() -> None:
    with pytest.raises(InvalidTransitionError, match="first event must be CaseOpened"):
        Case(events=[])
    with pytest.raises(InvalidTransitionError, match="first event must be CaseOpened"):
        Case(events=[Accepted(at=T0, actor="m")])
    case = make_case()
    with pytest.raises(InvalidTransitionError, match="is already open"):
        apply_event(case, case.events[0])


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
    ("event", "status"),
    [
        (Closed(at=at(1), actor="m"), "reported"),
        (Resolved(at=at(1), actor="m"), "reported"),
        (HandlingStarted(at=at(1), actor="m"), "reported"),
        (Verified(at=at(1), actor="m"), "reported"),
        (Resumed(at=at(1), actor="m"), "reported"),
        (Evaluated(at=at(1), actor="m", satisfaction=Satisfaction.SATISFIED), "reported"),
    ],
)
def test_forbidden_transitions_from_reported(event: CaseEvent, status: str) -> None:
    case = make_case()
    with pytest.raises(InvalidTransitionError, match=f"is {status}"):
        apply_event(case, event)


def test_a_refused_event_changes_nothing() -> None:
    case = make_case()
    before = to_dict(case)
    with pytest.raises(InvalidTransitionError):
        apply_event(case, Closed(at=at(1), actor="m"))
    assert to_dict(case) == before
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
    with pytest.raises(InvalidValueError, match="'reason' of Rejected"):
        Rejected(at=at(1), actor="m", reason="")


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


# --------------------------------------------------------------------------- suspension


def test_suspension_returns_to_the_previous_status_and_gives_time_back() -> None:
    case = run(
        make_case(), Accepted(at=at(1), actor="m"), Suspended(at=at(2), actor="m", reason="r")
    )
    assert case.status is CaseStatus.SUSPENDED
    assert case.suspended_from is CaseStatus.ACCEPTED
    assert case.paused_since == at(2)
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
    case = run(
        make_case(),
        Suspended(at=at(1), actor="m", reason="r"),
        Resumed(at=at(3), actor="m"),
    )
    assert case.status is CaseStatus.REPORTED
    assert case.accept_by is not None
    assert case.accept_by.effective() == at(6)


# --------------------------------------------------------------------------- deadlines


def test_deadline_validation() -> None:
    with pytest.raises(InvalidValueError, match="'due' of Deadline must not be before"):
        Deadline(start=at(1), due=at(0))
    with pytest.raises(InvalidValueError, match="'basis' of Deadline"):
        Deadline(start=at(0), due=at(1), basis="daily")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'pauses' of Deadline must be in order"):
        Deadline(start=at(0), due=at(9), pauses=[(at(3), at(2))])
    with pytest.raises(InvalidValueError, match="'pauses' of Deadline must be in order"):
        Deadline(start=at(0), due=at(9), pauses=[(at(2), at(3)), (at(1), at(4))])
    with pytest.raises(InvalidValueError, match=r"\(start, end\) pairs"):
        Deadline(start=at(0), due=at(9), pauses=[at(1)])
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        Deadline(start=at(0), due=at(9), pauses=[(datetime(2026, 11, 26, 10), at(2))])


def test_natural_and_working_time_are_given_back() -> None:
    natural = Deadline(start=T0, due=at(10)).paused(at(1), at(4)).paused(at(5), at(6))
    assert natural.effective() == at(14)
    # Working: due Monday 10:30 (4 working hours from Friday 16:00); paused Friday 17:00
    # to Monday 09:00, so the 1.5 working hours in the pause are given back.
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    working = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=CAL)
    paused = working.paused(friday + timedelta(hours=1), datetime(2026, 11, 30, 9, tzinfo=CST))
    assert paused.effective(CAL) == datetime(2026, 11, 30, 12, 0, tzinfo=CST)
    with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
        paused.effective()


def test_a_pause_begun_after_the_deadline_gives_nothing_back() -> None:
    d = Deadline(start=T0, due=at(2)).paused(at(3), at(10))
    assert d.effective() == at(2)


def test_deadline_of_requires_a_time_limit() -> None:
    with pytest.raises(InvalidValueError, match="'limit' must be a TimeLimit"):
        Deadline.of("3 days", start=T0, calendar=CAL)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- extensions


def test_an_extension_is_requested_then_granted_or_refused() -> None:
    accepted = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    asked = apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(96), reason="等配件"))
    assert asked.extension_requested == at(96)
    with pytest.raises(InvalidTransitionError, match="already has an extension request pending"):
        apply_event(asked, ExtensionRequested(at=at(3), actor="m", until=at(97), reason="x"))
    granted = apply_event(asked, ExtensionGranted(at=at(3), actor="m-sec"))
    assert granted.resolve_by is not None
    assert granted.resolve_by.due == at(96)
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


def test_an_extension_must_move_the_deadline_later() -> None:
    accepted = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    with pytest.raises(InvalidTransitionError, match="to an earlier or equal date"):
        apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(48), reason="x"))
    asked = apply_event(accepted, ExtensionRequested(at=at(2), actor="m", until=at(96), reason="x"))
    with pytest.raises(InvalidTransitionError, match="to an earlier or equal date"):
        apply_event(asked, ExtensionGranted(at=at(3), actor="m", until=at(40)))
    no_clock = apply_event(make_case(resolve_hours=None), Accepted(at=at(1), actor="m"))
    with pytest.raises(InvalidTransitionError, match="has no resolve deadline to extend"):
        apply_event(no_clock, ExtensionRequested(at=at(2), actor="m", until=at(96), reason="x"))
    with pytest.raises(InvalidValueError, match="'until' of ExtensionRequested must not be"):
        ExtensionRequested(at=at(2), actor="m", until=at(1), reason="x")


def test_a_granted_extension_replaces_earlier_pauses() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Suspended(at=at(2), actor="m", reason="r"),
        Resumed(at=at(4), actor="m"),
        ExtensionRequested(at=at(5), actor="m", until=at(100), reason="x"),
        ExtensionGranted(at=at(6), actor="m-sec"),
    )
    assert case.resolve_by is not None
    assert case.resolve_by.pauses == ()
    assert case.resolve_by.effective() == at(100)


# --------------------------------------------------------------------------- escalation


def escalated(case: Case, to: str, *, beyond: bool = False, hours: float = 1) -> Case:
    return apply_event(
        case,
        Escalated(
            at=at(hours),
            actor="m",
            trigger=Trigger.MANUAL,
            from_unit=case.owner,
            to=to,
            beyond=beyond,
            to_name="淮河路街道" if beyond else "",
            reason="上报",
            resolve_by=Deadline(start=at(hours), due=at(hours + 24)),
        ),
    )


def test_escalation_moves_one_step_up_and_resets_the_clocks() -> None:
    case = apply_event(make_case(), Accepted(at=at(0.5), actor="m-li"))
    up = escalated(case, "g3")
    assert (up.owner, up.owner_name, up.level, up.status) == (
        "g3",
        "第三网格",
        1,
        CaseStatus.REPORTED,
    )
    assert up.accountable == "mg31"
    assert up.accept_by is None
    assert up.resolve_by is not None
    assert up.resolve_by.due == at(25)
    assert up.escalation_triggers == (Trigger.MANUAL,)


def test_escalation_never_goes_sideways_or_down_or_from_elsewhere() -> None:
    case = make_case()
    with pytest.raises(InvalidTransitionError, match="only be escalated from 'mg31' to its parent"):
        escalated(case, "g2")
    with pytest.raises(InvalidTransitionError, match="to its parent 'g3'"):
        escalated(case, "yx")
    with pytest.raises(InvalidTransitionError, match="to its parent 'g3'"):
        escalated(case, "sd", beyond=True)
    up = escalated(case, "g3")
    with pytest.raises(InvalidTransitionError, match="to its parent 'yx'"):
        escalated(up, "mg31", hours=2)
    with pytest.raises(InvalidTransitionError, match="can only be escalated from there"):
        apply_event(
            up,
            Escalated(
                at=at(2), actor="m", trigger=Trigger.MANUAL, from_unit="mg31", to="yx", reason="x"
            ),
        )


def test_beyond_the_top_there_is_no_further_escalation() -> None:
    case = escalated(escalated(make_case(), "g3"), "yx", hours=2)
    with pytest.raises(InvalidTransitionError, match="next step is beyond the grid"):
        escalated(case, "sd", hours=3)
    out = escalated(case, "sd", beyond=True, hours=3)
    assert out.beyond
    assert out.owner == "sd"
    assert out.owner_name == "淮河路街道"
    assert out.level == len(out.chain) == 3
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalated(out, "anyone", beyond=True, hours=4)
    with pytest.raises(InvalidTransitionError, match="cannot be returned"):
        apply_event(
            out,
            Returned(at=at(4), actor="m", reason="x", chain=GRID.chain("mg32"), grid_version="v"),
        )
    # The external body carries on with the loop.
    done = run(out, Accepted(at=at(4), actor="sd"), Resolved(at=at(5), actor="sd"))
    assert done.status is CaseStatus.RESOLVED


def test_escalation_is_refused_while_suspended_or_resolved() -> None:
    suspended = apply_event(make_case(), Suspended(at=at(1), actor="m", reason="r"))
    with pytest.raises(InvalidTransitionError, match="is suspended"):
        escalated(suspended, "g3", hours=2)
    resolved = run(make_case(), Accepted(at=at(1), actor="m"), Resolved(at=at(2), actor="m"))
    with pytest.raises(InvalidTransitionError, match="is resolved"):
        escalated(resolved, "g3", hours=3)


def test_the_case_keeps_its_chain_when_the_grid_is_redrawn() -> None:
    case = make_case()
    redrawn = GRID.move_unit("mg31", "g1", version="2027-01")
    assert redrawn.parent("mg31") is not None
    assert redrawn.parent("mg31").id == "g1"
    up = escalated(case, "g3")
    assert up.owner == "g3"
    assert up.grid_version == "2026-11"


# --------------------------------------------------------------------------- returned


def test_a_wrongly_dispatched_case_is_returned_and_rerouted() -> None:
    case = escalated(make_case(), "g3")
    moved = reroute(case, "mg12", grid=GRID, at=at(2), actor="m-g3", reason="地址属第一网格")
    assert moved.owner == "mg12"
    assert moved.level == 0
    assert [u.id for u in moved.chain] == ["mg12", "g1", "yx"]
    assert moved.status is CaseStatus.REPORTED
    assert moved.accountable == "mg31"
    assert moved.resolve_by == case.resolve_by  # no policy: deadlines kept
    assert isinstance(moved.events[-1], Returned)
    with pytest.raises(InvalidTransitionError, match="cannot be returned to its own owner"):
        reroute(moved, "mg12", grid=GRID, at=at(3), actor="m", reason="x")
    with pytest.raises(UnknownUnitError):
        reroute(moved, "nowhere", grid=GRID, at=at(3), actor="m", reason="x")


def test_rerouting_with_a_policy_restarts_the_clocks_for_the_new_unit() -> None:
    policy = EscalationPolicy(
        name="p",
        beyond=ExternalBody(id="sd", name="街道"),
        slas=[
            Sla(accept_within=TimeLimit.natural_hours(2), resolve_within=TimeLimit.natural_days(1))
        ],
    )
    moved = reroute(make_case(), "mg32", grid=GRID, at=at(3), actor="m", reason="x", policy=policy)
    assert moved.accept_by is not None
    assert moved.accept_by.due == at(5)
    assert moved.resolve_by is not None
    assert moved.resolve_by.due == at(27)


def test_returned_is_refused_once_in_progress() -> None:
    case = run(make_case(), Accepted(at=at(1), actor="m"), HandlingStarted(at=at(2), actor="m"))
    with pytest.raises(InvalidTransitionError, match="is in progress"):
        reroute(case, "mg32", grid=GRID, at=at(3), actor="m", reason="x")


# --------------------------------------------------------------------------- rework


def test_failed_verification_reopens_for_rework_giving_back_the_wait() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        VerificationFailed(at=at(5), actor="m-sec", reason="未修好"),
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert case.rework == 1
    assert case.resolve_by is not None
    assert case.resolve_by.effective() == at(51)
    fresh = Deadline(start=at(6), due=at(30))
    again = run(
        case,
        Resolved(at=at(6), actor="m"),
        VerificationFailed(at=at(6), actor="m-sec", reason="仍未修好", resolve_by=fresh),
    )
    assert again.resolve_by == fresh
    assert again.rework == 2


def test_a_dissatisfied_resident_reopens_for_rework_and_is_counted() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        ResidentDissatisfied(at=at(3), actor="r-9", note="还在漏水"),
        Resolved(at=at(4), actor="m"),
        Verified(at=at(5), actor="m-sec"),
        ResidentDissatisfied(at=at(6), actor="r-9"),
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert (case.dissatisfied, case.owner_dissatisfied, case.rework) == (2, 2, 2)
    assert case.satisfaction is Satisfaction.DISSATISFIED
    up = escalated(case, "g3", hours=7)
    assert (up.dissatisfied, up.owner_dissatisfied) == (2, 0)


def test_satisfied_feedback_keeps_the_status_and_evaluation_is_recorded() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        ResidentSatisfied(at=at(3), actor="r", satisfaction=Satisfaction.BASICALLY_SATISFIED),
    )
    assert case.status is CaseStatus.RESOLVED
    assert case.satisfaction is Satisfaction.BASICALLY_SATISFIED
    ended = run(
        case,
        Verified(at=at(4), actor="m"),
        Closed(at=at(5), actor="m"),
        Evaluated(at=at(6), actor="r", satisfaction=Satisfaction.DISSATISFIED),
    )
    assert ended.status is CaseStatus.EVALUATED
    assert ended.dissatisfied == 1
    with pytest.raises(InvalidValueError, match="record ResidentDissatisfied instead"):
        ResidentSatisfied(at=at(3), actor="r", satisfaction=Satisfaction.DISSATISFIED)


# --------------------------------------------------------------------------- severity


def test_severity_can_only_be_raised() -> None:
    case = apply_event(make_case(), SeverityRaised(at=at(1), actor="m", severity=3, reason="加重"))
    assert case.severity is Severity.URGENT
    assert case.owner_severity is Severity.ROUTINE
    with pytest.raises(InvalidTransitionError, match="must raise it"):
        apply_event(case, SeverityRaised(at=at(2), actor="m", severity=2, reason="x"))
    with pytest.raises(InvalidValueError, match="'severity' of Issue must be between 1 and 4"):
        SeverityRaised(at=at(2), actor="m", severity=5, reason="x")
    up = escalated(case, "g3", hours=2)
    assert up.owner_severity is Severity.URGENT


# --------------------------------------------------------------------------- linkage


def test_a_required_co_handler_blocks_resolution_until_done_or_released() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m-g3"),
        CoHandlerLinked(at=at(1), actor="m-g3", handler="p-wuye", name="美好人家物业", due=at(8)),
        CoHandlerLinked(at=at(1), actor="m-g3", handler="g2", kind="unit", required=False),
    )
    assert [(h.id, h.kind, h.due) for h in case.co_handlers] == [
        ("p-wuye", "partner", at(8)),
        ("g2", "unit", None),
    ]
    with pytest.raises(InvalidTransitionError, match="required co-handler 'p-wuye'"):
        apply_event(case, Resolved(at=at(2), actor="m-g3"))
    done = run(
        case,
        CoHandlerCompleted(at=at(3), actor="p-wuye", handler="p-wuye"),
        Resolved(at=at(4), actor="m-g3"),
    )
    assert done.status is CaseStatus.RESOLVED
    assert [h.state for h in done.co_handlers] == ["done", "open"]
    released = run(
        case,
        CoHandlerReleased(at=at(3), actor="m-g3", handler="p-wuye", reason="业主自行维修"),
        Resolved(at=at(4), actor="m-g3"),
    )
    assert released.co_handlers[0].state == "released"
    # An optional co-handler can still finish after the resolution.
    late = apply_event(done, CoHandlerCompleted(at=at(5), actor="g2", handler="g2"))
    assert all(not h.is_open for h in late.co_handlers)


def test_linkage_refusals() -> None:
    case = apply_event(make_case(), CoHandlerLinked(at=at(1), actor="m", handler="p-wuye", name="物业"))
    with pytest.raises(InvalidTransitionError, match="already has co-handler 'p-wuye' open"):
        apply_event(case, CoHandlerLinked(at=at(2), actor="m", handler="p-wuye"))
    with pytest.raises(InvalidTransitionError, match=r"no open co-handler 'x'.*open: p-wuye"):
        apply_event(case, CoHandlerCompleted(at=at(2), actor="m", handler="x"))
    done = apply_event(case, CoHandlerCompleted(at=at(2), actor="m", handler="p-wuye"))
    with pytest.raises(InvalidTransitionError, match=r"open: none"):
        apply_event(done, CoHandlerReleased(at=at(3), actor="m", handler="p-wuye", reason="x"))
    relinked = apply_event(done, CoHandlerLinked(at=at(3), actor="m", handler="p-wuye"))
    assert len(relinked.co_handlers) == 2
    with pytest.raises(InvalidValueError, match="'kind' of CoHandler"):
        CoHandlerLinked(at=at(1), actor="m", handler="x", kind="police")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'due' of CoHandlerLinked must not be before"):
        CoHandlerLinked(at=at(2), actor="m", handler="x", due=at(1))
    with pytest.raises(InvalidValueError, match="'state' of CoHandler"):
        CoHandler(id="x", linked_at=T0, state="lost")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- duplicates


def test_merging_keeps_both_timelines() -> None:
    first = make_case()
    second = make_case(case_id="c-2", id="i-2", reported_at=at(1))
    gone, kept = merge_duplicate(second, first, at=at(2), actor="m-li", reason="同一漏水")
    assert gone.status is CaseStatus.MERGED
    assert gone.merged_into == "c-1"
    assert gone.events[:-1] == second.events
    assert isinstance(gone.events[-1], MergedInto)
    assert kept.events[:-1] == first.events
    assert isinstance(kept.events[-1], DuplicateMerged)
    assert kept.duplicates == ("c-2",)
    assert [i.id for i in kept.reports] == ["i-1", "i-2"]
    with pytest.raises(InvalidTransitionError, match="cannot be merged into itself"):
        merge_duplicate(first, first, at=at(2), actor="m")
    with pytest.raises(InvalidTransitionError, match="already has duplicate 'c-2'"):
        apply_event(kept, DuplicateMerged(at=at(3), actor="m", duplicate="c-2", issue=second.issue))
    closed = run(loop_to_verified(make_case(case_id="c-3")), Closed(at=at(3), actor="m"))
    with pytest.raises(InvalidTransitionError, match="is closed"):
        merge_duplicate(closed, first, at=at(4), actor="m")
    with pytest.raises(InvalidTransitionError, match="is merged"):
        apply_event(gone, Accepted(at=at(3), actor="m"))


# --------------------------------------------------------------------------- replay and data


def full_case() -> Case:
    case = run(
        make_case(),
        SeverityRaised(at=at(0.2), actor="m", severity=2, reason="x"),
        Suspended(at=at(0.5), actor="m", reason="r"),
        Resumed(at=at(0.8), actor="m"),
        Accepted(at=at(1), actor="m"),
        CoHandlerLinked(at=at(1), actor="m", handler="p-wuye", due=at(9)),
        ExtensionRequested(at=at(1.5), actor="m", until=at(100), reason="x"),
        ExtensionGranted(at=at(2), actor="m-sec"),
    )
    case = escalated(case, "g3", hours=3)
    return run(
        case,
        Accepted(at=at(4), actor="m-g3"),
        CoHandlerCompleted(at=at(5), actor="p-wuye", handler="p-wuye"),
        Resolved(at=at(6), actor="m-g3"),
        ResidentDissatisfied(at=at(7), actor="r-9"),
        Resolved(at=at(8), actor="m-g3"),
        Verified(at=at(9), actor="m-sec"),
        ResidentSatisfied(at=at(10), actor="r-9"),
        Closed(at=at(11), actor="m-sec"),
        Evaluated(at=at(12), actor="r-9", satisfaction=Satisfaction.SATISFIED),
    )


def test_replay_rebuilds_an_equal_case_with_equal_state() -> None:
    case = full_case()
    again = replay(case.events)
    assert again == case
    assert again._state() == case._state()
    assert Case(events=list(case.events)) == case


def test_cases_round_trip_through_to_dict_and_json() -> None:
    case = full_case()
    data = to_dict(case)
    assert set(data) == {"schema", "type", "events"}
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    back = from_dict(json.loads(text), Case)
    assert back == case
    assert back._state() == case._state()
    assert to_dict(back) == data


def test_a_tampered_timeline_is_refused_when_read_back() -> None:
    data = to_dict(full_case())
    data["events"] = data["events"][:1] + data["events"][-1:]
    with pytest.raises(InvalidTransitionError, match="is reported"):
        from_dict(data)


def test_timeline_and_describe_tell_the_story() -> None:
    case = full_case()
    steps = case.timeline()
    assert len(steps) == len(case.events)
    assert steps[-1].status is CaseStatus.EVALUATED
    assert [s.owner for s in steps][:2] == ["mg31", "mg31"]
    assert steps[-1].owner == "g3"
    lines = case.describe().splitlines()
    assert lines[0].startswith("2026-11-26 09:00 受理 opened — m-li")
    assert "上报 escalated" in case.describe()
    assert repr(case) == "Case(id='c-1', status='evaluated', owner='g3', events=18)"


def test_grid_units_in_the_chain_are_values() -> None:
    unit = GridUnit(id="x", name="X", tier="community")
    with pytest.raises(InvalidValueError, match="must hold GridUnit values"):
        CaseOpened(at=T0, actor="a", case="c", issue=make_issue(), chain=["x"], grid_version="v")
    opened = CaseOpened(
        at=T0, actor="a", case="c", issue=make_issue(), chain=[unit], grid_version="v"
    )
    assert Case(events=[opened]).owner == "x"
