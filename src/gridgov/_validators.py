"""The doors: one set of validators and converters every value uses (private).

Every constructor and every ``from_dict`` is a door for untrusted data, so each kind of field
is checked in one place, the same way everywhere:

* **ids** (:func:`ident`): a non-blank ``str`` of at most :data:`MAX_ID` characters, in
  Unicode NFC, without control, format (zero-width) or separator characters other than the
  ASCII space, and without leading or trailing whitespace — two ids that look alike are
  equal ids;
* **codes** (:func:`code`): ``^[a-z][a-z0-9_]*$``, at most :data:`MAX_CODE` characters;
* **names** (:func:`name`): display names and labels, non-blank, without control characters,
  at most :data:`MAX_NAME` characters;
* **free text** (:func:`text`): any ``str`` of at most :data:`MAX_TEXT` characters;
* **collections** (:func:`tuple_of`, :func:`frozenset_of`): any iterable but a ``str``,
  ``bytes``, a mapping or a scalar, each refused naming the field;
* **numbers** (:func:`integer`, :func:`number`): never a ``bool``, finite, within bounds;
* **moments and days** (:func:`aware`, :func:`plain_date`): aware datetimes and plain dates
  in the years :data:`MIN_YEAR` to :data:`MAX_YEAR`, so every later computation (a deadline
  ten years on, a birthday) stays in range.

Messages follow attrs' pattern — ``'severity' of Issue must be between 1 and 4 (got 7).`` —
and show a value through :func:`show`, which cuts it at 200 characters and, for personal
fields, shows only its type and length.
"""

from __future__ import annotations

import math
import re
import typing
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

import attrs

from gridgov.errors import GridGovError, InvalidValueError

MAX_ID = 200
"""The longest id (unit, place, member, resident, case, rule …), in characters."""
MAX_CODE = 64
"""The longest code (category, tier, condition kind …), in characters."""
MAX_NAME = 200
"""The longest display name or label, in characters."""
MAX_TEXT = 4000
"""The longest free text (a description, a note, a finding, a reason), in characters."""
MIN_YEAR = 1800
"""The earliest year of a date or a moment gridgov accepts."""
MAX_YEAR = 2200
"""The latest year of a date or a moment gridgov accepts."""
SHOWN = 200
"""How many characters of a bad value an error message shows."""

_CODE = re.compile(r"[a-z][a-z0-9_]*")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


# --------------------------------------------------------------------------- messages


def show(value: object, *, personal: bool = False) -> str:
    """A bad value as an error message shows it: its repr cut at :data:`SHOWN` characters (the
    full length stated), or for personal data only its type and length.

    Example:
        >>> print(show("x" * 1000)[-32:])
        xxx… (a str of 1,000 characters)
        >>> show("吕阿姨", personal=True)
        'a str of 3 characters (not shown: personal data)'
    """
    if personal:
        size = f" of {len(value):,} characters" if isinstance(value, str) else ""
        return f"{_kind(value)}{size} (not shown: personal data)"
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        return _kind(value)
    if len(text) <= SHOWN:
        return text
    if isinstance(value, str):
        return f"{text[:SHOWN]}… (a str of {len(value):,} characters)"
    return f"{text[:SHOWN]}… ({_kind(value)} whose repr has {len(text):,} characters)"


def _article(type_name: str) -> str:
    return f"an {type_name}" if type_name[:1].lower() in "aeiou" else f"a {type_name}"


def _kind(value: object) -> str:
    return _article(type(value).__name__)


def field_name(attribute: attrs.Attribute[Any]) -> str:
    """The name of a field as callers write it (its ``__init__`` alias)."""
    return attribute.alias or attribute.name.lstrip("_")


def where(what: str, owner: object | None) -> str:
    """``'field' of Class`` or ``'argument'``."""
    if owner is None:
        return f"'{what}'"
    name = owner if isinstance(owner, str) else type(owner).__name__
    return f"'{what}' of {name}"


def refuse(
    what: str,
    owner: object | None,
    expected: str,
    value: object,
    *,
    personal: bool = False,
    error: type[GridGovError] = InvalidValueError,
) -> GridGovError:
    """The error for a bad value: ``'what' of Owner must be <expected> (got <shown>).``"""
    return error(f"{where(what, owner)} must be {expected} (got {show(value, personal=personal)}).")


# --------------------------------------------------------------------------- plain checks


