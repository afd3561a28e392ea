"""The house's rules, checked on the source: no import cycles, no private names reached across
modules, modules (and test and benchmark files) small enough to read, and no mutable cache
hidden in a frozen value."""

from __future__ import annotations

import ast
import datetime as _dt
import importlib
import inspect
import pkgutil
import types
from collections.abc import Iterator
from pathlib import Path

import attrs

import gridgov

SRC = Path(gridgov.__file__).parent
ROOT = Path(__file__).resolve().parent.parent  # the checkout these tests belong to
MAX_LINES = 800
MAX_PUBLIC_LINES = 600
# Outside src/gridgov the 800-line rule covers the tests and the benchmarks, but not the fair
# peers (a verbatim copy of ../shared/bench/, kept as published).
CHECKED_DIRS = ("tests", "benchmarks")
NOT_CHECKED = ("benchmarks/fair",)


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(name: str, path: Path) -> Iterator[tuple[str, str | None]]:
    """(module imported, name imported from it or None) for every gridgov import of *name*
    made at run time."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("gridgov"):
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            if not base.startswith("gridgov"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:  # `from package import module`
                    yield full, None
                else:
                    yield base, alias.name


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for target, _ in _imports(name, path):
            if target in MODULES and target != name:
                edges.setdefault(name, set()).add(target)
    return edges


def _is_private_module(name: str) -> bool:
    return any(part.startswith("_") and part != "__init__" for part in name.split("."))


def test_no_import_cycles() -> None:
    edges = _edges()
    # A package's __init__ re-exports its modules; those edges are the façade, not a cycle
    # of the design (the modules never import the package's __init__ for names).
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt.startswith(node + ".") or node.startswith(nxt + "."):
                continue  # a package and its own modules
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_no_module_imports_another_modules_private_name() -> None:
    bad = []
    for name, path in MODULES.items():
        for target, imported in _imports(name, path):
            if target == name:
                continue
            if imported is not None and imported.startswith("_") and not imported.startswith("__"):
                bad.append(f"{name} imports {target}.{imported}")
            if imported is None and _is_private_module(target):
                # A private module may be used only inside the package that holds it.
                holder = target.rsplit(".", 1)[0]
                if not name.startswith(holder):
                    bad.append(f"{name} imports the private module {target}")
    assert not bad, "; ".join(bad)


def test_the_test_catches_a_private_import(tmp_path: Path) -> None:
    source = "from gridgov.grid import _secret\nfrom gridgov.grid import GridGraph\n"
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert list(_imports("gridgov.m", path)) == [
        ("gridgov.grid", "_secret"),
        ("gridgov.grid", "GridGraph"),
    ]


def test_modules_are_small_enough_to_read() -> None:
    too_long = []
    for name, path in MODULES.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        limit = MAX_LINES if _is_private_module(name) or name.startswith("gridgov.testing") else MAX_PUBLIC_LINES
        if path.name == "__init__.py" or name.endswith("__main__"):
            limit = MAX_PUBLIC_LINES
        if lines > limit:
            too_long.append(f"{name} ({lines} lines > {limit})")
    assert not too_long, ", ".join(too_long)


def _too_long(root: Path, dirs: tuple[str, ...], skip: tuple[str, ...], limit: int) -> list[str]:
    """``path (n lines)`` for every ``*.py`` under *dirs* of *root* (but *skip*) over *limit*."""
    found = []
    for folder in dirs:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if any(rel == s or rel.startswith(s + "/") for s in skip):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found.append(f"{rel} ({lines} lines)")
    return found


def test_tests_and_benchmarks_are_small_enough_to_read() -> None:
    too_long = _too_long(ROOT, CHECKED_DIRS, NOT_CHECKED, MAX_LINES)
    assert not too_long, (
        f"files over {MAX_LINES} lines (split them by topic; helpers the parts share go in one "
        "module beside them, or in tests/builders.py): " + ", ".join(too_long)
    )


def test_the_test_catches_a_long_test_file(tmp_path: Path) -> None:
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "benchmarks" / "fair").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_long.py").write_text("x = 1\n" * 801, encoding="utf-8")
    (tmp_path / "tests" / "test_short.py").write_text("x = 1\n" * 800, encoding="utf-8")
    (tmp_path / "benchmarks" / "long.py").write_text("x = 1\n" * 900, encoding="utf-8")
    (tmp_path / "benchmarks" / "fair" / "peers.py").write_text("x = 1\n" * 900, encoding="utf-8")
    (tmp_path / "benchmarks" / "fairly.py").write_text("x = 1\n" * 900, encoding="utf-8")
    assert _too_long(tmp_path, CHECKED_DIRS, NOT_CHECKED, MAX_LINES) == [
        "tests/unit/test_long.py (801 lines)",
        "benchmarks/fairly.py (900 lines)",
        "benchmarks/long.py (900 lines)",
    ]


def _frozen_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(gridgov.__path__, "gridgov."):
        if info.name.startswith("gridgov.testing") or info.name.endswith("__main__"):
            continue
        if info.name in ("gridgov.dask", "gridgov.plot"):
            continue  # an optional extra's module (Dask, Matplotlib may be absent), no classes
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if attrs.has(value) and value.__module__ == module.__name__:
                params = getattr(value, "__attrs_attrs__", None)
                if params is not None and getattr(value.__setattr__, "__name__", "") in (
                    "_frozen_setattrs",
                    "__setattr__",
                ):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


MUTABLE = (dict, list, set, bytearray)


def _mutable_annotation(hint: object) -> bool:
    text = str(hint)
    return any(word in text for word in ("dict[", "list[", "set[", "MutableMapping")) and not (
        "frozenset[" in text and "set[" not in text.replace("frozenset[", "")
    )


def test_no_frozen_value_declares_a_mutable_attribute() -> None:
    bad = []
    for cls in _frozen_classes():
        for a in attrs.fields(cls):
            if a.type is not None and _mutable_annotation(a.type):
                bad.append(f"{cls.__module__}.{cls.__qualname__}.{a.name}: {a.type}")
    assert not bad, "frozen values holding a mutable type: " + "; ".join(bad)


def _attribute_values(value: object) -> Iterator[tuple[str, object]]:
    for cls in type(value).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot.startswith("__") or not hasattr(value, slot):
                continue
            yield slot, getattr(value, slot)


def test_no_value_holds_a_mutable_container() -> None:
    """Every value the demo builds (and everything they hold) has no dict, list or set in its
    slots: indices are read-only views, tuples or frozensets, and nothing grows with use.

    One structure is mutable inside and immutable to every user: :class:`AppendOnly`, the
    sequence that grows by sharing (a case's events, a deadline's pauses).  Each version sees
    a fixed prefix of a list that only ever grows at the end — ``tests/unit/test_seq.py``
    checks that no version ever sees an item change.
    """
    from gridgov import demo
    from gridgov._seq import AppendOnly

    seen: set[int] = set()
    bad: list[str] = []

    def walk(value: object, where: str, depth: int = 0) -> None:
        if id(value) in seen or depth > 6:
            return
        seen.add(id(value))
        if isinstance(value, MUTABLE):
            bad.append(where)
            return
        if isinstance(value, AppendOnly):
            for i, item in enumerate(list(value)[:50]):
                walk(item, f"{where}[{i}]", depth + 1)
            return
        if isinstance(value, tuple | frozenset):
            for i, item in enumerate(list(value)[:50]):
                walk(item, f"{where}[{i}]", depth + 1)
            return
        if isinstance(value, types.MappingProxyType):
            for key in list(value)[:20]:
                walk(value[key], f"{where}[{key!r}]", depth + 1)
            return
        if isinstance(value, str | int | float | bool | _dt.date | _dt.time | _dt.timedelta):
            return
        if type(value).__module__.startswith("gridgov"):
            for slot, item in _attribute_values(value):
                walk(item, f"{where}.{slot}", depth + 1)

    samples = [demo.sample_grid(), *demo.sample_residents(), demo.sample_case()]
    for sample in samples:
        walk(sample, type(sample).__name__)
    assert not bad, "mutable containers held by values: " + ", ".join(bad[:20])
