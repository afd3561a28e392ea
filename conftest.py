"""Collection at the checkout's root: the optional extras' modules and pages are left out when
their extra is not installed (``gridgov.dask`` and ``docs/scale.md`` need ``gridgov[dask]``;
``gridgov.plot``, ``docs/simulation.md`` and ``docs/figures`` need ``gridgov[plot]``)."""

from __future__ import annotations

from importlib.util import find_spec

collect_ignore: list[str] = []
if find_spec("dask") is None or find_spec("distributed") is None:
    collect_ignore += ["src/gridgov/dask.py", "docs/scale.md"]
if find_spec("matplotlib") is None:
    collect_ignore += ["src/gridgov/plot.py", "docs/figures", "docs/simulation.md"]
