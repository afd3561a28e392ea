"""Unit tests for gridgov.visits missed, plan and coverage, and round trips of results."""

from __future__ import annotations

import json
from datetime import datetime

import attrs
import pytest
from visit_builders import MONTHLY_60, D, elder, policy, rec, resident_in, rule, small_grid

from gridgov import (
    CST,
    FOUR_TIER,
    Condition,
    GridGraph,
    GridUnit,
    InvalidValueError,
    Member,
    Post,
    Reason,
    Resident,
    Role,
    SerializationError,
    UnknownPlaceError,
    from_dict,
    to_dict,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    Frequency,
    MajorChange,
    MissedVisitEscalation,
    VisitColour,
    VisitCoverage,
    VisitMode,
    VisitRecord,
    VisitWindow,
    coverage,
    missed_visit_escalations,
    next_due,
    plan_visits,
)


@pytest.fixture(scope="module")
def lu() -> Resident:
    return next(r for r in sample_residents() if r.id == "r-lu")


# --------------------------------------------------------------------------- escalation


class TestEscalation:
    def test_missed_visit_goes_to_the_grid_leader(self, lu):
        grid = sample_grid()
        item = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 28))
        assert item is not None
        assert item.missed
        (esc,) = missed_visit_escalations([item], grid)
        assert (esc.from_unit, esc.from_name, esc.to, esc.to_name) == (
            "mg31",
            "美好人家1号楼",
            "g3",
            "第三网格",
        )
        assert (esc.leader, esc.leader_name, esc.rule) == ("m-g3", "彭雪丽", "discharged_alone")
        assert (esc.resident, esc.resident_name, esc.household) == ("r-lu", "吕阿姨", lu.household)
        assert esc.days_overdue == 2
        assert esc.due == D(2026, 11, 26)
        assert isinstance(esc.reason, Reason)
        assert "上报第三网格（彭雪丽）" in esc.reason.zh
        assert "吕阿姨" in esc.reason.zh and "r-lu" not in esc.reason.zh
        assert "escalated to 第三网格 (彭雪丽)" in esc.reason.en
        assert esc.reason.ids("unit") == ("mg31", "g3")
        assert esc.reason.ids("member") == ("m-g3",)
        assert esc.reason.ids("resident") == ("r-lu",)

    def test_only_missed_ones_and_vacant_leaders(self, lu):
        grid = sample_grid().with_team(
            version="x", members=[m for m in sample_grid().members if m.id != "m-g3"]
        )
        due_today = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 26))
        late = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 27))
        out = list(missed_visit_escalations([due_today, late], grid))  # type: ignore[list-item]
        assert len(out) == 1
        assert out[0].leader is None and out[0].leader_name is None
        assert "负责人空缺" in out[0].reason.zh
        assert "no leader posted" in out[0].reason.en

    def test_the_bottom_tier_of_any_scheme(self):
        """A four-tier street: the household's unit is of the scheme's bottom tier, whatever
        its name, and the message says so."""
        units = [
            GridUnit(id="s", name="淮河路街道", tier="subdistrict"),
            GridUnit(id="c", name="亚新社区", tier="community", parent="s"),
            GridUnit(id="g", name="第三网格", tier="grid", parent="c"),
            GridUnit(id="m", name="1号楼", tier="micro_grid", parent="g"),
        ]
        grid = GridGraph(version="4", scheme=FOUR_TIER, units=units, places={"h": "m"})
        r = attrs.evolve(elder("r1"), household="h")
        item = next_due(r, [], MONTHLY_60, on=D(2026, 1, 1))
        (esc,) = missed_visit_escalations([item], grid)  # type: ignore[list-item]
        assert (esc.from_unit, esc.to, esc.leader) == ("m", "g", None)
        bottom = FOUR_TIER.bottom
        assert f"责任{bottom.zh}1号楼" in esc.reason.zh
        assert f"responsible {bottom.label.lower()} 1号楼" in esc.reason.en

    def test_a_root_unit_keeps_it(self):
        grid = GridGraph(
            version="1",
            units=[GridUnit(id="c", name="社区", tier="community")],
            places={"h": "c"},
            scheme=FOUR_TIER.__class__(name="one", tiers=[FOUR_TIER["community"]]),
        )
        item = next_due(attrs.evolve(elder("r1"), household="h"), [], MONTHLY_60, on=D(2026, 1, 1))
        (esc,) = missed_visit_escalations([item], grid)  # type: ignore[list-item]
        assert (esc.from_unit, esc.to) == ("c", "c")
        assert "无上级单位" in esc.reason.zh

    def test_unknown_household_and_bad_arguments(self):
        item = next_due(
            attrs.evolve(elder(), household="nowhere"), [], MONTHLY_60, on=D(2026, 1, 1)
        )
        with pytest.raises(UnknownPlaceError):
            list(missed_visit_escalations([item], sample_grid()))  # type: ignore[list-item]
        with pytest.raises(InvalidValueError, match="'grid' must be a GridGraph"):
            missed_visit_escalations([item], "grid")  # type: ignore[arg-type,list-item]
        with pytest.raises(InvalidValueError, match="'due' must hold DueVisit values only"):
            list(missed_visit_escalations(["r1"], sample_grid()))  # type: ignore[list-item]

    def test_the_value_is_checked(self, lu):
        item = next_due(lu, [], DEFAULT_POLICY, on=D(2026, 11, 27))
        esc = next(missed_visit_escalations([item], sample_grid()))  # type: ignore[list-item]
        with pytest.raises(InvalidValueError, match="'days_overdue' of MissedVisitEscalation"):
            attrs.evolve(esc, days_overdue=3)
        with pytest.raises(InvalidValueError, match="'leader' and 'leader_name'"):
            attrs.evolve(esc, leader_name=None)
        with pytest.raises(InvalidValueError, match="'reason' of MissedVisitEscalation must be a Reason"):
            attrs.evolve(esc, reason="missed")


