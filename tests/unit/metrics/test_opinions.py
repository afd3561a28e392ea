"""Unit tests for gridgov.metrics.opinions and gridgov.metrics.hotspots: the opinion library
(意见库) and its hotspots, from CaseFacts made directly."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from opinion_builders import T0, facts

from gridgov import (
    CST,
    Channel,
    GridGraph,
    GridUnit,
    InvalidValueError,
    Issue,
    Reporter,
    Satisfaction,
    from_dict,
    to_dict,
)
from gridgov.cases import CaseStatus
from gridgov.metrics import (
    Grain,
    Hotspot,
    HotspotKind,
    Hotspots,
    OpinionCell,
    OpinionLibrary,
    OpinionReport,
    Period,
    Periods,
    hotspots,
    opinion_library,
)

NOV = Period.of(date(2026, 11, 1), Grain.MONTH)
OCT = NOV.previous()
DEC = NOV.next()


def small_grid() -> GridGraph:
    """The grid the builders' chains were drawn on, with households: mg11 has 10, mg12 10,
    mg13 10, mg21 40."""
    units = [
        GridUnit(id="c", name="测试社区", tier="community"),
        GridUnit(id="g1", name="第一网格", tier="grid", parent="c"),
        GridUnit(id="g2", name="第二网格", tier="grid", parent="c"),
        GridUnit(id="mg11", name="一号楼", tier="micro_grid", parent="g1"),
        GridUnit(id="mg12", name="二号楼", tier="micro_grid", parent="g1"),
        GridUnit(id="mg13", name="三号楼", tier="micro_grid", parent="g1"),
        GridUnit(id="mg21", name="四号楼", tier="micro_grid", parent="g2"),
    ]
    places = {
        f"{mg}-h{k}": mg
        for mg, n in (("mg11", 10), ("mg12", 10), ("mg13", 10))
        for k in range(1, n + 1)
    }
    places.update({f"mg21-h{k}": "mg21" for k in range(1, 41)})
    return GridGraph(version="v1", units=units, places=places)


# --------------------------------------------------------------------------- counting


class TestCounting:
    def test_rolled_up_the_filed_chain_and_the_category_lineage(self):
        lib = opinion_library(
            [
                facts("a", mg="mg11", category="appliance_repair"),
                facts("b", mg="mg12", category="housekeeping", status=CaseStatus.DISPATCHED),
                facts("c", mg="mg21", category="environment", status=CaseStatus.REJECTED),
            ]
        )
        assert lib.cell("c").demands == 3
        assert (lib.cell("g1").demands, lib.cell("g2").demands, lib.cell("mg11").demands) == (
            2,
            1,
            1,
        )
        vs = lib.cell("g1", "volunteer_service", NOV)
        assert (vs.demands, vs.direct, vs.resolved, vs.open, vs.rejected) == (2, 0, 1, 1, 0)
        assert lib.cell("g1", "appliance_repair").direct == 1
        assert lib.cell("c").rejected == 1
        assert lib.cell("mg21", "volunteer_service").demands == 0
        assert lib.units == ("c", "g1", "g2", "mg11", "mg12", "mg21")
        assert lib.periods == (NOV,)
        # the totals: every demand counts once in the all-categories cell
        assert lib.cell("c").direct == 3

    def test_never_looks_at_todays_grid(self):
        # a case filed under a grid version where mg11 was under g2 stays under g2
        moved = facts("a", mg="mg11")
        moved = type(moved)(**{**_fields(moved), "chain": ("mg11", "g2", "c")})
        lib = opinion_library([moved])
        assert lib.cell("g2").demands == 1
        assert lib.cell("g1").demands == 0

    def test_satisfaction_and_channels(self):
        lib = opinion_library(
            [
                facts("a", satisfaction=Satisfaction.SATISFIED, channel=Channel.VISIT),
                facts("b", satisfaction=Satisfaction.BASICALLY_SATISFIED, channel=Channel.VISIT),
                facts("c", satisfaction=Satisfaction.DISSATISFIED, channel=Channel.GROUP_CHAT),
                facts("d", channel=Channel.HOTLINE_12345),
            ]
        )
        c = lib.cell("c")
        assert (c.evaluated, c.satisfied) == (3, 2)
        assert c.satisfaction_rate == pytest.approx(200 / 3)  # the 满意率 preset, in percent
        assert lib.cell("c", "dispute").satisfaction_rate is None  # nobody evaluated: no data
        assert c.by_channel(Channel.VISIT) == 2  # 入户征求意见
        assert c.by_channel(Channel.GROUP_CHAT) == 1  # "1+N" 网格群
        assert c.by_channel(Channel.WALK_IN) == 0
        assert c.channels == (
            (Channel.VISIT, 2),
            (Channel.GROUP_CHAT, 1),
            (Channel.HOTLINE_12345, 1),
        )

    def test_periods_are_cst_and_custom_ranges_skip_gaps(self):
        late = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 1 December in Beijing
        lib = opinion_library([facts("a", at=late), facts("b", day=3)])
        assert lib.cell("c", period=DEC).demands == 1
        assert lib.cell("c", period=NOV).demands == 1
        ranges = Periods(
            ranges=[Period.between(date(2026, 11, 1), date(2026, 11, 3), label="头两天")]
        )
        lib = opinion_library([facts("a", day=0), facts("b", day=3)], by=ranges)
        assert lib.cell("c").demands == 1
        assert [p.label for p in lib.periods] == ["头两天"]
        week = opinion_library([facts("a", day=0)], by=Grain.WEEK)
        assert week.periods[0].label == "2026-W45"

    def test_merged_duplicates_are_demands_handled_by_their_case(self):
        kept = facts("k", mg="mg11", duplicates=2, satisfaction=Satisfaction.SATISFIED)
        dup1 = facts("d1", mg="mg12", merged_into="k", channel=Channel.GROUP_CHAT, day=1)
        dup2 = facts("d2", mg="mg11", merged_into="k", channel=Channel.VISIT, day=40)
        lib = opinion_library([kept, dup1, dup2])
        c = lib.cell("c")
        assert (c.demands, c.duplicates, c.resolved, c.open) == (3, 2, 3, 0)
        assert (c.evaluated, c.satisfied) == (1, 1)  # the case's evaluation, once
        assert lib.cell("mg12").demands == 1  # the duplicate's own place
        assert lib.cell("c", period=DEC).by_channel(Channel.VISIT) == 1  # its own time, channel
        # an open case: its duplicates are open too
        lib = opinion_library(
            [facts("k", status=CaseStatus.IN_PROGRESS, duplicates=1), facts("d", merged_into="k")]
        )
        assert (lib.cell("c").open, lib.cell("c").resolved) == (2, 0)

    def test_duplicates_whose_facts_are_missing_count_like_the_case(self):
        lib = opinion_library([facts("k", duplicates=3), facts("d", merged_into="k")])
        c = lib.cell("c")
        assert (c.demands, c.duplicates, c.resolved) == (4, 3, 4)
        assert len(lib.reports) == 4

    def test_chained_merges_follow_to_the_case_that_handles_them(self):
        lib = opinion_library(
            [
                facts("a", status=CaseStatus.REJECTED, duplicates=1),
                facts("b", merged_into="a", duplicates=1),
                facts("c3", merged_into="b"),
            ]
        )
        assert (lib.cell("c").demands, lib.cell("c").rejected) == (3, 3)

    def test_a_duplicate_of_a_case_not_given_counts_as_open(self):
        lib = opinion_library([facts("d", merged_into="elsewhere")])
        assert (lib.cell("c").open, lib.cell("c").duplicates) == (1, 1)

    def test_merge_loops_are_refused(self):
        with pytest.raises(InvalidValueError, match="'facts' must not merge cases in a loop"):
            opinion_library([facts("a", merged_into="b"), facts("b", merged_into="a")])

    def test_attribution(self):
        f = facts("a", mg="mg11", filed_unit="g1", closing_unit="g2")
        assert opinion_library([f], attribute="place").cell("mg11").demands == 1
        filed = opinion_library([f], attribute="filed")
        assert (filed.cell("mg11").demands, filed.cell("g1").demands, filed.cell("c").demands) == (
            0,
            1,
            1,
        )
        closing = opinion_library([f], attribute="closing")
        assert (closing.cell("g2").demands, closing.cell("g1").demands) == (1, 0)
        assert closing.cell("c").demands == 0  # g2 is not in the filed chain: counted there only
        # open: the owner at the end
        o = facts("o", mg="mg12", status=CaseStatus.DISPATCHED, owner="g1")
        assert opinion_library([o], attribute="closing").cell("g1").demands == 1
        # a duplicate is counted where the case that handled it was closed
        d = facts("d", mg="mg21", merged_into="a")
        assert opinion_library([f, d], attribute="closing").cell("g2").demands == 2

    def test_issues_that_never_became_cases(self):
        grid = small_grid()
        issue = Issue(
            id="i-x",
            category="housekeeping",
            severity=1,
            channel=Channel.VISIT,
            place="mg13-h2",
            reporter=Reporter.resident("r-1"),
            reported_at=T0,
        )
        by_unit = Issue(
            id="i-y",
            category="dispute",
            severity=1,
            channel=Channel.GROUP_CHAT,
            unit="g2",
            reporter=Reporter.resident("r-2"),
            reported_at=T0,
        )
        lib = opinion_library([facts("a")], issues=[issue, by_unit], grid=grid)
        assert (lib.cell("c").demands, lib.cell("c").open) == (3, 2)
        assert lib.cell("g1", "volunteer_service").open == 1
        assert lib.cell("g2", "dispute").by_channel(Channel.GROUP_CHAT) == 1
        assert {r.where for r in lib.reports} == {"place:mg11-h1", "place:mg13-h2", "unit:g2"}
        with pytest.raises(InvalidValueError, match="'grid' must be given"):
            opinion_library([], issues=[issue])
        with pytest.raises(InvalidValueError, match="'issues' must hold located issues"):
            opinion_library([], issues=[Issue(**{**_fields(by_unit), "unit": None})], grid=grid)
        with pytest.raises(InvalidValueError, match="'issues' must hold Issue values"):
            opinion_library([], issues=["i-x"], grid=grid)

    def test_doors(self):
        with pytest.raises(InvalidValueError, match="'attribute' must be one of"):
            opinion_library([], attribute="courtyard")
        with pytest.raises(InvalidValueError, match="'by' must be a Grain or a Periods"):
            opinion_library([], by="month")
        with pytest.raises(InvalidValueError, match="'facts' must be"):
            opinion_library(["c-1"])
        with pytest.raises(InvalidValueError, match="'grid' must be"):
            opinion_library([], grid="v1")


def _fields(value: object) -> dict[str, object]:
    import attrs

    return {a.name: getattr(value, a.name) for a in attrs.fields(type(value))}


# --------------------------------------------------------------------------- the values


class TestValues:
    def test_cell_invariants(self):
        with pytest.raises(InvalidValueError, match="'direct' of OpinionCell must be at most"):
            OpinionCell(period=None, unit="u", category=None, demands=1, direct=2, open=1)
        with pytest.raises(InvalidValueError, match="'satisfied' of OpinionCell must be at most"):
            OpinionCell(period=None, unit="u", category=None, demands=1, open=1, satisfied=1)
        with pytest.raises(InvalidValueError, match="'channels' of OpinionCell must add up"):
            OpinionCell(
                period=None, unit="u", category=None, demands=2, open=2, channels=[(Channel.APP, 1)]
            )
        with pytest.raises(InvalidValueError, match="'channels' of OpinionCell must be"):
            OpinionCell(
                period=None, unit="u", category=None, demands=1, open=1, channels=[("app", 1)]
            )

    def test_library_cells_sorted_and_with_a_period(self):
        cell = OpinionCell(period=NOV, unit="u", category=None, demands=1, open=1)
        with pytest.raises(InvalidValueError, match="must be sorted"):
            OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[cell, cell])
        with pytest.raises(InvalidValueError, match="must each have a period"):
            OpinionLibrary(
                by=Grain.MONTH,
                attribute="place",
                cells=[OpinionCell(period=None, unit="u", category=None, demands=0)],
            )
        with pytest.raises(InvalidValueError, match="'attribute' of OpinionLibrary must be"):
            OpinionLibrary(by=Grain.MONTH, attribute="x", cells=[])

    def test_top(self):
        fs = [facts(f"e{k}", category="environment") for k in range(3)]
        fs += [facts(f"a{k}", category="appliance_repair", mg="mg12") for k in range(2)]
        fs += [facts("h", category="housekeeping", mg="mg21", day=30)]
        lib = opinion_library(fs)
        assert lib.top("c", 2) == (("environment", 3), ("appliance_repair", 2))
        assert lib.top("c") == (("environment", 3), ("appliance_repair", 2), ("housekeeping", 1))
        assert lib.top("c", 5, period=DEC) == (("housekeeping", 1),)
        assert lib.top("g1", 1) == (("environment", 3),)
        assert lib.top("nowhere", 3) == ()

    def test_rows_for_csv_and_in_chinese(self):
        lib = opinion_library(
            [facts("a", channel=Channel.VISIT, satisfaction=Satisfaction.SATISFIED)]
        )
        rows = lib.rows()
        assert rows[0] == {
            "period": "2026-11",
            "unit": "c",
            "category": None,
            "demands": 1,
            "direct": 1,
            "duplicates": 0,
            "resolved": 1,
            "open": 0,
            "rejected": 0,
            "evaluated": 1,
            "satisfied": 1,
            "satisfaction_rate": 100.0,
            **{f"channel_{c.value}": int(c is Channel.VISIT) for c in Channel},
        }
        zh = lib.rows(zh=True)[1]
        assert zh["周期"] == "2026年11月" and zh["类别"] == "environment"
        assert zh["渠道:走访"] == 1 and zh["已解决"] == 1 and zh["满意率"] == 100.0
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        assert out.getvalue().count("\n") == len(rows) + 1
        for row in rows + lib.rows(zh=True):
            assert all(type(x) in (str, int, float, type(None)) for x in row.values())

    def test_combine(self):
        a = opinion_library([facts("a"), facts("b", mg="mg21", day=31)])
        b = opinion_library([facts("c", mg="mg12")])
        whole = opinion_library([facts("a"), facts("b", mg="mg21", day=31), facts("c", mg="mg12")])
        assert a.combine(b) == whole == b.combine(a)
        with pytest.raises(InvalidValueError, match="'other' must be a library cut by the same"):
            a.combine(opinion_library([], by=Grain.WEEK))
        with pytest.raises(InvalidValueError, match="'other' must be"):
            a.combine("x")

    def test_round_trips(self):
        lib = opinion_library(
            [facts("a", channel=Channel.VISIT), facts("d", merged_into="a", day=3)],
            by=Periods(
                ranges=[Period.between(date(2026, 11, 1), date(2026, 12, 1), label="十一月")]
            ),
        )
        data = json.loads(json.dumps(to_dict(lib)))
        assert from_dict(data) == lib
        weekly = opinion_library([facts("a")], by=Grain.WEEK)
        assert from_dict(json.loads(json.dumps(to_dict(weekly)))) == weekly


# --------------------------------------------------------------------------- hotspots


def _reports(times: list[datetime], where: str = "place:mg11-h1", category: str = "environment"):
    return [OpinionReport(where=where, category=category, unit="mg11", at=t) for t in times]


class TestRepeated:
    def test_k_reports_in_a_window_of_d_days(self):
        days = [0, 10, 29, 29.9, 45]
        lib = OpinionLibrary(
            by=Grain.MONTH,
            attribute="place",
            cells=[],
            reports=_reports([T0 + timedelta(days=d) for d in days]),
        )
        (h,) = hotspots(lib, repeats=3, window_days=30)
        assert (h.kind, h.place, h.unit, h.category, h.count) == (
            HotspotKind.REPEATED,
            "mg11-h1",
            "mg11",
            "environment",
            4,
        )
        assert (h.first, h.last) == (T0, T0 + timedelta(days=29.9))
        assert h.strength == pytest.approx(4 / 3)
        # exactly d days apart is not within the window [t, t + d)
        assert len(hotspots(lib, repeats=5, window_days=30)) == 0
        assert len(hotspots(lib, repeats=4, window_days=10)) == 0
        (h,) = hotspots(lib, repeats=2, window_days=10)  # 0 and 10 are 10 days apart: not in
        assert (h.count, h.first) == (2, T0 + timedelta(days=29))  # one window of 10 days

    def test_each_place_and_category_apart_and_unit_level_reports(self):
        times = [T0 + timedelta(days=d) for d in (0, 1, 2)]
        lib = OpinionLibrary(
            by=Grain.MONTH,
            attribute="place",
            cells=[],
            reports=_reports(times)
            + _reports(times[:2], category="dispute")
            + _reports(times, where="unit:g1"),
        )
        found = hotspots(lib, grid=small_grid())
        assert [(h.place, h.category) for h in found] == [  # equal strength: by place
            (None, "environment"),
            ("mg11-h1", "environment"),
        ]
        assert "一号楼 mg11-h1 的环境卫生在 30 天内被反映 3 次" in found[1].reason.zh
        assert found[1].reason.ids("unit") == ("mg11",)
        assert found[1].reason.ids("category") == ("environment",)
        assert found[0].reason.zh.startswith("一号楼 的环境卫生")

    def test_duplicates_count_as_reports(self):
        fs = [facts("k", duplicates=1), facts("d", merged_into="k", day=2), facts("x", day=5)]
        (h,) = hotspots(opinion_library(fs), repeats=3)
        assert h.count == 3


class TestRising:
    def lib(self, oct_n: int, nov_n: int, category: str = "environment") -> OpinionLibrary:
        fs = [facts(f"o{k}", category=category, day=-20) for k in range(oct_n)]
        fs += [facts(f"n{k}", category=category, day=k % 20) for k in range(nov_n)]
        fs += [facts("anchor", category="dispute", day=-20)]  # October is in the library
        return opinion_library(fs)

    def test_growth_over_the_previous_period(self):
        found = hotspots(self.lib(4, 8), repeats=100, rising_min_count=5, rising_min_growth=0.5)
        rising = found.of(HotspotKind.RISING)
        assert {h.unit for h in rising} == {"mg11", "g1", "c"}
        h = next(h for h in rising if h.unit == "c")
        assert (h.period, h.count, h.baseline, h.growth, h.ratio) == (NOV, 8, 4.0, 4, 2.0)
        assert h.strength == pytest.approx(2.0 / 1.5)
        assert "增加 4 件" in h.reason.zh and "2026年10月 4 件" in h.reason.zh
        assert "8 demands in 2026-11 against 4 in 2026-10, 4 more" in h.reason.en

    def test_thresholds(self):
        assert not hotspots(self.lib(4, 5), repeats=100).of(HotspotKind.RISING)  # +25 %
        assert not hotspots(self.lib(1, 4), repeats=100).of(HotspotKind.RISING)  # < 5
        new = hotspots(self.lib(0, 5), repeats=100).of(HotspotKind.RISING)
        assert new and all(h.ratio is None and h.baseline == 0 for h in new)
        assert "上期没有" in new[0].reason.zh

    def test_the_first_period_has_nothing_to_compare_with(self):
        fs = [facts(f"n{k}", day=k % 20) for k in range(9)]
        assert not hotspots(opinion_library(fs), repeats=100).of(HotspotKind.RISING)

    def test_custom_periods_compare_with_the_range_before(self):
        ranges = Periods(
            ranges=[
                Period.between(date(2026, 10, 1), date(2026, 10, 20), label="A"),
                Period.between(date(2026, 10, 25), date(2026, 11, 30), label="B"),
            ]
        )
        fs = [facts("o", day=-30)] + [facts(f"n{k}", day=k) for k in range(6)]
        rising = hotspots(opinion_library(fs, by=ranges), repeats=100).of(HotspotKind.RISING)
        assert rising and all(h.period.label == "B" and h.baseline == 1.0 for h in rising)


class TestDense:
    def test_units_standing_out_among_their_siblings(self):
        grid = small_grid()
        fs = [facts(f"a{k}", mg="mg11", day=k) for k in range(8)]  # 0.8 per household
        fs += [facts(f"b{k}", mg="mg12", day=k) for k in range(2)]  # 0.2
        fs += [facts(f"c{k}", mg="mg13", day=k) for k in range(2)]  # 0.2
        fs += [facts(f"d{k}", mg="mg21", day=k) for k in range(4)]  # 0.1
        lib = opinion_library(fs)
        found = hotspots(lib, grid=grid, repeats=100, rising_min_count=1000).of(HotspotKind.DENSE)
        assert [h.unit for h in found] == ["mg11"]
        (h,) = found
        assert (h.count, h.period, h.category) == (8, NOV, None)
        assert h.baseline == pytest.approx(0.2) and h.ratio == pytest.approx(4.0)
        assert h.strength == pytest.approx(2.0)
        assert "一号楼 2026年11月每户诉求 0.800 件（8 件 / 10 户）" in h.reason.zh
        assert "第一网格下属单元中位数 0.200 的 4.00 倍" in h.reason.zh
        assert h.reason.ids("unit") == ("mg11", "g1")
        # thresholds and households as given
        assert not hotspots(lib, grid=grid, repeats=100, dense_factor=5.0).of(HotspotKind.DENSE)
        assert not hotspots(lib, grid=grid, repeats=100, dense_min_demands=9).of(HotspotKind.DENSE)
        given = {"mg11": 80, "mg12": 10, "mg13": 10, "g1": 100, "g2": 40, "mg21": 40, "c": 140}
        assert not hotspots(lib, grid=grid, repeats=100, households=given).of(HotspotKind.DENSE)
        # without a grid there are no siblings nor households
        assert not hotspots(lib, repeats=100).of(HotspotKind.DENSE)


class TestHotspots:
    def test_sorted_by_strength_with_rows(self):
        times = [T0 + timedelta(days=d) for d in range(6)]
        lib = OpinionLibrary(
            by=Grain.MONTH,
            attribute="place",
            cells=[],
            reports=_reports(times[:3], where="place:a") + _reports(times, where="place:b"),
        )
        found = hotspots(lib)
        assert [h.place for h in found] == ["b", "a"]
        assert [h.strength for h in found] == [2.0, 1.0]
        assert isinstance(found, Hotspots) and found[0].count == 6
        row = found.rows()[0]
        assert row["kind"] == "repeated" and row["place"] == "b" and row["first"] == T0.isoformat()
        assert row["reason"].startswith("environment and sanitation at b")
        zh = found.rows(zh=True)[0]
        assert zh["类型"] == "重复反映" and zh["说明"].startswith("mg11 b 的环境卫生")
        for r in found.rows() + found.rows(zh=True):
            assert all(type(x) in (str, int, float, type(None)) for x in r.values())
        assert from_dict(json.loads(json.dumps(to_dict(found)))) == found

    def test_doors(self):
        lib = OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[])
        with pytest.raises(InvalidValueError, match="'library' must be"):
            hotspots("lib")
        with pytest.raises(InvalidValueError, match="'repeats' must be"):
            hotspots(lib, repeats=0)
        with pytest.raises(InvalidValueError, match="'rising_min_growth' must be"):
            hotspots(lib, rising_min_growth=-1.0)
        with pytest.raises(InvalidValueError, match="'dense_factor' must be"):
            hotspots(lib, dense_factor=0.5)
        with pytest.raises(InvalidValueError, match="'households' must be"):
            hotspots(lib, households=[1])
        with pytest.raises(InvalidValueError, match="'strength' of Hotspot must be"):
            Hotspot(
                kind=HotspotKind.DENSE,
                unit="u",
                category=None,
                count=1,
                strength=0.0,
                reason=lib_reason(),
            )


def lib_reason():
    from gridgov import Reason

    return Reason(zh="…", en="…")


def test_period_cst_for_report_moments_in_the_library():
    # a report at 23:30 UTC on 31 October is on 1 November in Beijing
    at = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    lib = opinion_library([facts("a", at=at)])
    assert lib.periods == (NOV,)
    assert lib.reports[0].at.astimezone(CST).day == 1
