"""A case's opening state, built field by field in the class's order, and the empty
sequences every new case shares (never grown in place)."""

from __future__ import annotations

from datetime import timedelta

import attrs

from gridgov.calendar import Deadline
from gridgov.cases import Case, CaseOpened, CaseState, CaseStatus, DuplicateMerged
from gridgov.cases.state import Report
from gridgov.demo import sample_case


def test_the_opening_state_reads_each_field_from_its_source() -> None:
    opened = sample_case().events[0]
    assert isinstance(opened, CaseOpened)
    state = CaseState.opened(opened)
    unit = opened.chain[opened.position]
    expected = {
        "id": opened.case, "issue": opened.issue, "status": CaseStatus.REPORTED, "owner": unit.id,
        "owner_name": unit.name, "beyond": False, "chain": opened.chain,
        "position": opened.position, "located": opened.located, "filed_unit": unit.id,
        "grid_version": opened.grid_version, "rule": opened.rule,
        "severity": opened.issue.severity, "owner_severity": opened.issue.severity,
        "accept_by": opened.accept_by, "resolve_by": opened.resolve_by,
        "opened_at": opened.at, "updated_at": opened.at, "paused_since": None,
        "suspended_from": None, "extension_requested": None, "handler": None,
        "co_handlers": (), "duplicates": (), "reports": (opened.issue,), "merged_into": None,
        "escalation_triggers": (), "dissatisfied": 0, "owner_dissatisfied": 0, "rework": 0,
        "satisfaction": None, "report": Report.of(opened.issue), "counted": (),
    }
    assert {a.name for a in attrs.fields(CaseState)} == {*expected, "clocks"}
    for name, value in expected.items():
        assert getattr(state, name) == value, name
    assert state.clocks is not None and state.clocks.resolve == opened.resolve_by


def test_a_merge_into_one_new_case_leaves_every_other_case_empty() -> None:
    first = Case(events=sample_case().events[:1])
    second = Case(events=sample_case().events[:1])
    assert first.state.duplicates is second.state.duplicates  # one empty log, shared
    issue = first.issue
    merged = first.apply(
        DuplicateMerged(at=first.updated_at, actor="m-li", duplicate="c-9", issue=issue)
    )
    assert tuple(merged.state.duplicates) == ("c-9",) and "c-9" in merged.state.duplicates
    assert tuple(second.state.duplicates) == () and "c-9" not in second.state.duplicates
    assert tuple(first.state.duplicates) == ()
    again = Case(events=sample_case().events[:1])
    assert tuple(again.state.duplicates) == () and "c-9" not in again.state.duplicates


def test_deadlines_without_pauses_share_one_empty_sequence_and_pause_apart() -> None:
    d = sample_case().state.resolve_by
    assert d is not None
    one = Deadline(start=d.start, due=d.due, basis=d.basis, limit=d.limit, source=d.source)
    two = Deadline(start=d.start, due=d.due, basis=d.basis, limit=d.limit, source=d.source,
                   pauses=())
    assert one.pauses is two.pauses
    paused = one.paused(d.start + timedelta(hours=1), d.start + timedelta(hours=2))
    assert len(paused.pauses) == 1
    assert tuple(one.pauses) == tuple(two.pauses) == ()
