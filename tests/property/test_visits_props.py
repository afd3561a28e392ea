"""Property tests for gridgov.visits: the sweep, next_due, month ends, plans, round trips.

The visit values (``frequencies``, ``visit_rules``, ``visit_policies``, ``visit_records``)
and the personal files (``residents``, ``conditions``) are drawn with the strategies
gridgov.testing.strategies ships; the files are customised here (condition kinds the rules
ask about, files opened near the days swept) and ``changes`` and the other helpers are
test-only.  The policy invariants are also checked with
gridgov.testing.checks.check_visit_policy.
"""

from __future__ import annotations

import calendar
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from gridgov import CST, THREE_TIER, Criteria, GridGraph, Resident, from_dict, to_dict
from gridgov.demo import sample_grid
from gridgov.testing.checks import check_visit_policy
from gridgov.testing.strategies import (
    conditions,
    frequencies,
    grids,
    residents,
    visit_policies,
    visit_records,
    visit_rules,
)
from gridgov.visits import (
    DEFAULT_POLICY,
    Frequency,
    FrequencyUnit,
    MajorChange,
    VisitColour,
    VisitLog,
    VisitMode,
    VisitPolicy,
    VisitRecord,
    VisitRoster,
    VisitRule,
    check_records,
    due_ids,
    due_visits,
    missed_visit_escalations,
    next_due,
    plan_visits,
)

BASE = date(2026, 1, 1)
SAMPLE_GRID = sample_grid()
KINDS = ("living_alone", "injured", "recently_discharged", "dementia", "disabled")
GRACE = st.integers(0, 3)


# --------------------------------------------------------------------------- strategies


RESIDENT_IDS = st.sampled_from([f"r{i}" for i in range(8)])
CONDITIONS = conditions(
    kinds=st.sampled_from(KINDS),
    min_date=BASE - timedelta(days=300),
    max_date=BASE + timedelta(days=420),
)


@st.composite
def files(
    draw: st.DrawFn, *, ids: SearchStrategy[str] = RESIDENT_IDS, grid: GridGraph | None = None
) -> Resident:
    """Personal files aged about 50 to 100 around 2026 with conditions in windows near it,
    whose file is opened (if at all), and tracked from (if imported), near the days swept."""
    r = draw(
        residents(
            grid=grid,
            ids=ids,
            conditions=CONDITIONS,
            min_birth_date=date(1926, 1, 1),
            max_birth_date=date(1976, 12, 31),
        )
    )
    opened = draw(
        st.one_of(
            st.none(), st.dates(max(r.birth_date, date(2020, 1, 1)), BASE + timedelta(days=120))
        )
    )
    # Some files were imported without their visit history and are tracked from a later day.
    floor = max(opened or r.birth_date, BASE - timedelta(days=60))
    tracked = draw(st.one_of(st.none(), st.none(), st.dates(floor, BASE + timedelta(days=150))))
    return attrs.evolve(r, file_opened=opened, tracked_since=tracked)


def resident_lists(*, grid: GridGraph | None = None) -> SearchStrategy[list[Resident]]:
    return st.lists(files(grid=grid), max_size=6, unique_by=lambda r: r.id)


def days() -> SearchStrategy[date]:
    return st.dates(BASE - timedelta(days=120), BASE + timedelta(days=300))


@st.composite
def changes(draw: st.DrawFn, residents: Sequence[Resident]) -> list[MajorChange]:
    if not residents:
        return []
    return draw(
        st.lists(
            st.builds(
                MajorChange,
                resident=st.sampled_from([r.id for r in residents]),
                on=days(),
                what=st.sampled_from(["", "丧偶", "跌倒"]),
            ),
            max_size=3,
        )
    )


@st.composite
def stricter_than(draw: st.DrawFn, f: Frequency) -> Frequency:
    """An interval frequency whose due date after any visit is never later than *f*'s."""
    grace = draw(GRACE)
    if f.unit is FrequencyUnit.DAY:
        return Frequency.every_days(draw(st.integers(1, f.every)), grace_days=grace)
    if f.unit is FrequencyUnit.WEEK:
        return draw(
            st.one_of(
                st.builds(
                    Frequency.every_weeks, st.integers(1, f.every), grace_days=st.just(grace)
                ),
                st.builds(
                    Frequency.every_days, st.integers(1, 7 * f.every), grace_days=st.just(grace)
                ),
            )
        )
    assert f.unit is FrequencyUnit.MONTH
    return draw(
        st.one_of(
            st.builds(Frequency.monthly, st.integers(1, f.every), grace_days=st.just(grace)),
            st.builds(
                Frequency.every_weeks, st.integers(1, 4 * f.every), grace_days=st.just(grace)
            ),
            st.builds(
                Frequency.every_days, st.integers(1, 28 * f.every), grace_days=st.just(grace)
            ),
        )
    )


