"""Collection across the checkout: the optional extras' modules are left out when their
libraries are not installed (``pip install -e '.[dev]'`` installs them all)."""

from __future__ import annotations

import importlib.util

collect_ignore: list[str] = []
if importlib.util.find_spec("matplotlib") is None:  # the ``plot`` extra
    collect_ignore += ["src/gridgov/plot.py", "docs/figures", "docs/simulation.md"]
