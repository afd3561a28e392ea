"""Unit tests for gridgov.calendar: Deadline, DeadlinePlan and DeadlinePlanner."""

from __future__ import annotations

import gc
import json
import pickle
import re
import weakref
from datetime import UTC, date, datetime, timedelta

import pytest
from calendar_builders import at

from gridgov import CST, InvalidValueError, PolicyError, SerializationError, from_dict, to_dict
from gridgov.calendar import Deadline, DeadlinePlan, DeadlinePlanner, TimeLimit, WorkCalendar

# --------------------------------------------------------------------------- deadlines

FRIDAY_4PM = at(2026, 11, 27, 16)  # 4 working hours from here is Monday 10:30


class TestDeadline:
    def test_defaults(self) -> None:
        d = Deadline(start=at(2026, 11, 26, 9), due=at(2026, 11, 26, 18))
        assert (d.basis, d.limit, d.source, tuple(d.pauses)) == ("natural", None, "", ())
        assert d.effective() == d.due

    def test_of_records_what_set_it(self, cal: WorkCalendar) -> None:
        limit = TimeLimit.working_hours(4)
        d = Deadline.of(limit, start=FRIDAY_4PM, calendar=cal, source="rule:facility")
        assert d.due == at(2026, 11, 30, 10, 30)
        assert (d.start, d.basis, d.limit, d.source) == (
            FRIDAY_4PM,
            "working",
            limit,
            "rule:facility",
        )
        natural = Deadline.of(TimeLimit.natural_hours(24), start=FRIDAY_4PM, calendar=cal)
        assert (natural.due, natural.basis, natural.source) == (
            at(2026, 11, 28, 16),
            "natural",
            "",
        )

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"due": at(2026, 1, 1, 8)}, "'due' of Deadline must not be before its start"),
            ({"basis": "daily"}, "'basis' of Deadline must be 'working' or 'natural'"),
            ({"source": "x" * 201}, "'source' of Deadline must be at most 200 characters"),
            ({"source": 3}, "'source' of Deadline must be text"),
            ({"limit": "3 days"}, "'limit' of Deadline must be a TimeLimit"),
            ({"start": datetime(2026, 1, 1, 9)}, "'start' of Deadline must be a timezone-aware"),
            ({"due": at(2201, 1, 1)}, "'due' of Deadline must be a moment in the years"),
            ({"pauses": "x"}, "'pauses' of Deadline must be a collection of (start, end) pairs"),
            ({"pauses": [at(2026, 1, 1, 10)]}, "(start, end) pairs of datetimes"),
            ({"pauses": [(at(2026, 1, 1, 11), at(2026, 1, 1, 10))]}, "must be in order"),
            ({"pauses": [(at(2026, 1, 1, 8), at(2026, 1, 1, 10))]}, "after the clock's start"),
            (
                {"pauses": [(at(2026, 1, 1, 10), at(2026, 1, 1, 12)),
                            (at(2026, 1, 1, 11), at(2026, 1, 1, 13))]},
                "must be in order",
            ),
            ({"pauses": [(datetime(2026, 1, 1, 10), at(2026, 1, 1, 11))]}, "timezone-aware"),
        ],
    )
    def test_bad_deadlines_are_refused(self, fields: dict[str, object], message: str) -> None:
        base: dict[str, object] = {"start": at(2026, 1, 1, 9), "due": at(2026, 1, 1, 18)}
        with pytest.raises(InvalidValueError, match=re.escape(message)):
            Deadline(**{**base, **fields})  # type: ignore[arg-type]

    def test_of_refuses_what_is_not_a_limit(self, cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="'limit' must be a TimeLimit"):
            Deadline.of("3 days", start=FRIDAY_4PM, calendar=cal)  # type: ignore[arg-type]

    def test_natural_time_is_given_back_pause_by_pause(self) -> None:
        d = Deadline(start=at(2026, 1, 1, 0), due=at(2026, 1, 1, 10))
        d = d.paused(at(2026, 1, 1, 1), at(2026, 1, 1, 4)).paused(at(2026, 1, 1, 5), at(2026, 1, 1, 6))
        assert d.effective() == at(2026, 1, 1, 14)
        assert d.effective(WorkCalendar()) == at(2026, 1, 1, 14)  # a calendar changes nothing

    def test_working_time_is_given_back_on_the_calendar(self, cal: WorkCalendar) -> None:
        d = Deadline.of(TimeLimit.working_hours(4), start=FRIDAY_4PM, calendar=cal)
        # Friday 17:00 to Monday 09:00 holds 1.5 working hours (17:00-18:00, 08:30-09:00).
        paused = d.paused(at(2026, 11, 27, 17), at(2026, 11, 30, 9))
        assert paused.effective(cal) == at(2026, 11, 30, 12)
        # A suspension over the weekend alone holds no working time: nothing to give back.
        weekend = d.paused(at(2026, 11, 28, 0), at(2026, 11, 30, 0))
        assert weekend.effective(cal) == d.due
        with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
            paused.effective()

    def test_a_working_deadline_on_a_holiday_calendar(self, holiday_cal: WorkCalendar) -> None:
        start = at(2025, 9, 30, 16)
        d = Deadline.of(TimeLimit.working_days(1), start=start, calendar=holiday_cal)
        assert d.due == at(2025, 10, 9, 16)  # National Day week is off
        paused = d.paused(at(2025, 9, 30, 17), at(2025, 10, 9, 9))
        # 17:00-18:00 on the 30th and 08:30-09:00 on the 9th were working time (1.5 hours
        # given back); the holiday week was not.
        assert paused.effective(holiday_cal) == at(2025, 10, 9, 17, 30)

    def test_late_stays_late(self, cal: WorkCalendar) -> None:
        d = Deadline(start=at(2026, 1, 1, 0), due=at(2026, 1, 1, 2))
        assert d.paused(at(2026, 1, 1, 3), at(2026, 1, 1, 10)).effective() == at(2026, 1, 1, 2)
        w = Deadline.of(TimeLimit.working_hours(1), start=FRIDAY_4PM, calendar=cal)
        assert w.paused(at(2026, 11, 30, 9), at(2026, 12, 1, 9)).effective(cal) == w.due

    def test_a_pause_is_clipped_to_the_life_of_the_clock(self) -> None:
        d = Deadline(start=at(2026, 1, 1, 9), due=at(2026, 1, 1, 18))
        early = d.paused(at(2026, 1, 1, 7), at(2026, 1, 1, 10))
        assert tuple(early.pauses) == ((at(2026, 1, 1, 9), at(2026, 1, 1, 10)),)
        again = early.paused(at(2026, 1, 1, 9, 30), at(2026, 1, 1, 11))  # overlaps the first
        assert tuple(again.pauses)[-1] == (at(2026, 1, 1, 10), at(2026, 1, 1, 11))
        assert again.effective() == at(2026, 1, 1, 20)  # two hours given back, not 2.5
        assert d.paused(at(2026, 1, 1, 7), at(2026, 1, 1, 8)) is d  # nothing left of it
        assert again.paused(at(2026, 1, 1, 10), at(2026, 1, 1, 10, 30)) is again

    def test_paused_refuses_bad_moments(self) -> None:
        d = Deadline(start=at(2026, 1, 1, 9), due=at(2026, 1, 1, 18))
        with pytest.raises(InvalidValueError, match="'end' of a pause must not be before"):
            d.paused(at(2026, 1, 1, 11), at(2026, 1, 1, 10))
        with pytest.raises(InvalidValueError, match="'start' must be a timezone-aware"):
            d.paused(datetime(2026, 1, 1, 10), at(2026, 1, 1, 11))
        with pytest.raises(InvalidValueError, match="'end' must be a timezone-aware"):
            d.paused(at(2026, 1, 1, 10), "11:00")  # type: ignore[arg-type]

    def test_pausing_shares_and_never_changes_an_earlier_version(self) -> None:
        d = Deadline(start=at(2026, 1, 1, 0), due=at(2026, 1, 2, 0))
        versions = [d]
        for h in range(1, 20, 2):
            versions.append(versions[-1].paused(at(2026, 1, 1, h), at(2026, 1, 1, h + 1)))
        branch = versions[3].paused(at(2026, 1, 1, 22), at(2026, 1, 1, 23))
        assert [len(v.pauses) for v in versions] == list(range(11))
        assert len(branch.pauses) == 4
        assert tuple(versions[3].pauses) == tuple(versions[10].pauses)[:3]
        assert tuple(branch.pauses)[:3] == tuple(versions[3].pauses)
        assert versions[10].effective() == at(2026, 1, 2, 10)

    def test_equal_by_value_however_the_pauses_were_made(self) -> None:
        d = Deadline(start=at(2026, 1, 1, 0), due=at(2026, 1, 1, 10))
        paused = d.paused(at(2026, 1, 1, 1), at(2026, 1, 1, 2))
        built = Deadline(
            start=d.start, due=d.due, pauses=[(at(2026, 1, 1, 1), at(2026, 1, 1, 2))]
        )
        assert paused == built
        assert hash(paused) == hash(built)
        assert paused != d

    def test_round_trips_with_its_pauses_and_limit(self, cal: WorkCalendar) -> None:
        d = Deadline.of(TimeLimit.working_days(3), start=FRIDAY_4PM, calendar=cal, source="sla:x")
        d = d.paused(at(2026, 11, 30, 9), at(2026, 11, 30, 11))
        data = json.loads(json.dumps(to_dict(d), ensure_ascii=False))
        assert data["pauses"] == [["2026-11-30T09:00:00+08:00", "2026-11-30T11:00:00+08:00"]]
        back = from_dict(data)
        assert back == d
        assert back.effective(cal) == d.effective(cal)
        assert pickle.loads(pickle.dumps(d)) == d


