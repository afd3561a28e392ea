"""gridgov.testing.checks.check_escalation and check_visit_policy: sound histories and policies
pass, and planted bugs (an escalation sideways, a clock that goes backwards, suspended time
counted, a laxer rule picked, a short month skipped) fail with a domain message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from check_builders import FILES, GRID, THURSDAY, issue

from gridgov import CST, Reason, Severity, TimeLimit
from gridgov.cases import (
    Accepted,
    Case,
    CaseEvent,
    CaseOpened,
    Escalated,
    Resumed,
    Returned,
    Suspended,
    Trigger,
)
from gridgov.escalation import EscalationPolicy, ExternalBody, Sla, escalate, escalation_for
from gridgov.testing.checks import (
    _escalation,  # the module whose apply_event the check calls, patched to plant bugs
    check_escalation,
    check_visit_policy,
)
from gridgov.visits import DEFAULT_POLICY, Frequency, VisitPolicy

# --------------------------------------------------------------------------- escalation

BODY = ExternalBody(id="sd", name="淮河路街道")
POLICY = EscalationPolicy(
    name="p",
    beyond=BODY,
    slas=[Sla(resolve_within=TimeLimit.working_days(5), accept_within=TimeLimit.working_hours(4))],
)
SHRINKING = EscalationPolicy(
    name="shrinking",
    beyond=BODY,
    slas=[
        Sla(tier="community", resolve_within=TimeLimit.working_hours(2)),
        Sla(resolve_within=TimeLimit.working_days(5)),
    ],
)


def opened(policy: EscalationPolicy = POLICY) -> Case:
    """A dispute filed with 美好人家1号楼 (mg31) on a Thursday morning, under *policy*."""
    accept_by, resolve_by = policy.deadlines(
        tier="micro_grid", category="dispute", severity=Severity.ROUTINE, start=THURSDAY
    )
    return Case(
        events=[
            CaseOpened(
                at=THURSDAY,
                actor="m-li",
                case="c-1",
                issue=issue(category="dispute"),
                chain=GRID.place_chain("h-1001"),
                grid_version=GRID.version,
                accept_by=accept_by,
                resolve_by=resolve_by,
            )
        ]
    )


def climb(case: Case, policy: EscalationPolicy, times: int, hours: int = 1) -> Case:
    at = case.updated_at
    for _ in range(times):
        at += timedelta(hours=hours)
        case = escalate(case, escalation_for(case, policy, at=at), policy, actor="system")
    return case


WHY = Reason(zh="上报", en="escalated")


def test_a_sound_history_passes_and_returns_the_final_case() -> None:
    start = opened()
    t = THURSDAY
    events: list[CaseEvent] = [
        Accepted(at=t + timedelta(hours=1), actor="m-li"),
        Suspended(at=t + timedelta(hours=2), actor="m-li", reason="等待回复"),
        Resumed(at=t + timedelta(days=3), actor="m-li"),
    ]
    case = start
    for e in events:
        case = case.apply(e)
    up = climb(case, POLICY, 3)
    final = check_escalation(POLICY, GRID, start, up.events[1:])
    assert final == up
    assert final.owner == "sd"
    assert final.beyond


def test_refused_events_are_skipped() -> None:
    start = opened()
    wrong = Escalated(
        at=THURSDAY, actor="x", trigger=Trigger.MANUAL, from_unit="mg31",
        from_name="美好人家1号楼", to="g2", to_name="第二网格", reason=WHY,
    )
    assert check_escalation(POLICY, GRID, start, [wrong]) == start


def _patched_apply(
    monkeypatch: pytest.MonkeyPatch, patch: Callable[[Case, CaseEvent, Case], Case]
) -> None:
    real = _escalation.apply_event

    def apply(case: Case, event: CaseEvent) -> Case:
        return patch(case, event, real(case, event))

    monkeypatch.setattr(_escalation, "apply_event", apply)


def test_an_escalation_that_goes_sideways_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A buggy lifecycle that hands an escalated case to the neighbouring grid 第二网格 (g2).
    def sideways(before: Case, event: CaseEvent, after: Case) -> Case:
        if not isinstance(event, Escalated):
            return after
        moved = Returned(
            at=event.at, actor="x", reason="x", chain=GRID.chain("g2"), grid_version=GRID.version
        )
        return before.apply(moved)

    _patched_apply(monkeypatch, sideways)
    up = climb(opened(), POLICY, 1)
    with pytest.raises(AssertionError) as info:
        check_escalation(POLICY, GRID, opened(), up.events[1:])
    message = str(info.value)
    assert "event 1 (上报 escalated) breaks an escalation invariant of case 'c-1'" in message
    assert "must go one step up, to 第三网格 'g3'" in message
    assert "it went sideways to 第二网格 'g2' (网格), beside the chain" in message


def test_an_escalation_after_beyond_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    top = climb(opened(), POLICY, 3)
    assert top.beyond

    # A buggy lifecycle that lets a case beyond the grid be escalated again.
    monkeypatch.setattr(
        _escalation,
        "apply_event",
        lambda case, event: (
            case if case.beyond and isinstance(event, Escalated) else case.apply(event)
        ),
    )
    extra = Escalated(
        at=top.updated_at, actor="x", trigger=Trigger.MANUAL, from_unit="sd",
        from_name="淮河路街道", to="sd2", to_name="区", beyond=True, reason=WHY,
    )
    with pytest.raises(AssertionError, match="no escalation is possible after beyond"):
        check_escalation(POLICY, GRID, opened(), [*top.events[1:], extra])


def test_an_escalation_beyond_the_grid_to_a_grid_unit_fails() -> None:
    # The lifecycle only knows the case's own chain: it accepts "beyond" to another grid unit.
    top = climb(opened(), POLICY, 2)
    odd = Escalated(
        at=top.updated_at,
        actor="x",
        trigger=Trigger.MANUAL,
        from_unit="yx",
        from_name="亚新社区",
        to="g2",
        to_name="第二网格",
        beyond=True,
        reason=WHY,
    )
    assert top.apply(odd).owner == "g2"
    with pytest.raises(AssertionError, match="which is not the policy's body beyond the grid"):
        check_escalation(POLICY, GRID, opened(), [*top.events[1:], odd])


def test_a_higher_tier_with_less_time_makes_the_sla_go_backwards() -> None:
    up = climb(opened(SHRINKING), SHRINKING, 2)
    with pytest.raises(AssertionError) as info:
        check_escalation(SHRINKING, GRID, opened(SHRINKING), up.events[1:])
    assert "event 2 (上报 escalated)" in str(info.value)
    assert "SLA goes backwards (时限倒退)" in str(info.value)
    assert "the resolve deadline moves earlier" in str(info.value)
    # ... which a city may allow on purpose.
    assert (
        check_escalation(
            SHRINKING, GRID, opened(SHRINKING), up.events[1:], keep_resolve_by=False
        ).owner
        == "yx"
    )


def test_a_backdated_escalation_clock_fails() -> None:
    start = opened()
    at = THURSDAY + timedelta(hours=3)
    _, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=THURSDAY
    )
    counted_from_the_report = Escalated(
        at=at,
        actor="x",
        trigger=Trigger.MANUAL,
        from_unit="mg31",
        from_name="美好人家1号楼",
        to="g3",
        to_name="第三网格",
        reason=WHY,
        resolve_by=resolve,
    )
    with pytest.raises(AssertionError, match="never backdated"):
        check_escalation(POLICY, GRID, start, [counted_from_the_report])


def test_a_deadline_moved_earlier_between_resets_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def earlier(before: Case, event: CaseEvent, after: Case) -> Case:
        if isinstance(event, Accepted) and after.resolve_by is not None:
            d = after.resolve_by
            moved = attrs.evolve(d, due=d.due - timedelta(days=1))
            object.__setattr__(after.state, "resolve_by", moved)
        return after

    _patched_apply(monkeypatch, earlier)
    with pytest.raises(AssertionError) as info:
        check_escalation(POLICY, GRID, opened(), [Accepted(at=THURSDAY, actor="m-li")])
    assert "SLA goes backwards (时限倒退): Accepted" in str(info.value)


def test_suspended_time_that_is_counted_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful(before: Case, event: CaseEvent, after: Case) -> Case:
        if isinstance(event, Resumed):
            object.__setattr__(after.state, "resolve_by", before.resolve_by)
        return after

    _patched_apply(monkeypatch, forgetful)
    events = [
        Suspended(at=THURSDAY + timedelta(hours=1), actor="m-li", reason="等待回复"),
        Resumed(at=THURSDAY + timedelta(days=2), actor="m-li"),
    ]
    with pytest.raises(AssertionError, match="suspended time must never be counted"):
        check_escalation(POLICY, GRID, opened(), events)


def test_an_overdue_escalation_before_the_deadline_fails() -> None:
    start = opened()
    at = THURSDAY + timedelta(hours=1)
    accept, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=at
    )
    early = Escalated(
        at=at,
        actor="system",
        trigger=Trigger.RESOLVE_OVERDUE,
        from_unit="mg31",
        from_name="美好人家1号楼",
        to="g3",
        to_name="第三网格",
        due=at,
        reason=WHY,
        accept_by=accept,
        resolve_by=resolve,
    )
    with pytest.raises(AssertionError, match=r"超时未办结|resolve overdue"):
        check_escalation(POLICY, GRID, start, [early])


def test_an_overdue_escalation_must_name_the_deadline_it_missed() -> None:
    start = opened()
    assert start.accept_by is not None
    missed = start.accept_by.due
    at = missed + timedelta(hours=1)
    accept, resolve = POLICY.deadlines(
        tier="grid", category="dispute", severity=Severity.ROUTINE, start=at
    )

    def late(due: datetime) -> Escalated:
        return Escalated(
            at=at, actor="system", trigger=Trigger.ACCEPT_OVERDUE, from_unit="mg31",
            from_name="美好人家1号楼", to="g3", to_name="第三网格", due=due, reason=WHY,
            accept_by=accept, resolve_by=resolve,
        )

    assert check_escalation(POLICY, GRID, start, [late(missed)]).owner == "g3"
    with pytest.raises(AssertionError, match="records the deadline missed as"):
        check_escalation(POLICY, GRID, start, [late(missed - timedelta(minutes=5))])


def test_check_escalation_refuses_misuse() -> None:
    with pytest.raises(TypeError, match="'policy' must be an EscalationPolicy"):
        check_escalation("p", GRID, opened(), [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"'events\[0\]' must be a CaseEvent"):
        check_escalation(POLICY, GRID, opened(), ["x"])  # type: ignore[list-item]


# --------------------------------------------------------------------------- visits

LU = next(r for r in FILES if r.id == "r-lu")


def test_a_sound_visit_policy_passes_on_month_ends() -> None:
    for day in (date(2026, 12, 20), date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)):
        req = check_visit_policy(DEFAULT_POLICY, LU, day)
        assert req is not None


def test_no_matching_rule_means_no_requirement() -> None:
    assert LU.age_on(date(2000, 1, 1)) < 60
    assert check_visit_policy(DEFAULT_POLICY, LU, date(2000, 1, 1)) is None


def test_an_explanation_that_picks_a_laxer_rule_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    real = VisitPolicy.requirement

    def laxer(self: VisitPolicy, resident: Any, *, on: date) -> Any:
        req = real(self, resident, on=on)
        if req is None or not req.also:
            return req
        lax = req.also[-1]
        return attrs.evolve(req, rule=lax, also=(req.rule, *req.also[:-1]))

    monkeypatch.setattr(VisitPolicy, "requirement", laxer)
    with pytest.raises(AssertionError) as info:
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))
    message = str(info.value)
    assert "visit policy 'default' breaks an invariant for resident 'r-lu'" in message
    assert "rule 'discharged_alone' (每日一访 daily" in message
    assert "the strictest rule must win (从严)" in message


def test_an_explanation_that_forgets_the_other_rules_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = VisitPolicy.requirement
    monkeypatch.setattr(
        VisitPolicy,
        "requirement",
        lambda self, resident, *, on: attrs.evolve(real(self, resident, on=on), also=()),
    )
    with pytest.raises(AssertionError, match="lists \\[\\] as the other matching rules"):
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))


def test_a_monthly_frequency_that_skips_a_short_month_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = Frequency.next_after

    def like_rrule_monthly(self: Frequency, day: date) -> date | None:
        due = real(self, day)
        if due is not None and self.label == "monthly" and due.day != day.day:
            return due + timedelta(days=day.day - due.day + 31)  # skips to the next month
        return due

    monkeypatch.setattr(Frequency, "next_after", like_rrule_monthly)
    key = next(
        r
        for r in FILES
        if (q := DEFAULT_POLICY.requirement(r, on=date(2027, 1, 15))) and q.rule.id == "key"
    )
    with pytest.raises(AssertionError, match="month ends are not safe"):
        check_visit_policy(DEFAULT_POLICY, key, date(2027, 1, 15))


def test_check_visit_policy_refuses_misuse() -> None:
    with pytest.raises(TypeError, match=r"'day' must be a datetime\.date"):
        check_visit_policy(DEFAULT_POLICY, LU, datetime(2026, 12, 1, tzinfo=CST))  # type: ignore[arg-type]


def test_a_finite_schedule_that_a_visit_completes_passes() -> None:
    """After a visit covering the last occurrence of a finite rrule, nothing is due: the
    check must not call that a missed resident (a counterexample hypothesis once found)."""
    from gridgov import Resident
    from gridgov.visits import FrequencyUnit, VisitColour, VisitMode, VisitRule

    once = VisitRule(
        id="a",
        frequency=Frequency(
            unit=FrequencyUnit.RRULE, rrule="DTSTART:20241127T090000\nRRULE:FREQ=DAILY;COUNT=1"
        ),
        colour=VisitColour.RED,
        reason="测试规则",
        reason_en="a test rule",
        modes={VisitMode.IN_PERSON},
    )
    baby = Resident(id="r0", name="居民", household="h-0001", birth_date=date(1976, 1, 1))
    policy = VisitPolicy(rules=[once])
    assert check_visit_policy(policy, baby, date(1976, 1, 29)) is not None
    # Every day: the same rule with one more occurrence still has dates after the visit.
    twice = attrs.evolve(
        once,
        frequency=attrs.evolve(
            once.frequency, rrule="DTSTART:20241127T090000\nRRULE:FREQ=DAILY;COUNT=2"
        ),
    )
    assert check_visit_policy(VisitPolicy(rules=[twice]), baby, date(1976, 1, 29)) is not None


def test_a_sweep_that_forgets_a_resident_under_the_policy_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gridgov.testing.checks import _visits  # check_visit_policy calls its next_due

    monkeypatch.setattr(_visits, "next_due", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="finds no visit due after a visit on 2026-12-20"):
        check_visit_policy(DEFAULT_POLICY, LU, date(2026, 12, 20))
