"""Unit tests of gridgov.simulation: the models' doors, the run's doors, and what a run does on
the sample community (visits first, queues moving up on escalation, the weekly and holiday
patterns, the two random streams)."""

from __future__ import annotations

import math
import random
from datetime import date, datetime

import attrs
import pytest

from gridgov import (
    CST,
    Channel,
    GridUnit,
    InvalidValueError,
    PolicyError,
    TimeLimit,
    UnknownPlaceError,
)
from gridgov.issues import DEFAULT_CATALOGUE
from gridgov.simulation import (
    BEYOND,
    MAX_HANDLING_HOURS,
    Comparison,
    DayFigures,
    Exponential,
    Fixed,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    SimulationResult,
    Staffing,
    StaffLine,
    Uniform,
    compare,
    sample_setup,
    simulate,
)

START = date(2026, 11, 2)  # a Monday


def run(setup: Setup, days: int = 14, seed: int = 1) -> SimulationResult:
    return simulate(setup, start=START, days=days, rng=random.Random(seed))


# --------------------------------------------------------------------------- the doors


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Fixed(hours=-1), "'hours' of Fixed"),
        (lambda: Fixed(hours=math.nan), "'hours' of Fixed"),
        (lambda: Fixed(hours=True), "'hours' of Fixed"),
        (lambda: Uniform(low=3, high=1), "'high' of Uniform"),
        (lambda: Uniform(low=0, high=MAX_HANDLING_HOURS + 1), "'high' of Uniform"),
        (lambda: Exponential(mean=0), "'mean' of Exponential"),
        (lambda: Exponential(mean=math.inf), "'mean' of Exponential"),
        (lambda: LogNormal(median=-2, sigma=1), "'median' of LogNormal"),
        (lambda: LogNormal(median=2, sigma=4), "'sigma' of LogNormal"),
        (lambda: StaffLine(tier="grid", workers=-1), "'workers' of StaffLine"),
        (lambda: StaffLine(tier="grid", workers=1, hours=25), "'hours' of StaffLine"),
        (lambda: StaffLine(tier="Grid!", workers=1), "'tier' of StaffLine"),
        (lambda: StaffLine(tier="grid", unit="g3", workers=1), "'unit' of StaffLine"),
        (lambda: StaffLine(workers=1), "'tier' or a 'unit'"),
        (lambda: Handling(category="dispute", time=3), "'time' of Handling"),
        (lambda: Staffing(lines=[StaffLine(tier="grid", workers=1)] * 2), "'lines' of Staffing"),
        (lambda: Staffing(handling=[Handling(category="dispute", time=Fixed(hours=1))] * 2),
         "'handling' of Staffing"),
        (lambda: Staffing(visit_hours=-0.5), "'visit_hours' of Staffing"),
        (lambda: Staffing(off_days=2), "'off_days' of Staffing"),
        (lambda: Staffing(unlimited=1), "'unlimited' of Staffing"),
        (lambda: Staffing(default=Fixed), "'default' of Staffing"),
        (lambda: LoadLine(category="dispute", rate=-0.1), "'rate' of LoadLine"),
        (lambda: LoadLine(category="dispute", rate=0.1, severity=5), "'severity' of LoadLine"),
        (lambda: LoadLine(category="dispute", rate=0.1, channel="app"), "'channel' of LoadLine"),
        (lambda: LoadLine(category="Dispute", rate=0.1), "'category' of LoadLine"),
        (lambda: LoadModel(lines=[], weekdays=[1] * 6), "'weekdays' of LoadModel"),
        (lambda: LoadModel(lines=[], weekdays=[1, 1, 1, 1, 1, 1, -1]), "'weekdays' of LoadModel"),
        (lambda: LoadModel(lines=[], holiday=math.nan), "'holiday' of LoadModel"),
        (lambda: LoadModel(lines=[], located=1.5), "'located' of LoadModel"),
        (lambda: LoadModel(lines=[], residents=-1), "'residents' of LoadModel"),
        (lambda: LoadModel(lines=[], dissatisfied=2), "'dissatisfied' of LoadModel"),
        (lambda: LoadModel(lines="dispute"), "'lines' of LoadModel"),
    ],
)
def test_bad_model_parameters_are_refused_naming_the_field(make: object, field: str) -> None:
    with pytest.raises(InvalidValueError, match=field):
        make()  # type: ignore[operator]


