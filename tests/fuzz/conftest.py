"""The doors' fuzz suite: every input tried is counted, and the count is printed at the end
of the run (``pytest -q tests/fuzz`` ends with ``fuzz: … inputs tried``)."""

from __future__ import annotations

import pytest
from tests.fuzz import _doors


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _doors.TRIED.total:
        terminalreporter.write_line(
            f"fuzz: {_doors.TRIED.total:,} inputs tried at the doors "
            f"({_doors.TRIED.refused:,} refused with a gridgov error, "
            f"{_doors.TRIED.valid:,} valid values that round-trip)"
        )
