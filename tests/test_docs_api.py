"""The API page shows each public module at a glance: a table of its public names, one line
each, before the module's reference.

The tables are written by hand in ``docs/api.md``; these tests keep them complete and true:
every public name of every public module has a row, every row names a real object, and each
module's table comes before its ``automodule``.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import gridgov

API = Path(__file__).resolve().parent.parent / "docs" / "api.md"
TEXT = API.read_text(encoding="utf-8")

# A table row whose first cell is a cross-reference: | {class}`~gridgov.tiers.Tier` | ... |
ROW = re.compile(r"^\| \{(?:class|exc|func|data|meth|attr)\}`~?([\w.]+)` \| (.*?) \|$", re.M)
ROWS = [(m.group(1), m.group(2).strip(), m.start()) for m in ROW.finditer(TEXT)]

# Public modules left off the API page, and why.
NOT_ON_THE_PAGE = {
    "gridgov.demo": "the sample community behind the demo and the examples",
}


# Modules of optional extras, and the package each needs: checked only where it is installed.
EXTRAS = {"gridgov.dask": "distributed", "gridgov.plot": "matplotlib"}


def _public_modules() -> list[str]:
    found = ["gridgov"]
    for info in pkgutil.walk_packages(gridgov.__path__, "gridgov."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(info.name)
    missing = {m for m, needs in EXTRAS.items() if importlib.util.find_spec(needs) is None}
    return sorted(set(found) - set(NOT_ON_THE_PAGE) - missing)


MODULES = _public_modules()


def _lookup(path: str) -> Any:
    """The object a dotted path names: modules imported as far as they go, then attributes."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise LookupError(path)


def _rows_for(module: str, name: str) -> list[str]:
    """The rows that list *name* of *module*: in its own table, or (for a package) in the
    table of the module of the package that holds it."""
    value = getattr(importlib.import_module(module), name)
    return [
        target
        for target, _, _ in ROWS
        if target.rsplit(".", 1)[-1] == name
        and (module == "gridgov" or target.startswith(module + "."))
        and _lookup(target) is value
    ]


def test_the_page_has_tables() -> None:
    assert len(ROWS) > 100, "the table rows were not found: the pattern or the page changed"


def test_the_public_modules_are_the_ones_expected() -> None:
    # A new public module must get its section on the API page (or a reason to be left off).
    assert {
        "gridgov.errors", "gridgov.limits", "gridgov.reasons", "gridgov.tiers",
        "gridgov.grid.units", "gridgov.grid.graph", "gridgov.people",
        "gridgov.calendar.workcalendar", "gridgov.calendar.limits", "gridgov.calendar.deadlines",
        "gridgov.issues", "gridgov.criteria", "gridgov.routing.matrix", "gridgov.routing.rules",
        "gridgov.routing.router", "gridgov.cases.events", "gridgov.cases.detours",
        "gridgov.cases.state", "gridgov.cases.lifecycle", "gridgov.cases.case",
        "gridgov.escalation.policy", "gridgov.escalation.proposals", "gridgov.escalation.sweep",
        "gridgov.escalation.lights", "gridgov.workflow", "gridgov.visits.frequency",
        "gridgov.visits.policy", "gridgov.visits.records", "gridgov.visits.sweep",
        "gridgov.visits.missed", "gridgov.visits.plan", "gridgov.visits.coverage",
        "gridgov.serialize", "gridgov.testing.strategies", "gridgov.testing.checks",
    } <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_has_a_row(module: str) -> None:
    names = importlib.import_module(module).__all__
    missing = [name for name in names if not _rows_for(module, name)]
    assert not missing, f"{module}: no row on the API page for {missing}"


@pytest.mark.parametrize("module", MODULES)
def test_the_table_comes_before_the_reference(module: str) -> None:
    directive = re.search(rf"^\.\. automodule:: {re.escape(module)}$", TEXT, re.M)
    assert directive, f"{module} has no automodule on the API page"
    own = [at for target, _, at in ROWS if target.rsplit(".", 1)[0] == module]
    assert all(at < directive.start() for at in own), f"{module}: a row after its reference"


@pytest.mark.parametrize("target", sorted({t for t, _, _ in ROWS}))
def test_every_row_names_a_public_object(target: str) -> None:
    module, name = target.rsplit(".", 1)
    if module in EXTRAS and module not in MODULES:
        pytest.skip(f"{module}'s extra is not installed")
    assert module in MODULES, f"{target}: not in a public module on the page"
    assert name in importlib.import_module(module).__all__, f"{target}: not a public name"


def test_every_row_says_what_it_is() -> None:
    assert all(line and not line.startswith("|") for _, line, _ in ROWS)
    targets = [target for target, _, _ in ROWS]
    assert len(targets) == len(set(targets)), "a name has two rows"
