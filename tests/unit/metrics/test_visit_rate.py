"""Unit tests for gridgov.metrics.visit_rate: 月探访率 as a table over visits.coverage."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from gridgov import CST, InvalidValueError, from_dict, to_dict
from gridgov.demo import sample_grid, sample_residents
from gridgov.metrics import Grain, Period, VisitRate, visit_rate
from gridgov.visits import DEFAULT_POLICY, VisitCoverage, VisitLog, VisitRecord, coverage

NOV = Period.of(date(2026, 11, 1), Grain.MONTH)


def seen(*pairs: tuple[str, int]) -> list[VisitRecord]:
    return [
        VisitRecord(
            id=f"v-{r}-{d}", resident=r, member="m-li", at=datetime(2026, 11, d, 10, tzinfo=CST)
        )
        for r, d in pairs
    ]


def test_equals_coverage_unit_by_unit():
    records = seen(("r-lu", 3), ("r-lu", 20), ("r-wang", 30))
    args = (sample_residents(), records, DEFAULT_POLICY, sample_grid())
    rate = visit_rate(*args, month=(2026, 11))
    figures = coverage(*args, month=(2026, 11))
    assert rate.month == NOV
    assert [c.unit for c in rate.units] == list(figures)
    assert rate.units == tuple(figures.values())
    for unit, c in figures.items():
        assert rate[unit] == c
        assert rate.rate(unit) == (c.visited / c.required if c.required else None)
    assert rate["yx"].required == 61
    # a VisitLog and a date in the month give the same figures
    again = visit_rate(
        sample_residents(),
        VisitLog(records=records),
        DEFAULT_POLICY,
        sample_grid(),
        month=date(2026, 11, 17),
    )
    assert again == rate


def test_nobody_under_the_policy_is_no_data():
    rate = VisitRate(
        month=NOV,
        units=[VisitCoverage(unit="g3", tier="grid", month="2026-11", required=0, visited=0)],
        names=["第三网格"],
    )
    assert rate.rate("g3") is None
    assert rate.rows()[0]["rate"] is None
    with pytest.raises(KeyError):
        rate.rate("g9")


def test_rows_for_csv():
    rate = visit_rate(
        sample_residents(), seen(("r-lu", 3)), DEFAULT_POLICY, sample_grid(), month=(2026, 11)
    )
    rows = rate.rows()
    assert rows[0]["period"] == "2026-11" and rows[0]["name"] == "亚新社区"
    assert set(rate.rows(zh=True)[0]) == {
        "月份",
        "单元",
        "名称",
        "层级",
        "应探访人数",
        "已探访人数",
        "月探访率",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    assert out.getvalue().count("\n") == len(rows) + 1 == len(sample_grid().units) + 1
    for row in rows:
        assert all(type(x) in (str, int, float, type(None)) for x in row.values())


def test_round_trip():
    rate = visit_rate(
        sample_residents(), seen(("r-lu", 3)), DEFAULT_POLICY, sample_grid(), month=(2026, 11)
    )
    assert from_dict(json.loads(json.dumps(to_dict(rate)))) == rate


def test_doors():
    unit = VisitCoverage(unit="g3", tier="grid", month="2026-11", required=2, visited=1)
    with pytest.raises(InvalidValueError, match="'month' of VisitRate must be a calendar month"):
        VisitRate(month=Period.of(date(2026, 11, 1), Grain.QUARTER), units=[unit], names=["x"])
    with pytest.raises(InvalidValueError, match="'names' of VisitRate must name each"):
        VisitRate(month=NOV, units=[unit], names=[])
    with pytest.raises(
        InvalidValueError, match=r"'units' of VisitRate must be figures of 2026-12 \(got 2026-11"
    ):
        VisitRate(month=NOV.next(), units=[unit], names=["x"])
    with pytest.raises(InvalidValueError, match="'month' must be a date or a"):
        visit_rate(sample_residents(), [], DEFAULT_POLICY, sample_grid(), month="2026-11")
    with pytest.raises(InvalidValueError, match="'policy' must be"):
        visit_rate(sample_residents(), [], "policy", sample_grid(), month=(2026, 11))
