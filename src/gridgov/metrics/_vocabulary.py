"""The counting vocabulary (private): the named predicates over :class:`CaseFacts` that
indicators count, and the moments that place a case in a period.

Each predicate is one line of Python over the facts, with its Chinese name and a one-line
definition; :mod:`gridgov.metrics.indicators` documents them as a table
(:data:`~gridgov.metrics.indicators.VOCABULARY`).  The facts are those known when they were
computed: a case still open counts as open, a deadline already past as missed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from gridgov.cases.events import Satisfaction
from gridgov.issues import Severity
from gridgov.metrics.facts import CaseFacts

__all__ = ["MOMENTS", "PREDICATES", "READS_UNEXTENDED", "Test", "due_at"]

Test = Callable[[CaseFacts], bool]


def _on_time(outcome: bool | None, due: datetime | None) -> bool:
    return outcome is True and due is not None


def _responded(f: CaseFacts) -> bool:
    moment = f.accepted_at or f.rejected_at
    if moment is None:
        return False
    return f.accept_due is None or moment <= f.accept_due


def _due(f: CaseFacts) -> bool:
    return (
        f.accepted_at is not None
        and f.merged_into is None
        and (f.closed_at is not None or f.resolve_due is not None)
    )


def _overdue_open(f: CaseFacts) -> bool:
    return f.accepted_at is not None and f.resolve_due is not None and f.resolved_at is None


def _climbed(f: CaseFacts, levels: int) -> bool:
    """Whether the case was escalated at least *levels* units above the one it was filed at,
    reading the chain it was filed along."""
    if f.filed_unit not in f.chain:
        return len(f.escalation_path) >= levels
    start = f.chain.index(f.filed_unit)
    reached = [f.chain.index(u) for u in f.escalation_path if u in f.chain]
    return bool(reached) and max(reached) - start >= levels


# name: (zh, one-line definition, test)
PREDICATES: Mapping[str, tuple[str, str, Test]] = MappingProxyType({
    "received": ("受理", "every case (each case counts once)", lambda f: True),
    "accepted": ("立案", "accepted (立案): accepted_at is set", lambda f: f.accepted_at is not None),
    "rejected": ("不予立案", "rejected: rejected_at is set", lambda f: f.rejected_at is not None),
    "dispatched": ("派遣", "dispatched at least once", lambda f: f.dispatched_at is not None),
    "resolved": ("处置", "a resolution was reported (处置数): resolved_at is set",
                 lambda f: f.resolved_at is not None),
    "closed": ("结案", "closed (结案): closed_at is set", lambda f: f.closed_at is not None),
    "closed_on_time": ("按期结案", ("closed, and its last resolution met the resolve deadline in "
                       "force (extensions granted move it)"),
                       lambda f: f.closed_at is not None
                       and _on_time(f.resolved_on_time, f.resolve_due)),
    "closed_on_time_unextended": ("按期结案(不计延期)", ("closed, and resolved by the resolve "
                                  "deadline before any extension"),
                                  lambda f: f.closed_at is not None
                                  and _on_time(f.resolved_on_time_unextended,
                                               f.resolve_due_unextended)),
    "due": ("应结案", ("accepted, not merged away, and closed or given a resolve deadline "
            "(counted where it was closed or fell due, whichever came first)"), _due),
    "overdue": ("超期", ("accepted with a resolve deadline that its last resolution did not meet, "
                "or that passed unresolved"),
                lambda f: f.accepted_at is not None and f.resolve_due is not None
                and f.resolved_on_time is not True),
    "overdue_open": ("超时未处置", "accepted with a resolve deadline, and not resolved",
                     _overdue_open),
    "deferred": ("缓办", "suspended (挂起) at the end, not closed",
                 lambda f: f.suspended and f.closed_at is None),
    "reworked": ("返工", ("reopened for rework at least once (failed verification or a "
                 "dissatisfied resident)"), lambda f: f.rework > 0),
    "extended": ("延期", "granted at least one extension", lambda f: f.extensions > 0),
    "accept_timed": ("有受理时限", "had an accept deadline", lambda f: f.accept_due is not None),
    "accepted_on_time": ("及时受理", "accepted by its accept deadline",
                         lambda f: _on_time(f.accepted_on_time, f.accept_due)),
    "dispatch_timed": ("有派遣时限", "had a dispatch deadline",
                       lambda f: f.dispatch_due is not None),
    "dispatched_on_time": ("及时派遣", "first dispatched by its dispatch deadline",
                           lambda f: _on_time(f.dispatched_on_time, f.dispatch_due)),
    "resolve_timed": ("有处置时限", "had a resolve deadline", lambda f: f.resolve_due is not None),
    "resolved_on_time": ("及时处置", "last resolved by the resolve deadline in force",
                         lambda f: _on_time(f.resolved_on_time, f.resolve_due)),
    "responded": ("响应", "accepted or rejected, by the accept deadline if it had one",
                  _responded),
    "evaluated": ("已评价", "the resident gave a view (满意度)",
                  lambda f: f.satisfaction is not None),
    "satisfied": ("满意", "the resident's last view was 满意 or 基本满意",
                  lambda f: f.satisfaction is not None and f.satisfaction.satisfied),
    "fully_satisfied": ("非常满意", "the resident's last view was 满意 (not 基本满意)",
                        lambda f: f.satisfaction is Satisfaction.SATISFIED),
    "dissatisfied": ("不满意", "the resident's last view was 不满意",
                     lambda f: f.satisfaction is Satisfaction.DISSATISFIED),
    "escalated": ("上报", "escalated at least once", lambda f: f.escalations > 0),
    "escalated_one_level": ("上报一级", ("escalated to a unit at least one above the one it was "
                            "filed at, in the chain it was filed along"),
                            lambda f: _climbed(f, 1)),
    "escalated_two_levels": ("上报两级", ("escalated to a unit at least two above the one it was "
                             "filed at"), lambda f: _climbed(f, 2)),
    "beyond": ("吹哨报到", "went beyond the grid to an outside body", lambda f: f.beyond),
    "returned": ("退回", "returned for re-routing at least once", lambda f: f.returns > 0),
    "merged": ("并入他案", "merged into another case", lambda f: f.merged_into is not None),
    "has_duplicates": ("并单", "has duplicates merged into it", lambda f: f.duplicates > 0),
    "urgent": ("紧急", "severity urgent or emergency (≥ 3)",
               lambda f: f.severity >= Severity.URGENT),
})

READS_UNEXTENDED: frozenset[str] = frozenset({"closed_on_time_unextended"})
"""The predicates above that read ``resolve_due_unextended`` or
``resolved_on_time_unextended`` (no moment does): facts for counts without them may skip the
no-extension replay (:func:`~gridgov.metrics.facts_of` ``unextended=False``)."""


def due_at(f: CaseFacts) -> datetime | None:
    """When a case fell due for closing: its closing or its resolve deadline, the earlier."""
    if f.closed_at is None:
        return f.resolve_due
    if f.resolve_due is None:
        return f.closed_at
    return min(f.closed_at, f.resolve_due)


# counts_in value: (zh, definition, moment)
MOMENTS: Mapping[str, tuple[str, str, Callable[[CaseFacts], datetime | None]]] = MappingProxyType({
    "reported": ("反映时间", "when the issue was reported", lambda f: f.reported_at),
    "opened": ("受理时间", "when the case was opened", lambda f: f.opened_at),
    "accepted": ("立案时间", "when it was accepted", lambda f: f.accepted_at),
    "dispatched": ("派遣时间", "when it was first dispatched", lambda f: f.dispatched_at),
    "resolved": ("处置时间", "when it was last resolved", lambda f: f.resolved_at),
    "closed": ("结案时间", "when it was closed", lambda f: f.closed_at),
    "evaluated": ("评价时间", "when the resident evaluated it", lambda f: f.evaluated_at),
    "resolve_due": ("处置时限", "the resolve deadline in force", lambda f: f.resolve_due),
    "due": ("应结案时间", ("when it fell due for closing: closed, or its resolve deadline in "
            "force, whichever came first"), due_at),
})