def test_a_setup_checks_its_parts_against_the_router() -> None:
    base = sample_setup()
    with pytest.raises(PolicyError, match="'lines' of LoadModel names category 'noise'"):
        attrs.evolve(base, load=LoadModel(lines=[LoadLine(category="noise", rate=0.01)]))
    with pytest.raises(PolicyError, match="'handling' of Staffing names category 'noise'"):
        attrs.evolve(base, staffing=Staffing(
            handling=[Handling(category="noise", time=Fixed(hours=1))]))
    with pytest.raises(UnknownPlaceError, match="'households' of Setup"):
        attrs.evolve(base, households=["h-0001", "nowhere"])
    with pytest.raises(InvalidValueError, match="'indicators' of Setup"):
        attrs.evolve(base, indicators=[])
    with pytest.raises(InvalidValueError, match="'router' of Setup"):
        attrs.evolve(base, router=None)
    with pytest.raises(InvalidValueError, match="'residents' of Setup"):
        attrs.evolve(base, residents=["r-lu"])
    two_tops = base.router.grid.add_unit(GridUnit(id="yx2", name="新社区", tier="community"),
                                         version="two")
    with pytest.raises(PolicyError, match="unlocated_at"):
        attrs.evolve(base, router=attrs.evolve(base.router, grid=two_tops))
    located = attrs.evolve(base.load, located=1)
    assert attrs.evolve(base, load=located,
                        router=attrs.evolve(base.router, grid=two_tops)).load.located == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "'days' must be an integer from 1 to 366"),
        ({"days": 367}, "'days' must be an integer from 1 to 366"),
        ({"days": 3.0}, "'days' must be an integer"),
        ({"start": datetime(2026, 11, 2, tzinfo=CST)}, "'start' must be"),
        ({"rng": 7}, "'rng' must be a random.Random"),
        ({"setup": "setup"}, "'setup' must be"),
    ],
)
def test_simulate_checks_its_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"setup": sample_setup(), "start": START, "days": 3,
                               "rng": random.Random(1)}
    args.update(kwargs)
    setup = args.pop("setup")
    with pytest.raises(InvalidValueError, match=message):
        simulate(setup, **args)  # type: ignore[arg-type]


def test_a_load_too_large_for_a_run_is_refused() -> None:
    base = sample_setup()
    huge = attrs.evolve(base, load=LoadModel(lines=[LoadLine(category="dispute", rate=1)],
                                             weekdays=[50] * 7))
    with pytest.raises(InvalidValueError, match="at most 100,000 a day"):
        run(huge, days=1)


