"""Unit tests for gridgov.cases: escalation, rework, linkage, merging duplicates, replay and
round trips.
"""

from __future__ import annotations

import json
import pickle

import attrs
import pytest

from builders import GRID, T0, at, escalated_to, make_case, make_issue, run
from gridgov import (
    Deadline,
    GridUnit,
    InvalidTransitionError,
    InvalidValueError,
    Reason,
    Severity,
    from_dict,
    to_dict,
)
from gridgov._seq import IdLog
from gridgov.cases import (
    Accepted,
    Case,
    CaseOpened,
    CaseState,
    CaseStatus,
    Closed,
    CoHandler,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
    Dispatched,
    DuplicateMerged,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    SeverityRaised,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
    replay,
)


def up(case: Case, *, hours: float = 1) -> Case:
    """The case escalated one step up, by hand (to the parent, or beyond from the top)."""
    if case.position + 1 < len(case.chain):
        parent = case.chain[case.position + 1]
        return escalated_to(case, parent.id, parent.name, hours=hours)
    return escalated_to(case, "sd", "淮河路街道", hours=hours, beyond=True)


# --------------------------------------------------------------------------- escalation


def test_escalation_moves_one_step_up_and_resets_the_clocks() -> None:
    case = apply_event(make_case(), Accepted(at=at(0.5), actor="m-li"))
    after = up(case)
    assert (after.owner, after.owner_name, after.position, after.status) == (
        "g3",
        "第三网格",
        1,
        CaseStatus.REPORTED,
    )
    assert after.accountable == "mg31"
    assert [u.id for u in after.chain] == ["mg31", "g3", "yx"]
    assert after.accept_by is None
    assert after.resolve_by is not None
    assert after.resolve_by.due == at(25)
    assert after.escalation_triggers == (Trigger.MANUAL,)


def test_escalation_never_goes_sideways_or_down_or_from_elsewhere() -> None:
    case = make_case()
    with pytest.raises(InvalidTransitionError, match=r"to its parent 第三网格 \('g3'\)"):
        escalated_to(case, "g2", "第二网格")
    with pytest.raises(InvalidTransitionError, match="to its parent 第三网格"):
        escalated_to(case, "yx", "亚新社区")
    with pytest.raises(InvalidTransitionError, match="to its parent 第三网格"):
        escalated_to(case, "g3", "第3网格")  # the parent's id with another name
    with pytest.raises(InvalidTransitionError, match="to its parent 第三网格"):
        escalated_to(case, "sd", "街道", beyond=True)
    once = up(case)
    with pytest.raises(InvalidTransitionError, match="to its parent 亚新社区"):
        escalated_to(once, "mg31", "美好人家1号楼", hours=2)
    with pytest.raises(InvalidTransitionError, match="can only be escalated from there"):
        apply_event(
            once,
            Escalated(
                at=at(2), actor="m", trigger=Trigger.MANUAL, from_unit="mg31",
                from_name="美好人家1号楼", to="yx", to_name="亚新社区",
                reason=Reason(zh="x", en="x"),
            ),
        )


def test_beyond_to_a_unit_of_the_chain_is_refused() -> None:
    top = up(up(make_case()), hours=2)
    assert top.owner == "yx"
    for unit in top.chain[:2]:
        with pytest.raises(InvalidTransitionError, match="not to its own unit"):
            escalated_to(top, unit.id, unit.name, hours=3, beyond=True)
    low = make_case()
    with pytest.raises(InvalidTransitionError, match="to its parent"):
        escalated_to(low, "g3", "第三网格", beyond=True)


