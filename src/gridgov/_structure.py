"""The fast road of :func:`gridgov.from_dict` (private): structuring functions generated per
value class.

For each registered class, :func:`compile_loaders` generates once — when gridgov is imported,
after every class has registered — from the same field types the strict road reads, a
function that structures a well-formed dict straight into the constructor's arguments (the
technique of cattrs' generated code, with gridgov's strict JSON kinds).  It takes only what is
plainly right — exact JSON types, exact key sets — and raises :class:`Miss` on anything else;
``serialize`` then reruns its strict road, which decides and explains.  The values are always
built by their own constructors, validators and all, so the fast road accepts nothing the
strict road refuses and builds nothing it would not.

The tables here are static: a function per registered class, as bounded as the registry, built
once; nothing read at run time is kept.
"""

from __future__ import annotations

import enum
import keyword
import math
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

import gridgov._validators as v

__all__ = ["Miss", "compile_loaders", "fast"]

MAX_SECONDS = 200 * 366 * 86400  # as the strict road: no gridgov duration spans two centuries

LOADERS: dict[str, tuple[type, Callable[[dict[str, Any], int, dict[Any, Any]], Any]]] = {}
"""The generated function of each registered class, with the class, by the class's name."""


FLAT: set[str] = set()
"""The registered classes whose values a load builds once per distinct JSON (see
:func:`_flat`), by name."""


class Miss(Exception):
    """The fast road cannot take this input; the strict road decides."""


def fast(data: Any, expected: Any, extra: int, memo: dict[Any, Any] | None = None) -> Any:
    """Structure *data* (a dict with ``type``, and ``schema`` when *extra* is 1) as a value
    of *expected* (a class, or ``object`` for any), or raise.

    *memo* is the caller's table for one load (a ``from_dicts`` batch): a value of a flat
    class (see :func:`_flat`) read twice from equal JSON is built once and shared — it is
    frozen, so sharing is invisible — and the table goes when the load ends."""
    if type(data) is dict:
        name = data.get("type")
        if type(name) is str:
            entry = LOADERS.get(name)
            if entry is not None and (expected is object or issubclass(entry[0], expected)):
                return entry[1](data, extra, {} if memo is None else memo)
    raise Miss


def _strs(mapping: dict[Any, Any]) -> bool:
    """Whether every key and every value of *mapping* is a str (in C-speed passes)."""
    kinds = set(map(type, mapping))
    kinds.update(map(type, mapping.values()))
    return kinds <= {str}


NS: dict[str, Any] = {
    "Miss": Miss,
    "_fast": fast,
    "_strs": _strs,
    "_isfinite": math.isfinite,
    "_timedelta": timedelta,
    "_MAX_SECONDS": MAX_SECONDS,
    "_tuple": tuple,
    "_frozenset": frozenset,
    "_NO_TAGS": frozenset(),
    "_dict": dict,
    "_iso": {date: date.fromisoformat, datetime: datetime.fromisoformat, time: time.fromisoformat},
}
"""The globals of the generated functions (the same static table as :data:`LOADERS`)."""


def compile_loaders(
    registry: Mapping[str, type],
    *,
    fields: Callable[[type], tuple[attrs.Attribute[Any], ...]],
    hints: Callable[[type], dict[str, Any]],
    key: Callable[[attrs.Attribute[Any]], str],
    decode: Callable[[Any, Any, str], Any],
) -> None:
    """Generate the function of every class of *registry* that has none yet, reading each
    class's serialised fields, their types and keys through the strict road's own *fields*,
    *hints* and *key*; a field of a rarer type is decoded by the strict road's *decode*."""
    NS["_decode"] = decode
    for name, cls in registry.items():
        if _flat(hints(cls)[a.name] for a in fields(cls)) and not any(
            c is not cls and issubclass(c, cls) for c in registry.values()
        ):
            FLAT.add(name)
    for name, cls in registry.items():
        if name in LOADERS:
            continue
        lines = [
            "def load(d, extra, memo):",
            f"    if len(d) != {len(fields(cls)) + 1} + extra or d['type'] != {name!r}:",
            "        raise Miss",
        ]
        args = []
        vars_ = [f"v{i}" for i in range(len(fields(cls)))]
        counter = [0]
        types_of = hints(cls)
        for i, a in enumerate(fields(cls)):
            k = key(a)
            lines.append(f"    v{i} = d[{k!r}]")
            _emit(types_of[a.name], f"v{i}", lines, 1, counter, registry)
            args.append((k, f"v{i}"))
        if all(k.isidentifier() and not keyword.iskeyword(k) for k, _ in args):
            call = ", ".join(f"{k}={var}" for k, var in args)
        else:  # pragma: no cover - every field name is an identifier today
            call = "**{" + ", ".join(f"{k!r}: {var}" for k, var in args) + "}"
        build = _constructor(cls, dict(zip((a.name for a in fields(cls)), vars_, strict=True)))
        if build is not None:
            made = f"_make_{name}({', '.join(vars_)})"
            NS[f"_make_{name}"] = build
        else:
            made = f"{_const(cls)}({call})"
        if name in FLAT:
            # Checked and decoded, equal JSON gives an equal value: build it once per load.
            raw = "".join(
                f"d[{k!r}].hex() if type(d[{k!r}]) is float else d[{k!r}], "
                if _strip_none(types_of[a.name]) is float else f"d[{k!r}], "
                for (k, _), a in zip(args, fields(cls), strict=True)
            )
            lines += [
                f"    key = ({name!r}, {raw})",
                "    made = memo.get(key)",
                "    if made is None:",
                f"        made = memo[key] = {made}",
                "    return made",
            ]
        else:
            lines.append(f"    return {made}")
        scope: dict[str, Any] = {}
        exec(compile("\n".join(lines), f"<gridgov loader {name}>", "exec"), NS, scope)
        NS[f"_load_{name}"] = scope["load"]
        LOADERS[name] = (cls, scope["load"])


