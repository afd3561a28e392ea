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
from typing import ClassVar


class LabelledEnum(enum.Enum):
    """An enumeration whose members have a Chinese name (``zh``) and an English ``label``.

    Example:
        >>> class Mode(LabelledEnum):
        ...     IN_PERSON = "in_person"
        ...     __zh__ = {"in_person": "入户"}
        >>> Mode.IN_PERSON.zh, Mode.IN_PERSON.label
        ('入户', 'in person')
    """

    __zh__: ClassVar[Mapping[str, str]]

    @property
    def zh(self) -> str:
        """The member's Chinese name."""
        return self.__zh__[str(self.value)]

    @property
    def label(self) -> str:
        """The member's English name: its value, underscores as spaces."""
        return str(self.value).replace("_", " ")
