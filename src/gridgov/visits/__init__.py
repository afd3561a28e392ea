"""Visits (走访, 入户): who must be visited, when, and by whom.

Grid workers look after vulnerable residents by visiting them.  How often is a *policy*,
kept here as plain data, and the package computes from it, for a whole city, who is due,
who has missed a visit, a plan for the workers and the monthly coverage:

* :mod:`~gridgov.visits.frequency`: :class:`Frequency` — how often (daily, every *n* days,
  weekly, optionally on given weekdays, every *n* weeks, monthly, quarterly, or an explicit
  dateutil ``rrule``) and the grace before a visit counts as missed;
* :mod:`~gridgov.visits.policy`: :class:`VisitRule` (to whom — a :class:`~gridgov.Criteria`
  on the personal file — how often, in which colour 红/黄/绿, and why), :class:`VisitPolicy`
  (the strictest matching rule wins, :class:`VisitRequirement` says why),
  :class:`MajorChange` and :data:`DEFAULT_POLICY`;
* :mod:`~gridgov.visits.records`: :class:`VisitRecord` and :class:`VisitLog` (records kept
  grouped by resident for daily sweeps), :func:`check_records`;
* :mod:`~gridgov.visits.sweep`: :func:`due_visits` sweeps a city for one day and
  :func:`next_due` answers for one resident, as :class:`DueVisit` values;
* :mod:`~gridgov.visits.missed`: :func:`missed_visit_escalations` sends missed visits one
  tier up;
* :mod:`~gridgov.visits.plan`: :func:`plan_visits` staffs the visits of a date range;
* :mod:`~gridgov.visits.coverage`: :func:`coverage` reports the monthly visit rate per unit.

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord, next_due
    >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
    >>> DEFAULT_POLICY.requirement(lu, on=date(2026, 11, 26)).rule.id
    'discharged_alone'
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 20, 9, tzinfo=CST))]
    >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2026, 11, 26))
    >>> item.due, item.rule.id, item.days_overdue, item.missed
    (datetime.date(2026, 11, 25), 'discharged_alone', 1, True)
"""

from __future__ import annotations

from gridgov.visits.coverage import VisitCoverage, coverage
from gridgov.visits.frequency import MAX_RRULE_COUNT, MAX_VISIT_DAYS, Frequency, FrequencyUnit
from gridgov.visits.missed import MissedVisitEscalation, missed_visit_escalations
from gridgov.visits.plan import (
    MAX_PLAN_DAYS,
    MemberAvailability,
    PlannedVisit,
    VisitPlan,
    VisitShortfall,
    plan_visits,
)
from gridgov.visits.policy import (
    DEFAULT_POLICY,
    MAX_VISIT_RULES,
    MajorChange,
    VisitColour,
    VisitPolicy,
    VisitRequirement,
    VisitRule,
)
from gridgov.visits.records import VisitLog, VisitMode, VisitRecord, check_records
from gridgov.visits.roster import RosterLog, VisitRoster
from gridgov.visits.sweep import DueVisit, VisitWindow, due_ids, due_visits, next_due

__all__ = [
    "DEFAULT_POLICY",
    "MAX_PLAN_DAYS",
    "MAX_RRULE_COUNT",
    "MAX_VISIT_DAYS",
    "MAX_VISIT_RULES",
    "DueVisit",
    "Frequency",
    "FrequencyUnit",
    "MajorChange",
    "MemberAvailability",
    "MissedVisitEscalation",
    "PlannedVisit",
    "RosterLog",
    "VisitColour",
    "VisitCoverage",
    "VisitLog",
    "VisitMode",
    "VisitPlan",
    "VisitPolicy",
    "VisitRecord",
    "VisitRequirement",
    "VisitRoster",
    "VisitRule",
    "VisitShortfall",
    "VisitWindow",
    "check_records",
    "coverage",
    "due_ids",
    "due_visits",
    "missed_visit_escalations",
    "next_due",
    "plan_visits",
]