def sweep(residents, records, policy, on, **kw):
    out = {}
    for item in due_visits(residents, records, policy, on=on, **kw):
        assert item.resident not in out
        out[item.resident] = item
    return out


# --------------------------------------------------------------------------- the sweep


@given(st.data(), resident_lists(), visit_policies(), days())
def test_sweep_agrees_with_next_due_on_every_resident(data, residents, policy, day):
    records = data.draw(visit_records(residents))
    moved = data.draw(changes(residents))
    check_records(residents, records)
    got = sweep(residents, records, policy, day, major_changes=moved)
    assert got == sweep(residents, records, policy, day, major_changes=moved, check=True)
    for r in residents:
        one = next_due(r, records, policy, on=day, major_changes=moved)
        if one is not None and one.due <= day:
            assert got.get(r.id) == one
            assert one.earliest <= one.due <= one.latest
            assert one.missed == (day > one.latest)
        else:
            assert r.id not in got


@given(st.data(), resident_lists(), visit_policies(), days())
def test_a_sweep_over_a_visit_log_finds_what_a_sweep_over_the_records_does(
    data, residents, policy, day
):
    """Whichever way the log was built (at once, or extended in steps) and whether the day
    is before its latest record (then the later records must not count) or not."""
    records = data.draw(visit_records(residents))
    moved = data.draw(changes(residents))
    cut = data.draw(st.integers(0, len(records)))
    log = VisitLog(records=records[:cut]).with_records(records[cut:])
    assert log == VisitLog(records=records)
    assert list(log) == records
    expected = sweep(residents, records, policy, day, major_changes=moved)
    assert sweep(residents, log, policy, day, major_changes=moved) == expected
    assert sweep(residents, log, policy, day, major_changes=moved, check=True) == expected
    for r in residents:
        mine = [rec.day for rec in records if rec.resident == r.id]
        assert log.last_visit(r.id) == (max(mine) if mine else None)
        for mode in VisitMode:
            got = [rec.day for rec in records if rec.resident == r.id and rec.mode is mode]
            assert log.last_visit(r.id, mode) == (max(got) if got else None)
    assert log.latest == (max(rec.day for rec in records) if records else None)
    assert from_dict(json.loads(json.dumps(to_dict(log)))) == log


@given(st.data(), files(), visit_policies(), days())
def test_matching_agrees_with_the_public_rule_match(data, resident, policy, day):
    records = data.draw(visit_records([resident]))
    expected = tuple(r.id for r in policy.matching(resident, on=day))
    one = next_due(resident, records, policy, on=day)
    if one is not None:
        assert one.matched == expected
    elif expected:
        # only calendar rules whose schedule has ended can leave a matching resident with
        # nothing due
        assert all(policy.rule(i).frequency.unit is FrequencyUnit.RRULE for i in expected)
    req = policy.requirement(resident, on=day)
    assert (req is None) == (not expected)
    if req is not None:
        assert req.rule.id == expected[0]
        assert tuple(r.id for r in req.also) == expected[1:]


@given(st.data(), files(), visit_policies(frequencies=frequencies(calendar=False)), days())
def test_a_stricter_rule_never_makes_a_resident_due_later(data, resident, policy, day):
    records = data.draw(visit_records([resident]))
    moved = data.draw(changes([resident]))
    i = data.draw(st.integers(0, len(policy.rules) - 1))
    old = policy.rules[i]
    new = attrs.evolve(old, frequency=data.draw(stricter_than(old.frequency)))
    stricter = attrs.evolve(policy, rules=(*policy.rules[:i], new, *policy.rules[i + 1 :]))
    before = next_due(resident, records, policy, on=day, major_changes=moved)
    after = next_due(resident, records, stricter, on=day, major_changes=moved)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert after.due <= before.due


