"""Unit tests for gridgov.workflow: opening cases from assignments, re-routing, merging."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import attrs
import pytest

from builders import GRID, ROUTER, T0, at, make_case, make_issue
from gridgov import (
    CST,
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
    ReporterKind,
    Router,
    TimeLimit,
    UnknownUnitError,
    WorkCalendar,
)
from gridgov.cases import CaseStatus, DuplicateMerged, MergedInto, Returned
from gridgov.demo import sample_grid
from gridgov.escalation import EscalationPolicy, ExternalBody, Sla
from gridgov.workflow import merge_duplicate, open_case, reroute

BODY = ExternalBody(id="sd", name="街道")


# --------------------------------------------------------------------------- open_case


def test_open_case_keeps_the_assignment_as_it_is() -> None:
    issue = make_issue()
    a = ROUTER.route(issue)
    case = open_case(issue, a, router=ROUTER, actor="m-li")
    assert case.id == "i-1"
    assert case.status is CaseStatus.REPORTED
    assert case.owner == case.accountable == "mg31"
    assert case.chain == a.chain
    assert (case.position, case.located) == (a.position, True)
    assert case.grid_version == "2026-11"
    assert case.rule == "facility"
    opened = case.events[0]
    assert opened.reason == a.reason  # type: ignore[attr-defined]
    # The rule's deadlines as they are: working time, its limit, its source.
    assert case.accept_by == a.accept_by
    assert case.resolve_by == a.resolve_by
    assert case.resolve_by is not None
    assert (case.resolve_by.basis, case.resolve_by.source) == ("working", "rule:facility")
    assert case.resolve_by.limit == TimeLimit.working_days(5)
    assert [(h.id, h.name, h.required, h.is_open) for h in case.co_handlers] == [
        ("p-wuye", "美好人家物业", True, True)
    ]
    assert case.co_handlers[0].due == case.resolve_by.due
    assert [type(e).__name__ for e in case.events] == ["CaseOpened", "CoHandlerLinked"]


def test_open_case_without_linking_and_with_an_own_id() -> None:
    issue = make_issue()
    case = open_case(
        issue, ROUTER.route(issue), router=ROUTER, actor="m-li", link_partners=False,
        case_id="yx-9",
    )
    assert case.co_handlers == ()
    assert case.id == "yx-9"


def test_a_case_routed_above_the_place_records_where_it_is_located() -> None:
    issue = make_issue(category="safety_hazard", severity=3)
    a = ROUTER.route(issue)
    case = open_case(issue, a, router=ROUTER, actor="m-li")
    assert (case.owner, case.position, case.chain[0].id) == ("yx", 2, "mg31")
    assert case.accountable == "yx"


def test_an_unlocated_issue_opens_an_unlocated_case() -> None:
    issue = make_issue(place=None, reporter=Reporter(kind=ReporterKind.ANONYMOUS))
    a = ROUTER.route(issue)
    case = open_case(issue, a, router=ROUTER, actor="hotline")
    assert not case.located
    assert case.report is None  # never grouped by place
    assert case.chain[0].id == "yx"
    assert "（待定位）" in case.describe()


def test_a_policy_sla_replaces_the_rules_deadlines_and_says_so() -> None:
    issue = make_issue()
    a = ROUTER.route(issue)
    policy = EscalationPolicy(
        name="p",
        beyond=BODY,
        slas=[Sla(name="微网格", tier="micro_grid", resolve_within=TimeLimit.working_days(2))],
    )
    case = open_case(issue, a, router=ROUTER, actor="m-li", policy=policy, at=at(1))
    assert case.resolve_by is not None
    assert case.resolve_by.due == datetime(2026, 11, 30, 10, 0, tzinfo=CST)
    assert (case.resolve_by.basis, case.resolve_by.start) == ("working", at(1))
    assert case.resolve_by.source == "sla:微网格"
    # The SLA sets no accept limit: the rule's deadline stays, as it was routed.
    assert case.accept_by == a.accept_by
    assert case.accept_by is not None and case.accept_by.source == "rule:facility"
    # A policy whose SLA does not apply leaves the rule's deadlines.
    other = EscalationPolicy(name="q", beyond=BODY, slas=[Sla(tier="grid")])
    kept = open_case(issue, a, router=ROUTER, actor="m-li", policy=other)
    assert (kept.accept_by, kept.resolve_by) == (a.accept_by, a.resolve_by)


def test_open_case_checks_the_policy_against_the_router() -> None:
    issue = make_issue()
    a = ROUTER.route(issue)
    street = ROUTER.catalogue.with_categories(
        [Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair")],
        name="street",
    )
    with pytest.raises(PolicyError, match="reads catalogue 'street' but the router"):
        open_case(issue, a, router=ROUTER, actor="m",
                  policy=EscalationPolicy(name="p", beyond=BODY, catalogue=street))
    with pytest.raises(PolicyError, match="counts on calendar"):
        open_case(issue, a, router=ROUTER, actor="m",
                  policy=EscalationPolicy(name="p", beyond=BODY,
                                          calendar=WorkCalendar(hours=["09:00-17:00"])))
    with pytest.raises(PolicyError, match="must not have the id of a unit"):
        open_case(issue, a, router=ROUTER, actor="m",
                  policy=EscalationPolicy(name="p", beyond=ExternalBody(id="g3", name="x")))


def test_open_case_refuses_a_mismatched_assignment_or_arguments() -> None:
    issue = make_issue()
    a = ROUTER.route(issue)
    with pytest.raises(InvalidValueError, match="is for issue 'i-1', not for issue 'i-2'"):
        open_case(make_issue(2), a, router=ROUTER, actor="m-li")
    other = Router(grid=sample_grid("2027-01"), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    with pytest.raises(InvalidValueError, match="routed on grid version '2026-11'"):
        open_case(issue, a, router=other, actor="m-li")
    with pytest.raises(InvalidValueError, match="timezone-aware"):
        open_case(issue, a, router=ROUTER, actor="m-li", at=datetime(2026, 11, 26, 10))
    with pytest.raises(InvalidValueError, match="'router' must be a Router"):
        open_case(issue, a, router=GRID, actor="m-li")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'assignment' must be an Assignment"):
        open_case(issue, "mg31", router=ROUTER, actor="m-li")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'actor' must be an id"):
        open_case(issue, a, router=ROUTER, actor=" m")
    with pytest.raises(InvalidValueError, match="'policy' must be an EscalationPolicy"):
        open_case(issue, a, router=ROUTER, actor="m", policy="p")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'link_partners' must be true or false"):
        open_case(issue, a, router=ROUTER, actor="m", link_partners=1)  # type: ignore[arg-type]


def test_a_deadline_in_the_past_at_creation_is_refused() -> None:
    issue = make_issue()
    with pytest.raises(InvalidValueError, match="'accept_by' of CaseOpened must not be before"):
        open_case(issue, ROUTER.route(issue), router=ROUTER, actor="m-li", at=at(24 * 30))


# --------------------------------------------------------------------------- reroute


def test_a_wrongly_dispatched_case_is_returned_and_rerouted() -> None:
    case = make_case()
    moved = reroute(case, "mg12", router=ROUTER, at=at(2), actor="m-g3", reason="地址属第一网格")
    assert moved.owner == "mg12"
    assert moved.position == 0
    assert [u.id for u in moved.chain] == ["mg12", "g1", "yx"]
    assert moved.status is CaseStatus.REPORTED
    assert moved.accountable == "mg31"
    assert moved.resolve_by == case.resolve_by  # no policy: deadlines kept
    assert isinstance(moved.events[-1], Returned)
    with pytest.raises(InvalidTransitionError, match="cannot be returned to its own owner"):
        reroute(moved, "mg12", router=ROUTER, at=at(3), actor="m", reason="x")
    with pytest.raises(UnknownUnitError):
        reroute(moved, "nowhere", router=ROUTER, at=at(3), actor="m", reason="x")
    with pytest.raises(InvalidValueError, match="'to' must be an id"):
        reroute(moved, 7, router=ROUTER, at=at(3), actor="m", reason="x")  # type: ignore[arg-type]


def test_rerouting_with_a_policy_restarts_the_clocks_for_the_new_unit() -> None:
    policy = EscalationPolicy(
        name="p",
        beyond=BODY,
        slas=[
            Sla(name="all", accept_within=TimeLimit.natural_hours(2),
                resolve_within=TimeLimit.natural_days(1))
        ],
    )
    moved = reroute(make_case(), "mg32", router=ROUTER, at=at(3), actor="m", reason="x",
                    policy=policy)
    assert moved.accept_by is not None and moved.accept_by.due == at(5)
    assert moved.resolve_by is not None and moved.resolve_by.due == at(27)
    assert moved.resolve_by.source == "sla:all"
    with pytest.raises(PolicyError, match="must not have the id of a unit"):
        reroute(make_case(), "mg32", router=ROUTER, at=at(3), actor="m", reason="x",
                policy=attrs.evolve(policy, beyond=ExternalBody(id="yx", name="x")))


# --------------------------------------------------------------------------- merging


def test_merging_keeps_both_timelines() -> None:
    first = make_case()
    second = make_case(2, hours=1)
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
    with pytest.raises(InvalidValueError, match="'into' must be a Case"):
        merge_duplicate(first, "c-2", at=at(2), actor="m")  # type: ignore[arg-type]
    with pytest.raises(InvalidTransitionError, match="is merged"):
        merge_duplicate(make_case(3), gone, at=at(3), actor="m")


def test_merging_is_linear() -> None:
    # 5,000 merges one by one took 24 s when every merge copied the case's lists.
    def issue(n: int) -> Issue:
        return Issue(id=f"i-{n}", category="environment", severity=1, channel=Channel.APP,
                     place="h-1001", reporter=Reporter.resident("r"), reported_at=T0)

    chain = GRID.place_chain("h-1001")
    from gridgov.cases import Case, CaseOpened

    def filed(n: int) -> Case:
        return Case(events=[CaseOpened(at=T0, actor="m", case=f"c-{n}", issue=issue(n),
                                       chain=chain, grid_version=GRID.version)])

    def merge(count: int) -> float:
        kept = filed(0)
        dups = [filed(n) for n in range(1, count + 1)]
        start = time.process_time()
        for dup in dups:
            _, kept = merge_duplicate(dup, kept, at=T0 + timedelta(minutes=1), actor="m")
        assert len(kept.duplicates) == count
        return time.process_time() - start

    # Per merge, 4,000 merges cost about what 500 do (quadratic merging would cost 8 times
    # as much per merge); best of three rounds each, so a busy machine does not decide it.
    small = min(merge(500) for _ in range(3)) / 500
    large = min(merge(4000) for _ in range(3)) / 4000
    assert large < 3 * small, (small, large)


def test_merged_deadlines_are_left_alone() -> None:
    first = make_case(resolve=10)
    _, kept = merge_duplicate(make_case(2), first, at=at(1), actor="m")
    assert kept.resolve_by == Deadline(start=T0, due=at(10))
