"""Escalation (上报): when a case goes up a tier, to whom, and how soon each tier must act.

* :mod:`gridgov.escalation.policy` — :class:`EscalationPolicy`, its :class:`Sla` s and the
  :class:`ExternalBody` beyond the grid: plain data, serialisable with
  :func:`~gridgov.to_dict`.
* :mod:`gridgov.escalation.proposals` — the one shape of "goes up": an :class:`Escalation`
  proposal, :func:`escalation_for` (by hand, 主动上报) and :func:`escalate`, which applies a
  proposal as it is.
* :mod:`gridgov.escalation.sweep` — :func:`due_escalations`, every escalation due among many
  cases at a moment, and :func:`candidate_duplicates`.
* :mod:`gridgov.escalation.lights` — :func:`warning`, a case's traffic light.

Triggers (:class:`~gridgov.cases.Trigger`): the owner may not handle the case under the
router's responsibility matrix (incapable), the accept or resolve deadline passed, the
severity was raised beyond what the owner may handle, the same matter was reported
``repeat_count`` times at the same place within ``repeat_window``, the resident was
dissatisfied ``dissatisfied_count`` times, or the owner escalated it by hand (manual 上报,
always allowed).  An escalation moves ownership to the parent unit only — never sideways,
never down — and from the top tier to a named :class:`ExternalBody` (吹哨报到); after it,
no further escalation is possible.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
    >>> from gridgov import Router, TimeLimit
    >>> from gridgov.cases import Accepted
    >>> from gridgov.demo import sample_grid
    >>> from gridgov.workflow import open_case
    >>> policy = EscalationPolicy(
    ...     name="demo", beyond=ExternalBody(id="sd", name="淮河路街道"),
    ...     slas=[Sla(accept_within=TimeLimit.working_hours(4),
    ...               resolve_within=TimeLimit.working_days(5))])
    >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    >>> issue = Issue(id="i-1", category="environment", severity=1, channel=Channel.APP,
    ...               place="h-1001", reporter=Reporter.resident("r-9"),
    ...               reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST))
    >>> case = open_case(issue, router.route(issue), router=router, actor="m-li", policy=policy)
    >>> five = datetime(2026, 11, 26, 17, 0, tzinfo=CST)
    >>> [e.trigger.value for e in due_escalations([case], policy, at=five, router=router)]
    ['accept_overdue']
    >>> case = case.apply(Accepted(at=datetime(2026, 11, 26, 10, 0, tzinfo=CST), actor="m-li"))
    >>> list(due_escalations([case], policy, at=five, router=router))
    []
"""

from __future__ import annotations

from gridgov.escalation.lights import WarningLevel, warning
from gridgov.escalation.policy import (
    DEFAULT_TRIGGERS,
    MAX_REPEAT_WINDOW,
    MAX_SLAS,
    MAX_TRIGGER_COUNT,
    EscalationPolicy,
    ExternalBody,
    Sla,
)
from gridgov.escalation.proposals import MAX_NOTE, Escalation, escalate, escalation_for
from gridgov.escalation.sweep import candidate_duplicates, due_escalations

__all__ = [
    "DEFAULT_TRIGGERS",
    "MAX_NOTE",
    "MAX_REPEAT_WINDOW",
    "MAX_SLAS",
    "MAX_TRIGGER_COUNT",
    "Escalation",
    "EscalationPolicy",
    "ExternalBody",
    "Sla",
    "WarningLevel",
    "candidate_duplicates",
    "due_escalations",
    "escalate",
    "escalation_for",
    "warning",
]