@given(st.data(), files(), visit_policies(frequencies=frequencies(calendar=False)), days())
def test_adding_a_rule_never_makes_a_resident_due_later(data, resident, policy, day):
    records = data.draw(visit_records([resident]))
    extra = data.draw(visit_rules(ids=st.just("zz"), frequencies=frequencies(calendar=False)))
    more = attrs.evolve(policy, rules=(*policy.rules, extra))
    before = next_due(resident, records, policy, on=day)
    after = next_due(resident, records, more, on=day)
    if before is not None:
        assert after is not None
        assert after.due <= before.due


@given(st.data(), files(), st.frozensets(st.sampled_from(VisitMode), min_size=1))
def test_a_daily_rule_makes_a_resident_due_every_day_she_was_not_visited(data, resident, modes):
    daily = VisitRule(
        id="daily",
        frequency=Frequency.daily(),
        colour=VisitColour.RED,
        reason="每日一访",
        who=Criteria(),
        modes=modes,
    )
    others = data.draw(
        st.lists(visit_rules(ids=st.sampled_from("abc")), max_size=2, unique_by=lambda r: r.id)
    )
    policy = VisitPolicy(rules=(daily, *others))
    records = data.draw(visit_records([resident], max_size=20))
    start = max(resident.owed_from(), BASE - timedelta(days=10))
    visited = {rec.day for rec in records if rec.mode in modes}
    for k in range(40):
        day = start + timedelta(days=k)
        due = resident.id in sweep([resident], records, policy, day)
        if day not in visited:
            assert due, day
        only_daily = sweep([resident], records, VisitPolicy(rules=(daily,)), day)
        assert (resident.id in only_daily) == (day not in visited)


# --------------------------------------------------------------------------- month ends


@st.composite
def month_ends(draw: st.DrawFn) -> date:
    """Days 29, 30 and 31 of months that have them, leap days included."""
    year = draw(st.integers(1900, 2190))  # dates are accepted up to 2200
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    return date(year, month, draw(st.integers(min(29, last), last)))


@given(st.one_of(month_ends(), st.dates(date(1900, 1, 1), date(2200, 12, 31))), st.integers(1, 24))
def test_months_are_added_like_relativedelta_and_never_skip(start, n):
    nxt = Frequency.monthly(n).next_after(start)
    assert nxt == start + relativedelta(months=n)
    months = (nxt.year - start.year) * 12 + nxt.month - start.month
    assert months == n
    assert nxt.day == min(start.day, calendar.monthrange(nxt.year, nxt.month)[1])


@given(month_ends(), st.integers(1, 3))
def test_a_monthly_schedule_from_a_month_end_hits_every_month(start, n):
    until = start + relativedelta(months=24 * n)
    got = Frequency.monthly(n).dates(start, until)
    assert len(got) == 24
    for k, day in enumerate(got, start=1):
        assert day == start + relativedelta(months=k * n)
        assert (day.year - start.year) * 12 + day.month - start.month == k * n


@given(month_ends(), st.sampled_from([1, 3]), GRACE)
def test_the_sweep_never_skips_a_month_end(visit, n, grace):
    policy = VisitPolicy(
        rules=[
            VisitRule(
                id="m",
                frequency=Frequency.monthly(n, grace_days=grace),
                colour=VisitColour.YELLOW,
                reason="每月一访",
            )
        ]
    )
    resident = Resident(
        id="r", name="n", household="h", birth_date=date(1890, 1, 1), file_opened=visit
    )
    records = [
        VisitRecord(
            id="v",
            resident="r",
            member="m",
            at=datetime(visit.year, visit.month, visit.day, 9, tzinfo=CST),
        )
    ]
    due = visit + relativedelta(months=n)
    assert sweep([resident], records, policy, due - timedelta(days=1)) == {}
    item = sweep([resident], records, policy, due)["r"]
    assert item.due == due
    assert item.days_overdue == 0
    assert (due.year - visit.year) * 12 + due.month - visit.month == n
    assert not sweep([resident], records, policy, due + timedelta(days=grace))["r"].missed
    assert sweep([resident], records, policy, due + timedelta(days=grace + 1))["r"].missed


# --------------------------------------------------------------------------- plans


def _planned_records(plan, before: date) -> list[VisitRecord]:
    return [
        VisitRecord(
            id=f"p{i}",
            resident=v.resident,
            member=v.member,
            at=datetime(v.day.year, v.day.month, v.day.day, 9, tzinfo=CST),
            mode=VisitMode.IN_PERSON,
        )
        for i, v in enumerate(plan.visits)
        if v.day < before
    ]