def test_beyond_the_top_there_is_no_further_escalation() -> None:
    case = up(up(make_case()), hours=2)
    with pytest.raises(InvalidTransitionError, match="next step is beyond the grid"):
        escalated_to(case, "sd", "淮河路街道", hours=3)
    out = up(case, hours=3)
    assert out.beyond
    assert (out.owner, out.owner_name) == ("sd", "淮河路街道")
    assert out.position == len(out.chain) == 3
    assert out.clocks is None  # nothing more can be due
    with pytest.raises(InvalidTransitionError, match="no further escalation is possible"):
        escalated_to(out, "anyone", "别处", beyond=True, hours=4)
    with pytest.raises(InvalidTransitionError, match="cannot be returned"):
        apply_event(
            out,
            Returned(at=at(4), actor="m", reason="x", chain=GRID.chain("mg32"), grid_version="v"),
        )
    # The external body carries on with the loop.
    done = run(out, Accepted(at=at(4), actor="sd"), Resolved(at=at(5), actor="sd"))
    assert done.status is CaseStatus.RESOLVED


def test_escalation_is_refused_while_suspended_or_resolved() -> None:
    suspended = apply_event(make_case(), Suspended(at=at(1), actor="m", reason="r"))
    with pytest.raises(InvalidTransitionError, match="is suspended"):
        up(suspended, hours=2)
    resolved = run(make_case(), Accepted(at=at(1), actor="m"), Resolved(at=at(2), actor="m"))
    with pytest.raises(InvalidTransitionError, match="is resolved"):
        up(resolved, hours=3)


def test_a_case_routed_above_its_place_keeps_where_it_is_located() -> None:
    issue = make_issue(category="safety_hazard", severity=3)
    opened = CaseOpened(at=T0, actor="m", case="c", issue=issue, chain=GRID.place_chain("h-1001"),
                        position=1, grid_version=GRID.version)
    case = Case(events=[opened])
    assert (case.owner, case.owner_name, case.position, case.accountable) == (
        "g3", "第三网格", 1, "g3"
    )
    assert case.chain[0].id == "mg31" and case.located
    assert up(case).owner == "yx"


def test_the_case_keeps_its_chain_when_the_grid_is_redrawn() -> None:
    case = make_case()
    redrawn = GRID.move_unit("mg31", "g1", version="2027-01")
    assert redrawn.parent("mg31") is not None
    assert redrawn.parent("mg31").id == "g1"  # type: ignore[union-attr]
    after = up(case)
    assert after.owner == "g3"
    assert after.grid_version == "2026-11"


def test_a_returned_case_is_refused_once_in_progress_or_to_its_own_owner() -> None:
    back = Returned(at=at(3), actor="m", reason="x", chain=GRID.chain("mg32"), grid_version="v")
    case = run(make_case(), Accepted(at=at(1), actor="m"), HandlingStarted(at=at(2), actor="m"))
    with pytest.raises(InvalidTransitionError, match="is in progress"):
        apply_event(case, back)
    moved = apply_event(make_case(), back)
    assert (moved.owner, moved.position, moved.grid_version) == ("mg32", 0, "v")
    with pytest.raises(InvalidTransitionError, match="cannot be returned to its own owner"):
        apply_event(moved, attrs.evolve(back, at=at(4)))


# --------------------------------------------------------------------------- rework


def test_failed_verification_reopens_for_rework_giving_back_the_wait() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        VerificationFailed(at=at(5), actor="m-sec", reason="未修好"),
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert case.rework == 1
    assert case.resolve_by is not None
    assert case.resolve_by.effective() == at(51)
    fresh = Deadline(start=at(6), due=at(30))
    again = run(
        case,
        Resolved(at=at(6), actor="m"),
        VerificationFailed(at=at(6), actor="m-sec", reason="仍未修好", resolve_by=fresh),
    )
    assert again.resolve_by == fresh
    assert again.rework == 2


def test_a_dissatisfied_resident_reopens_for_rework_and_is_counted() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        ResidentDissatisfied(at=at(3), actor="r-9", note="还在漏水"),
        Resolved(at=at(4), actor="m"),
        Verified(at=at(5), actor="m-sec"),
        ResidentDissatisfied(at=at(6), actor="r-9"),
    )
    assert case.status is CaseStatus.IN_PROGRESS
    assert (case.dissatisfied, case.owner_dissatisfied, case.rework) == (2, 2, 2)
    assert case.satisfaction is Satisfaction.DISSATISFIED
    assert case.clocks is not None and case.clocks.flagged
    after = up(case, hours=7)
    assert (after.dissatisfied, after.owner_dissatisfied) == (2, 0)


