"""Regression test for a bug found by the street-office scenario (issue 11, must-show 2).

When a case that already holds merged duplicates is itself merged into another case (并案),
the reports of its duplicates are lost: :func:`gridgov.workflow.merge_duplicate` records only
the merged case's own issue on the case it goes into (``DuplicateMerged(issue=duplicate.issue)``),
and the merged case then counts nothing (``_on_merged_into`` sets ``counted=()``).  Three
reports of the same matter at the same place are counted as two, so the ``repeated`` trigger
does not fire (and the kept case's ``reports`` miss one issue).  Fails on the merge of
"One road" (2986abc); left failing for the fix.
"""

from __future__ import annotations

from datetime import timedelta

from builders import ROUTER, T0, make_issue
from gridgov import Case, EscalationPolicy, ExternalBody, Trigger, due_escalations
from gridgov.workflow import merge_duplicate, open_case

POLICY = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
                          triggers={Trigger.REPEATED}, repeat_count=3)


def _opened(n: int) -> Case:
    issue = make_issue(n, category="environment", reported_at=T0 + timedelta(hours=n))
    return open_case(issue, ROUTER.route(issue), router=ROUTER, actor="m-li")


def test_a_case_merged_with_its_duplicates_still_counts_them() -> None:
    a, b, c = _opened(1), _opened(2), _opened(3)  # the same matter at household h-1001
    at = T0 + timedelta(hours=4)
    b, a = merge_duplicate(b, a, at=at, actor="m-li")  # B is a duplicate of A
    a, c = merge_duplicate(a, c, at=at, actor="m-li")  # then A (with B) is merged into C
    # Three reports of the same matter at the same place within the window: repeated.
    assert [(e.case, e.trigger, e.times) for e in due_escalations([a, b, c], POLICY, at=at)] == [
        (c.id, Trigger.REPEATED, 3)
    ]
