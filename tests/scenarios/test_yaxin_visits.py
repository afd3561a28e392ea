"""The seed story, visits side: Aunt Lü gets a visit every day (每日一访) after leaving hospital.

Yaxin community (亚新社区).  Aunt Lü (吕阿姨, ``r-lu``, 78) lives alone in 美好人家1号楼
(micro-grid ``mg31``); as a general-tier elder she is visited quarterly by micro-grid leader
Li Yanming (李燕明).  She hurts her back on 18 November 2026 and leaves hospital on
25 November.  That day Li Yanming, on a routine visit, finds her injured and just discharged
(the visit raises an issue); grid leader Peng Xueli (彭雪丽) visits the same day.  Under the
default policy she now needs a visit every day while "recently discharged" is in force
(until 24 December), then falls back to her quarterly tier by herself.  A day without a
visit is a missed visit, escalated to the leader of 第三网格.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from gridgov import CST
from gridgov.demo import sample_grid, sample_residents
from gridgov.metrics import visit_rate
from gridgov.visits import (
    DEFAULT_POLICY,
    MajorChange,
    VisitColour,
    VisitMode,
    VisitRecord,
    coverage,
    due_visits,
    missed_visit_escalations,
    next_due,
    plan_visits,
)

DISCHARGED = date(2026, 11, 25)
RECOVERED = date(2026, 12, 25)  # "recently discharged" ends: [25 Nov, 25 Dec)


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def visit(day: date, member: str = "m-li", *, hour: int = 10, **kw) -> VisitRecord:
    return VisitRecord(
        id=f"v-lu-{day.isoformat()}-{member}",
        resident="r-lu",
        member=member,
        at=datetime(day.year, day.month, day.day, hour, tzinfo=CST),
        **kw,
    )


@pytest.fixture(scope="module")
def lu():
    return next(r for r in sample_residents() if r.id == "r-lu")


@pytest.fixture(scope="module")
def history() -> list[VisitRecord]:
    """Her quarterly visits, then the visit that found the injury and the grid leader's."""
    return [
        visit(date(2026, 5, 20)),
        visit(date(2026, 8, 20)),
        visit(
            DISCHARGED,
            findings="吕阿姨腰部摔伤，刚出院，独居无人照料 back injury, just discharged, alone",
            issue_id="i-yx-0001",
        ),
        visit(DISCHARGED, "m-g3", hour=15, findings="联系美好人家物业，安排每日一访"),
    ]


def daily_visits(
    first: date, last: date, *, skip: frozenset[date] = frozenset()
) -> list[VisitRecord]:
    return [visit(d) for d in day_range(first, last) if d not in skip]


def test_the_explanation_says_why_on_each_day(lu):
    """The frequency decision, day by day, with its reason."""
    before = DEFAULT_POLICY.requirement(lu, on=date(2026, 11, 17))
    assert before is not None
    assert before.rule.id == "general"
    assert before.colour is VisitColour.GREEN
    assert before.frequency.zh == "每季度一访"
    assert "78岁" in before.reason.zh
    assert before.reason.ids("resident") == ("r-lu",)

    for day in day_range(date(2026, 11, 18), date(2026, 11, 24)):  # hurt, in hospital
        req = DEFAULT_POLICY.requirement(lu, on=day)
        assert req is not None
        assert req.rule.id == "injured_alone"
        assert "受伤（至2026-12-17）" in req.reason.zh

    for day in day_range(DISCHARGED, RECOVERED - timedelta(days=1)):
        req = DEFAULT_POLICY.requirement(lu, on=day)
        assert req is not None, day
        assert req.rule.id == "discharged_alone", day
        assert req.frequency.zh == "每日一访"
        assert req.colour is VisitColour.RED
        assert "刚出院（至2026-12-24）" in req.reason.zh
        assert "recently discharged (through 2026-12-24)" in req.reason.en
        also = [r.id for r in req.also]
        assert also == (["injured_alone", "general"] if day < date(2026, 12, 18) else ["general"])

    print(DEFAULT_POLICY.requirement(lu, on=DISCHARGED).reason)  # shown with pytest -s
    after = DEFAULT_POLICY.requirement(lu, on=RECOVERED)
    assert after is not None
    assert after.rule.id == "general"
    assert after.also == ()
    assert after.colour is VisitColour.GREEN


def test_a_daily_visit_from_the_discharge_day_then_back_to_quarterly(lu, history):
    residents = sample_residents()
    records = list(history)
    for day in day_range(DISCHARGED + timedelta(days=1), RECOVERED - timedelta(days=1)):
        # the morning sweep, before the day's visit: Aunt Lü is due today, not overdue
        due = {i.resident: i for i in due_visits(residents, records, DEFAULT_POLICY, on=day)}
        item = due["r-lu"]
        assert item.rule is not None
        assert item.rule.id == "discharged_alone"
        assert (item.due, item.days_overdue, item.missed) == (day, 0, False)
        assert item.last_visit == day - timedelta(days=1)
        assert item.reason.zh.startswith(f"吕阿姨应于{day.isoformat()}探访（每日一访，红）")
        records.append(visit(day))
        # after the visit she is not due again until tomorrow
        assert "r-lu" not in {
            i.resident for i in due_visits(residents, records, DEFAULT_POLICY, on=day)
        }
        assert next_due(lu, records, DEFAULT_POLICY, on=day).due == day + timedelta(days=1)  # type: ignore[union-attr]

    # The condition ends by itself: quarterly again, counted from the last daily visit.
    item = next_due(lu, records, DEFAULT_POLICY, on=RECOVERED)
    assert item is not None
    assert item.rule is not None
    assert item.rule.id == "general"
    assert item.due == date(2027, 3, 24)
    assert not item.is_due
    for day in (RECOVERED, date(2027, 1, 15), date(2027, 3, 23)):
        assert "r-lu" not in {
            i.resident for i in due_visits(residents, records, DEFAULT_POLICY, on=day)
        }
    back = {
        i.resident: i for i in due_visits(residents, records, DEFAULT_POLICY, on=date(2027, 3, 24))
    }
    assert back["r-lu"].rule.id == "general"  # type: ignore[union-attr]


