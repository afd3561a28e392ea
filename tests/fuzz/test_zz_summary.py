"""The fuzz suite's tally: it runs last (pytest runs the modules of a folder in name order)."""

from __future__ import annotations

import os

from tests.fuzz._doors import TRIED


def test_zz_enough_inputs_were_tried() -> None:
    """The ci profile must try at least 50,000 inputs across the fuzz suite."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
        assert TRIED.total >= 50_000, f"only {TRIED.total:,} inputs tried"
