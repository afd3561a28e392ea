"""gridgov.people: conditions with windows, personal files, roles, members and partners."""

from __future__ import annotations

import pickle
from datetime import date, datetime
from typing import Any

import attrs
import pytest

from gridgov import (
    CONDITION_KINDS,
    CST,
    DEFAULT_CATALOGUE,
    Category,
    Channel,
    Condition,
    ConditionKind,
    InvalidValueError,
    Member,
    Partner,
    PartnerKind,
    PlaceKind,
    Post,
    ReporterKind,
    Resident,
    ResidentFiles,
    Role,
    Severity,
    UnknownResidentError,
    birthday,
)

# --------------------------------------------------------------------------- conditions


def test_condition_window_is_half_open() -> None:
    c = Condition(kind="injured", start=date(2026, 11, 20), end=date(2026, 12, 20))
    assert not c.in_force(date(2026, 11, 19))
    assert c.in_force(date(2026, 11, 20))
    assert c.in_force(date(2026, 12, 19))
    assert not c.in_force(date(2026, 12, 20))


def test_open_ended_conditions() -> None:
    since = Condition(kind="dementia", start=date(2025, 1, 1))
    until = Condition(kind="recently_discharged", end=date(2025, 1, 1))
    always = Condition(kind="living_alone")
    assert not since.in_force(date(2024, 12, 31))
    assert since.in_force(date(2999, 1, 1))
    assert until.in_force(date(1900, 1, 1))
    assert not until.in_force(date(2025, 1, 1))
    assert always.in_force(date(1, 1, 1))
    assert always.in_force(date(9999, 12, 31))


@pytest.mark.parametrize("end", [date(2026, 1, 1), date(2025, 12, 31)])
def test_condition_end_must_follow_start(end: date) -> None:
    with pytest.raises(InvalidValueError, match="'end' of Condition 'injured' must be after"):
        Condition(kind="injured", start=date(2026, 1, 1), end=end)


@pytest.mark.parametrize("field", ["start", "end"])
def test_condition_dates_are_plain_dates(field: str) -> None:
    with pytest.raises(InvalidValueError, match=f"'{field}' of Condition must be a date"):
        Condition(kind="injured", **{field: datetime(2026, 1, 1, tzinfo=CST)})  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["", "Living alone", "独居", "living-alone"])
def test_condition_kind_is_a_code(kind: str) -> None:
    with pytest.raises(InvalidValueError, match="'kind' of Condition must be a lower-case code"):
        Condition(kind=kind)


def test_condition_label() -> None:
    assert Condition(kind="no_family_support").describe() == "孤寡 no family support"
    assert Condition(kind="no_family_support").label == "no family support"
    assert Condition(kind="no_family_support").zh == "孤寡"
    assert Condition(kind="custom_flag").describe() == "custom_flag"


def test_condition_kinds_are_keyed_by_code() -> None:
    assert all(code == kind.code for code, kind in CONDITION_KINDS.items())
    assert {"living_alone", "no_family_support", "injured"} <= set(CONDITION_KINDS)
    assert CONDITION_KINDS["living_alone"] == ConditionKind(
        code="living_alone", label="living alone", zh="独居"
    )


# --------------------------------------------------------------------------- residents


def _resident(birth: date, **kwargs: object) -> Resident:
    return Resident(id="r1", name="吕阿姨", household="h-1", birth_date=birth, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2026, 3, 1), 77),
        (date(2026, 3, 2), 78),
        (date(2026, 12, 31), 78),
        (date(2027, 3, 1), 78),
        (date(1948, 3, 2), 0),
    ],
)
def test_age_on(day: date, age: int) -> None:
    assert _resident(date(1948, 3, 2)).age_on(day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2026, 2, 28), 65),  # no 29 February in 2026: not yet
        (date(2026, 3, 1), 66),  # ... the birthday counts on 1 March
        (date(2028, 2, 28), 67),
        (date(2028, 2, 29), 68),  # a leap year has the day itself
        (date(2028, 3, 1), 68),
    ],
)
def test_age_on_29_february(day: date, age: int) -> None:
    assert _resident(date(1960, 2, 29)).age_on(day) == age


def test_conditions_on_follows_windows() -> None:
    r = _resident(
        date(1948, 3, 2),
        conditions=[
            Condition(kind="living_alone"),
            Condition(kind="injured", start=date(2026, 11, 18), end=date(2026, 12, 18)),
        ],
    )
    assert r.conditions_on(date(2026, 11, 17)) == {"living_alone"}
    assert r.conditions_on(date(2026, 11, 18)) == {"living_alone", "injured"}
    assert r.conditions_on(date(2026, 12, 18)) == {"living_alone"}
    assert isinstance(r.conditions_on(date(2026, 1, 1)), frozenset)


