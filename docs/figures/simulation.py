"""The figures and the table of docs/simulation.md ("Simulating a policy").

Both come from one run of the test suite's street office comparison
(``tests/scenarios/street_office_policy.py``: the grid's resolve limit of 5 working days
against 3, 60 days, the office's current staff).  The docs build draws :func:`draw` through
matplotlib's plot directive (``docs/conf.py`` puts this folder and ``tests/scenarios`` on the
path); ``tests/scenarios/test_simulation_page.py`` runs the same functions, checks the
figure, and checks that the page's table is :func:`table` of the same comparison.  After a
change to the simulator, rewrite the page's table with
``python docs/figures/simulation.py --write`` (without ``--write``: print it).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from matplotlib.figure import Figure

from gridgov.plot import comparison_figure
from gridgov.simulation.results import BEYOND, Comparison, ComparisonLine
from gridgov.tiers import TierScheme

DAYS = 60


@cache
def street_office(days: int = DAYS) -> Comparison:
    """The street office comparison (run once per process: the page draws and tabulates it)."""
    from street_office_policy import comparison

    return comparison(days=days)


def _scheme() -> TierScheme:
    """The street's tiers (四级网格), to label the lines by name."""
    from street_office_config import GRID

    return GRID.scheme


def draw(figure: Figure | None = None, *, days: int = DAYS) -> Figure:
    """The three panels of the comparison: backlog, escalations, visit coverage."""
    return comparison_figure(street_office(days), tiers=_scheme(), figure=figure)


def _number(value: float, measure: str) -> str:
    if measure == "utilisation":
        return f"{value:.1%}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _change(line: ComparisonLine) -> str:
    if line.change == 0:
        return "0"
    sign = "+" if line.change > 0 else "−"
    if line.measure == "utilisation":
        return f"{sign}{abs(line.change) * 100:.1f} pt"
    return sign + _number(abs(line.change), line.measure)


def _what(line: ComparisonLine, comparison: Comparison) -> str:
    """What a line compares, Chinese first: 网格上报 escalations from Grid, …"""
    scheme = _scheme()
    if line.subject is not None and line.subject in scheme:
        tier = scheme[line.subject]
        zh, en = tier.zh, tier.label
    else:
        zh = en = line.subject or ""
    if line.measure == "escalations":
        return f"{zh}上报 — escalations from {en}"
    if line.measure == "backlog":
        if line.subject == BEYOND:
            zh, en = "外部", "the external body"
        return f"期末{zh}积案 — open at the end, {en}"
    if line.measure == "utilisation":
        return f"{zh}工时利用率 — staff utilisation, {en}"
    if line.measure == "missed_visits":
        return "未按时探访 — visits missed (resident-days)"
    for column in comparison.base.table.columns:
        if column.name == line.subject:
            return f"{column.zh} — {column.name.replace('_', ' ')}"
    return f"{line.measure} {line.subject or ''}".strip()


def table(days: int = DAYS) -> str:
    """The comparison's lines as a Markdown table, one row per line, as the page shows them."""
    comparison = street_office(days)
    rows = [
        "| what | 5 working days | 3 working days | change |",
        "|---|--:|--:|--:|",
    ]
    for line in comparison.lines:
        rows.append(
            f"| {_what(line, comparison)} | {_number(line.base, line.measure)} "
            f"| {_number(line.variant, line.measure)} | {_change(line)} |"
        )
    return "\n".join(rows)


def write(page: Path) -> None:
    """Put :func:`table` in place of the table on *page* (the lines from its header row to
    the first line that is not a row)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    first = lines.index(table().split("\n", 1)[0])
    last = first
    while last < len(lines) and lines[last].startswith("|"):
        last += 1
    lines[first:last] = table().split("\n")
    page.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    # python docs/figures/simulation.py [--write]: print the table, or write it on the page
    here = Path(__file__).resolve()
    sys.path.insert(0, str(here.parents[2] / "tests" / "scenarios"))
    if sys.argv[1:] == ["--write"]:
        write(here.parents[1] / "simulation.md")
    else:
        print(table())