def _is_ident(value: object) -> typing.TypeGuard[str]:
    """The rule of an id (see :func:`check_ident`)."""
    return (
        type(value) is str
        and 0 < len(value) <= MAX_ID
        and value.isprintable()
        and value == value.strip()
        and (value.isascii() or unicodedata.is_normalized("NFC", value))
    )


def check_ident(what: str, value: object, owner: object | None = None) -> str:
    """Return *value* if it is a valid id, else raise naming *what*.

    Example:
        >>> check_ident("unit", "mg31")
        'mg31'
        >>> check_ident("unit", "mg\\u200b31")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'unit' must be an id: a non-blank string of at most 200 characters without control or zero-width characters, leading or trailing spaces, in Unicode NFC (got 'mg\\u200b31').
    """
    if _is_ident(value):
        return value
    raise refuse(
        what,
        owner,
        f"an id: a non-blank string of at most {MAX_ID} characters without control or "
        "zero-width characters, leading or trailing spaces, in Unicode NFC",
        value,
    )


def check_ids(what: str, values: Iterable[object]) -> None:
    """Check many ids at once (the keys of a city's place index), in C-speed passes; the
    first bad one is named by :func:`check_ident`.

    Example:
        >>> check_ids("places", ["h-1", "h-2"])
        >>> check_ids("places", ["h-1", " h-2"])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'places' must be an id: a non-blank string of at most 200 characters without control or zero-width characters, leading or trailing spaces, in Unicode NFC (got ' h-2').
    """
    items = values if isinstance(values, list | tuple) else list(values)
    if set(map(type, items)) <= {str}:
        keys = typing.cast(list[str], items)
        if (
            all(map(str.isprintable, keys))
            and (not keys or (min(map(len, keys)) > 0 and max(map(len, keys)) <= MAX_ID))
            and sum(map(len, map(str.strip, keys))) == sum(map(len, keys))
            and (
                all(map(str.isascii, keys))
                or all(unicodedata.is_normalized("NFC", k) for k in keys)
            )
        ):
            return
    for key in items:
        check_ident(what, key)


def _is_code(value: object) -> typing.TypeGuard[str]:
    """The rule of a code (see :func:`check_code`)."""
    return type(value) is str and len(value) <= MAX_CODE and _CODE.fullmatch(value) is not None


def check_code(what: str, value: object, owner: object | None = None) -> str:
    """Return *value* if it is a lower-case code, else raise naming *what*.

    Example:
        >>> check_code("tier", "Grid")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'tier' must be a lower-case code of letters, digits and '_' starting with a letter, at most 64 characters (got 'Grid').
    """
    if _is_code(value):
        return value
    raise refuse(
        what,
        owner,
        "a lower-case code of letters, digits and '_' starting with a letter, at most "
        f"{MAX_CODE} characters",
        value,
    )


def _has_control(value: str) -> bool:
    return not value.isprintable() and any(
        unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value
    )


def _is_name(value: object) -> typing.TypeGuard[str]:
    """The rule of a display name (see :func:`check_name`)."""
    return (
        type(value) is str
        and 0 < len(value) <= MAX_NAME
        and not value.isspace()
        and not _has_control(value)
    )


def check_name(
    what: str, value: object, owner: object | None = None, *, personal: bool = False
) -> str:
    """Return *value* if it is a display name (non-blank, no control characters), else raise.

    Example:
        >>> check_name("name", "亚新社区")
        '亚新社区'
    """
    if _is_name(value):
        return value
    raise refuse(
        what,
        owner,
        f"a non-blank name of at most {MAX_NAME} characters without control characters",
        value,
        personal=personal,
    )


def _is_text(value: object) -> typing.TypeGuard[str]:
    """The rule of free text (see :func:`check_text`)."""
    return type(value) is str and len(value) <= MAX_TEXT


def check_text(
    what: str, value: object, owner: object | None = None, *, personal: bool = False
) -> str:
    """Return *value* if it is free text (a str of at most :data:`MAX_TEXT` characters).

    Example:
        >>> check_text("note", 7)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'note' must be text: a string of at most 4000 characters (got 7).
    """
    if _is_text(value):
        return value
    raise refuse(
        what, owner, f"text: a string of at most {MAX_TEXT} characters", value, personal=personal
    )


