"""Unit tests for gridgov.escalation: SLAs, the policy, triggers, the sweep, warnings, duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from gridgov import (
    CST,
    FOUR_TIER,
    THREE_TIER,
    Channel,
    InvalidTransitionError,
    InvalidValueError,
    Issue,
    PolicyError,
    Reporter,
    Severity,
    TimeLimit,
    UnknownPlaceError,
    WorkCalendar,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    Accepted,
    Case,
    CaseOpened,
    Closed,
    Deadline,
    Escalated,
    HandlingStarted,
    ResidentDissatisfied,
    Resolved,
    Resumed,
    SeverityRaised,
    Suspended,
    Trigger,
    Verified,
    apply_event,
    merge_duplicate,
)
from gridgov.demo import sample_grid
from gridgov.escalation import (
    DEFAULT_TRIGGERS,
    Escalation,
    EscalationPolicy,
    ExternalBody,
    Sla,
    WarningLevel,
    candidate_duplicates,
    due_escalations,
    escalate,
    warning,
)
from gridgov.routing import DEFAULT_MATRIX, Responsibility, ResponsibilityMatrix

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=CST)  # a Thursday
GRID = sample_grid()
BODY = ExternalBody(
    id="sd-huaihe", name="淮河路街道", sla=Sla(accept_within=TimeLimit.natural_hours(4))
)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def policy(**kw: object) -> EscalationPolicy:
    fields: dict[str, object] = {
        "name": "test",
        "beyond": BODY,
        "slas": [
            Sla(
                name="micro",
                tier="micro_grid",
                accept_within=TimeLimit.natural_hours(2),
                resolve_within=TimeLimit.natural_hours(24),
            ),
            Sla(
                name="grid",
                tier="grid",
                accept_within=TimeLimit.natural_hours(4),
                resolve_within=TimeLimit.natural_hours(48),
            ),
            Sla(name="rest", resolve_within=TimeLimit.working_days(5)),
        ],
    }
    fields.update(kw)
    return EscalationPolicy(**fields)  # type: ignore[arg-type]


def only(*triggers: Trigger, **kw: object) -> EscalationPolicy:
    return policy(triggers=frozenset(triggers), **kw)


def make_case(
    n: int = 1,
    *,
    place: str = "h-1001",
    category: str = "environment",
    severity: int = 1,
    hours: float = 0,
    accept: float | None = 2,
    resolve: float | None = 24,
) -> Case:
    start = at(hours)
    issue = Issue(
        id=f"i-{n}",
        category=category,
        severity=severity,
        channel=Channel.GROUP_CHAT,
        place=place,
        reporter=Reporter.resident(f"r-{n}"),
        reported_at=start,
    )
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="m-li",
                case=f"c-{n}",
                issue=issue,
                chain=GRID.place_chain(place),
                grid_version=GRID.version,
                accept_by=None
                if accept is None
                else Deadline(start=start, due=start + timedelta(hours=accept)),
                resolve_by=None
                if resolve is None
                else Deadline(start=start, due=start + timedelta(hours=resolve)),
            )
        ]
    )


def due(cases: list[Case], p: EscalationPolicy, hours: float) -> list[tuple[str, str, str]]:
    return [(e.case, e.trigger.value, e.to) for e in due_escalations(cases, p, at(hours))]


# --------------------------------------------------------------------------- SLAs and policy


def test_sla_matching_and_description() -> None:
    sla = Sla(tier="grid", categories={"dispute"}, min_severity=2, max_severity=3)
    assert sla.applies(tier="grid", category="dispute", severity=Severity.ATTENTION)
    assert not sla.applies(tier="grid", category="dispute", severity=Severity.ROUTINE)
    assert not sla.applies(tier="grid", category="dispute", severity=Severity.EMERGENCY)
    assert not sla.applies(tier="micro_grid", category="dispute", severity=Severity.URGENT)
    assert not sla.applies(tier="grid", category="environment", severity=Severity.URGENT)
    assert sla.describe() == "tier grid, category dispute, severity attention–urgent; no time limit"
    with pytest.raises(PolicyError, match="'max_severity' of Sla 'x' must be at least"):
        Sla(name="x", min_severity=3, max_severity=2)
    with pytest.raises(PolicyError, match="severity bounds must be between 1 and 4"):
        Sla(min_severity=0)


def test_the_first_applicable_sla_wins_and_beyond_has_its_own() -> None:
    p = policy()
    assert p.sla_for(tier="grid", category="x", severity=Severity.ROUTINE).name == "grid"  # type: ignore[union-attr]
    assert p.sla_for(tier="community", category="x", severity=Severity(1)).name == "rest"  # type: ignore[union-attr]
    assert p.sla_for(tier=None, category="x", severity=Severity(1)) is BODY.sla
    accept, resolve = p.deadlines(tier=None, category="x", severity=Severity(1), start=at(0))
    assert accept is not None
    assert accept.due == at(4)
    assert resolve is None
    bare = EscalationPolicy(name="bare", beyond=ExternalBody(id="sd", name="街道"))
    assert bare.deadlines(tier="grid", category="x", severity=Severity(1), start=at(0)) == (
        None,
        None,
    )
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        p.deadlines(tier="grid", category="x", severity=Severity(1), start=datetime(2026, 1, 1))


def test_policy_validation() -> None:
    with pytest.raises(PolicyError, match="'repeat_count' of EscalationPolicy"):
        policy(repeat_count=1)
    with pytest.raises(PolicyError, match="'dissatisfied_count' of EscalationPolicy"):
        policy(dissatisfied_count=0)
    with pytest.raises(PolicyError, match="'repeat_window' must be a positive timedelta"):
        policy(repeat_window=timedelta(0))
    with pytest.raises(PolicyError, match=r"leave Trigger\.MANUAL out"):
        policy(triggers=frozenset(Trigger))
    with pytest.raises(PolicyError, match="must hold Trigger values"):
        policy(triggers={"late"})
    with pytest.raises(InvalidValueError, match="'name' of ExternalBody"):
        ExternalBody(id="x", name="")
    assert policy().triggers == DEFAULT_TRIGGERS
    assert Trigger.MANUAL not in DEFAULT_TRIGGERS


def test_policy_is_checked_against_the_tier_scheme() -> None:
    policy().check(THREE_TIER)
    bad = policy(slas=[Sla(name="s", tier="subdistrict")])
    bad.check(FOUR_TIER)
    with pytest.raises(PolicyError, match="'tier' of Sla 's' of policy 'test'"):
        bad.check(THREE_TIER)
    with pytest.raises(PolicyError, match="'tier' of Sla 's'"):
        list(due_escalations([], bad, at(0), grid=GRID))
    matrix = DEFAULT_MATRIX.with_entries(
        [Responsibility(tier="subdistrict", category="dispute")], name="m4"
    )
    with pytest.raises(PolicyError, match="'tier' of a line of matrix 'm4'"):
        policy(matrix=matrix).check(THREE_TIER)


def test_policies_round_trip() -> None:
    p = policy(matrix=DEFAULT_MATRIX, calendar=WorkCalendar(hours=["09:00-17:00"]))
    data = to_dict(p)
    back = from_dict(json.loads(json.dumps(data, ensure_ascii=False)), EscalationPolicy)
    assert back == p


# --------------------------------------------------------------------------- escalate


def test_escalate_moves_up_resets_the_tier_sla_and_explains() -> None:
    case = apply_event(make_case(), Accepted(at=at(0.5), actor="m-li"))
    up = escalate(case, policy(), at=at(1), actor="m-li")
    assert (up.owner, up.owner_name, up.status.value) == ("g3", "第三网格", "reported")
    assert up.accept_by is not None
    assert up.accept_by.due == at(5)
    assert up.resolve_by is not None
    assert up.resolve_by.due == at(49)
    event = up.events[-1]
    assert isinstance(event, Escalated)
    assert event.trigger is Trigger.MANUAL
    assert event.from_unit == "mg31"
    assert event.to == "g3"
    assert event.reason == (
        "主动上报：美好人家1号楼 主动上报；美好人家1号楼 上报 第三网格。\n"
        "manual: escalated by 美好人家1号楼; 美好人家1号楼 escalated to 第三网格."
    )
    own = escalate(case, policy(), at=at(1), actor="m-li", reason="需网格长协调")
    assert own.events[-1].reason == "需网格长协调"  # type: ignore[attr-defined]


def test_escalate_reaches_beyond_in_depth_plus_one_steps_then_stops() -> None:
    case = make_case()
    owners = []
    for i in range(3):
        case = escalate(case, policy(), at=at(i), actor="system", trigger=Trigger.ACCEPT_OVERDUE)
        owners.append(case.owner)
    assert owners == ["g3", "yx", "sd-huaihe"]
    assert case.beyond
    assert case.owner_name == "淮河路街道"
    assert case.accept_by is not None
    assert case.accept_by.due == at(6)
    assert "吹哨报到 淮河路街道" in case.events[-1].reason  # type: ignore[attr-defined]
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalate(case, policy(), at=at(4), actor="system")
    assert list(due_escalations([case], policy(), at(1000))) == []


def test_escalate_refuses_bad_arguments() -> None:
    with pytest.raises(InvalidValueError, match="'policy' must be an EscalationPolicy"):
        escalate(make_case(), "p", at=at(1), actor="m")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'trigger' must be a Trigger"):
        escalate(make_case(), policy(), at=at(1), actor="m", trigger="manual")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'case' must be a Case"):
        escalate("c", policy(), at=at(1), actor="m")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        escalate(make_case(), policy(), at=datetime(2026, 11, 26), actor="m")
    suspended = apply_event(make_case(), Suspended(at=at(1), actor="m", reason="r"))
    with pytest.raises(InvalidTransitionError, match="is suspended"):
        escalate(suspended, policy(), at=at(2), actor="m")


# --------------------------------------------------------------------------- the sweep


def test_the_accept_clock_runs_only_until_acceptance() -> None:
    p = only(Trigger.ACCEPT_OVERDUE)
    case = make_case()
    assert due([case], p, 2) == []  # exactly at the deadline: on time
    assert due([case], p, 2.01) == [("c-1", "accept_overdue", "g3")]
    accepted = apply_event(case, Accepted(at=at(1.5), actor="m"))
    assert due([accepted], p, 30) == []


def test_the_resolve_clock_runs_until_resolution() -> None:
    p = only(Trigger.RESOLVE_OVERDUE)
    case = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    assert due([case], p, 24) == []
    assert due([case], p, 25) == [("c-1", "resolve_overdue", "g3")]
    resolved = apply_event(case, Resolved(at=at(20), actor="m"))
    assert due([resolved], p, 100) == []
    started = apply_event(case, HandlingStarted(at=at(2), actor="m"))
    assert due([started], p, 25) == [("c-1", "resolve_overdue", "g3")]


def test_suspension_pauses_the_clocks_and_gives_the_time_back() -> None:
    p = only(Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE)
    suspended = apply_event(make_case(), Suspended(at=at(1), actor="m", reason="等待业主"))
    assert due([suspended], p, 100) == []
    resumed = apply_event(suspended, Resumed(at=at(11), actor="m"))
    assert due([resumed], p, 12) == []  # the accept deadline moved from +2h to +12h
    assert due([resumed], p, 12.5) == [("c-1", "accept_overdue", "g3")]
    escalation = next(due_escalations([resumed], p, at(12.5)))
    assert escalation.due == at(12)


def test_working_time_is_given_back_on_the_policy_calendar() -> None:
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    deadline = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=WorkCalendar())
    issue = Issue(
        id="i-w",
        category="dispute",
        severity=1,
        channel=Channel.APP,
        place="h-1001",
        reporter=Reporter.resident("r"),
        reported_at=friday,
    )
    case = Case(
        events=[
            CaseOpened(
                at=friday,
                actor="m",
                case="c-w",
                issue=issue,
                chain=GRID.place_chain("h-1001"),
                grid_version="v",
                accept_by=deadline,
            ),
            Suspended(at=friday + timedelta(hours=1), actor="m", reason="r"),
            Resumed(at=datetime(2026, 11, 30, 9, 0, tzinfo=CST), actor="m"),
        ]
    )
    p = only(Trigger.ACCEPT_OVERDUE)
    monday = datetime(2026, 11, 30, tzinfo=CST)
    assert list(due_escalations([case], p, monday.replace(hour=11))) == []
    [e] = due_escalations([case], p, monday.replace(hour=12, minute=1))
    assert e.due == monday.replace(hour=12)


def test_the_responsibility_matrix_triggers_incapable_and_severity_raised() -> None:
    p = only(Trigger.INCAPABLE, Trigger.SEVERITY_RAISED, matrix=DEFAULT_MATRIX)
    capable = make_case(1, category="dispute", severity=2)
    incapable = make_case(2, category="dispute", severity=3)
    raised = apply_event(
        make_case(3, category="dispute", severity=1),
        SeverityRaised(at=at(1), actor="m", severity=3, reason="升级"),
    )
    mild = apply_event(
        make_case(4, category="dispute", severity=1),
        SeverityRaised(at=at(1), actor="m", severity=2, reason="略重"),
    )
    assert due([capable, incapable, raised, mild], p, 1) == [
        ("c-2", "incapable", "g3"),
        ("c-3", "severity_raised", "g3"),
    ]
    up = escalate(incapable, p, at=at(1), actor="system", trigger=Trigger.INCAPABLE)
    assert due([up], p, 2) == []  # the grid may handle an urgent dispute
    [e] = due_escalations([incapable], p, at(1))
    assert "不可处理 矛盾纠纷（紧急）" in e.reason
    assert "may not handle dispute at urgent" in e.reason


def test_without_a_matrix_any_raise_escalates_once() -> None:
    p = only(Trigger.SEVERITY_RAISED, Trigger.INCAPABLE)
    raised = apply_event(make_case(), SeverityRaised(at=at(1), actor="m", severity=2, reason="x"))
    assert due([make_case(2, severity=4), raised], p, 1) == [("c-1", "severity_raised", "g3")]
    up = escalate(raised, p, at=at(1), actor="system", trigger=Trigger.SEVERITY_RAISED)
    assert due([up], p, 2) == []


def test_dissatisfied_n_times_escalates() -> None:
    p = only(Trigger.DISSATISFIED, dissatisfied_count=2)
    case = apply_event(make_case(resolve=None), Accepted(at=at(1), actor="m"))
    for i in range(2):
        case = apply_event(case, Resolved(at=at(2 + i), actor="m"))
        case = apply_event(case, ResidentDissatisfied(at=at(2.5 + i), actor="r"))
        assert len(due([case], p, 5)) == i
    [e] = due_escalations([case], p, at(5))
    assert e.times == 2
    assert "群众不满意 2 次" in e.reason
    up = escalate(case, p, at=at(5), actor="system", trigger=e.trigger)
    assert due([up], p, 6) == []


def test_the_same_place_and_category_reported_repeatedly_escalates_once() -> None:
    p = only(Trigger.REPEATED, repeat_count=3, repeat_window=timedelta(days=7))
    cases = [make_case(n, hours=n, accept=None, resolve=None) for n in range(1, 4)]
    elsewhere = make_case(9, place="h-2001", hours=1, accept=None, resolve=None)
    other_kind = make_case(8, category="dispute", hours=1, accept=None, resolve=None)
    assert [c for c, *_ in due([*cases[:2], elsewhere, other_kind], p, 5)] == []
    assert [c for c, *_ in due([*cases, elsewhere, other_kind], p, 5)] == ["c-1", "c-2", "c-3"]
    [first, *_] = due_escalations(cases, p, at(5))
    assert first.times == 3
    assert "已反映 3 次" in first.reason
    # Outside the window the old reports no longer count.
    assert due(cases, p, 24 * 7 + 1.5) == []
    # Merged duplicates count as reports; the surviving case escalates once.
    gone, kept = merge_duplicate(cases[1], cases[0], at=at(4), actor="m")
    gone2, kept = merge_duplicate(cases[2], kept, at=at(4), actor="m")
    assert due([kept, gone, gone2], p, 5) == [("c-1", "repeated", "g3")]
    up = escalate(kept, p, at=at(5), actor="system", trigger=Trigger.REPEATED)
    assert due([up, gone, gone2], p, 6) == []


def test_the_sweep_streams_when_it_can_and_keeps_input_order() -> None:
    p = only(Trigger.ACCEPT_OVERDUE)
    seen: list[str] = []

    def stream() -> Iterator[Case]:
        for n in (3, 1, 2):
            seen.append(f"c-{n}")
            yield make_case(n)

    sweep = due_escalations(stream(), p, at(3))
    assert seen == []  # nothing read until asked
    assert next(sweep).case == "c-3"
    assert seen == ["c-3"]
    assert [e.case for e in sweep] == ["c-1", "c-2"]


def test_the_sweep_skips_inactive_and_suspended_cases() -> None:
    p = policy()
    closed = apply_event(
        apply_event(
            apply_event(
                apply_event(make_case(1), Accepted(at=at(0.5), actor="m")),
                Resolved(at=at(0.6), actor="m"),
            ),
            Verified(at=at(0.7), actor="m"),
        ),
        Closed(at=at(0.8), actor="m"),
    )
    suspended = apply_event(make_case(2), Suspended(at=at(0.5), actor="m", reason="r"))
    assert due([closed, suspended], p, 1000) == []


def test_the_sweep_refuses_bad_arguments() -> None:
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        due_escalations([], policy(), datetime(2026, 11, 26))
    with pytest.raises(InvalidValueError, match="'policy' must be an EscalationPolicy"):
        due_escalations([], "p", at(0))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'grid' must be a GridGraph"):
        due_escalations([], policy(), at(0), grid="g")  # type: ignore[arg-type]


def test_escalation_reasons_for_every_trigger() -> None:
    base = {
        "case": "c",
        "from_unit": "yx",
        "from_name": "亚新社区",
        "to": "sd",
        "to_name": "淮河路街道",
        "beyond": True,
        "at": at(0),
        "category": "my_code",
        "severity": Severity.URGENT,
        "via": "吹哨报到",
    }
    texts = {t: Escalation(trigger=t, due=at(1), times=4, **base).reason for t in Trigger}  # type: ignore[arg-type]
    assert all("亚新社区 吹哨报到 淮河路街道" in text for text in texts.values())
    assert all(
        "escalated beyond the grid to 淮河路街道 (吹哨报到)" in text for text in texts.values()
    )
    assert "办结时限 2026-11-26 10:00 已过" in texts[Trigger.RESOLVE_OVERDUE]
    assert "等级升至紧急" in texts[Trigger.SEVERITY_RAISED]
    assert "不可处理 my_code（紧急）" in texts[Trigger.INCAPABLE]
    assert "已反映 4 次" in texts[Trigger.REPEATED]
    assert "群众不满意 4 次" in texts[Trigger.DISSATISFIED]
    assert "主动上报" in texts[Trigger.MANUAL]


# --------------------------------------------------------------------------- warnings


def test_traffic_lights() -> None:
    case = make_case(accept=None, resolve=10)
    assert warning(case, at(1)) is WarningLevel.GREEN
    assert warning(case, at(8)) is WarningLevel.YELLOW  # 2 of 10 hours left
    assert warning(case, at(7.9)) is WarningLevel.GREEN
    assert warning(case, at(7.9), share=0.5) is WarningLevel.YELLOW
    assert warning(case, at(10)) is WarningLevel.YELLOW
    assert warning(case, at(10.1)) is WarningLevel.RED
    both = make_case(accept=2, resolve=10)
    assert warning(both, at(2.5)) is WarningLevel.RED  # the accept clock
    accepted = apply_event(both, Accepted(at=at(1), actor="m"))
    assert warning(accepted, at(2.5)) is WarningLevel.GREEN
    assert WarningLevel.RED.zh == "红灯 超期"


def test_a_suspended_case_is_judged_as_it_stood_and_a_resolved_one_is_green() -> None:
    case = apply_event(make_case(accept=None, resolve=10), Suspended(at=at(1), actor="m", reason="r"))
    assert warning(case, at(100)) is WarningLevel.GREEN
    resumed = apply_event(case, Resumed(at=at(50), actor="m"))
    assert warning(resumed, at(55)) is WarningLevel.GREEN
    assert warning(resumed, at(59.5)) is WarningLevel.RED
    done = apply_event(apply_event(make_case(), Accepted(at=at(1), actor="m")), Resolved(at=at(2), actor="m"))
    assert warning(done, at(1000)) is WarningLevel.GREEN


def test_warning_in_working_time() -> None:
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=CST)
    issue = Issue(
        id="i",
        category="dispute",
        severity=1,
        channel=Channel.APP,
        place="h-1001",
        reporter=Reporter.resident("r"),
        reported_at=friday,
    )
    deadline = Deadline.of(TimeLimit.working_days(1), start=friday, calendar=WorkCalendar())
    case = Case(
        events=[
            CaseOpened(
                at=friday,
                actor="m",
                case="c",
                issue=issue,
                chain=GRID.place_chain("h-1001"),
                grid_version="v",
                resolve_by=deadline,
            )
        ]
    )
    # Due Monday 17:00.  No working time passes over the weekend, and at Monday noon 3 of
    # the 7.5 working hours are left (in natural time only 5 of 72 hours would be).
    assert deadline.due == datetime(2026, 11, 30, 17, 0, tzinfo=CST)
    assert warning(case, friday + timedelta(days=1)) is WarningLevel.GREEN
    assert warning(case, datetime(2026, 11, 30, 12, 0, tzinfo=CST)) is WarningLevel.GREEN
    assert warning(case, datetime(2026, 11, 30, 16, 0, tzinfo=CST)) is WarningLevel.YELLOW
    with pytest.raises(InvalidValueError, match="'share' must be a number between 0 and 1"):
        warning(case, friday, share=1.5)


# --------------------------------------------------------------------------- duplicates


def test_candidate_duplicates_by_place_micro_grid_category_and_window() -> None:
    first = make_case(1, place="h-1001")
    neighbour = make_case(2, place="h-1002", hours=1)
    other_kind = make_case(3, place="h-1001", category="dispute", hours=1)
    far_away = make_case(4, place="h-2001", hours=1)
    old = make_case(5, place="h-1001", hours=-24 * 10)
    closed = apply_event(
        apply_event(
            apply_event(
                apply_event(make_case(6, place="h-1001"), Accepted(at=at(0.1), actor="m")),
                Resolved(at=at(0.2), actor="m"),
            ),
            Verified(at=at(0.3), actor="m"),
        ),
        Closed(at=at(0.4), actor="m"),
    )
    cases = [neighbour, first, other_kind, far_away, old, closed]
    new = make_case(7, place="h-1001", hours=3).issue
    found = candidate_duplicates(new, cases, grid=GRID, window=timedelta(days=2))
    assert [c.id for c in found] == ["c-1"]
    wide = candidate_duplicates(new, cases, grid=GRID, window=timedelta(days=2), scope="micro_grid")
    assert [c.id for c in wide] == ["c-1", "c-2"]
    longer = candidate_duplicates(new, cases, grid=GRID, window=timedelta(days=30))
    assert [c.id for c in longer] == ["c-5", "c-1"]
    assert candidate_duplicates(first.issue, [first], grid=GRID, window=timedelta(days=1)) == ()


def test_candidate_duplicates_refuses_bad_arguments() -> None:
    new = make_case(1).issue
    with pytest.raises(InvalidValueError, match="'window' must be a positive timedelta"):
        candidate_duplicates(new, [], grid=GRID, window=timedelta(0))
    with pytest.raises(InvalidValueError, match="'scope' must be 'place' or 'micro_grid'"):
        candidate_duplicates(new, [], grid=GRID, window=timedelta(1), scope="grid")  # type: ignore[arg-type]
    nowhere = Issue(
        id="i-x",
        category="environment",
        severity=1,
        channel=Channel.APP,
        place="nowhere",
        reporter=Reporter.resident("r"),
        reported_at=T0,
    )
    with pytest.raises(UnknownPlaceError):
        candidate_duplicates(nowhere, [], grid=GRID, window=timedelta(1), scope="micro_grid")


def test_unit_level_issues_match_by_unit() -> None:
    issue = Issue(
        id="i-u",
        category="environment",
        severity=1,
        channel=Channel.APP,
        unit="mg31",
        reporter=Reporter.resident("r"),
        reported_at=T0,
    )
    place_case = make_case(1, place="h-1001")
    assert candidate_duplicates(issue, [place_case], grid=GRID, window=timedelta(1)) == ()
    assert candidate_duplicates(
        issue, [place_case], grid=GRID, window=timedelta(1), scope="micro_grid"
    ) == (place_case,)


def test_matrix_with_a_unit_override_is_honoured() -> None:
    matrix = ResponsibilityMatrix(
        name="m",
        entries=[
            *DEFAULT_MATRIX.entries,
            Responsibility(unit="mg31", category="dispute", max_severity=3),
        ],
    )
    p = only(Trigger.INCAPABLE, matrix=matrix)
    assert due([make_case(1, category="dispute", severity=3)], p, 1) == []
    assert due([make_case(2, place="h-0001", category="dispute", severity=3)], p, 1) == [
        ("c-2", "incapable", "g1")
    ]
