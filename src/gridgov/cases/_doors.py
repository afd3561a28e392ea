"""The doors of the case events: checks and timeline helpers they share (private).

Example:
    >>> cut("x" * 600)[-3:]
    'xx…'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.calendar import Deadline
from gridgov.errors import InvalidValueError
from gridgov.grid import GridUnit
from gridgov.reasons import Reason, Ref

SHOWN_TEXT = 500
"""How many characters of an event's free text a timeline line shows."""

Detail = tuple[str, str, tuple[Ref, ...]]
"""What an event adds to its timeline line: Chinese, English, and the things it names."""

def free_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Free text about a case (it may name people, so it is never echoed)."""
    v.check_text(v.field_name(attribute), value, instance, personal=True)


required_text = v.required_text
"""Non-blank free text: a reason that must be given (the doors' own)."""


def optional_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A display name that may be empty."""
    if value != "":
        v.check_name(v.field_name(attribute), value, instance)


DEADLINE = v.optional(v.is_a(Deadline))
REASON = v.optional(v.is_a(Reason))


def fits(owner: object, what: str, at: datetime, deadline: Deadline | None) -> None:
    """A deadline an event carries starts no later than the event and is not already past."""
    if deadline is None:
        return
    name = type(owner).__name__
    if deadline.start > at:
        raise InvalidValueError(
            f"'{what}' of {name} must start no later than the event at {at.isoformat()} "
            f"(got a deadline starting {deadline.start.isoformat()})."
        )
    if deadline.due < at:
        raise InvalidValueError(
            f"'{what}' of {name} must not be before the event at {at.isoformat()} "
            f"(got {deadline.due.isoformat()}); a deadline in the past is refused."
        )


def not_before(owner: object, what: str, at: datetime, value: datetime | None) -> None:
    if value is not None and value < at:
        raise InvalidValueError(
            f"'{what}' of {type(owner).__name__} must not be before the event at "
            f"{at.isoformat()} (got {value.isoformat()})."
        )


def cut(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else f"{text[:SHOWN_TEXT]}…"


def unit_ref(unit: GridUnit) -> Ref:
    return Ref(kind="unit", id=unit.id, name=unit.name)


def text_detail(text: str) -> Detail:
    shown = cut(text)
    return shown, shown, ()
