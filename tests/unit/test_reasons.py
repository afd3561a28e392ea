"""gridgov.reasons: Reason and Ref, the one shape of every explanation gridgov gives."""

from __future__ import annotations

import json
import pickle
import typing

import attrs
import pytest

from gridgov import REF_KINDS, GridGovError, InvalidValueError, Reason, Ref, from_dict, to_dict
from gridgov.reasons import RefKind

MOVED = Reason(
    zh="权责清单：美好人家1号楼 不可处理 安全隐患（紧急），上移至 第三网格",
    en="responsibility matrix: 美好人家1号楼 may not handle safety hazard at urgent, moved up "
    "to 第三网格",
    refs=[
        Ref(kind="unit", id="mg31", name="美好人家1号楼"),
        Ref(kind="category", id="safety_hazard", name="安全隐患"),
        Ref(kind="unit", id="g3", name="第三网格"),
        Ref(kind="partner", id="p-wuye", name="美好人家物业"),
    ],
)


def test_the_kinds_are_the_literal_and_the_spec() -> None:
    assert frozenset(typing.get_args(RefKind)) == REF_KINDS
    assert {"unit", "member", "resident", "partner", "category", "rule", "body", "policy"} <= (
        REF_KINDS
    )


@pytest.mark.parametrize("kind", sorted(REF_KINDS))
def test_every_kind_makes_a_ref(kind: str) -> None:
    ref = Ref(kind=kind, id="x-1", name="名")  # type: ignore[arg-type]
    assert (ref.kind, ref.id, ref.name) == (kind, "x-1", "名")


def test_str_is_chinese_then_english_on_two_lines() -> None:
    assert str(Reason(zh="主动上报", en="escalated by hand")) == "主动上报\nescalated by hand"
    assert str(MOVED).split("\n") == [MOVED.zh, MOVED.en]


def test_the_renderings_are_kept_apart() -> None:
    assert "\n" not in MOVED.zh
    assert MOVED.zh.startswith("权责清单")
    assert MOVED.en.startswith("responsibility matrix")


def test_ids_by_kind_in_order() -> None:
    assert MOVED.ids("unit") == ("mg31", "g3")
    assert MOVED.ids("partner") == ("p-wuye",)
    assert MOVED.ids("member") == ()
    assert MOVED.ids("no such kind") == ()


def test_refs_become_a_tuple_and_default_to_none() -> None:
    assert isinstance(MOVED.refs, tuple)
    assert Reason(zh="", en="").refs == ()
    assert Reason(zh="a", en="b", refs=iter([Ref(kind="rule", id="R1", name="规则")])).ids(
        "rule"
    ) == ("R1",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "street"}, "'kind' of Ref must be one of"),
        ({"kind": None}, "'kind' of Ref must be one of"),
        ({"id": ""}, "'id' of Ref must be an id"),
        ({"id": " g3"}, "'id' of Ref must be an id"),
        ({"id": 3}, "'id' of Ref must be an id"),
        ({"name": ""}, "'name' of Ref must be a non-blank name"),
        ({"name": "第三\n网格"}, "'name' of Ref must be a non-blank name"),
    ],
)
def test_ref_refuses_bad_fields(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"kind": "unit", "id": "g3", "name": "第三网格"}
    with pytest.raises(InvalidValueError, match=message):
        Ref(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"zh": None}, "'zh' of Reason must be text"),
        ({"en": 3}, "'en' of Reason must be text"),
        ({"zh": "x" * 4001}, "'zh' of Reason must be text: a string of at most 4000"),
        ({"refs": "g3"}, "'refs' of Reason must be a collection"),
        ({"refs": [("unit", "g3", "第三网格")]}, "'refs' of Reason must hold Ref values only"),
    ],
)
def test_reason_refuses_bad_fields(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"zh": "中", "en": "en"}
    with pytest.raises(InvalidValueError, match=message):
        Reason(**{**base, **fields})  # type: ignore[arg-type]


def test_values_are_frozen_hashable_and_equal_by_content() -> None:
    twin = Reason(zh=MOVED.zh, en=MOVED.en, refs=list(MOVED.refs))
    assert twin == MOVED
    assert hash(twin) == hash(MOVED)
    assert len({twin, MOVED}) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        MOVED.zh = "x"  # type: ignore[misc]


def test_round_trips_through_json_and_pickle() -> None:
    data = json.loads(json.dumps(to_dict(MOVED), ensure_ascii=False))
    assert data["type"] == "Reason"
    assert data["refs"][0] == {"type": "Ref", "kind": "unit", "id": "mg31", "name": "美好人家1号楼"}
    assert from_dict(data) == MOVED
    assert pickle.loads(pickle.dumps(MOVED)) == MOVED


def test_a_reason_read_back_is_checked_at_the_door() -> None:
    data = to_dict(MOVED)
    data["refs"][0]["kind"] = "street"
    with pytest.raises(GridGovError, match=r"kind'.* must be one of \['unit', "):
        from_dict(data)