def check_integer(
    what: str, value: object, lo: int, hi: int, owner: object | None = None
) -> int:
    """Return *value* if it is an int (not a bool) in ``[lo, hi]``, else raise.

    Example:
        >>> check_integer("every", True, 1, 3650)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'every' must be an integer from 1 to 3,650 (got True).
    """
    if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
        return value
    raise refuse(what, owner, f"an integer from {lo:,} to {hi:,}", value)


def check_number(
    what: str, value: object, lo: float, hi: float, owner: object | None = None
) -> float:
    """Return *value* if it is a finite int or float (not a bool) in ``[lo, hi]``.

    Example:
        >>> check_number("share", float("nan"), 0, 1)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'share' must be a finite number from 0 to 1 (got nan).
    """
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (type(value) is int or math.isfinite(value))
        and lo <= value <= hi
    ):
        return value
    raise refuse(what, owner, f"a finite number from {lo:g} to {hi:g}", value)


def check_bool(what: str, value: object, owner: object | None = None) -> bool:
    """Return *value* if it is ``True`` or ``False``.

    Example:
        >>> check_bool("required", 1)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'required' must be true or false (got 1).
    """
    if value is True or value is False:
        return value
    raise refuse(what, owner, "true or false", value)


def check_aware(what: str, value: object, owner: object | None = None) -> datetime:
    """Return *value* if it is an aware datetime within the accepted years, else raise.

    Example:
        >>> from datetime import datetime
        >>> check_aware("at", datetime(2026, 1, 1))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'at' must be a timezone-aware datetime (got naive 2026-01-01T00:00:00); pass tzinfo=gridgov.CST or another timezone.
    """
    if not isinstance(value, datetime):
        raise refuse(what, owner, "a timezone-aware datetime", value)
    try:
        offset = value.utcoffset()
    except Exception:  # a tzinfo whose utcoffset misbehaves
        offset = None
    if offset is None:
        raise InvalidValueError(
            f"{where(what, owner)} must be a timezone-aware datetime (got naive "
            f"{value.replace(tzinfo=None).isoformat()}); pass tzinfo=gridgov.CST or another "
            "timezone."
        )
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise refuse(what, owner, f"a moment in the years {MIN_YEAR} to {MAX_YEAR}", value)
    return value


def _is_date(value: object) -> typing.TypeGuard[date]:
    """The rule of a day (see :func:`check_date`)."""
    return (
        isinstance(value, date)
        and not isinstance(value, datetime)
        and MIN_YEAR <= value.year <= MAX_YEAR
    )


def _is_plainly_aware(value: object) -> bool:
    """Enough for :func:`check_aware` to accept *value*: a datetime on a fixed offset (whose
    ``utcoffset`` is never None and never fails) within the accepted years; anything else is
    for :func:`check_aware` to decide."""
    return (
        type(value) is datetime
        and type(value.tzinfo) is timezone
        and MIN_YEAR <= value.year <= MAX_YEAR
    )


def check_date(what: str, value: object, owner: object | None = None) -> date:
    """Return *value* if it is a date (not a datetime) within the accepted years, else raise.

    Example:
        >>> from datetime import date
        >>> check_date("on", date(1, 1, 1))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'on' must be a date in the years 1800 to 2200 (got datetime.date(1, 1, 1)).
    """
    if _is_date(value):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        raise refuse(what, owner, f"a date in the years {MIN_YEAR} to {MAX_YEAR}", value)
    raise refuse(what, owner, "a date (not a datetime)", value)


def check_instance(what: str, value: object, kind: type | tuple[type, ...], owner: object | None = None) -> Any:
    """Return *value* if it is an instance of *kind*, else raise naming *what*.

    Example:
        >>> check_instance("grid", 3, str)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'grid' must be a str (got 3).
    """
    if isinstance(value, kind):
        return value
    raise refuse(what, owner, _names(kind), value)


def _names(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, type):
        return _article(kind.__name__)
    return " or ".join(_article(k.__name__) for k in kind)


def check_items(what: str, value: object, owner: object | None = None) -> tuple[Any, ...]:
    """*value* as a tuple if it is a collection — any iterable but a str, bytes, a mapping or
    a scalar — else raise naming *what*.

    Example:
        >>> check_items("skills", "housekeeping")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'skills' must be a collection such as a list, tuple or set (a str is not one) (got 'housekeeping').
    """
    if isinstance(value, tuple):
        return value
    if isinstance(value, list | set | frozenset):
        return tuple(value)
    if not isinstance(value, str | bytes | bytearray | Mapping):
        try:
            return tuple(value)  # type: ignore[arg-type]
        except TypeError:
            pass
    raise refuse(
        what, owner, "a collection such as a list, tuple or set (a str is not one)", value
    )