def test_satisfied_feedback_keeps_the_status_and_evaluation_is_recorded() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m"),
        Resolved(at=at(2), actor="m"),
        ResidentSatisfied(at=at(3), actor="r", satisfaction=Satisfaction.BASICALLY_SATISFIED),
    )
    assert case.status is CaseStatus.RESOLVED
    assert case.satisfaction is Satisfaction.BASICALLY_SATISFIED
    ended = run(
        case,
        Verified(at=at(4), actor="m"),
        Closed(at=at(5), actor="m"),
        Evaluated(at=at(6), actor="r", satisfaction=Satisfaction.DISSATISFIED),
    )
    assert ended.status is CaseStatus.EVALUATED
    assert ended.dissatisfied == 1
    with pytest.raises(InvalidValueError, match="record ResidentDissatisfied instead"):
        ResidentSatisfied(at=at(3), actor="r", satisfaction=Satisfaction.DISSATISFIED)


def test_severity_can_only_be_raised() -> None:
    case = apply_event(make_case(), SeverityRaised(at=at(1), actor="m", severity=3, reason="加重"))
    assert case.severity is Severity.URGENT
    assert case.owner_severity is Severity.ROUTINE
    assert case.clocks is not None and case.clocks.flagged
    with pytest.raises(InvalidTransitionError, match="must raise it"):
        apply_event(case, SeverityRaised(at=at(2), actor="m", severity=2, reason="x"))
    with pytest.raises(InvalidValueError, match="'severity' of SeverityRaised must be between"):
        SeverityRaised(at=at(2), actor="m", severity=5, reason="x")
    assert up(case, hours=2).owner_severity is Severity.URGENT


# --------------------------------------------------------------------------- linkage


def test_a_required_co_handler_blocks_resolution_until_done_or_released() -> None:
    case = run(
        make_case(),
        Accepted(at=at(1), actor="m-g3"),
        CoHandlerLinked(at=at(1), actor="m-g3", handler="p-wuye", name="美好人家物业", due=at(8)),
        CoHandlerLinked(at=at(1), actor="m-g3", handler="g2", kind="unit", required=False),
    )
    assert [(h.id, h.kind, h.due) for h in case.co_handlers] == [
        ("p-wuye", "partner", at(8)),
        ("g2", "unit", None),
    ]
    with pytest.raises(InvalidTransitionError, match="required co-handler 'p-wuye'"):
        apply_event(case, Resolved(at=at(2), actor="m-g3"))
    done = run(
        case,
        CoHandlerCompleted(at=at(3), actor="p-wuye", handler="p-wuye"),
        Resolved(at=at(4), actor="m-g3"),
    )
    assert done.status is CaseStatus.RESOLVED
    assert [h.state for h in done.co_handlers] == ["done", "open"]
    released = run(
        case,
        CoHandlerReleased(at=at(3), actor="m-g3", handler="p-wuye", reason="业主自行维修"),
        Resolved(at=at(4), actor="m-g3"),
    )
    assert released.co_handlers[0].state == "released"
    late = apply_event(done, CoHandlerCompleted(at=at(5), actor="g2", handler="g2"))
    assert all(not h.is_open for h in late.co_handlers)


def test_linkage_refusals() -> None:
    case = apply_event(make_case(), CoHandlerLinked(at=at(1), actor="m", handler="p-wuye", name="物业"))
    with pytest.raises(InvalidTransitionError, match="already has co-handler 'p-wuye' open"):
        apply_event(case, CoHandlerLinked(at=at(2), actor="m", handler="p-wuye"))
    with pytest.raises(InvalidTransitionError, match=r"no open co-handler 'x'.*open: p-wuye"):
        apply_event(case, CoHandlerCompleted(at=at(2), actor="m", handler="x"))
    done = apply_event(case, CoHandlerCompleted(at=at(2), actor="m", handler="p-wuye"))
    with pytest.raises(InvalidTransitionError, match=r"open: none"):
        apply_event(done, CoHandlerReleased(at=at(3), actor="m", handler="p-wuye", reason="x"))
    relinked = apply_event(done, CoHandlerLinked(at=at(3), actor="m", handler="p-wuye"))
    assert len(relinked.co_handlers) == 2
    with pytest.raises(InvalidValueError, match="'kind' of CoHandlerLinked"):
        CoHandlerLinked(at=at(1), actor="m", handler="x", kind="police")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'state' of CoHandler"):
        CoHandler(id="x", linked_at=T0, state="lost")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- duplicates


