"""gridgov._validators: the doors every value's fields go through, one test class per door.

Each door is tried directly (``check_*``), as an attrs validator on a public value, and —
where it has one — through its batch form, with the values a careless or hostile caller
might send: look-alike ids, control characters, huge strings, bools posing as numbers,
NaN, naive or far-off datetimes, strings posing as collections.
"""

from __future__ import annotations

import math
import re
import time as _time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

import attrs
import pytest

import gridgov._validators as v
from gridgov import (
    Category,
    Condition,
    Criteria,
    GridUnit,
    InvalidValueError,
    Member,
    Partner,
    PartnerKind,
    Resident,
    TimeLimit,
)
from gridgov.errors import GridGovError

ID_RULE = (
    "an id: a non-blank string of at most 200 characters without control or zero-width "
    "characters, leading or trailing spaces, in Unicode NFC"
)


# --------------------------------------------------------------------------- ids


class TestIds:
    @pytest.mark.parametrize(
        "good",
        [
            "mg31",
            "h-0001",
            "亚新社区",
            "a b",  # an inner space is fine
            "x" * v.MAX_ID,
            "é",  # precomposed: NFC
            "Ω",
            "r/2026#7",
        ],
    )
    def test_accepted(self, good: str) -> None:
        assert v.check_ident("id", good) is good
        v.check_ids("ids", [good])
        assert GridUnit(id=good, name="n", tier="grid").id == good

    @pytest.mark.parametrize(
        "bad",
        [
            pytest.param("", id="empty"),
            pytest.param(" ", id="blank"),
            pytest.param(" mg31", id="leading space"),
            pytest.param("mg31 ", id="trailing space"),
            pytest.param("mg31\n", id="newline"),
            pytest.param("mg\t31", id="tab"),
            pytest.param("mg\x0031", id="NUL"),
            pytest.param("mg\x7f31", id="DEL"),
            pytest.param("mg\u200b31", id="zero-width space"),
            pytest.param("mg\u200d31", id="zero-width joiner"),
            pytest.param("\ufeffmg31", id="byte order mark"),
            pytest.param("mg\u202e31", id="right-to-left override"),
            pytest.param("mg\u202831", id="line separator"),
            pytest.param("mg\u202931", id="paragraph separator"),
            pytest.param("mg\u00a031", id="no-break space"),
            pytest.param("mg\u300031", id="ideographic space"),
            pytest.param("e\u0301", id="not NFC"),
            pytest.param("A\u030a", id="not NFC (angstrom)"),
            pytest.param("x" * (v.MAX_ID + 1), id="201 characters"),
            pytest.param(31, id="int"),
            pytest.param(b"mg31", id="bytes"),
            pytest.param(None, id="None"),
            pytest.param(["mg31"], id="list"),
        ],
    )
    def test_refused_naming_the_field(self, bad: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            v.check_ident("unit", bad)
        assert str(info.value).startswith(f"'unit' must be {ID_RULE} (got ")
        with pytest.raises(InvalidValueError, match=r"'ids' must be an id"):
            v.check_ids("ids", ["ok", bad])
        with pytest.raises(InvalidValueError, match=r"^'id' of GridUnit must be an id"):
            GridUnit(id=bad, name="n", tier="grid")  # type: ignore[arg-type]

    def test_a_non_nfc_id_is_refused_not_fixed(self) -> None:
        decomposed = "cafe\u0301"
        with pytest.raises(InvalidValueError):
            v.check_ident("id", decomposed)
        assert v.check_ident("id", "café") == "café"  # the NFC spelling of the same id

    def test_batch_check_names_the_first_bad_id(self) -> None:
        with pytest.raises(InvalidValueError, match=r"\(got ' h-2'\)"):
            v.check_ids("places", ["h-1", " h-2", "h-3\n"])
        v.check_ids("places", [])
        v.check_ids("places", iter(["h-1", "h-2"]))
        v.check_ids("places", ("亚新", "é"))

    def test_batch_check_agrees_with_the_single_check(self) -> None:
        samples = ["a", "", " a", "a ", "a\u200b", "e\u0301", "x" * 201, "亚", "a b", 3]
        for sample in samples:
            try:
                v.check_ident("id", sample)
            except InvalidValueError:
                single = False
            else:
                single = True
            try:
                v.check_ids("id", ["fine", sample])
            except InvalidValueError:
                batch = False
            else:
                batch = True
            assert single == batch, sample


# --------------------------------------------------------------------------- codes


class TestCodes:
    @pytest.mark.parametrize("good", ["a", "dispute", "micro_grid", "r2", "a" * v.MAX_CODE])
    def test_accepted(self, good: str) -> None:
        assert v.check_code("code", good) == good
        assert Category(code=good, label="l", zh="中").code == good

    @pytest.mark.parametrize(
        "bad",
        ["", "Grid", "2nd", "_a", "micro-grid", "micro grid", "a\n", "é", "a" * 65, 3, None],
    )
    def test_refused(self, bad: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            v.check_code("tier", bad)
        assert str(info.value).startswith(
            "'tier' must be a lower-case code of letters, digits and '_' starting with a "
            "letter, at most 64 characters (got "
        )
        with pytest.raises(InvalidValueError, match=r"^'code' of Category must be a lower-case"):
            Category(code=bad, label="l", zh="中")  # type: ignore[arg-type]

    def test_a_code_with_a_newline_after_it_is_refused(self) -> None:
        # re.fullmatch, not re.match with "$", which would accept a trailing newline.
        with pytest.raises(InvalidValueError):
            v.check_code("code", "dispute\n")


# --------------------------------------------------------------------------- names and text


class TestNames:
    @pytest.mark.parametrize("good", ["亚新社区", "Unit 3", " padded ", "x" * v.MAX_NAME, "a\u00a0b"])
    def test_accepted(self, good: str) -> None:
        assert v.check_name("name", good) == good

    @pytest.mark.parametrize(
        "bad",
        ["", "   ", "\u3000", "a\nb", "a\tb", "a\x00", "a\u200bb", "a\u2028b", "x" * 201, 7],
    )
    def test_refused(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match=r"^'name' of GridUnit must be a non-blank name"):
            GridUnit(id="u", name=bad, tier="grid")  # type: ignore[arg-type]

    def test_a_persons_name_is_never_shown(self) -> None:
        with pytest.raises(InvalidValueError) as info:
            Member(id="m", name="吕阿姨\n")
        message = str(info.value)
        assert "吕阿姨" not in message
        assert message == (
            "'name' of Member must be a non-blank name of at most 200 characters without "
            "control characters (got a str of 4 characters (not shown: personal data))."
        )


class TestText:
    def test_accepted(self) -> None:
        for good in ("", "独居老人吕阿姨摔伤腰部\n刚出院", "x" * v.MAX_TEXT):
            assert v.check_text("note", good) == good

    @pytest.mark.parametrize("bad", ["x" * (v.MAX_TEXT + 1), 7, None, b"text", ["a"]])
    def test_refused(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match=r"^'note' must be text: a string of at most 4000"):
            v.check_text("note", bad)

    def test_free_text_about_a_person_is_never_shown(self) -> None:
        secret = "吕阿姨患失智症" * 600
        with pytest.raises(InvalidValueError) as info:
            Condition(kind="dementia", note=secret)
        message = str(info.value)
        assert "吕阿姨" not in message
        assert "(got a str of 4,200 characters (not shown: personal data))." in message


# --------------------------------------------------------------------------- collections


class TestCollections:
    @pytest.mark.parametrize(
        "bad",
        [
            pytest.param("housekeeping", id="str"),
            pytest.param(b"housekeeping", id="bytes"),
            pytest.param(bytearray(b"x"), id="bytearray"),
            pytest.param({"housekeeping": 1}, id="mapping"),
            pytest.param(3, id="int"),
            pytest.param(None, id="None"),
            pytest.param(1.5, id="float"),
        ],
    )
    def test_frozenset_fields_refuse_non_collections_naming_the_field(self, bad: object) -> None:
        with pytest.raises(InvalidValueError) as info:
            Member(id="m", name="n", skills=bad)  # type: ignore[arg-type]
        assert str(info.value).startswith(
            "'skills' of Member must be a collection such as a list, tuple or set (a str is "
            "not one) (got "
        )

    @pytest.mark.parametrize("bad", ["r-lu", b"r", {"a": Condition(kind="injured")}, 5])
    def test_tuple_fields_refuse_non_collections_naming_the_field(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match=r"^'conditions' of Resident must be a collection"):
            Resident(id="r", name="n", household="h", birth_date=date(1950, 1, 1),
                     conditions=bad)  # type: ignore[arg-type]

    def test_any_iterable_but_those_is_accepted(self) -> None:
        def gen() -> Iterator[str]:
            yield from ("mediation", "gardening")

        for good in (["mediation", "gardening"], ("gardening", "mediation"), gen(),
                     {"mediation", "gardening"}, frozenset({"gardening", "mediation"}),
                     dict.fromkeys(["mediation", "gardening"]).keys()):
            assert Member(id="m", name="n", skills=good).skills == {"mediation", "gardening"}  # type: ignore[arg-type]

    def test_items_are_checked_one_by_one(self) -> None:
        with pytest.raises(InvalidValueError, match=r"^'skills' of Member must be a lower-case code"):
            Member(id="m", name="n", skills=["mediation", "Mediation"])
        with pytest.raises(InvalidValueError, match=r"^'posts' of Member must hold Post values only \(got 7\)"):
            Member(id="m", name="n", posts=[7])  # type: ignore[list-item]

    def test_unhashable_items_of_a_set_field_are_named(self) -> None:
        with pytest.raises(InvalidValueError, match=r"must be a collection of hashable values \(got \['x'\]\)"):
            Member(id="m", name="n", skills=[["x"]])  # type: ignore[list-item]

    def test_check_items(self) -> None:
        assert v.check_items("x", (1, 2)) == (1, 2)
        assert v.check_items("x", [1, 2]) == (1, 2)
        assert v.check_items("x", iter([1])) == (1,)
        for bad in ("ab", b"ab", {"a": 1}, 3, None):
            with pytest.raises(InvalidValueError, match=r"^'x' must be a collection"):
                v.check_items("x", bad)


# --------------------------------------------------------------------------- numbers


class TestNumbers:
    def test_integers_refuse_bools_floats_and_out_of_range(self) -> None:
        assert v.check_integer("n", 3, 1, 5) == 3
        for bad in (True, False, 3.0, "3", 0, 6, None):
            with pytest.raises(InvalidValueError, match=r"^'n' must be an integer from 1 to 5 \(got "):
                v.check_integer("n", bad, 1, 5)

    def test_integer_fields(self) -> None:
        with pytest.raises(InvalidValueError, match=r"^'min_age' of Criteria must be an integer from 0 to 150 .got True.") :
            Criteria(min_age=True)
        with pytest.raises(InvalidValueError, match=r"'max_age' of Criteria must be an integer from 0 to 150 .got 151."):
            Criteria(max_age=151)
        assert Criteria(min_age=0, max_age=150).max_age == 150

    @pytest.mark.parametrize(
        "bad",
        [math.nan, math.inf, -math.inf, float("nan"), True, False, "0.5", None, 1.0000001, -1e-9],
    )
    def test_numbers_refuse_nan_inf_bools_and_out_of_range(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match=r"^'share' must be a finite number from 0 to 1 \(got "):
            v.check_number("share", bad, 0, 1)

    def test_numbers_accept_ints_and_floats_in_range(self) -> None:
        for good in (0, 1, 0.5, 0.0, 1.0):
            assert v.check_number("share", good, 0, 1) == good

    def test_time_limit_amounts(self) -> None:
        for bad in (math.nan, math.inf, True):
            with pytest.raises(InvalidValueError, match=r"'amount' of TimeLimit"):
                TimeLimit(amount=bad, unit="hours", basis="working")

    def test_bools(self) -> None:
        assert v.check_bool("b", True) is True
        for bad in (1, 0, "true", None):
            with pytest.raises(InvalidValueError, match=r"^'b' must be true or false \(got "):
                v.check_bool("b", bad)


# --------------------------------------------------------------------------- dates and moments


class _Broken(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("broken zone")

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


class TestDatesAndMoments:
    def test_dates_within_the_years(self) -> None:
        for good in (date(v.MIN_YEAR, 1, 1), date(v.MAX_YEAR, 12, 31), date(2026, 2, 28)):
            assert v.check_date("on", good) == good

    @pytest.mark.parametrize(
        ("bad", "expected"),
        [
            (date(1799, 12, 31), "a date in the years 1800 to 2200"),
            (date(2201, 1, 1), "a date in the years 1800 to 2200"),
            (date(1, 1, 1), "a date in the years 1800 to 2200"),
            (date.max, "a date in the years 1800 to 2200"),
            (datetime(2026, 1, 1, tzinfo=UTC), "a date (not a datetime)"),
            ("2026-01-01", "a date (not a datetime)"),
            (None, "a date (not a datetime)"),
        ],
    )
    def test_dates_refused(self, bad: object, expected: str) -> None:
        with pytest.raises(InvalidValueError, match=f"^'on' must be {re.escape(expected)} "):
            v.check_date("on", bad)

    def test_date_fields(self) -> None:
        with pytest.raises(InvalidValueError, match=r"^'start' of Condition must be a date in the years"):
            Condition(kind="injured", start=date(1700, 1, 1))

    def test_a_birth_date_out_of_years_is_refused_without_showing_it(self) -> None:
        with pytest.raises(InvalidValueError) as info:
            Resident(id="r", name="n", household="h", birth_date=date(1799, 5, 4))
        message = str(info.value)
        assert "1799" not in message
        assert message == (
            "'birth_date' of Resident must be a date in the years 1800 to 2200 (got a date "
            "(not shown: personal data))."
        )
        with pytest.raises(InvalidValueError, match=r"must be a date .not a datetime. .got a datetime .not shown"):
            Resident(id="r", name="n", household="h",
                     birth_date=datetime(1950, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]

    def test_moments_within_the_years(self) -> None:
        for good in (
            datetime(v.MIN_YEAR, 1, 1, tzinfo=UTC),
            datetime(v.MAX_YEAR, 12, 31, 23, 59, tzinfo=UTC),
            datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=45))),
        ):
            assert v.check_aware("at", good) == good

    @pytest.mark.parametrize(
        "bad",
        [
            datetime(1799, 12, 31, 23, tzinfo=UTC),
            datetime(2201, 1, 1, tzinfo=UTC),
            datetime(1, 1, 1, tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
        ],
    )
    def test_moments_out_of_years_refused(self, bad: datetime) -> None:
        with pytest.raises(InvalidValueError, match=r"^'at' must be a moment in the years 1800 to 2200"):
            v.check_aware("at", bad)

    def test_naive_moments_are_refused_with_the_fix(self) -> None:
        with pytest.raises(InvalidValueError) as info:
            v.check_aware("at", datetime(2026, 1, 1, 9, 30))
        assert str(info.value) == (
            "'at' must be a timezone-aware datetime (got naive 2026-01-01T09:30:00); pass "
            "tzinfo=gridgov.CST or another timezone."
        )

    def test_a_zone_whose_offset_fails_counts_as_naive(self) -> None:
        # check_aware catches the failing utcoffset(), then builds its message with
        # value.isoformat(), which calls utcoffset() again: the zone's own error escapes.
        with pytest.raises(InvalidValueError, match=r"got naive"):
            v.check_aware("at", datetime(2026, 1, 1, tzinfo=_Broken()))

    @pytest.mark.parametrize("bad", [date(2026, 1, 1), "2026-01-01T00:00+08:00", 0, None])
    def test_non_moments_refused(self, bad: object) -> None:
        with pytest.raises(InvalidValueError, match=r"^'at' must be a timezone-aware datetime"):
            v.check_aware("at", bad)


# --------------------------------------------------------------------------- show and messages


class TestShow:
    def test_short_values_are_their_repr(self) -> None:
        assert v.show("g3") == "'g3'"
        assert v.show(7) == "7"
        assert v.show(None) == "None"

    def test_a_megabyte_is_cut_to_200_characters_with_its_length(self) -> None:
        huge = "x" * (1 << 20)
        began = _time.perf_counter()
        shown = v.show(huge)
        assert _time.perf_counter() - began < 1
        assert shown == "'" + "x" * 199 + "… (a str of 1,048,576 characters)"
        assert len(shown) < 250

    def test_a_long_collection_is_cut_too(self) -> None:
        values = list(range(100_000))
        shown = v.show(values)
        assert len(shown) < 250
        assert shown.startswith("[0, 1, 2")
        assert f"{len(repr(values)):,}" in shown  # the full length of the repr

    def test_messages_carry_the_cut_value_not_the_whole(self) -> None:
        with pytest.raises(InvalidValueError) as info:
            GridUnit(id="u" * (1 << 20), name="n", tier="grid")
        assert len(str(info.value)) < 500
        assert "1,048,576 characters" in str(info.value)

    def test_personal_data_shows_only_type_and_length(self) -> None:
        assert v.show("吕阿姨", personal=True) == "a str of 3 characters (not shown: personal data)"
        assert v.show(date(1948, 3, 2), personal=True) == "a date (not shown: personal data)"
        assert v.show(42, personal=True) == "an int (not shown: personal data)"

    def test_a_hostile_repr_does_not_hide_the_error(self) -> None:
        class Hostile:
            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert v.show(Hostile()) == "a Hostile"
        with pytest.raises(InvalidValueError, match=r"\(got a Hostile\)"):
            v.check_ident("id", Hostile())

    def test_refuse_builds_attrs_style_messages(self) -> None:
        error = v.refuse("severity", "Issue", "between 1 and 4", 7)
        assert isinstance(error, InvalidValueError)
        assert str(error) == "'severity' of Issue must be between 1 and 4 (got 7)."
        assert str(v.refuse("at", None, "aware", "x")) == "'at' must be aware (got 'x')."

    def test_every_refusal_is_a_gridgov_error_and_a_value_error(self) -> None:
        with pytest.raises(GridGovError):
            v.check_code("c", "X")
        with pytest.raises(ValueError, match=r"'c' must be"):
            v.check_code("c", "X")


# --------------------------------------------------------------------------- validators as attrs sees them


def test_instances_are_checked_naming_the_field_and_kind() -> None:
    with pytest.raises(InvalidValueError, match=r"^'kind' of Partner must be a PartnerKind \(got 'police_station'\)\."):
        Partner(id="p", name="派出所", kind="police_station")  # type: ignore[arg-type]
    assert v.check_instance("grid", 3, (int, str)) == 3
    with pytest.raises(InvalidValueError, match=r"'grid' must be a str or an int \(got None\)"):
        v.check_instance("grid", None, (str, int))


def test_optional_allows_none_only() -> None:
    @attrs.frozen(kw_only=True)
    class Holder:
        value: Any = attrs.field(default=None, validator=v.optional(v.ident))

    assert Holder().value is None
    assert Holder(value="x").value == "x"
    with pytest.raises(InvalidValueError, match=r"^'value' of Holder must be an id"):
        Holder(value="")


def test_kind_member_is_refused_with_the_list_it_must_hold() -> None:
    with pytest.raises(InvalidValueError, match=r"'kind' of Partner must be a PartnerKind"):
        Partner(id="p", name="n", kind=PartnerKind.POLICE_STATION.value)  # type: ignore[arg-type]


SAMPLES: list[Any] = [
    None, 0, 1, True, 1.5, "", "x", "Grid", (), (1,), (1, "x"), ("a", "b"), [1], frozenset(),
    frozenset({"a"}), frozenset({"A"}), frozenset({1}), {"a": 1}, ([],), object(),
]


def _same(value: Any) -> Any:
    return value


@pytest.mark.parametrize(
    ("door", "convert"),
    [
        (v.is_a(int), _same),
        (v.is_a((int, str)), _same),
        (v.holds(str), _same),
        (v.optional(v.is_a(int)), _same),
        (v.tuple_of(), v.to_tuple),
        (v.tuple_of(v.holds(int)), v.to_tuple),
        (v.tuple_of(v.integer(0, 5)), v.to_tuple),
        (v.frozenset_of(v.code), v.to_frozenset),
        (v.frozenset_of(), v.to_frozenset),
    ],
    ids=lambda x: repr(x) if isinstance(x, v._Door) else x.__name__,
)
def test_a_door_lets_through_on_its_rule_only_what_its_check_accepts(
    door: Any, convert: Any
) -> None:
    """A door asks its rule's predicate first and runs the check (which explains) only on a
    refusal: whatever the predicate lets through, the check must accept too."""

    @attrs.frozen
    class Holder:
        value: Any

    attribute = attrs.fields(Holder).value
    for raw in SAMPLES:
        value = convert(raw)
        holder = Holder(value)
        try:
            door._check(holder, attribute, value)
        except InvalidValueError:
            accepted = False
        else:
            accepted = True
        if door._accept is not None and door._accept(value):
            assert accepted, value
