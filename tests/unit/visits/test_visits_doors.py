"""Doors (issue 13) for visits: each test here failed before the doors were put in.

Every bad input is refused with a gridgov error naming the field or argument, numbers and
dates are bounded, a str is never a set, rrule frequencies are daily or coarser and answer
every question in bounded time, and no value keeps a cache that fills as it is used.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import attrs
import pytest

from gridgov import (
    CST,
    Criteria,
    GridGraph,
    GridUnit,
    InvalidValueError,
    Resident,
)
from gridgov.demo import sample_grid, sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    DueVisit,
    Frequency,
    MajorChange,
    VisitColour,
    VisitLog,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    check_records,
    coverage,
    due_visits,
    missed_visit_escalations,
    next_due,
    plan_visits,
)

D = date
LU = next(r for r in sample_residents() if r.id == "r-lu")
DAY = D(2026, 11, 26)


# Builders of their own, so that this module also runs against the code before the doors.
def rec(resident: str, day: date) -> VisitRecord:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=CST)
    return VisitRecord(id=f"v-{resident}-{day.isoformat()}", resident=resident, member="m", at=at)


def elder(*, born: date, opened: date | None) -> Resident:
    return Resident(id="r1", name="居民", household="h1", birth_date=born, file_opened=opened)


def small_grid(members: int) -> GridGraph:
    units = [
        GridUnit(id="c", name="社区", tier="community"),
        GridUnit(id="g", name="网格", tier="grid", parent="c"),
        GridUnit(id="mg1", name="一号楼", tier="micro_grid", parent="g"),
    ]
    return GridGraph(version="t", units=units, places={"h1": "mg1"})


def cpu(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn()
    return time.process_time() - start


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: next_due(LU, [], None, on=DAY), "'policy' must be a VisitPolicy"),
        (lambda: next_due("r-lu", [], DEFAULT_POLICY, on=DAY), "'resident' must be a Resident"),
        (lambda: next_due(LU, [1], DEFAULT_POLICY, on=DAY), "'records' must hold VisitRecord"),
        (lambda: next_due(LU, "v1", DEFAULT_POLICY, on=DAY), "'records' must be a collection"),
        (
            lambda: due_visits(sample_residents(), [1], DEFAULT_POLICY, on=DAY),
            "'records' must hold VisitRecord",
        ),
        (
            lambda: list(due_visits([1], [], DEFAULT_POLICY, on=DAY)),
            "'residents' must hold Resident values",
        ),
        (lambda: due_visits(5, [], DEFAULT_POLICY, on=DAY), "'residents' must be an iterable"),
        (
            lambda: due_visits([], [], DEFAULT_POLICY, on=DAY, check="yes"),
            "'check' must be true or false",
        ),
        (
            lambda: coverage(sample_residents(), [], DEFAULT_POLICY, sample_grid(), month="2026-01"),
            "'month' must be a date or a (year, month) pair",
        ),
        (
            lambda: coverage([], [], DEFAULT_POLICY, "grid", month=(2026, 1)),
            "'grid' must be a GridGraph",
        ),
        (lambda: check_records(["r-lu"], []), "'residents' must hold Resident values"),
        (lambda: check_records([], [1]), "'records' must hold VisitRecord values"),
        (
            lambda: list(missed_visit_escalations([], "grid")),
            "'grid' must be a GridGraph",
        ),
        (
            lambda: plan_visits(
                [], [], "policy", small_grid(1), start=DAY, end=DAY, capacity_per_member=1
            ),
            "'policy' must be a VisitPolicy",
        ),
    ],
)
def test_public_functions_refuse_bad_arguments_naming_them(call, named) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError) as info:
        call()
    assert named in str(info.value)


# --------------------------------------------------------------------------- a str is not a set


def test_a_str_is_never_a_set() -> None:
    with pytest.raises(InvalidValueError, match="a str is not one"):
        VisitRule(
            id="key",
            frequency=Frequency.monthly(),
            colour=VisitColour.YELLOW,
            reason="失智老人每月一访",
            who=Criteria(conditions_any="dementia"),  # would never fire as letters
        )
    with pytest.raises(InvalidValueError, match=r"'modes' of VisitRule .*a str is not one"):
        VisitRule(
            id="key", frequency=Frequency.monthly(), colour=VisitColour.YELLOW, reason="每月",
            modes="phone",
        )
    with pytest.raises(InvalidValueError, match=r"'weekdays' of Frequency .*a str is not one"):
        Frequency.weekly("03")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- odd values


def test_a_visit_log_refuses_one_id_for_two_different_records() -> None:
    a = rec("r-lu", D(2026, 11, 20))
    with pytest.raises(InvalidValueError, match="two different records with one id"):
        VisitLog(records=[a, attrs.evolve(a, resident="r-zhang")])
    with pytest.raises(InvalidValueError, match="two different records with one id"):
        VisitLog(records=[a]).with_records([attrs.evolve(a, findings="另一次")])


@pytest.mark.parametrize(
    "build",
    [
        lambda: Frequency.every_days(3_000_000),
        lambda: Frequency.every_weeks(600),
        lambda: Frequency.monthly(1_000),
        lambda: Frequency.daily(grace_days=3_000_000),
        lambda: VisitPolicy(rules=DEFAULT_POLICY.rules, major_change_days=10**9),
        lambda: VisitPolicy(rules=[attrs.evolve(DEFAULT_POLICY.rules[0], id=f"r{i}") for i in range(201)]),
    ],
)
def test_numbers_are_bounded(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError):
        build()


@pytest.mark.parametrize(
    "call",
    [
        lambda: list(due_visits([LU], [], DEFAULT_POLICY, on=date(9999, 12, 31))),
        lambda: next_due(LU, [], DEFAULT_POLICY, on=date(1, 1, 1)),
        lambda: Frequency.monthly().next_after(date(9999, 12, 31)),
    ],
)
def test_days_are_within_the_accepted_years(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError, match="in the years 1800 to 2200"):
        call()


@pytest.mark.parametrize(
    "build",
    [
        lambda: VisitRecord(id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST), findings=7),
        lambda: VisitRecord(id="v", resident="r\u200b1", member="m", at=datetime(2026, 1, 1, tzinfo=CST)),
        lambda: MajorChange(resident="r", on=D(2026, 1, 1), what={"fall": True}),
        lambda: VisitRule(
            id="x", frequency=Frequency.daily(), colour=VisitColour.RED, reason="每日",
            reason_en=["daily"],
        ),
        lambda: VisitPolicy(rules=DEFAULT_POLICY.rules, name=7),
        lambda: DueVisit(
            resident="", resident_name="n", household="h", on=DAY, due=DAY, earliest=DAY,
            latest=DAY, rule=DEFAULT_POLICY.rules[0],
        ),
    ],
)
def test_text_ids_and_values_are_checked(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError):
        build()


def test_messages_cut_long_values_and_keep_personal_ones_out() -> None:
    with pytest.raises(InvalidValueError) as info:
        VisitRecord(id="v" * 100_000, resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST))
    assert len(str(info.value)) < 600
    assert "100,000 characters" in str(info.value)
    with pytest.raises(InvalidValueError) as info:
        VisitRecord(
            id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST),
            findings="腰部摔伤" * 2000,
        )
    assert "腰部" not in str(info.value)


# --------------------------------------------------------------------------- rrules


@pytest.mark.parametrize("freq", ["HOURLY", "MINUTELY", "SECONDLY"])
def test_rrules_finer_than_daily_are_refused_when_built(freq: str) -> None:
    text = f"DTSTART:19000101T000000\nRRULE:FREQ={freq}"
    start = time.process_time()
    with pytest.raises(InvalidValueError, match="daily or less often"):
        Frequency.from_rrule(text)
    assert time.process_time() - start < 0.5


@pytest.mark.parametrize(
    "text",
    [
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
        "DTSTART:20260101T090000\nRRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31",
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20250101T000000",
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=0",
    ],
)
def test_an_rrule_without_occurrences_is_refused_when_built(text: str) -> None:
    with pytest.raises(InvalidValueError, match="at least one occurrence"):
        Frequency.from_rrule(text)


@pytest.mark.parametrize(
    "text",
    [
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;INTERVAL=-1",
        "DTSTART:20260101T090000\nRRULE:FREQ=MONTHLY;BYDAY=+60MO",
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=-3;BYMONTH=2",
        "DTSTART:00010101T000000\nRRULE:FREQ=DAILY",
        "DTSTART:20260101T090000\nRRULE:FREQ=DAILY\nRDATE:20260105T000000",
        "DTSTART:20260101T090000\nRRULE:FREQ=YEARLY;INTERVAL=11",
    ],
)
def test_rrules_dateutil_cannot_run_are_refused_with_a_gridgov_error(text: str) -> None:
    with pytest.raises(InvalidValueError, match="'rrule' of Frequency must be"):
        Frequency.from_rrule(text)


def test_rrule_questions_cost_the_same_however_far_back_dtstart_is() -> None:
    near = Frequency.from_rrule("DTSTART:21990101T000000\nRRULE:FREQ=DAILY")
    far = Frequency.from_rrule("DTSTART:18000101T000000\nRRULE:FREQ=DAILY")

    def ask(f: Frequency) -> None:
        for k in range(100):
            day = D(2200, 1, 1) + timedelta(days=k)
            assert f.next_after(day) == day + timedelta(days=1)
        pol = VisitPolicy(
            rules=[VisitRule(id="r", frequency=f, colour=VisitColour.RED, reason="每日")]
        )
        list(due_visits([elder(born=D(1950, 1, 1), opened=None)], [], pol, on=D(2200, 6, 1)))

    assert cpu(lambda: ask(far)) < 1.0  # walking from 1800 takes seconds
    assert cpu(lambda: ask(far)) < 20 * cpu(lambda: ask(near)) + 0.05


def test_rrule_dates_are_linear() -> None:
    f = Frequency.from_rrule("DTSTART:20000101T090000\nRRULE:FREQ=DAILY")
    spent = cpu(lambda: f.dates(D(2000, 1, 1), D(2030, 12, 31)))
    got = f.dates(D(2000, 1, 1), D(2030, 12, 31))
    assert len(got) == (D(2030, 12, 31) - D(2000, 1, 1)).days
    assert spent < 1.0  # quadratic: every date walked from DTSTART


def _containers(value: object, depth: int = 3) -> list[tuple[str, int]]:
    """The sizes of the lists, dicts and sets reachable from *value*'s attributes."""
    found: list[tuple[str, int]] = []
    if depth == 0:
        return found
    names = [s for c in type(value).__mro__ for s in getattr(c, "__slots__", ())]
    names += list(getattr(value, "__dict__", {}))
    for name in names:
        try:
            item = getattr(value, name)
        except AttributeError:
            continue
        if isinstance(item, list | dict | set):
            found.append((name, len(item)))
        elif not isinstance(item, str | int | float | date | tuple | frozenset | type(None)):
            found += [(f"{name}.{n}", k) for n, k in _containers(item, depth - 1)]
    return found


def test_no_occurrence_cache_fills_in_a_frequency() -> None:
    f = Frequency.from_rrule("DTSTART:20200101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH")
    before = _containers(f)
    for k in range(300):
        f.next_after(D(2026, 1, 1) + timedelta(days=k))
    f.dates(D(2020, 1, 1), D(2030, 1, 1))
    assert _containers(f) == before


def test_a_visit_log_holds_no_mutable_index() -> None:
    log = VisitLog(records=[rec("r-lu", D(2026, 11, 20))])
    for a in attrs.fields(VisitLog):
        assert not isinstance(getattr(log, a.name), list | dict | set), a.name
    list(due_visits([LU], log, DEFAULT_POLICY, on=DAY))
    assert all(not isinstance(getattr(log, a.name), list | dict | set) for a in attrs.fields(VisitLog))
