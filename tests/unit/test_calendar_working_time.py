"""Unit tests for gridgov.calendar: WorkCalendar (construction, days, moments, adding and
measuring working time, the edges of the accepted years), TimeLimit and serialisation.

Deadlines, plans and planners are in ``test_calendar_deadlines.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import attrs
import pytest
from calendar_builders import MAKE_UP, NATIONAL_DAY, at
from dateutil.rrule import FR, MO, SA

from gridgov import CST, InvalidValueError, SerializationError, from_dict, to_dict
from gridgov.calendar import TimeLimit, WorkCalendar

# --------------------------------------------------------------------------- construction


class TestConstruction:
    def test_defaults(self, cal: WorkCalendar) -> None:
        assert cal.weekdays == frozenset({0, 1, 2, 3, 4})
        assert cal.hours == ((time(8, 30), time(12)), (time(14), time(18)))
        assert cal.holidays == frozenset()
        assert cal.workdays == frozenset()
        assert cal.utc_offset_minutes == 480
        assert cal.tz is CST
        assert cal.working_day_length == timedelta(hours=7.5)

    def test_hours_accept_strings(self) -> None:
        a = WorkCalendar(hours=["08:30-12:00", ("14:00", time(18))])
        assert a == WorkCalendar()

    def test_weekdays_accept_dateutil_weekdays(self) -> None:
        assert WorkCalendar(weekdays=[MO, FR, SA]).weekdays == frozenset({0, 4, 5})

    def test_weekday_with_ordinal_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="plain weekdays"):
            WorkCalendar(weekdays=[MO(+1)])

    @pytest.mark.parametrize("bad", [[7], [-1], [True], ["mon"], []])
    def test_bad_weekdays_refused(self, bad: list[object]) -> None:
        with pytest.raises(InvalidValueError, match="'weekdays' of WorkCalendar"):
            WorkCalendar(weekdays=bad)

    @pytest.mark.parametrize(
        ("hours", "message"),
        [
            ([], "at least one working period"),
            ([("12:00", "08:30")], "start before they end"),
            ([("08:30", "08:30")], "start before they end"),
            ([("14:00", "18:00"), ("08:30", "12:00")], "neither overlap nor touch"),
            ([("08:30", "12:00"), ("11:00", "18:00")], "neither overlap nor touch"),
            ([("08:30", "12:00"), ("12:00", "18:00")], "neither overlap nor touch"),
            (["8.30-12"], "times such as"),
            ([("08:30",)], r"\(start, end\) pairs"),
            ([(time(8, tzinfo=CST), time(12))], "without a timezone"),
        ],
    )
    def test_invalid_hours_refused(self, hours: list[object], message: str) -> None:
        with pytest.raises(InvalidValueError, match=message):
            WorkCalendar(hours=hours)

    def test_hours_message_names_the_periods(self) -> None:
        with pytest.raises(InvalidValueError) as info:
            WorkCalendar(hours=["08:30-12:00", "11:00-18:00"])
        assert "11:00-18:00 after a period ending at 12:00" in str(info.value)

    def test_date_in_holidays_and_workdays_refused_naming_it(self) -> None:
        with pytest.raises(InvalidValueError, match="2025-10-11 is both in 'holidays'"):
            WorkCalendar(holidays=NATIONAL_DAY | {date(2025, 10, 11)}, workdays=MAKE_UP)

    def test_datetime_as_holiday_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="'holidays' of WorkCalendar must be a date"):
            WorkCalendar(holidays=[at(2025, 10, 1)])

    @pytest.mark.parametrize("bad", [1440, -1440, 1.5, True, "480"])
    def test_bad_offset_refused(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match="'utc_offset_minutes'"):
            WorkCalendar(utc_offset_minutes=bad)  # type: ignore[arg-type]

    def test_frozen_and_hashable(self, cal: WorkCalendar) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            cal.weekdays = frozenset({0})  # type: ignore[misc]
        assert hash(cal) == hash(WorkCalendar())
        assert not hasattr(cal, "__dict__")

    def test_with_holidays_adds_and_returns_a_new_calendar(self, cal: WorkCalendar) -> None:
        more = cal.with_holidays(NATIONAL_DAY, workdays=MAKE_UP)
        assert more == WorkCalendar(holidays=NATIONAL_DAY, workdays=MAKE_UP)
        assert cal.holidays == frozenset()
        again = more.with_holidays({date(2026, 1, 1)})
        assert again.holidays == NATIONAL_DAY | {date(2026, 1, 1)}
        assert again.workdays == MAKE_UP

    def test_with_holidays_conflict_refused(self, holiday_cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="2025-09-28"):
            holiday_cal.with_holidays({date(2025, 9, 28)})

    def test_describe(self) -> None:
        assert WorkCalendar(utc_offset_minutes=-330).describe().endswith("(UTC-05:30)")


# --------------------------------------------------------------------------- days


class TestDays:
    def test_weekends(self, cal: WorkCalendar) -> None:
        week = [cal.is_working_day(date(2026, 11, 23) + timedelta(days=i)) for i in range(7)]
        assert week == [True] * 5 + [False] * 2

    def test_holidays_and_make_up_days(self, holiday_cal: WorkCalendar) -> None:
        assert holiday_cal.is_working_day(date(2025, 9, 28))  # Sunday, 调休
        assert holiday_cal.is_working_day(date(2025, 10, 11))  # Saturday, 调休
        assert not holiday_cal.is_working_day(date(2025, 10, 1))  # Wednesday, holiday
        assert not holiday_cal.is_working_day(date(2025, 10, 4))  # Saturday in the holiday
        assert not holiday_cal.is_working_day(date(2025, 9, 27))  # plain Saturday

    def test_datetime_day_read_in_calendar_zone(self, holiday_cal: WorkCalendar) -> None:
        # 2025-09-30 20:00 UTC is 1 October 04:00 in Beijing.
        assert not holiday_cal.is_working_day(datetime(2025, 9, 30, 20, tzinfo=UTC))
        assert holiday_cal.is_working_day(datetime(2025, 9, 30, 15, tzinfo=UTC))

    def test_naive_datetime_day_refused(self, cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="'day' must be a timezone-aware"):
            cal.is_working_day(datetime(2025, 9, 30, 15))

    def test_non_date_refused(self, cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="'day' must be a date"):
            cal.is_working_day("2025-09-30")  # type: ignore[arg-type]

    def test_working_dates_and_count(self, holiday_cal: WorkCalendar) -> None:
        start, end = date(2025, 9, 22), date(2025, 10, 20)
        dates = list(holiday_cal.working_dates(start, end))
        brute = [
            start + timedelta(days=i)
            for i in range((end - start).days)
            if holiday_cal.is_working_day(start + timedelta(days=i))
        ]
        assert dates == brute
        assert holiday_cal.count_working_dates(start, end) == len(brute) == 16
        assert holiday_cal.count_working_dates(end, start) == -16
        assert holiday_cal.count_working_dates(start, start) == 0
        assert list(holiday_cal.working_dates(end, start)) == []

    def test_count_over_years(self, holiday_cal: WorkCalendar) -> None:
        start, end = date(2020, 1, 1), date(2030, 1, 1)
        assert holiday_cal.count_working_dates(start, end) == sum(
            1 for _ in holiday_cal.working_dates(start, end)
        )


# --------------------------------------------------------------------------- moments


class TestMoments:
    @pytest.mark.parametrize(
        ("clock", "expected"),
        [
            (time(8, 29, 59, 999999), False),
            (time(8, 30), True),
            (time(11, 59), True),
            (time(12, 0), True),  # the end of a period is working time
            (time(12, 0, 0, 1), False),
            (time(13, 0), False),  # lunch break
            (time(14, 0), True),
            (time(18, 0), True),
            (time(18, 0, 0, 1), False),
        ],
    )
    def test_is_working_time_lunch_break(
        self, cal: WorkCalendar, clock: time, expected: bool
    ) -> None:
        assert cal.is_working_time(datetime.combine(date(2026, 11, 30), clock, CST)) is expected

    def test_not_working_time_on_days_off(self, holiday_cal: WorkCalendar) -> None:
        assert not holiday_cal.is_working_time(at(2025, 10, 1, 10))
        assert not holiday_cal.is_working_time(at(2025, 9, 27, 10))
        assert holiday_cal.is_working_time(at(2025, 9, 28, 10))

    def test_other_timezones_are_converted(self, cal: WorkCalendar) -> None:
        # 01:00 UTC is 09:00 in Beijing.
        assert cal.is_working_time(datetime(2026, 11, 30, 1, tzinfo=UTC))
        assert not cal.is_working_time(datetime(2026, 11, 30, 5, tzinfo=UTC))  # 13:00 CST

    @pytest.mark.parametrize(
        "call",
        [
            lambda c, m: c.is_working_time(m),
            lambda c, m: c.next_working_moment(m),
            lambda c, m: c.end_of_working_day(m),
            lambda c, m: c.add_working_hours(m, 1),
            lambda c, m: c.add_working_days(m, 1),
            lambda c, m: c.working_time_between(m, at(2026, 12, 1)),
            lambda c, m: c.working_days_between(at(2026, 12, 1), m),
            lambda c, m: TimeLimit.same_day().deadline(m, c),
        ],
    )
    def test_naive_datetime_refused(self, cal: WorkCalendar, call: object) -> None:
        with pytest.raises(InvalidValueError, match="timezone-aware datetime"):
            call(cal, datetime(2026, 11, 30, 9))  # type: ignore[operator]

    def test_next_working_moment(self, holiday_cal: WorkCalendar) -> None:
        c = holiday_cal
        inside = at(2025, 9, 29, 9, 15)
        assert c.next_working_moment(inside) == inside
        assert c.next_working_moment(at(2025, 9, 29, 7)) == at(2025, 9, 29, 8, 30)
        assert c.next_working_moment(at(2025, 9, 29, 12)) == at(2025, 9, 29, 12)
        assert c.next_working_moment(at(2025, 9, 29, 12, 1)) == at(2025, 9, 29, 14)
        assert c.next_working_moment(at(2025, 9, 29, 18)) == at(2025, 9, 29, 18)
        assert c.next_working_moment(at(2025, 9, 30, 18, 1)) == at(2025, 10, 9, 8, 30)
        assert c.next_working_moment(at(2025, 9, 27, 10)) == at(2025, 9, 28, 8, 30)

    def test_results_are_in_calendar_zone(self, cal: WorkCalendar) -> None:
        moment = datetime(2026, 11, 30, 1, tzinfo=UTC)
        result = cal.next_working_moment(moment)
        assert result == moment
        assert result.utcoffset() == timedelta(hours=8)
        assert cal.add_working_hours(moment, 1).utcoffset() == timedelta(hours=8)

    def test_end_of_working_day(self, holiday_cal: WorkCalendar) -> None:
        c = holiday_cal
        assert c.end_of_working_day(at(2025, 9, 29, 7)) == at(2025, 9, 29, 18)
        assert c.end_of_working_day(at(2025, 9, 29, 18)) == at(2025, 9, 29, 18)
        assert c.end_of_working_day(at(2025, 9, 30, 18, 0, 1)) == at(2025, 10, 9, 18)

    def test_offset_calendar(self) -> None:
        utc_cal = WorkCalendar(utc_offset_minutes=0, hours=["09:00-17:00"])
        assert utc_cal.tz == UTC
        # 16:00 CST on Monday is 08:00 UTC, before opening in a UTC calendar.
        moment = at(2026, 11, 30, 16)
        assert utc_cal.next_working_moment(moment) == datetime(2026, 11, 30, 9, tzinfo=UTC)


# --------------------------------------------------------------------------- adding time


class TestAddWorkingHours:
    @pytest.mark.parametrize(
        ("start", "hours", "expected"),
        [
            (at(2026, 11, 30, 9), 1, at(2026, 11, 30, 10)),
            (at(2026, 11, 30, 11), 1, at(2026, 11, 30, 12)),  # ends exactly at lunch
            (at(2026, 11, 30, 11), 1.5, at(2026, 11, 30, 14, 30)),  # across lunch
            (at(2026, 11, 30, 12, 30), 1, at(2026, 11, 30, 15)),  # starting in lunch
            (at(2026, 11, 30, 7), 3.5, at(2026, 11, 30, 12)),
            (at(2026, 11, 30, 7), 7.5, at(2026, 11, 30, 18)),
            (at(2026, 11, 30, 7), 8, at(2026, 12, 1, 9)),
            (at(2026, 11, 27, 17), 2, at(2026, 11, 30, 9, 30)),  # over the weekend
            (at(2026, 11, 28, 10), 1, at(2026, 11, 30, 9, 30)),  # from a Saturday
            (at(2026, 11, 30, 9), 7.5 * 10, at(2026, 12, 14, 9)),  # two weeks
            (at(2026, 11, 30, 9), timedelta(minutes=30), at(2026, 11, 30, 9, 30)),
        ],
    )
    def test_examples(
        self, cal: WorkCalendar, start: datetime, hours: float, expected: datetime
    ) -> None:
        assert cal.add_working_hours(start, hours) == expected

    def test_zero_is_next_working_moment(self, cal: WorkCalendar) -> None:
        assert cal.add_working_hours(at(2026, 11, 30, 9), 0) == at(2026, 11, 30, 9)
        assert cal.add_working_hours(at(2026, 11, 28, 9), 0) == at(2026, 11, 30, 8, 30)
        assert cal.add_working_hours(at(2026, 11, 30, 12), 0) == at(2026, 11, 30, 12)

    def test_skips_holidays_and_uses_make_up_days(self, holiday_cal: WorkCalendar) -> None:
        # Tuesday 30 September 17:00 + 2 hours: 1 hour on Tuesday, then 1-8 October off.
        assert holiday_cal.add_working_hours(at(2025, 9, 30, 17), 2) == at(2025, 10, 9, 9, 30)
        # Friday 26 September 17:00 + 2 hours: Sunday 28 September is worked.
        assert holiday_cal.add_working_hours(at(2025, 9, 26, 17), 2) == at(2025, 9, 28, 9, 30)

    @pytest.mark.parametrize("bad", [-1, -0.5, timedelta(seconds=-1)])
    def test_negative_refused(self, cal: WorkCalendar, bad: object) -> None:
        with pytest.raises(InvalidValueError, match="'hours' must not be negative"):
            cal.add_working_hours(at(2026, 11, 30, 9), bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "1", None])
    def test_non_numbers_refused(self, cal: WorkCalendar, bad: object) -> None:
        with pytest.raises(InvalidValueError, match="'hours' must be a number of hours"):
            cal.add_working_hours(at(2026, 11, 30, 9), bad)  # type: ignore[arg-type]


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            (at(2026, 11, 25, 10), 3, at(2026, 11, 30, 10)),  # Wed 10:00 -> Mon 10:00
            (at(2026, 11, 25, 18), 3, at(2026, 11, 30, 18)),  # at close -> close
            (at(2026, 11, 25, 8, 30), 1, at(2026, 11, 25, 18)),  # a full day from opening
            (at(2026, 11, 25, 7), 1, at(2026, 11, 25, 18)),  # before opening
            (at(2026, 11, 25, 13), 1, at(2026, 11, 26, 12)),  # lunch -> start of lunch
            (at(2026, 11, 28, 10), 3, at(2026, 12, 2, 18)),  # Saturday -> close of Wed
            (at(2026, 11, 25, 10), 0, at(2026, 11, 25, 10)),
            (at(2026, 11, 25, 10), 500, at(2028, 10, 25, 10)),  # far ahead: arithmetic path
        ],
    )
    def test_examples(
        self, cal: WorkCalendar, start: datetime, days: int, expected: datetime
    ) -> None:
        assert cal.add_working_days(start, days) == expected

    def test_over_national_day(self, holiday_cal: WorkCalendar) -> None:
        # A hotline enquiry on Tuesday 30 September 10:00 with 3 working days.
        assert holiday_cal.add_working_days(at(2025, 9, 30, 10), 3) == at(2025, 10, 11, 10)

    def test_equals_hours(self, holiday_cal: WorkCalendar) -> None:
        start = at(2025, 9, 20, 11, 17)
        for n in (1, 2, 7, 13, 45, 100):
            assert holiday_cal.add_working_days(start, n) == holiday_cal.add_working_hours(
                start, holiday_cal.working_day_length * n
            )

    @pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
    def test_bad_days_refused(self, cal: WorkCalendar, bad: object) -> None:
        with pytest.raises(InvalidValueError, match="'days' must be a non-negative integer"):
            cal.add_working_days(at(2026, 11, 30, 9), bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- measuring


class TestMeasure:
    def test_same_day_with_lunch(self, cal: WorkCalendar) -> None:
        assert cal.working_time_between(at(2026, 11, 30, 11), at(2026, 11, 30, 15)) == timedelta(
            hours=2
        )
        assert cal.working_time_between(at(2026, 11, 30, 12), at(2026, 11, 30, 14)) == timedelta()

    def test_across_weekend_and_holidays(self, holiday_cal: WorkCalendar) -> None:
        c = holiday_cal
        assert c.working_time_between(at(2025, 9, 30, 17), at(2025, 10, 9, 9)) == timedelta(
            hours=1.5
        )
        assert c.working_time_between(at(2025, 9, 26, 17), at(2025, 9, 29, 9)) == timedelta(
            hours=1 + 7.5 + 0.5
        )

    def test_negative_when_reversed(self, cal: WorkCalendar) -> None:
        a, b = at(2026, 11, 27, 11), at(2026, 11, 30, 9)
        assert cal.working_time_between(b, a) == -cal.working_time_between(a, b)
        assert cal.working_days_between(at(2026, 12, 3, 10), at(2026, 11, 30, 10)) == -3

    def test_empty_interval(self, cal: WorkCalendar) -> None:
        m = at(2026, 11, 30, 10)
        assert cal.working_time_between(m, m) == timedelta()
        assert cal.working_days_between(m, m) == 0

    def test_working_days_between_counts_whole_days(self, holiday_cal: WorkCalendar) -> None:
        c = holiday_cal
        assert c.working_days_between(at(2025, 9, 30, 10), at(2025, 10, 11, 10)) == 3
        assert c.working_days_between(at(2025, 9, 30, 10), at(2025, 10, 11, 9, 59)) == 2
        assert c.working_days_between(at(2025, 9, 30, 17), at(2025, 10, 9, 9)) == 0

    def test_mixed_timezones(self, cal: WorkCalendar) -> None:
        a = datetime(2026, 11, 30, 1, tzinfo=UTC)  # 09:00 CST
        b = at(2026, 11, 30, 10)
        assert cal.working_time_between(a, b) == timedelta(hours=1)


# --------------------------------------------------------------------------- time limits


class TestTimeLimit:
    def test_fields_and_constructors(self) -> None:
        assert TimeLimit.working_days(3) == TimeLimit(amount=3, unit="days", basis="working")
        assert TimeLimit.working_hours(2) == TimeLimit(amount=2, unit="hours", basis="working")
        assert TimeLimit.natural_hours(24) == TimeLimit(amount=24, unit="hours", basis="natural")
        assert TimeLimit.natural_days(7) == TimeLimit(amount=7, unit="days", basis="natural")
        assert TimeLimit.same_day().to_end_of_day
        assert TimeLimit.end_of_working_day().basis == "working"

    def test_integral_float_amount_is_normalised(self) -> None:
        limit = TimeLimit(amount=3.0, unit="days", basis="working")
        assert limit.amount == 3
        assert isinstance(limit.amount, int)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"amount": 0, "unit": "hours", "basis": "natural"}, "must be positive"),
            ({"amount": -1, "unit": "days", "basis": "working"}, "must be positive"),
            (
                {"amount": -1, "unit": "days", "basis": "working", "to_end_of_day": True},
                "must be positive",
            ),
            ({"amount": float("inf"), "unit": "days", "basis": "working"}, "finite number"),
            ({"amount": True, "unit": "days", "basis": "working"}, "finite number"),
            ({"amount": "3", "unit": "days", "basis": "working"}, "finite number"),
            ({"amount": 3, "unit": "weeks", "basis": "working"}, "'unit' of TimeLimit"),
            ({"amount": 3, "unit": "days", "basis": "office"}, "'basis' of TimeLimit"),
            (
                {"amount": 3, "unit": "days", "basis": "working", "to_end_of_day": 1},
                "'to_end_of_day'",
            ),
        ],
    )
    def test_invalid_refused(self, kwargs: dict[str, object], message: str) -> None:
        with pytest.raises(InvalidValueError, match=message):
            TimeLimit(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("limit", "text"),
        [
            (TimeLimit.working_days(3), "3个工作日 3 working days"),
            (TimeLimit.working_days(1), "1个工作日 1 working day"),
            (TimeLimit.working_hours(0.5), "0.5个工作小时 0.5 working hours"),
            (TimeLimit.natural_hours(24), "24小时 24 hours"),
            (TimeLimit.natural_hours(1), "1小时 1 hour"),
            (TimeLimit.natural_days(3), "3个自然日 3 days"),
            (TimeLimit.same_day(), "当天 same day"),
            (TimeLimit.end_of_working_day(), "当个工作日下班前 by the end of the working day"),
            (
                TimeLimit(amount=2, unit="days", basis="natural", to_end_of_day=True),
                "2个自然日，至当日24时 2 days, to the end of that day",
            ),
        ],
    )
    def test_describe(self, limit: TimeLimit, text: str) -> None:
        assert limit.describe() == text

    def test_natural_deadlines(self, holiday_cal: WorkCalendar) -> None:
        start = at(2025, 9, 30, 17)
        assert TimeLimit.natural_hours(24).deadline(start, holiday_cal) == at(2025, 10, 1, 17)
        assert TimeLimit.natural_days(3).deadline(start, holiday_cal) == at(2025, 10, 3, 17)
        assert TimeLimit.natural_hours(1.5).deadline(start, holiday_cal) == at(2025, 9, 30, 18, 30)

    def test_same_day_is_next_midnight(self, cal: WorkCalendar) -> None:
        assert TimeLimit.same_day().deadline(at(2026, 11, 28, 23, 59), cal) == at(2026, 11, 29)
        assert TimeLimit.same_day().deadline(at(2026, 11, 28, 0, 0), cal) == at(2026, 11, 29)
        # Read in the calendar's zone: 20:00 UTC on the 27th is 04:00 on the 28th in Beijing.
        utc_start = datetime(2026, 11, 27, 20, tzinfo=UTC)
        assert TimeLimit.same_day().deadline(utc_start, cal) == at(2026, 11, 29)

    def test_natural_days_to_end_of_day(self, cal: WorkCalendar) -> None:
        limit = TimeLimit(amount=2, unit="days", basis="natural", to_end_of_day=True)
        assert limit.deadline(at(2026, 11, 27, 10), cal) == at(2026, 11, 30)

    def test_working_deadlines(self, holiday_cal: WorkCalendar) -> None:
        start = at(2025, 9, 30, 17)
        c = holiday_cal
        assert TimeLimit.working_hours(2).deadline(start, c) == at(2025, 10, 9, 9, 30)
        assert TimeLimit.working_days(3).deadline(start, c) == at(2025, 10, 11, 17)
        assert TimeLimit.working_days(0.5).deadline(start, c) == at(2025, 10, 9, 11, 15)
        assert TimeLimit.end_of_working_day().deadline(start, c) == at(2025, 9, 30, 18)
        limit = TimeLimit(amount=1, unit="days", basis="working", to_end_of_day=True)
        assert limit.deadline(start, c) == at(2025, 10, 9, 18)

    def test_12345_style_limits(self, holiday_cal: WorkCalendar) -> None:
        start = at(2025, 9, 26, 10)  # Friday
        c = holiday_cal
        assert TimeLimit.same_day().deadline(start, c) == at(2025, 9, 27)
        assert TimeLimit.working_days(3).deadline(start, c) == at(2025, 9, 30, 10)
        # 13 working days: 28, 29, 30 Sep, then 9, 10, 11, 13 ... 17, 20, 21 Oct.
        assert TimeLimit.working_days(13).deadline(start, c) == at(2025, 10, 21, 10)

    def test_bad_calendar_refused(self) -> None:
        with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
            TimeLimit.same_day().deadline(at(2026, 11, 28), None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- serialisation


class TestSerialisation:
    @pytest.mark.parametrize(
        "value",
        [
            WorkCalendar(),
            WorkCalendar(holidays=NATIONAL_DAY, workdays=MAKE_UP),
            WorkCalendar(
                weekdays={0, 1, 2, 3, 4, 5},
                hours=[("07:45:30", "11:59:59.500000"), ("13:00", "23:59")],
                utc_offset_minutes=-300,
            ),
            TimeLimit.working_days(3),
            TimeLimit.natural_hours(1.5),
            TimeLimit.same_day(),
            TimeLimit.end_of_working_day(),
        ],
    )
    def test_round_trip_through_json(self, value: object) -> None:
        data = to_dict(value)
        text = json.dumps(data, ensure_ascii=False)
        back: object = from_dict(json.loads(text))
        assert back == value
        assert to_dict(back) == data

    def test_calendar_dict_shape(self, holiday_cal: WorkCalendar) -> None:
        data = to_dict(holiday_cal)
        assert data["type"] == "WorkCalendar"
        assert data["weekdays"] == [0, 1, 2, 3, 4]
        assert data["hours"] == [["08:30:00", "12:00:00"], ["14:00:00", "18:00:00"]]
        assert data["holidays"][0] == "2025-10-01"
        assert data["workdays"] == ["2025-09-28", "2025-10-11"]
        assert data["utc_offset_minutes"] == 480
        assert not any(key.startswith("_") for key in data)

    def test_time_limit_dict_shape(self) -> None:
        assert to_dict(TimeLimit.working_days(3)) == {
            "schema": 1,
            "type": "TimeLimit",
            "amount": 3,
            "unit": "days",
            "basis": "working",
            "to_end_of_day": False,
        }

    def test_behaviour_survives_round_trip(self, holiday_cal: WorkCalendar) -> None:
        back = from_dict(to_dict(holiday_cal), WorkCalendar)
        start = at(2025, 9, 30, 17)
        assert back.add_working_days(start, 3) == holiday_cal.add_working_days(start, 3)

    def test_bad_unit_in_dict_refused(self) -> None:
        data = to_dict(TimeLimit.working_days(3))
        data["unit"] = "weeks"
        with pytest.raises(SerializationError, match="unit' must be one of"):
            from_dict(data)

    def test_conflicting_dates_in_dict_refused(self) -> None:
        data = to_dict(WorkCalendar(holidays=NATIONAL_DAY))
        data["workdays"] = ["2025-10-01"]
        with pytest.raises(InvalidValueError, match="2025-10-01 is both"):
            from_dict(data)



class TestTheEdgesOfTheYears:
    """Working time added past the accepted years (1800-2200): a calendar of one second a
    week needs centuries for a few working hours.  The answer must be a moment the doors
    accept, or a gridgov error — not a moment the same calendar then refuses as input, nor a
    bare ValueError or OverflowError from datetime."""

    SECOND_A_WEEK = WorkCalendar(weekdays={0}, hours=[(time(0, 0), time(0, 0, 1))])

    @pytest.mark.parametrize("hours", [1, 20, 1000, 10**6])
    def test_adding_working_hours(self, hours: int) -> None:
        start = at(2026, 1, 1)
        try:
            due = self.SECOND_A_WEEK.add_working_hours(start, hours)
        except InvalidValueError:
            return
        assert due.year <= 2200, f"{hours} working hours gave {due.isoformat()}"
        assert self.SECOND_A_WEEK.is_working_time(due)

    def test_a_time_limit(self) -> None:
        try:
            due = TimeLimit.working_hours(20).deadline(at(2026, 1, 1), self.SECOND_A_WEEK)
        except InvalidValueError:
            return
        assert due.year <= 2200, due.isoformat()

    def test_adding_working_days_near_the_end(self, cal: WorkCalendar) -> None:
        try:
            due = cal.add_working_days(at(2200, 12, 1), 100)
        except InvalidValueError:
            return
        assert due.year <= 2200, due.isoformat()
