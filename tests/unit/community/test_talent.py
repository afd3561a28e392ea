"""Unit tests for gridgov.community.talent: skills, willingness, talents, posts, the library."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gridgov import (
    DEFAULT_CATALOGUE,
    InvalidValueError,
    Member,
    PolicyError,
    Post,
    Role,
    UnknownMemberError,
    from_dict,
    to_dict,
)
from gridgov.community import (
    DEFAULT_SKILLS,
    ServicePost,
    Skill,
    SkillCatalogue,
    SkillLevel,
    Span,
    Talent,
    TalentKind,
    TalentLibrary,
    Willingness,
)


def resident(pid: str = "r-1", **kw: object) -> Talent:
    fields: dict[str, object] = {
        "id": pid,
        "name": "张阿姨",
        "kind": TalentKind.RESIDENT,
        "home": "mg31",
        "willingness": Willingness(hours=4),
    }
    fields.update(kw)
    return Talent(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- skills


def test_a_catalogue_refuses_a_repeated_code_and_names_an_unknown_one():
    with pytest.raises(PolicyError, match="'haircut' appears twice in skill catalogue 'x'"):
        SkillCatalogue(name="x", skills=[DEFAULT_SKILLS["haircut"]] * 2)
    with pytest.raises(PolicyError, match="'skill' must be a code of skill catalogue"):
        DEFAULT_SKILLS["juggling"]


def test_a_skill_has_at_most_ten_levels_and_labels_join_in_code_order():
    with pytest.raises(InvalidValueError, match="'levels' of Skill must be at most 10"):
        Skill(code="x", label="x", zh="某", levels=[f"{i}级" for i in range(11)])
    assert DEFAULT_SKILLS.zh(("plumbing", "baking")) == "蛋糕制作、水电维修"
    assert DEFAULT_SKILLS.label(("plumbing", "baking")) == "baking, plumbing and wiring"
    assert all(DEFAULT_SKILLS[c].zh for c in DEFAULT_SKILLS.codes)


# --------------------------------------------------------------------------- willingness


@pytest.mark.parametrize(
    ("hours", "per", "span", "expected"),
    [
        (4, Span.WEEK, Span.WEEK, 4),
        (4, Span.WEEK, Span.MONTH, 17),
        (12, Span.MONTH, Span.WEEK, 2),
        (4, Span.MONTH, Span.WEEK, 0),
        (0, Span.WEEK, Span.MONTH, 0),
    ],
)
def test_hours_are_converted_rounding_down(hours, per, span, expected):
    assert Willingness(hours=hours, per=per).hours_per(span) == expected


def test_willingness_is_in_force_on_its_days_only():
    w = Willingness(hours=2, weekdays={5, 6}, start=date(2026, 12, 1), end=date(2027, 1, 1))
    assert not w.in_force(date(2026, 11, 30)) and w.in_force(date(2026, 12, 1))
    assert not w.in_force(date(2027, 1, 1))
    assert w.serves_on(date(2026, 12, 5)) and not w.serves_on(date(2026, 12, 4))
    assert w.describe_zh() == "每周2小时，周六、日"
    with pytest.raises(InvalidValueError, match="'end' of Willingness must be after its start"):
        Willingness(hours=2, start=date(2026, 12, 1), end=date(2026, 12, 1))


def test_willingness_doors():
    with pytest.raises(InvalidValueError, match="'hours' of Willingness must be an integer from 0"):
        Willingness(hours=745)
    with pytest.raises(InvalidValueError, match="'weekdays' of Willingness"):
        Willingness(hours=1, weekdays={7})
    with pytest.raises(InvalidValueError, match="'units' of Willingness must be a collection"):
        Willingness(hours=1, units="g1")


def test_kinds_cover_the_categories_that_refine_them():
    w = Willingness(hours=1, kinds={"volunteer_service"})
    assert w.offers("appliance_repair", DEFAULT_CATALOGUE) and w.offers(None, DEFAULT_CATALOGUE)
    assert not w.offers("dispute", DEFAULT_CATALOGUE)
    assert Willingness(hours=1).offers("dispute", DEFAULT_CATALOGUE)
    with pytest.raises(PolicyError):
        w.offers("no_such_category", DEFAULT_CATALOGUE)


# --------------------------------------------------------------------------- talents and posts


def test_a_member_enters_the_library_with_their_own_id_name_and_skills():
    m = Member(
        id="m-li",
        name="李燕明",
        skills={"appliance_repair"},
        posts=[
            Post(role=Role.MICRO_GRID_LEADER, unit="mg31"),
            Post(role=Role.VOLUNTEER, unit="g3"),
        ],
    )
    t = Talent.of_member(
        m, willingness=Willingness(hours=2), levels=[SkillLevel(skill="appliance_repair", level=2)]
    )
    assert (t.id, t.name, t.home, t.kind, t.skills) == (
        "m-li",
        "李燕明",
        "mg31",
        TalentKind.MEMBER,
        frozenset({"appliance_repair"}),
    )
    assert t.level("appliance_repair") == 2 and t.kind.ref_kind == "member"
    assert Talent.of_member(m, willingness=Willingness(hours=2), home="g3").home == "g3"
    with pytest.raises(InvalidValueError, match=r"'home' of Talent\.of_member must be given"):
        Talent.of_member(Member(id="m-x", name="某"), willingness=Willingness(hours=1))


def test_levels_name_the_talents_own_skills_once():
    with pytest.raises(InvalidValueError, match="'levels' of Talent must be one level for each"):
        resident(levels=[SkillLevel(skill="haircut", level=1)])
    with pytest.raises(InvalidValueError, match="'levels' of ServicePost"):
        ServicePost(
            id="p",
            name="岗",
            unit="g1",
            hours=1,
            skills={"haircut"},
            levels=[SkillLevel(skill="haircut", level=1)] * 2,
        )


def test_only_a_partners_staff_names_a_partner():
    staff = resident("s-1", kind=TalentKind.PARTNER_STAFF, partner="p-wuye")
    assert staff.kind.ref_kind == "person"
    with pytest.raises(InvalidValueError, match="'partner' of Talent must be given for a partner"):
        resident(partner="p-wuye")
    with pytest.raises(InvalidValueError, match="'partner' of Talent"):
        resident(kind=TalentKind.PARTNER_STAFF)


def test_a_talents_name_is_personal_and_never_shown():
    with pytest.raises(InvalidValueError, match="not shown: personal data"):
        resident(name="\x00张")


# --------------------------------------------------------------------------- the library


def test_the_library_checks_skills_levels_and_ids():
    with pytest.raises(PolicyError, match="'skill' must be a code of skill catalogue"):
        TalentLibrary(talents=[resident(skills={"juggling"})])
    with pytest.raises(PolicyError, match="'level' of skill 'haircut' must be from 1 to 1"):
        TalentLibrary(
            talents=[resident(skills={"haircut"}, levels=[SkillLevel(skill="haircut", level=2)])]
        )
    with pytest.raises(InvalidValueError, match="'talents' of TalentLibrary must be one entry"):
        TalentLibrary(talents=[resident(), resident()])
    post = ServicePost(id="p", name="岗", unit="g1", hours=1)
    with pytest.raises(InvalidValueError, match="'posts' of TalentLibrary must be posts with"):
        TalentLibrary(posts=[post, post])


def test_the_library_finds_people_by_skill_and_level():
    lib = TalentLibrary(
        talents=[
            resident("r-1", skills={"plumbing"}),
            resident("r-2", skills={"plumbing"}, levels=[SkillLevel(skill="plumbing", level=3)]),
        ]
    )
    assert [t.id for t in lib.with_skill("plumbing")] == ["r-1", "r-2"]
    assert [t.id for t in lib.with_skill("plumbing", 2)] == ["r-2"]
    assert "r-1" in lib and lib.talent("r-2").level("plumbing") == 3
    with pytest.raises(UnknownMemberError, match="person 'r-9' is not in the talent library"):
        lib.talent("r-9")
    newer = lib.with_talents([resident("r-1", willingness=Willingness(hours=9))])
    assert newer.talent("r-1").willingness.hours == 9 and len(newer) == 2


def test_daily_visits_come_from_willingness():
    lib = TalentLibrary(
        talents=[
            resident(
                "m-part",
                kind=TalentKind.MEMBER,
                willingness=Willingness(hours=6, weekdays={5}, visits_per_day=3),
            ),
            resident("m-full", kind=TalentKind.MEMBER, willingness=Willingness(hours=40)),
        ]
    )
    saturday, friday = date(2026, 11, 28), date(2026, 11, 27)
    assert lib.daily_visits("m-part", saturday) == 3 and lib.daily_visits("m-part", friday) == 0
    assert lib.daily_visits("m-full", friday) is None  # no daily figure: the plan's own
    assert lib.daily_visits("m-nobody", friday) is None


def test_the_library_round_trips():
    lib = TalentLibrary(
        talents=[
            resident(
                skills={"plumbing"},
                levels=[SkillLevel(skill="plumbing", level=2)],
                willingness=Willingness(
                    hours=3, per=Span.MONTH, units={"g3"}, weekdays={1}, start=date(2026, 1, 1)
                ),
            )
        ],
        posts=[
            ServicePost(
                id="p",
                name="岗",
                unit="g1",
                hours=1,
                people=3,
                skills={"plumbing"},
                category="facility_repair",
            )
        ],
    )
    assert from_dict(json.loads(json.dumps(to_dict(lib))), TalentLibrary) == lib
