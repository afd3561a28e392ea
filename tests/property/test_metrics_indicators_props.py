"""Properties of indicators and tallies over consistent case facts.

* every shipped indicator is within [0, 1] (or [0, 100] with scale) when its denominator is
  positive, and "no data" (``None``) otherwise — nothing is divided by zero;
* tallies combine associatively and commutatively, and the combination equals the tally of
  all the facts at once;
* a case counted at a unit is counted, equally, at every unit above it in its chain;
* a case counted 按期结案 really met its deadline in force, and an extension granted before
  the deadline moves the line (按期 with it, not without).
"""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.metrics.metrics_builders import CHAINS, stories, story

from gridgov import (
    DIGITAL_CITY,
    HOTLINE_12345,
    Attribution,
    Grain,
    Indicator,
    Period,
    Periods,
    Predicate,
    digital_city,
    digital_city_score,
    evaluate,
    hotline_score,
    period_of,
    tally,
)
from gridgov.metrics._vocabulary import MOMENTS, PREDICATES, READS_UNEXTENDED

SHIPPED = [*DIGITAL_CITY, *HOTLINE_12345]
VARIANT = list(digital_city(due="resolved_or_overdue", rework="resolved"))
FACTS = st.lists(stories(), max_size=40)
BYS = st.sampled_from([
    Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER,
    Periods(ranges=[Period.between(date(2026, 10, 10), date(2026, 11, 10), label="考核期")]),
])
ATTRIBUTIONS = st.sampled_from(list(Attribution))


def _within(indicators: list[Indicator], facts: list, by: object, attribute: Attribution) -> None:
    table = evaluate(tally(facts, indicators, by=by, attribute=attribute, categories=True),
                     indicators)
    for line in table.lines:
        for value in line.values:
            scale = next(i.scale for i in indicators if i.name == value.name)
            assert value.denominator is not None
            if value.denominator > 0:
                assert value.value is not None
                assert 0 <= value.numerator <= value.denominator
                assert 0 <= value.value <= scale
            else:
                assert value.value is None


@given(FACTS, BYS, ATTRIBUTIONS)
def test_every_shipped_indicator_is_a_fraction_or_no_data(facts, by, attribute) -> None:
    _within(SHIPPED, facts, by, attribute)
    _within(VARIANT, facts, by, attribute)


@given(FACTS)
def test_composites_are_within_their_range_or_no_data(facts) -> None:
    cols = [digital_city_score(), hotline_score()]
    for line in evaluate(tally(facts, cols), cols).lines:
        index, score = line.get("composite_index").value, line.get("hotline_score").value
        assert index is None or 0 <= index <= 10 + 90
        assert score is None or 0 <= score <= 100


@settings(max_examples=40)
@given(FACTS, FACTS, FACTS, BYS, ATTRIBUTIONS, st.booleans())
def test_tallies_combine_associatively_and_equal_one_pass(a, b, c, by, attribute, split) -> None:
    cols = [*DIGITAL_CITY, hotline_score()]
    ta, tb, tc = (tally(x, cols, by=by, attribute=attribute, categories=split) for x in (a, b, c))
    at_once = tally(a + b + c, cols, by=by, attribute=attribute, categories=split)
    assert (ta + tb) + tc == ta + (tb + tc) == at_once
    assert ta + tb == tb + ta


@given(FACTS, st.booleans())
def test_tallies_of_different_indicators_merge_into_one(facts, split) -> None:
    closing, hotline = list(DIGITAL_CITY[:2]), list(HOTLINE_12345)  # no slot in common
    merged = tally(facts, closing, categories=split) + tally(facts, hotline, categories=split)
    assert merged == tally(facts, closing + hotline, categories=split)