# --------------------------------------------------------------------------- deadline plans


class TestDeadlinePlan:
    def test_the_plans_deadlines_are_the_limits_deadlines(self, holiday_cal: WorkCalendar) -> None:
        limits = [
            TimeLimit.working_hours(4),
            None,
            TimeLimit.natural_hours(24),
            TimeLimit.same_day(),
            TimeLimit.end_of_working_day(),
            TimeLimit.working_days(3),
            TimeLimit(amount=0.5, unit="days", basis="working"),
        ]
        plan = DeadlinePlan(limits, holiday_cal, source="rule:mixed")
        assert plan.limits == tuple(limits)
        for start in (at(2025, 9, 30, 16), at(2025, 10, 3, 12), at(2025, 9, 28, 8, 29),
                      datetime(2025, 9, 30, 8, tzinfo=UTC)):
            got = plan.deadlines(start)
            assert got == tuple(
                None if lim is None
                else Deadline.of(lim, start=start, calendar=holiday_cal, source="rule:mixed")
                for lim in limits
            )

    def test_the_common_two_working_limits(self, cal: WorkCalendar) -> None:
        plan = DeadlinePlan([TimeLimit.working_hours(4), TimeLimit.working_days(5)], cal,
                            source="rule:facility")
        accept, resolve = plan.deadlines(FRIDAY_4PM)
        assert accept is not None and resolve is not None
        assert (accept.due, resolve.due) == (at(2026, 11, 30, 10, 30), at(2026, 12, 4, 16))
        assert accept.basis == resolve.basis == "working"
        assert accept.source == resolve.source == "rule:facility"
        assert tuple(accept.pauses) == ()

    def test_a_plan_of_no_limits(self, cal: WorkCalendar) -> None:
        assert DeadlinePlan([None, None], cal).deadlines(FRIDAY_4PM) == (None, None)
        assert DeadlinePlan([], cal).deadlines(FRIDAY_4PM) == ()

    def test_a_plan_without_limits_still_checks_its_start(self, cal: WorkCalendar) -> None:
        # "Raises: InvalidValueError: for a naive start" holds for every plan, or callers
        # learn of a naive moment only once a rule sets a limit.
        with pytest.raises(InvalidValueError, match="'start' must be a timezone-aware"):
            DeadlinePlan([None, None], cal).deadlines(datetime(2026, 1, 1, 9))

    @pytest.mark.parametrize(
        ("limits", "message"),
        [
            ("4h", "'limits' must be a collection"),
            ([TimeLimit.same_day(), "3 days"], "'limits' must be a collection of TimeLimit values"),
            (TimeLimit.same_day(), "'limits' must be a collection"),
        ],
    )
    def test_bad_limits_are_refused(
        self, cal: WorkCalendar, limits: object, message: str
    ) -> None:
        with pytest.raises(InvalidValueError, match=re.escape(message)):
            DeadlinePlan(limits, cal)  # type: ignore[arg-type]

    def test_bad_calendar_and_source_are_refused(self, cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
            DeadlinePlan([None], "office")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'source' must be text"):
            DeadlinePlan([None], cal, source=None)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "bad",
        [datetime(2026, 11, 27, 16), date(2026, 11, 27), "2026-11-27T16:00+08:00",
         at(2201, 1, 2), at(1700, 1, 1)],
    )
    def test_bad_starts_are_refused(self, cal: WorkCalendar, bad: object) -> None:
        for limits in ([TimeLimit.natural_hours(1)], [TimeLimit.working_days(1)],
                       [TimeLimit.working_days(1), TimeLimit.working_hours(2)],
                       [TimeLimit.same_day()]):
            with pytest.raises(InvalidValueError, match="'start' must be"):
                DeadlinePlan(limits, cal).deadlines(bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "start",
        [
            # Valid moments in their own zones whose day in the calendar's zone (UTC+8) is
            # outside the years, or whose deadlines fall outside them.
            datetime(1799, 12, 31, 20, tzinfo=UTC),
            datetime(2200, 12, 31, 23, tzinfo=UTC),
            datetime(2200, 12, 31, 20, tzinfo=CST),
            datetime(1800, 1, 1, 0, tzinfo=CST),
        ],
    )
    def test_a_plan_agrees_with_deadline_of_at_the_edges_of_the_years(
        self, cal: WorkCalendar, start: datetime
    ) -> None:
        """A plan is Deadline.of done fast: where Deadline.of refuses a start (or the due
        moment it leads to), so must the plan, instead of building Deadline values its own
        door refuses (and that cannot be read back); elsewhere they agree."""
        for limits in (
            [TimeLimit.natural_hours(1)],
            [TimeLimit.working_days(1), TimeLimit.working_hours(2)],
            [TimeLimit.natural_hours(1), TimeLimit.working_days(1)],
        ):
            try:
                expected = tuple(Deadline.of(lim, start=start, calendar=cal) for lim in limits)
            except InvalidValueError:
                with pytest.raises(InvalidValueError):
                    DeadlinePlan(limits, cal).deadlines(start)
            else:
                assert DeadlinePlan(limits, cal).deadlines(start) == expected


    def test_a_plan_is_immutable(self, cal: WorkCalendar) -> None:
        plan = DeadlinePlan([TimeLimit.same_day()], cal)
        with pytest.raises(AttributeError, match="DeadlinePlan is immutable"):
            plan._source = "x"  # type: ignore[misc]
        assert repr(plan) == f"DeadlinePlan([{TimeLimit.same_day().describe()!r}])"


