"""The base of the enumerations whose members carry a Chinese name and an English label
(private).

A subclass lists its members' Chinese names in ``__zh__``, a mapping of member values to
names (a dunder name, so not a member itself); the English label is the value with its
underscores as spaces.  ``tests/unit/test_labels.py`` checks that every member of every
subclass has a Chinese name.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from gridgov.errors import InvalidValueError

E = TypeVar("E", bound="LabelledEnum")


class LabelledEnum(enum.Enum):
    """An enumeration whose members have a Chinese name (``zh``) and an English ``label``.

    Example:
        >>> class Mode(LabelledEnum):
        ...     IN_PERSON = "in_person"
        ...     __zh__ = {"in_person": "入户"}
        >>> Mode.IN_PERSON.zh, Mode.IN_PERSON.label, Mode.from_zh("入户")
        ('入户', 'in person', <Mode.IN_PERSON: 'in_person'>)
    """

    __zh__: ClassVar[Mapping[str, str]]

    @property
    def zh(self) -> str:
        """The member's Chinese name."""
        return self.__zh__[str(self.value)]

    @property
    def label(self) -> str:
        """The member's English name (its value, underscores as spaces)."""
        return str(self.value).replace("_", " ")

    @classmethod
    def from_zh(cls: type[E], label: str) -> E:
        """The member whose Chinese name is *label* (surrounding spaces ignored), for apps
        importing data written in Chinese (a hotline's export, a spreadsheet).

        Raises:
            InvalidValueError: naming the labels known, if none matches.
        """
        found: E = from_zh(cls, label)
        return found


def from_zh(cls: type[Any], label: object) -> Any:
    """The member of *cls* whose ``zh`` is *label* (shared by every labelled enumeration)."""
    if isinstance(label, str):
        wanted = label.strip()
        for member in cls:
            if member.zh == wanted:
                return member
    known = "、".join(m.zh for m in cls)
    raise InvalidValueError(
        f"'label' must be the Chinese name of a {cls.__name__} ({known}) (got {label!r:.60})."
    )
