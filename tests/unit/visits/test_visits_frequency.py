"""Unit tests for gridgov.visits.frequency: constructors, labels, steps, calendars, rrules."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, rrulestr

from gridgov import CST, InvalidValueError
from gridgov.visits import Frequency, FrequencyUnit

D = date


class TestFrequency:
    def test_constructors_and_labels(self):
        cases = [
            (Frequency.daily(), "daily", "每日一访", 1.0),
            (Frequency.every_days(3), "every 3 days", "每3日一访", 3.0),
            (Frequency.weekly(), "weekly", "每周一访", 7.0),
            (Frequency.weekly([3, 0]), "weekly on Mon, Thu", "每周一访（周一、周四）", 3.5),
            (Frequency.every_weeks(2), "every 2 weeks", "每2周一访", 14.0),
            (Frequency.monthly(), "monthly", "每月一访", 365.2425 / 12),
            (Frequency.monthly(2), "every 2 months", "每2个月一访", 2 * 365.2425 / 12),
            (Frequency.quarterly(), "quarterly", "每季度一访", 3 * 365.2425 / 12),
            (Frequency.monthly(12), "yearly", "每年一访", 365.2425),
        ]
        for f, label, zh, nominal in cases:
            assert (f.label, f.zh) == (label, zh)
            assert f.describe() == f"{zh} {label}"
            assert f.nominal_days == pytest.approx(nominal)

    def test_strictness_order(self):
        order = [
            Frequency.daily(),
            Frequency.every_days(3),
            Frequency.weekly(),
            Frequency.every_weeks(2),
            Frequency.monthly(),
            Frequency.quarterly(),
        ]
        for a, b in itertools.pairwise(order):
            assert a.stricter_than(b)
            assert not b.stricter_than(a)
        with pytest.raises(InvalidValueError, match="'other' must be a Frequency"):
            Frequency.daily().stricter_than("weekly")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: Frequency.every_days(0),
                "'every' of Frequency must be an integer from 1 to 3,650 (got 0).",
            ),
            (
                lambda: Frequency.every_weeks(-2),
                "'every' of Frequency must be an integer from 1 to 3,650 (got -2).",
            ),
            (
                lambda: Frequency.monthly(0),
                "'every' of Frequency must be an integer from 1 to 3,650 (got 0).",
            ),
            (
                lambda: Frequency(unit=FrequencyUnit.DAY, every=True),
                "'every' of Frequency must be an integer from 1 to 3,650 (got True).",
            ),
            (
                lambda: Frequency.daily(grace_days=-1),
                "'grace_days' of Frequency must be an integer from 0 to 3,650 (got -1).",
            ),
            (lambda: Frequency.weekly([7]), "'weekdays' of Frequency must hold weekday numbers"),
            (
                lambda: Frequency(unit=FrequencyUnit.MONTH, weekdays={1}),
                "'weekdays' of Frequency apply to a weekly frequency only",
            ),
            (
                lambda: Frequency(unit=FrequencyUnit.RRULE),
                "'rrule' of Frequency must be RFC 5545 text",
            ),
            (
                lambda: Frequency(unit=FrequencyUnit.DAY, rrule="RRULE:FREQ=DAILY"),
                "'rrule' of Frequency is only for unit 'rrule'",
            ),
            (
                lambda: Frequency.from_rrule("RRULE:FREQ=WEEKLY"),
                "'rrule' of Frequency must include a DTSTART given by the caller",
            ),
            (
                lambda: Frequency.from_rrule("DTSTART:20260101T000000\nRRULE:FREQ=SOMETIMES"),
                "'rrule' of Frequency must be an RFC 5545 recurrence",
            ),
            (
                lambda: Frequency(unit=FrequencyUnit.RRULE, every=2, rrule="x"),
                "'every' of Frequency must be 1 with an explicit rrule",
            ),
        ],
    )
    def test_bad_frequencies(self, build, message):
        with pytest.raises(InvalidValueError) as info:
            build()
        assert str(info.value).startswith(message)

    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (D(2026, 1, 31), 1, D(2026, 2, 28)),
            (D(2024, 1, 31), 1, D(2024, 2, 29)),
            (D(2026, 1, 30), 1, D(2026, 2, 28)),
            (D(2026, 3, 31), 1, D(2026, 4, 30)),
            (D(2026, 11, 30), 3, D(2027, 2, 28)),
            (D(2023, 11, 29), 3, D(2024, 2, 29)),
            (D(2026, 12, 31), 2, D(2027, 2, 28)),
        ],
    )
    def test_months_clamp_at_month_ends(self, start, months, expected):
        assert Frequency.monthly(months).next_after(start) == expected
        assert start + relativedelta(months=months) == expected

    def test_monthly_dates_never_skip_a_month(self):
        got = Frequency.monthly().dates(D(2026, 1, 31), D(2026, 12, 31))
        assert [d.month for d in got] == list(range(2, 13))
        assert got[0] == D(2026, 2, 28)
        assert got[2] == D(2026, 4, 30)
        assert got[-1] == D(2026, 12, 31)
        # unlike rrule(MONTHLY), which skips the months without a 31st
        skipping = rrule(MONTHLY, dtstart=datetime(2026, 1, 31), until=datetime(2026, 12, 31))
        assert len(list(skipping)) < len(got) + 1

    def test_interval_steps(self):
        assert Frequency.daily().next_after(D(2026, 12, 31)) == D(2027, 1, 1)
        assert Frequency.every_days(3).next_after(D(2026, 2, 27)) == D(2026, 3, 2)
        assert Frequency.every_weeks(2).next_after(D(2026, 1, 1)) == D(2026, 1, 15)
        assert Frequency.weekly().dates(D(2026, 1, 1), D(2026, 1, 22)) == (
            D(2026, 1, 8),
            D(2026, 1, 15),
            D(2026, 1, 22),
        )

    def test_weekday_schedule(self):
        f = Frequency.weekly([0, 3])  # Mondays and Thursdays
        assert f.is_calendar
        monday = D(2026, 11, 23)
        assert f.occurrence_on_or_after(monday) == monday
        assert f.occurrence_on_or_after(monday + timedelta(days=1)) == D(2026, 11, 26)
        # a visit on Tuesday belongs to Thursday's period: the next due is the Monday after
        assert f.next_after(D(2026, 11, 24)) == D(2026, 11, 30)
        assert f.next_after(monday) == D(2026, 11, 26)
        assert f.dates(monday, D(2026, 12, 3)) == (
            D(2026, 11, 26),
            D(2026, 11, 30),
            D(2026, 12, 3),
        )

    def test_interval_has_no_occurrences(self):
        with pytest.raises(InvalidValueError, match="has no fixed occurrences"):
            Frequency.weekly().occurrence_on_or_after(D(2026, 1, 1))

    def test_rrule_frequency(self):
        r = rrule(WEEKLY, interval=2, dtstart=datetime(2026, 1, 5, 9, 0))
        f = Frequency.from_rrule(r, grace_days=2)
        assert f.rrule == "DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2"
        assert f.nominal_days == 14
        assert f.occurrence_on_or_after(D(2026, 1, 6)) == D(2026, 1, 19)
        assert f.occurrence_on_or_after(D(2025, 6, 1)) == D(2026, 1, 5)
        assert f.next_after(D(2026, 1, 6)) == D(2026, 2, 2)
        assert f.label == "on an rrule schedule"
        assert f.zh == "按日程探访"
        assert Frequency.from_rrule(f.rrule or "") == Frequency.from_rrule(r)

    def test_rrule_never_reads_a_timezone_database(self):
        f = Frequency.from_rrule("DTSTART;TZID=Asia/Shanghai:20260101T080000\nRRULE:FREQ=DAILY")
        assert f.next_after(D(2026, 3, 1)) == D(2026, 3, 2)
        g = Frequency.from_rrule(
            "DTSTART:20260101T080000Z\nRRULE:FREQ=DAILY;UNTIL=20260103T000000Z"
        )
        assert g.next_after(D(2026, 1, 1)) == D(2026, 1, 2)
        assert g.next_after(D(2026, 1, 2)) is None
        assert g.dates(D(2025, 12, 1), D(2026, 12, 1)) == (D(2026, 1, 1), D(2026, 1, 2))

    def test_finite_rrule_with_one_occurrence_is_laxest(self):
        f = Frequency.from_rrule("DTSTART:20260101T000000\nRRULE:FREQ=DAILY;COUNT=1")
        assert f.nominal_days == float("inf")

    def test_dates_need_dates(self):
        with pytest.raises(InvalidValueError, match="'day' must be a date"):
            Frequency.daily().next_after(datetime(2026, 1, 1, tzinfo=CST))  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'until' must be a date"):
            Frequency.daily().dates(D(2026, 1, 1), "2026-02-01")  # type: ignore[arg-type]


# An rrule schedule answers each question from the day asked about: the answers must be
# those of dateutil walking the rule from its DTSTART.
RULES = [
    "DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2",
    "DTSTART:20260115T000000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15",
    "DTSTART:20260131T080000\nRRULE:FREQ=MONTHLY",
    "DTSTART:20250131T080000\nRRULE:FREQ=MONTHLY;INTERVAL=5",
    "DTSTART:20240229T080000\nRRULE:FREQ=YEARLY",
    "DTSTART:20240229T080000\nRRULE:FREQ=YEARLY;INTERVAL=3",
    "DTSTART:20260101T000000\nRRULE:FREQ=DAILY;COUNT=40;INTERVAL=3",
    "DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=8,15;COUNT=7",
    "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;BYHOUR=8",
    "DTSTART:20260107T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR;WKST=SU;INTERVAL=3",
    "DTSTART:20260107T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO,-1FR",
    "DTSTART:20260107T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "DTSTART:20260107T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE;BYSETPOS=2;INTERVAL=2",
    "DTSTART:20260107T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
    "DTSTART:20260107T090000\nRRULE:FREQ=YEARLY;BYYEARDAY=1,100,-1",
    "DTSTART:20260107T090000\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
    "DTSTART:20260107T090000\nRRULE:FREQ=DAILY;INTERVAL=7;UNTIL=20280101T000000",
    "DTSTART:20190107T090000\nRRULE:FREQ=DAILY;INTERVAL=11",
    "DTSTART:20260107T090000\nRRULE:FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31",
]


@pytest.mark.parametrize("text", RULES)
def test_rrule_answers_are_dateutils(text: str) -> None:
    f = Frequency.from_rrule(text)
    walked = rrulestr(text, ignoretz=True)  # walks from DTSTART every time
    for k in range(0, 3000, 17):
        day = D(2025, 1, 1) + timedelta(days=k)
        found = walked.after(datetime(day.year, day.month, day.day), inc=True)
        assert f.occurrence_on_or_after(day) == (found and found.date()), (text, day)
    start, until = D(2026, 3, 3), D(2030, 6, 1)
    days = sorted({d.date() for d in walked.between(datetime(2026, 3, 4), datetime(2030, 6, 2))})
    assert f.dates(start, until) == tuple(days)