def _constructor(cls: type, var_of: dict[str, str]) -> Callable[..., Any] | None:
    """A function doing what *cls*'s attrs-generated ``__init__`` does for these fields —
    each converter, each slot set, then every validator in field order on the built
    instance, then ``__attrs_post_init__`` — with each door's rule asked inline, so that the
    door itself runs (and explains) only for a value its rule does not accept.  ``None`` for a
    class whose ``__init__`` does anything else (then the loader calls the class)."""
    init = getattr(vars(cls).get("__init__"), "__code__", None)
    if (
        init is None
        or not init.co_filename.startswith("<attrs generated")
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "_attrs_cached_hash")
    ):
        return None
    every = attrs.fields(cls)
    for a in every:
        if not isinstance(getattr(cls, a.name, None), types.MemberDescriptorType):
            return None  # not a slot of this class: attrs sets it otherwise
        if a.init and a.name not in var_of:
            return None  # a field the JSON does not carry takes its default
        if not a.init and (a.default is not attrs.NOTHING or a.validator is not None):
            return None
        if a.converter is not None and isinstance(a.converter, attrs.Converter):
            return None
    made = [a for a in every if a.init]
    ns: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def make({', '.join(var_of[a.name] for a in made)}):", "    o = new(cls)"]
    for i, a in enumerate(made):
        var = var_of[a.name]
        ns[f"set{i}"] = getattr(cls, a.name).__set__
        if a.converter is not None:
            ns[f"conv{i}"] = a.converter
            lines.append(f"    {var} = conv{i}({var})")
        lines.append(f"    set{i}(o, {var})")
    for i, a in enumerate(made):
        if a.validator is None:
            continue
        var = var_of[a.name]
        ns[f"door{i}"], ns[f"attr{i}"] = a.validator, a
        rule = v.rule_of(a.validator)
        if rule is None:
            lines.append(f"    door{i}(o, attr{i}, {var})")
        else:
            ns[f"rule{i}"] = rule
            lines.append(f"    if not rule{i}({var}):")
            lines.append(f"        door{i}(o, attr{i}, {var})")
    if hasattr(cls, "__attrs_post_init__"):
        ns["post"] = cls.__attrs_post_init__
        lines.append("    post(o)")
    lines.append("    return o")
    exec(compile("\n".join(lines), f"<gridgov constructor {cls.__name__}>", "exec"), ns)
    make: Callable[..., Any] = ns["make"]
    return make


_FLAT = (str, int, bool, float, date, time)


def _strip_none(hint: Any) -> Any:
    """*hint* without its ``| None``, if it has one."""
    args = typing.get_args(hint)
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    if union and len(args) == 2 and type(None) in args:
        return next(a for a in args if a is not type(None))
    return hint


def _flat(hints: Iterable[Any]) -> bool:
    """Whether every field is a JSON scalar of one kind (a str, an int, a bool, a number, a
    date, a time, a literal or an enumeration of strings, or None): then the raw values, once
    checked, are a key as exact as the value itself — each field admits one JSON type but a
    number, whose floats are keyed by their ``hex()`` (so no ``1 == 1.0 == True``, no
    ``-0.0 == 0.0``).  Datetimes are left out: the moments of events rarely repeat, so a table
    would only grow."""
    for hint in hints:
        hint = _strip_none(hint)
        args = typing.get_args(hint)
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            return False
        if typing.get_origin(hint) is typing.Literal:
            if not all(type(a) is str for a in args):
                return False
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            if not all(type(m.value) is str for m in hint):
                return False
        elif hint not in _FLAT:
            return False
    return True


