"""Cases (案件): the closed loop from a routed issue to its evaluation, rebuilt from events.

Grid governance runs a closed loop — 受理 → 立案 → 派遣 → 处置 → 反馈 → 核查 → 结案 → 评价 —
and a :class:`Case` is that loop for one issue.  A case *is* its events: every change is a
frozen, past-tense :class:`CaseEvent` (``Accepted``, ``Escalated``, ``Suspended`` …) with an
aware moment ``at`` and an ``actor``, and the case's status, owner, deadlines and
co-handlers are rebuilt by replaying them.

* :mod:`gridgov.cases.events` — the base :class:`CaseEvent` and the events of the straight
  loop, :class:`Trigger` and :class:`Satisfaction`; :mod:`gridgov.cases.detours` — the
  events off it (suspension, extension, escalation, return, linkage, merging).
* :mod:`gridgov.cases.state` — the typed, frozen :class:`CaseState` and its parts
  (:class:`CaseStatus`, :class:`CoHandler`, :class:`Clocks`, :class:`Report`).
* :mod:`gridgov.cases.lifecycle` — :data:`TRANSITIONS` (event class → where it may happen
  and where it leads) and :func:`transition`, one handler per event class.
* :mod:`gridgov.cases.case` — :class:`Case`, :func:`apply_event`, :func:`replay` and the
  timeline.

Opening a case from a routed issue, re-routing it and merging duplicates need both cases and
escalation policies, so they live above both, in :mod:`gridgov.workflow`; when a case goes up
is :mod:`gridgov.escalation`.

* Ownership moves only up the case's chain, one unit per :class:`Escalated` event, and from
  the top unit "beyond" the grid to a named external body (吹哨报到); after that, no further
  escalation is possible.  The first receiving unit stays accountable (首接负责制).
* Clocks: an accept and a resolve :class:`~gridgov.calendar.Deadline`.  The accept clock
  runs while the case is ``reported``; the resolve clock while it is reported, accepted,
  dispatched or in progress.  Suspension (挂起) pauses both and the suspended time is given
  back, in each deadline's basis, when the case is resumed (解挂).
* Linkage (联动): partners and other units join as co-handlers (:class:`CoHandler`); a case
  cannot be resolved while a required co-handler is still open.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter
    >>> from gridgov.demo import sample_grid
    >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
    >>> issue = Issue(id="i-7", category="facility_repair", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"), reported_at=t)
    >>> case = Case(events=[CaseOpened(at=t, actor="m-li", case="i-7", issue=issue,
    ...     chain=sample_grid().place_chain("h-1001"), grid_version="2026-11")])
    >>> case = case.apply(Accepted(at=t.replace(minute=30), actor="m-li"))
    >>> case.status.zh, case.owner_name, TRANSITIONS[Accepted].target.value
    ('已立案', '美好人家1号楼', 'accepted')
"""

from __future__ import annotations

from gridgov.cases.case import MAX_EVENTS, Case, TimelineEntry, apply_event, replay
from gridgov.cases.detours import (
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    DuplicateMerged,
    Escalated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    MergedInto,
    Resumed,
    Returned,
    SeverityRaised,
    Suspended,
)
from gridgov.cases.events import (
    Accepted,
    CaseEvent,
    CaseOpened,
    Closed,
    Dispatched,
    Evaluated,
    HandlingStarted,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Satisfaction,
    Trigger,
    VerificationFailed,
    Verified,
)
from gridgov.cases.lifecycle import TRANSITIONS, Transition, transition
from gridgov.cases.state import MAX_CO_HANDLERS, CaseState, CaseStatus, Clocks, CoHandler, Report

__all__ = [
    "MAX_CO_HANDLERS",
    "MAX_EVENTS",
    "TRANSITIONS",
    "Accepted",
    "Case",
    "CaseEvent",
    "CaseOpened",
    "CaseState",
    "CaseStatus",
    "Clocks",
    "Closed",
    "CoHandler",
    "CoHandlerCompleted",
    "CoHandlerLinked",
    "CoHandlerReleased",
    "Dispatched",
    "DuplicateMerged",
    "Escalated",
    "Evaluated",
    "ExtensionGranted",
    "ExtensionRefused",
    "ExtensionRequested",
    "HandlingStarted",
    "MergedInto",
    "Rejected",
    "Report",
    "ResidentDissatisfied",
    "ResidentSatisfied",
    "Resolved",
    "Resumed",
    "Returned",
    "Satisfaction",
    "SeverityRaised",
    "Suspended",
    "TimelineEntry",
    "Transition",
    "Trigger",
    "VerificationFailed",
    "Verified",
    "apply_event",
    "replay",
    "transition",
]
