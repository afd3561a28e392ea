"""Collection at the checkout's root: the optional extras' modules and pages are left out when
their extra is not installed (``gridgov.dask`` and ``docs/scale.md`` need ``gridgov[dask]``)."""

from __future__ import annotations

from importlib.util import find_spec

collect_ignore: list[str] = []
if find_spec("dask") is None or find_spec("distributed") is None:
    collect_ignore += ["src/gridgov/dask.py", "docs/scale.md"]