# --------------------------------------------------------------------------- plans


class TestPlan:
    def test_balances_load_and_respects_capacity(self):
        files = [resident_in(f"r{i}", "h1", name=f"居民{i}") for i in range(5)]
        plan = plan_visits(
            files,
            [],
            MONTHLY_60,
            small_grid(2),
            start=D(2026, 1, 1),
            end=D(2026, 1, 3),
            capacity_per_member=2,
        )
        assert [(p.day.day, p.resident, p.member) for p in plan.visits] == [
            (1, "r0", "m0"),
            (1, "r1", "m1"),
            (1, "r2", "m0"),
            (1, "r3", "m1"),
            (2, "r4", "m0"),
        ]
        assert plan.visits[0].member_name == "网格员0"
        assert [(s.day.day, s.resident) for s in plan.shortfalls] == [(1, "r4")]
        assert plan.shortfalls[0].reason.en == (
            "no one to visit 居民4 on 2026-01-01: every member posted in 一号楼 (2) is at "
            "capacity (2 visits)."
        )
        assert plan.shortfalls[0].reason.zh == (
            "2026-01-01无人探访居民4：一号楼的2名成员均已排满（每人2次）。"
        )
        assert plan.shortfalls[0].reason.ids("unit") == ("mg1",)
        assert plan.load("m0") == 3
        assert plan.load("m1", D(2026, 1, 1)) == 2
        assert [p.resident for p in plan.on(D(2026, 1, 2))] == ["r4"]

    def test_no_member_posted(self):
        plan = plan_visits(
            [resident_in("r", "h2")],
            [],
            MONTHLY_60,
            small_grid(1),
            start=D(2026, 1, 1),
            end=D(2026, 1, 2),
            capacity_per_member=5,
        )
        assert plan.visits == ()
        assert [(s.day.day, s.unit, s.reason.en) for s in plan.shortfalls] == [
            (1, "mg2", "no one to visit 居民 on 2026-01-01: no member is posted in 二号楼."),
            (2, "mg2", "no one to visit 居民 on 2026-01-02: no member is posted in 二号楼."),
        ]

    def test_red_before_green(self):
        pol = policy(
            rule("daily", Frequency.daily(), conditions_all={"injured"}, colour=VisitColour.RED),
            rule("m", Frequency.monthly()),
        )
        files = [
            resident_in("a", "h1", opened=D(2020, 1, 1)),
            resident_in("z", "h1", conditions=[Condition(kind="injured")], opened=D(2025, 12, 31)),
        ]
        plan = plan_visits(
            files,
            [],
            pol,
            small_grid(1),
            start=D(2026, 1, 1),
            end=D(2026, 1, 1),
            capacity_per_member=1,
        )
        assert [p.resident for p in plan.visits] == ["z"]
        assert [s.resident for s in plan.shortfalls] == ["a"]

    def test_planned_visits_count_as_made_without_clashing_with_record_ids(self):
        taken = VisitRecord(
            id="planned 2026-01-01 r0",
            resident="r1",
            member="m0",
            at=datetime(2025, 12, 20, 9, tzinfo=CST),
        )
        files = [resident_in("r0", "h1")]
        plan = plan_visits(
            files,
            [taken],
            policy(rule("d", Frequency.every_days(2))),
            small_grid(1),
            start=D(2026, 1, 1),
            end=D(2026, 1, 4),
            capacity_per_member=1,
        )
        assert [p.day.day for p in plan.visits] == [1, 3]

    def test_bad_arguments(self):
        kw = {"start": D(2026, 1, 1), "end": D(2026, 1, 1), "capacity_per_member": 1}
        with pytest.raises(
            InvalidValueError, match="'end' of a visit plan must not be before its start"
        ):
            plan_visits([], [], MONTHLY_60, small_grid(1), **{**kw, "start": D(2026, 1, 2)})
        with pytest.raises(
            InvalidValueError, match="'capacity_per_member' must be an integer from 0 to 1,000"
        ):
            plan_visits([], [], MONTHLY_60, small_grid(1), **{**kw, "capacity_per_member": -1})
        with pytest.raises(InvalidValueError, match="'end' of a visit plan must be within 366"):
            plan_visits([], [], MONTHLY_60, small_grid(1), **{**kw, "end": D(2030, 1, 1)})
        with pytest.raises(InvalidValueError, match="'grid' must be a GridGraph"):
            plan_visits([], [], MONTHLY_60, None, **kw)  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'records' must hold VisitRecord"):
            plan_visits([], [1], MONTHLY_60, small_grid(1), **kw)  # type: ignore[list-item]
        with pytest.raises(UnknownPlaceError):
            plan_visits([elder()], [], MONTHLY_60, small_grid(1), **kw)


