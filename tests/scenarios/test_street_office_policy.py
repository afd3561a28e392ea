"""Scenario: the street office asks what happens if the grid's resolve limit drops from 5 to 3
working days (issue 19, must-show 3).

``street_office_policy.py`` builds the street of ``street_office_config.py`` as a simulation
setup — its router and escalation policy, its residents, its current team of one worker per
unit and a load like its tickets — and compares the two limits over 60 simulated days on one
seeded load.  The tests check the direction of the effects and that their sizes are
reasonable: the same issues arrive under both; with the tighter limit more cases are
escalated from the grid tier, by RESOLVE_OVERDUE; the micro-grids, below the grid, see no
change at all; the grids' queues shrink as their cases move up, and the communities' grow.
"""

from __future__ import annotations

from street_office_policy import DAYS, PER_DAY, comparison, setup

from gridgov import Trigger
from gridgov.simulation import BEYOND


def test_both_limits_see_the_same_issues() -> None:
    c = comparison()
    assert c.base.days == c.variant.days == DAYS
    assert [d.new_issues for d in c.base.daily] == [d.new_issues for d in c.variant.daily]
    # About the tickets' rate, fewer on the Qingming holiday (清明, 4–6 April).
    assert 0.85 * PER_DAY * DAYS < c.base.cases < 1.1 * PER_DAY * DAYS
    holiday = [d.new_issues for d in c.base.daily if d.day.month == 4 and 4 <= d.day.day <= 6]
    assert sum(holiday) < 3 * PER_DAY * 0.75
    assert (c.base.name, c.variant.name) == ("网格5日", "网格3日")


def test_the_tighter_limit_sends_more_cases_up_from_the_grid() -> None:
    c = comparison()
    base, variant = c.base.escalations_by_tier, c.variant.escalations_by_tier
    assert variant["grid"] > base["grid"] > 0
    assert (c.variant.escalations_by_trigger[Trigger.RESOLVE_OVERDUE.value]
            > c.base.escalations_by_trigger[Trigger.RESOLVE_OVERDUE.value])
    # The grid's is the largest rise, and a reasonable one: more, not everything.
    rise = {t: variant[t] / base[t] for t in c.base.tiers if base[t]}
    assert max(rise, key=rise.__getitem__) == "grid"
    assert 1.2 < rise["grid"] < 4
    assert variant["grid"] < c.base.cases / 5
    line = c.line("escalations", "grid")
    assert line.change == variant["grid"] - base["grid"]
    assert line.reason.zh.startswith("网格上报") and "网格5日" in line.reason.zh
    assert "网格3日" in line.reason.en


def test_below_the_grid_nothing_changes() -> None:
    c = comparison()
    assert c.base.escalations_by_tier["micro_grid"] == c.variant.escalations_by_tier["micro_grid"]
    assert c.base.utilisation["micro_grid"] == c.variant.utilisation["micro_grid"]
    assert c.base.backlog("micro_grid") == c.variant.backlog("micro_grid")
    assert c.line("escalations", "micro_grid").change == 0


def test_the_grids_queues_shrink_and_the_communities_grow() -> None:
    c = comparison()
    assert c.line("backlog", "grid").change < 0
    assert c.line("backlog", "community").change > 0
    # Day by day, from the first case the tighter limit moves: never more open at the grids.
    assert all(v <= b for b, v in zip(c.base.backlog("grid"), c.variant.backlog("grid"), strict=True))
    assert c.base.backlog(BEYOND)[-1] >= 0


def test_the_team_is_busy_and_the_indicators_move_the_expected_way() -> None:
    c = comparison()
    for run in (c.base, c.variant):
        assert 0.5 < run.utilisation["grid"] <= 1
        assert 0.3 < run.utilisation["micro_grid"] < 1
    timely = c.line("indicator", "timely_resolve_rate")
    assert timely.variant <= timely.base
    assert "淮河路街道" in timely.reason.zh


def test_the_setups_differ_only_in_the_grid_limit() -> None:
    five, three = setup(5), setup(3)
    changed = [
        (a.name, a.resolve_within, b.resolve_within)
        for a, b in zip(five.escalation.slas, three.escalation.slas, strict=True)
        if a != b
    ]
    assert [(name, a.amount, b.amount) for name, a, b in changed] == [("网格", 5, 3)]
    assert (five.router, five.staffing, five.load) == (three.router, three.staffing, three.load)
