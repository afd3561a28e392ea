"""Seed story (Erdaojie, 二道街社区): activities for groups — party members, women, elders.

The Erdaojie report plans services around groups: for the party members a 学习强国 points
contest (学习强国积分达人赛), for women health lectures and flower arranging (插花) with the
co-building community hospital, for the elders calligraphy shows.  The party members who
help run them earn volunteer points (积分).

How the library models it (``gridgov.community``): each :class:`~gridgov.Activity` targets
its group with the same :class:`~gridgov.Criteria` as the visit rules (tags ``party_member``
/ ``woman``, an age band), runs on a visits :class:`~gridgov.Frequency`, names its
organisers and partners; :class:`~gridgov.Participation` records who came; :func:`~gridgov.reach`
gives per group and quarter who took part and who was not reached; :func:`~gridgov.points_ledger`
gives the points.  The courtyards, the team and the 9 共建单位 are those of
``test_erdaojie.py``; the residents' files here are illustrative (six per courtyard), as are
the participations, drawn with a seeded ``random.Random``.  The expected figures are computed
independently in the test — by reading tags and birth dates directly, not through
``Criteria`` — and compared.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from test_erdaojie import erdaojie_grid

from gridgov import Criteria, Frequency, GridGraph, Resident
from gridgov.community import (
    Activity,
    Participation,
    PointsPolicy,
    points_ledger,
    reach,
)
from gridgov.metrics import Grain, Period

SEED = 17
Q4 = Period.of(date(2026, 10, 1), Grain.QUARTER)
LAST_DAY = date(2026, 12, 31)


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return erdaojie_grid()


def residents_of(grid: GridGraph) -> list[Resident]:
    """Six files per courtyard: two elders, a party member, two women (one a party member
    too), a child."""
    files = []
    for unit in grid.units_of("micro_grid"):
        homes = [p for p in grid.places_in(unit.id) if p != unit.id]
        kinds = [
            (date(1942, 3, 1), set()),
            (date(1960, 12, 31), {"woman"}),  # turns 66 on the quarter's last day
            (date(1975, 5, 4), {"party_member"}),
            (date(1982, 3, 8), {"woman", "party_member"}),
            (date(1990, 6, 1), {"woman"}),
            (date(2015, 9, 1), set()),
        ]
        for k, (born, tags) in enumerate(kinds):
            files.append(
                Resident(
                    id=f"r-{unit.id}-{k}",
                    name=f"{unit.name}居民{k}",
                    household=homes[k],
                    birth_date=born,
                    tags=tags,
                )
            )
    return files


ACTIVITIES = [
    Activity(
        id="edj-xxqg",
        name="学习强国积分达人赛",
        unit="edj",
        group=Criteria(tags_any={"party_member"}),
        group_name="党员",
        schedule=Frequency.monthly(),
        organisers=["m-sec"],
        points=PointsPolicy(per_activity=10),
    ),
    Activity(
        id="edj-jiankang",
        name="女性健康讲座",
        unit="edj",
        group=Criteria(tags_any={"woman"}),
        group_name="妇女",
        schedule=Frequency.monthly(),
        organisers=["m-g1"],
        partners=["p-yiyuan"],
    ),
    Activity(
        id="edj-chahua",
        name="插花",
        unit="edj",
        group=Criteria(tags_any={"woman"}),
        group_name="妇女",
        schedule=Frequency.quarterly(),
        organisers=["m-g2"],
    ),
    Activity(
        id="edj-shufa",
        name="书法展",
        unit="g1",  # the 二道街 grid's own show
        group=Criteria(min_age=60),
        group_name="老年人",
        schedule=Frequency.quarterly(),
        organisers=["m-g1"],
        points=PointsPolicy(per_hour=4),
    ),
]


def participations(files: list[Resident]) -> list[Participation]:
    """A seeded draw: each resident goes to each activity at most once, on a day from
    September (the quarter before) to December."""
    rng = random.Random(SEED)
    out = []
    for r in files:
        for a in ACTIVITIES:
            if rng.random() < 0.4:
                day = date(2026, rng.randint(9, 12), rng.randint(1, 28))
                out.append(
                    Participation(
                        id=f"{a.id}-{r.id}",
                        activity=a.id,
                        person=r.id,
                        on=day,
                        minutes=rng.choice([30, 45, 60, 90, 120]),
                    )
                )
    return out


def in_group(r: Resident, name: str) -> bool:
    """The groups, read off the files by hand (the oracle; not Criteria)."""
    if name == "党员":
        return "party_member" in r.tags
    if name == "妇女":
        return "woman" in r.tags
    born = r.birth_date
    return (
        LAST_DAY.year - born.year - ((LAST_DAY.month, LAST_DAY.day) < (born.month, born.day))
    ) >= 60


def test_reach_per_group_this_quarter(grid: GridGraph) -> None:
    files = residents_of(grid)
    came = participations(files)
    found = reach(ACTIVITIES, files, came, period=Q4, grid=grid)
    assert [(r.group_name, r.unit, r.activities) for r in found] == [
        ("党员", "edj", ("edj-xxqg",)),
        ("妇女", "edj", ("edj-jiankang", "edj-chahua")),
        ("老年人", "g1", ("edj-shufa",)),
    ]
    g1 = {u.id for u in grid.subtree("g1")}
    for r in found:
        here = [f for f in files if r.unit == "edj" or grid.place_unit(f.household).id in g1]
        members = sorted(f.id for f in here if in_group(f, r.group_name))
        reached = {
            p.person
            for p in came
            if p.activity in r.activities and date(2026, 10, 1) <= p.on <= LAST_DAY
        }
        assert r.members == tuple(members)
        assert r.reached == tuple(m for m in members if m in reached)
        assert set(r.not_reached) == set(members) - reached
        assert r.rate == (len(r.reached), len(members))
        assert f"共{len(members)}人，参加{len(r.reached)}人" in r.reason.zh
    party, women, elders = found
    assert len(party.members) == 2 * 19 and len(women.members) == 3 * 19
    assert len(elders.members) == 2 * 5  # the 二道街 grid's five courtyards
    assert 0 < len(party.reached) < len(party.members)  # some reached, some not: a real answer


def test_the_points_of_the_quarter_sum_exactly(grid: GridGraph) -> None:
    files = residents_of(grid)
    came = participations(files)
    ledger = points_ledger(ACTIVITIES, came)
    rule = {a.id: a.points for a in ACTIVITIES}
    expected: dict[str, int] = {}
    for p in came:
        earned = rule[p.activity].per_activity + p.minutes * rule[p.activity].per_hour // 60
        expected[p.person] = expected.get(p.person, 0) + earned
    assert dict(ledger.balances()) == expected
    assert ledger.total == sum(expected.values()) == sum(e.points for e in ledger.entries)
    assert len(ledger.entries) == len(came)
