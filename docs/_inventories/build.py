"""Write the intersphinx inventories the documentation links through, without a network.

The docs build with ``nitpicky = True``: every cross-reference must resolve, including those
to Python, attrs, networkx, dateutil, hypothesis and matplotlib.  Sphinx reads those
projects' object inventories (``objects.inv``); CI machines may not reach their sites, so this
script writes small inventories listing the objects gridgov's documentation names, with the
address of each object's entry in that project's published documentation.  Run it after adding a reference to
an object not listed here: ``python docs/_inventories/build.py``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).parent

# project: (name, version, {object name: (domain:role, path#anchor or "" for the name)})
PY = "py:class"
INVENTORIES: dict[str, tuple[str, str, dict[str, tuple[str, str]]]] = {
    "python": (
        "Python",
        "3.11",
        {
            **{
                f"datetime.{n}": (PY, f"library/datetime.html#datetime.{n}")
                for n in ("date", "datetime", "time", "timedelta", "timezone", "tzinfo")
            },
            **{
                f"collections.abc.{n}": (PY, f"library/collections.abc.html#collections.abc.{n}")
                for n in (
                    "Callable", "Iterable", "Iterator", "Mapping", "Sequence", "Set",
                    "MutableMapping", "Collection", "Hashable", "ItemsView", "KeysView",
                    "ValuesView",
                )
            },
            **{
                f"typing.{n}": (PY, f"library/typing.html#typing.{n}")
                for n in ("Any", "Literal", "NamedTuple", "TypeVar", "ClassVar", "Union",
                          "Optional", "Self")
            },
            # the built-in types documented among the built-in types ...
            **{
                f"{n}": (PY, f"library/stdtypes.html#{n}")
                for n in ("str", "tuple", "list", "dict", "set", "frozenset", "bytes")
            },
            # ... and those documented among the built-in functions
            **{
                f"{n}": (PY, f"library/functions.html#{n}")
                for n in ("int", "float", "bool", "object", "type")
            },
            "None": ("py:data", "library/constants.html#None"),
            "NotImplemented": ("py:data", "library/constants.html#NotImplemented"),
            "enum.Enum": (PY, "library/enum.html#enum.Enum"),
            "enum.IntEnum": (PY, "library/enum.html#enum.IntEnum"),
            "types.MappingProxyType": (PY, "library/types.html#types.MappingProxyType"),
            "random.Random": (PY, "library/random.html#random.Random"),
            "ValueError": ("py:exception", "library/exceptions.html#ValueError"),
            "KeyError": ("py:exception", "library/exceptions.html#KeyError"),
            "TypeError": ("py:exception", "library/exceptions.html#TypeError"),
            "Exception": ("py:exception", "library/exceptions.html#Exception"),
            "AssertionError": ("py:exception", "library/exceptions.html#AssertionError"),
        },
    ),
    "attrs": (
        "attrs",
        "24",
        {
            "attrs.Attribute": (PY, "api.html#attrs.Attribute"),
            "attrs.frozen": ("py:function", "api.html#attrs.frozen"),
            "attrs.field": ("py:function", "api.html#attrs.field"),
            "attrs.evolve": ("py:function", "api.html#attrs.evolve"),
            "attr.Attribute": (PY, "api.html#attrs.Attribute"),
        },
    ),
    "networkx": (
        "NetworkX",
        "3",
        {
            "networkx.DiGraph": (PY, "reference/classes/digraph.html#networkx.DiGraph"),
            "networkx.classes.digraph.DiGraph": (
                PY, "reference/classes/digraph.html#networkx.DiGraph"
            ),
            "networkx.freeze": (
                "py:function", "reference/generated/networkx.classes.function.freeze.html"
            ),
        },
    ),
    "dateutil": (
        "dateutil",
        "2.9",
        {
            "dateutil.rrule.rrule": (PY, "rrule.html#dateutil.rrule.rrule"),
            "dateutil.rrule.rruleset": (PY, "rrule.html#dateutil.rrule.rruleset"),
            "dateutil.rrule.weekday": (PY, "rrule.html#dateutil.rrule.weekday"),
            "dateutil.relativedelta.relativedelta": (
                PY, "relativedelta.html#dateutil.relativedelta.relativedelta"
            ),
        },
    ),
    "hypothesis": (
        "Hypothesis",
        "6",
        {
            "hypothesis.strategies.SearchStrategy": (
                PY, "reference/strategies.html#hypothesis.strategies.SearchStrategy"
            ),
            "hypothesis.strategies._internal.strategies.SearchStrategy": (
                PY, "reference/strategies.html#hypothesis.strategies.SearchStrategy"
            ),
            "hypothesis.strategies.DrawFn": (
                PY, "reference/strategies.html#hypothesis.strategies.DrawFn"
            ),
            "hypothesis.strategies.DataObject": (
                PY, "reference/strategies.html#hypothesis.strategies.DataObject"
            ),
            "hypothesis.strategies.datetimes": (
                "py:function", "reference/strategies.html#hypothesis.strategies.datetimes"
            ),
            # documented with ``autoclass`` upstream, so a class in their inventory
            "hypothesis.errors.InvalidArgument": (
                PY, "reference/api.html#hypothesis.errors.InvalidArgument"
            ),
        },
    ),
    "matplotlib": (
        "Matplotlib",
        "3.8",
        {
            "matplotlib.figure.Figure": (
                PY, "api/_as_gen/matplotlib.figure.Figure.html#matplotlib.figure.Figure"
            ),
            "matplotlib.axes.Axes": (PY, "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes"),
            # the class's own module, which autodoc writes in signatures
            "matplotlib.axes._axes.Axes": (
                PY, "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes"
            ),
        },
    ),
}


def write(project: str) -> Path:
    name, version, entries = INVENTORIES[project]
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {name}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    lines = "".join(
        f"{obj} {role} 1 {uri} -\n" for obj, (role, uri) in sorted(entries.items())
    ).encode()
    path = HERE / f"{project}.inv"
    path.write_bytes(header + zlib.compress(lines))
    return path


if __name__ == "__main__":
    for project in INVENTORIES:
        print(write(project))
