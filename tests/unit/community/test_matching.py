"""Unit tests for gridgov.community.matching: needs, the policy, match_needs and its reasons."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gridgov import (
    InvalidValueError,
    PolicyError,
    UnknownUnitError,
    from_dict,
    to_dict,
)
from gridgov.community import (
    DEFAULT_MATCH_POLICY,
    Matching,
    MatchPolicy,
    Need,
    NeedKind,
    ServicePost,
    SkillLevel,
    Span,
    Talent,
    TalentKind,
    TalentLibrary,
    Willingness,
    match_needs,
)
from gridgov.demo import sample_grid

ON = date(2026, 11, 30)  # a Monday
GRID = sample_grid()


def person(pid: str, home: str = "mg31", hours: int = 4, **kw: object) -> Talent:
    fields: dict[str, object] = {
        "id": pid,
        "name": f"人{pid}",
        "kind": TalentKind.RESIDENT,
        "home": home,
        "skills": {"haircut"},
        "willingness": Willingness(hours=hours),
    }
    fields.update(kw)
    return Talent(**fields)  # type: ignore[arg-type]


def haircut(nid: str, unit: str = "mg31", **kw: object) -> Need:
    fields: dict[str, object] = {
        "id": nid,
        "name": f"理发{nid}",
        "unit": unit,
        "hours": 2,
        "skills": {"haircut"},
    }
    fields.update(kw)
    return Need(**fields)  # type: ignore[arg-type]


def run(needs: list[Need], *people: Talent, **kw: object) -> Matching:
    return match_needs(needs, TalentLibrary(talents=people), GRID, on=ON, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- values


def test_a_policy_is_non_decreasing_and_unfilled_costs_more_than_any_distance():
    assert DEFAULT_MATCH_POLICY.cost(0) == 0 and DEFAULT_MATCH_POLICY.cost(99) == 80
    with pytest.raises(PolicyError, match="'unmatched' of MatchPolicy must be more than"):
        MatchPolicy(proximity=(0, 50), unmatched=50)
    with pytest.raises(PolicyError, match="'proximity' of MatchPolicy must be a non-empty"):
        MatchPolicy(proximity=())
    with pytest.raises(InvalidValueError, match="'fairness' of MatchPolicy"):
        MatchPolicy(fairness=-1)


def test_a_post_becomes_a_need_counted_in_the_span():
    post = ServicePost(
        id="post-1",
        name="助老岗",
        unit="g3",
        hours=3,
        people=2,
        skills={"elder_care"},
        category="elder_care",
    )
    need = Need.for_post(post)
    assert (need.kind, need.ref, need.hours, need.people, need.category) == (
        NeedKind.POST,
        "post-1",
        3,
        2,
        "elder_care",
    )
    assert Need.for_post(post, span=Span.MONTH).hours == 13
    monthly = ServicePost(id="p2", name="岗", unit="g3", hours=1, per=Span.MONTH)
    assert Need.for_post(monthly).hours == 1  # never less than an hour


def test_match_needs_doors():
    with pytest.raises(InvalidValueError, match="'needs' must be needs with distinct ids"):
        run([haircut("n1"), haircut("n1")])
    with pytest.raises(UnknownUnitError):
        run([haircut("n1", unit="nowhere")])
    with pytest.raises(PolicyError, match="'skill' must be a code of skill catalogue"):
        run([haircut("n1", skills={"juggling"})])
    with pytest.raises(PolicyError, match="'category' must be a code of catalogue"):
        run([haircut("n1", category="juggling")])
    with pytest.raises(InvalidValueError, match="'needs' must be a collection"):
        run("n1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'used' must be a mapping"):
        run([haircut("n1")], used=[("r", 1)])
    with pytest.raises(UnknownUnitError):
        run([haircut("n1")], person("r-1", home="nowhere"))


# --------------------------------------------------------------------------- choices


def test_the_nearest_person_is_chosen_and_fairness_spreads_the_work():
    near, grid_mate, far = person("a", "mg31"), person("b", "mg32"), person("c", "mg11")
    m = run([haircut("n1")], near, grid_mate, far)
    assert [(a.person, a.level, a.cost) for a in m.assignments] == [("a", 0, 0)]
    # Two haircuts in mg31: the second to the grid-mate (10) or to a second job for a (5).
    m = run([haircut("n1"), haircut("n2")], near, grid_mate, person("d", "mg31"))
    assert {a.person for a in m.assignments} == {"a", "d"} and m.total_cost == 0
    m = run([haircut("n1"), haircut("n2")], near, grid_mate)
    assert [a.person for a in m.assignments] == ["a", "a"] and m.total_cost == 5
    strict = MatchPolicy(fairness=20)
    m = run([haircut("n1"), haircut("n2")], near, grid_mate, policy=strict)
    assert sorted(a.person for a in m.assignments) == ["a", "b"] and m.total_cost == 10


def test_a_need_of_several_places_goes_to_different_people():
    m = run([haircut("post", people=3)], person("a", hours=8), person("b", hours=8))
    assert sorted(a.person for a in m.assignments) == ["a", "b"]
    (u,) = m.unfilled
    assert (u.need, u.places) == ("post", 1) and m.filled("post") == 2


def test_hours_already_booked_count():
    m = run([haircut("n1"), haircut("n2")], person("a", hours=4), used={"a": 2})
    assert m.load("a") == 1 and m.hours("a") == 2 and len(m.unfilled) == 1


def test_a_monthly_span_counts_monthly_hours():
    monthly = person("a", willingness=Willingness(hours=8, per=Span.MONTH))
    assert run([haircut("n1")], monthly).unfilled  # 8 a month is 1 a week
    assert run([haircut("n1")], monthly, span=Span.MONTH).filled("n1") == 1


def test_priority_decides_who_is_left_out():
    m = run([haircut("n1"), haircut("n2", priority=3)], person("a", hours=2))
    assert [a.need for a in m.assignments] == ["n2"]
    assert m.total_cost == DEFAULT_MATCH_POLICY.unmatched


# --------------------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    ("talent", "zh", "en"),
    [
        (
            person("a", skills={"baking"}),
            "人才信息库中无人具备理发",
            "no one in the talent library holds haircut",
        ),
        (
            person("a", willingness=Willingness(hours=4, start=date(2027, 1, 1))),
            "具备理发的1人在2026-11-30均无相应服务意愿",
            "none of the 1 people holding haircut is willing",
        ),
        (
            person("a", willingness=Willingness(hours=4, kinds={"dispute"})),
            "具备理发的1人",
            "is willing to serve it",
        ),
        (
            person("a", willingness=Willingness(hours=4, units={"g1"})),
            "有服务意愿的1人都不前往美好人家1号楼服务",
            "none of the 1 willing people serves in 美好人家1号楼",
        ),
        (person("a", hours=1), "可前往美好人家1号楼的1人本期剩余时间都不足2小时", "has 2 h left"),
    ],
)
def test_each_unfilled_need_says_which_test_no_one_passed(talent, zh, en):
    m = run([haircut("n1", category="housekeeping")], talent)
    (u,) = m.unfilled
    assert zh in u.reason.zh and en in u.reason.en
    assert u.reason.ids("unit") == ("mg31",)


def test_an_unfilled_need_when_everyone_able_is_booked_names_them():
    m = run([haircut("n1"), haircut("n2")], person("a", hours=2))
    (u,) = m.unfilled
    assert u.reason.zh == "理发n2：符合条件的1人（人a）本期均已排满其他需求。"
    assert u.reason.ids("resident") == ("a",)


def test_a_placement_explains_itself_with_names():
    staff = person(
        "s-1",
        "yx",
        kind=TalentKind.PARTNER_STAFF,
        partner="p-health",
        skills={"haircut", "health_care"},
        levels=[SkillLevel(skill="health_care", level=3)],
        willingness=Willingness(hours=4, weekdays={0, 2}),
    )
    m = run(
        [haircut("n1", skills={"health_care"}, levels=[SkillLevel(skill="health_care", level=2)])],
        staff,
        person("a"),
    )
    (a,) = m.assignments
    assert a.person == "s-1" and a.level == 2
    assert a.reason.zh == (
        "人s-1（共建单位人员）承接理发n1：具备日常保健，同在亚新社区，"
        "每周4小时，周一、三，本期可用4小时。"
    )
    assert "both in 亚新社区" in a.reason.en and a.reason.ids("person") == ("s-1",)


def test_partners_serving_the_category_are_linked():
    m = run(
        [
            haircut("n1", unit="mg31", category="facility_repair"),
            haircut("n2", unit="mg11", category="facility_repair"),
        ]
    )
    assert m.partners_of("n1") == ("p-wuye",) and m.partners_of("n2") == ()
    (link,) = m.partners
    assert "美好人家物业（物业）服务设施维修，覆盖美好人家1号楼" in link.reason.zh
    assert link.reason.ids("partner") == ("p-wuye",)


def test_the_matching_round_trips():
    m = run(
        [
            haircut("n1", category="elder_care", kind=NeedKind.ACTIVITY, ref="act-1"),
            haircut("n2", people=2),
        ],
        person("a"),
    )
    assert from_dict(json.loads(json.dumps(to_dict(m))), Matching) == m