# --------------------------------------------------------------------------- attrs validators


class _Door:
    """An attrs validator with a readable repr (``<validator integer(0, 150)>``).

    A door given its rule's predicate (*accept*) asks it first and runs the full check — which
    names the field and explains — only for a value the predicate does not accept.
    """

    __slots__ = ("_accept", "_check", "_text")

    def __init__(
        self, check: Validator, text: str, accept: Callable[[Any], bool] | None = None
    ) -> None:
        self._check = check
        self._text = text
        self._accept = accept

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        accept = self._accept
        if accept is None or not accept(value):
            self._check(instance, attribute, value)

    def __repr__(self) -> str:
        return f"<validator {self._text}>"


def rule_of(validator: object) -> Callable[[Any], bool] | None:
    """The predicate a door asks first (a value it accepts passes the door), or ``None`` for
    a validator without one — for generated code that asks it inline (``gridgov._structure``).

    Example:
        >>> rule_of(ident)("mg31"), rule_of(ident)(" mg31"), rule_of(integer(0, 5))
        (True, False, None)
    """
    return validator._accept if isinstance(validator, _Door) else None


def _validator(
    check: Callable[[str, Any, Any], Any],
    text: str,
    accept: Callable[[Any], bool] | None = None,
) -> Validator:
    def run(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check(field_name(attribute), value, instance)

    return _Door(run, text, accept)


ident: Validator = _validator(check_ident, "ident", _is_ident)
"""attrs validator: an id (see :func:`check_ident`)."""
code: Validator = _validator(check_code, "code", _is_code)
"""attrs validator: a lower-case code (see :func:`check_code`)."""
name: Validator = _validator(check_name, "name", _is_name)
"""attrs validator: a display name (see :func:`check_name`)."""
text: Validator = _validator(check_text, "text", _is_text)
"""attrs validator: free text (see :func:`check_text`)."""
boolean: Validator = _validator(check_bool, "boolean")
"""attrs validator: ``True`` or ``False``."""
aware: Validator = _validator(check_aware, "aware", _is_plainly_aware)
"""attrs validator: an aware datetime in the accepted years."""
plain_date: Validator = _validator(check_date, "plain_date", _is_date)
"""attrs validator: a date in the accepted years."""


def _personal_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a person's name (never shown in messages)."""
    check_name(field_name(attribute), value, instance, personal=True)


def _personal_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: free text about a person (never shown in messages)."""
    check_text(field_name(attribute), value, instance, personal=True)


def _personal_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a date about a person (a birth date; never shown in messages)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise refuse(field_name(attribute), instance, "a date (not a datetime)", value, personal=True)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise refuse(
            field_name(attribute),
            instance,
            f"a date in the years {MIN_YEAR} to {MAX_YEAR}",
            value,
            personal=True,
        )


def _required_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: non-blank free text that may be about a person (never shown)."""
    check_text(field_name(attribute), value, instance, personal=True)
    assert isinstance(value, str)
    if not value.strip():
        raise refuse(field_name(attribute), instance, "a non-blank text", value, personal=True)


personal_name: Validator = _Door(_personal_name, "personal_name", _is_name)
personal_text: Validator = _Door(_personal_text, "personal_text", _is_text)
personal_date: Validator = _Door(_personal_date, "personal_date", _is_date)
required_text: Validator = _Door(_required_text, "required_text")
"""attrs validator: a reason or a wish that must be given — non-blank free text, never shown."""


def integer(lo: int, hi: int) -> Validator:
    """attrs validator factory: an int (not a bool) in ``[lo, hi]``."""

    def run(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_integer(field_name(attribute), value, lo, hi, instance)

    return _Door(run, f"integer({lo}, {hi})")


def number(lo: float, hi: float) -> Validator:
    """attrs validator factory: a finite int or float (not a bool) in ``[lo, hi]``."""

    def run(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check_number(field_name(attribute), value, lo, hi, instance)

    return _Door(run, f"number({lo:g}, {hi:g})")


def optional(validator: Validator) -> Validator:
    """Allow ``None`` or whatever *validator* accepts."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    inner = validator._accept if isinstance(validator, _Door) else None
    accept = None if inner is None else (lambda value: value is None or inner(value))
    return _Door(check, f"optional({validator!r})", accept)


def is_a(kind: type | tuple[type, ...]) -> Validator:
    """Require an instance of *kind*; a gridgov error (not attrs' TypeError) otherwise."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise refuse(field_name(attribute), instance, _names(kind), value)

    return _Door(check, f"is_a({_names(kind)[2:].lstrip()})", _instance_of(kind))


def _instance_of(kind: type | tuple[type, ...]) -> Callable[[Any], bool]:
    """The rule of :func:`is_a` and :func:`holds`, as a predicate."""

    def accept(value: object) -> bool:
        return isinstance(value, kind)

    return accept


def holds(kind: type | tuple[type, ...]) -> Validator:
    """Item validator for :func:`tuple_of` / :func:`frozenset_of`: each item an instance of
    *kind* (``'posts' of Member must hold Post values only (got 7).``)."""
    kinds = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise InvalidValueError(
                f"{where(field_name(attribute), instance)} must hold {kinds} values only "
                f"(got {show(value)})."
            )

    return _Door(check, f"holds({kinds})", _instance_of(kind))


def instances_of(kind: type | tuple[type, ...]) -> Validator:
    """Require every element of a collection field to be an instance of *kind*."""
    kinds = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
    expected = f"a collection of {kinds} values"

    def run(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        for item in value:
            if not isinstance(item, kind):
                raise refuse(field_name(attribute), instance, expected, item)

    return _Door(run, f"instances_of({kinds})")


# --------------------------------------------------------------------------- collections
# A converter cannot name the field it converts, so the two work as a pair: the converter
# turns a proper collection into a tuple or frozenset and leaves anything else as it is, and
# the validator refuses what was left, naming the field.


_PLAIN_COLLECTIONS = frozenset({tuple, list, set, frozenset})
"""The builtin collections, recognised by their type before any ABC check (an ``isinstance``
against ``Mapping`` or ``Iterable`` costs a microsecond or more once many classes exist)."""


def is_collection(value: object) -> bool:
    if type(value) in _PLAIN_COLLECTIONS:
        return True
    return not isinstance(value, str | bytes | bytearray | Mapping) and isinstance(
        value, Iterable
    )


def to_tuple(value: Any) -> Any:
    """Converter: a collection to a tuple; anything else unchanged, for :func:`tuple_of`."""
    if type(value) is tuple:
        return value
    return tuple(value) if is_collection(value) else value


def to_frozenset(value: Any) -> Any:
    """Converter: a collection to a frozenset; anything else unchanged, for
    :func:`frozenset_of`."""
    if type(value) is frozenset:
        return value
    if not is_collection(value):
        return value
    items = tuple(value)
    try:
        return frozenset(items)
    except TypeError:
        return items  # an unhashable item: the validator names it


def tuple_of(item: Validator | None = None) -> Validator:
    """Validator for a field converted by :func:`to_tuple`: a tuple, each item checked by
    *item*."""
    return _collection_of(tuple, item)


def frozenset_of(item: Validator | None = None) -> Validator:
    """Validator for a field converted by :func:`to_frozenset`: a frozenset, each item
    checked by *item*."""
    return _collection_of(frozenset, item)


def _collection_of(kind: type, item: Validator | None) -> Validator:
    def run(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not kind:
            if kind is frozenset and type(value) is tuple:
                bad = next(i for i in value if not _hashable(i))
                raise refuse(
                    field_name(attribute), instance, "a collection of hashable values", bad
                )
            raise refuse(
                field_name(attribute),
                instance,
                "a collection such as a list, tuple or set (a str is not one)",
                value,
            )
        if item is not None:
            for x in typing.cast(Iterable[Any], value):
                item(instance, attribute, x)

    inner = "" if item is None else repr(item)
    each: Callable[[Any], bool] | None = item._accept if isinstance(item, _Door) else None
    if item is not None and each is None:
        return _Door(run, f"{kind.__name__}_of({inner})")

    def accept(value: Any) -> bool:
        # The items' rule asked in one pass (``map`` in C); the full check only on a refusal.
        items = typing.cast(Iterable[Any], value)
        return type(value) is kind and (each is None or all(map(each, items)))

    return _Door(run, f"{kind.__name__}_of({inner})", accept)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