def test_with_condition_returns_a_new_file() -> None:
    r = _resident(date(1950, 1, 1), conditions=[Condition(kind="disabled")])
    injured = Condition(kind="injured", start=date(2026, 1, 1), end=date(2026, 2, 1))
    r2 = r.with_condition(injured)
    assert r2 is not r
    assert r2.conditions == (Condition(kind="disabled"), injured)
    assert r.conditions == (Condition(kind="disabled"),)
    assert r2.conditions_on(date(2026, 1, 15)) == {"disabled", "injured"}
    assert r.conditions_on(date(2026, 1, 15)) == {"disabled"}


def test_resident_converters() -> None:
    r = _resident(date(1950, 1, 1), conditions=iter([Condition(kind="disabled")]), tags=["youth"])
    assert r.conditions == (Condition(kind="disabled"),)
    assert r.tags == frozenset({"youth"})
    for bad in (None, "living_alone", 7, {"a": Condition(kind="disabled")}):
        with pytest.raises(InvalidValueError, match="'conditions' of Resident must be a collection"):
            _resident(date(1950, 1, 1), conditions=bad)
    with pytest.raises(InvalidValueError, match="'tags' of Resident must be a collection"):
        _resident(date(1950, 1, 1), tags="youth")


def test_file_cannot_open_before_birth() -> None:
    with pytest.raises(InvalidValueError, match="'file_opened' of Resident 'r1' must not precede"):
        _resident(date(1950, 1, 2), file_opened=date(1950, 1, 1))
    assert _resident(date(1950, 1, 2), file_opened=date(1950, 1, 2)).file_opened == date(1950, 1, 2)


def test_resident_validation() -> None:
    with pytest.raises(InvalidValueError, match="'birth_date' of Resident must be a date"):
        _resident(datetime(1950, 1, 1, tzinfo=CST))
    with pytest.raises(InvalidValueError, match="'conditions' of Resident must hold Condition"):
        _resident(date(1950, 1, 1), conditions=["living_alone"])
    with pytest.raises(InvalidValueError, match="'tags' of Resident must be a lower-case code"):
        _resident(date(1950, 1, 1), tags=["Party member"])
    with pytest.raises(InvalidValueError, match="'household' of Resident must be an id"):
        Resident(id="r", name="n", household=" ", birth_date=date(1950, 1, 1))


# --------------------------------------------------------------------------- roles and partner kinds


def test_role_labels() -> None:
    assert Role.GRID_WORKER.zh == "网格员"
    assert Role.GRID_WORKER.label == "grid worker"
    assert Role.MICRO_GRID_LEADER.label == "micro grid leader"
    assert Role.POLICE_OFFICER.zh == "片区民警"
    assert Role.COURTYARD_HEAD.zh == "楼院长"
    assert len({r.zh for r in Role}) == len(Role)


def test_leading_roles() -> None:
    leading = {r for r in Role if r.leads}
    assert leading == {
        Role.SUBDISTRICT_HEAD,
        Role.SECRETARY,
        Role.GRID_LEADER,
        Role.MICRO_GRID_LEADER,
    }


def test_partner_kind_labels() -> None:
    assert PartnerKind.PROPERTY_MANAGEMENT.zh == "物业"
    assert PartnerKind.CO_BUILDING_UNIT.zh == "共建单位"
    assert PartnerKind.CO_BUILDING_UNIT.label == "co building unit"
    assert all(kind.zh and kind.label for kind in PartnerKind)
    assert len({k.zh for k in PartnerKind}) == len(PartnerKind)


# --------------------------------------------------------------------------- members and partners


def test_member_units_and_converters() -> None:
    m = Member(
        id="m-li",
        name="李燕明",
        posts=[
            Post(role=Role.MICRO_GRID_LEADER, unit="mg31"),
            Post(role=Role.VOLUNTEER, unit="mg32"),
            Post(role=Role.PARTY_MEMBER, unit="mg31"),
        ],
        skills=["appliance_repair"],
    )
    assert isinstance(m.posts, tuple)
    assert m.units == frozenset({"mg31", "mg32"})
    assert m.skills == frozenset({"appliance_repair"})
    assert Member(id="m", name="n").units == frozenset()


def test_member_validation() -> None:
    with pytest.raises(InvalidValueError, match="'posts' of Member must hold Post values"):
        Member(id="m", name="n", posts=[("grid_leader", "g1")])
    with pytest.raises(InvalidValueError, match="'skills' of Member must be a lower-case code"):
        Member(id="m", name="n", skills={"Appliance repair"})
    with pytest.raises(InvalidValueError, match="'skills' of Member must be a collection"):
        Member(id="m", name="n", skills="housekeeping")
    with pytest.raises(InvalidValueError, match="'posts' of Member must be a collection"):
        Member(id="m", name="n", posts=7)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'id' of Member must be an id"):
        Member(id="", name="n")


