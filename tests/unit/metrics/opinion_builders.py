"""Builders for the opinion library's tests: CaseFacts made directly (no case needed)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from gridgov import CST, Channel, Satisfaction, Severity
from gridgov.cases import CaseStatus
from gridgov.metrics import CaseFacts

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=CST)

# A small drawn grid, as cases were filed along it: community "c" > grids g1, g2 > micro-grids.
CHAINS = {
    "mg11": ("mg11", "g1", "c"),
    "mg12": ("mg12", "g1", "c"),
    "mg13": ("mg13", "g1", "c"),
    "mg21": ("mg21", "g2", "c"),
}
LINEAGE = {
    "environment": ("environment",),
    "appliance_repair": ("appliance_repair", "volunteer_service"),
    "housekeeping": ("housekeeping", "volunteer_service"),
    "volunteer_service": ("volunteer_service",),
    "dispute": ("dispute",),
}


def facts(
    case: str,
    *,
    mg: str = "mg11",
    category: str = "environment",
    day: int = 0,
    hours: float = 0,
    status: CaseStatus = CaseStatus.CLOSED,
    channel: Channel = Channel.APP,
    place: str | None = "auto",
    satisfaction: Satisfaction | None = None,
    merged_into: str | None = None,
    duplicates: int = 0,
    filed_unit: str | None = None,
    closing_unit: str | None = "auto",
    owner: str | None = None,
    at: datetime | None = None,
    **kw: Any,
) -> CaseFacts:
    """One case's facts: reported *day* days (and *hours*) after T0 at a place of *mg*."""
    chain = CHAINS[mg]
    reported = at if at is not None else T0 + timedelta(days=day, hours=hours)
    closed = status in (CaseStatus.CLOSED, CaseStatus.EVALUATED)
    if merged_into is not None:
        status = CaseStatus.MERGED
        closed = False
    return CaseFacts(
        case=case,
        issue=f"i-{case}",
        category=category,
        categories=LINEAGE[category],
        severity=Severity.ROUTINE,
        channel=channel,
        place=f"{mg}-h1" if place == "auto" else place,
        located=True,
        grid_version="v1",
        chain=chain,
        micro_grid=chain[0],
        filed_unit=filed_unit or chain[0],
        owner=owner or filed_unit or chain[0],
        closing_unit=(filed_unit or chain[0])
        if closing_unit == "auto" and closed
        else (None if closing_unit == "auto" else closing_unit),
        status=status,
        reported_at=reported,
        opened_at=reported,
        closed_at=reported + timedelta(days=2) if closed else None,
        satisfaction=satisfaction,
        merged_into=merged_into,
        duplicates=duplicates,
        **kw,
    )
