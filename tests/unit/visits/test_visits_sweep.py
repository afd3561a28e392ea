"""Unit tests for gridgov.visits.sweep: what "due" means, the sweep, next_due."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from dateutil.rrule import MONTHLY, rrule
from visit_builders import MONTHLY_60, D, elder, policy, rec, rule

from gridgov import CST, Condition, InvalidValueError, Reason, Resident, UnknownResidentError
from gridgov.demo import sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    DueVisit,
    Frequency,
    MajorChange,
    VisitColour,
    VisitLog,
    VisitMode,
    VisitWindow,
    due_visits,
    next_due,
)
from gridgov.visits.sweep import _new_due_visit


@pytest.fixture(scope="module")
def lu() -> Resident:
    return next(r for r in sample_residents() if r.id == "r-lu")


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
        assert "重大变故（丧偶 bereavement）" in item.reason.zh
        assert "within 24 hours" in item.reason.en
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
            "resident_name": "居民",
            "household": "h",
            "on": D(2026, 1, 2),
            "due": D(2026, 1, 1),
            "earliest": D(2026, 1, 1),
            "latest": D(2026, 1, 1),
            "last_visit": None,
            "rule": None,
            "change": MajorChange(resident="r", on=D(2026, 1, 1)),
            "matched": ("a",),
        }
        fast = _new_due_visit(*kw.values())
        assert fast == DueVisit(**kw)
        assert hash(fast) == hash(DueVisit(**kw))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            fast.due = D(2026, 1, 5)  # type: ignore[misc]


def test_the_sweep_reads_every_permanent_condition_not_only_the_first() -> None:
    # 85 and living alone: high risk (weekly), whichever condition is listed first.
    for kinds in (["chronic_illness", "living_alone"], ["living_alone", "chronic_illness"]):
        r = Resident(id="r", name="居民", household="h", birth_date=D(1940, 1, 1),
                     conditions=[Condition(kind=k) for k in kinds])
        seen = [rec("r", D(2026, 11, 1))]
        (item,) = due_visits([r], seen, DEFAULT_POLICY, on=D(2026, 11, 26))
        assert item.rule is not None and item.rule.id == "high_risk_alone"
        assert item == next_due(r, seen, DEFAULT_POLICY, on=D(2026, 11, 26))


def test_a_sweep_of_a_day_before_the_logs_latest_record_ignores_the_later_ones() -> None:
    r = Resident(id="r", name="居民", household="h", birth_date=D(1940, 1, 1),
                 conditions=[Condition(kind="living_alone")])
    log = VisitLog(records=[rec("r", D(2026, 11, 1)), rec("r", D(2026, 11, 20))])
    (item,) = due_visits([r], log, DEFAULT_POLICY, on=D(2026, 11, 10))
    assert item.last_visit == D(2026, 11, 1)
    assert list(due_visits([r], log, DEFAULT_POLICY, on=D(2026, 11, 21))) == []


def test_the_reason_names_the_resident_and_the_rule(lu) -> None:
    item = next_due(lu, [rec("r-lu", D(2026, 11, 25))], DEFAULT_POLICY, on=D(2026, 11, 27))
    assert item is not None and item.resident_name == "吕阿姨"
    assert isinstance(item.reason, Reason)
    assert item.reason.zh == (
        "吕阿姨应于2026-11-26探访（每日一访，红）：刚出院的独居或孤寡老人，每日一访"
        "【discharged_alone】；上次探访2026-11-25；逾期1天，已错过（最迟2026-11-26）。"
    )
    assert item.reason.en.startswith("visit 吕阿姨 by 2026-11-26 (daily, red): ")
    assert [(r.kind, r.id, r.name) for r in item.reason.refs] == [
        ("resident", "r-lu", "吕阿姨"),
        ("rule", "discharged_alone", "discharged_alone"),
    ]


def test_residents_may_be_given_as_files(lu) -> None:
    from gridgov import ResidentFiles

    files = ResidentFiles(sample_residents())
    assert list(due_visits(files, [], DEFAULT_POLICY, on=D(2026, 11, 26))) == list(
        due_visits(sample_residents(), [], DEFAULT_POLICY, on=D(2026, 11, 26))
    )
