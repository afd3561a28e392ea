"""Every public function and method of gridgov has a docstring with an example that runs (the
examples run as doctests in the same suite)."""

from __future__ import annotations

import inspect

import gridgov
import gridgov.testing.checks
import gridgov.testing.strategies

MODULES = [gridgov, gridgov.testing.checks, gridgov.testing.strategies]


def _public_callables() -> dict[str, object]:
    found: dict[str, object] = {}
    for module in MODULES:
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if inspect.isfunction(value):
                found[f"{module.__name__}.{name}"] = value
            elif inspect.isclass(value) and value.__module__.startswith("gridgov"):
                found[f"{value.__module__}.{value.__qualname__}"] = value
                for attr, member in vars(value).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, staticmethod | classmethod):
                        member = member.__func__
                    if inspect.isfunction(member):
                        found[f"{value.__module__}.{value.__qualname__}.{attr}"] = member
    return found


def test_every_public_function_and_method_has_an_example() -> None:
    missing = sorted(
        name
        for name, value in _public_callables().items()
        if ">>>" not in (inspect.getdoc(value) or "")
    )
    assert not missing, f"{len(missing)} without a docstring example: " + ", ".join(missing)