def test_merged_duplicates_and_reports() -> None:
    first = make_case()
    second = make_case(2, hours=1)
    kept = apply_event(first, DuplicateMerged(at=at(2), actor="m", duplicate="c-2",
                                              issue=second.issue))
    assert kept.duplicates == ("c-2",)
    assert [i.id for i in kept.reports] == ["i-1", "i-2"]
    assert [r.where for r in kept.counted] == ["place:h-1001"]
    with pytest.raises(InvalidTransitionError, match="already has duplicate 'c-2'"):
        apply_event(kept, DuplicateMerged(at=at(3), actor="m", duplicate="c-2", issue=second.issue))
    with pytest.raises(InvalidTransitionError, match="cannot take itself"):
        apply_event(kept, DuplicateMerged(at=at(3), actor="m", duplicate="c-1", issue=first.issue))
    gone = apply_event(second, MergedInto(at=at(2), actor="m", into="c-1"))
    assert (gone.status, gone.merged_into, gone.report, tuple(gone.counted)) == (
        CaseStatus.MERGED, "c-1", None, ()
    )
    with pytest.raises(InvalidTransitionError, match="cannot be merged into itself"):
        apply_event(second, MergedInto(at=at(2), actor="m", into="c-2"))
    unlocated = make_issue(3, place=None)
    with_unlocated = apply_event(kept, DuplicateMerged(at=at(3), actor="m", duplicate="c-3",
                                                        issue=unlocated))
    assert len(with_unlocated.reports) == 3
    assert len(with_unlocated.counted) == 1  # an unlocated report is never counted by place


def test_the_duplicate_ids_are_an_append_only_log_with_a_constant_time_in() -> None:
    a = IdLog(["c-1"])
    b = a.plus("c-2")
    c = a.plus("c-3")  # a branch: a's items copied
    assert ("c-2" in a, "c-2" in b, "c-2" in c, "c-3" in c, "c-3" in b) == (
        False, True, False, True, False
    )
    assert b == ("c-1", "c-2") and c == ("c-1", "c-3")
    assert pickle.loads(pickle.dumps(b)) == b and "c-2" in pickle.loads(pickle.dumps(b))
    assert 7 not in b


# --------------------------------------------------------------------------- replay and data


def full_case() -> Case:
    case = run(
        make_case(),
        SeverityRaised(at=at(0.2), actor="m", severity=2, reason="x"),
        Suspended(at=at(0.5), actor="m", reason="r"),
        Resumed(at=at(0.8), actor="m"),
        Accepted(at=at(1), actor="m"),
        CoHandlerLinked(at=at(1), actor="m", handler="p-wuye", due=at(9)),
        ExtensionRequested(at=at(1.5), actor="m", until=at(100), reason="x"),
        ExtensionGranted(at=at(2), actor="m-sec"),
        DuplicateMerged(at=at(2.5), actor="m", duplicate="c-2", issue=make_issue(2)),
    )
    case = up(case, hours=3)
    return run(
        case,
        Accepted(at=at(4), actor="m-g3"),
        CoHandlerCompleted(at=at(5), actor="p-wuye", handler="p-wuye"),
        Resolved(at=at(6), actor="m-g3"),
        ResidentDissatisfied(at=at(7), actor="r-9"),
        Resolved(at=at(8), actor="m-g3"),
        Verified(at=at(9), actor="m-sec"),
        ResidentSatisfied(at=at(10), actor="r-9"),
        Closed(at=at(11), actor="m-sec"),
        Evaluated(at=at(12), actor="r-9", satisfaction=Satisfaction.SATISFIED),
    )


