"""Turning gridgov values into JSON-safe dicts and back.

Every public value converts with :func:`to_dict` into a dict of strings, numbers, booleans,
lists and dicts only, stamped with the schema version and the value's type, and converts
back with :func:`from_dict` into an equal value.  Unknown or missing fields raise
:class:`~gridgov.errors.SerializationError` instead of being dropped or guessed, and
everything read back is validated by the same constructors as a value built in code.

Dates are ISO strings, datetimes ISO strings with their UTC offset, durations whole or
fractional seconds, enumerations their value, sets sorted lists, and a mapping whose keys are
not strings (a tally's cells, keyed by unit, period and category) a list of ``[key, value]``
pairs.  A result that is a named tuple (such as :class:`~gridgov.routing.Routed`) is written
by its field names like any other value.

Example:
    >>> from gridgov import THREE_TIER, to_dict, from_dict
    >>> data = to_dict(THREE_TIER["grid"])
    >>> data["schema"], data["type"], data["zh"]
    (1, 'Tier', '网格')
    >>> from_dict(data) == THREE_TIER["grid"]
    True
"""

from __future__ import annotations

import enum
import math
import sys
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import attrs

import gridgov._structure as road
import gridgov._validators as v
from gridgov._pickling import reduce_fields
from gridgov.errors import GridGovError, SerializationError

__all__ = ["SCHEMA_VERSION", "from_dict", "from_dicts", "registered", "resolve_hints", "to_dict"]

SCHEMA_VERSION = 1
"""The version stamped into every dict :func:`to_dict` makes."""

T = TypeVar("T")

_REGISTRY: dict[str, type] = {}
_HINTS: dict[type, dict[str, Any]] = {}
_WRITE: dict[type, tuple[tuple[str, str, bool], ...]] = {}
"""How each registered class is written: (attribute, key, whether written as pairs) a field."""
_TUPLE_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}
"""The fields of each registered named tuple, described as attrs describes a class's."""


def register(cls: type[T]) -> type[T]:
    """Class decorator: make an attrs class — or a named tuple, for a compact result — known
    to :func:`from_dict` by its name (each value class registers itself where it is defined),
    and make an attrs class pickle as its constructor's arguments, so that what it derives at
    construction is rebuilt, not copied."""
    name = cls.__name__
    if name in _REGISTRY and _REGISTRY[name] is not cls:  # pragma: no cover - programming error
        raise RuntimeError(f"two serialisable classes are called {name!r}")
    if _is_named_tuple(cls):
        # the same description of fields (name, type, alias) the attrs classes have
        notes: dict[str, Any] = {  # as written (typing keeps a string as a ForwardRef)
            f: t.__forward_arg__ if isinstance(t, typing.ForwardRef) else t
            for f, t in cls.__annotations__.items()
        }
        names: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        shadow = attrs.make_class(f"{name}Fields", {f: attrs.field(type=notes[f]) for f in names})
        _TUPLE_FIELDS[cls] = attrs.fields(shadow)
    elif not attrs.has(cls):  # pragma: no cover - programming error
        raise RuntimeError(f"{name} is neither an attrs class nor a named tuple")
    elif "__reduce__" not in vars(cls):
        cls.__reduce__ = reduce_fields  # type: ignore[method-assign,assignment]
    _REGISTRY[name] = cls
    return cls


def _is_named_tuple(cls: object) -> bool:
    return isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")


def _is_value_class(cls: object) -> bool:
    """Whether *cls* is a class whose instances are written field by field."""
    return isinstance(cls, type) and (attrs.has(cls) or cls in _TUPLE_FIELDS)


def _is_registered(cls: object) -> bool:
    name = getattr(cls, "__name__", None)
    return isinstance(name, str) and _REGISTRY.get(name) is cls


def registered() -> tuple[type, ...]:
    """Every value class :func:`to_dict` and :func:`from_dict` know, sorted by name.

    Example:
        >>> from gridgov import GridUnit
        >>> GridUnit in registered()
        True
    """
    return tuple(_REGISTRY[name] for name in sorted(_REGISTRY))