def test_post_validation() -> None:
    assert Post(role=Role.GRID_LEADER, unit="g1").role is Role.GRID_LEADER
    with pytest.raises(InvalidValueError, match="'role' of Post must be a Role \\(got 'grid_leader'\\)"):
        Post(role="grid_leader", unit="g1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'unit' of Post"):
        Post(role=Role.GRID_LEADER, unit="")


def test_partner_serves() -> None:
    wuye = Partner(
        id="p",
        name="物业",
        kind=PartnerKind.PROPERTY_MANAGEMENT,
        categories={"facility_repair", "environment"},
        units={"g3"},
    )
    cat = DEFAULT_CATALOGUE.with_categories(
        [Category(code="lift_repair", label="lift repair", zh="电梯维修", parent="facility_repair")],
        name="street",
    )
    assert wuye.serves("facility_repair", cat)
    assert wuye.serves("lift_repair", cat)  # a refinement of a category it serves
    assert wuye.serves("environment", cat)
    assert not wuye.serves("dispute", cat)
    anything = Partner(id="q", name="派出所", kind=PartnerKind.POLICE_STATION)
    assert anything.serves("dispute", cat)
    assert anything.serves("facility_repair", cat)
    assert anything.units == frozenset()


def test_partner_validation() -> None:
    with pytest.raises(InvalidValueError, match="'categories' of Partner must be a lower-case"):
        Partner(id="p", name="n", kind=PartnerKind.ENTERPRISE, categories={"Repair"})
    with pytest.raises(InvalidValueError, match="'units' of Partner must be an id"):
        Partner(id="p", name="n", kind=PartnerKind.ENTERPRISE, units={""})
    with pytest.raises(InvalidValueError, match="'kind' of Partner must be a PartnerKind"):
        Partner(id="p", name="n", kind="enterprise")  # type: ignore[arg-type]


def test_people_values_are_frozen() -> None:
    m = Member(id="m", name="n")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.name = "x"  # type: ignore[misc]


def test_age_before_birth_is_refused() -> None:
    r = Resident(id="r", name="n", household="h", birth_date=date(2000, 5, 5))
    with pytest.raises(InvalidValueError, match="'day' must not precede the birth date of"):
        r.age_on(date(2000, 5, 4))
    assert r.age_on(date(2000, 5, 5)) == 0


# --------------------------------------------------------------------------- birthdays


@pytest.mark.parametrize(
    ("birth", "years", "expected"),
    [
        (date(1948, 3, 2), 78, date(2026, 3, 2)),
        (date(1960, 2, 29), 64, date(2024, 2, 29)),  # a leap year
        (date(1960, 2, 29), 66, date(2026, 3, 1)),  # a common year: 1 March
        (date(1960, 2, 29), 40, date(2000, 2, 29)),  # 2000 is a leap year (÷400)
        (date(1996, 2, 29), 104, date(2100, 3, 1)),  # 2100 is not (÷100)
        (date(2000, 1, 1), 0, date(2000, 1, 1)),
        (date(1999, 12, 31), 1, date(2000, 12, 31)),
    ],
)
def test_birthday(birth: date, years: int, expected: date) -> None:
    assert birthday(birth, years) == expected


def test_age_on_uses_the_one_birthday_rule() -> None:
    leapling = Resident(id="r", name="n", household="h", birth_date=date(1960, 2, 29))
    for day in (date(2025, 2, 28), date(2025, 3, 1), date(2028, 2, 28), date(2028, 2, 29)):
        age = leapling.age_on(day)
        assert birthday(leapling.birth_date, age) <= day < birthday(leapling.birth_date, age + 1)


# --------------------------------------------------------------------------- resident files

LU = Resident(id="r-lu", name="吕阿姨", household="h-1001", birth_date=date(1948, 3, 2))
WANG = Resident(id="r-wang", name="王叔", household="h-1002", birth_date=date(1946, 12, 5))


def test_files_from_residents_are_keyed_by_their_ids() -> None:
    files = ResidentFiles([LU, WANG])
    assert len(files) == 2
    assert list(files) == ["r-lu", "r-wang"]
    assert files["r-lu"] is LU
    assert "r-wang" in files
    assert "r-nobody" not in files
    assert files.get("r-nobody") is None
    assert files.get("r-nobody", LU) is LU
    assert dict(files) == {"r-lu": LU, "r-wang": WANG}
    assert repr(files) == "ResidentFiles(2 files)"


