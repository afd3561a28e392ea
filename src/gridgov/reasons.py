"""Reasons: every decision gridgov makes explains itself, in Chinese first and in English.

A :class:`Reason` holds the two renderings separately — an app shows the one its user reads —
and the :class:`Ref` s of the units, people, partners, categories and rules it names, so an
app can link each name to its record without parsing the text.  ``str(reason)`` gives both
renderings, Chinese first, on two lines.

Example:
    >>> r = Reason(zh="权责清单：美好人家1号楼 不可处理 安全隐患（紧急），上移至 第三网格",
    ...            en="responsibility matrix: 美好人家1号楼 may not handle safety hazard at "
    ...               "urgent, moved up to 第三网格",
    ...            refs=(Ref(kind="unit", id="mg31", name="美好人家1号楼"),
    ...                  Ref(kind="unit", id="g3", name="第三网格")))
    >>> r.zh[:4], [ref.id for ref in r.refs]
    ('权责清单', ['mg31', 'g3'])
    >>> print(r)
    权责清单：美好人家1号楼 不可处理 安全隐患（紧急），上移至 第三网格
    responsibility matrix: 美好人家1号楼 may not handle safety hazard at urgent, moved up to 第三网格
"""

from __future__ import annotations

from typing import Literal

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.serialize import register

__all__ = ["REF_KINDS", "Reason", "Ref"]

RefKind = Literal[
    "unit", "member", "resident", "partner", "category", "rule", "body", "policy", "case", "person"
]
REF_KINDS: frozenset[str] = frozenset(
    (
        "unit",
        "member",
        "resident",
        "partner",
        "category",
        "rule",
        "body",
        "policy",
        "case",
        "person",
    )
)
"""The kinds of thing a :class:`Ref` can name (``person``: someone of the talent library who is
neither a member nor a resident with a file, such as a partner's staff)."""


def _kind(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or value not in REF_KINDS:
        raise InvalidValueError(
            f"'kind' of Ref must be one of {sorted(REF_KINDS)} (got {v.show(value)})."
        )


@register
@attrs.frozen(kw_only=True)
class Ref:
    """Something a reason names: its kind, its id and the name it is shown by.

    Example:
        >>> Ref(kind="member", id="m-li", name="李燕明")
        Ref(kind='member', id='m-li', name='李燕明')
    """

    kind: RefKind = attrs.field(validator=_kind)
    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)


@register
@attrs.frozen(kw_only=True)
class Reason:
    """Why a decision was made: a Chinese and an English rendering, and what it names.

    Attributes:
        zh: the reason in Chinese.
        en: the same in English.
        refs: the units, people, partners, categories and rules named, in order.

    Example:
        >>> print(Reason(zh="主动上报", en="escalated by hand"))
        主动上报
        escalated by hand
    """

    zh: str = attrs.field(validator=v.text)
    en: str = attrs.field(validator=v.text)
    refs: tuple[Ref, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Ref))
    )

    def __str__(self) -> str:
        return f"{self.zh}\n{self.en}"

    def ids(self, kind: str) -> tuple[str, ...]:
        """The ids of the things of *kind* the reason names, in order.

        Example:
            >>> Reason(zh="…", en="…", refs=[Ref(kind="unit", id="g3", name="第三网格")]).ids("unit")
            ('g3',)
        """
        return tuple(r.id for r in self.refs if r.kind == kind)
