"""The public API: ``gridgov.__all__`` lists exactly the public names, and imports stay light."""

from __future__ import annotations

import subprocess
import sys
import types

import gridgov


def _public_names() -> set[str]:
    return {
        name
        for name, value in vars(gridgov).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    } | {"__version__"}


def test_all_equals_the_public_names() -> None:
    assert set(gridgov.__all__) == _public_names()


def test_all_has_no_duplicates() -> None:
    # The order (constants, classes, functions) is kept by ruff's RUF022.
    assert len(gridgov.__all__) == len(set(gridgov.__all__))


def test_every_name_in_all_resolves() -> None:
    for name in gridgov.__all__:
        assert getattr(gridgov, name) is not None


def test_submodule_alls_are_reexported() -> None:
    import pkgutil

    public = {
        info.name
        for info in pkgutil.iter_modules(gridgov.__path__, "gridgov.")
        if not info.name.rsplit(".", 1)[1].startswith("_")
    } - {"gridgov.demo", "gridgov.testing", "gridgov.__main__", "gridgov.cli"}  # (the I/O edge)
    public -= {"gridgov.dask", "gridgov.plot"}  # optional extras: imported only on request
    modules = list(gridgov._MODULES)
    assert {m.__name__ for m in modules} == public, "a public module is not re-exported"
    for module in modules:
        for name in module.__all__:
            assert getattr(gridgov, name) is getattr(module, name), (module.__name__, name)


def test_import_does_not_import_hypothesis() -> None:
    code = "import sys, gridgov; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_does_not_import_the_optional_extras() -> None:
    code = "import sys, gridgov; print(sorted({'dask', 'distributed', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