def test_a_missed_day_is_escalated_to_the_grid_leader(history):
    skipped = date(2026, 12, 3)
    records = history + daily_visits(
        DISCHARGED + timedelta(days=1), skipped, skip=frozenset({skipped})
    )
    due = list(
        due_visits(sample_residents(), records, DEFAULT_POLICY, on=skipped + timedelta(days=1))
    )
    # by the next morning the visit is missed (a daily visit has no grace)
    lu_item = next(i for i in due if i.resident == "r-lu")
    assert lu_item.due == skipped
    assert lu_item.missed
    assert lu_item.days_overdue == 1
    (esc,) = [e for e in missed_visit_escalations(due, sample_grid()) if e.resident == "r-lu"]
    assert (esc.from_unit, esc.to, esc.leader) == ("mg31", "g3", "m-g3")
    assert (esc.from_name, esc.to_name, esc.leader_name) == ("美好人家1号楼", "第三网格", "彭雪丽")
    assert "上报第三网格（彭雪丽）" in esc.reason.zh
    assert "每日一访" in esc.reason.zh and "daily" in esc.reason.en
    # the visit made that day settles it
    later = [*records, visit(skipped + timedelta(days=1))]
    assert "r-lu" not in {
        i.resident
        for i in due_visits(
            sample_residents(), later, DEFAULT_POLICY, on=skipped + timedelta(days=1)
        )
    }


def test_the_plan_puts_her_first_every_day(history):
    plan = plan_visits(
        sample_residents(),
        history,
        DEFAULT_POLICY,
        sample_grid(),
        start=DISCHARGED + timedelta(days=1),
        end=DISCHARGED + timedelta(days=14),
        capacity_per_member=1,
    )
    ours = [v for v in plan.visits if v.resident == "r-lu"]
    assert [v.day for v in ours] == day_range(
        DISCHARGED + timedelta(days=1), DISCHARGED + timedelta(days=14)
    )
    assert {v.member for v in ours} == {"m-li"}  # the micro-grid leader of 美好人家1号楼
    assert all(v.due.colour is VisitColour.RED for v in ours)
    # the others in mg31 wait for capacity: reported, not dropped
    assert {s.unit for s in plan.shortfalls if s.day == DISCHARGED + timedelta(days=1)} >= {"mg31"}
    assert all(
        plan.load(m.id, d) <= 1
        for m in sample_grid().members
        for d in day_range(plan.start, plan.end)
    )


def test_a_major_change_later_needs_a_visit_within_24_hours(lu, history):
    records = history + daily_visits(DISCHARGED + timedelta(days=1), RECOVERED - timedelta(days=1))
    fall = MajorChange(resident="r-lu", on=date(2027, 1, 15), what="再次跌倒 fell again")
    item = next_due(lu, records, DEFAULT_POLICY, on=fall.on, major_changes=[fall])
    assert item is not None
    assert item.change == fall
    assert item.latest == date(2027, 1, 16)
    assert "24小时内探访" in item.reason.zh
    assert "within 24 hours" in item.reason.en
    phoned = [*records, visit(date(2027, 1, 16), mode=VisitMode.PHONE)]
    assert (
        next_due(lu, phoned, DEFAULT_POLICY, on=date(2027, 1, 16), major_changes=[fall]).rule.id
        == "general"
    )  # type: ignore[union-attr]


def test_coverage_of_her_micro_grid(history):
    records = history + daily_visits(DISCHARGED + timedelta(days=1), date(2026, 11, 30))
    report = coverage(sample_residents(), records, DEFAULT_POLICY, sample_grid(), month=(2026, 11))
    assert (report["mg31"].visited, report["mg31"].required) == (1, 4)
    assert report["g3"].visited == 1
    assert report["yx"].required == 61
    assert report["mg31"].rate == 0.25


def test_her_monthly_visit_rate_is_coverage(history):
    """月探访率 as a metric is coverage's figure, unit by unit, with its parts shown."""
    records = history + daily_visits(DISCHARGED + timedelta(days=1), date(2026, 11, 30))
    args = (sample_residents(), records, DEFAULT_POLICY, sample_grid())
    for month in ((2026, 11), (2026, 12), date(2027, 1, 16)):
        rate = visit_rate(*args, month=month)
        figures = coverage(*args, month=month)
        assert rate.units == tuple(figures.values())
        for unit, c in figures.items():
            assert rate.rate(unit) == c.rate
    november = visit_rate(*args, month=(2026, 11))
    assert november.rate("mg31") == 0.25
    row = next(r for r in november.rows(zh=True) if r["单元"] == "mg31")
    assert row == {
        "月份": "2026年11月",
        "单元": "mg31",
        "名称": "美好人家1号楼",
        "层级": "micro_grid",
        "应探访人数": 4,
        "已探访人数": 1,
        "月探访率": 0.25,
    }
    # a unit with nobody under the policy has no rate ("no data"), not 0
    empty = [r for r in november.rows() if r["required"] == 0]
    assert empty and all(r["rate"] is None for r in empty)
