"""Unit tests for plan_visits with each member's own availability (the talent library)."""

from __future__ import annotations

import json

import pytest
from visit_builders import MONTHLY_60, D, resident_in, small_grid

from gridgov import InvalidValueError, from_dict, to_dict
from gridgov.community import Span, Talent, TalentLibrary, Willingness
from gridgov.visits import VisitPlan, plan_visits

FRIDAY, SATURDAY = D(2026, 11, 27), D(2026, 11, 28)
GRID = small_grid(2)  # m0 and m1, both posted in mg1
ELDERS = [resident_in(f"r{i}", "h1") for i in range(6)]  # all due: never visited


def part_time(visits: int | None = 1) -> TalentLibrary:
    """m1 is a part-time 微网格长: Saturdays and Sundays, *visits* a day; m0 is not in it."""
    w = Willingness(hours=6, per=Span.WEEK, weekdays={5, 6}, visits_per_day=visits)
    return TalentLibrary(talents=[Talent.of_member(GRID.member("m1"), willingness=w)])


def plan(**kw: object) -> VisitPlan:
    return plan_visits(
        ELDERS, [], MONTHLY_60, GRID, start=FRIDAY, end=SATURDAY, capacity_per_member=2, **kw
    )  # type: ignore[arg-type]


def test_without_availability_every_member_has_the_plans_capacity():
    p = plan()
    assert not p.own_capacities
    assert [p.load(m, FRIDAY) for m in ("m0", "m1")] == [2, 2]
    assert len(p.shortfalls) == 2 and "每人2次" in p.shortfalls[0].reason.zh


def test_each_member_works_their_own_days_and_capacity():
    p = plan(availability=part_time())
    assert p.own_capacities
    assert [p.load(m, FRIDAY) for m in ("m0", "m1")] == [2, 0]  # m1 does not serve on Fridays
    assert [p.load(m, SATURDAY) for m in ("m0", "m1")] == [2, 1]  # m1's own 1 a day
    friday = [s for s in p.shortfalls if s.day == FRIDAY]
    assert len(friday) == 4 and len(p.shortfalls) == 5
    assert friday[0].reason.zh.endswith(
        "一号楼的2名成员中1人当日不在服务时间，其余均已按各自服务意愿排满。"
    )
    assert "1 do not serve that day" in friday[0].reason.en


def test_a_member_without_a_daily_figure_keeps_the_plans_capacity_on_their_days():
    p = plan(availability=part_time(visits=None))
    assert p.load("m1", FRIDAY) == 0 and p.load("m1", SATURDAY) == 2


def test_availability_must_be_one():
    with pytest.raises(InvalidValueError, match="'availability' must be a MemberAvailability"):
        plan(availability={"m1": 1})


def test_a_plan_with_own_capacities_round_trips():
    p = plan(availability=part_time())
    assert from_dict(json.loads(json.dumps(to_dict(p))), VisitPlan) == p
