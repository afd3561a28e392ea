"""A published report, recomputed: Tianmen's monthly 数字城管 figures from cases that match it.

The report (see ``DOMAIN.md``): 立案 996, 应结案 972, 结案 911 → 结案率 93.72%; 按期结案 737
→ 按期结案率 75.82%.  The denominator is 应结案数, not 立案数 (911 ÷ 996 would be 91.47%).

The month's cases are built to match, through the public API (``open_case`` on a router
whose rule gives 4 hours to accept and 5 days to resolve, then ``Case.apply``), and their
facts read by ``facts_of``: 996 accepted in October 2026; 24 of them are not yet due (their
deadline falls in November and they are open); of the 972 due in October, 737 were closed
by their deadline, 174 were closed after it and 61 are still open past it.  Nothing is
deferred (缓办 0), as the report's arithmetic shows.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from gridgov import (
    ACCEPTED_COUNT,
    CLOSING_RATE,
    CST,
    DEFAULT_MATRIX,
    DIGITAL_CITY,
    ON_TIME_CLOSING_RATE,
    CaseFacts,
    Channel,
    Grain,
    Indicator,
    Issue,
    Period,
    Reporter,
    Router,
    RoutingRule,
    RuleSet,
    TimeLimit,
    digital_city_score,
    evaluate,
    facts_of,
    open_case,
    tally,
)
from gridgov.cases import Accepted, Case, Closed, Dispatched, HandlingStarted, Resolved, Verified
from gridgov.demo import sample_grid

GRID = sample_grid()
OCTOBER = Period.of(date(2026, 10, 1), Grain.MONTH)
# accept within 4 hours, resolve within 5 days (natural time, so no calendar is needed)
ROUTER = Router(grid=GRID, matrix=DEFAULT_MATRIX, rules=RuleSet(name="天门 (scenario)", rules=[
    RoutingRule(id="default", name="default", accept_within=TimeLimit.natural_hours(4),
                resolve_within=TimeLimit.natural_days(5)),
]))
# one household in a micro-grid of each of grids 1, 2 and 3
PLACES = [next(p for p in sorted(GRID.places) if GRID.place_unit(p).id == mg)
          for mg in ("mg11", "mg21", "mg31")]


def _case(n: int, opened: datetime, resolved_after: timedelta | None) -> Case:
    """Case ``c-<n>`` opened, accepted an hour later, dispatched and handled; if
    *resolved_after* is given, resolved that long after opening, verified and closed."""
    issue = Issue(id=f"i-{n}", category="facility_repair", severity=1, channel=Channel.HOTLINE,
                  place=PLACES[n % 3], reporter=Reporter.resident(f"r-{n}"), reported_at=opened)
    h = timedelta(hours=1)
    case = open_case(issue, ROUTER.route(issue), router=ROUTER, actor="m-desk", case_id=f"c-{n}")
    case = case.apply(Accepted(at=opened + h, actor="m-desk"))
    case = case.apply(Dispatched(at=opened + 2 * h, actor="m-desk", handler="m-w"))
    case = case.apply(HandlingStarted(at=opened + 3 * h, actor="m-w"))
    if resolved_after is None:
        return case
    case = case.apply(Resolved(at=opened + resolved_after, actor="m-w"))
    case = case.apply(Verified(at=opened + resolved_after + h, actor="m-check"))
    return case.apply(Closed(at=opened + resolved_after + 2 * h, actor="m-check"))


@functools.cache
def _month() -> tuple[CaseFacts, ...]:
    cases: list[Case] = []
    for n in range(996):
        opened = datetime(2026, 10, 1 + n % 10, 9, tzinfo=CST)  # 1–10 October
        if n < 737:  # closed by the deadline (resolved after 2 days of 5)
            cases.append(_case(n, opened, timedelta(days=2)))
        elif n < 911:  # closed after it (resolved after 7 days)
            cases.append(_case(n, opened, timedelta(days=7)))
        elif n < 972:  # still open past the deadline
            cases.append(_case(n, opened, None))
        else:  # opened on 30 October, due in November, open
            cases.append(_case(n, datetime(2026, 10, 30, 9, tzinfo=CST), None))
    return tuple(facts_of(cases))


def test_the_published_rates_come_out_of_the_preset() -> None:
    facts = _month()
    cols = [*DIGITAL_CITY, ACCEPTED_COUNT]
    line = evaluate(tally(facts, cols), cols).get("yx", OCTOBER)
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
    line = evaluate(tally(facts, [wrong]), [wrong]).get("yx", OCTOBER)
    assert line is not None and round(line.get("wrong").value, 2) == 91.47


def test_the_roll_up_adds_the_micro_grids_to_the_community() -> None:
    facts = _month()
    table = evaluate(tally(facts, [CLOSING_RATE]), [CLOSING_RATE])
    for units in (("mg11", "mg21", "mg31"), ("g1", "g2", "g3")):
        lines = [table.get(u, OCTOBER) for u in units]
        assert sum(x.get("closing_rate").denominator for x in lines if x) == 972
        assert sum(x.get("closing_rate").numerator for x in lines if x) == 911
    top = table.get("yx", OCTOBER)
    assert top is not None and top.get("closing_rate").numerator == 911


def test_the_november_cases_count_in_november() -> None:
    facts = _month()
    line = evaluate(tally(facts, [CLOSING_RATE]), [CLOSING_RATE]).get("yx", OCTOBER.next())
    assert line is not None
    assert (line.get("closing_rate").numerator, line.get("closing_rate").denominator) == (0, 24)


def test_the_composite_index_of_the_month() -> None:
    facts = _month()
    score = digital_city_score()
    line = evaluate(tally(facts, [score]), [score]).get("yx", OCTOBER)
    assert line is not None
    # band 8 (立案 996 ≥ 500) + 0.3·93.72 + 0.3·(737 ÷ 972 on time) + 0.3·(100 − 0 rework)
    expected = 8 + 0.3 * 911 / 972 * 100 + 0.3 * 737 / 972 * 100 + 0.3 * 100
    assert abs(line.get("composite_index").value - expected) < 1e-9
