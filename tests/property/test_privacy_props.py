"""Property tests for gridgov.privacy over generated grids, members, residents and cases.

* a member's scope sees a resident exactly when one of its seeing posts is at a unit whose
  subtree holds the resident's household (never one outside) — the oracle walks
  ``GridGraph.subtree``, not the chains ``may_see`` reads;
* a member sees a case exactly when its place lies below one of their seeing posts;
* a partner sees a case exactly while its latest link is open — the oracle replays the
  links, completions and releases drawn, not the case's state;
* redaction is idempotent, and the JSON of a redacted file holds no value of a sensitive
  field the scope may not see (each value searched among the JSON's strings);
* a statistics scope never yields a name.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gridgov import (
    CST,
    Channel,
    GridGraph,
    Issue,
    Member,
    Reporter,
    Resident,
    from_dict,
    to_dict,
)
from gridgov.cases import (
    Case,
    CaseOpened,
    CoHandlerCompleted,
    CoHandlerLinked,
    CoHandlerReleased,
)
from gridgov.errors import GridGovError
from gridgov.privacy import (
    DEFAULT_SENSITIVITY,
    Purpose,
    Scope,
    Sensitivity,
    export,
    may_see,
    redact,
)
from gridgov.testing.strategies import grids, residents

ON = date(2026, 11, 26)
GRIDS = grids(min_units=1, max_units=12, max_places=10, max_members=6, max_partners=3).filter(
    lambda g: bool(g.places) and bool(g.members)
)
PURPOSES = st.sampled_from(list(Purpose))
# Names no unit or member of a drawn grid has, so a search for one finds only the resident's.
NAMES = st.text(alphabet="αβγδεζηθ", min_size=1, max_size=3).map(lambda s: f"吕{s}")


def _strings(data: Any) -> list[str]:
    """Every string of a JSON document: keys and values."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (k, *_strings(v))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return [data] if isinstance(data, str) else []


def _sees_by_subtree(grid: GridGraph, member: Member, household: str) -> bool:
    home = grid.place_unit(household).id
    return any(
        post.role in DEFAULT_SENSITIVITY.roles
        and home in {u.id for u in grid.subtree(post.unit)}
        for post in member.posts
    )


@st.composite
def grid_members_residents(draw: st.DrawFn) -> tuple[GridGraph, Member, list[Resident]]:
    grid = draw(GRIDS)
    member = draw(st.sampled_from(grid.members))
    files = draw(st.lists(residents(grid=grid, names=NAMES), max_size=6, unique_by=lambda r: r.id))
    return grid, member, files


@given(grid_members_residents(), PURPOSES)
def test_a_member_sees_exactly_the_residents_below_their_posts(
    drawn: tuple[GridGraph, Member, list[Resident]], purpose: Purpose
) -> None:
    grid, member, files = drawn
    scope = Scope.of_member(member, purpose=purpose, on=ON)
    for r in files:
        decision = may_see(scope, r, grid=grid)
        assert decision.allowed == _sees_by_subtree(grid, member, r.household), decision.reason
        assert decision.who.id == member.id and decision.what is not None
        assert r.name not in decision.reason.zh + decision.reason.en
        for field in ("name", "birth_date", "conditions", "household", "tags", "id"):
            if may_see(scope, r, grid=grid, field=field).allowed:
                assert decision.allowed


@st.composite
def linked_cases(draw: st.DrawFn) -> tuple[GridGraph, Case, str, str]:
    """A case with links, completions and releases of the grid's partners drawn at random,
    the partner asked about, and its link state as the drawn steps leave it."""
    grid = draw(GRIDS.filter(lambda g: bool(g.partners)))
    place = draw(st.sampled_from(sorted(grid.places)))
    at = datetime(2026, 11, 26, 9, tzinfo=CST)
    issue = Issue(
        id="i-1",
        category="elder_care",
        severity=2,
        channel=Channel.VISIT,
        place=place,
        reporter=Reporter.member(grid.members[0].id),
        reported_at=at,
        description="吕阿姨摔伤腰部",
    )
    case = Case(
        events=[
            CaseOpened(
                at=at,
                actor=grid.members[0].id,
                case="c-1",
                issue=issue,
                chain=grid.place_chain(place),
                grid_version=grid.version,
            )
        ]
    )
    ids = [p.id for p in grid.partners]
    state = dict.fromkeys(ids, "never")
    steps = draw(st.lists(st.tuples(st.sampled_from(("link", "done", "release")), st.sampled_from(ids)), max_size=8))
    for i, (step, pid) in enumerate(steps):
        when = at + timedelta(minutes=i + 1)
        event: Any
        if step == "link":
            event = CoHandlerLinked(at=when, actor="m", handler=pid, name="物业")
        elif step == "done":
            event = CoHandlerCompleted(at=when, actor=pid, handler=pid, note="已修好")
        else:
            event = CoHandlerReleased(at=when, actor="m", handler=pid, reason="不再需要")
        try:
            case = case.apply(event)
        except GridGovError:
            continue
        state[pid] = {"link": "open", "done": "done", "release": "released"}[step]
    asked = draw(st.sampled_from(ids))
    return grid, case, asked, state[asked]


