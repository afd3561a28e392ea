"""Property tests for gridgov.criteria: the batch engine agrees with the one-by-one rule.

:class:`gridgov.CriteriaIndex` answers "which of these criteria match this resident today"
from cut-off birth dates and answers kept per age band, conditions and tags; for every
resident and every list of criteria drawn, on every day, its answer must be the one
:meth:`gridgov.Criteria.matches` gives criteria by criteria — including on birthdays, on
29 February and on the days conditions begin and end.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gridgov import Criteria, CriteriaIndex, Resident, birthday
from gridgov._windows import condition_windows
from gridgov.testing.strategies import conditions, criteria, residents

KINDS = st.sampled_from(("living_alone", "injured", "dementia", "recently_discharged"))
TAGS = st.sampled_from(("party_member", "youth"))
FILES = residents(
    conditions=conditions(kinds=KINDS, min_date=date(2020, 1, 1), max_date=date(2030, 12, 31)),
    min_birth_date=date(1920, 1, 1),
    max_birth_date=date(2026, 12, 31),
)
DAYS = st.one_of(
    st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    st.sampled_from([date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1), date(2028, 2, 29)]),
)


def expected(cs: list[Criteria], r: Resident, on: date) -> tuple[int, ...]:
    return tuple(i for i, c in enumerate(cs) if c.matches(r, on=on))


@given(
    st.lists(criteria(kinds=KINDS, tags=TAGS), max_size=6),
    st.lists(FILES, max_size=12),
    DAYS,
)
def test_the_index_agrees_with_matches_for_every_resident(
    cs: list[Criteria], files: list[Resident], on: date
) -> None:
    index = CriteriaIndex(cs, on=on)  # one index, its answers kept, asked of everyone
    for r in files + files:
        got = index.matching(r)
        assert got == expected(cs, r, on), (r, on)
        if index.cut_off is not None and r.birth_date > index.cut_off:
            assert got == ()


@given(st.lists(criteria(kinds=KINDS, tags=TAGS), min_size=1, max_size=4), FILES, st.data())
def test_the_index_agrees_on_the_birthdays_that_matter(
    cs: list[Criteria], r: Resident, data: st.DataObject
) -> None:
    """On the day before, of and after each birthday an age bound turns on."""
    bounds = {a for c in cs for a in (c.min_age, None if c.max_age is None else c.max_age + 1)}
    days = [date(2026, 3, 1)]
    for years in sorted(b for b in bounds if b is not None):
        if r.birth_date.year + years <= 2200:
            day = birthday(r.birth_date, years)
            days += [day - timedelta(days=1), day, day + timedelta(days=1)]
    for on in days:
        if 1800 <= on.year <= 2200:
            assert CriteriaIndex(cs, on=on).matching(r) == expected(cs, r, on)


@given(st.lists(criteria(kinds=KINDS, tags=TAGS), min_size=1, max_size=4), FILES, st.data())
def test_a_span_holds_every_day_the_criteria_match_and_is_exact_without_windows(
    cs: list[Criteria], r: Resident, data: st.DataObject
) -> None:
    """Criteria.span (what a VisitRoster compiles): no match outside it; for a file whose
    conditions have no windows, a match on every day inside it."""
    windows = condition_windows(r)
    for c in cs:
        span = c.span(r)
        days = [data.draw(DAYS)]
        if span is not None:
            for d in span:
                if date.min.toordinal() < d <= date(2200, 1, 1).toordinal():
                    days += [date.fromordinal(d - 1), date.fromordinal(d)]
        for on in days:
            hit = c.matches(r, on=on)
            inside = span is not None and span[0] <= on.toordinal() < span[1]
            if hit:
                assert inside, (c, r, on, span)
                day = on.toordinal()
                assert c.stretch_start(r, day, windows=windows) == c.stretch_start(r, day)
            if r.standing_conditions is not None:
                assert hit == inside, (c, r, on, span)