@given(stories(), ATTRIBUTIONS, st.booleans())
def test_a_case_counts_at_every_unit_above_it(facts, attribute, split) -> None:
    cols = [*DIGITAL_CITY, *HOTLINE_12345]
    counted = tally([facts], cols, attribute=attribute, categories=split)
    for (unit, period, category), cell in counted.cells.items():
        assert unit in facts.chain or unit == facts.owner or unit == facts.closing_unit
        if unit in facts.chain:
            for above in facts.chain[facts.chain.index(unit) + 1:]:
                assert counted.cells[(above, period, category)] == cell
    if counted.cells:
        assert {u for u, _, _ in counted.cells} & {facts.chain[-1]}


@given(stories())
def test_a_case_counted_on_time_met_its_deadline(facts) -> None:
    on_time = Indicator(name="n", zh="按期", numerator=Predicate(name="closed_on_time"),
                        counts_in="due")
    for (_unit, _, _), cell in tally([facts], [on_time]).cells.items():
        assert cell == (1,)
        assert facts.resolved_at is not None and facts.resolve_due is not None
        assert facts.resolved_at <= facts.resolve_due and facts.closed_at is not None


@given(st.floats(0.5, 4.5), st.sampled_from(CHAINS))
def test_an_extension_before_the_deadline_moves_the_line(late_by, chain) -> None:
    # resolved late_by days after a 5-day deadline, with and without a 5-day extension
    plain = story(chain=chain, resolve_days=5 + late_by, resolve_limit_days=5.0)
    extended = story(chain=chain, resolve_days=5 + late_by, resolve_limit_days=5.0,
                     extension_days=5.0)
    strict = Indicator(name="s", zh="按期(不计延期)", numerator="closed_on_time_unextended",
                       counts_in="due")
    loose = Indicator(name="l", zh="按期", numerator="closed_on_time", counts_in="due")
    t = tally([plain, extended], [strict, loose], attribute="filed")
    month = Period.of(date(2026, 10, 1), Grain.MONTH)
    nxt = month.next()
    total = {name: sum(t.count(i, chain[0], p)[0] for p in (month, nxt))
             for name, i in (("strict", strict), ("loose", loose))}
    assert total == {"strict": 0, "loose": 1}


def _recount(indicator: Indicator, facts: list, by: object) -> dict:
    """The indicator recounted naively, case by case, without the engine."""
    out: dict = {}
    for f in facts:
        moment = indicator.counts_in.read(f)
        if moment is None or not all(p(f) for p in indicator.only):
            continue
        if any(p(f) for p in indicator.exclude):
            continue
        period = period_of(moment, by)
        if period is None:
            continue
        num = sum(t.sign for t in indicator.numerator.terms if t.predicate(f))
        den = sum(t.sign for t in indicator.denominator.terms if t.predicate(f))
        unit = f.closing_unit if f.closing_unit is not None else f.owner
        units = f.chain[f.chain.index(unit):] if unit in f.chain else (
            f.chain[-1:] if f.beyond else (unit,))
        for u in units:
            counts = out.setdefault((u, period), [0, 0])
            counts[0] += num
            counts[1] += den
    return out


@given(FACTS, BYS)
def test_the_one_pass_agrees_with_a_naive_recount_of_each_indicator(facts, by) -> None:
    cols = [*DIGITAL_CITY, *HOTLINE_12345]
    table = evaluate(tally(facts, cols, by=by), cols)
    for ind in cols:
        naive = _recount(ind, facts, by)
        got = {(x.unit, x.period): (x.get(ind.name).numerator, x.get(ind.name).denominator)
               for x in table.lines}
        assert {k: tuple(v) for k, v in naive.items() if v != [0, 0]} == {
            k: v for k, v in got.items() if v != (0, 0)}


@given(stories())
def test_only_the_declared_predicates_read_the_unextended_deadline(f) -> None:
    # What lets tally_cases skip the no-extension replay: no other predicate, and no moment,
    # changes its answer when those two facts are missing.
    lean = attrs.evolve(f, resolve_due_unextended=None, resolved_on_time_unextended=None)
    for name, (_, _, test) in PREDICATES.items():
        if name not in READS_UNEXTENDED:
            assert test(lean) == test(f), name
    for _, _, moment in MOMENTS.values():
        assert moment(lean) == moment(f)