def _check_plan(plan, grid: GridGraph, residents, records, policy, start, end, capacity) -> None:
    load = Counter((v.member, v.day) for v in plan.visits)
    assert all(n <= capacity for n in load.values())
    for v in plan.visits:
        assert v.member in {m.id for m in grid.members_in(v.unit)}
        assert grid.place_unit(v.due.household).id == v.unit
    day = start
    while day <= end:
        due = {
            i.resident
            for i in due_visits(residents, records + _planned_records(plan, day), policy, on=day)
        }
        planned = [v.resident for v in plan.visits if v.day == day]
        short = [s.resident for s in plan.shortfalls if s.day == day]
        assert len(planned) == len(set(planned))
        assert set(planned).isdisjoint(short)
        assert set(planned) | set(short) == due
        day += timedelta(days=1)


@given(
    st.data(),
    resident_lists(grid=SAMPLE_GRID),
    visit_policies(),
    days(),
    st.integers(0, 5),
    st.integers(0, 2),
)
def test_a_plan_respects_capacity_and_accounts_for_every_due_visit(
    data, residents, policy, start, span, capacity
):
    grid = SAMPLE_GRID
    records = data.draw(visit_records(residents))
    end = start + timedelta(days=span)
    plan = plan_visits(
        residents, records, policy, grid, start=start, end=end, capacity_per_member=capacity
    )
    _check_plan(plan, grid, residents, records, policy, start, end, capacity)


@given(
    st.data(),
    grids(scheme=THREE_TIER, max_units=6, max_places=4, max_members=3, partners=False),
    visit_policies(),
    days(),
)
def test_plans_on_random_grids(data, grid, policy, start):
    assume(len(grid.places) > 0)
    residents = data.draw(resident_lists(grid=grid))
    records = data.draw(visit_records(residents))
    capacity = data.draw(st.integers(0, 2))
    end = start + timedelta(days=data.draw(st.integers(0, 3)))
    plan = plan_visits(
        residents, records, policy, grid, start=start, end=end, capacity_per_member=capacity
    )
    _check_plan(plan, grid, residents, records, policy, start, end, capacity)


# --------------------------------------------------------------------------- round trips


def _roundtrip(value: object) -> None:
    data = to_dict(value)
    assert from_dict(data) == value
    assert from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == value


@given(visit_policies())
def test_policies_round_trip(policy):
    _roundtrip(policy)


@given(st.data(), resident_lists())
def test_records_round_trip(data, residents):
    for record in data.draw(visit_records(residents)):
        _roundtrip(attrs.evolve(record, findings="腰部摔伤", issue_id="i-1"))


@given(st.data(), resident_lists(), days())
def test_due_items_round_trip(data, residents, day):
    records = data.draw(visit_records(residents))
    for item in due_visits(
        residents, records, DEFAULT_POLICY, on=day, major_changes=data.draw(changes(residents))
    ):
        _roundtrip(item)


@given(files(), visit_policies(), st.one_of(month_ends(), days()))
def test_every_drawn_policy_keeps_the_visit_invariants(
    resident: Resident, policy: VisitPolicy, day: date
) -> None:
    check_visit_policy(policy, resident, day)


# --------------------------------------------------------------------------- reasons, escalations, logs


@given(st.data(), resident_lists(grid=SAMPLE_GRID), visit_policies(), days())
def test_every_due_visit_explains_itself_and_every_missed_one_goes_one_tier_up(
    data, residents, policy, day
):
    records = data.draw(visit_records(residents))
    moved = data.draw(changes(residents))
    due = list(due_visits(residents, records, policy, on=day, major_changes=moved))
    names = {r.id: r.name for r in residents}
    for item in due:
        assert item.resident_name == names[item.resident]
        assert item.reason.ids("resident") == (item.resident,)
        assert item.resident_name in item.reason.zh and item.resident_name in item.reason.en
        assert item.reason.ids("rule") == (() if item.rule is None else (item.rule.id,))
    escalations = list(missed_visit_escalations(due, SAMPLE_GRID))
    assert [e.resident for e in escalations] == [i.resident for i in due if i.missed]
    for e in escalations:
        unit = SAMPLE_GRID.place_unit(e.household)
        assert unit.tier == SAMPLE_GRID.scheme.bottom.name
        above = SAMPLE_GRID.parent(unit.id) or unit
        leader = SAMPLE_GRID.leader(above.id)
        assert (e.from_unit, e.from_name, e.to, e.to_name) == (
            unit.id, unit.name, above.id, above.name
        )
        assert (e.leader, e.leader_name) == (
            (leader.id, leader.name) if leader else (None, None)
        )
        assert e.reason.ids("unit")[0] == unit.id
        assert from_dict(to_dict(e)) == e


