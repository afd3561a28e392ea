"""A published report, recomputed: Tianmen's monthly 数字城管 figures from cases that match it.

The report (see ``DOMAIN.md``): 立案 996, 应结案 972, 结案 911 → 结案率 93.72%; 按期结案 737
→ 按期结案率 75.82%.  The denominator is 应结案数, not 立案数 (911 ÷ 996 would be 91.47%).

The month's cases are built to match: 996 accepted in October 2026; 24 of them are not yet
due (their deadline falls in November and they are open); of the 972 due in October, 737
were closed by their deadline, 174 were closed after it and 61 are still open past it.
Nothing is deferred (缓办 0), as the report's arithmetic shows.
"""

from __future__ import annotations

from datetime import date

from tests.unit.metrics.metrics_builders import CHAINS, story

from gridgov import (
    ACCEPTED_COUNT,
    CLOSING_RATE,
    DIGITAL_CITY,
    ON_TIME_CLOSING_RATE,
    CaseFacts,
    Grain,
    Indicator,
    Period,
    digital_city_score,
    evaluate,
    tally,
)

OCTOBER = Period.of(date(2026, 10, 1), Grain.MONTH)


def _month() -> list[CaseFacts]:
    facts: list[CaseFacts] = []
    for n in range(996):
        chain = CHAINS[n % 3]  # three micro-grids of community c1
        opened = (n % 20) * 0.5  # opened 1–10 October, each due five days after acceptance
        if n < 737:  # closed on time
            facts.append(story(opened=opened, chain=chain, resolve_days=2.0))
        elif n < 911:  # closed late: resolved seven days after dispatch, the deadline is five
            facts.append(story(opened=opened, chain=chain, resolve_days=7.0))
        elif n < 972:  # still open past the deadline
            facts.append(story(opened=opened, chain=chain, resolved=False))
        else:  # accepted late in October, due in November, open
            facts.append(story(opened=29.0, chain=chain, resolved=False))
    return facts


def test_the_published_rates_come_out_of_the_preset() -> None:
    facts = _month()
    cols = [*DIGITAL_CITY, ACCEPTED_COUNT]
    line = evaluate(tally(facts, cols), cols).get("c1", OCTOBER)
    assert line is not None
    closing, on_time = line.get("closing_rate"), line.get("on_time_closing_rate")
    assert line.get("accepted_count").numerator == 996  # 立案
    assert (closing.numerator, closing.denominator) == (911, 972)  # 结案, 应结案 − 缓办
    assert (on_time.numerator, on_time.denominator) == (737, 972)
    assert round(closing.value, 2) == 93.72
    assert round(on_time.value, 2) == 75.82
    assert CLOSING_RATE.scale == ON_TIME_CLOSING_RATE.scale == 100


def test_dividing_by_accepted_would_not_give_the_report() -> None:
    facts = _month()
    wrong = Indicator(name="wrong", zh="结案÷立案", numerator="closed", denominator="accepted",
                      counts_in="accepted", scale=100)
    line = evaluate(tally(facts, [wrong]), [wrong]).get("c1", OCTOBER)
    assert line is not None and round(line.get("wrong").value, 2) == 91.47


def test_the_roll_up_adds_the_micro_grids_to_the_community() -> None:
    facts = _month()
    table = evaluate(tally(facts, [CLOSING_RATE]), [CLOSING_RATE])
    parts = [table.get(chain[0], OCTOBER) for chain in CHAINS[:3]]
    assert sum(p.get("closing_rate").denominator for p in parts if p) == 972
    assert sum(p.get("closing_rate").numerator for p in parts if p) == 911
    grids = [table.get(u, OCTOBER) for u in ("g1", "g2")]
    assert sum(g.get("closing_rate").numerator for g in grids if g) == 911


def test_the_november_cases_count_in_november() -> None:
    facts = _month()
    line = evaluate(tally(facts, [CLOSING_RATE]), [CLOSING_RATE]).get("c1", OCTOBER.next())
    assert line is not None
    assert (line.get("closing_rate").numerator, line.get("closing_rate").denominator) == (0, 24)


def test_the_composite_index_of_the_month() -> None:
    facts = _month()
    score = digital_city_score()
    line = evaluate(tally(facts, [score]), [score]).get("c1", OCTOBER)
    assert line is not None
    # band 8 (立案 996 ≥ 500) + 0.3·93.72 + 0.3·(737 ÷ 972 on time) + 0.3·(100 − 0 rework)
    expected = 8 + 0.3 * 911 / 972 * 100 + 0.3 * 737 / 972 * 100 + 0.3 * 100
    assert abs(line.get("composite_index").value - expected) < 1e-9