def _const(value: Any) -> str:
    """The name under which the generated functions see *value*."""
    key = f"_c{id(value)}"
    NS[key] = value
    return key


def _emit(
    hint: Any,
    var: str,
    out: list[str],
    depth: int,
    counter: list[int],
    registry: Mapping[str, type],
) -> None:
    """Append the lines that check *var* against *hint* and rebind it to the decoded value."""
    pad = "    " * depth
    miss = f"{pad}    raise Miss"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        out.append(f"{pad}if {var} is not None:")
        out.append(f"{pad}    pass")
        _emit(next(a for a in args if a is not type(None)), var, out, depth + 1, counter, registry)
        return
    if hint is str or hint is int:
        out += [f"{pad}if type({var}) is not {hint.__name__}:", miss]
    elif hint is bool:
        out += [f"{pad}if {var} is not True and {var} is not False:", miss]
    elif hint is float:
        out += [
            f"{pad}if not (type({var}) is int or (type({var}) is float and _isfinite({var}))):",
            miss,
        ]
    elif hint is date or hint is datetime or hint is time:
        out += [
            f"{pad}if type({var}) is not str or len({var}) > 64:",
            miss,
            f"{pad}{var} = {_const(NS['_iso'][hint])}({var})",
        ]
    elif hint is timedelta:
        out += [
            (
                f"{pad}if not ((type({var}) is int or (type({var}) is float and "
                f"_isfinite({var}))) and abs({var}) <= _MAX_SECONDS):"
            ),
            miss,
            f"{pad}{var} = _timedelta(seconds={var})",
        ]
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        table = {}
        for m in reversed(list(hint)):  # the first member of a value wins, as on the strict road
            if not isinstance(m.value, bool):
                table[(type(m.value), m.value)] = m
        out.append(f"{pad}{var} = {_const(table)}[(type({var}), {var})]")
    elif origin is typing.Literal:
        allowed = frozenset((type(a), a) for a in args)
        out += [f"{pad}if (type({var}), {var}) not in {_const(allowed)}:", miss]
    elif origin in (tuple, frozenset, Sequence) and not (
        origin is tuple and args and args[-1] is not Ellipsis
    ):
        item = args[0] if args else Any
        make = "_frozenset" if origin is frozenset else "_tuple"
        out += [f"{pad}if type({var}) is not list:", miss]
        if item is str or item is int:
            counter[0] += 1
            e = f"e{counter[0]}"
            out += [
                f"{pad}for {e} in {var}:",
                f"{pad}    if type({e}) is not {item.__name__}:",
                f"{pad}        raise Miss",
                f"{pad}{var} = {make}({var})" if make == "_tuple"
                else f"{pad}{var} = _frozenset({var}) if {var} else _NO_TAGS",
            ]
        else:
            counter[0] += 1
            e, t = f"e{counter[0]}", f"t{counter[0]}"
            out += [f"{pad}{t} = []", f"{pad}for {e} in {var}:"]
            _emit(item, e, out, depth + 1, counter, registry)
            out.append(f"{pad}    {t}.append({e})")
            out.append(
                f"{pad}{var} = {make}({t})" if make == "_tuple"
                else f"{pad}{var} = _frozenset({t}) if {t} else _NO_TAGS"
            )
            if make == "_tuple" and getattr(item, "__name__", None) in FLAT:
                # Its items come from the load's table (one object per value, kept alive by
                # the table), so their ids are a key: equal tuples of them are built once.
                out += [f"{pad}if {t}:", f"{pad}    {var} = memo.setdefault((0, *map(id, {t})), {var})"]
    elif origin in (dict, Mapping) and args == (str, str):
        out += [
            f"{pad}if type({var}) is not dict or not _strs({var}):",
            miss,
            f"{pad}{var} = _dict({var})",
        ]
    elif isinstance(hint, type) and attrs.has(hint):
        out += [f"{pad}if type({var}) is not dict:", miss]
        if registry.get(hint.__name__) is hint and not any(
            c is not hint and issubclass(c, hint) for c in registry.values()
        ):
            out.append(f"{pad}{var} = _load_{hint.__name__}({var}, 0, memo)")
        else:  # a family (the case events): the dict's own type picks the function
            out.append(f"{pad}{var} = _fast({var}, {_const(hint)}, 0, memo)")
    else:  # anything rarer takes the strict road's own decoding for this field
        out.append(f"{pad}{var} = _decode({var}, {_const(hint)}, '$')")
