"""Builders shared by the visits unit tests (not a test module)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from gridgov import CST, Criteria, GridGraph, GridUnit, Member, Post, Resident, Role
from gridgov.visits import Frequency, VisitColour, VisitMode, VisitPolicy, VisitRecord, VisitRule

D = date
BORN = D(1950, 6, 1)
OPENED = D(2020, 1, 1)
_WHO = ("min_age", "max_age", "conditions_all", "conditions_any", "tags_all", "tags_any")


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


def elder(
    rid: str = "r1",
    *,
    born: date = BORN,
    conditions: Any = (),
    opened: date | None = OPENED,
    tags: Any = (),
    name: str = "居民",
) -> Resident:
    return Resident(
        id=rid,
        name=name,
        household="h-0001",
        birth_date=born,
        conditions=conditions,
        file_opened=opened,
        tags=tags,
    )


def rule(rid: str = "x", freq: Frequency | None = None, **kw: Any) -> VisitRule:
    """A rule; the criteria may be given as Criteria's own keywords."""
    who = {k: kw.pop(k) for k in _WHO if k in kw}
    return VisitRule(
        id=rid,
        frequency=freq or Frequency.monthly(),
        colour=kw.pop("colour", VisitColour.GREEN),
        reason=kw.pop("reason", "测试"),
        who=Criteria(**who),
        **kw,
    )


def policy(*rules: VisitRule, **kw: Any) -> VisitPolicy:
    return VisitPolicy(rules=rules, **kw)


MONTHLY_60 = policy(rule("m", Frequency.monthly(grace_days=3), min_age=60))


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


def resident_in(rid: str, household: str, **kw: Any) -> Resident:
    return attrs.evolve(elder(rid, **kw), household=household)
