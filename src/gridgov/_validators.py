"""Small validator factories shared by the value classes (private)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import attrs

from gridgov.errors import InvalidValueError

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def to_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    """Converter: any iterable (or ``None``) to a tuple."""
    return tuple(() if value is None else value)


def to_frozenset(value: Iterable[Any] | None) -> frozenset[Any]:
    """Converter: any iterable (or ``None``) to a frozenset."""
    return frozenset(() if value is None else value)


def _field_name(attribute: attrs.Attribute[Any]) -> str:
    return attribute.name.lstrip("_")


def non_empty_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"'{_field_name(attribute)}' of {type(instance).__name__} must be a non-empty "
            f"string (got {value!r})."
        )


def identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a lower-case code such as ``micro_grid`` or ``living_alone``."""
    if not isinstance(value, str) or not _IDENT.match(value):
        raise InvalidValueError(
            f"'{_field_name(attribute)}' of {type(instance).__name__} must be a lower-case "
            f"code of letters, digits and '_' starting with a letter (got {value!r})."
        )


def check_aware(what: str, value: object) -> None:
    """Raise unless *value* is a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise InvalidValueError(f"'{what}' must be a datetime (got {value!r}).")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(
            f"'{what}' must be a timezone-aware datetime (got naive {value.isoformat()}); "
            "pass tzinfo=gridgov.CST or another timezone."
        )


def aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a timezone-aware datetime."""
    check_aware(_field_name(attribute), value)


def plain_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Require a :class:`datetime.date` that is not a datetime."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValueError(
            f"'{_field_name(attribute)}' of {type(instance).__name__} must be a date "
            f"(got {value!r})."
        )


def optional(
    validator: Callable[[object, attrs.Attribute[Any], object], None],
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Allow ``None`` or whatever *validator* accepts."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return check


def members_of(
    check: Callable[[object, attrs.Attribute[Any], object], None],
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Apply *check* to every element of a collection field."""

    def run(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        for item in value:  # type: ignore[attr-defined]
            check(instance, attribute, item)

    return run


def instances_of(
    kind: type | tuple[type, ...],
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Require every element of a collection field to be an instance of *kind*."""

    def run(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        for item in value:  # type: ignore[attr-defined]
            if not isinstance(item, kind):
                names = (
                    kind.__name__
                    if isinstance(kind, type)
                    else " or ".join(k.__name__ for k in kind)
                )
                raise InvalidValueError(
                    f"'{_field_name(attribute)}' of {type(instance).__name__} must hold "
                    f"{names} values (got {item!r})."
                )

    return run


def is_a(kind: type | tuple[type, ...]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Require an instance of *kind*; a gridgov error (not attrs' TypeError) otherwise."""
    names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(
                f"'{_field_name(attribute)}' of {type(instance).__name__} must be a {names} "
                f"(got {value!r:.80})."
            )

    return check
