"""The labelled enumerations: every member has a Chinese name and an English label."""

from __future__ import annotations

import enum

import gridgov  # noqa: F401 - defines every labelled enumeration
from gridgov._labels import LabelledEnum


def test_every_labelled_enumeration_names_each_member_in_chinese_and_nothing_else() -> None:
    found = LabelledEnum.__subclasses__()
    assert len(found) >= 11
    for cls in found:
        assert set(cls.__zh__) == {m.value for m in cls}, cls.__name__
        for member in cls:
            assert member.zh and member.zh == cls.__zh__[member.value]
            assert member.label == member.value.replace("_", " ")
        assert "__zh__" not in cls.__members__  # a dunder is not a member


def test_labelled_enumerations_are_enumerations_by_value() -> None:
    for cls in LabelledEnum.__subclasses__():
        assert issubclass(cls, enum.Enum)
        for member in cls:
            assert cls(member.value) is member