@given(linked_cases())
def test_a_partner_sees_a_case_only_while_linked(drawn: tuple[GridGraph, Case, str, str]) -> None:
    grid, case, partner_id, link = drawn
    [partner] = [p for p in grid.partners if p.id == partner_id]
    scope = Scope.of_partner(partner, on=ON)
    decision = may_see(scope, case, grid=grid)
    assert decision.allowed == (link == "open"), (link, decision.rule)
    expected_rule = {
        "open": "partner_link",
        "never": "partner_not_linked",
        "done": "partner_done",
        "released": "partner_released",
    }[link]
    assert decision.rule == expected_rule
    seen = redact(case, scope, grid=grid)
    assert redact(seen, scope, grid=grid) == seen
    text = json.dumps(to_dict(seen), ensure_ascii=False)
    assert "吕阿姨摔伤腰部" not in text and "已修好" not in text and "不再需要" not in text
    assert seen.issue.place == (case.issue.place if link == "open" else "***")


@given(linked_cases(), PURPOSES)
def test_a_member_sees_exactly_the_cases_below_their_posts(
    drawn: tuple[GridGraph, Case, str, str], purpose: Purpose
) -> None:
    grid, case, _, _ = drawn
    assert case.issue.place is not None
    for member in grid.members:
        scope = Scope.of_member(member, purpose=purpose, on=ON)
        expected = _sees_by_subtree(grid, member, case.issue.place)
        assert may_see(scope, case, grid=grid).allowed == expected
        seen = redact(case, scope, grid=grid)
        assert redact(seen, scope, grid=grid) == seen
        shown = expected and Sensitivity.PERSONAL in scope.classes()
        assert (seen.issue.description == case.issue.description) == shown


def _hidden_values(r: Resident, scope: Scope) -> list[str]:
    """The values of the sensitive fields of *r* that *scope* may not see."""
    table = DEFAULT_SENSITIVITY
    record = may_see(scope, r, grid=GRID_OF[0]).allowed
    classes = scope.classes(table) if record else frozenset({Sensitivity.PUBLIC})
    minor = r.age_on(scope.on) < table.minor_age if scope.on >= r.birth_date else True

    def hidden(cls: Sensitivity) -> bool:
        cls = Sensitivity.MINOR if minor and cls is not Sensitivity.PUBLIC else cls
        return cls.sensitive and cls not in classes

    out: list[str] = []
    if hidden(table.class_of("Resident", "household")):
        out.append(r.household)
    if hidden(table.class_of("Resident", "tags")):
        out.extend(r.tags)
    shown = {c.kind for c in r.conditions if not hidden(table.condition_class(c.kind))}
    for c in r.conditions:
        if hidden(table.condition_class(c.kind)):
            if c.kind not in shown:
                out.append(c.kind)
            if c.note:
                out.append(c.note)
    return out


GRID_OF: list[GridGraph] = []


@given(grid_members_residents(), PURPOSES, st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_redaction_is_idempotent_and_leaves_no_sensitive_value(
    drawn: tuple[GridGraph, Member, list[Resident]], purpose: Purpose, on: date
) -> None:
    grid, member, files = drawn
    GRID_OF[:] = [grid]
    scope = Scope.of_member(member, purpose=purpose, on=on)
    for r in files:
        seen = redact(r, scope, grid=grid)
        assert type(seen) is Resident and seen.id == r.id
        assert redact(seen, scope, grid=grid) == seen
        exported = export(r, scope, grid=grid)
        assert from_dict(exported) == seen  # the export is the redacted value, round-tripped
        strings = _strings(json.loads(json.dumps(exported, ensure_ascii=False)))
        for value in _hidden_values(r, scope):
            assert value not in strings, (value, purpose)
            if len(value) >= 4:
                assert not any(value in s for s in strings), (value, purpose)


@given(grid_members_residents())
def test_statistics_never_yield_a_name(drawn: tuple[GridGraph, Member, list[Resident]]) -> None:
    grid, member, files = drawn
    scope = Scope.of_member(member, purpose=Purpose.STATISTICS, on=ON)
    for r in files:
        assert not may_see(scope, r, grid=grid, field="name").allowed
        strings = _strings(export(r, scope, grid=grid))
        assert not any(r.name in s for s in strings), r.id
