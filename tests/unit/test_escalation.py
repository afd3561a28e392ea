"""Unit tests for gridgov.escalation: SLAs, the policy, proposals, the sweep, warnings,
duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from builders import CAL, GRID, ROUTER, T0, at, make_case, run
from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Category,
    Channel,
    Deadline,
    InvalidTransitionError,
    InvalidValueError,
    Issue,
    PolicyError,
    Reporter,
    Responsibility,
    ResponsibilityMatrix,
    Router,
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
)
from gridgov.escalation import (
    DEFAULT_TRIGGERS,
    MAX_REPEAT_WINDOW,
    MAX_TRIGGER_COUNT,
    Escalation,
    EscalationPolicy,
    ExternalBody,
    Sla,
    WarningLevel,
    candidate_duplicates,
    due_escalations,
    escalate,
    escalation_for,
    warning,
)
from gridgov.workflow import merge_duplicate

BODY = ExternalBody(
    id="sd-huaihe", name="淮河路街道", sla=Sla(name="街道", accept_within=TimeLimit.natural_hours(4))
)
STREET = DEFAULT_CATALOGUE.with_categories(
    [
        Category(code="neighbour_dispute", label="neighbour dispute", zh="邻里纠纷",
                 parent="dispute"),
        Category(code="noise", label="noise", zh="噪音扰民", parent="dispute"),
    ],
    name="street",
)


def policy(**kw: Any) -> EscalationPolicy:
    fields: dict[str, Any] = {
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
    return EscalationPolicy(**fields)


def only(*triggers: Trigger, **kw: Any) -> EscalationPolicy:
    return policy(triggers=frozenset(triggers), **kw)


def filed(n: int = 1, **kw: Any) -> Case:
    """A case about the environment with accept and resolve deadlines 2 and 24 hours on."""
    fields: dict[str, Any] = {"category": "environment", "accept": 2, "resolve": 24}
    fields.update(kw)
    return make_case(n, **fields)


def due(
    cases: list[Case], p: EscalationPolicy, hours: float, router: Router | None = None
) -> list[tuple[str, str, str]]:
    return [
        (e.case, e.trigger.value, e.to)
        for e in due_escalations(cases, p, at=at(hours), router=router)
    ]


def sweep_and_apply(case: Case, p: EscalationPolicy, hours: float) -> Case:
    [e] = due_escalations([case], p, at=at(hours))
    return escalate(case, e, p, actor="system")


# --------------------------------------------------------------------------- SLAs and policy


def test_sla_matching_covers_refinements_and_describes_itself() -> None:
    sla = Sla(tier="grid", categories={"dispute"}, min_severity=2, max_severity=3)

    def applies(tier: str, category: str, severity: int) -> bool:
        return sla.applies(tier=tier, category=category, severity=Severity(severity),
                           catalogue=STREET)

    assert applies("grid", "dispute", 2)
    assert applies("grid", "neighbour_dispute", 2)  # an SLA for dispute covers its refinements
    assert not applies("grid", "dispute", 1)
    assert not applies("grid", "dispute", 4)
    assert not applies("micro_grid", "dispute", 3)
    assert not applies("grid", "environment", 3)
    assert sla.describe() == "tier grid, category dispute, severity attention–urgent; no time limit"
    with pytest.raises(PolicyError, match="'max_severity' of Sla 'x' must be at least"):
        Sla(name="x", min_severity=3, max_severity=2)
    with pytest.raises(InvalidValueError, match="'min_severity' of Sla must be between 1 and 4"):
        Sla(min_severity=0)
    with pytest.raises(InvalidValueError, match="'categories' of Sla must be a collection"):
        Sla(categories="dispute")
    with pytest.raises(InvalidValueError, match="'name' of Sla must be a non-blank name"):
        Sla(name="\n")


def test_the_first_applicable_sla_wins_and_beyond_has_its_own() -> None:
    p = policy()
    assert p.sla_for(tier="grid", category="dispute", severity=Severity(1)).name == "grid"  # type: ignore[union-attr]
    assert p.sla_for(tier="community", category="dispute", severity=Severity(1)).name == "rest"  # type: ignore[union-attr]
    assert p.sla_for(tier=None, category="dispute", severity=Severity(1)) is BODY.sla
    accept, resolve = p.deadlines(tier=None, category="dispute", severity=Severity(1), start=at(0))
    assert accept is not None
    assert (accept.due, accept.source) == (at(4), "body:sd-huaihe")
    assert resolve is None
    _, grid_resolve = p.deadlines(tier="grid", category="dispute", severity=Severity(1),
                                  start=at(0))
    assert grid_resolve is not None and grid_resolve.source == "sla:grid"
    unnamed = EscalationPolicy(name="u", beyond=BODY, slas=[Sla(accept_within=TimeLimit.same_day())])
    first, _ = unnamed.deadlines(tier="grid", category="dispute", severity=Severity(1), start=T0)
    assert first is not None and first.source == "sla:1"
    bare = EscalationPolicy(name="bare", beyond=ExternalBody(id="sd", name="街道"))
    assert bare.deadlines(
        tier="grid", category="dispute", severity=Severity(1), start=at(0)
    ) == (None, None)
    with pytest.raises(PolicyError, match="must be a code of catalogue 'default'"):
        bare.deadlines(tier="grid", category="x", severity=Severity(1), start=at(0))
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        p.deadlines(tier="grid", category="dispute", severity=Severity(1),
                    start=datetime(2026, 1, 1))


def test_policy_validation() -> None:
    with pytest.raises(PolicyError, match="'repeat_count' of EscalationPolicy must be an integer"):
        policy(repeat_count=1)
    with pytest.raises(PolicyError, match="'repeat_count' of EscalationPolicy must be an integer"):
        policy(repeat_count=MAX_TRIGGER_COUNT + 1)
    with pytest.raises(PolicyError, match="'repeat_count' of EscalationPolicy"):
        policy(repeat_count=True)
    with pytest.raises(PolicyError, match="'dissatisfied_count' of EscalationPolicy"):
        policy(dissatisfied_count=0)
    with pytest.raises(PolicyError, match="'repeat_window' of EscalationPolicy must be a positive"):
        policy(repeat_window=timedelta(0))
    with pytest.raises(PolicyError, match="'repeat_window' of EscalationPolicy"):
        policy(repeat_window=MAX_REPEAT_WINDOW + timedelta(days=1))
    with pytest.raises(PolicyError, match=r"leave Trigger\.MANUAL out"):
        policy(triggers=frozenset(Trigger))
    with pytest.raises(PolicyError, match="'triggers' of EscalationPolicy must be a set of Trigger"):
        policy(triggers={"late"})
    with pytest.raises(InvalidValueError, match="'triggers' of EscalationPolicy must be a coll"):
        policy(triggers="late")
    with pytest.raises(InvalidValueError, match="'name' of ExternalBody"):
        ExternalBody(id="x", name="")
    with pytest.raises(PolicyError, match="'sla' of ExternalBody must name no tier"):
        ExternalBody(id="x", name="x", sla=Sla(tier="grid"))
    with pytest.raises(PolicyError, match="'categories' of Sla 'n' of policy 'test' must be codes"):
        policy(slas=[Sla(name="n", categories={"neighbour_dispute"})])
    assert policy(slas=[Sla(categories={"neighbour_dispute"})], catalogue=STREET)
    with pytest.raises(PolicyError, match="'slas' of EscalationPolicy must hold at most"):
        policy(slas=[Sla()] * 1001)
    with pytest.raises(InvalidValueError, match="'slas' of EscalationPolicy must hold Sla"):
        policy(slas=["s"])
    assert policy().triggers == DEFAULT_TRIGGERS
    assert Trigger.MANUAL not in DEFAULT_TRIGGERS


def test_a_policy_is_checked_against_the_router() -> None:
    policy().check(ROUTER)
    with pytest.raises(PolicyError, match="'tier' of Sla 's' of policy 'test' must be one of"):
        policy(slas=[Sla(name="s", tier="subdistrict")]).check(ROUTER)
    with pytest.raises(PolicyError, match="reads catalogue 'street' but the router routes with"):
        policy(catalogue=STREET).check(ROUTER)
    with pytest.raises(PolicyError, match="counts on calendar"):
        policy(calendar=WorkCalendar(hours=["09:00-17:00"])).check(ROUTER)
    with pytest.raises(PolicyError, match="must not have the id of a unit of grid version"):
        policy(beyond=ExternalBody(id="mg31", name="x")).check(ROUTER)
    with pytest.raises(InvalidValueError, match="'router' must be a Router"):
        policy().check(GRID)  # type: ignore[arg-type]
    # The sweep checks it too, before reading any case.
    with pytest.raises(PolicyError, match="reads catalogue 'street'"):
        due_escalations(iter(()), policy(catalogue=STREET), at=T0, router=ROUTER)
    equal = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, calendar=WorkCalendar())
    policy(calendar=WorkCalendar()).check(equal)  # equal values, not the same objects


def test_policies_round_trip() -> None:
    p = policy(calendar=WorkCalendar(hours=["09:00-17:00"]), catalogue=STREET,
               slas=[Sla(name="纠纷", categories={"neighbour_dispute"})])
    data = to_dict(p)
    back = from_dict(json.loads(json.dumps(data, ensure_ascii=False)), EscalationPolicy)
    assert back == p


# --------------------------------------------------------------------------- proposals


def test_a_manual_proposal_is_applied_as_it_is() -> None:
    case = apply_event(filed(), Accepted(at=at(0.5), actor="m-li"))
    p = policy()
    proposal = escalation_for(case, p, at=at(1), note="需网格长协调")
    assert (proposal.trigger, proposal.from_unit, proposal.to, proposal.beyond) == (
        Trigger.MANUAL, "mg31", "g3", False
    )
    assert proposal.reason.zh == "主动上报：美好人家1号楼 主动上报：需网格长协调；美好人家1号楼 上报 第三网格。"
    assert proposal.reason.en == (
        "manual: escalated by 美好人家1号楼: 需网格长协调; 美好人家1号楼 escalated to 第三网格."
    )
    assert [(r.kind, r.id) for r in proposal.reason.refs] == [
        ("unit", "mg31"), ("unit", "g3"), ("category", "environment")
    ]
    up = escalate(case, proposal, p, actor="m-li")
    assert (up.owner, up.owner_name, up.status.value) == ("g3", "第三网格", "reported")
    assert up.accept_by is not None
    assert (up.accept_by.due, up.accept_by.source) == (at(5), "sla:grid")
    assert up.resolve_by is not None and up.resolve_by.due == at(49)
    event = up.events[-1]
    assert isinstance(event, Escalated)
    assert (event.trigger, event.from_unit, event.from_name, event.to, event.to_name) == (
        Trigger.MANUAL, "mg31", "美好人家1号楼", "g3", "第三网格"
    )
    assert event.reason == proposal.reason


def test_a_swept_proposal_keeps_its_missed_deadline_and_reason() -> None:
    p = only(Trigger.ACCEPT_OVERDUE)
    case = filed()
    [proposal] = due_escalations([case], p, at=at(3))
    assert proposal.due == at(2)
    up = escalate(case, proposal, p, actor="system")
    event = up.events[-1]
    assert isinstance(event, Escalated)
    assert (event.trigger, event.due, event.reason) == (
        Trigger.ACCEPT_OVERDUE, at(2), proposal.reason
    )
    assert "立案时限 2026-11-26 11:00 已过" in event.reason.zh
    assert "the accept deadline 2026-11-26 11:00 has passed" in event.reason.en


def test_a_proposal_must_still_fit_the_case() -> None:
    p = policy()
    case = filed()
    proposal = escalation_for(case, p, at=at(1))
    once = escalate(case, proposal, p, actor="m")
    with pytest.raises(InvalidTransitionError, match="no longer fits it"):
        escalate(once, proposal, p, actor="m")
    with pytest.raises(InvalidTransitionError, match="the proposal is for case 'c-1', not for"):
        escalate(filed(2), proposal, p, actor="m")
    other = attrs.evolve(proposal, category=DEFAULT_CATALOGUE["dispute"])
    with pytest.raises(InvalidValueError, match="names category 'dispute'"):
        escalate(case, other, p, actor="m")
    with pytest.raises(InvalidTransitionError, match="earlier than the case's last event"):
        escalate(apply_event(case, Accepted(at=at(2), actor="m")), proposal, p, actor="m")
    with pytest.raises(InvalidValueError, match="'proposal' must be an Escalation"):
        escalate(case, "up", p, actor="m")  # type: ignore[arg-type]


def test_escalation_reaches_beyond_in_depth_plus_one_steps_then_stops() -> None:
    case, owners, p = filed(), [], policy()
    for i in range(3):
        case = escalate(case, escalation_for(case, p, at=at(i)), p, actor="system")
        owners.append(case.owner)
    assert owners == ["g3", "yx", "sd-huaihe"]
    assert case.beyond
    assert case.owner_name == "淮河路街道"
    assert case.accept_by is not None
    assert (case.accept_by.due, case.accept_by.source) == (at(6), "body:sd-huaihe")
    event = case.events[-1]
    assert isinstance(event, Escalated)
    assert (event.beyond, event.via) == (True, "吹哨报到")
    assert "亚新社区 吹哨报到 淮河路街道" in event.reason.zh
    assert [r.kind for r in event.reason.refs][:2] == ["unit", "body"]
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalation_for(case, p, at=at(4))
    assert list(due_escalations([case], p, at=at(1000))) == []


def test_escalation_for_checks_the_trigger_holds() -> None:
    p = policy()
    case = filed()
    with pytest.raises(InvalidTransitionError, match=r"its accept deadline .* has not passed"):
        escalation_for(case, p, at=at(1), trigger=Trigger.ACCEPT_OVERDUE)
    late = escalation_for(case, p, at=at(3), trigger=Trigger.ACCEPT_OVERDUE)
    assert late.due == at(2)
    accepted = apply_event(case, Accepted(at=at(1), actor="m"))
    with pytest.raises(InvalidTransitionError, match="its accept clock is not running"):
        escalation_for(accepted, p, at=at(3), trigger=Trigger.ACCEPT_OVERDUE)
    with pytest.raises(InvalidTransitionError, match="has not been dissatisfied"):
        escalation_for(accepted, p, at=at(3), trigger=Trigger.DISSATISFIED)
    unhappy = run(accepted, Resolved(at=at(2), actor="m"),
                  ResidentDissatisfied(at=at(3), actor="r"))
    assert escalation_for(unhappy, p, at=at(4), trigger=Trigger.DISSATISFIED).times == 1
    assert escalation_for(case, p, at=at(1), trigger=Trigger.REPEATED).times == 1
    suspended = apply_event(case, Suspended(at=at(1), actor="m", reason="r"))
    with pytest.raises(InvalidTransitionError, match="only an active case"):
        escalation_for(suspended, p, at=at(2))
    with pytest.raises(InvalidValueError, match="'note' must be text of at most 1,000"):
        escalation_for(case, p, at=at(1), note="x" * 1001)
    with pytest.raises(InvalidValueError, match="'trigger' must be a Trigger"):
        escalation_for(case, p, at=at(1), trigger="manual")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'case' must be a Case"):
        escalation_for("c", p, at=at(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        escalation_for(case, p, at=datetime(2026, 11, 26))


def test_a_proposal_is_a_serialisable_value_with_a_consistent_shape() -> None:
    e = escalation_for(filed(), policy(), at=at(3), trigger=Trigger.ACCEPT_OVERDUE)
    data = to_dict(e)
    assert data["category"]["code"] == "environment"
    back = from_dict(json.loads(json.dumps(data, ensure_ascii=False)), Escalation)
    assert back == e and back.reason == e.reason
    with pytest.raises(InvalidValueError, match="'due' of Escalation must be the deadline missed"):
        attrs.evolve(e, due=None)
    with pytest.raises(InvalidValueError, match="'via' of Escalation must be empty"):
        attrs.evolve(e, via="吹哨报到")
    with pytest.raises(InvalidValueError, match="'category' of Escalation must be a Category"):
        attrs.evolve(e, category="environment")


def test_escalation_reasons_for_every_trigger() -> None:
    base: dict[str, Any] = {
        "case": "c",
        "from_unit": "yx",
        "from_name": "亚新社区",
        "to": "sd",
        "to_name": "淮河路街道",
        "beyond": True,
        "at": at(2),
        "category": STREET["neighbour_dispute"],
        "severity": Severity.URGENT,
        "via": "吹哨报到",
    }
    reasons = {
        t: Escalation(
            trigger=t, due=at(1) if t.is_overdue else None, times=4 if t.counts else None, **base
        ).reason
        for t in Trigger
    }
    assert all("亚新社区 吹哨报到 淮河路街道" in r.zh for r in reasons.values())
    assert all("escalated beyond the grid to 淮河路街道 (吹哨报到)" in r.en for r in reasons.values())
    assert "办结时限 2026-11-26 10:00 已过" in reasons[Trigger.RESOLVE_OVERDUE].zh
    assert "等级升至紧急" in reasons[Trigger.SEVERITY_RAISED].zh
    assert "不可处理 邻里纠纷（紧急）" in reasons[Trigger.INCAPABLE].zh
    assert "may not handle neighbour dispute at urgent" in reasons[Trigger.INCAPABLE].en
    assert "同一事项（邻里纠纷）已反映 4 次" in reasons[Trigger.REPEATED].zh
    assert "群众不满意 4 次" in reasons[Trigger.DISSATISFIED].zh
    assert "主动上报" in reasons[Trigger.MANUAL].zh
    assert all("\n" not in r.zh and "\n" not in r.en for r in reasons.values())


# --------------------------------------------------------------------------- the sweep: clocks


def test_the_accept_clock_runs_only_until_acceptance() -> None:
    p = only(Trigger.ACCEPT_OVERDUE)
    case = filed()
    assert due([case], p, 2) == []  # exactly at the deadline: on time
    assert due([case], p, 2.01) == [("c-1", "accept_overdue", "g3")]
    accepted = apply_event(case, Accepted(at=at(1.5), actor="m"))
    assert due([accepted], p, 30) == []


def test_the_resolve_clock_runs_until_resolution() -> None:
    p = only(Trigger.RESOLVE_OVERDUE)
    case = apply_event(filed(), Accepted(at=at(1), actor="m"))
    assert due([case], p, 24) == []
    assert due([case], p, 25) == [("c-1", "resolve_overdue", "g3")]
    resolved = apply_event(case, Resolved(at=at(20), actor="m"))
    assert due([resolved], p, 100) == []
    started = apply_event(case, HandlingStarted(at=at(2), actor="m"))
    assert due([started], p, 25) == [("c-1", "resolve_overdue", "g3")]


def test_suspension_pauses_the_clocks_and_gives_the_time_back() -> None:
    p = only(Trigger.ACCEPT_OVERDUE, Trigger.RESOLVE_OVERDUE)
    suspended = apply_event(filed(), Suspended(at=at(1), actor="m", reason="等待业主"))
    assert due([suspended], p, 100) == []
    resumed = apply_event(suspended, Resumed(at=at(11), actor="m"))
    assert due([resumed], p, 12) == []  # the accept deadline moved from +2h to +12h
    assert due([resumed], p, 12.5) == [("c-1", "accept_overdue", "g3")]
    [e] = due_escalations([resumed], p, at=at(12.5))
    assert e.due == at(12)


def test_working_time_is_given_back_on_the_policy_calendar() -> None:
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
    deadline = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=CAL)
    issue = Issue(id="i-w", category="dispute", severity=1, channel=Channel.APP, place="h-1001",
                  reporter=Reporter.resident("r"), reported_at=friday)
    case = Case(
        events=[
            CaseOpened(at=friday, actor="m", case="c-w", issue=issue,
                       chain=GRID.place_chain("h-1001"), grid_version="v", accept_by=deadline),
            Suspended(at=friday + timedelta(hours=1), actor="m", reason="r"),
            Resumed(at=datetime(2026, 11, 30, 9, 0, tzinfo=CST), actor="m"),
        ]
    )
    p = only(Trigger.ACCEPT_OVERDUE)
    monday = datetime(2026, 11, 30, tzinfo=CST)
    assert list(due_escalations([case], p, at=monday.replace(hour=11))) == []
    [e] = due_escalations([case], p, at=monday.replace(hour=12, minute=1))
    assert e.due == monday.replace(hour=12)


# --------------------------------------------------------------------------- incapable


def test_the_router_decides_incapable_and_severity_raised() -> None:
    p = only(Trigger.INCAPABLE, Trigger.SEVERITY_RAISED)
    capable = filed(1, category="dispute", severity=2)
    incapable = filed(2, category="dispute", severity=3)
    raised = apply_event(
        filed(3, category="dispute", severity=1),
        SeverityRaised(at=at(1), actor="m", severity=3, reason="升级"),
    )
    mild = apply_event(
        filed(4, category="dispute", severity=1),
        SeverityRaised(at=at(1), actor="m", severity=2, reason="略重"),
    )
    cases = [capable, incapable, raised, mild]
    assert due(cases, p, 1, ROUTER) == [
        ("c-2", "incapable", "g3"),
        ("c-3", "severity_raised", "g3"),
    ]
    # Without a router there is no answer to "may this unit handle this": incapable never
    # fires, and any raise while the owner held the case escalates.
    assert due(cases, p, 1) == [("c-3", "severity_raised", "g3"), ("c-4", "severity_raised", "g3")]
    [proposal] = due_escalations([incapable], p, at=at(1), router=ROUTER)
    up = escalate(incapable, proposal, p, actor="system")
    assert due([up], p, 2, ROUTER) == []  # the grid may handle an urgent dispute
    [e] = due_escalations([incapable], p, at=at(1), router=ROUTER)
    assert "不可处理 矛盾纠纷（紧急）" in e.reason.zh
    assert "may not handle dispute at urgent" in e.reason.en


def test_a_unit_the_router_chose_is_never_called_incapable() -> None:
    router = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, catalogue=STREET)
    p = only(Trigger.INCAPABLE, Trigger.SEVERITY_RAISED, catalogue=STREET)
    from gridgov.workflow import open_case

    cases = []
    for n, (category, severity) in enumerate(
        [("neighbour_dispute", 1), ("neighbour_dispute", 2), ("noise", 3), ("dispute", 4)]
    ):
        issue = Issue(id=f"i-{n}", category=category, severity=severity, channel=Channel.HOTLINE,
                      place="h-1001", reporter=Reporter.resident("r"), reported_at=T0)
        cases.append(open_case(issue, router.route(issue), router=router, actor="m"))
    assert [c.owner for c in cases] == ["mg31", "mg31", "g3", "yx"]
    assert due(cases, p, 1, router) == []


def test_a_unit_override_of_the_matrix_is_honoured() -> None:
    matrix = ResponsibilityMatrix(
        name="m",
        entries=[
            *DEFAULT_MATRIX.entries,
            Responsibility(unit="mg31", category="dispute", max_severity=3),
        ],
    )
    router = Router(grid=GRID, rules=DEFAULT_RULES, matrix=matrix)
    p = only(Trigger.INCAPABLE)
    assert due([filed(1, category="dispute", severity=3)], p, 1, router) == []
    assert due([filed(2, place="h-0001", category="dispute", severity=3)], p, 1, router) == [
        ("c-2", "incapable", "g1")
    ]


# --------------------------------------------------------------------------- counting triggers


def test_dissatisfied_n_times_escalates() -> None:
    p = only(Trigger.DISSATISFIED, dissatisfied_count=2)
    case = apply_event(filed(resolve=None), Accepted(at=at(1), actor="m"))
    for i in range(2):
        case = apply_event(case, Resolved(at=at(2 + i), actor="m"))
        case = apply_event(case, ResidentDissatisfied(at=at(2.5 + i), actor="r"))
        assert len(due([case], p, 5)) == i
    [e] = due_escalations([case], p, at=at(5))
    assert e.times == 2
    assert "群众不满意 2 次" in e.reason.zh
    up = escalate(case, e, p, actor="system")
    assert up.events[-1].times == 2  # type: ignore[attr-defined]
    assert due([up], p, 6) == []


def test_the_same_matter_reported_repeatedly_at_one_place_escalates_once() -> None:
    p = only(Trigger.REPEATED, repeat_count=3, repeat_window=timedelta(days=7))
    cases = [filed(n, hours=n, accept=None, resolve=None) for n in range(1, 4)]
    elsewhere = filed(9, place="h-2001", hours=1, accept=None, resolve=None)
    other_kind = filed(8, category="dispute", hours=1, accept=None, resolve=None)
    assert due([*cases[:2], elsewhere, other_kind], p, 5) == []
    assert [c for c, *_ in due([*cases, elsewhere, other_kind], p, 5)] == ["c-1", "c-2", "c-3"]
    [first, *_] = due_escalations(cases, p, at=at(5))
    assert first.times == 3
    assert "已反映 3 次" in first.reason.zh
    # Outside the window the old reports no longer count.
    assert due(cases, p, 24 * 7 + 1.5) == []
    # Merged duplicates count as reports; the surviving case escalates once.
    gone, kept = merge_duplicate(cases[1], cases[0], at=at(4), actor="m")
    gone2, kept = merge_duplicate(cases[2], kept, at=at(4), actor="m")
    assert due([kept, gone, gone2], p, 5) == [("c-1", "repeated", "g3")]
    up = sweep_and_apply(kept, p, 5)
    assert due([up, gone, gone2], p, 6) == []


def test_related_categories_are_the_same_matter() -> None:
    p = only(Trigger.REPEATED, repeat_count=3, catalogue=STREET)
    cases = [
        filed(1, category="dispute", accept=None, resolve=None),
        filed(2, category="neighbour_dispute", hours=1, accept=None, resolve=None),
        filed(3, category="noise", hours=2, accept=None, resolve=None),
    ]
    # dispute is related to both refinements; the two refinements are not related to each
    # other, so each of them sees two reports of its matter.
    assert due(cases, p, 3) == [("c-1", "repeated", "g3")]
    four = [*cases, filed(4, category="neighbour_dispute", hours=2, accept=None, resolve=None)]
    assert [(c, t) for c, t, _ in due(four, p, 3)] == [
        ("c-1", "repeated"), ("c-2", "repeated"), ("c-4", "repeated")
    ]


def test_unlocated_reports_are_never_grouped_and_unit_reports_only_by_unit() -> None:
    p = only(Trigger.REPEATED, repeat_count=2)
    unlocated = [filed(n, place=None, accept=None, resolve=None) for n in (1, 2, 3)]
    assert all(not c.located and c.report is None for c in unlocated)
    assert due(unlocated, p, 1) == []
    about_unit = filed(4, place=None, unit="mg31", accept=None, resolve=None)
    at_place = filed(5, place="h-1001", accept=None, resolve=None)
    assert due([about_unit, at_place], p, 1) == []  # mg31 as a whole is not h-1001
    again = filed(6, place=None, unit="mg31", accept=None, resolve=None)
    assert [c for c, *_ in due([about_unit, at_place, again], p, 1)] == ["c-4", "c-6"]


# --------------------------------------------------------------------------- the sweep itself


def test_the_sweep_streams_when_it_can_and_keeps_input_order() -> None:
    p = only(Trigger.ACCEPT_OVERDUE)
    seen: list[str] = []

    def stream() -> Iterator[Case]:
        for n in (3, 1, 2):
            seen.append(f"c-{n}")
            yield filed(n)

    sweep = due_escalations(stream(), p, at=at(3))
    assert seen == []  # nothing read until asked
    assert next(sweep).case == "c-3"
    assert seen == ["c-3"]
    assert [e.case for e in sweep] == ["c-1", "c-2"]


def test_the_sweep_skips_inactive_suspended_and_beyond_cases() -> None:
    p = policy()
    closed = run(
        filed(1),
        Accepted(at=at(0.5), actor="m"),
        Resolved(at=at(0.6), actor="m"),
        Verified(at=at(0.7), actor="m"),
        Closed(at=at(0.8), actor="m"),
    )
    suspended = apply_event(filed(2), Suspended(at=at(0.5), actor="m", reason="r"))
    assert due([closed, suspended], p, 1000) == []


def test_the_sweep_refuses_bad_arguments() -> None:
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        due_escalations([], policy(), at=datetime(2026, 11, 26))
    with pytest.raises(InvalidValueError, match="'policy' must be an EscalationPolicy"):
        due_escalations([], "p", at=at(0))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'router' must be a Router"):
        due_escalations([], policy(), at=at(0), router=GRID)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'cases' must be a collection of Case"):
        due_escalations("cases", policy(), at=at(0))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'cases' must be a collection of Case"):
        list(due_escalations([filed(), "c-2"], only(Trigger.REPEATED), at=at(0)))  # type: ignore[list-item]
    with pytest.raises(TypeError):
        due_escalations([], policy(), at(0))  # type: ignore[misc]


# --------------------------------------------------------------------------- warnings


def test_traffic_lights() -> None:
    case = filed(accept=None, resolve=10)

    def light(c: Case, hours: float, **kw: Any) -> WarningLevel:
        return warning(c, at=at(hours), calendar=CAL, **kw)

    assert light(case, 1) is WarningLevel.GREEN
    assert light(case, 8) is WarningLevel.YELLOW  # 2 of 10 hours left
    assert light(case, 7.9) is WarningLevel.GREEN
    assert light(case, 7.9, share=0.5) is WarningLevel.YELLOW
    assert light(case, 10) is WarningLevel.YELLOW
    assert light(case, 10.1) is WarningLevel.RED
    both = filed(accept=2, resolve=10)
    assert light(both, 2.5) is WarningLevel.RED  # the accept clock
    accepted = apply_event(both, Accepted(at=at(1), actor="m"))
    assert light(accepted, 2.5) is WarningLevel.GREEN
    assert WarningLevel.RED.zh == "红灯 超期"
    suspended = apply_event(case, Suspended(at=at(1), actor="m", reason="r"))
    assert light(suspended, 100) is WarningLevel.GREEN
    resumed = apply_event(suspended, Resumed(at=at(50), actor="m"))
    assert light(resumed, 55) is WarningLevel.GREEN
    assert light(resumed, 59.5) is WarningLevel.RED
    done = run(filed(), Accepted(at=at(1), actor="m"), Resolved(at=at(2), actor="m"))
    assert light(done, 1000) is WarningLevel.GREEN


def test_warning_in_working_time_and_its_arguments() -> None:
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=CST)
    issue = Issue(id="i", category="dispute", severity=1, channel=Channel.APP, place="h-1001",
                  reporter=Reporter.resident("r"), reported_at=friday)
    deadline = Deadline.of(TimeLimit.working_days(1), start=friday, calendar=CAL)
    case = Case(events=[CaseOpened(at=friday, actor="m", case="c", issue=issue,
                                   chain=GRID.place_chain("h-1001"), grid_version="v",
                                   resolve_by=deadline)])
    # Due Monday 17:00.  No working time passes over the weekend, and at Monday noon 3 of
    # the 7.5 working hours are left (in natural time only 5 of 72 hours would be).
    assert deadline.due == datetime(2026, 11, 30, 17, 0, tzinfo=CST)
    for moment, light in [
        (friday + timedelta(days=1), WarningLevel.GREEN),
        (datetime(2026, 11, 30, 12, 0, tzinfo=CST), WarningLevel.GREEN),
        (datetime(2026, 11, 30, 16, 0, tzinfo=CST), WarningLevel.YELLOW),
    ]:
        assert warning(case, at=moment, calendar=CAL) is light
    with pytest.raises(InvalidValueError, match="'share' must be a finite number from 0 to 1"):
        warning(case, at=friday, calendar=CAL, share=1.5)
    with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
        warning(case, at=friday, calendar=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        warning(case, at=friday)  # type: ignore[call-arg]  # no default calendar


# --------------------------------------------------------------------------- duplicates


def _candidates(issue: Issue, cases: list[Case], **kw: Any) -> list[str]:
    fields: dict[str, Any] = {"grid": GRID, "catalogue": STREET, "window": timedelta(days=2)}
    fields.update(kw)
    return [c.id for c in candidate_duplicates(issue, cases, **fields)]


def test_candidate_duplicates_by_place_unit_matter_and_window() -> None:
    first = filed(1, place="h-1001")
    neighbour = filed(2, place="h-1002", hours=1)
    other_kind = filed(3, place="h-1001", category="dispute", hours=1)
    far_away = filed(4, place="h-2001", hours=1)
    old = filed(5, place="h-1001", hours=-24 * 10)
    closed = run(
        filed(6, place="h-1001"),
        Accepted(at=at(0.1), actor="m"),
        Resolved(at=at(0.2), actor="m"),
        Verified(at=at(0.3), actor="m"),
        Closed(at=at(0.4), actor="m"),
    )
    cases = [neighbour, first, other_kind, far_away, old, closed]
    new = filed(7, place="h-1001", hours=3).issue
    assert _candidates(new, cases) == ["c-1"]
    assert _candidates(new, cases, scope="unit") == ["c-1", "c-2"]
    assert _candidates(new, cases, window=timedelta(days=30)) == ["c-5", "c-1"]
    assert _candidates(first.issue, [first]) == []


def test_candidate_duplicates_read_the_catalogue_and_never_group_unlocated_issues() -> None:
    dispute = filed(1, category="dispute")
    noise = filed(2, category="noise", hours=1)
    new = filed(3, category="neighbour_dispute", hours=2).issue
    assert _candidates(new, [dispute, noise]) == ["c-1"]  # related to dispute, not to noise
    unlocated = filed(4, place=None, category="dispute")
    lost = filed(5, place=None, category="dispute", hours=1).issue
    assert _candidates(lost, [unlocated, dispute]) == []
    about_unit = filed(6, place=None, unit="mg31", category="dispute")
    unit_issue = filed(7, place=None, unit="mg31", category="dispute", hours=1).issue
    assert _candidates(unit_issue, [about_unit, dispute]) == ["c-6"]
    assert _candidates(unit_issue, [about_unit, dispute], scope="unit") == ["c-6"]


def test_candidate_duplicates_refuses_bad_arguments() -> None:
    new = filed(1).issue
    with pytest.raises(InvalidValueError, match="'window' must be a positive timedelta"):
        _candidates(new, [], window=timedelta(0))
    with pytest.raises(InvalidValueError, match="'scope' must be 'place' or 'unit'"):
        _candidates(new, [], scope="micro_grid")
    with pytest.raises(InvalidValueError, match="'catalogue' must be a CategoryCatalogue"):
        _candidates(new, [], catalogue=None)
    with pytest.raises(PolicyError, match="must be a code of catalogue"):
        _candidates(attrs.evolve(new, category="lift_repair"), [])
    nowhere = attrs.evolve(new, place="nowhere")
    with pytest.raises(UnknownPlaceError):
        _candidates(nowhere, [], scope="unit")
