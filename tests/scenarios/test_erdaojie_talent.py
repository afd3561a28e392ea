"""Seed story (Erdaojie, 二道街社区), part two: the talent library (人才信息库) and 精准服务.

"摸清社区老党员老干部、社区能人、志愿者等情况，根据自身技能特长和服务意愿，建立'人才信息库'，
灵活设置服务岗位 … 吸纳9个共建单位，全面掌握共建单位职能优势及干部特点 … 实现社区建设、群众需求与
单位优势、干部特长无缝对接、精准服务。"

On the community of :mod:`test_erdaojie` (19 courtyards, 116 party members, 9 co-building
units), this test builds the talent library the report describes — party members with their
skills *and* willingness to serve (hours a week or a month, weekends only, a term that ended),
capable residents (社区能人) with levels, a partner's staff — and the posts (岗位) units set up,
then matches a week of the year's volunteer requests and the posts to people with
:func:`gridgov.community.match_needs` and checks that:

* every placement goes to someone with the skill (at the level asked), willing on the day,
  who serves in the need's unit, and no one is booked beyond the hours they offered;
* help comes from the same courtyard first (every volunteer request is placed in its own
  courtyard, where the library has the skill), and a post of two places goes to two people;
* a post no one can fill (法律咨询) is unfilled with the reason, and the co-building unit
  whose strength it is (铭功律师事务所) is linked instead — each of the 9 co-building units is
  linked to the needs of the categories it serves;
* the matching is a value (JSON round trip) and every decision names people and units.

The gap this closes: the first part modelled the talent library as members' skills alone,
with no willingness, no posts and no matching (the driver picked the first member with the
skill).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from test_erdaojie import CO_BUILDING_UNITS, SKILLS, erdaojie_grid, generate_year

from gridgov import DEFAULT_CATALOGUE, GridGraph, PartnerKind, Role, from_dict, to_dict
from gridgov.community import (
    Matching,
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

JUNE = date(2026, 6, 1)  # the month matched
VOLUNTEER_KINDS = {"volunteer_service", "elder_care"}


def talent_library(grid: GridGraph) -> TalentLibrary:
    """人才信息库: the party members with a skill, two capable residents, a partner's doctor,
    and the posts two units set up."""
    talents = []
    for m in grid.members:
        if not any(p.role is Role.PARTY_MEMBER for p in m.posts) or not m.skills:
            continue
        number = int(m.id[-3:])
        if number % 5 == 0:  # 在职党员: weekends only, 8 hours a month, anywhere in the community
            w = Willingness(hours=8, per=Span.MONTH, kinds=VOLUNTEER_KINDS, weekdays={5, 6})
        elif number % 7 == 0:  # served last year, not this one
            w = Willingness(hours=4, kinds=VOLUNTEER_KINDS, end=date(2026, 1, 1))
        else:  # 老党员: 4 hours a week, in their own grid
            home = m.posts[0].unit
            w = Willingness(hours=4, kinds=VOLUNTEER_KINDS, units={grid.parent(home).id})
        talents.append(Talent.of_member(m, willingness=w))
    talents += [
        Talent(
            id="r-zhou",
            name="周师傅",
            kind=TalentKind.RESIDENT,
            home="c03",
            skills={"appliance_repair", "plumbing"},
            levels=[SkillLevel(skill="appliance_repair", level=3)],
            willingness=Willingness(hours=6, kinds={"volunteer_service"}),
        ),
        Talent(
            id="r-he",
            name="何老师",
            kind=TalentKind.RESIDENT,
            home="c11",
            skills={"tutoring", "calligraphy"},
            willingness=Willingness(hours=3),
        ),
        Talent(
            id="s-yy-1",
            name="社区医院刘医生",
            kind=TalentKind.PARTNER_STAFF,
            partner="p-yiyuan",
            home="edj",
            skills={"health_care", "first_aid"},
            levels=[SkillLevel(skill="health_care", level=3)],
            willingness=Willingness(hours=4, weekdays={2}),
        ),
    ]
    posts = [
        ServicePost(
            id="post-repair",
            name="家电义修岗",
            unit="g1",
            skills={"appliance_repair"},
            levels=[SkillLevel(skill="appliance_repair", level=2)],
            hours=2,
            people=2,
            category="appliance_repair",
        ),
        ServicePost(
            id="post-clinic",
            name="健康义诊岗",
            unit="edj",
            skills={"health_care"},
            levels=[SkillLevel(skill="health_care", level=2)],
            hours=2,
            category="health_care",
        ),
        ServicePost(
            id="post-law",
            name="法律咨询岗",
            unit="edj",
            skills={"legal_advice"},
            hours=2,
            category="policy_enquiry",
        ),
    ]
    return TalentLibrary(talents=talents, posts=posts)


@pytest.fixture(scope="module")
def grid() -> GridGraph:
    return erdaojie_grid()


@pytest.fixture(scope="module")
def library(grid) -> TalentLibrary:
    # The party members' levels: appliance repair at 2 for the first of each courtyard's
    # repairers in grid g1, so that the post has people to draw on.
    lib = talent_library(grid)
    return lib.with_talents(
        [
            Talent.of_member(
                grid.member(t.id),
                willingness=t.willingness,
                levels=[SkillLevel(skill="appliance_repair", level=2)],
            )
            for t in lib.talents
            if t.kind is TalentKind.MEMBER
            and "appliance_repair" in t.skills
            and grid.parent(t.home).id == "g1"
        ]
    )


def month_needs(grid: GridGraph) -> list[Need]:
    """The volunteer requests of June (the talent library's work)."""
    year = generate_year(grid)
    out = []
    for r in year.requests:
        issue = r.issue
        if issue.category in SKILLS and (issue.reported_at.year, issue.reported_at.month) == (
            2026,
            6,
        ):
            label = DEFAULT_CATALOGUE[issue.category].zh
            out.append(
                Need(
                    id=issue.id,
                    name=f"{grid.unit(r.courtyard).name}{label}",
                    kind=NeedKind.CASE,
                    ref=issue.id,
                    unit=r.courtyard,
                    skills={issue.category},
                    category=issue.category,
                    hours=2,
                )
            )
    return out


@pytest.fixture(scope="module")
def needs(grid, library) -> list[Need]:
    return [*month_needs(grid), *(Need.for_post(p, span=Span.MONTH) for p in library.posts)]


@pytest.fixture(scope="module")
def matching(grid, library, needs) -> Matching:
    return match_needs(needs, library, grid, on=JUNE, span=Span.MONTH)


def test_the_library_records_skills_and_willingness(grid, library):
    assert len(library) == 57 + 3  # 3 skilled party members per courtyard, and three more
    kinds = Counter(t.kind for t in library.talents)
    assert kinds == {TalentKind.MEMBER: 57, TalentKind.RESIDENT: 2, TalentKind.PARTNER_STAFF: 1}
    for skill in SKILLS:  # every volunteer skill in every courtyard
        homes = {t.home for t in library.with_skill(skill) if t.kind is TalentKind.MEMBER}
        assert homes == {u.id for u in grid.units_of("micro_grid")}
    assert [t.name for t in library.with_skill("appliance_repair", 3)] == ["周师傅"]
    assert {p.unit for p in library.posts} == {"g1", "edj"}


def test_every_placement_is_skilled_willing_in_reach_and_within_hours(
    grid, library, needs, matching
):
    by_id = {n.id: n for n in needs}
    for a in matching.assignments:
        need, person = by_id[a.need], library.talent(a.person)
        assert all(
            person.level(s) >= {x.skill: x.level for x in need.levels}.get(s, 1)
            for s in need.skills
        )
        w = person.willingness
        assert w.in_force(JUNE) and w.offers(need.category, DEFAULT_CATALOGUE)
        reach = w.units or {"edj"}
        assert any(grid.is_above(u, need.unit) for u in reach)
        assert person.name in a.reason.zh and person.name in a.reason.en
    for t in library.talents:
        assert matching.hours(t.id) <= t.willingness.hours_per(Span.MONTH)
        if not t.willingness.in_force(JUNE):
            assert matching.load(t.id) == 0  # the term that ended


def test_help_comes_from_the_same_courtyard_first(grid, library, needs, matching):
    cases = [n for n in needs if n.kind is NeedKind.CASE]
    assert len(cases) >= 5
    levels = Counter()
    for n in cases:
        (a,) = matching.of_need(n.id)
        levels[a.level] += 1
        near = grid.chain(n.unit)[a.level]
        assert f"同在{near.name}" in a.reason.zh and a.cost == matching.policy.cost(a.level)
        if a.level > 0:  # the courtyard's own could not (none willing, or all booked), or
            # one more assignment for them costs as much as the way (fairness: 5 per extra one)
            policy = matching.policy
            for t in library.with_skill(n.category):
                if t.home == n.unit and t.willingness.in_force(JUNE):
                    left = t.willingness.hours_per(Span.MONTH) - matching.hours(t.id)
                    extra = policy.fairness * matching.load(t.id)
                    assert left < n.hours or extra >= policy.cost(a.level) - policy.cost(0)
    assert levels[0] > levels[1] > 0  # mostly at home; some further, to spread the work
    repair = matching.of_need("post-repair")
    assert len({a.person for a in repair}) == 2  # two places, two people
    assert all(grid.is_above("g1", library.talent(a.person).home) for a in repair)
    (clinic,) = matching.of_need("post-clinic")  # level 2 health care: only the doctor
    assert clinic.person == "s-yy-1" and "社区医院刘医生（共建单位人员）" in clinic.reason.zh


def test_a_post_no_one_can_fill_links_the_partner_whose_strength_it_is(matching):
    (law,) = matching.unfilled
    assert (law.need, law.places) == ("post-law", 1)
    assert law.reason.zh == "法律咨询岗：人才信息库中无人具备法律咨询。"
    assert matching.partners_of("post-law") == ("p-lvsuo",)
    unfilled_cost = matching.policy.unmatched
    placed = sum(a.cost for a in matching.assignments)
    assert matching.total_cost >= unfilled_cost + placed


def test_the_nine_co_building_units_are_matched_by_their_strengths(grid, library):
    needs = [
        Need(id=f"n-{code}", name=DEFAULT_CATALOGUE[code].zh, unit="c07", hours=1, category=code)
        for code in sorted({c for _, _, cats in CO_BUILDING_UNITS for c in cats})
    ]
    m = match_needs(needs, library, grid, on=JUNE)
    linked = {p.partner for p in m.partners}
    co_building = {p.id for p in grid.partners if p.kind is PartnerKind.CO_BUILDING_UNIT}
    assert co_building <= linked and len(co_building) == 9
    for pid, name, cats in CO_BUILDING_UNITS:
        for code in cats:
            assert pid in m.partners_of(f"n-{code}")
            link = next(p for p in m.partners if p.need == f"n-{code}" and p.partner == pid)
            assert name in link.reason.zh and DEFAULT_CATALOGUE[code].zh in link.reason.zh
    # Refinements: 二七供电所 offers volunteer services, so it comes with the specialist.
    assert m.partners_of("n-appliance_repair") == ("p-dianqi", "p-gongdian")


def test_the_weekend_volunteer_is_placed_only_when_the_week_needs_them(grid, library):
    weekend = [t for t in library.talents if t.willingness.weekdays == {5, 6}]
    assert weekend and all(t.willingness.hours_per(Span.WEEK) == 1 for t in weekend)
    # A need of 2 hours a week is beyond what they offer: they are never placed on it.
    t = weekend[0]
    (skill,) = t.skills
    need = Need(
        id="n-weekend",
        name="周末服务",
        unit=t.home,
        hours=2,
        skills={skill},
        category=skill if skill in DEFAULT_CATALOGUE else None,
    )
    m = match_needs([need], library, grid, on=JUNE)
    assert t.id not in {a.person for a in m.assignments}
    # Counted by the month they offer 8 hours: placed, in their own courtyard.
    m = match_needs([need], library.with_talents([t]), grid, on=JUNE, span=Span.MONTH)
    assert m.filled("n-weekend") == 1


def test_the_matching_is_a_value(matching):
    again = from_dict(json.loads(json.dumps(to_dict(matching))), Matching)
    assert again == matching
    assert matching.assignments and all(a.reason.refs for a in matching.assignments)