def resolve_hints() -> None:
    """Read every registered class's field types once (advanced: ``gridgov`` calls it when it
    is imported, after every class has registered; nothing changes them after).

    Example:
        >>> resolve_hints()  # already done when gridgov was imported: a no-op
    """
    for cls in _REGISTRY.values():
        _hints(cls)
    road.compile_loaders(
        _REGISTRY, fields=_fields, hints=_hints, key=_key, decode=_decode
    )


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        namespace = vars(sys.modules[cls.__module__])
        hints = {
            a.name: eval(a.type, namespace) if isinstance(a.type, str) else a.type
            for a in _fields(cls)
        }
        _HINTS[cls] = hints
    return hints


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    named = _TUPLE_FIELDS.get(cls)
    if named is not None:
        return named
    return tuple(a for a in attrs.fields(cls) if a.init and not a.metadata.get("transient"))


def _writing(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """How *cls* is written, field by field: the attribute, the key, and whether the field is
    a mapping keyed by something other than strings (written as ``[key, value]`` pairs)."""
    plan = _WRITE.get(cls)
    if plan is None:
        registered = _REGISTRY.get(cls.__name__) is cls
        plan = tuple(
            (a.name, _key(a), registered and _is_paired(_hints(cls)[a.name]))
            for a in _fields(cls)
        )
        if registered:
            _WRITE[cls] = plan
    return plan


def _is_paired(hint: Any) -> bool:
    args = typing.get_args(hint)
    return _is_mapping(hint) and bool(args) and args[0] is not str


def _is_mapping(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, int])


def _key(a: attrs.Attribute[Any]) -> str:
    """The name a field has in ``__init__`` and in the serialised dict."""
    return a.alias or a.name


# --------------------------------------------------------------------------- encoding


def to_dict(value: object) -> dict[str, Any]:
    """Convert a gridgov value to a JSON-safe dict carrying ``schema`` and ``type``.

    Raises:
        SerializationError: if the value holds something that cannot be serialised, such as a
            callable predicate on a routing rule.

    Example:
        >>> from gridgov import GridUnit, to_dict
        >>> to_dict(GridUnit(id="c1", name="亚新社区", tier="community"))
        {'schema': 1, 'type': 'GridUnit', 'id': 'c1', 'name': '亚新社区', 'tier': 'community', 'parent': None}
    """
    if _REGISTRY.get(type(value).__name__) is not type(value):
        raise SerializationError(
            f"to_dict() takes a gridgov value (got {type(value).__name__}: {value!r:.60})."
        )
    encoded = _encode(value, type(value).__name__)
    assert isinstance(encoded, dict)
    return {"schema": SCHEMA_VERSION, **encoded}


def _encode(value: Any, path: str) -> Any:
    if isinstance(value, enum.Enum):  # before int: an IntEnum member is written as a plain int
        plain = value.value
        return int(plain) if isinstance(plain, int) else plain
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds == int(seconds) else seconds
    cls = type(value)
    if cls in _WRITE or _is_value_class(cls):  # before Sequence: a named tuple by its fields
        hook = getattr(value, "_check_serialisable", None)
        if hook is not None:
            hook(path)
        out: dict[str, Any] = {"type": cls.__name__}
        for name, key, paired in _writing(cls):
            field = getattr(value, name)
            if paired:
                out[key] = [
                    [_encode(k, f"{path}.{key}[{i}][0]"), _encode(x, f"{path}.{key}[{i}][1]")]
                    for i, (k, x) in enumerate(field.items())
                ]
            else:
                out[key] = _encode(field, f"{path}.{key}")
        return out
    if isinstance(value, Mapping):
        return {str(k): _encode(v, f"{path}[{k!r}]") for k, v in value.items()}
    if isinstance(value, frozenset | set):
        items = [_encode(v, f"{path}[]") for v in value]
        return sorted(items, key=repr)
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if callable(value):
        raise SerializationError(
            f"'{path}' holds a callable ({value!r:.60}), which cannot be serialised; "
            "express it as declarative match fields instead."
        )
    raise SerializationError(
        f"'{path}' holds {type(value).__name__} {value!r:.60}, which gridgov cannot serialise."
    )


