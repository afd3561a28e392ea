"""Shared builders for the tests: a fixed moment, the sample grid and router, issues, cases.

Imported as ``builders`` (``tests/`` is on the path through ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from gridgov import (
    CST,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Channel,
    Deadline,
    Issue,
    Reason,
    Reporter,
    Router,
    WorkCalendar,
)
from gridgov.cases import Case, CaseEvent, CaseOpened, Escalated, Trigger, apply_event
from gridgov.demo import sample_grid

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=CST)  # a Thursday
"""The moment most tests start at."""
GRID = sample_grid()
CAL = WorkCalendar()
ROUTER = Router(grid=GRID, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)


def at(hours: float) -> datetime:
    """*hours* after :data:`T0`."""
    return T0 + timedelta(hours=hours)


def make_issue(n: int = 1, **kw: object) -> Issue:
    """Issue ``i-<n>``: a routine facility repair at household h-1001 reported at T0."""
    fields: dict[str, object] = {
        "id": f"i-{n}",
        "category": "facility_repair",
        "severity": 1,
        "channel": Channel.APP,
        "place": "h-1001",
        "reporter": Reporter.resident(f"r-{n}"),
        "reported_at": T0,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


def make_case(
    n: int = 1,
    *,
    hours: float = 0,
    accept: float | None = 4,
    resolve: float | None = 48,
    case_id: str | None = None,
    **issue: object,
) -> Case:
    """Case ``c-<n>`` opened on its issue (see :func:`make_issue`) *hours* after T0, with
    natural-time accept and resolve deadlines *accept* and *resolve* hours after that, on the
    chain of its place (or its unit; unlocated, the top unit) in the sample grid."""
    start = at(hours)
    item = make_issue(n, reported_at=start, **issue)
    if item.place is not None:
        chain = GRID.place_chain(item.place)
    else:  # about a unit, or unlocated (待定位): filed with the grid's top unit
        chain = GRID.chain(item.unit if item.unit is not None else GRID.roots[0].id)
    return Case(
        events=[
            CaseOpened(
                at=start,
                actor="m-li",
                case=f"c-{n}" if case_id is None else case_id,
                issue=item,
                chain=chain,
                grid_version=GRID.version,
                accept_by=None
                if accept is None
                else Deadline(start=start, due=start + timedelta(hours=accept)),
                resolve_by=None
                if resolve is None
                else Deadline(start=start, due=start + timedelta(hours=resolve)),
            )
        ]
    )


def run(case: Case, *events: CaseEvent) -> Case:
    """*case* after *events*, applied one by one."""
    for e in events:
        case = apply_event(case, e)
    return case


def escalated_to(
    case: Case,
    to: str,
    to_name: str,
    *,
    hours: float = 1,
    beyond: bool = False,
    resolve: float | None = 24,
    trigger: Trigger = Trigger.MANUAL,
) -> Case:
    """*case* after a hand-built :class:`Escalated` event from its owner to *to*."""
    return apply_event(
        case,
        Escalated(
            at=at(hours),
            actor="m",
            trigger=trigger,
            from_unit=case.owner,
            from_name=case.owner_name,
            to=to,
            to_name=to_name,
            beyond=beyond,
            via="吹哨报到" if beyond else "",
            reason=Reason(zh="上报", en="escalated"),
            resolve_by=None
            if resolve is None
            else Deadline(start=at(hours), due=at(hours + resolve)),
        ),
    )


def ids(cases: Iterable[Case]) -> list[str]:
    """The ids of *cases*, in order."""
    return [c.id for c in cases]