def test_files_from_a_mapping_are_checked() -> None:
    assert ResidentFiles({"r-lu": LU}) == ResidentFiles([LU])
    with pytest.raises(InvalidValueError) as info:
        ResidentFiles({"h-1001": LU})
    assert str(info.value) == (
        "'residents' must map each resident's id to their file (got key 'h-1001' for the "
        "file of resident 'r-lu')."
    )
    with pytest.raises(InvalidValueError, match="'residents' must be a mapping of resident id"):
        ResidentFiles({"r-lu": "吕阿姨"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([LU, LU], "'residents' must hold one file per resident (got 'r-lu' twice)."),
        (["r-lu"], "'residents' must be a collection of Resident values (got 'r-lu')."),
        ("r-lu", "'residents' must be a collection such as a list"),
        (3, "'residents' must be a collection such as a list"),
    ],
)
def test_bad_files_are_refused(bad: object, message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        ResidentFiles(bad)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_of_keeps_an_index_and_checks_a_mapping() -> None:
    files = ResidentFiles([LU])
    assert ResidentFiles.of(files) is files
    assert ResidentFiles.of(None) == ResidentFiles()
    assert len(ResidentFiles.of(None)) == 0
    assert ResidentFiles.of({"r-lu": LU}) == files
    with pytest.raises(InvalidValueError, match="'residents' must be a ResidentFiles or a mapping"):
        ResidentFiles.of([LU])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'residents' must map each resident's id"):
        ResidentFiles.of({"x": LU})


def test_an_index_keeps_nothing_of_the_callers_mapping() -> None:
    mine = {"r-lu": LU}
    files = ResidentFiles(mine)
    mine["r-wang"] = WANG
    del mine["r-lu"]
    assert list(files) == ["r-lu"]
    copied = ResidentFiles(files)
    assert copied == files and copied is not files


def test_an_index_is_immutable() -> None:
    files = ResidentFiles([LU])
    with pytest.raises(AttributeError, match="ResidentFiles is immutable"):
        files._files = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        files["r-wang"] = WANG  # type: ignore[index]
    assert not hasattr(files, "__dict__")


def test_an_unknown_resident_is_an_unknown_resident_error() -> None:
    files = ResidentFiles([LU])
    with pytest.raises(UnknownResidentError, match="resident 'r-nobody' has no file") as info:
        files["r-nobody"]
    assert isinstance(info.value, KeyError)


def test_indexes_compare_hash_and_pickle_by_their_files() -> None:
    a, b = ResidentFiles([LU, WANG]), ResidentFiles([WANG, LU])
    assert a == b
    assert hash(a) == hash(b)
    assert a != ResidentFiles([LU])
    back = pickle.loads(pickle.dumps(a))
    assert back == a
    assert isinstance(back, ResidentFiles)


# --------------------------------------------------------------------------- Chinese labels


@pytest.mark.parametrize(
    ("enum", "label", "member"),
    [
        (Role, "网格长", Role.GRID_LEADER),
        (Role, " 微网格长 ", Role.MICRO_GRID_LEADER),  # surrounding spaces are ignored
        (PartnerKind, "物业", PartnerKind.PROPERTY_MANAGEMENT),
        (Channel, "12345转办", Channel.HOTLINE_12345),
        (ReporterKind, "匿名", ReporterKind.ANONYMOUS),
        (PlaceKind, "楼院", PlaceKind.COURTYARD),
    ],
)
def test_enumerations_are_found_by_their_chinese_label(
    enum: Any, label: str, member: Any
) -> None:
    assert enum.from_zh(label) is member
    assert enum.from_zh(member.zh) is member
    assert member.label == str(member.value).replace("_", " ")


def test_every_labelled_member_round_trips_through_its_label() -> None:
    for enum in (Role, PartnerKind, Channel, ReporterKind, PlaceKind):
        for member in enum:
            assert enum.from_zh(member.zh) is member


def test_severity_is_found_by_its_chinese_label() -> None:
    assert Severity.from_zh("紧急") is Severity.URGENT
    assert [Severity.from_zh(s.zh) for s in Severity] == list(Severity)
    with pytest.raises(InvalidValueError, match="'label' must be the Chinese name of a Severity"):
        Severity.from_zh("很急")


@pytest.mark.parametrize("bad", ["组长", "", "grid_leader", None, 3])
def test_an_unknown_label_is_refused_naming_the_known_ones(bad: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Role.from_zh(bad)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("'label' must be the Chinese name of a Role (街道书记、社区书记、")
    assert message.endswith(f"(got {bad!r}).")


def test_refusing_a_list_of_files_shows_no_personal_data() -> None:
    # 'residents' holds personal files: a message may name their type and number, never a
    # name or a birth date (show(value, personal=True)), as the doors do for personal fields.
    for call in (lambda: ResidentFiles.of([LU, WANG]), lambda: ResidentFiles.of((LU,))):
        with pytest.raises(InvalidValueError) as info:
            call()  # type: ignore[no-untyped-call]
        message = str(info.value)
        assert message.startswith("'residents' must be a ResidentFiles or a mapping")
        for secret in ("吕阿姨", "王叔", "1948", "1946"):
            assert secret not in message
