"""Sphinx configuration for the gridgov documentation."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

from sphinx.ext.intersphinx import missing_reference

# The figures of "Simulating a policy" are drawn during the build, by matplotlib's plot
# directive, from docs/figures/simulation.py, which runs the street office comparison of the
# test suite's scenario (tests/scenarios/street_office_policy.py, beside the configuration it
# reads): both folders go on the path so the page's ``.. plot::`` code imports them as the
# scenario tests do.  tests/scenarios/test_simulation_page.py runs the same functions.
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_ROOT / "docs" / "figures"), str(_ROOT / "tests" / "scenarios")]

project = "gridgov"
author = "The gridgov developers"
copyright = "2026, The gridgov developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "matplotlib.sphinxext.plot_directive",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
master_doc = "index"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
html_theme = "alabaster"
suppress_warnings = ["myst.xref_missing"]

# The plot directive: one PNG per figure, without its source, links or other formats.
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]

# Every cross-reference must resolve (the build runs with -W).
nitpicky = True

# Links into Python, attrs, networkx, dateutil, hypothesis and matplotlib go through their object
# inventories, read from local files and never fetched: CI has no network for documentation
# sites.  docs/_inventories/build.py writes them, each entry the address of the object on its
# project's published pages (relative to the base URL below); add what a new reference needs
# there and rerun it.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inventories/python.inv"),
    "attrs": ("https://www.attrs.org/en/stable", "_inventories/attrs.inv"),
    "networkx": ("https://networkx.org/documentation/stable", "_inventories/networkx.inv"),
    "dateutil": ("https://dateutil.readthedocs.io/en/stable", "_inventories/dateutil.inv"),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest", "_inventories/hypothesis.inv"),
    "matplotlib": ("https://matplotlib.org/stable", "_inventories/matplotlib.inv"),
}

# Names that cannot resolve by nature; keep this list short.
nitpick_ignore = [
    # A type variable in a generic signature (``from_dict(cls: type[T], ...) -> T``): it
    # stands for the caller's class and has no page of its own.
    ("py:class", "gridgov.serialize.T"),
    # The same for ``LabelledEnum.from_zh(cls: type[E], label) -> E``: the enumeration's class.
    ("py:class", "gridgov._labels.E"),
    # ``redact(value: T) -> T``, ``visible(items: Iterable[T])``, ``suppress_small_cells``:
    # the same.
    ("py:class", "gridgov.privacy.redaction.T"),
    ("py:class", "gridgov.privacy.redaction.K"),
    ("py:class", "gridgov.privacy.scopes.T"),
    # ``gridgov.dask.Loader``, generic in the items a loader gives.
    ("py:class", "gridgov.dask.T"),
    ("py:obj", "gridgov.dask.T"),
    # ``parts_bag(...) -> dask.bag.Bag`` and the calls' ``parts=``: Dask's docs have no
    # inventory here (no network in CI); docs/scale.md links Dask's docs by address.
    ("py:class", "dask.bag.core.Bag"),
]

# -- One target per public name ------------------------------------------------------------
#
# Each public name is documented once, in the public module that defines it: api.md runs
# ``automodule`` over ``gridgov.calendar.deadlines``, and over the ``gridgov.calendar`` façade
# only for its summary (``:no-members:``).  So the names autodoc writes in signatures and
# bases, taken from each object's ``__module__``, resolve as they are.  (The strategies and
# checks of ``gridgov.testing``, defined in private modules, are documented in the public
# façade that holds them; the two private types public signatures name, ``LabelledEnum`` and
# ``WorkingTime``, are described on the API page.)
#
# Docstrings and pages refer to a name by the public path a user imports: ``gridgov.Deadline``
# or ``gridgov.calendar.Deadline``.  Such a reference has no target of its own, so
# ``_public_path`` imports what it names and sends it to the one place where that same object
# (by identity, under the same name) is documented.  A name relative to the module whose
# docstring holds it resolves as Python reads it in that module, which also links the
# annotations autodoc could not evaluate (``date`` in a class signature, ``nx.DiGraph[str]``,
# generic only in networkx's stubs) to the other projects' pages.  A reference that names
# nothing, or nothing documented, stays unresolved and fails the build.


def _lookup(path: str) -> tuple[bool, Any]:
    """Import ``gridgov.a.b.C.d`` as far as modules go, then follow attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            try:
                obj = getattr(obj, part)
            except AttributeError:
                return False, None
        return True, obj
    return False, None


def _documented(env: Any, target: str) -> str | None:
    """The name under which the object *target* names is documented, if it is."""
    found, obj = _lookup(target)
    if not found:
        return None
    last = target.rsplit(".", 1)[-1]
    objects = env.get_domain("py").objects
    for name in sorted(objects, key=len):
        if name != target and name.startswith("gridgov.") and name.endswith("." + last):
            found, other = _lookup(name)
            # a classmethod is a new bound method at each access: those compare equal
            if found and (other is obj or (inspect.ismethod(obj) and other == obj)):
                return name
    return None


def _public_path(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    module = node.get("py:module")
    if not target.startswith("gridgov.") and module:
        # a name relative to the module, as Python reads it there
        found, obj = _lookup(f"{module}.{target}")
        home = getattr(obj, "__module__", None) if found else None
        qualname = getattr(obj, "__qualname__", None)
        if isinstance(home, str) and isinstance(qualname, str) and home.split(".")[0] != "gridgov":
            node["reftarget"] = f"{home}.{qualname}"
            return missing_reference(app, env, node, contnode)
        target = f"{module}.{target}"
    if not target.startswith("gridgov.") or target.startswith("gridgov._"):
        return None
    name = _documented(env, target)
    if name is None:
        return None
    return env.get_domain("py").resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], name, node, contnode
    )


def setup(app: Any) -> dict[str, Any]:
    app.connect("missing-reference", _public_path)
    return {"parallel_read_safe": True}