@given(st.data(), resident_lists())
def test_a_log_keeps_each_record_once(data, residents):
    records = data.draw(visit_records(residents))
    again = data.draw(st.lists(st.sampled_from(records), max_size=5)) if records else []
    log = VisitLog(records=records + again)
    assert log == VisitLog(records=records)
    assert log.with_records(again) == log
    assert all(rec in log for rec in records)


@st.composite
def roster_files(draw: st.DrawFn) -> list[Resident]:
    """Files, some with every condition standing (no window: the roster's profiles), some
    with windows (matched one by one), some too young for most rules."""
    out = []
    for r in draw(resident_lists()):
        how = draw(st.sampled_from(["as drawn", "standing", "young"]))
        if how == "standing":
            r = attrs.evolve(r, conditions=[attrs.evolve(c, start=None, end=None)
                                            for c in r.conditions])
        elif how == "young":
            r = attrs.evolve(r, birth_date=date(2000, 6, 1), file_opened=None)
        out.append(r)
    return out


@given(st.data(), roster_files(), visit_policies(), days())
def test_a_sweep_over_a_roster_finds_what_a_sweep_over_the_files_does(
    data, residents, policy, day
):
    """The compiled road (VisitRoster: profiles, stretch starts, the winning rule only) gives
    the very items of the plain sweep, in the same order, over records or a log, with major
    changes, checked or not."""
    records = data.draw(visit_records(residents))
    moved = data.draw(changes(residents))
    roster = VisitRoster(residents=residents, policy=policy)
    for recs in (records, VisitLog(records=records)):
        expected = list(due_visits(residents, recs, policy, on=day, major_changes=moved))
        got = list(due_visits(roster, recs, policy, on=day, major_changes=moved))
        assert got == expected
        checked = list(due_visits(roster, recs, policy, on=day, major_changes=moved, check=True))
        assert checked == expected
    under = {r.id for r in residents if policy.matching(r, on=day)}
    assert under <= {r.id for r in roster.candidates(day)}


@given(st.data(), roster_files(), visit_policies(), days())
def test_a_sweep_over_a_roster_joined_with_a_log_finds_what_the_plain_sweep_does(
    data, residents, policy, day
):
    """RosterLog (last visits by roster position) and the compact form (due_ids) give the
    plain sweep's answers: with records of residents the roster does not hold, after the
    join is extended with new records (the old join unchanged), with major changes, and on
    days before the log's latest record."""
    records = data.draw(visit_records(residents))
    outsiders = data.draw(
        st.lists(files(ids=st.sampled_from(["x0", "x1"])), max_size=2, unique_by=lambda r: r.id)
    )
    strangers = [attrs.evolve(rec, id=f"x{i}") for i, rec in enumerate(
        data.draw(visit_records(outsiders, max_size=4)))]
    everything = data.draw(st.permutations(records + strangers))
    cut = data.draw(st.integers(0, len(everything)))
    moved = data.draw(changes(residents))
    roster = VisitRoster(residents=residents, policy=policy)
    before = roster.join(VisitLog(records=everything[:cut]))
    joined = before.with_records(everything[cut:])
    assert joined == roster.join(VisitLog(records=everything))
    assert joined.log == VisitLog(records=everything)
    for r in residents:
        assert joined.last_visit(r.id) == joined.log.last_visit(r.id)
    for j, recs in ((before, everything[:cut]), (joined, everything)):
        expected = list(due_visits(residents, recs, policy, on=day, major_changes=moved))
        assert list(due_visits(roster, j, policy, on=day, major_changes=moved)) == expected
        compact = [(d.resident, d.due) for d in expected]
        assert list(due_ids(roster, j, policy, on=day, major_changes=moved)) == compact
        assert list(due_ids(residents, recs, policy, on=day, major_changes=moved)) == compact
        assert list(due_ids(roster, j.log, policy, on=day, major_changes=moved)) == compact
        if not strangers:
            checked = due_visits(roster, j, policy, on=day, major_changes=moved, check=True)
            assert list(checked) == expected
