"""The street office's policy question (not a test module): should the grid's resolve limit
(the SLA "网格" of its escalation policy) be 5 working days or 3?

:func:`setup` builds the street office of ``street_office_config.py`` as a simulation setup —
its router, its escalation policy, its residents and households, its current team (one
worker per unit, as its members: each unit has one leader) and a load like its tickets
(about 143 a day over 3,000 households, the same categories, severities and shares of
unlocated calls and of calls by residents with a file).  :func:`comparison` runs the
two limits on the same seeded load for 60 days from the scenario's start; its result is
what ``test_street_office_policy.py`` checks and what the docs' figures show.
"""

from __future__ import annotations

from functools import cache

import attrs
from street_office_config import (
    FAMILIES,
    PARENT_WEIGHTS,
    POLICY,
    ROUTER,
    SEED,
    START,
    STREET,
    TICKETS,
)

from gridgov import Channel, EscalationPolicy, TimeLimit
from gridgov.simulation import (
    Comparison,
    Exponential,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    Staffing,
    StaffLine,
    Uniform,
    compare,
)
from gridgov.visits import DEFAULT_POLICY

DAYS = 60
GRID_SLA = "网格"
SEVERITIES = {1: 55, 2: 28, 3: 13, 4: 4}  # as the scenario's tickets
CHANNELS = {Channel.HOTLINE_12345: 0.6, Channel.APP: 0.4}  # 12345, or any other way in
PER_DAY = TICKETS / 14  # its tickets came over two weeks
UNLOCATED = 0.08
BY_RESIDENTS = 0.16 / (1 - UNLOCATED)  # of the located calls, those by residents with a file
HANDLING = [  # working hours a case takes, by family (the refinements take their family's)
    Handling(category="dispute", time=LogNormal(median=3.0, sigma=0.6)),
    Handling(category="facilities", time=LogNormal(median=2.5, sigma=0.5)),
    Handling(category="sanitation", time=Exponential(mean=1.5)),
    Handling(category="public_security", time=LogNormal(median=3.0, sigma=0.5)),
    Handling(category="traffic", time=Exponential(mean=1.0)),
    Handling(category="housing", time=LogNormal(median=4.0, sigma=0.6)),
    Handling(category="social_security", time=Uniform(low=0.5, high=2.0)),
    Handling(category="elder_care", time=Uniform(low=1.0, high=3.0)),
    Handling(category="enquiry", time=Exponential(mean=0.5)),
    Handling(category="suggestion", time=Exponential(mean=0.5)),
]


def grid_limit(policy: EscalationPolicy, days: int) -> EscalationPolicy:
    """*policy* with the grid tier's resolve limit set to *days* working days."""
    slas = [
        attrs.evolve(s, resolve_within=TimeLimit.working_days(days)) if s.name == GRID_SLA else s
        for s in policy.slas
    ]
    return attrs.evolve(policy, name=f"{policy.name}（网格{days}个工作日）", slas=slas)


def load() -> LoadModel:
    """A load like the scenario's tickets: a family by its weight, then itself (a quarter
    of the time) or one of its refinements, each at every severity by the tickets' shares,
    by 12345 or by another channel."""
    total_weight = sum(PARENT_WEIGHTS.values())
    total_severity = sum(SEVERITIES.values())
    per_household = PER_DAY / len(STREET.households)
    lines = []
    for family, weight in PARENT_WEIGHTS.items():
        children = [code for code, _, _ in FAMILIES[family][2]]
        shares = {family: 1.0} if not children else {
            family: 0.25, **{c: 0.75 / len(children) for c in children}}
        for code, share in shares.items():
            for severity, s_weight in SEVERITIES.items():
                rate = per_household * weight / total_weight * share * s_weight / total_severity
                lines.extend(LoadLine(category=code, severity=severity, rate=rate * c_share,
                                      channel=channel) for channel, c_share in CHANNELS.items())
    return LoadModel(lines=lines, located=1 - UNLOCATED, residents=BY_RESIDENTS,
                     holiday=0.5, dissatisfied=0.1)


def staffing() -> Staffing:
    """The current team: one worker (the unit's leader) in every unit, seven working hours a
    day (the street's office hours), half an hour a visit."""
    return Staffing(
        lines=[StaffLine(tier=t, workers=1, hours=7) for t in ROUTER.grid.scheme.names],
        handling=HANDLING,
        default=Exponential(mean=2.0),
        visit_hours=0.5,
    )


@cache
def setup(grid_days: int = 5) -> Setup:
    """The street office with the grid's resolve limit at *grid_days* working days."""
    return Setup(
        name=f"网格{grid_days}日",
        router=ROUTER,
        escalation=grid_limit(POLICY, grid_days),
        visits=DEFAULT_POLICY,
        residents=STREET.residents,
        households=STREET.households,
        staffing=staffing(),
        load=load(),
    )


@cache
def comparison(days: int = DAYS) -> Comparison:
    """Five working days (base) against three (variant) for the grid, over *days* days."""
    return compare(setup(5), setup(3), start=START.date(), days=days, seed=SEED)
