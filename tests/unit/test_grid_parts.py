"""gridgov.grid.parts: a four-tier street grid cut at the community and at the grid tier, the
partition's look-ups and splitters, pickling, and every refusal."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta

import attrs
import pytest

from gridgov import (
    CST,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    FOUR_TIER,
    Channel,
    EscalationPolicy,
    ExternalBody,
    GridGraph,
    GridPartition,
    GridUnit,
    InvalidGridError,
    InvalidValueError,
    Issue,
    Member,
    Partner,
    PartnerKind,
    PolicyError,
    Post,
    Reporter,
    Resident,
    Responsibility,
    Role,
    Router,
    UnknownPlaceError,
    UnknownUnitError,
    cut,
    escalate,
    escalation_for,
    open_case,
    reassemble,
)
from gridgov.demo import sample_grid

# sd 淮河路街道 (subdistrict)
# ├── c1 亚新社区            ├── c2 明光社区          └── c3 新建社区 (no grid yet)
# │   ├── g11 ── mg111, mg112 │   └── g21 ── mg211
# │   └── g12 ── mg121
T = datetime(2026, 11, 26, 9, 0, tzinfo=CST)


def _street() -> GridGraph:
    u = GridUnit
    units = [
        u(id="sd", name="淮河路街道", tier="subdistrict"),
        u(id="c1", name="亚新社区", tier="community", parent="sd"),
        u(id="c2", name="明光社区", tier="community", parent="sd"),
        u(id="c3", name="新建社区", tier="community", parent="sd"),
        u(id="g11", name="第一网格", tier="grid", parent="c1"),
        u(id="g12", name="第二网格", tier="grid", parent="c1"),
        u(id="g21", name="明光一网格", tier="grid", parent="c2"),
        u(id="mg111", name="1号楼", tier="micro_grid", parent="g11"),
        u(id="mg112", name="2号楼", tier="micro_grid", parent="g11"),
        u(id="mg121", name="3号楼", tier="micro_grid", parent="g12"),
        u(id="mg211", name="明光1号楼", tier="micro_grid", parent="g21"),
    ]
    places = {"h-1": "mg111", "h-2": "mg112", "h-3": "mg121", "h-4": "mg211", "h-5": "mg211"}
    members = [
        Member(id="m-head", name="王主任", posts=[Post(role=Role.SUBDISTRICT_HEAD, unit="sd")]),
        Member(id="m-sec1", name="高书记", posts=[Post(role=Role.SECRETARY, unit="c1")]),
        Member(id="m-g11", name="彭雪丽", posts=[Post(role=Role.GRID_LEADER, unit="g11")]),
        # a cadre posted in both communities, and at the street
        Member(
            id="m-both",
            name="李燕明",
            posts=[
                Post(role=Role.CADRE, unit="sd"),
                Post(role=Role.GRID_WORKER, unit="g12"),
                Post(role=Role.GRID_WORKER, unit="g21"),
            ],
        ),
        Member(id="m-none", name="志愿者", skills={"housekeeping"}),
    ]
    partners = [
        Partner(id="p-police", name="淮河路派出所", kind=PartnerKind.POLICE_STATION, units={"sd"}),
        Partner(
            id="p-wuye", name="物业", kind=PartnerKind.PROPERTY_MANAGEMENT, units={"g11", "g21"}
        ),
        Partner(id="p-any", name="志愿服务队", kind=PartnerKind.VOLUNTEER_TEAM),
    ]
    return GridGraph(
        version="2026-11",
        scheme=FOUR_TIER,
        units=units,
        places=places,
        members=members,
        partners=partners,
    )


STREET = _street()


def _issue(n: int = 1, **where: str) -> Issue:
    return Issue(
        id=f"i-{n}",
        category="dispute",
        severity=1,
        channel=Channel.APP,
        reporter=Reporter.resident("r-1"),
        reported_at=T,
        **where,  # type: ignore[arg-type]
    )


def _ids(grid: GridGraph) -> list[str]:
    return [u.id for u in grid.units]


# --------------------------------------------------------------------------- cut


def test_cut_at_the_community_tier_gives_each_community_with_the_street_above() -> None:
    parts = cut(STREET, tier="community")
    assert [_ids(p) for p in parts] == [
        ["sd", "c1", "g11", "g12", "mg111", "mg112", "mg121"],
        ["sd", "c2", "g21", "mg211"],
        ["sd", "c3"],
    ]
    assert [sorted(p.places) for p in parts] == [["h-1", "h-2", "h-3"], ["h-4", "h-5"], []]
    assert all((p.version, p.scheme) == (STREET.version, STREET.scheme) for p in parts)
    one, two, three = parts
    # members keep their posts on the part's units; the street's head is in every part
    assert [m.id for m in three.members] == ["m-both", "m-head", "m-none"]
    assert [p.unit for p in one.member("m-both").posts] == ["sd", "g12"]
    assert [p.unit for p in two.member("m-both").posts] == ["sd", "g21"]
    assert two.leader("sd") == STREET.leader("sd")
    # partners keep the units they cover in the part; one covering nothing is everywhere
    assert [(p.id, sorted(p.units)) for p in two.partners] == [
        ("p-any", []),
        ("p-police", ["sd"]),
        ("p-wuye", ["g21"]),
    ]
    assert [p.id for p in three.partners] == ["p-any", "p-police"]
    assert [p.id for p in one.partners_covering("mg111")] == ["p-police", "p-wuye"]
    assert reassemble(parts) == STREET


def test_cut_at_the_grid_tier_puts_a_community_without_grids_in_part_0() -> None:
    parts = cut(STREET, tier="grid")
    assert [_ids(p) for p in parts] == [
        ["sd", "c1", "c3", "g11", "mg111", "mg112"],
        ["sd", "c1", "g12", "mg121"],
        ["sd", "c2", "g21", "mg211"],
    ]
    assert "m-sec1" not in {m.id for m in parts[2].members}  # no post left there
    assert reassemble(parts) == STREET
    # in another order, the same grid but for the order of posts across parts
    backwards = reassemble(reversed(parts))
    assert attrs.evolve(backwards, members=()) == attrs.evolve(STREET, members=())
    assert [p.unit for p in backwards.member("m-both").posts] == ["sd", "g21", "g12"]


def test_cut_defaults_to_the_top_tier_and_a_grid_without_the_tier_is_one_part() -> None:
    assert cut(STREET) == (STREET,)
    lone = GridGraph(version="v", units=[GridUnit(id="c", name="C", tier="community")])
    assert cut(lone, tier="micro_grid") == (lone,)
    empty = GridGraph(version="v")
    assert cut(empty) == (empty,)
    assert reassemble(cut(empty)) == empty


def test_cut_refuses_an_unknown_tier_naming_it_and_the_expected_ones() -> None:
    with pytest.raises(
        PolicyError,
        match=r"'tier' must be one of \['subdistrict', 'community', "
        r"'grid', 'micro_grid'\] .*\(got 'street'\)",
    ):
        cut(STREET, tier="street")
    with pytest.raises(PolicyError, match=r"\(got 3\)"):
        cut(STREET, tier=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'grid'"):
        cut("grid")  # type: ignore[arg-type]


def test_a_members_posts_across_parts_come_back_in_part_order() -> None:
    swapped = STREET.with_team(
        version=STREET.version,
        members=[
            Member(
                id="m-x",
                name="赵",
                posts=[Post(role=Role.CADRE, unit="g21"), Post(role=Role.CADRE, unit="g11")],
            )
        ],
    )
    back = reassemble(cut(swapped, tier="community")).member("m-x")
    assert [p.unit for p in back.posts] == ["g11", "g21"]


# --------------------------------------------------------------------------- reassemble


def test_reassemble_refuses_parts_that_do_not_agree() -> None:
    one, two, _ = cut(STREET, tier="community")
    with pytest.raises(InvalidValueError, match="at least one GridGraph"):
        reassemble([])
    with pytest.raises(InvalidValueError, match="'parts' must be a collection of GridGraph"):
        reassemble([one, "two"])  # type: ignore[list-item]
    with pytest.raises(InvalidGridError, match="part 1 version 'other'"):
        reassemble([one, attrs.evolve(two, version="other")])
    renamed = attrs.evolve(
        two, units=[attrs.evolve(u, name="别名") if u.id == "sd" else u for u in two.units]
    )
    with pytest.raises(InvalidGridError, match="unit 'sd' differs between parts 0 and 1"):
        reassemble([one, renamed])
    moved = two.assign_place("h-1", "mg211", version=two.version)
    with pytest.raises(InvalidGridError, match="place 'h-1' is in unit 'mg111' in one part"):
        reassemble([one, moved])
    head = two.member("m-head")
    other = two.with_team(
        version=two.version,
        members=[attrs.evolve(head, name="别人") if m.id == "m-head" else m for m in two.members],
    )
    with pytest.raises(InvalidGridError, match="member 'm-head' differs between parts 0 and 1"):
        reassemble([one, other])


# --------------------------------------------------------------------------- the partition


def test_the_partition_finds_the_part_of_places_units_issues_residents_and_cases() -> None:
    p = GridPartition(STREET, tier="community")
    assert (len(p), p.tier, p.grid is STREET, p.parts == cut(STREET, tier="community")) == (
        3,
        "community",
        True,
        True,
    )
    assert [p.part_of_place(h) for h in ("h-1", "h-3", "h-4")] == [0, 0, 1]
    assert [p.part_of_unit(u) for u in ("c3", "g21", "sd")] == [2, 1, 0]
    assert (p.holders("sd"), p.holders("mg211")) == ((0, 1, 2), (1,))
    assert [
        p.part_of_issue(i)
        for i in (_issue(place="h-5"), _issue(unit="c2"), _issue(unit="sd"), _issue())
    ] == [1, 1, 0, 0]
    resident = Resident(id="r-1", name="张三", household="h-4", birth_date=date(1940, 1, 1))
    assert p.part_of_resident(resident) == 1
    assert repr(p) == "GridPartition(grid='2026-11', tier='community', parts=3)"


def test_a_case_escalated_above_the_cut_stays_in_the_part_where_it_started() -> None:
    router = Router(grid=STREET, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    policy = EscalationPolicy(name="p", beyond=ExternalBody(id="qu", name="区职能部门"))
    issue = _issue(place="h-4")
    case = open_case(issue, router.route(issue), router=router, actor="m", policy=policy)
    while case.owner != "sd":
        at = case.updated_at + timedelta(hours=1)
        case = escalate(case, escalation_for(case, policy, at=at), policy, actor="m")
    p = GridPartition(STREET, tier="community")
    assert (case.owner, p.part_of_case(case), p.part_of_unit(case.owner)) == ("sd", 1, 0)
    assert "sd" in p.parts[1]  # the part holds the street the case climbed to
    assert p.split_cases([case]) == ([], [case], [])


def test_the_splitters_keep_the_order_given_and_refuse_a_non_collection() -> None:
    p = GridPartition(STREET, tier="grid")
    issues = [_issue(1, place="h-4"), _issue(2, place="h-1"), _issue(3, place="h-5")]
    assert p.split_issues(issues) == ([issues[1]], [], [issues[0], issues[2]])
    assert p.split_issues(iter(issues)) == p.split_issues(issues)
    with pytest.raises(InvalidValueError, match="'issues' must be a collection of issues"):
        p.split_issues("h-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'residents' must be a collection of residents"):
        p.split_residents([3])  # type: ignore[list-item]


def test_unknown_places_units_and_households_are_refused_without_personal_data() -> None:
    p = GridPartition(STREET, tier="community")
    with pytest.raises(UnknownPlaceError, match="place 'h-9' is not in grid version '2026-11'"):
        p.part_of_place("h-9")
    with pytest.raises(UnknownUnitError, match="unit 'x' is not in grid version"):
        p.part_of_unit("x")
    with pytest.raises(UnknownUnitError, match="unit 'x'"):
        p.part_of_issue(_issue(unit="x"))
    with pytest.raises(UnknownPlaceError, match="'place' of issue 'i-1'") as place:
        p.part_of_issue(_issue(place="secret-9"))
    assert "secret-9" not in str(place.value)
    resident = Resident(id="r-1", name="张三", household="secret-9", birth_date=date(1940, 1, 1))
    with pytest.raises(UnknownPlaceError, match="'household' of resident 'r-1'") as household:
        p.split_residents([resident])
    assert "secret-9" not in str(household.value) and "张三" not in str(household.value)


def test_unlocated_issues_go_to_the_part_of_unlocated_at_or_are_refused_with_two_roots() -> None:
    assert GridPartition(STREET, tier="grid", unlocated_at="g21").part_of_issue(_issue()) == 2
    assert GridPartition(STREET, tier="grid", unlocated_at="c1").part_of_issue(_issue()) == 0
    two = reassemble([cut(sample_grid(), tier="grid")[0]]).add_unit(
        GridUnit(id="zz", name="另一社区", tier="community"), version="v2"
    )
    p = GridPartition(two)
    assert p.part_of_issue(_issue(unit="zz")) == 1
    with pytest.raises(
        PolicyError, match=r"unlocated issue 'i-1' has no part: .* 2 top-tier units"
    ):
        p.part_of_issue(_issue())
    with pytest.raises(PolicyError, match="'unlocated_at' of GridPartition must be a unit"):
        GridPartition(STREET, unlocated_at="nowhere")


def test_the_partition_is_read_only_equal_by_its_inputs_and_pickles_as_grid_and_tier() -> None:
    p = GridPartition.of(STREET, tier="grid", unlocated_at="c1")
    assert p == GridPartition(STREET, tier="grid", unlocated_at="c1")
    assert p != GridPartition(STREET, tier="community")
    with pytest.raises(AttributeError, match="read-only"):
        p.grid = STREET  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(p)
    data = pickle.dumps(p)
    back = pickle.loads(data)
    assert back == p and back.parts == p.parts and back.part_of_issue(_issue()) == 0
    # the parts are cut again on loading, not shipped: smaller than the grid with its parts
    assert len(data) < len(pickle.dumps((p.grid, p.parts)))


def test_a_matrix_restricted_to_a_part_keeps_its_tier_lines_and_the_parts_unit_lines() -> None:
    matrix = DEFAULT_MATRIX.with_entries(
        [
            Responsibility(unit="g21", category="dispute", max_severity=3),
            Responsibility(unit="sd", category="dispute", max_severity=4),
        ],
        name="street",
    )
    one, two, _ = cut(STREET, tier="community")
    assert matrix.restricted_to(one).overridden_units == {"sd"}
    assert matrix.restricted_to(two) is matrix
    assert matrix.restricted_to(one).entries == tuple(e for e in matrix.entries if e.unit != "g21")
    Router(grid=one, rules=DEFAULT_RULES, matrix=matrix.restricted_to(one))  # accepted
    with pytest.raises(PolicyError, match="'unit' of a line of matrix 'street'"):
        Router(grid=one, rules=DEFAULT_RULES, matrix=matrix)
