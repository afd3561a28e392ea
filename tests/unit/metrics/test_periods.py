"""Unit tests for gridgov.metrics.periods: CST days, ISO weeks, months, quarters, years and
custom ranges, and what they refuse."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gridgov import CST, InvalidValueError, from_dict, to_dict
from gridgov.metrics import MAX_PERIODS, Grain, Period, Periods, period_of, periods_between

UTC = UTC


# --------------------------------------------------------------------------- the CST day


@pytest.mark.parametrize("grain", list(Grain))
def test_a_moment_counts_by_its_date_in_cst_which_turns_at_16_00_utc(grain: Grain) -> None:
    before = datetime(2026, 12, 31, 15, 59, 59, 999_999, tzinfo=UTC)  # 23:59:59 in Beijing
    after = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # midnight in Beijing: 1 January 2027
    assert period_of(before, grain) == Period.of(date(2026, 12, 31), grain)
    assert period_of(after, grain) == Period.of(date(2027, 1, 1), grain)


def test_the_same_instant_in_any_zone_is_in_the_same_period() -> None:
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    new_york = moment.astimezone(timezone(timedelta(hours=-5)))
    assert period_of(moment, Grain.MONTH) == period_of(new_york, Grain.MONTH)
    assert period_of(new_york, Grain.MONTH).label == "2026-12"  # type: ignore[union-attr]
    assert moment in Period.of(date(2026, 12, 1), Grain.DAY)
    assert moment not in Period.of(date(2026, 11, 30), Grain.DAY)


def test_a_day() -> None:
    p = period_of(datetime(2026, 11, 26, 10, tzinfo=CST), Grain.DAY)
    assert p is not None
    assert (p.start, p.end, p.days, p.label, p.zh) == (
        date(2026, 11, 26), date(2026, 11, 27), 1, "2026-11-26", "2026年11月26日")


# --------------------------------------------------------------------------- weeks


def test_iso_week_53_crosses_the_year() -> None:
    # 2026 begins on a Thursday, so it has 53 ISO weeks; week 53 runs Monday 28 December 2026
    # to Sunday 3 January 2027, and New Year's Day 2027 falls in it.
    w53 = Period.of(date(2027, 1, 1), Grain.WEEK)
    assert (w53.start, w53.end, w53.label, w53.zh) == (
        date(2026, 12, 28), date(2027, 1, 4), "2026-W53", "2026年第53周")
    assert Period.of(date(2026, 12, 28), Grain.WEEK) == w53
    assert w53.next().label == "2027-W01"
    assert w53.next().start == date(2027, 1, 4)
    assert w53.previous().label == "2026-W52"


def test_a_year_with_52_weeks_goes_from_week_52_to_week_1() -> None:
    w52 = Period.of(date(2025, 12, 28), Grain.WEEK)  # a Sunday
    assert (w52.label, w52.start) == ("2025-W52", date(2025, 12, 22))
    assert w52.next().label == "2026-W01"
    assert w52.next().start == date(2025, 12, 29)  # ISO week 1 of 2026 starts in 2025


# --------------------------------------------------------------------------- months, quarters, years


def test_months_have_their_own_lengths() -> None:
    feb = Period.of(date(2028, 2, 10), Grain.MONTH)  # a leap year
    assert (feb.start, feb.end, feb.days, feb.label, feb.zh) == (
        date(2028, 2, 1), date(2028, 3, 1), 29, "2028-02", "2028年2月")
    assert Period.of(date(2026, 12, 31), Grain.MONTH).next().label == "2027-01"


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2026, 1, 1), "2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 6, 30), "2026-Q2", date(2026, 4, 1), date(2026, 7, 1)),
        (date(2026, 7, 1), "2026-Q3", date(2026, 7, 1), date(2026, 10, 1)),
        (date(2026, 12, 31), "2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_quarters(day: date, label: str, start: date, end: date) -> None:
    q = Period.of(day, Grain.QUARTER)
    assert (q.label, q.start, q.end) == (label, start, end)


def test_quarter_and_year_neighbours() -> None:
    q4 = Period.of(date(2026, 11, 26), Grain.QUARTER)
    assert (q4.zh, q4.next().label, q4.previous().label) == ("2026年第4季度", "2027-Q1", "2026-Q3")
    year = Period.of(date(2026, 11, 26), Grain.YEAR)
    assert (year.label, year.zh, year.days, year.next().label) == ("2026", "2026年", 365, "2027")


def test_periods_between_cover_the_range_end_exclusive() -> None:
    weeks = periods_between(date(2026, 12, 20), date(2027, 1, 5), Grain.WEEK)
    assert [p.label for p in weeks] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    months = periods_between(date(2026, 10, 15), date(2026, 12, 1), Grain.MONTH)
    assert [p.label for p in months] == ["2026-10", "2026-11"]  # 1 December is excluded
    quarters = periods_between(date(2026, 1, 1), date(2027, 1, 1), Grain.QUARTER)
    assert [p.label for p in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert all(a.end == b.start for a, b in itertools.pairwise(quarters))


# --------------------------------------------------------------------------- custom ranges


def test_custom_ranges_with_gaps() -> None:
    # A reporting month from the 26th to the 25th, with a gap over the Spring Festival.
    nov = Period.between(date(2026, 10, 26), date(2026, 11, 26), label="11月考核")
    dec = Period.between(date(2026, 11, 26), date(2026, 12, 26), label="12月考核", zh="十二月考核")
    feb = Period.between(date(2027, 2, 26), date(2027, 3, 26))
    ps = Periods(ranges=[nov, dec, feb])
    assert len(ps) == 3
    assert list(ps) == [nov, dec, feb]
    assert period_of(date(2026, 10, 26), ps) == nov
    assert period_of(datetime(2026, 11, 25, 15, 59, tzinfo=UTC), ps) == nov  # 23:59 CST
    assert period_of(datetime(2026, 11, 25, 16, 0, tzinfo=UTC), ps) == dec  # 00:00 CST on the 26th
    assert period_of(date(2027, 1, 15), ps) is None  # in the gap: not counted
    assert period_of(date(2026, 10, 25), ps) is None  # before the first
    assert period_of(date(2027, 3, 26), ps) is None  # after the last (end exclusive)
    assert (dec.zh, nov.zh, feb.label, feb.grain) == ("十二月考核", "11月考核", "2027-02-26/2027-03-26", None)


def test_a_custom_range_steps_by_its_own_length() -> None:
    p = Period.between(date(2026, 11, 1), date(2026, 11, 11))
    assert (p.next().start, p.next().end) == (date(2026, 11, 11), date(2026, 11, 21))
    assert (p.previous().start, p.previous().end) == (date(2026, 10, 22), date(2026, 11, 1))


def test_periods_round_trip_through_dicts() -> None:
    month = Period.of(date(2026, 11, 26), Grain.MONTH)
    ps = Periods(ranges=[Period.between(date(2026, 1, 1), date(2026, 2, 1), label="一月"), month])
    assert from_dict(to_dict(month)) == month
    again = from_dict(to_dict(ps))
    assert again == ps
    assert again.of(date(2026, 11, 3)) == month  # the index is rebuilt


# --------------------------------------------------------------------------- refusals


def test_naive_moments_and_non_dates_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="'moment'"):
        period_of(datetime(2026, 11, 26, 10), Grain.DAY)
    with pytest.raises(InvalidValueError, match="'moment'"):
        period_of("2026-11-26", Grain.DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'by' must be a Grain or a Periods value"):
        period_of(date(2026, 11, 26), "month")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'grain' must be a Grain"):
        Period.of(date(2026, 11, 26), "month")  # type: ignore[arg-type]
    assert "2026-11-26" not in Period.of(date(2026, 11, 26), Grain.DAY)


def test_bad_periods_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="'end' of Period must be after its start"):
        Period.between(date(2026, 11, 2), date(2026, 11, 2))
    with pytest.raises(InvalidValueError, match="must be one month when grain is 'month'"):
        Period(start=date(2026, 11, 2), end=date(2026, 12, 1), label="x", grain=Grain.MONTH)
    with pytest.raises(InvalidValueError, match="'start'"):
        Period.between("2026-11-01", date(2026, 12, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'ranges' of Periods must hold at least one"):
        Periods(ranges=[])
    with pytest.raises(InvalidValueError, match="must be sorted and not overlap"):
        Periods(ranges=[Period.between(date(2026, 2, 1), date(2026, 3, 1)),
                        Period.between(date(2026, 1, 1), date(2026, 2, 1))])
    with pytest.raises(InvalidValueError, match="'end' must be after 'start'"):
        periods_between(date(2026, 2, 1), date(2026, 1, 1), Grain.DAY)


def test_periods_between_is_bounded() -> None:
    start = date(1800, 1, 1)
    with pytest.raises(InvalidValueError, match=f"at most {MAX_PERIODS:,} periods of a day"):
        periods_between(start, start + timedelta(days=MAX_PERIODS + 1), Grain.DAY)