def test_compare_checks_its_arguments() -> None:
    with pytest.raises(InvalidValueError, match="'variant' must be"):
        compare(sample_setup(), None, start=START, days=2, seed=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'seed' must be"):
        compare(sample_setup(), sample_setup(), start=START, days=2, seed="1")  # type: ignore[arg-type]


def test_result_values_validate_their_fields() -> None:
    good = run(sample_setup(), days=2)
    with pytest.raises(InvalidValueError, match="'backlog' of DayFigures"):
        attrs.evolve(good.daily[0], backlog={"grid": -1})
    with pytest.raises(InvalidValueError, match="'backlog' of DayFigures"):
        attrs.evolve(good.daily[0], backlog=[("grid", 1)])
    with pytest.raises(InvalidValueError, match="'utilisation' of SimulationResult"):
        attrs.evolve(good, utilisation={"grid": 1.5})
    with pytest.raises(InvalidValueError, match="one DayFigures per day"):
        attrs.evolve(good, days=3)
    c = Comparison(seed=1, base=good, variant=good, lines=[])
    with pytest.raises(InvalidValueError, match="no line 'backlog'"):
        c.line("backlog", "grid")


# --------------------------------------------------------------------------- the models


def test_distributions_draw_within_their_bounds_and_by_the_seed() -> None:
    rng = random.Random(3)
    assert all(2 <= Uniform(low=2, high=5).draw(rng) <= 5 for _ in range(200))
    assert all(0 <= Exponential(mean=MAX_HANDLING_HOURS).draw(rng) <= MAX_HANDLING_HOURS
               for _ in range(200))
    assert all(0 < LogNormal(median=MAX_HANDLING_HOURS, sigma=3).draw(rng) <= MAX_HANDLING_HOURS
               for _ in range(200))
    d = LogNormal(median=3, sigma=0.7)
    assert [d.draw(random.Random(9)) for _ in range(3)] == [d.draw(random.Random(9))] * 3
    draws = sorted(d.draw(rng) for _ in range(2001))
    assert 2.5 < draws[1000] < 3.5  # the median


def test_staffing_reads_unit_lines_before_tier_lines_and_falls_back_up_the_catalogue() -> None:
    s = Staffing(
        lines=[StaffLine(unit="g3", workers=3, hours=6), StaffLine(tier="grid", workers=1)],
        handling=[Handling(category="volunteer_service", time=Fixed(hours=1.5))],
        default=Fixed(hours=9),
    )
    assert (s.capacity("g3", "grid"), s.capacity("g4", "grid"), s.capacity("yx", "community")) \
        == (18.0, 7.0, 0.0)
    assert s.time_for("appliance_repair", DEFAULT_CATALOGUE) == Fixed(hours=1.5)
    assert s.time_for("volunteer_service", DEFAULT_CATALOGUE) == Fixed(hours=1.5)
    assert s.time_for("dispute", DEFAULT_CATALOGUE) == Fixed(hours=9)
    with pytest.raises(PolicyError):
        s.time_for("no_such_category", DEFAULT_CATALOGUE)


# --------------------------------------------------------------------------- a run


def test_a_run_has_one_day_per_day_and_its_totals_add_up() -> None:
    r = run(sample_setup(), days=21)
    assert [d.day for d in r.daily] == [date.fromordinal(START.toordinal() + i) for i in range(21)]
    assert r.end == date(2026, 11, 23)
    assert r.cases == sum(d.new_issues for d in r.daily) > 0
    assert dict(r.escalations_by_tier) == {
        t: sum(d.escalations[t] for d in r.daily) for t in r.tiers}
    assert sum(r.escalations_by_trigger.values()) == sum(r.escalations_by_tier.values())
    assert sum(r.queues.values()) == sum(r.daily[-1].backlog.values())
    assert r.missed_visits == sum(d.visits_missed for d in r.daily)
    assert list(r.daily[0].backlog) == [*r.tiers, BEYOND]
    for d in r.daily:
        assert d.visits_made + d.visits_missed <= d.visits_due
        assert d.hours_used <= d.hours_available + 1e-6
        assert d.working == (d.day.weekday() < 5)  # November 2026: no holiday
        if not d.working:
            assert d.hours_available == 0 and d.closed == 0 and not any(d.escalations.values())


def test_visits_come_before_cases() -> None:
    base = sample_setup()
    # Half an hour a day at each micro-grid: the visits due take it before any case does.
    thin = attrs.evolve(base, staffing=attrs.evolve(base.staffing, lines=[
        StaffLine(tier="micro_grid", workers=1, hours=0.5),
        StaffLine(tier="grid", workers=1), StaffLine(tier="community", workers=2)]))
    first = run(thin, days=1).daily[0]
    micro_units = len(base.router.grid.units_of("micro_grid"))
    assert first.visits_due > micro_units  # more visits than half-hours
    assert first.visits_made <= micro_units
    assert first.hours_used >= first.visits_made * 0.5


def test_no_staff_means_every_case_climbs_to_the_external_body() -> None:
    base = sample_setup()
    nobody = attrs.evolve(base, staffing=attrs.evolve(base.staffing, lines=[]))
    r = run(nobody, days=28)
    assert r.daily[-1].backlog[BEYOND] > 0
    assert r.escalations_by_tier["community"] > 0  # to the external body, from the top
    # Nobody signs for a case: each climbs by ACCEPT_OVERDUE, and only the body closes any.
    assert r.escalations_by_trigger["accept_overdue"] == sum(r.escalations_by_tier.values())
    assert 0 < sum(d.closed for d in r.daily) <= r.escalations_by_tier["community"]
    assert r.utilisation == dict.fromkeys(r.tiers, 0.0)
    # Every queue left is the body's or a unit's whose case has not yet been swept up.
    assert set(r.queues) <= {BEYOND, *(u.id for u in base.router.grid.units)}


def test_unlimited_staff_close_each_case_the_day_its_owner_takes_it() -> None:
    base = sample_setup()
    generous = attrs.evolve(base, staffing=attrs.evolve(base.staffing, unlimited=True),
                            load=attrs.evolve(base.load, dissatisfied=0))
    r = run(generous, days=14)
    assert r.escalations_by_trigger["resolve_overdue"] == 0
    assert r.escalations_by_trigger["accept_overdue"] == 0
    assert sum(d.closed for d in r.daily) == r.cases - sum(d.new_issues for d in r.daily[-2:])
    # A dissatisfied resident's case is worked again the next day: under the sample's
    # one-working-day limit at the micro-grid, some then run late.
    reworked = run(attrs.evolve(generous, load=base.load), days=14)
    assert reworked.escalations_by_trigger["resolve_overdue"] > 0
    assert all(d.hours_used == d.hours_available for d in r.daily)
    assert r.missed_visits == 0


def test_weekday_and_holiday_factors_shape_the_load() -> None:
    base = sample_setup()
    calendar = base.router.calendar.with_holidays([date(2026, 11, 4)])
    router = attrs.evolve(base.router, calendar=calendar)
    quiet = attrs.evolve(
        base, router=router, escalation=attrs.evolve(base.escalation, calendar=calendar),
        load=attrs.evolve(base.load, weekdays=[1, 1, 1, 1, 1, 0, 0], holiday=0))
    r = run(quiet, days=14)
    by_day = {d.day: d for d in r.daily}
    assert by_day[date(2026, 11, 4)].new_issues == 0 and not by_day[date(2026, 11, 4)].working
    assert all(d.new_issues == 0 for d in r.daily if d.day.weekday() >= 5)
    assert sum(d.new_issues for d in r.daily) > 0


def test_channels_and_unlocated_issues_follow_the_load() -> None:
    base = sample_setup()
    load = LoadModel(lines=[LoadLine(category="policy_enquiry", rate=0.002,
                                     channel=Channel.WALK_IN)], located=0)
    r = run(attrs.evolve(base, load=load), days=3)
    assert r.cases > 0  # unlocated: routed where the router keeps them, and counted there
    assert r.indicator("closing_rate", "yx") is not None


def test_escalated_cases_move_to_the_parent_queue() -> None:
    base = sample_setup()
    slow = attrs.evolve(base, staffing=attrs.evolve(base.staffing, lines=[
        StaffLine(tier="micro_grid", workers=1, hours=0.5),
        StaffLine(tier="grid", workers=3), StaffLine(tier="community", workers=5)]))
    r = run(slow, days=14)
    assert r.escalations_by_tier["micro_grid"] > 0
    grid_units = {u.id for u in base.router.grid.units_of("grid")}
    assert r.daily[-1].backlog["grid"] == sum(n for u, n in r.queues.items() if u in grid_units)


def test_two_setups_on_one_seed_see_the_same_issues() -> None:
    base = sample_setup()
    tighter = [attrs.evolve(s, resolve_within=TimeLimit.working_hours(1)) for s in
               base.escalation.slas]
    other = attrs.evolve(base, name="一小时", escalation=attrs.evolve(base.escalation, slas=tighter))
    c = compare(base, other, start=START, days=14, seed=4)
    assert [d.new_issues for d in c.base.daily] == [d.new_issues for d in c.variant.daily]
    assert (c.base.name, c.variant.name) == ("现行", "一小时")
    esc = c.line("escalations", "micro_grid")
    assert esc.change == esc.variant - esc.base > 0
    assert esc.reason.zh.startswith("微网格上报") and "现行" in esc.reason.zh
    assert esc.reason.en.startswith("escalations from the")
    body = c.line("backlog", BEYOND)
    assert base.escalation.beyond.name in body.reason.zh
    assert body.reason.ids("body") == (base.escalation.beyond.id,)
    top = c.line("indicator", "closing_rate")
    assert top.reason.ids("unit") == ("yx",) and "亚新社区" in top.reason.zh


def test_day_figures_utilisation() -> None:
    d = DayFigures(day=START, working=True, new_issues=0, closed=0, backlog={}, escalations={},
                   visits_due=0, visits_made=0, visits_missed=0, hours_used=0,
                   hours_available=0)
    assert d.utilisation == 0.0