# --------------------------------------------------------------------------- decoding


def from_dict(data: Mapping[str, Any], cls: type[T] | None = None) -> T:
    """Rebuild a value from a dict made by :func:`to_dict`: a door as strict as the
    constructors.

    Every field must be present (nothing is filled in from a default), every value of the
    exact JSON type the field is written as, and what is read is built by the same
    constructors and validators as a value made in code.  Any JSON value — whatever
    ``json.loads`` can produce, at any depth — gives a gridgov error or a valid value.

    Args:
        data: the dict, with ``schema`` and ``type`` keys.
        cls: the class expected; if given, a dict of another type is refused.

    Raises:
        SerializationError: on a wrong schema version, an unknown type, unknown or missing
            fields, or a field of the wrong kind.  Errors raised by the value's own validation
            (e.g. an invalid grid) propagate unchanged (all are :class:`~gridgov.GridGovError`).

    Example:
        >>> from gridgov import GridUnit, from_dict
        >>> from_dict({"schema": 1, "type": "GridUnit", "id": "c1", "name": "亚新社区",
        ...            "tier": "community", "parent": None})
        GridUnit(id='c1', name='亚新社区', tier='community', parent=None)
        >>> from_dict({"schema": 1, "type": "GridUnit", "id": "c1", "nmae": "x", "tier": "community"})
        Traceback (most recent call last):
        ...
        gridgov.errors.SerializationError: GridUnit has no field 'nmae' (known fields: id, name, tier, parent).
        >>> from_dict({"schema": 1, "type": "GridUnit", "id": "c1", "name": "亚新社区",
        ...            "tier": "community"})
        Traceback (most recent call last):
        ...
        gridgov.errors.SerializationError: '$.parent' is missing; GridUnit requires every field (write null for none).
    """
    if not isinstance(data, Mapping):
        raise SerializationError(f"from_dict() takes a dict (got {type(data).__name__}).")
    if "schema" not in data:
        raise SerializationError(
            "'schema' is missing; expected the schema version "
            f"{SCHEMA_VERSION} written by to_dict()."
        )
    schema = data["schema"]
    if type(schema) is not int or schema != SCHEMA_VERSION:
        raise SerializationError(f"'schema' must be {SCHEMA_VERSION} (got {_show(schema)}).")
    if cls is not None and not _is_registered(cls):
        raise SerializationError(f"'cls' must be a gridgov value class (got {_show(cls)}).")
    target: Any = cls if cls is not None else object
    try:
        return typing.cast(T, road.fast(data, target, 1))
    except Exception:  # off the fast road (or refused): the strict road decides and explains
        pass
    body = {k: v for k, v in data.items() if k != "schema"}
    return typing.cast(T, _decode_attrs(body, target, "$"))


def from_dicts(items: Iterable[Mapping[str, Any]], cls: type[T]) -> list[T]:
    """Rebuild many values of one class, each from a dict made by :func:`to_dict`: the bulk
    form of :func:`from_dict`, as strict, naming the item of a refused dict.

    Args:
        items: the dicts, each with ``schema`` and ``type`` keys (a JSON list of them, as
            ``json.loads`` gives it, or any iterable).
        cls: the class every item must be (or a subclass of it, for a family such as the case
            events).

    Raises:
        SerializationError: as :func:`from_dict`, for the first bad item, its place shown as
            ``$[i]``.

    Example:
        >>> from gridgov import GridUnit, to_dict
        >>> units = [GridUnit(id="c1", name="亚新社区", tier="community"),
        ...          GridUnit(id="g3", name="第三网格", tier="grid", parent="c1")]
        >>> from_dicts([to_dict(u) for u in units], GridUnit) == units
        True
        >>> from_dicts([to_dict(units[0]), {"schema": 1, "type": "GridUnit", "id": "g3"}], GridUnit)
        Traceback (most recent call last):
        ...
        gridgov.errors.SerializationError: '$[1].name' is missing; GridUnit requires every field (write null for none).
    """
    if not _is_registered(cls):
        raise SerializationError(f"'cls' must be a gridgov value class (got {_show(cls)}).")
    if isinstance(items, Mapping | str | bytes):
        raise SerializationError(f"from_dicts() takes a list of dicts (got {_show(items)}).")
    out: list[T] = []
    append = out.append
    fast = road.fast
    memo: dict[Any, Any] = {}  # equal flat values built once for this batch (see _structure)
    for i, data in enumerate(items):
        try:
            if type(data) is dict and type(data.get("schema")) is int and data["schema"] == SCHEMA_VERSION:
                append(fast(data, cls, 1, memo))
                continue
        except Exception:  # off the fast road: the strict road below decides and explains
            pass
        append(_strict(data, cls, f"$[{i}]"))
    return out


