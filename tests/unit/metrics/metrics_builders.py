"""Case facts for the metrics tests (not a test module): one consistent story per call, and a
hypothesis strategy of such stories.

A story is told the way a case lives: it is accepted (or rejected), dispatched, resolved,
closed and evaluated in that order, each stage optional once the one before it happened; a
suspended case is not closed; the ``*_on_time`` outcomes are read from the moments and the
deadlines, so they never contradict them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    CaseFacts,
    CaseStatus,
    Channel,
    Satisfaction,
    Severity,
)

START = datetime(2026, 10, 1, 9, tzinfo=CST)
CHAINS = (("m1", "g1", "c1"), ("m2", "g1", "c1"), ("m3", "g2", "c1"), ("m4", "g3", "c2"))
CATEGORIES = ("facility_repair", "environment", "appliance_repair", "housekeeping", "complaint")

_n = iter(range(10**9))


def story(
    *,
    opened: float = 0.0,
    chain: tuple[str, ...] = CHAINS[0],
    category: str = "facility_repair",
    accepted: bool = True,
    rejected: bool = False,
    dispatched: bool = True,
    resolved: bool = True,
    closed: bool = True,
    evaluated: bool = True,
    accept_hours: float = 2.0,
    resolve_days: float = 3.0,
    accept_limit_hours: float | None = 8.0,
    dispatch_limit_hours: float | None = None,
    resolve_limit_days: float | None = 5.0,
    extension_days: float = 0.0,
    suspended: bool = False,
    rework: int = 0,
    satisfaction: Satisfaction = Satisfaction.SATISFIED,
    escalated_to: tuple[str, ...] = (),
    beyond: bool = False,
    merged: bool = False,
    severity: int = 1,
    closer: str | None = None,
    **more: Any,
) -> CaseFacts:
    """The facts of one case opened *opened* days after 1 October 2026, 09:00 CST."""
    n = next(_n)
    at = START + timedelta(days=opened)
    acc = at + timedelta(hours=accept_hours) if accepted and not rejected else None
    rej = at + timedelta(hours=accept_hours) if rejected else None
    dis = acc + timedelta(hours=1) if acc and dispatched else None
    res = dis + timedelta(days=resolve_days) if dis and resolved else None
    clo = res + timedelta(hours=4) if res and closed and not suspended else None
    eva = clo + timedelta(days=1) if clo and evaluated else None
    accept_due = at + timedelta(hours=accept_limit_hours) if accept_limit_hours else None
    dispatch_due = (
        acc + timedelta(hours=dispatch_limit_hours) if acc and dispatch_limit_hours else None
    )
    unextended = acc + timedelta(days=resolve_limit_days) if acc and resolve_limit_days else None
    due = unextended + timedelta(days=extension_days) if unextended else None

    def met(moment: datetime | None, deadline: datetime | None) -> bool | None:
        return None if moment is None or deadline is None else moment <= deadline

    owner = (beyond and "ext-body") or (escalated_to[-1] if escalated_to else chain[0])
    status = (
        CaseStatus.MERGED if merged else CaseStatus.REJECTED if rej else
        CaseStatus.SUSPENDED if suspended else CaseStatus.EVALUATED if eva else
        CaseStatus.CLOSED if clo else CaseStatus.RESOLVED if res else
        CaseStatus.DISPATCHED if dis else CaseStatus.ACCEPTED if acc else CaseStatus.REPORTED
    )
    fields: dict[str, Any] = {
        "case": f"k-{n}", "issue": f"i-{n}", "category": category,
        "categories": DEFAULT_CATALOGUE.lineage(category), "severity": Severity(severity),
        "channel": Channel.APP, "place": None, "located": True, "grid_version": "v1", "chain": chain,
        "micro_grid": chain[0], "filed_unit": chain[0], "owner": owner,
        "closing_unit": (closer or owner) if clo else None, "status": status,
        "reported_at": at, "opened_at": at, "accepted_at": acc, "rejected_at": rej, "dispatched_at": dis,
        "resolved_at": res, "closed_at": clo, "evaluated_at": eva, "accept_due": accept_due,
        "dispatch_due": dispatch_due, "resolve_due": due, "resolve_due_unextended": unextended,
        "accepted_on_time": met(acc, accept_due), "dispatched_on_time": met(dis, dispatch_due),
        "resolved_on_time": met(res, due), "resolved_on_time_unextended": met(res, unextended),
        "extensions": 1 if extension_days else 0, "extension_requests": 1 if extension_days else 0,
        "suspensions": 1 if suspended else 0, "suspended": suspended, "rework": rework if res else 0,
        "verification_failures": rework if res else 0, "escalations": len(escalated_to) + beyond,
        "escalation_path": (*escalated_to, *(("ext-body",) if beyond else ())),
        "beyond": beyond, "merged_into": "k-0" if merged else None,
        "satisfaction": satisfaction if eva else None,
    }
    fields.update(more)
    return CaseFacts(**fields)


@st.composite
def stories(draw: st.DrawFn) -> CaseFacts:
    """Consistent facts of one case, opened in October to December 2026."""
    chain = draw(st.sampled_from(CHAINS))
    accepted = draw(st.booleans())
    climb = draw(st.integers(0, len(chain) - 1))
    return story(
        opened=draw(st.floats(0, 80)),
        chain=chain,
        category=draw(st.sampled_from(CATEGORIES)),
        accepted=accepted,
        rejected=not accepted and draw(st.booleans()),
        dispatched=draw(st.booleans()),
        resolved=draw(st.booleans()),
        closed=draw(st.booleans()),
        evaluated=draw(st.booleans()),
        accept_hours=draw(st.floats(0.1, 30)),
        resolve_days=draw(st.floats(0.1, 20)),
        accept_limit_hours=draw(st.sampled_from([None, 4.0, 8.0, 24.0])),
        dispatch_limit_hours=draw(st.sampled_from([None, 0.5, 2.0])),
        resolve_limit_days=draw(st.sampled_from([None, 2.0, 5.0, 15.0])),
        extension_days=draw(st.sampled_from([0.0, 0.0, 3.0, 10.0])),
        suspended=draw(st.booleans()),
        rework=draw(st.integers(0, 2)),
        satisfaction=draw(st.sampled_from(list(Satisfaction))),
        escalated_to=chain[1 : climb + 1],
        beyond=draw(st.booleans()) and climb == len(chain) - 1,
        merged=draw(st.integers(0, 9)) == 0,
        severity=draw(st.integers(1, 4)),
    )
