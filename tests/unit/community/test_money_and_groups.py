"""Unit tests for gridgov.community.funding, .projects and .activities: the money doors and
arithmetic at its edges, what a project refuses, and reach and points on small groups."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from gridgov import (
    CST,
    Criteria,
    Frequency,
    Grain,
    InvalidValueError,
    Period,
    Resident,
    from_dict,
    to_dict,
)
from gridgov.community import (
    Activity,
    Contribution,
    FundingKind,
    MatchRule,
    Participation,
    PointsPolicy,
    Progress,
    Project,
    check_funding,
    open_wishes,
    points_ledger,
    reach,
    resolve_cases,
    yuan,
)
from gridgov.demo import sample_case, sample_grid

DAY = date(2026, 6, 1)
T = datetime(2026, 7, 14, 17, 0, tzinfo=CST)


def paid(id: str, kind: FundingKind, amount: int) -> Contribution:
    return Contribution(id=id, kind=kind, source="s", amount=amount, on=DAY)


# --------------------------------------------------------------------------- funding


def test_money_is_integer_fen() -> None:
    with pytest.raises(InvalidValueError, match="'amount' of Contribution must be an integer"):
        Contribution(id="c", kind=FundingKind.RESIDENTS, source="s", amount=10.5, on=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'amount' of Contribution"):
        paid("c", FundingKind.RESIDENTS, 0)
    with pytest.raises(InvalidValueError, match="'cap' of MatchRule"):
        MatchRule(id="m", name="n", partner="p", cap=-1)
    assert (yuan(0), yuan(-1_234_567), yuan(10**12)) == (
        "¥0.00",
        "-¥12,345.67",
        "¥10,000,000,000.00",
    )


def test_the_match_is_rounded_down_and_capped() -> None:
    rule = MatchRule(id="m", name="配捐", partner="p", match=2, per=3, cap=1_000)
    assert [rule.earned(x) for x in (0, 1, 2, 3, 1_499, 1_500, 1_501, 10**9)] == [
        0,
        0,
        1,
        2,
        999,
        1_000,
        1_000,
        1_000,
    ]


def test_sources_are_applied_in_order_and_the_match_only_as_needed() -> None:
    rule = MatchRule(id="m", name="幸福家园", partner="p", cap=2_000_000)
    given = [
        paid("c1", FundingKind.RESIDENTS, 3_000_000),
        paid("c2", FundingKind.SPONSOR, 1_500_000),
        paid("c3", FundingKind.PUBLIC, 200_000),
    ]
    f = check_funding(4_000_000, given, rule)
    assert (f.applied_residents, f.applied_sponsor, f.applied_public, f.applied_match) == (
        3_000_000,
        1_000_000,
        0,
        0,
    )
    assert (f.match_earned, f.surplus, f.shortfall, f.funded) == (2_000_000, 700_000, 0, True)
    assert "结余¥7,000.00" in f.reason.zh and f.reason.ids("partner") == ("p",)
    short = check_funding(9_000_000, given, rule)
    assert (short.applied_match, short.shortfall) == (2_000_000, 2_300_000)
    assert short.reason.en.endswith("¥23,000.00 short")


def test_check_funding_doors() -> None:
    with pytest.raises(InvalidValueError, match="'budget' must be an integer from 1"):
        check_funding(0, [])
    with pytest.raises(InvalidValueError, match="'contributions' must be a collection"):
        check_funding(1, "c1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'match' must be a MatchRule or None"):
        check_funding(1, [], "1:1")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- projects


def funded_project(**kw: object) -> Project:
    p = Project(id="p1", name="微改造", unit="mg31", budget=1_000, wishes=["w1", "w2"], **kw)  # type: ignore[arg-type]
    return p.receive(paid("c1", FundingKind.RESIDENTS, 1_000))


def test_a_completed_project_takes_nothing_more() -> None:
    done = funded_project().complete(at=T, actor="m-li", summary="完工")
    assert done.completed is not None and done.percent == 100
    assert done.completed.wishes == ("w1", "w2") and done.completed.summary == "完工"
    for change in (
        lambda p: p.receive(paid("c2", FundingKind.PUBLIC, 1)),
        lambda p: p.report(Progress(on=DAY, percent=100)),
        lambda p: p.complete(at=T, actor="m-li"),
    ):
        with pytest.raises(InvalidValueError, match="before project 'p1' was completed"):
            change(done)
    assert from_dict(to_dict(done)) == done


def test_a_project_cannot_claim_a_completion_that_is_not_its_own() -> None:
    done = funded_project().complete(at=T, actor="m-li")
    assert done.completed is not None
    with pytest.raises(InvalidValueError, match="'completed' of Project must be the completion"):
        Project(
            id="p2",
            name="n",
            unit="u",
            budget=1_000,
            wishes=["w1", "w2"],
            contributions=done.contributions,
            completed=done.completed,
        )
    with pytest.raises(InvalidValueError, match=r"not funded .*¥10\.00 short"):
        Project(
            id="p1", name="n", unit="u", budget=1_000, wishes=["w1", "w2"], completed=done.completed
        )


def test_progress_never_goes_back() -> None:
    p = funded_project().report(Progress(on=date(2026, 7, 1), percent=40))
    with pytest.raises(InvalidValueError, match="'on' of Progress must be on or after"):
        p.report(Progress(on=date(2026, 6, 30), percent=50))
    assert p.report(Progress(on=date(2026, 7, 1), percent=40)).percent == 40


def test_resolve_cases_resolves_each_linked_case_through_its_own_event() -> None:
    from gridgov import CoHandlerCompleted, InvalidTransitionError

    case = sample_case()  # accepted, with the property company linked as a required co-handler
    done = funded_project(cases=[case.id]).complete(at=case.updated_at, actor="m-li")
    with pytest.raises(InvalidTransitionError, match="co-handler 'p-wuye'"):
        resolve_cases(done, [case])  # the case's own rule stands
    case = case.apply(CoHandlerCompleted(at=case.updated_at, actor="p-wuye", handler="p-wuye"))
    [resolved] = resolve_cases(done, [case])
    assert resolved.status.value == "resolved" and resolved.events[-1].actor == "m-li"
    assert resolved.events[-1].summary.startswith("「微改造」竣工")  # type: ignore[attr-defined]
    with pytest.raises(InvalidValueError, match="'cases' must be every case project 'p1' links"):
        resolve_cases(done, [])


def test_open_wishes_leaves_out_only_what_a_completed_project_answered() -> None:
    from gridgov.community import Wish

    ws = [Wish(id=f"w{i}", resident="r", place="h-1001", what="x", at=T) for i in (1, 2, 3)]
    assert open_wishes(ws, [funded_project()]) == tuple(ws)  # not completed yet
    done = funded_project().complete(at=T, actor="m-li")
    assert [w.id for w in open_wishes(ws, [done])] == ["w3"]


# --------------------------------------------------------------------------- activities

Q4 = Period.of(date(2026, 10, 1), Grain.QUARTER)


def test_points_are_a_policy() -> None:
    assert [PointsPolicy(per_activity=3, per_hour=7).points(m) for m in (0, 8, 9, 60, 1440)] == [
        3,
        3,
        4,
        10,
        171,
    ]
    with pytest.raises(InvalidValueError, match="'minutes' must be an integer from 0 to 1,440"):
        PointsPolicy().points(1441)


def test_reach_reads_the_group_on_the_last_day_within_the_unit() -> None:
    grid = sample_grid()
    born = date(1966, 12, 15)  # turns 60 in the quarter
    inside = Resident(id="r-in", name="甲", household="h-1001", birth_date=born)
    elsewhere = next(p for p in grid.places_in("mg32") if p.startswith("h-"))
    outside = Resident(id="r-out", name="乙", household=elsewhere, birth_date=born)
    show = Activity(
        id="a1",
        name="书法展",
        unit="mg31",
        group=Criteria(min_age=60),
        group_name="老年人",
        schedule=Frequency.quarterly(),
    )
    [r] = reach([show], [inside, outside], [], period=Q4, grid=grid)
    assert (r.members, r.not_reached, r.rate) == (("r-in",), ("r-in",), (0, 1))
    [before] = reach([show], [inside], [], period=Q4, grid=grid, on=date(2026, 12, 14))
    assert before.members == ()
    with pytest.raises(InvalidValueError, match="'participations' must be of the activities given"):
        reach(
            [show],
            [inside],
            [Participation(id="p", activity="a9", person="r-in", on=DAY)],
            period=Q4,
            grid=grid,
        )
    with pytest.raises(InvalidValueError, match="'period' must be a Period"):
        reach([show], [], [], period=(2026, 4), grid=grid)  # type: ignore[arg-type]


def test_the_ledger_has_one_entry_per_participation() -> None:
    a = Activity(
        id="a1",
        name="志愿服务",
        unit="yx",
        group=Criteria(),
        group_name="全体",
        schedule=Frequency.weekly(),
        points=PointsPolicy(per_hour=6),
    )
    came = [
        Participation(id=f"p{i}", activity="a1", person="r-1", on=DAY, minutes=25) for i in (1, 2)
    ]
    ledger = points_ledger([a], came)
    assert [e.points for e in ledger.entries] == [2, 2] and ledger.balance("r-1") == 4
    assert ledger.entries[0].reason.zh == "志愿服务：每次0分＋每小时6分×25分钟＝2分"
    with pytest.raises(InvalidValueError, match="'participations' must hold each once"):
        points_ledger([a], [came[0], came[0]])
    with pytest.raises(InvalidValueError, match="'activities' must hold each once"):
        points_ledger([a, a], [])
