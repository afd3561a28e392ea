"""Timing helpers shared by the benchmark scripts (not a benchmark itself)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


def interleaved(repeat: int, *fns: Callable[[], Any]) -> list[float]:
    """Best time of each function over *repeat* rounds, the functions taking turns.

    Taking turns means a slow spell of a noisy machine slows every contender alike, so the
    ratios between them hold even when the absolute times do not.  Times are CPU times of
    this process (``time.process_time``): a spell in which another process has the core is
    not counted against whoever was running.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            gc.collect()
            start = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - start)
    return best
