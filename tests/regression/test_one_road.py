"""Regression tests for issue 11 ("One road"), cases and escalation side.

Each test failed on the commit before the issue, written against that commit's API
(``/work/notes/regress11_old.py``: ``test_sweep_does_not_call_subcategory_incapable``,
``test_open_case_keeps_working_time_basis``, ``test_applying_a_sweep_result_keeps_the_deadline``,
``test_unlocated_reports_are_not_one_place``, ``test_unlocated_filed_on_unit_trigger_repeated``;
the catalogue check as ``open_case(..., policy=EscalationPolicy(matrix=DEFAULT_MATRIX))`` with
a router on a street catalogue, which raised nothing), and passes now.  The routing side is in
``test_one_road_routing.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Category,
    Channel,
    Issue,
    PolicyError,
    Reporter,
    ReporterKind,
    Router,
    TimeLimit,
)
from gridgov.cases import Escalated, Trigger
from gridgov.demo import sample_grid
from gridgov.escalation import EscalationPolicy, ExternalBody, Sla, due_escalations, escalate
from gridgov.workflow import open_case

T = datetime(2026, 11, 26, 10, 0, tzinfo=CST)
STREET = DEFAULT_CATALOGUE.with_categories(
    [
        Category(code="neighbour_dispute", label="neighbour dispute", zh="邻里纠纷",
                 parent="dispute"),
        Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair"),
    ],
    name="street",
)
BODY = ExternalBody(id="sd", name="街道")


def _issue(n: int = 1, **kw: object) -> Issue:
    fields: dict[str, object] = {
        "id": f"i{n}",
        "category": "dispute",
        "severity": 1,
        "channel": Channel.HOTLINE,
        "place": "h-1001",
        "reporter": Reporter.resident(f"r{n}"),
        "reported_at": T,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the sweep


def test_the_sweep_does_not_call_a_sub_category_incapable() -> None:
    # Before: the policy read its matrix with the default catalogue, so 邻里纠纷 counted as
    # "not within its powers" at every tier and went up to the district within hours.
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX,
                    catalogue=STREET)
    policy = EscalationPolicy(name="p", beyond=BODY, catalogue=STREET)
    issue = _issue(category="neighbour_dispute")
    case = open_case(issue, router.route(issue), router=router, actor="m")
    assert case.owner == "mg31"
    for hours in (0.1, 4, 24):
        assert list(due_escalations([case], policy, at=T + timedelta(hours=hours),
                                    router=router)) == []


def test_unlocated_tickets_never_trigger_repeated() -> None:
    # Before: tickets without a known household were filed on the street unit, and the
    # "repeated at the same place" trigger grouped them all.
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    policy = EscalationPolicy(name="p", beyond=BODY, triggers={Trigger.REPEATED},
                              repeat_count=2)
    anonymous = Reporter(kind=ReporterKind.ANONYMOUS)
    tickets = [_issue(n, place=None, reporter=anonymous) for n in range(5)]
    cases = [open_case(i, router.route(i), router=router, actor="hotline") for i in tickets]
    assert all(not c.located for c in cases)
    assert list(due_escalations(cases, policy, at=T + timedelta(minutes=5),
                                router=router)) == []


def test_a_policy_on_another_catalogue_than_the_routers_is_refused() -> None:
    # Before: nothing tied the policy's reading of categories to the router's, so the two
    # disagreed silently.
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX,
                    catalogue=STREET)
    policy = EscalationPolicy(name="p", beyond=BODY)  # the default catalogue
    issue = _issue(category="neighbour_dispute")
    a = router.route(issue)
    with pytest.raises(PolicyError, match="reads catalogue 'default' but the router routes"):
        due_escalations([], policy, at=T, router=router)
    with pytest.raises(PolicyError, match="reads catalogue 'default'"):
        open_case(issue, a, router=router, actor="m", policy=policy)


# --------------------------------------------------------------------------- deadlines


def test_open_case_without_a_policy_keeps_the_rules_working_time_basis_and_limit() -> None:
    # Before: open_case re-wrapped the assignment's plain datetimes: basis 'natural', no
    # limit, so a suspension refunded wall-clock time.
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    issue = _issue()
    case = open_case(issue, router.route(issue), router=router, actor="m")
    assert case.resolve_by is not None
    assert case.resolve_by.basis == "working"
    assert case.resolve_by.limit == TimeLimit.working_days(13)
    assert case.resolve_by.source == "rule:default"


def test_applying_a_sweep_result_keeps_the_missed_deadline_and_the_reason() -> None:
    # Before: escalate(case, policy, at=e.at, trigger=e.trigger) recorded "立案时限  已过"
    # with the deadline blank.
    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    policy = EscalationPolicy(name="p", beyond=BODY,
                              slas=[Sla(accept_within=TimeLimit.natural_hours(1))])
    issue = _issue()
    case = open_case(issue, router.route(issue), router=router, actor="m", policy=policy)
    [e] = due_escalations([case], policy, at=T + timedelta(hours=2), router=router)
    up = escalate(case, e, policy, actor="system")
    last = up.events[-1]
    assert isinstance(last, Escalated)
    assert last.trigger is Trigger.ACCEPT_OVERDUE
    assert last.due == T + timedelta(hours=1)
    assert last.reason == e.reason
    assert "立案时限 2026-11-26 11:00 已过" in last.reason.zh