def test_replay_rebuilds_the_same_state_not_only_the_same_events() -> None:
    case = full_case()
    again = replay(list(case.events))
    assert again == case
    assert again.state == case.state
    for field in attrs.fields(CaseState):
        assert getattr(again.state, field.name) == getattr(case.state, field.name), field.name
    # Every intermediate state too: applying one by one and replaying each prefix agree.
    partial = Case(events=case.events[:1])
    for n, event in enumerate(case.events[1:], 2):
        partial = apply_event(partial, event)
        assert partial.state == replay(case.events[:n]).state, n
    assert case.events == tuple(case.events)
    assert tuple(case.events) == case.events


def test_versions_share_their_events_without_seeing_each_other() -> None:
    base = apply_event(make_case(), Accepted(at=at(1), actor="m"))
    left = apply_event(base, Dispatched(at=at(2), actor="m", handler="a"))
    right = apply_event(base, Resolved(at=at(2), actor="m"))
    assert len(base.events) == 2
    assert [type(e).__name__ for e in left.events][-1] == "Dispatched"
    assert [type(e).__name__ for e in right.events][-1] == "Resolved"
    assert replay(left.events).state == left.state
    assert replay(right.events).state == right.state


def test_cases_round_trip_through_to_dict_json_and_pickle() -> None:
    case = full_case()
    data = to_dict(case)
    assert set(data) == {"schema", "type", "events"}
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    back = from_dict(json.loads(text), Case)
    assert back == case
    assert back.state == case.state
    assert to_dict(back) == data
    assert pickle.loads(pickle.dumps(case)).state == case.state


def test_a_tampered_timeline_is_refused_when_read_back() -> None:
    data = to_dict(full_case())
    data["events"] = data["events"][:1] + data["events"][-1:]
    with pytest.raises(InvalidTransitionError, match="is reported"):
        from_dict(data)


def test_timeline_and_describe_tell_the_story_in_each_language() -> None:
    case = full_case()
    steps = case.timeline()
    assert len(steps) == len(case.events)
    assert steps[-1].status is CaseStatus.EVALUATED
    assert [s.owner_name for s in steps][:2] == ["美好人家1号楼", "美好人家1号楼"]
    assert steps[-1].owner == "g3"
    zh, en = case.describe().splitlines(), case.describe(lang="en").splitlines()
    assert zh[0] == "2026-11-26 09:00 受理 — m-li：facility_repair → 美好人家1号楼 [已受理 · 美好人家1号楼]"
    assert en[0] == (
        "2026-11-26 09:00 opened — m-li: facility_repair → 美好人家1号楼 [reported · 美好人家1号楼]"
    )
    from gridgov import DEFAULT_CATALOGUE

    labelled = case.describe(lang="en", catalogue=DEFAULT_CATALOGUE).splitlines()[0]
    assert "facility repair → 美好人家1号楼" in labelled
    assert "上报 — m：美好人家1号楼 → 第三网格（主动上报）" in case.describe()
    assert all("上报" not in line for line in en)
    step = steps[9].describe()
    assert [r.id for r in step.refs] == ["mg31", "g3", "g3"]
    assert repr(case) == "Case(id='c-1', status='evaluated', owner='g3', events=19)"
    with pytest.raises(InvalidValueError, match="'lang' must be 'zh' or 'en'"):
        case.describe(lang="fr")  # type: ignore[arg-type]


def test_grid_units_in_the_chain_are_values() -> None:
    unit = GridUnit(id="x", name="X", tier="community")
    with pytest.raises(InvalidValueError, match="'chain' of CaseOpened must be a chain of GridUnit"):
        CaseOpened(at=T0, actor="a", case="c", issue=make_issue(), chain=["x"], grid_version="v")
    opened = CaseOpened(
        at=T0, actor="a", case="c", issue=make_issue(), chain=[unit], grid_version="v"
    )
    assert Case(events=[opened]).owner == "x"
