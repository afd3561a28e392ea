"""The masking engine behind :func:`gridgov.privacy.redact` (private).

One place says how a value of each shape is masked — a name keeps its first character
(``吕阿姨`` → ``吕**``), an id becomes :data:`MASKED`, free text is removed (or
:data:`MASKED` where it must be given; a reason that may quote free text keeps only what it
names), a birth date keeps its year, a set of tags becomes
``{"sensitive"}``, a condition becomes ``Condition(kind="sensitive")`` — and every mask is
its own mask, so redaction is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.people import Condition, Resident
from gridgov.privacy.sensitivity import Sensitivity, SensitivityTable
from gridgov.reasons import Reason, Ref

MASKED = "***"
"""What a masked id or a masked required text reads."""
SENSITIVE = "sensitive"
"""The kind of a masked condition and the one tag of a masked set of tags."""


def mask_name(name: str) -> str:
    """``吕阿姨`` → ``吕**``; a one-character name → ``*``."""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def is_minor(resident: Resident, on: date, table: SensitivityTable) -> bool:
    """Whether *resident* is under the table's minor age on *on* (unborn counts as minor)."""
    if on < resident.birth_date:
        return True
    return resident.age_on(on) < table.minor_age


Sees = Callable[[Sensitivity], bool]


def _is_validator(attribute: attrs.Attribute[Any], validator: object) -> bool:
    return attribute.validator is validator


def _masked(owner: str, attribute: attrs.Attribute[Any], value: object) -> object:
    """The masked form of *value* held in *attribute* of a value of type *owner*."""
    if value is None:
        return None
    if isinstance(value, str):
        if _is_validator(attribute, v.personal_name):
            return mask_name(value)
        if attribute.default == "":
            return ""
        return MASKED
    if isinstance(value, date):
        return None if attribute.default is None else date(value.year, 1, 1)
    if isinstance(value, frozenset):
        return frozenset({SENSITIVE}) if value else value
    raise InvalidValueError(
        f"'{owner}.{attribute.name}' is classed in the sensitivity table but holds a "
        f"{type(value).__name__}, which redaction cannot mask (it masks names, ids, text, "
        "dates and sets of codes)."
    )


def _condition(condition: Condition, sees: Sees, table: SensitivityTable, minor: bool) -> Condition:
    cls = Sensitivity.MINOR if minor else table.condition_class(condition.kind)
    if sees(cls):
        return condition
    return Condition(kind=SENSITIVE)


def _reason(reason: Reason, sees_names: bool) -> Reason:
    """A reason with the names of the residents it names masked."""
    if sees_names:
        return reason
    zh, en, refs, changed = reason.zh, reason.en, [], False
    for ref in reason.refs:
        if ref.kind == "resident" and ref.name != mask_name(ref.name):
            masked = mask_name(ref.name)
            zh, en = zh.replace(ref.name, masked), en.replace(ref.name, masked)
            ref, changed = Ref(kind="resident", id=ref.id, name=masked), True
        refs.append(ref)
    return Reason(zh=zh, en=en, refs=refs) if changed else reason


def mask(value: Any, sees: Sees, table: SensitivityTable, *, minor: bool = False) -> Any:
    """*value* with every field whose class *sees* refuses masked, nested values included."""
    if isinstance(value, Reason):
        return _reason(value, sees(Sensitivity.MINOR if minor else Sensitivity.PERSONAL))
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items = tuple(mask(item, sees, table, minor=minor) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    cls = type(value)
    if not attrs.has(cls):
        return value
    owner = cls.__name__
    changes: dict[str, Any] = {}
    for a in attrs.fields(cls):
        if not a.init:
            continue
        current = getattr(value, a.name)
        new: object
        if owner == "Resident" and a.name == "conditions":
            new = tuple(_condition(c, sees, table, minor) for c in current)
        elif table.classed(owner, a.name):
            found = table.class_of(owner, a.name)
            if minor and found is not Sensitivity.PUBLIC:
                found = Sensitivity.MINOR
            if isinstance(current, Reason) and not sees(found):
                new = _reason(current, False)
                new = Reason(zh=MASKED, en=MASKED, refs=new.refs)
            elif isinstance(current, Reason | tuple) or attrs.has(type(current)):
                new = mask(current, sees, table, minor=minor)
            else:
                new = current if sees(found) else _masked(owner, a, current)
        else:
            new = mask(current, sees, table, minor=minor)
        if new is not current and new != current:
            changes[a.alias or a.name] = new
    return attrs.evolve(value, **changes) if changes else value