class TestDeadlinePlanner:
    def test_a_planner_gives_the_same_answers(self, holiday_cal: WorkCalendar) -> None:
        plan = DeadlinePlan([TimeLimit.working_hours(4), TimeLimit.working_days(13)], holiday_cal)
        planner = DeadlinePlanner(holiday_cal, size=100)
        assert len(planner) == 0
        starts = [at(2025, 9, 25, 8) + timedelta(minutes=37 * i) for i in range(500)]
        for start in starts + starts[::-1]:
            assert plan.deadlines(start, planner) == plan.deadlines(start)
        assert 0 < len(planner) <= 300
        assert repr(planner).startswith("DeadlinePlanner(")

    def test_a_planner_keeps_at_most_its_size_of_each_kind(self, cal: WorkCalendar) -> None:
        plan = DeadlinePlan([TimeLimit.working_days(30), TimeLimit.working_hours(3)], cal)
        planner = DeadlinePlanner(cal, size=2)
        day = at(2026, 1, 1, 7)
        for i in range(2000):  # starts over five years, in and out of working hours
            start = day + timedelta(hours=23 * i)
            assert plan.deadlines(start, planner) == plan.deadlines(start)
            assert len(planner) <= 6

    def test_an_equal_calendar_is_the_same_calendar(self, cal: WorkCalendar) -> None:
        plan = DeadlinePlan([TimeLimit.working_hours(4)], cal)
        planner = DeadlinePlanner(WorkCalendar(), size=10)
        assert plan.deadlines(FRIDAY_4PM, planner) == plan.deadlines(FRIDAY_4PM)

    def test_a_planner_on_another_calendar_is_refused(
        self, cal: WorkCalendar, holiday_cal: WorkCalendar
    ) -> None:
        plan = DeadlinePlan([TimeLimit.working_hours(4)], cal)
        with pytest.raises(PolicyError, match="'planner' must be on the plan's calendar"):
            plan.deadlines(FRIDAY_4PM, DeadlinePlanner(holiday_cal))

    @pytest.mark.parametrize("size", [0, -1, True, 1.5, 10_000_001, "10"])
    def test_bad_sizes_are_refused(self, cal: WorkCalendar, size: object) -> None:
        with pytest.raises(InvalidValueError, match="'size' must be an integer from 1 to"):
            DeadlinePlanner(cal, size=size)  # type: ignore[arg-type]

    def test_a_planner_needs_a_calendar_and_is_not_a_value(self, cal: WorkCalendar) -> None:
        with pytest.raises(InvalidValueError, match="'calendar' must be a WorkCalendar"):
            DeadlinePlanner("office")  # type: ignore[arg-type]
        with pytest.raises(SerializationError):
            to_dict(DeadlinePlanner(cal))  # type: ignore[arg-type]


class _Moment(datetime):
    """A datetime that can be watched with a weak reference."""


def test_a_paused_deadline_leaves_nothing_behind_in_module_state(cal: WorkCalendar) -> None:
    """Deadlines a plan sets share one empty pause sequence; pausing one must not store its
    pauses in that shared, module-level sequence (a module-global that fills as the library
    is used, and keeps a case's data alive for as long as the process runs)."""
    plan = DeadlinePlan([TimeLimit.working_days(3)], cal)
    (d,) = plan.deadlines(FRIDAY_4PM)
    assert d is not None
    begin = _Moment(2026, 11, 27, 17, tzinfo=CST)
    watched = weakref.ref(begin)
    paused = d.paused(begin, at(2026, 11, 30, 9))
    assert paused.effective(cal) > d.due
    del d, paused, begin
    gc.collect()
    assert watched() is None, "the pause is still held after every deadline holding it is gone"