# --------------------------------------------------------------------------- coverage


class TestCoverage:
    def test_rolls_up(self):
        files = [
            resident_in("a", "h1"),
            resident_in("b", "h1"),
            resident_in("c", "h2"),
            resident_in("young", "h2", born=D(2000, 1, 1)),
            resident_in("turns60", "h2", born=D(1966, 1, 31)),  # 60 on the last day of January
            resident_in("later", "h2", opened=D(2026, 2, 1)),
        ]
        visits = [
            rec("a", D(2026, 1, 5)),
            rec("c", D(2025, 12, 31)),
            rec("turns60", D(2026, 1, 31)),
        ]
        got = coverage(files, visits, MONTHLY_60, small_grid(1), month=(2026, 1))
        assert list(got) == ["c", "g", "mg1", "mg2"]
        assert (got["mg1"].required, got["mg1"].visited, got["mg1"].rate) == (2, 1, 0.5)
        assert (got["mg2"].required, got["mg2"].visited) == (2, 1)
        assert (got["c"].required, got["c"].visited, got["c"].month) == (4, 2, "2026-01")
        assert coverage(files, visits, MONTHLY_60, small_grid(1), month=D(2026, 1, 20)) == got
        empty = coverage([], [], MONTHLY_60, small_grid(1), month=(2026, 1))
        assert empty["c"].rate is None

    @pytest.mark.parametrize("month", [(2026, 13), (2026, 0), "2026-01", (2026,), 202601, (True, 1)])
    def test_bad_month(self, month):
        with pytest.raises(InvalidValueError, match="'month' must be"):
            coverage([], [], MONTHLY_60, small_grid(1), month=month)

    def test_december(self):
        got = coverage(
            [resident_in("a", "h1")], [rec("a", D(2026, 12, 31))], MONTHLY_60, small_grid(1),
            month=(2026, 12),
        )
        assert got["mg1"].visited == 1

    def test_unknown_household(self):
        with pytest.raises(UnknownPlaceError):
            coverage([elder()], [], MONTHLY_60, small_grid(1), month=(2026, 1))

    def test_the_value_is_checked(self):
        with pytest.raises(InvalidValueError, match="'visited' of VisitCoverage must be at most"):
            VisitCoverage(unit="g", tier="grid", month="2026-01", required=1, visited=2)
        with pytest.raises(InvalidValueError, match="'month' of VisitCoverage must be a month"):
            VisitCoverage(unit="g", tier="grid", month="2026-13", required=1, visited=0)


