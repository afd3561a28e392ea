"""Unit tests for gridgov.visits: frequencies, rules, policies, records, the sweep, plans."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule

from gridgov import (
    CST,
    Condition,
    GridGraph,
    GridUnit,
    InvalidValueError,
    Member,
    PolicyError,
    Post,
    Resident,
    Role,
    SerializationError,
    UnknownPlaceError,
    UnknownResidentError,
    from_dict,
    to_dict,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    DueVisit,
    Frequency,
    FrequencyUnit,
    MajorChange,
    VisitColour,
    VisitLog,
    VisitMode,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    VisitWindow,
    _new_due_visit,
    check_records,
    coverage,
    due_visits,
    missed_visit_escalations,
    next_due,
    plan_visits,
)

D = date


def rec(
    resident: str, day: date, *, mode: VisitMode = VisitMode.IN_PERSON, n: int = 0
) -> VisitRecord:
    return VisitRecord(
        id=f"v-{resident}-{day.isoformat()}-{n}",
        resident=resident,
        member="m-li",
        at=datetime(day.year, day.month, day.day, 10, tzinfo=CST),
        mode=mode,
    )


BORN = D(1950, 6, 1)
OPENED = D(2020, 1, 1)


def elder(
    rid: str = "r1", *, born: date = BORN, conditions=(), opened: date | None = OPENED, tags=()
) -> Resident:
    return Resident(
        id=rid,
        name="居民",
        household="h-0001",
        birth_date=born,
        conditions=conditions,
        file_opened=opened,
        tags=tags,
    )


def rule(rid: str = "x", freq: Frequency | None = None, **kw) -> VisitRule:
    return VisitRule(
        id=rid,
        frequency=freq or Frequency.monthly(),
        colour=kw.pop("colour", VisitColour.GREEN),
        reason=kw.pop("reason", "测试"),
        **kw,
    )


def policy(*rules: VisitRule, **kw) -> VisitPolicy:
    return VisitPolicy(rules=rules, **kw)


@pytest.fixture(scope="module")
def lu() -> Resident:
    return next(r for r in sample_residents() if r.id == "r-lu")


# --------------------------------------------------------------------------- frequencies


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

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Frequency.every_days(0), "'every' of Frequency must be at least 1 (got 0)."),
            (
                lambda: Frequency.every_weeks(-2),
                "'every' of Frequency must be at least 1 (got -2).",
            ),
            (lambda: Frequency.monthly(0), "'every' of Frequency must be at least 1 (got 0)."),
            (
                lambda: Frequency(unit=FrequencyUnit.DAY, every=True),
                "'every' of Frequency must be an integer (got True).",
            ),
            (
                lambda: Frequency.daily(grace_days=-1),
                "'grace_days' of Frequency must be at least 0 (got -1).",
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


class TestVisitWindow:
    def test_valid(self):
        w = VisitWindow(earliest=D(2026, 1, 1), due=D(2026, 1, 5), latest=D(2026, 1, 7))
        assert D(2026, 1, 7) in w
        assert D(2026, 1, 8) not in w
        assert "x" not in w

    def test_latest_before_earliest(self):
        with pytest.raises(InvalidValueError) as info:
            VisitWindow(earliest=D(2026, 1, 5), due=D(2026, 1, 5), latest=D(2026, 1, 1))
        assert str(info.value) == (
            "'latest' of VisitWindow must not be before its due day 2026-01-05 (got 2026-01-01)."
        )
        with pytest.raises(InvalidValueError, match="'due' of VisitWindow must not be before"):
            VisitWindow(earliest=D(2026, 1, 5), due=D(2026, 1, 4), latest=D(2026, 1, 9))


# --------------------------------------------------------------------------- rules and policies


class TestVisitRule:
    @pytest.mark.parametrize(
        ("kw", "message"),
        [
            ({"min_age": -1}, "'min_age' of VisitRule 'x' must be at least 0 (got -1)."),
            ({"max_age": 151}, "'max_age' of VisitRule 'x' must be at most 150 (got 151)."),
            ({"min_age": 80, "max_age": 60}, "'max_age' of VisitRule 'x' must be at least"),
            ({"min_age": 60.0}, "'min_age' of VisitRule 'x' must be an integer (got 60.0)."),
            ({"modes": ()}, "'modes' of VisitRule 'x' must name at least one visit mode."),
            ({"modes": {"phone"}}, "'modes' of VisitRule must hold VisitMode values"),
            ({"conditions_all": {"Living Alone"}}, "'conditions_all' of VisitRule must be"),
            ({"reason": " "}, "'reason' of VisitRule must be a non-empty string"),
        ],
    )
    def test_validation(self, kw, message):
        with pytest.raises(InvalidValueError) as info:
            rule(**kw)
        assert str(info.value).startswith(message)

    def test_bad_id(self):
        with pytest.raises(InvalidValueError, match="'id' of VisitRule must be a lower-case code"):
            rule("High Risk")

    def test_age_band_on_birthdays(self):
        r = rule(min_age=60, max_age=79)
        p = elder(born=D(1960, 2, 29), opened=None)
        assert not r.matches(p, D(2020, 2, 28))
        assert r.matches(p, D(2020, 2, 29))  # a leap year: the birthday itself
        assert r.matches(p, D(2040, 2, 28))
        assert not r.matches(p, D(2040, 2, 29))  # 80 on that day
        r61 = rule(min_age=61)
        assert not r61.matches(p, D(2021, 2, 28))  # common year: 29 February counts on 1 March
        assert r61.matches(p, D(2021, 3, 1))

    def test_conditions_tags_and_file(self):
        r = rule(
            conditions_all={"living_alone"},
            conditions_any={"dementia", "disabled"},
            tags_any={"party_member"},
        )
        p = elder(
            conditions=[
                Condition(kind="living_alone"),
                Condition(kind="dementia", start=D(2026, 3, 1), end=D(2026, 4, 1)),
            ],
            tags={"party_member"},
            opened=D(2026, 3, 10),
        )
        assert not r.matches(p, D(2026, 3, 9))  # file not open yet
        assert r.matches(p, D(2026, 3, 31))
        assert not r.matches(p, D(2026, 4, 1))  # dementia window ended
        assert not rule(tags_all={"youth"}).matches(p, D(2026, 3, 31))
        assert not rule().matches(elder(born=D(2030, 1, 1), opened=None), D(2026, 1, 1))

    def test_criteria_text(self):
        assert rule().criteria() == "every resident with an open file"
        assert rule(max_age=17, tags_all={"youth"}, tags_any={"child"}).criteria() == (
            "age ≤ 17; tags youth; any tag of child"
        )
        assert rule(min_age=60, max_age=79).criteria() == "age 60–79"
        assert DEFAULT_POLICY.rule("discharged_alone").criteria() == (
            "age ≥ 60; all of 刚出院 recently discharged; any of 独居 living alone, "
            "孤寡 no family support"
        )


class TestVisitPolicy:
    def test_needs_rules(self):
        with pytest.raises(PolicyError, match="must hold at least one VisitRule"):
            VisitPolicy(rules=())

    def test_unique_ids(self):
        with pytest.raises(PolicyError) as info:
            policy(rule("a"), rule("a", Frequency.daily()), name="p")
        assert str(info.value) == (
            "rule id 'a' is used by more than one rule of VisitPolicy 'p'; rule ids must be unique."
        )

    def test_rules_must_be_rules(self):
        with pytest.raises(PolicyError, match="must hold VisitRule values"):
            VisitPolicy(rules=["general"])  # type: ignore[list-item]

    def test_major_change_days(self):
        with pytest.raises(
            PolicyError, match="'major_change_days' of VisitPolicy must be at least 0"
        ):
            policy(rule(), major_change_days=-1)
        with pytest.raises(PolicyError, match="must be an integer"):
            policy(rule(), major_change_days=1.5)  # type: ignore[arg-type]

    def test_unknown_rule(self):
        with pytest.raises(PolicyError, match="policy 'default' has no rule 'nope'"):
            DEFAULT_POLICY.rule("nope")

    def test_strictness_ties_keep_policy_order(self):
        p = policy(
            rule("b", Frequency.weekly()),
            rule("a", Frequency.weekly()),
            rule("c", Frequency.daily()),
        )
        assert [r.id for r in p.by_strictness()] == ["c", "b", "a"]

    def test_requirement(self, lu):
        assert DEFAULT_POLICY.requirement(elder(born=D(1990, 1, 1)), on=D(2026, 1, 1)) is None
        req = DEFAULT_POLICY.requirement(lu, on=D(2026, 11, 20))
        assert req is not None
        assert req.rule.id == "injured_alone"
        assert req.colour is VisitColour.RED
        assert [r.id for r in req.also] == ["general"]
        assert [c.kind for c in req.because] == ["living_alone", "injured"]
        assert "受伤（至2026-12-17）" in req.reason
        assert "injured (through 2026-12-17)" in req.reason

    def test_default_policy_is_the_documented_table(self):
        table = [
            (r.id, r.colour.value, r.frequency.label, r.frequency.grace_days, r.min_age)
            for r in DEFAULT_POLICY.rules
        ]
        assert table == [
            ("discharged_alone", "red", "daily", 0, 60),
            ("high_risk_alone", "red", "weekly", 1, 80),
            ("high_risk_ill", "red", "weekly", 1, 60),
            ("injured_alone", "red", "weekly", 1, 60),
            ("key", "yellow", "monthly", 3, 60),
            ("general", "green", "quarterly", 7, 60),
        ]
        assert DEFAULT_POLICY.rule("discharged_alone").modes == {VisitMode.IN_PERSON}
        assert DEFAULT_POLICY.major_change_days == 1


# --------------------------------------------------------------------------- records


class TestVisitRecord:
    def test_day_in_its_own_offset(self):
        v = VisitRecord(
            id="v", resident="r", member="m", at=datetime(2026, 1, 1, 23, 30, tzinfo=CST)
        )
        assert v.day == D(2026, 1, 1)
        assert v.mode is VisitMode.IN_PERSON
        assert v.issue_id is None

    def test_validation(self):
        with pytest.raises(InvalidValueError, match="'at' must be a timezone-aware datetime"):
            VisitRecord(id="v", resident="r", member="m", at=datetime(2026, 1, 1))
        with pytest.raises(
            InvalidValueError, match="'issue_id' of VisitRecord must be a non-empty"
        ):
            VisitRecord(
                id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST), issue_id=""
            )
        with pytest.raises(InvalidValueError, match="'mode' of VisitRecord must be a VisitMode"):
            VisitRecord(
                id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST), mode="phone"
            )

    def test_check_records(self):
        files = [elder("r1", opened=D(2026, 1, 10)), elder("r2", opened=None)]
        check_records(files, [rec("r1", D(2026, 1, 10)), rec("r2", D(1999, 1, 1))])
        with pytest.raises(InvalidValueError) as info:
            check_records(files, [rec("r1", D(2026, 1, 9))])
        assert str(info.value) == (
            "'at' of VisitRecord 'v-r1-2026-01-09-0' must not be before resident 'r1''s file "
            "was opened on 2026-01-10 (got 2026-01-09)."
        )
        with pytest.raises(
            UnknownResidentError, match="must name a resident with a file \\(got 'r9'\\)"
        ):
            check_records(files, [rec("r9", D(2026, 1, 9))])


# --------------------------------------------------------------------------- the due sweep

MONTHLY_60 = policy(rule("m", Frequency.monthly(grace_days=3), min_age=60))


def sweep(files, records, pol, on, **kw):
    return {i.resident: i for i in due_visits(files, records, pol, on=on, **kw)}


class TestDue:
    def test_never_visited_is_due_from_the_start_of_the_requirement(self):
        files = [
            elder("old", born=D(1950, 1, 1), opened=D(2020, 5, 1)),
            elder("new", born=D(1966, 3, 1), opened=D(2020, 5, 1)),  # turns 60 on 2026-03-01
            elder("young", born=D(1970, 1, 1)),
            elder("unopened", opened=D(2027, 1, 1)),
            elder("nofile", born=D(1950, 1, 1), opened=None),
        ]
        got = sweep(files, [], MONTHLY_60, D(2026, 3, 1))
        assert sorted(got) == ["new", "nofile", "old"]
        assert got["old"].due == D(2020, 5, 1)
        assert got["old"].missed
        assert got["new"].due == D(2026, 3, 1)
        assert got["new"].days_overdue == 0
        assert not got["new"].missed
        assert got["new"].last_visit is None
        assert got["nofile"].due == D(2010, 1, 1)  # the 60th birthday: the file has no date
        assert "new" not in sweep(files, [], MONTHLY_60, D(2026, 2, 28))

    def test_monthly_due_date_and_window(self):
        files = [elder()]
        visits = [rec("r1", D(2026, 1, 31)), rec("r1", D(2025, 12, 1))]
        assert sweep(files, visits, MONTHLY_60, D(2026, 2, 27)) == {}
        item = sweep(files, visits, MONTHLY_60, D(2026, 2, 28))["r1"]
        assert (item.earliest, item.due, item.latest) == (
            D(2026, 2, 1),
            D(2026, 2, 28),
            D(2026, 3, 3),
        )
        assert item.window == VisitWindow(
            earliest=D(2026, 2, 1), due=D(2026, 2, 28), latest=D(2026, 3, 3)
        )
        assert item.last_visit == D(2026, 1, 31)
        assert item.rule is not None
        assert item.rule.id == "m"
        assert not sweep(files, visits, MONTHLY_60, D(2026, 3, 3))["r1"].missed
        late = sweep(files, visits, MONTHLY_60, D(2026, 3, 4))["r1"]
        assert late.missed
        assert late.days_overdue == 4
        assert late.is_due

    def test_records_after_the_day_are_ignored(self):
        files = [elder()]
        visits = [rec("r1", D(2026, 1, 1)), rec("r1", D(2026, 3, 1))]
        assert sweep(files, visits, MONTHLY_60, D(2026, 2, 2))["r1"].due == D(2026, 2, 1)

    def test_a_visit_on_the_day_means_not_due(self):
        files = [elder()]
        assert sweep(files, [rec("r1", D(2026, 2, 1))], MONTHLY_60, D(2026, 2, 1)) == {}

    def test_modes(self):
        pol = policy(
            rule("daily", Frequency.daily(), modes={VisitMode.IN_PERSON}),
            rule("q", Frequency.quarterly()),
        )
        files = [elder()]
        phone = [rec("r1", D(2026, 5, 1), mode=VisitMode.PHONE), rec("r1", D(2026, 4, 1))]
        item = sweep(files, phone, pol, D(2026, 5, 1))["r1"]
        assert item.rule is not None
        assert item.rule.id == "daily"
        assert item.due == D(2026, 4, 2)
        assert item.last_visit == D(2026, 4, 1)
        assert item.matched == ("daily", "q")
        video_ok = policy(
            rule("d", Frequency.daily(), modes={VisitMode.IN_PERSON, VisitMode.VIDEO})
        )
        visits = [
            rec("r1", D(2026, 5, 1), mode=VisitMode.VIDEO),
            rec("r1", D(2026, 5, 2), mode=VisitMode.PHONE),
        ]
        assert sweep(files, visits, video_ok, D(2026, 5, 2))["r1"].due == D(2026, 5, 2)
        assert sweep(files, visits, video_ok, D(2026, 5, 1)) == {}

    def test_temporary_condition_raises_frequency_from_its_start_and_falls_back(self):
        pol = policy(
            rule(
                "daily",
                Frequency.daily(),
                conditions_all={"recently_discharged"},
                colour=VisitColour.RED,
            ),
            rule("q", Frequency.quarterly(grace_days=7)),
        )
        p = elder(
            conditions=[
                Condition(kind="recently_discharged", start=D(2026, 5, 10), end=D(2026, 5, 20))
            ]
        )
        visits = [rec("r1", D(2026, 4, 1))]
        assert sweep([p], visits, pol, D(2026, 5, 9)) == {}
        item = sweep([p], visits, pol, D(2026, 5, 10))["r1"]
        assert item.due == D(2026, 5, 10)
        assert item.days_overdue == 0
        assert item.earliest == D(2026, 5, 10)
        daily = visits + [rec("r1", D(2026, 5, 10) + timedelta(days=i)) for i in range(10)]
        assert sweep([p], daily, pol, D(2026, 5, 19)) == {}
        assert sweep([p], daily, pol, D(2026, 5, 20)) == {}  # ended: quarterly again
        assert next_due(p, daily, pol, on=D(2026, 5, 20)).due == D(2026, 8, 19)  # type: ignore[union-attr]

    def test_an_overdue_lax_rule_is_not_forgiven_by_a_stricter_one(self):
        pol = policy(
            rule("daily", Frequency.daily(), conditions_all={"injured"}),
            rule("q", Frequency.quarterly()),
        )
        p = elder(conditions=[Condition(kind="injured", start=D(2026, 5, 10))])
        item = sweep([p], [rec("r1", D(2026, 1, 1))], pol, D(2026, 5, 10))["r1"]
        assert item.due == D(2026, 4, 1)
        assert item.rule is not None
        assert item.rule.id == "q"
        req = pol.requirement(p, on=D(2026, 5, 10))
        assert req is not None
        assert req.rule.id == "daily"

    def test_stretch_of_any_of_conditions_spans_adjacent_windows(self):
        pol = policy(
            rule("w", Frequency.weekly(), conditions_any={"injured", "recently_discharged"})
        )
        p = elder(
            conditions=[
                Condition(kind="injured", start=D(2026, 5, 1), end=D(2026, 5, 10)),
                Condition(kind="recently_discharged", start=D(2026, 5, 10), end=D(2026, 6, 1)),
            ]
        )
        item = sweep([p], [rec("r1", D(2026, 1, 1))], pol, D(2026, 5, 20))["r1"]
        assert item.due == D(2026, 5, 1)
        gap = elder(
            conditions=[
                Condition(kind="injured", start=D(2026, 5, 1), end=D(2026, 5, 9)),
                Condition(kind="recently_discharged", start=D(2026, 5, 10), end=D(2026, 6, 1)),
            ]
        )
        assert sweep([gap], [rec("r1", D(2026, 1, 1))], pol, D(2026, 5, 20))["r1"].due == D(
            2026, 5, 10
        )

    def test_all_of_stretch_is_the_latest_start(self):
        pol = policy(
            rule("w", Frequency.weekly(), conditions_all={"injured", "living_alone"}, min_age=70)
        )
        p = elder(
            born=D(1956, 5, 3),  # 70 on 2026-05-03
            conditions=[
                Condition(kind="living_alone", start=D(2026, 5, 5)),
                Condition(kind="injured", start=D(2026, 4, 1)),
            ],
        )
        assert sweep([p], [], pol, D(2026, 5, 20))["r1"].due == D(2026, 5, 5)
        assert sweep([p], [rec("r1", D(2026, 5, 6))], pol, D(2026, 5, 13))["r1"].due == D(
            2026, 5, 13
        )

    def test_max_age_and_tags(self):
        pol = policy(rule("kids", Frequency.monthly(), max_age=17, tags_all={"left_behind_child"}))
        kid = elder("k", born=D(2015, 1, 1), tags={"left_behind_child"}, opened=D(2025, 1, 1))
        other = elder("o", born=D(2015, 1, 1), opened=D(2025, 1, 1))
        got = sweep([kid, other], [], pol, D(2026, 1, 1))
        assert list(got) == ["k"]
        assert sweep([kid], [], pol, D(2033, 1, 1)) == {}

    def test_weekday_rule(self):
        pol = policy(rule("mon", Frequency.weekly([0])))
        files = [elder()]
        thursday = D(2026, 11, 26)
        visits = [rec("r1", thursday)]
        assert next_due(files[0], visits, pol, on=thursday).due == D(2026, 12, 7)  # type: ignore[union-attr]
        assert sweep(files, visits, pol, D(2026, 12, 6)) == {}
        item = sweep(files, visits, pol, D(2026, 12, 7))["r1"]
        assert item.earliest == D(2026, 12, 1)
        assert item.due == D(2026, 12, 7)

    def test_rrule_rule(self):
        f = Frequency.from_rrule(rrule(MONTHLY, bymonthday=15, dtstart=datetime(2026, 1, 15)))
        pol = policy(rule("fifteenth", f))
        files = [elder()]
        assert sweep(files, [rec("r1", D(2026, 3, 10))], pol, D(2026, 4, 14)) == {}
        item = sweep(files, [rec("r1", D(2026, 3, 10))], pol, D(2026, 4, 15))["r1"]
        assert (item.earliest, item.due) == (D(2026, 3, 16), D(2026, 4, 15))
        finite = policy(
            rule("once", Frequency.from_rrule("DTSTART:20260101T000000\nRRULE:FREQ=DAILY;COUNT=1"))
        )
        assert sweep(files, [rec("r1", D(2026, 1, 1))], finite, D(2026, 5, 1)) == {}
        assert next_due(files[0], [rec("r1", D(2026, 1, 1))], finite, on=D(2026, 5, 1)) is None

    def test_major_change(self):
        files = [elder(), elder("r2", born=D(1990, 1, 1))]
        visits = [rec("r1", D(2026, 5, 1))]
        changes = [
            MajorChange(resident="r1", on=D(2026, 5, 10), what="丧偶 bereavement"),
            MajorChange(resident="r2", on=D(2026, 5, 10)),
        ]
        item = sweep(files, visits, MONTHLY_60, D(2026, 5, 10), major_changes=changes)["r1"]
        assert item.rule is None
        assert item.change == changes[0]
        assert (item.earliest, item.due, item.latest) == (
            D(2026, 5, 10),
            D(2026, 5, 10),
            D(2026, 5, 11),
        )
        assert "重大变故（丧偶 bereavement）" in item.reason
        assert "within 24 hours" in item.reason
        assert sweep(files, visits, MONTHLY_60, D(2026, 5, 12), major_changes=changes)["r1"].missed
        done = [*visits, rec("r1", D(2026, 5, 11), mode=VisitMode.PHONE)]
        assert sweep(files, done, MONTHLY_60, D(2026, 5, 12), major_changes=changes) == {}
        assert sweep(files, visits, MONTHLY_60, D(2026, 5, 9), major_changes=changes) == {}
        as_map = sweep(
            files, visits, MONTHLY_60, D(2026, 5, 10), major_changes={"r1": D(2026, 5, 10)}
        )
        assert as_map["r1"].change == MajorChange(resident="r1", on=D(2026, 5, 10))
        with pytest.raises(InvalidValueError, match="'major_changes' must be MajorChange values"):
            list(
                due_visits(
                    files, [], MONTHLY_60, on=D(2026, 5, 10), major_changes=[("r1", D(2026, 5, 10))]
                )
            )  # type: ignore[list-item]

    def test_record_before_file_is_an_error(self):
        files = [elder(opened=D(2026, 1, 10))]
        with pytest.raises(
            InvalidValueError,
            match="must not be before resident 'r1''s file was opened on 2026-01-10",
        ):
            list(due_visits(files, [rec("r1", D(2026, 1, 9))], MONTHLY_60, on=D(2026, 5, 1)))
        with pytest.raises(InvalidValueError, match="'at' of VisitRecord 'v-r1-2026-01-09-0'"):
            next_due(files[0], [rec("r1", D(2026, 1, 9))], MONTHLY_60, on=D(2026, 5, 1))

    def test_check_mode_finds_unknown_residents(self):
        files = [elder(born=D(1990, 1, 1))]
        got = list(due_visits(files, [rec("r9", D(2026, 1, 1))], MONTHLY_60, on=D(2026, 5, 1)))
        assert got == []
        with pytest.raises(
            UnknownResidentError,
            match="'resident' of VisitRecord 'v-r9-2026-01-01-0' must name a resident",
        ):
            list(
                due_visits(
                    files, [rec("r9", D(2026, 1, 1))], MONTHLY_60, on=D(2026, 5, 1), check=True
                )
            )
        young = [elder(born=D(1990, 1, 1), opened=D(2026, 1, 10))]
        with pytest.raises(InvalidValueError, match="file was opened on 2026-01-10"):
            list(
                due_visits(
                    young, [rec("r1", D(2026, 1, 1))], MONTHLY_60, on=D(2026, 5, 1), check=True
                )
            )

    def test_bad_arguments(self):
        with pytest.raises(InvalidValueError, match="'on' must be a date"):
            due_visits([], [], MONTHLY_60, on=datetime(2026, 1, 1, tzinfo=CST))  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'policy' must be a VisitPolicy"):
            due_visits([], [], [rule()], on=D(2026, 1, 1))  # type: ignore[arg-type]

    def test_streams(self):
        def files():
            yield elder("a")
            yield elder("b")
            raise AssertionError("the sweep must stop when asked")

        it = due_visits(files(), [], MONTHLY_60, on=D(2026, 1, 1))
        assert next(it).resident == "a"

    def test_next_due_in_the_future_and_none(self, lu):
        item = next_due(lu, [rec("r-lu", D(2027, 1, 10))], DEFAULT_POLICY, on=D(2027, 1, 10))
        assert item is not None
        assert not item.is_due
        assert item.days_overdue == 0
        assert item.due == D(2027, 4, 10)
        assert item.rule is not None
        assert item.rule.id == "general"
        assert next_due(elder(born=D(1990, 1, 1)), [], DEFAULT_POLICY, on=D(2027, 1, 1)) is None

    def test_sweep_agrees_with_next_due_on_the_sample(self):
        files = sample_residents()
        visits = [
            rec(r.id, D(2026, 8, 1) + timedelta(days=i % 90), n=i) for i, r in enumerate(files)
        ]
        for day in (D(2026, 11, 1), D(2026, 11, 25), D(2026, 12, 30)):
            got = sweep(files, visits, DEFAULT_POLICY, day)
            for r in files:
                one = next_due(r, visits, DEFAULT_POLICY, on=day)
                if one is not None and one.is_due:
                    assert got[r.id] == one
                else:
                    assert r.id not in got

    def test_fast_constructor_matches_attrs(self):
        kw = {
            "resident": "r",
            "household": "h",
            "on": D(2026, 1, 2),
            "due": D(2026, 1, 1),
            "earliest": D(2026, 1, 1),
            "latest": D(2026, 1, 1),
            "last_visit": None,
            "rule": None,
            "change": None,
            "matched": ("a",),
        }
        fast = _new_due_visit(*kw.values())
        assert fast == DueVisit(**kw)
        assert hash(fast) == hash(DueVisit(**kw))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            fast.due = D(2026, 1, 5)  # type: ignore[misc]


# --------------------------------------------------------------------------- escalation


class TestEscalation:
    def test_missed_visit_goes_to_the_grid_leader(self, lu):
        grid = sample_grid()
        item = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 28))
        assert item is not None
        assert item.missed
        (esc,) = missed_visit_escalations([item], grid)
        assert (esc.micro_grid, esc.unit, esc.leader, esc.rule) == (
            "mg31",
            "g3",
            "m-g3",
            "discharged_alone",
        )
        assert esc.days_overdue == 2
        assert esc.due == D(2026, 11, 26)
        assert "上报第三网格（彭雪丽）" in esc.reason
        assert "escalated to 第三网格 (彭雪丽)" in esc.reason

    def test_only_missed_ones_and_vacant_leaders(self, lu):
        grid = sample_grid().with_team(
            version="x", members=[m for m in sample_grid().members if m.id != "m-g3"]
        )
        due_today = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 26))
        late = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 27))
        out = list(missed_visit_escalations([due_today, late], grid))  # type: ignore[list-item]
        assert len(out) == 1
        assert out[0].leader is None
        assert "负责人空缺" in out[0].reason

    def test_unknown_household(self):
        item = next_due(
            attrs.evolve(elder(), household="nowhere"), [], MONTHLY_60, on=D(2026, 1, 1)
        )
        with pytest.raises(UnknownPlaceError):
            list(missed_visit_escalations([item], sample_grid()))  # type: ignore[list-item]


# --------------------------------------------------------------------------- plans


def small_grid(members: int) -> GridGraph:
    team = [
        Member(id=f"m{i}", name=f"网格员{i}", posts=[Post(role=Role.GRID_WORKER, unit="mg1")])
        for i in range(members)
    ]
    return GridGraph(
        version="t",
        units=[
            GridUnit(id="c", name="社区", tier="community"),
            GridUnit(id="g", name="网格", tier="grid", parent="c"),
            GridUnit(id="mg1", name="一号楼", tier="micro_grid", parent="g"),
            GridUnit(id="mg2", name="二号楼", tier="micro_grid", parent="g"),
        ],
        places={"h1": "mg1", "h2": "mg2"},
        members=team,
    )


def resident_in(rid: str, household: str, **kw) -> Resident:
    return attrs.evolve(elder(rid, **kw), household=household)


class TestPlan:
    def test_balances_load_and_respects_capacity(self):
        files = [resident_in(f"r{i}", "h1") for i in range(5)]
        plan = plan_visits(
            files,
            [],
            MONTHLY_60,
            small_grid(2),
            start=D(2026, 1, 1),
            end=D(2026, 1, 3),
            capacity_per_member=2,
        )
        assert [(v.day.day, v.resident, v.member) for v in plan.visits] == [
            (1, "r0", "m0"),
            (1, "r1", "m1"),
            (1, "r2", "m0"),
            (1, "r3", "m1"),
            (2, "r4", "m0"),
        ]
        assert [(s.day.day, s.resident) for s in plan.shortfalls] == [(1, "r4")]
        assert plan.shortfalls[0].reason == (
            "every member posted in mg1 (2) is at capacity (2 visits) on 2026-01-01"
        )
        assert plan.load("m0") == 3
        assert plan.load("m1", D(2026, 1, 1)) == 2
        assert [v.resident for v in plan.on(D(2026, 1, 2))] == ["r4"]

    def test_no_member_posted(self):
        plan = plan_visits(
            [resident_in("r", "h2")],
            [],
            MONTHLY_60,
            small_grid(1),
            start=D(2026, 1, 1),
            end=D(2026, 1, 2),
            capacity_per_member=5,
        )
        assert plan.visits == ()
        assert [(s.day.day, s.unit, s.reason) for s in plan.shortfalls] == [
            (1, "mg2", "no member is posted in mg2"),
            (2, "mg2", "no member is posted in mg2"),
        ]

    def test_red_before_green(self):
        pol = policy(
            rule("daily", Frequency.daily(), conditions_all={"injured"}, colour=VisitColour.RED),
            rule("m", Frequency.monthly()),
        )
        files = [
            resident_in("a", "h1", opened=D(2020, 1, 1)),
            resident_in("z", "h1", conditions=[Condition(kind="injured")], opened=D(2025, 12, 31)),
        ]
        plan = plan_visits(
            files,
            [],
            pol,
            small_grid(1),
            start=D(2026, 1, 1),
            end=D(2026, 1, 1),
            capacity_per_member=1,
        )
        assert [v.resident for v in plan.visits] == ["z"]
        assert [s.resident for s in plan.shortfalls] == ["a"]

    def test_bad_arguments(self):
        with pytest.raises(
            InvalidValueError, match="'end' of a visit plan must not be before its start"
        ):
            plan_visits(
                [],
                [],
                MONTHLY_60,
                small_grid(1),
                start=D(2026, 1, 2),
                end=D(2026, 1, 1),
                capacity_per_member=1,
            )
        with pytest.raises(
            InvalidValueError, match="'capacity_per_member' of a visit plan must be at least 0"
        ):
            plan_visits(
                [],
                [],
                MONTHLY_60,
                small_grid(1),
                start=D(2026, 1, 1),
                end=D(2026, 1, 1),
                capacity_per_member=-1,
            )
        with pytest.raises(UnknownPlaceError):
            plan_visits(
                [elder()],
                [],
                MONTHLY_60,
                small_grid(1),
                start=D(2026, 1, 1),
                end=D(2026, 1, 1),
                capacity_per_member=1,
            )


# --------------------------------------------------------------------------- coverage


class TestCoverage:
    def test_rolls_up(self):
        files = [
            resident_in("a", "h1"),
            resident_in("b", "h1"),
            resident_in("c", "h2"),
            resident_in("young", "h2", born=D(2000, 1, 1)),
            resident_in("turns60", "h2", born=D(1966, 1, 31)),  # 60 on the last day of January
            resident_in("later", "h2", opened=D(2026, 2, 1)),
        ]
        visits = [
            rec("a", D(2026, 1, 5)),
            rec("c", D(2025, 12, 31)),
            rec("turns60", D(2026, 1, 31)),
        ]
        got = coverage(files, visits, MONTHLY_60, small_grid(1), month=(2026, 1))
        assert list(got) == ["c", "g", "mg1", "mg2"]
        assert (got["mg1"].required, got["mg1"].visited, got["mg1"].rate) == (2, 1, 0.5)
        assert (got["mg2"].required, got["mg2"].visited) == (2, 1)
        assert (got["c"].required, got["c"].visited, got["c"].month) == (4, 2, "2026-01")
        assert coverage(files, visits, MONTHLY_60, small_grid(1), month=D(2026, 1, 20)) == got
        empty = coverage([], [], MONTHLY_60, small_grid(1), month=(2026, 1))
        assert empty["c"].rate is None

    def test_bad_month(self):
        with pytest.raises(InvalidValueError, match="'month' of coverage\\(\\) must be at most 12"):
            coverage([], [], MONTHLY_60, small_grid(1), month=(2026, 13))

    def test_unknown_household(self):
        with pytest.raises(UnknownPlaceError):
            coverage([elder()], [], MONTHLY_60, small_grid(1), month=(2026, 1))


# --------------------------------------------------------------------------- serialisation


def roundtrip(value: object) -> object:
    data = to_dict(value)
    back = from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert back == value
    assert to_dict(back) == data
    return data


class TestSerialisation:
    def test_policy(self):
        data = roundtrip(DEFAULT_POLICY)
        assert isinstance(data, dict)
        assert data["type"] == "VisitPolicy"
        rules = data["rules"]
        assert rules[0]["frequency"] == {
            "type": "Frequency",
            "unit": "day",
            "every": 1,
            "weekdays": [],
            "rrule": None,
            "grace_days": 0,
        }
        assert rules[0]["modes"] == ["in_person"]

    def test_rrule_frequency_is_its_text(self):
        f = Frequency.from_rrule(rrule(WEEKLY, byweekday=(0, 3), dtstart=datetime(2026, 1, 5)))
        data = roundtrip(f)
        assert data["rrule"] == "DTSTART:20260105T000000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH"  # type: ignore[index]
        roundtrip(Frequency.weekly([4, 1], grace_days=2))

    def test_records_and_results(self, lu):
        v = VisitRecord(
            id="v1",
            resident="r-lu",
            member="m-li",
            at=datetime(2026, 11, 25, 9, 30, tzinfo=CST),
            mode=VisitMode.VIDEO,
            findings="腰部摔伤",
            issue_id="i-1",
        )
        roundtrip(v)
        roundtrip(MajorChange(resident="r-lu", on=D(2026, 11, 25), what="出院"))
        roundtrip(VisitWindow(earliest=D(2026, 1, 1), due=D(2026, 1, 1), latest=D(2026, 1, 3)))
        item = next_due(
            elder("r1"),
            [rec("r1", D(2026, 11, 20))],
            DEFAULT_POLICY,
            on=D(2026, 11, 29),
            major_changes=[MajorChange(resident="r1", on=D(2026, 11, 27))],
        )
        assert item is not None
        assert item.change is not None
        assert item.missed
        roundtrip(item)
        roundtrip(next_due(lu, [v], DEFAULT_POLICY, on=D(2026, 11, 28)))
        roundtrip(DEFAULT_POLICY.requirement(lu, on=D(2026, 11, 28)))
        roundtrip(next(missed_visit_escalations([item], sample_grid())))
        roundtrip(
            plan_visits(
                [lu],
                [v],
                DEFAULT_POLICY,
                sample_grid(),
                start=D(2026, 11, 26),
                end=D(2026, 11, 27),
                capacity_per_member=1,
            )
        )
        roundtrip(
            plan_visits(
                [lu],
                [v],
                DEFAULT_POLICY,
                sample_grid(),
                start=D(2026, 11, 26),
                end=D(2026, 11, 26),
                capacity_per_member=0,
            )
        )
        roundtrip(coverage([lu], [v], DEFAULT_POLICY, sample_grid(), month=(2026, 11))["yx"])

    def test_bad_data_is_refused(self):
        data = to_dict(DEFAULT_POLICY.rule("general"))
        with pytest.raises(SerializationError, match="VisitRule has no field 'colour_'"):
            from_dict({**data, "colour_": "red"})
        broken = {**data, "frequency": {**data["frequency"], "every": 0}}
        with pytest.raises(InvalidValueError, match="'every' of Frequency must be at least 1"):
            from_dict(broken)
        with pytest.raises(
            SerializationError, match="must be one of \\['red', 'yellow', 'green'\\]"
        ):
            from_dict({**data, "colour": "blue"})


# --------------------------------------------------------------------------- visit logs


def test_the_sweep_reads_every_permanent_condition_not_only_the_first() -> None:
    # 85 and living alone: high risk (weekly), whichever condition is listed first.
    for kinds in (["chronic_illness", "living_alone"], ["living_alone", "chronic_illness"]):
        r = Resident(id="r", name="居民", household="h", birth_date=D(1940, 1, 1),
                     conditions=[Condition(kind=k) for k in kinds])
        seen = [rec("r", D(2026, 11, 1))]
        (item,) = due_visits([r], seen, DEFAULT_POLICY, on=D(2026, 11, 26))
        assert item.rule is not None and item.rule.id == "high_risk_alone"
        assert item == next_due(r, seen, DEFAULT_POLICY, on=D(2026, 11, 26))


def test_a_visit_log_groups_once_and_extends_with_new_records() -> None:
    first = [rec("r-a", D(2026, 11, 1)), rec("r-b", D(2026, 11, 3), mode=VisitMode.PHONE)]
    later = [rec("r-a", D(2026, 11, 20), mode=VisitMode.VIDEO)]
    log = VisitLog(records=first)
    grown = log.with_records(later)
    assert len(log) == 2 and len(grown) == 3  # the old log is unchanged
    assert grown == VisitLog(records=first + later)
    assert list(grown) == first + later
    assert grown.latest == D(2026, 11, 20) and VisitLog().latest is None
    assert grown.last_visit("r-a") == D(2026, 11, 20)
    assert grown.last_visit("r-a", VisitMode.IN_PERSON) == D(2026, 11, 1)
    assert grown.last_visit("r-b", VisitMode.IN_PERSON) is None
    assert log.last_visit("r-a") == D(2026, 11, 1)
    assert from_dict(json.loads(json.dumps(to_dict(grown)))) == grown


def test_a_visit_log_refuses_what_is_not_a_record() -> None:
    with pytest.raises(InvalidValueError, match="'records"):
        VisitLog(records=["v1"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match=r"'records\[1\]' must be a VisitRecord \(got str\)"):
        VisitLog().with_records([rec("r", D(2026, 11, 1)), "v1"])  # type: ignore[list-item]


def test_a_sweep_of_a_day_before_the_logs_latest_record_ignores_the_later_ones() -> None:
    r = Resident(id="r", name="居民", household="h", birth_date=D(1940, 1, 1),
                 conditions=[Condition(kind="living_alone")])
    log = VisitLog(records=[rec("r", D(2026, 11, 1)), rec("r", D(2026, 11, 20))])
    (item,) = due_visits([r], log, DEFAULT_POLICY, on=D(2026, 11, 10))
    assert item.last_visit == D(2026, 11, 1)
    assert list(due_visits([r], log, DEFAULT_POLICY, on=D(2026, 11, 21))) == []