def _strict(data: Any, cls: type[T], path: str) -> T:
    """The strict road for one item of :func:`from_dicts`, its errors naming *path*."""
    if not isinstance(data, Mapping):
        raise SerializationError(f"'{path}' must be a dict (got {_show(data)}).")
    schema = data.get("schema")
    if type(schema) is not int or schema != SCHEMA_VERSION:
        raise SerializationError(
            f"'{path}.schema' must be {SCHEMA_VERSION} (got {_show(schema)})."
        )
    body = {k: v for k, v in data.items() if k != "schema"}
    return typing.cast(T, _decode_attrs(body, cls, path))


def _show(value: object) -> str:
    """A bad value as the error shows it: a class by its name, else as every door shows it."""
    return value.__name__ if isinstance(value, type) else v.show(value)


def _kind_of(hint: Any) -> str:
    """A field type as an error message names it, for a value it does not show."""
    name = getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
    return f"of type {name}"


def _decode_attrs(data: Any, expected: Any, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise SerializationError(f"'{path}' must be a dict (got {_show(data)}).")
    for key in data:
        if not isinstance(key, str):
            raise SerializationError(f"'{path}' must have string keys (got {_show(key)}).")
    name = data.get("type")
    if name is None:
        raise SerializationError(f"'{path}.type' is missing; expected the name of a value class.")
    cls = _REGISTRY.get(name) if isinstance(name, str) else None
    if cls is None:
        raise SerializationError(f"'{path}.type' must name a gridgov value (got {_show(name)}).")
    if expected is not object and not (isinstance(expected, type) and issubclass(cls, expected)):
        raise SerializationError(
            f"'{path}.type' must be {getattr(expected, '__name__', expected)} (got {name!r})."
        )
    fields = _fields(cls)
    known = {_key(a) for a in fields}
    extra = [k for k in data if k != "type" and k not in known]
    if extra:
        raise SerializationError(
            f"{name} has no field {_show(extra[0])} (known fields: "
            f"{', '.join(_key(a) for a in fields)})."
        )
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for a in fields:
        key = _key(a)
        if key not in data:
            raise SerializationError(
                f"'{path}.{key}' is missing; {name} requires every field (write null for none)."
            )
        if a.repr:
            kwargs[key] = _decode(data[key], hints[a.name], f"{path}.{key}")
            continue
        try:  # a field kept out of repr holds personal data: its value is never echoed
            kwargs[key] = _decode(data[key], hints[a.name], f"{path}.{key}")
        except SerializationError:
            raise SerializationError(
                f"'{path}.{key}' must be {_kind_of(hints[a.name])} (got a value not shown: "
                "personal data)."
            ) from None
    try:
        return cls(**kwargs)
    except GridGovError:
        raise
    except (TypeError, ValueError) as exc:  # pragma: no cover - constructors raise our errors
        raise SerializationError(f"'{path}' could not be built as {name}: {exc}") from exc


_MAX_SECONDS = 200 * 366 * 86400  # a span longer than two centuries is no gridgov duration


def _decode(value: Any, hint: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decode(value, options[0], path)
        if isinstance(value, Mapping) and "type" in value:
            return _decode_attrs(value, object, path)
        for option in options:
            try:
                return _decode(value, option, path)
            except SerializationError:
                continue
        raise SerializationError(f"'{path}' must be one of {hint} (got {_show(value)}).")
    if origin is typing.Literal:
        if not any(type(value) is type(a) and value == a for a in args):
            raise SerializationError(f"'{path}' must be one of {list(args)} (got {_show(value)}).")
        return value
    if origin in (tuple, list, frozenset, set, Sequence) or hint in (tuple, list, frozenset):
        if not isinstance(value, list):
            raise SerializationError(f"'{path}' must be a list (got {_show(value)}).")
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(args) != len(value):
                raise SerializationError(
                    f"'{path}' must have {len(args)} items (got {len(value)})."
                )
            return tuple(
                _decode(v, a, f"{path}[{i}]")
                for i, (v, a) in enumerate(zip(value, args, strict=True))
            )
        item = args[0] if args else Any
        items = [_decode(v, item, f"{path}[{i}]") for i, v in enumerate(value)]
        if origin in (frozenset, set):
            try:
                return frozenset(items)
            except TypeError:
                raise SerializationError(f"'{path}' must hold hashable values.") from None
        return tuple(items)
    if _is_paired(hint):
        if not isinstance(value, list):
            raise SerializationError(
                f"'{path}' must be a list of [key, value] pairs (got {_show(value)})."
            )
        key_t, val_t = args
        pairs: dict[Any, Any] = {}
        for i, pair in enumerate(value):
            if not (isinstance(pair, list) and len(pair) == 2):
                raise SerializationError(
                    f"'{path}[{i}]' must be a [key, value] pair (got {_show(pair)})."
                )
            k = _decode(pair[0], key_t, f"{path}[{i}][0]")
            try:
                known = k in pairs
            except TypeError:
                raise SerializationError(f"'{path}[{i}][0]' must be hashable.") from None
            if known:
                raise SerializationError(f"'{path}[{i}][0]' repeats a key.")
            pairs[k] = _decode(pair[1], val_t, f"{path}[{i}][1]")
        return pairs
    if _is_mapping(hint):
        if not isinstance(value, Mapping):
            raise SerializationError(f"'{path}' must be a dict (got {_show(value)}).")
        key_t, val_t = args if args else (Any, Any)
        return {
            _decode(k, key_t, f"{path} key"): _decode(v, val_t, f"{path}[{_show(k)}]")
            for k, v in value.items()
        }
    if not isinstance(hint, type):
        raise SerializationError(f"'{path}': gridgov cannot decode type {hint!r}.")
    if _is_value_class(hint):
        return _decode_attrs(value, hint, path)
    if issubclass(hint, enum.Enum):
        members = [m for m in hint if type(m.value) is type(value) and m.value == value]
        if not members or isinstance(value, bool):
            allowed = [m.value for m in hint]
            raise SerializationError(f"'{path}' must be one of {allowed} (got {_show(value)}).")
        return members[0]
    if hint is bool:
        if not isinstance(value, bool):
            raise SerializationError(f"'{path}' must be true or false (got {_show(value)}).")
        return value
    if hint is int:
        if type(value) is not int:
            raise SerializationError(f"'{path}' must be an integer (got {_show(value)}).")
        return value
    if hint is float:
        if type(value) not in (int, float) or (type(value) is float and not math.isfinite(value)):
            raise SerializationError(f"'{path}' must be a finite number (got {_show(value)}).")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise SerializationError(f"'{path}' must be a string (got {_show(value)}).")
        return value
    if hint is datetime or hint is date or hint is time:
        if not isinstance(value, str) or len(value) > 64:
            raise SerializationError(
                f"'{path}' must be an ISO {hint.__name__} string (got {_show(value)})."
            )
        try:
            parsed = hint.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or (hint is date and isinstance(parsed, datetime)):
            raise SerializationError(
                f"'{path}' must be an ISO {hint.__name__} string (got {_show(value)})."
            )
        return parsed
    if hint is timedelta:
        if (
            type(value) not in (int, float)
            or (type(value) is float and not math.isfinite(value))
            or abs(value) > _MAX_SECONDS
        ):
            raise SerializationError(
                f"'{path}' must be a finite number of seconds, at most {_MAX_SECONDS:,} "
                f"(got {_show(value)})."
            )
        return timedelta(seconds=value)
    raise SerializationError(f"'{path}': gridgov cannot decode type {hint.__name__}.")