# --------------------------------------------------------------------------- round trips


def roundtrip(value: object) -> object:
    data = to_dict(value)
    back = from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert back == value
    assert to_dict(back) == data
    return data


class TestSerialisation:
    def test_policy(self):
        data = roundtrip(DEFAULT_POLICY)
        assert isinstance(data, dict)
        assert data["type"] == "VisitPolicy"
        rules = data["rules"]
        assert rules[0]["frequency"] == {
            "type": "Frequency",
            "unit": "day",
            "every": 1,
            "weekdays": [],
            "rrule": None,
            "grace_days": 0,
        }
        assert rules[0]["modes"] == ["in_person"]
        assert rules[0]["who"]["type"] == "Criteria"
        assert rules[0]["who"]["min_age"] == 60

    def test_rrule_frequency_is_its_text(self):
        from dateutil.rrule import WEEKLY, rrule

        f = Frequency.from_rrule(rrule(WEEKLY, byweekday=(0, 3), dtstart=datetime(2026, 1, 5)))
        data = roundtrip(f)
        assert data["rrule"] == "DTSTART:20260105T000000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH"  # type: ignore[index]
        roundtrip(Frequency.weekly([4, 1], grace_days=2))

    def test_results(self, lu):
        v = VisitRecord(
            id="v1",
            resident="r-lu",
            member="m-li",
            at=datetime(2026, 11, 25, 9, 30, tzinfo=CST),
            mode=VisitMode.VIDEO,
            findings="腰部摔伤",
            issue_id="i-1",
        )
        roundtrip(MajorChange(resident="r-lu", on=D(2026, 11, 25), what="出院"))
        roundtrip(VisitWindow(earliest=D(2026, 1, 1), due=D(2026, 1, 1), latest=D(2026, 1, 3)))
        item = next_due(
            elder("r1"),
            [rec("r1", D(2026, 11, 20))],
            DEFAULT_POLICY,
            on=D(2026, 11, 29),
            major_changes=[MajorChange(resident="r1", on=D(2026, 11, 27))],
        )
        assert item is not None
        assert item.change is not None
        assert item.missed
        roundtrip(item)
        roundtrip(next_due(lu, [v], DEFAULT_POLICY, on=D(2026, 11, 28)))
        roundtrip(DEFAULT_POLICY.requirement(lu, on=D(2026, 11, 28)))
        roundtrip(next(missed_visit_escalations([item], sample_grid())))
        for capacity in (1, 0):
            roundtrip(
                plan_visits(
                    [lu],
                    [v],
                    DEFAULT_POLICY,
                    sample_grid(),
                    start=D(2026, 11, 26),
                    end=D(2026, 11, 27),
                    capacity_per_member=capacity,
                )
            )
        roundtrip(coverage([lu], [v], DEFAULT_POLICY, sample_grid(), month=(2026, 11))["yx"])
        assert isinstance(
            from_dict(to_dict(next(missed_visit_escalations([item], sample_grid())))),
            MissedVisitEscalation,
        )

    def test_bad_data_is_refused(self):
        data = to_dict(DEFAULT_POLICY.rule("general"))
        with pytest.raises(SerializationError, match="VisitRule has no field 'colour_'"):
            from_dict({**data, "colour_": "red"})
        broken = {**data, "frequency": {**data["frequency"], "every": 0}}
        with pytest.raises(InvalidValueError, match="'every' of Frequency must be an integer"):
            from_dict(broken)
        with pytest.raises(
            SerializationError, match="must be one of \\['red', 'yellow', 'green'\\]"
        ):
            from_dict({**data, "colour": "blue"})


def test_members_of_other_units_are_not_used() -> None:
    team = [
        Member(id="m-a", name="甲", posts=[Post(role=Role.GRID_WORKER, unit="mg2")]),
    ]
    grid = attrs.evolve(small_grid(0), members=tuple(team))
    plan = plan_visits(
        [resident_in("r", "h1")], [], MONTHLY_60, grid, start=D(2026, 1, 1), end=D(2026, 1, 1),
        capacity_per_member=3,
    )
    assert plan.visits == () and len(plan.shortfalls) == 1
