"""Unit tests for gridgov.metrics.rollup and gridgov.metrics.presets: attribution, periods,
categories, merging, tables and rows, and the presets' counts on small hand-made months."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest
from tests.unit.metrics.metrics_builders import story

from gridgov import (
    CLOSING_RATE,
    DIGITAL_CITY,
    HOTLINE_12345,
    SOLVING_RATE,
    Attribution,
    Grain,
    Indicator,
    IndicatorValue,
    InvalidValueError,
    Period,
    Periods,
    PolicyError,
    Predicate,
    Satisfaction,
    Tally,
    digital_city,
    evaluate,
    facts_of,
    from_dict,
    hotline_score,
    rework_rate,
    tally,
    tally_cases,
    to_dict,
)
from gridgov.demo import sample_grid, sample_month_facts
from gridgov.metrics import CaseFacts

NOV = Period.of(date(2026, 11, 1), Grain.MONTH)
OCT = Period.of(date(2026, 10, 1), Grain.MONTH)
RECEIVED = Indicator(name="received", zh="诉求数", numerator="received")


def units(t: Tally) -> set[str]:
    return {u for u, _, _ in t.cells}


# --------------------------------------------------------------------------- attribution


def test_the_three_attributions_of_an_escalated_case() -> None:
    c103 = sample_month_facts()[2]  # filed at mg32, escalated to g3, closed by g3
    assert units(tally([c103], [RECEIVED], attribute="closing")) == {"g3", "yx"}
    assert units(tally([c103], [RECEIVED], attribute=Attribution.PLACE)) == {"mg32", "g3", "yx"}
    assert units(tally([c103], [RECEIVED], attribute="filed")) == {"mg32", "g3", "yx"}


def test_an_open_case_counts_at_its_owner() -> None:
    f = story(closed=False, escalated_to=("g1",))
    assert units(tally([f], [RECEIVED])) == {"g1", "c1"}


def test_a_case_beyond_the_grid_counts_at_the_top_of_its_chain() -> None:
    f = story(escalated_to=("g1", "c1"), beyond=True)
    assert f.closing_unit == "ext-body"
    assert units(tally([f], [RECEIVED])) == {"c1"}


def test_a_case_closed_outside_its_chain_counts_at_that_unit_only() -> None:
    f = story(closer="m9")  # re-routed to another micro-grid and closed there
    assert units(tally([f], [RECEIVED])) == {"m9"}


def test_an_unlocated_case_counts_by_place_at_its_filed_unit() -> None:
    f = story(chain=("c1",), micro_grid=None, located=False, filed_unit="c1", owner="c1")
    assert units(tally([f], [RECEIVED], attribute="place")) == {"c1"}


def test_the_chain_the_case_was_filed_along_is_kept_after_a_redraw() -> None:
    # filed under an old grid version along units today's sample grid does not hold
    old = story(chain=("mg-old", "g-old", "yx"), grid_version="2025-01")
    table = evaluate(tally([old], [RECEIVED]), [RECEIVED], grid=sample_grid())
    assert [(x.unit, x.unit_name) for x in table.lines] == [
        ("g-old", None), ("mg-old", None), ("yx", "亚新社区")]


# --------------------------------------------------------------------------- periods


def test_periods_are_cst_dates() -> None:
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 1 December in Beijing
    f = story(opened_at=late, reported_at=late)
    assert {p.label for _, p, _ in tally([f], [RECEIVED]).cells} == {"2026-12"}


def test_each_indicator_counts_in_its_own_moment() -> None:
    # opened on 28 October, accepted then; due 5 days later, in November; closed 3 Nov
    f = story(opened=27.0, resolve_days=4)  # resolved and closed on 1 November
    t = evaluate(tally([f], [CLOSING_RATE, SOLVING_RATE]), [CLOSING_RATE, SOLVING_RATE])
    oct_line, nov_line = t.get("c1", OCT), t.get("c1", NOV)
    assert oct_line is not None and nov_line is not None
    assert oct_line.get("solving_rate").value == 100.0  # counts in the month it was opened
    assert oct_line.get("closing_rate").denominator == 0
    assert nov_line.get("closing_rate").value == 100.0  # counts where it was closed


def test_weeks_and_custom_periods() -> None:
    facts = [story(opened=d) for d in (0.0, 7.0, 40.0)]
    weeks = tally(facts, [RECEIVED], by=Grain.WEEK)
    assert {p.label for _, p, _ in weeks.cells} == {"2026-W40", "2026-W41", "2026-W46"}
    custom = Periods(ranges=[Period.between(date(2026, 10, 5), date(2026, 10, 20), label="考核")])
    counted = tally(facts, [RECEIVED], by=custom)  # only the case of 8 October is inside
    assert {(u, p.label): cell for (u, p, _), cell in counted.cells.items()} == {
        ("m1", "考核"): (1,), ("g1", "考核"): (1,), ("c1", "考核"): (1,)}


# --------------------------------------------------------------------------- categories


def test_a_case_counts_under_its_category_and_each_ancestor() -> None:
    f = story(category="appliance_repair")
    t = tally([f], [RECEIVED], categories=True)
    assert {c for u, _, c in t.cells if u == "c1"} == {None, "appliance_repair", "volunteer_service"}
    assert all(cell == (1,) for cell in t.cells.values())


# --------------------------------------------------------------------------- merging


def test_tallies_refuse_to_combine_across_settings() -> None:
    facts = list(sample_month_facts())
    base = tally(facts, [RECEIVED])
    for other in (tally(facts, [RECEIVED], by=Grain.WEEK), tally(facts, [RECEIVED], attribute="place"),
                  tally(facts, [RECEIVED], categories=True)):
        with pytest.raises(PolicyError, match="cannot be combined"):
            base.combine(other)
    with pytest.raises(PolicyError, match="combines with a Tally"):
        base.combine(3)  # type: ignore[arg-type]


def test_a_tally_refuses_what_it_did_not_count() -> None:
    t = tally(sample_month_facts(), [RECEIVED])
    with pytest.raises(PolicyError, match="did not count 'closed'"):
        evaluate(t, [CLOSING_RATE])
    with pytest.raises(PolicyError, match="did not count"):
        t.count(CLOSING_RATE, "yx", NOV)


def test_tally_doors() -> None:
    with pytest.raises(InvalidValueError, match="'facts'"):
        tally([3], [RECEIVED])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="'by'"):
        tally([], [RECEIVED], by="month")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Attribution"):
        tally([], [RECEIVED], attribute="somewhere")
    twin = Indicator(name="closing_rate", zh="结案率", numerator="closed")
    with pytest.raises(PolicyError, match="two different indicators"):
        tally([], [CLOSING_RATE, twin])
    one = Predicate.custom("mine", "我的", lambda f: True)
    two = Predicate.custom("mine", "我的", lambda f: False)
    with pytest.raises(PolicyError, match="two custom predicates"):
        tally([], [Indicator(name="a", zh="a", numerator=one),
                   Indicator(name="b", zh="b", numerator=two)])
    with pytest.raises(InvalidValueError, match="'slots'"):
        Tally(by=Grain.MONTH, attribute=Attribution.CLOSING, categories=False,
              slots=[("b",), ("a",)], cells={})
    with pytest.raises(InvalidValueError, match="'cells'"):
        Tally(by=Grain.MONTH, attribute=Attribution.CLOSING, categories=False, slots=[],
              cells={("u", NOV, None): (1,)})


def test_a_custom_predicate_counts() -> None:
    night = Predicate.custom("at_night", "夜间反映", lambda f: f.reported_at.hour < 6)
    ind = Indicator(name="night_share", zh="夜间占比", numerator=night, denominator="received",
                    scale=100)
    facts = [story(), story(reported_at=datetime(2026, 10, 1, 2, tzinfo=UTC))]
    line = evaluate(tally(facts, [ind]), [ind]).get("c1", OCT)
    assert line is not None  # the callable reads the hour of the moment as it was given
    assert (line.get("night_share").numerator, line.get("night_share").denominator) == (1, 2)


# --------------------------------------------------------------------------- tables


def test_rows_are_plain_and_take_chinese_headers() -> None:
    cols = [*DIGITAL_CITY, *HOTLINE_12345, hotline_score(), RECEIVED]
    table = evaluate(tally(sample_month_facts(), cols, categories=True), cols,
                     grid=sample_grid(), parts=True)
    rows = table.rows()
    assert list(rows[0])[:5] == ["unit", "unit_name", "tier", "period", "category"]
    assert "closing_rate_numerator" in rows[0] and "hotline_score_numerator" not in rows[0]
    assert "received_numerator" not in rows[0]  # a plain count is its own number
    for row in rows:
        assert all(v is None or type(v) in (str, int, float) for v in row.values())
    zh = table.rows(zh=True)
    assert list(zh[0])[:6] == ["单位", "单位名称", "层级", "统计周期", "类别", "结案率"]
    assert "结案率(分子)" in zh[0] and zh[0]["统计周期"] == "2026年11月"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    back = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(back) == len(rows) and back[0]["unit"] == rows[0]["unit"]


def test_get_where_and_top() -> None:
    table = evaluate(tally(sample_month_facts(), [RECEIVED], categories=True), [RECEIVED],
                     grid=sample_grid())
    assert table.get("yx", NOV) == table.get("yx", "2026-11") is not None
    assert table.get("yx", "2026-11", "environment").get("received").value == 1.0  # type: ignore[union-attr]
    assert table.get("nowhere", NOV) is None
    assert {x.tier for x in table.where(lambda x: x.tier == "grid").lines} == {"grid"}
    top = table.top("received", 1)
    assert [(x.unit, x.category) for x in top.lines] == [
        ("g3", "facility_repair"), ("mg31", "environment"), ("mg32", "facility_repair"),
        ("yx", "facility_repair")]  # mg31 ties 1–1: by category code
    with pytest.raises(InvalidValueError, match="'name'"):
        table.top("closing_rate")
    with pytest.raises(InvalidValueError, match="'n'"):
        table.top("received", 0)


# --------------------------------------------------------------------------- presets


def test_the_presets_on_a_hand_made_month() -> None:
    # October, community c1: five accepted cases, one rejected, one merged away
    facts = [
        story(),  # closed on time, satisfied
        story(resolve_days=7, satisfaction=Satisfaction.DISSATISFIED),
        story(resolved=False),  # overdue, open
        story(suspended=True, resolved=False),  # 缓办
        story(rework=1, extension_days=5),  # reworked, extended, on time with the extension
        story(accepted=False, rejected=True),
        story(merged=True),
    ]
    cols = [*DIGITAL_CITY, *HOTLINE_12345]
    line = evaluate(tally(facts, cols), cols).get("c1", OCT)
    assert line is not None
    got = {v.name: (v.numerator, v.denominator) for v in line.values}
    assert got["closing_rate"] == (3, 5 - 1)  # 应结案 5 (not the rejected, not the merged), 缓办 1
    assert got["on_time_closing_rate"] == (2, 4)
    assert got["rework_rate"] == (1, 5) and got["extension_rate"] == (1, 5)
    assert got["timely_accept_rate"] == (5, 5)  # merged and rejected left out
    assert got["timely_resolve_rate"] == (2, 5)
    assert got["response_rate"] == (6, 6)  # the rejection is a response; merged left out
    assert got["solving_rate"] == (3, 5)
    assert got["satisfaction_rate"] == (2, 3)
    assert evaluate(tally(facts, [rework_rate("resolved")]),
                    [rework_rate("resolved")]).lines[0].get("rework_rate").denominator == 3
    other = digital_city(due="resolved_or_overdue")
    line = evaluate(tally(facts, other), other).get("c1", OCT)
    assert line is not None and (line.get("closing_rate").numerator,
                                 line.get("closing_rate").denominator) == (3, 3 + 2 - 1)


def test_preset_doors() -> None:
    with pytest.raises(PolicyError, match="'denominator' of rework_rate"):
        rework_rate("accepted")
    with pytest.raises(PolicyError, match="'due'"):
        digital_city(due="closed")
    with pytest.raises(PolicyError, match="'weights'"):
        hotline_score((0.5, 0.5))


# --------------------------------------------------------------------------- the results' doors


def _table() -> Any:
    columns = [*HOTLINE_12345, hotline_score()]
    return evaluate(tally(sample_month_facts(), columns), columns, grid=sample_grid()), columns


def test_an_indicator_value_is_validated_at_construction() -> None:
    good = {"name": "closing_rate", "zh": "结案率", "numerator": 1, "denominator": 2, "value": 50.0}
    assert IndicatorValue(**good).value == 50.0
    for field, bad in [("name", "Closing Rate"), ("zh", ""), ("numerator", True),
                       ("denominator", 10**13), ("value", float("nan")), ("value", "50")]:
        with pytest.raises(InvalidValueError, match=f"'{field}' of IndicatorValue"):
            IndicatorValue(**{**good, field: bad})


def test_a_line_is_validated_at_construction() -> None:
    table, _ = _table()
    line = table.lines[0]
    for field, bad in [("unit", ""), ("period", "2026-11"), ("category", "Not A Code"),
                       ("unit_name", " "), ("tier", 3), ("values", "closing_rate")]:
        with pytest.raises(InvalidValueError, match=f"'{field}' of Line"):
            attrs.evolve(line, **{field: bad})
    with pytest.raises(InvalidValueError, match="'values' of Line must name each indicator once"):
        attrs.evolve(line, values=[line.values[0], line.values[0]])


def test_a_table_holds_the_columns_values_in_column_order() -> None:
    table, columns = _table()
    assert table.columns == tuple(columns)
    with pytest.raises(InvalidValueError, match="'lines' of Table must each hold the columns"):
        attrs.evolve(table, columns=tuple(reversed(columns)))
    with pytest.raises(InvalidValueError, match="'named' of Table"):
        attrs.evolve(table, named=1)
    with pytest.raises(InvalidValueError, match="'columns' of Table"):
        attrs.evolve(table, columns=["closing_rate"])


def test_a_tally_refuses_cells_and_slots_it_could_not_have_counted() -> None:
    counted = tally(sample_month_facts(), [CLOSING_RATE])
    (key, counts), *_ = counted.cells.items()
    unit, period, _ = key
    for cells, problem in [
        ("cells", "must be a mapping"),
        ({(unit, period, None): (-1,) * len(counts)}, "whole counts from 0"),
        ({(unit, period, None): (1.5,) * len(counts)}, "whole counts from 0"),
        ({(unit, period, None): counts[:-1]}, "one count per item of 'slots'"),
        ({("", period, None): counts}, "'cells' of Tally must be an id"),
        ({(unit, period, "Not A Code"): counts}, "'cells' of Tally must be a"),
        ({(unit, "2026-11", None): counts}, "keyed by \\(unit id, Period"),
    ]:
        with pytest.raises(InvalidValueError, match=problem):
            attrs.evolve(counted, cells=cells)
    with pytest.raises(InvalidValueError, match="'slots' of Tally must hold"):
        attrs.evolve(counted, slots=[("nowhere", (), (), "closed")], cells={})
    with pytest.raises(InvalidValueError, match="'slots' of Tally"):
        attrs.evolve(counted, slots="closed", cells={})


def test_a_tally_is_hashable_and_equal_by_its_counts() -> None:
    a = tally(sample_month_facts(), [CLOSING_RATE])
    b = tally(sample_month_facts(), [CLOSING_RATE])
    assert a == b and hash(a) == hash(b)
    assert a != tally(sample_month_facts()[:2], [CLOSING_RATE])


def test_the_results_round_trip_through_json() -> None:
    table, columns = _table()
    counted = tally(sample_month_facts(), columns, categories=True)
    for value in (table, table.lines[0], table.lines[0].values[0], counted):
        data = json.loads(json.dumps(to_dict(value), ensure_ascii=False))
        assert from_dict(data) == value
    cells = to_dict(counted)["cells"]
    assert isinstance(cells, list) and all(len(pair) == 2 for pair in cells)
    unit, period, category = cells[0][0]
    assert isinstance(unit, str) and period["type"] == "Period" and category is None
def test_a_custom_predicate_is_asked_only_where_the_filters_let_the_case_in() -> None:
    # The predicate assumes what 'only' guarantees (an acceptance); tally must not ask it of
    # a case the filter leaves out, as a one-by-one count would not.
    asked: list[str] = []

    def fast(f: CaseFacts) -> bool:
        asked.append(f.case)
        assert f.accepted_at is not None
        return f.accepted_at.hour < 12

    quick = Predicate.custom("accepted_before_noon", "午前立案", fast)
    ind = Indicator(name="quick", zh="午前立案率", numerator=quick, denominator="received",
                    only="accepted", exclude="merged")
    kept, out, merged = story(), story(accepted=False), story(merged=True)
    table = evaluate(tally([kept, out, merged], [ind, CLOSING_RATE]), [ind, CLOSING_RATE])
    assert asked == [kept.case]
    line = table.get("c1", OCT)
    assert line is not None
    assert (line.get("quick").numerator, line.get("quick").denominator) == (1, 1)


def test_tally_counts_the_same_whatever_the_zone_of_the_moments() -> None:
    # Moments on CST count by their date, others by their UTC hour: the same instants give
    # the same cells either way, across a month's end in Beijing.
    cst = [story(opened=k * 0.77, resolve_days=k / 7) for k in range(40)]
    moved = [attrs.evolve(f, **{name: getattr(f, name).astimezone(UTC)
                                for name in ("opened_at", "closed_at", "resolve_due")
                                if getattr(f, name) is not None}) for f in cst]
    cols = [*DIGITAL_CITY, *HOTLINE_12345]
    for by in (Grain.DAY, Grain.MONTH):
        assert tally(cst, cols, by=by).cells == tally(moved, cols, by=by).cells
    assert len({p for _, p, _ in tally(cst, cols).cells}) > 1


def test_tally_cases_is_the_tally_of_the_facts_and_replays_only_when_read() -> None:
    from builders import CAL, at, make_case, run
    from gridgov.cases import (
        Accepted,
        Closed,
        ExtensionGranted,
        ExtensionRequested,
        Resolved,
        Verified,
    )

    # Resolve due at 48 h, extended to 96 h, resolved at 70 h: on time only with the extension.
    extended = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        ExtensionRequested(at=at(20), actor="m", until=at(96), reason="需采购配件"),
        ExtensionGranted(at=at(24), actor="m-sec"),
        Resolved(at=at(70), actor="m"),
        Verified(at=at(72), actor="v"),
        Closed(at=at(75), actor="m"),
    )
    plain = run(make_case(2), Accepted(at=at(1), actor="m"), Resolved(at=at(5), actor="m"),
                Verified(at=at(5.5), actor="v"), Closed(at=at(6), actor="m"))
    strict = Indicator(name="strict", zh="按期结案率(不计延期)", numerator="closed_on_time_unextended",
                       denominator="due", counts_in="due")
    night = Predicate.custom("anything", "任意", lambda f: f.resolved_on_time_unextended is False)
    custom = Indicator(name="custom", zh="自定", numerator=night, counts_in="due")
    cases = [extended, plain]
    for cols in ([*DIGITAL_CITY], [*DIGITAL_CITY, strict], [custom]):
        for attribute in Attribution:
            assert tally_cases(cases, cols, calendar=CAL, attribute=attribute) == tally(
                facts_of(cases, calendar=CAL), cols, attribute=attribute)
    by_strict = tally_cases(cases, [strict], calendar=CAL, attribute="place")
    (period,) = {p for _, p, _ in by_strict.cells}
    assert by_strict.count(strict, "mg31", period) == (1, 2)  # the extended case is not on time
    assert tally_cases(cases, [custom], calendar=CAL).count(custom, "yx", period) == (1, None)
