"""gridgov.criteria: who a resident is on a day — the one criteria value and its engine."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta

import pytest

from gridgov import (
    CST,
    Condition,
    Criteria,
    InvalidValueError,
    Reason,
    Resident,
    from_dict,
    to_dict,
)
from gridgov.criteria import age_cut_off, conditions_key

ON = date(2026, 11, 26)


def resident(
    *conditions: Condition,
    birth: date = date(1948, 3, 2),
    opened: date | None = None,
    tags: frozenset[str] = frozenset(),
) -> Resident:
    return Resident(
        id="r-lu",
        name="吕阿姨",
        household="h-1001",
        birth_date=birth,
        conditions=conditions,
        file_opened=opened,
        tags=tags,
    )


def window(kind: str, start: date | None = None, end: date | None = None) -> Condition:
    return Condition(kind=kind, start=start, end=end)


# --------------------------------------------------------------------------- the value


def test_empty_criteria_match_every_open_file() -> None:
    empty = Criteria()
    assert empty.is_empty
    assert empty.kinds == frozenset()
    assert empty.matches(resident(), on=ON)
    assert Criteria(min_age=0).is_empty is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_age": -1}, "'min_age' of Criteria must be an integer from 0 to 150 (got -1)."),
        ({"max_age": 151}, "'max_age' of Criteria must be an integer from 0 to 150 (got 151)."),
        ({"min_age": True}, "'min_age' of Criteria must be an integer from 0 to 150 (got True)."),
        ({"min_age": 60.0}, "'min_age' of Criteria must be an integer from 0 to 150 (got 60.0)."),
        ({"min_age": 80, "max_age": 60}, "'max_age' of Criteria must be at least its min_age 80"),
        ({"conditions_any": "living_alone"}, "'conditions_any' of Criteria must be a collection"),
        ({"conditions_all": ["Living alone"]}, "'conditions_all' of Criteria must be a lower-case"),
        ({"tags_any": {"party_member": True}}, "'tags_any' of Criteria must be a collection"),
        ({"tags_all": [3]}, "'tags_all' of Criteria must be a lower-case code"),
    ],
)
def test_bad_criteria_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Criteria(**fields)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_collections_become_frozensets() -> None:
    c = Criteria(conditions_all=["injured"], conditions_any=("living_alone",), tags_any=["youth"])
    assert c.conditions_all == frozenset({"injured"})
    assert isinstance(c.conditions_any, frozenset)
    assert c.kinds == {"injured", "living_alone"}
    assert Criteria(tags_all=["a", "a"]) == Criteria(tags_all={"a"})


def test_round_trips_and_pickles() -> None:
    c = Criteria(conditions_all={"injured"}, tags_any={"youth"}, min_age=14, max_age=35)
    assert from_dict(json.loads(json.dumps(to_dict(c)))) == c
    assert pickle.loads(pickle.dumps(c)) == c
    assert hash(c) == hash(Criteria(**{k: getattr(c, k) for k in (
        "conditions_all", "conditions_any", "tags_all", "tags_any", "min_age", "max_age")}))


# --------------------------------------------------------------------------- matching


def test_the_file_must_be_open_on_the_day() -> None:
    c = Criteria()
    assert not c.matches(resident(birth=date(2026, 11, 27)), on=ON)  # not yet born
    assert c.matches(resident(birth=ON), on=ON)  # born that day
    assert not c.matches(resident(opened=date(2026, 11, 27)), on=ON)
    assert c.matches(resident(opened=ON), on=ON)


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (78, None, True),  # 78 on 26 Nov 2026 (born 2 March 1948)
        (79, None, False),
        (None, 78, True),
        (None, 77, False),
        (78, 78, True),
        (60, 150, True),
        (0, 0, False),
    ],
)
def test_age_bounds_are_inclusive(lo: int | None, hi: int | None, expected: bool) -> None:
    assert Criteria(min_age=lo, max_age=hi).matches(resident(), on=ON) is expected


@pytest.mark.parametrize(
    ("years", "on", "expected"),
    [
        (60, date(2020, 2, 28), False),
        (60, date(2020, 2, 29), True),  # a leap year: the birthday itself
        (61, date(2021, 2, 28), False),  # a common year: not yet ...
        (61, date(2021, 3, 1), True),  # ... the birthday counts on 1 March
        (64, date(2024, 2, 29), True),
    ],
)
def test_a_29_february_birthday(years: int, on: date, expected: bool) -> None:
    leapling = resident(birth=date(1960, 2, 29))
    assert Criteria(min_age=years).matches(leapling, on=on) is expected
    assert Criteria(max_age=years - 1).matches(leapling, on=on) is not expected


def test_conditions_all_and_any_read_the_windows_in_force() -> None:
    lu = resident(
        window("living_alone"),
        window("injured", date(2026, 11, 20), date(2026, 12, 20)),
    )
    assert Criteria(conditions_all={"living_alone", "injured"}).matches(lu, on=ON)
    assert not Criteria(conditions_all={"living_alone", "injured"}).matches(
        lu, on=date(2026, 12, 20)
    )  # the window is half-open
    assert Criteria(conditions_any={"injured", "dementia"}).matches(lu, on=ON)
    assert not Criteria(conditions_any={"dementia", "disabled"}).matches(lu, on=ON)
    assert not Criteria(conditions_any={"injured"}).matches(lu, on=date(2026, 11, 19))
    both = Criteria(conditions_all={"living_alone"}, conditions_any={"injured", "disabled"})
    assert both.matches(lu, on=ON)
    assert not both.matches(lu, on=date(2027, 1, 1))


def test_tags_all_and_any() -> None:
    pm = resident(tags=frozenset({"party_member", "elderly"}))
    assert Criteria(tags_all={"party_member", "elderly"}).matches(pm, on=ON)
    assert not Criteria(tags_all={"party_member", "youth"}).matches(pm, on=ON)
    assert Criteria(tags_any={"youth", "elderly"}).matches(pm, on=ON)
    assert not Criteria(tags_any={"youth", "child"}).matches(pm, on=ON)


def test_every_part_must_hold() -> None:
    lu = resident(window("living_alone"), tags=frozenset({"elderly"}))
    c = Criteria(min_age=60, conditions_any={"living_alone"}, tags_all={"elderly"})
    assert c.matches(lu, on=ON)
    assert not Criteria(min_age=80, conditions_any={"living_alone"}).matches(lu, on=ON)
    assert not Criteria(min_age=60, tags_all={"youth"}).matches(lu, on=ON)


def test_matches_refuses_what_is_not_a_file_or_a_day() -> None:
    with pytest.raises(InvalidValueError, match=r"'resident' must be a Resident"):
        Criteria().matches("r-lu", on=ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'on' must be a date .not a datetime."):
        Criteria().matches(resident(), on=datetime(2026, 11, 26, tzinfo=CST))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'on' must be a date in the years"):
        Criteria().matches(resident(), on=date(2300, 1, 1))


# --------------------------------------------------------------------------- since


def test_since_is_none_when_the_criteria_do_not_match() -> None:
    assert Criteria(min_age=90).since(resident(), on=ON) is None


def test_since_starts_at_the_file_or_the_birth() -> None:
    assert Criteria().since(resident(), on=ON) == date(1948, 3, 2)
    assert Criteria().since(resident(opened=date(2020, 5, 1)), on=ON) == date(2020, 5, 1)


def test_since_starts_at_the_birthday_that_brought_the_resident_into_the_band() -> None:
    assert Criteria(min_age=60).since(resident(), on=ON) == date(2008, 3, 2)
    # max_age never starts a stretch: ages only grow.
    assert Criteria(max_age=100).since(resident(), on=ON) == date(1948, 3, 2)
    # 29 February: the 61st birthday in 2021 falls on 1 March.
    assert Criteria(min_age=61).since(resident(birth=date(1960, 2, 29)), on=date(2021, 6, 1)) == (
        date(2021, 3, 1)
    )


def test_since_starts_where_the_conditions_came_into_force_without_a_gap() -> None:
    lu = resident(
        window("injured", date(2026, 1, 1), date(2026, 3, 1)),
        window("injured", date(2026, 3, 1), date(2026, 6, 1)),  # adjacent: one stretch
        window("injured", date(2026, 7, 1), None),  # after a gap: a new stretch
        window("living_alone", date(2025, 1, 1)),
    )
    c = Criteria(conditions_any={"injured"})
    assert c.since(lu, on=date(2026, 5, 31)) == date(2026, 1, 1)
    assert c.since(lu, on=date(2026, 6, 1)) is None
    assert c.since(lu, on=ON) == date(2026, 7, 1)
    both = Criteria(conditions_all={"injured", "living_alone"})
    assert both.since(lu, on=date(2026, 2, 1)) == date(2026, 1, 1)
    assert both.since(lu, on=date(2024, 12, 31)) is None


def test_since_for_any_of_several_kinds_follows_their_union() -> None:
    # injured until 1 March, then discharged from 1 March: "any of" never broke.
    lu = resident(
        window("injured", date(2026, 1, 10), date(2026, 3, 1)),
        window("recently_discharged", date(2026, 3, 1), date(2026, 4, 1)),
    )
    c = Criteria(conditions_any={"injured", "recently_discharged"})
    assert c.since(lu, on=date(2026, 3, 15)) == date(2026, 1, 10)
    assert Criteria(conditions_any={"recently_discharged"}).since(lu, on=date(2026, 3, 15)) == (
        date(2026, 3, 1)
    )


def test_since_takes_the_latest_start_of_all_parts() -> None:
    lu = resident(window("dementia", date(2000, 1, 1)), opened=date(2015, 6, 1))
    assert Criteria(min_age=70, conditions_any={"dementia"}).since(lu, on=ON) == date(2018, 3, 2)
    assert Criteria(min_age=60, conditions_any={"dementia"}).since(lu, on=ON) == date(2015, 6, 1)


def test_a_condition_open_at_the_start_runs_from_the_file() -> None:
    lu = resident(window("living_alone"), opened=date(2019, 9, 9))
    assert Criteria(conditions_all={"living_alone"}).since(lu, on=ON) == date(2019, 9, 9)


def test_stretch_start_is_since_in_day_numbers() -> None:
    lu = resident(window("injured", date(2026, 1, 1)), opened=date(2010, 1, 1))
    c = Criteria(conditions_any={"injured"})
    day = ON.toordinal()
    assert c.stretch_start(lu, day) == date(2026, 1, 1).toordinal()
    # a floor given by the caller (the day a batch engine counts the file open from)
    assert c.stretch_start(lu, day, floor=date(2026, 2, 1).toordinal()) == (
        date(2026, 2, 1).toordinal()
    )
    assert date.fromordinal(c.stretch_start(lu, day)) == c.since(lu, on=ON)


# --------------------------------------------------------------------------- the engine's helpers


def test_conditions_key_without_windows_is_the_standing_kinds() -> None:
    assert conditions_key(resident(), ON) == frozenset()
    assert conditions_key(resident(window("dementia")), ON) == "dementia"
    assert conditions_key(resident(window("dementia"), window("disabled")), ON) == {
        "dementia",
        "disabled",
    }


def test_conditions_key_with_windows_is_worked_out_for_the_day() -> None:
    one = resident(window("injured", date(2026, 11, 20), date(2026, 12, 20)))
    assert conditions_key(one, ON) == "injured"
    assert conditions_key(one, date(2026, 12, 20)) == frozenset()
    assert conditions_key(one, date(2026, 11, 19)) == frozenset()
    two = resident(window("living_alone"), window("injured", date(2026, 11, 20)))
    assert conditions_key(two, ON) == {"living_alone", "injured"}
    assert conditions_key(two, date(2026, 1, 1)) == {"living_alone"}


@pytest.mark.parametrize(
    "lu",
    [
        resident(),
        resident(window("dementia")),
        resident(window("injured", date(2026, 11, 20), date(2026, 12, 20))),
        resident(window("living_alone"), window("injured", date(2026, 11, 20))),
        resident(window("injured", None, date(2026, 1, 1)), window("disabled", date(2030, 1, 1))),
    ],
)
def test_conditions_key_agrees_with_conditions_on(lu: Resident) -> None:
    for day in (date(2025, 1, 1), ON, date(2026, 12, 20), date(2031, 1, 1)):
        key = conditions_key(lu, day)
        kinds = frozenset({key}) if isinstance(key, str) else key
        assert kinds == lu.conditions_on(day)


@pytest.mark.parametrize(
    ("on", "years", "expected"),
    [
        (date(2026, 11, 26), 60, date(1966, 11, 26)),
        (date(2024, 2, 29), 1, date(2023, 2, 28)),  # no 29 February in 2023
        (date(2024, 2, 29), 4, date(2020, 2, 29)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
        (date(2026, 1, 1), 2026, None),  # nobody was born in year 0
    ],
)
def test_age_cut_off(on: date, years: int, expected: date | None) -> None:
    assert age_cut_off(on, years) == expected


def test_age_cut_off_agrees_with_min_age() -> None:
    for birth in (date(1966, 11, 26), date(1966, 11, 27), date(1964, 2, 29), date(1964, 3, 1)):
        for on in (date(2026, 11, 26), date(2024, 2, 28), date(2025, 2, 28), date(2025, 3, 1)):
            if birth > on:
                continue
            for years in (0, 59, 60, 61):
                cut = age_cut_off(on, years)
                old_enough = cut is not None and birth <= cut
                assert old_enough == Criteria(min_age=years).matches(
                    resident(birth=birth), on=on
                ), (birth, on, years)


# --------------------------------------------------------------------------- describe


def test_describe_reads_like_a_rule() -> None:
    c = Criteria(
        min_age=60,
        max_age=79,
        conditions_all={"injured"},
        conditions_any={"no_family_support", "living_alone"},
        tags_all={"party_member"},
        tags_any={"youth", "elderly"},
    )
    r = c.describe()
    assert isinstance(r, Reason)
    assert r.zh == "60至79岁；受伤；独居、孤寡之一；标签 party_member；标签 elderly、youth 之一"
    assert r.en == (
        "aged 60 to 79; all of injured; any of living alone, no family support; tags "
        "party_member; any tag of elderly, youth"
    )


def test_describe_names_unknown_codes_as_they_are() -> None:
    assert Criteria(conditions_any={"hearing_loss"}).describe().en == "any of hearing_loss"
    assert Criteria(conditions_any={"hearing_loss"}).describe().zh == "hearing_loss之一"


def test_describe_empty() -> None:
    assert str(Criteria().describe()) == "建档居民\nevery resident with an open file"
    assert Criteria(max_age=14).describe().en == "aged 14 or under"


def test_describe_is_the_same_whatever_the_order_given() -> None:
    a = Criteria(conditions_any=["living_alone", "dementia", "injured"])
    b = Criteria(conditions_any=["injured", "dementia", "living_alone"])
    assert a.describe() == b.describe()
    assert a.describe().zh == "独居、失智、受伤之一"


def test_a_year_of_days_agrees_with_conditions_on() -> None:
    """since() is None exactly when matches() is False, and a stretch never starts after
    the day it is asked for, nor before the file opened."""
    lu = resident(
        window("injured", date(2026, 2, 1), date(2026, 3, 1)),
        window("injured", date(2026, 3, 10), date(2026, 5, 1)),
        window("living_alone", date(2026, 4, 1)),
        opened=date(2026, 1, 15),
    )
    for c in (
        Criteria(conditions_any={"injured"}),
        Criteria(conditions_all={"injured", "living_alone"}),
        Criteria(conditions_any={"injured", "living_alone"}, min_age=78),
    ):
        day = date(2026, 1, 1)
        while day < date(2026, 12, 31):
            since = c.since(lu, on=day)
            assert (since is not None) == c.matches(lu, on=day)
            if since is not None:
                assert date(2026, 1, 15) <= since <= day
                stretch = since
                while stretch <= day:  # every day of the stretch matches
                    assert c.matches(lu, on=stretch), (c, day, stretch)
                    stretch += timedelta(days=7)
                if since > date(2026, 1, 15):
                    assert not c.matches(lu, on=since - timedelta(days=1))
            day += timedelta(days=5)
